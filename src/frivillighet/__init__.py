"""frivillighet: municipal volunteering policies as executable, explainable rules.

    import frivillighet as fv
    from frivillighet.rules import volunteer_work

    policy = fv.load_policy("hemnes")
    verdict = volunteer_work.assess(policy, fv.Activity(pay="none", beneficiary="others",
                                                        organised_by="association",
                                                        participation="active"))
    print(verdict.explain("nb"))

Importing the package loads nothing heavy: each public name loads its module on first use, so
`icalendar`, `holidays`, `cattrs` and even `attrs` come in only when a feature needs them.
"""

import importlib
from typing import TYPE_CHECKING, Any

from frivillighet.errors import Error, InputError, PolicyError

if TYPE_CHECKING:
    from frivillighet.conversion import from_json, to_json
    from frivillighet.model import (
        Activity,
        Agreement,
        AgreementKind,
        Area,
        Beneficiary,
        Body,
        BodyKind,
        Booking,
        Compulsion,
        Council,
        GrantApplication,
        Hearing,
        Meeting,
        Member,
        Organisation,
        Organiser,
        Participation,
        Pay,
        Premises,
        PremisesKind,
        Purpose,
        Review,
        SchemeChange,
        Tariff,
    )
    from frivillighet.policy import National, Policy, builtin_policies, load_policy
    from frivillighet.rules.obligations import Occurrence, State, Status
    from frivillighet.rules.rental import Quote
    from frivillighet.verdict import Citation, Finding, Language, Outcome, Text, Verdict

__version__ = "0.2.0"

_HOMES = {
    "frivillighet.model": (
        "Activity", "Agreement", "AgreementKind", "Area", "Beneficiary", "Body", "BodyKind",
        "Booking", "Compulsion", "Council", "GrantApplication", "Hearing", "Meeting", "Member",
        "Organisation", "Organiser", "Participation", "Pay", "Premises", "PremisesKind",
        "Purpose", "Review", "SchemeChange", "Tariff",
    ),
    "frivillighet.policy": ("National", "Policy", "builtin_policies", "load_policy"),
    "frivillighet.rules.obligations": ("Occurrence", "State", "Status"),
    "frivillighet.rules.rental": ("Quote",),
    "frivillighet.verdict": ("Citation", "Finding", "Language", "Outcome", "Text", "Verdict"),
    "frivillighet.conversion": ("from_json", "to_json"),
}  # fmt: skip
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use, and keep the name."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'frivillighet' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


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
    "Compulsion",
    "Council",
    "Error",
    "Finding",
    "GrantApplication",
    "Hearing",
    "InputError",
    "Language",
    "Meeting",
    "Member",
    "National",
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
    "Review",
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
