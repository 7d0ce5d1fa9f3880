"""frivillighet: municipal volunteering policies as executable, explainable rules.

    import frivillighet as fv
    from frivillighet.rules import volunteer_work

    policy = fv.load_policy("hemnes")
    verdict = volunteer_work.assess(policy, fv.Activity(pay="none", beneficiary="others",
                                                        organised_by="association",
                                                        participation="active"))
    print(verdict.explain("nb"))

Importing the package loads neither `icalendar` nor `holidays`; the features that need them do.
"""

from typing import TYPE_CHECKING, Any

from frivillighet.errors import Error, InputError, PolicyError
from frivillighet.model import (
    Activity,
    Agreement,
    AgreementKind,
    Area,
    Beneficiary,
    Body,
    BodyKind,
    Booking,
    Council,
    GrantApplication,
    Meeting,
    Member,
    Organisation,
    Organiser,
    Participation,
    Pay,
    Premises,
    PremisesKind,
    Purpose,
    SchemeChange,
    Tariff,
)
from frivillighet.policy import Policy, builtin_policies, load_policy
from frivillighet.rules.obligations import Occurrence, State, Status
from frivillighet.rules.rental import Quote
from frivillighet.verdict import Citation, Finding, Language, Outcome, Text, Verdict

if TYPE_CHECKING:
    from frivillighet.conversion import from_json, to_json

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """`to_json` and `from_json` load cattrs on first use, not when the package is imported."""
    if name in ("to_json", "from_json"):
        from frivillighet import conversion

        return getattr(conversion, name)
    raise AttributeError(f"module 'frivillighet' has no attribute {name!r}")


__all__ = [
    "Activity",
    "Agreement",
    "AgreementKind",
    "Area",
    "Beneficiary",
    "Body",
    "BodyKind",
    "Booking",
    "Citation",
    "Council",
    "Error",
    "Finding",
    "GrantApplication",
    "InputError",
    "Language",
    "Meeting",
    "Member",
    "Occurrence",
    "Organisation",
    "Organiser",
    "Outcome",
    "Participation",
    "Pay",
    "Policy",
    "PolicyError",
    "Premises",
    "PremisesKind",
    "Purpose",
    "Quote",
    "SchemeChange",
    "State",
    "Status",
    "Tariff",
    "Text",
    "Verdict",
    "builtin_policies",
    "from_json",
    "load_policy",
    "to_json",
]
