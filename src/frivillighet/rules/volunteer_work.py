"""What counts as volunteer work: an `Activity` judged against the policy's definition.

Each rule of `[volunteer_work]` reads one fact of the activity. Hemnes: «Frivillig arbeid er
aktivitet som er ulønnet, utføres overfor andre enn egen familie, ... organisert gjennom lag og
foreninger, eller etter avtale ..., forutsetter en aktiv deltaker(e)». Stange: «ubetalt innsats».
Vesthimmerland: social work «udføres af frivillige sociale organisationer og foreninger til gavn
for andre mennesker».

Findings are values built once per policy and fact value; `assess` only looks them up.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Mapping
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from frivillighet.errors import InputError
from frivillighet.model import (
    Activity,
    Area,
    Beneficiary,
    Compulsion,
    Organiser,
    Participation,
    Pay,
)
from frivillighet.rules.common import AREA_NAMES, Rule, either, family, kind, not_empty
from frivillighet.verdict import Finding, Text, Verdict, decide

if TYPE_CHECKING:
    from frivillighet.policy import Policy


__all__ = [
    "ActiveParticipation",
    "ForOthers",
    "InArea",
    "NonCompulsory",
    "Organised",
    "Unpaid",
    "VolunteerRule",
    "VolunteerWork",
    "assess",
]


def assess(policy: Policy, activity: Activity) -> Verdict:
    """Whether `activity` is volunteer work under `policy`, with one finding per rule.

    `NO` if a rule fails, else `UNDETERMINED` (naming the missing facts) if a fact it needs
    is `None`, else `YES`. Raises `InputError` if the policy does not define volunteer work.
    """
    if not isinstance(activity, Activity):
        raise InputError(f"expected an Activity, got {type(activity).__name__}", field="activity")
    if policy.volunteer_work is None:
        raise InputError(f"policy {policy.id!r} does not define volunteer work", field="policy")
    return _table(policy.volunteer_work).verdict(activity)


# --- The rules of the definition, each with the fact it reads and what each value means ------


Meaning = tuple[bool, Text]
"""Whether a fact value satisfies a rule, and the reason."""


@family()
@frozen(kw_only=True, cache_hash=True)
class VolunteerRule(Rule, abc.ABC):
    """A rule of what counts as volunteer work: it reads one fact of the `Activity`."""

    @abc.abstractmethod
    def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
        """The `Activity` field the rule reads, and what each of its values (and `None`) means."""


@frozen(kw_only=True, cache_hash=True)
class VolunteerWork:
    """The policy's definition of volunteer work: every rule in `criteria` must hold."""

    criteria: tuple[VolunteerRule, ...] = attrs.field(validator=not_empty)

    def __attrs_post_init__(self) -> None:
        for index, rule in enumerate(self.criteria):
            _check_reading(rule, f"criteria[{index}]")


def _check_reading(rule: VolunteerRule, where: str) -> None:
    """A rule's reading names an `Activity` fact with a finite set of values and gives a meaning
    to each of them and to `None`: else the kind could be loaded and not judged."""
    fact, meanings = rule.reading()
    values = _FACT_VALUES.get(fact)
    if values is None:
        known = ", ".join(_FACT_VALUES)
        raise InputError(
            f"{type(rule).__name__} reads {fact!r}, which is none of: {known}", field=where
        )
    lacking = [value for value in (*values, None) if value not in meanings]
    if lacking:
        shown = ", ".join(str(value) for value in lacking)
        raise InputError(f"{type(rule).__name__} gives no meaning to {shown}", field=where)


_FACT_VALUES: dict[str, tuple[StrEnum, ...]] = {
    "pay": tuple(Pay),
    "beneficiary": tuple(Beneficiary),
    "organised_by": tuple(Organiser),
    "participation": tuple(Participation),
    "compulsion": tuple(Compulsion),
    "area": tuple(Area),
}
"""The `Activity` facts a rule of volunteer work can read, and every value of each."""


@kind("unpaid")
@frozen(kw_only=True, cache_hash=True)
class Unpaid(VolunteerRule):
    """The activity is unpaid (`pay` is `none`, `expenses` or `honorarium`; a `wage` fails).
    Documented expenses are never pay; nor is a small symbolic honorarium, unless the policy is
    stricter (`honorarium_is_pay = true`)."""

    honorarium_is_pay: bool = False

    def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
        meanings: dict[Any, Meaning] = {
            value: (value is not Pay.WAGE, text) for value, text in _PAY.items()
        }
        if self.honorarium_is_pay:
            meanings[Pay.HONORARIUM] = (False, _HONORARIUM_IS_PAY)
        return "pay", meanings


_PAY = {
    Pay.NONE: Text(
        en="The activity is unpaid.", nb="Aktiviteten er ulønnet.", da="Aktiviteten er ulønnet."
    ),
    Pay.EXPENSES: Text(
        en="Only documented expenses are reimbursed, and that is not pay.",
        nb="Bare dokumenterte utgifter dekkes, og det er ikke lønn.",
        da="Kun dokumenterede udgifter dækkes, og det er ikke løn.",
    ),
    Pay.HONORARIUM: Text(
        en="A small symbolic honorarium is not pay.",
        nb="Et lite, symbolsk honorar er ikke lønn.",
        da="Et lille, symbolsk honorar er ikke løn.",
    ),
    Pay.WAGE: Text(
        en="The activity is paid a wage.", nb="Aktiviteten er lønnet.", da="Aktiviteten er lønnet."
    ),
    None: Text(
        en="Unknown whether the activity is paid.",
        nb="Ukjent om aktiviteten er lønnet.",
        da="Ukendt om aktiviteten er lønnet.",
    ),
}


_HONORARIUM_IS_PAY = Text(
    en="An honorarium counts as pay under this policy.",
    nb="Honorar regnes som lønn etter denne politikken.",
    da="Honorar regnes som løn efter denne politik.",
)


@kind("for_others")
@frozen(kw_only=True, cache_hash=True)
class ForOthers(VolunteerRule):
    """The activity is done for others than one's own family (`beneficiary` is `others`)."""

    def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
        return "beneficiary", {
            value: (value is Beneficiary.OTHERS, text) for value, text in _BENEFICIARY.items()
        }


_BENEFICIARY = {
    Beneficiary.OTHERS: Text(
        en="The activity is done for others than one's own family.",
        nb="Aktiviteten utføres for andre enn egen familie.",
        da="Aktiviteten udføres for andre end ens egen familie.",
    ),
    Beneficiary.OWN_FAMILY: Text(
        en="The activity is done for one's own family.",
        nb="Aktiviteten utføres for egen familie.",
        da="Aktiviteten udføres for ens egen familie.",
    ),
    None: Text(
        en="Unknown who the activity is done for.",
        nb="Ukjent hvem aktiviteten utføres for.",
        da="Ukendt hvem aktiviteten udføres for.",
    ),
}


@kind("organised")
@frozen(kw_only=True, cache_hash=True)
class Organised(VolunteerRule):
    """The activity is organised in one of the ways listed in `by` (`organised_by`)."""

    by: tuple[Organiser, ...] = attrs.field(validator=not_empty)

    def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
        required = either(_ORGANISER[way] for way in self.by)
        meanings: dict[Any, Meaning] = {None: (False, _ORGANISED_UNKNOWN)}
        for way, how in _ORGANISER.items():
            if way in self.by:
                meanings[way] = (True, _ORGANISED.format(how))
            else:
                meanings[way] = (False, _NOT_ORGANISED.format(how, required))
        return "organised_by", meanings


_ORGANISER = {
    Organiser.ASSOCIATION: Text(
        en="through an association (lag, forening or organisation)",
        nb="gjennom lag, forening eller organisasjon",
        da="gennem en forening eller organisation",
    ),
    Organiser.AGREEMENT: Text(
        en="by agreement with the municipality or another body",
        nb="etter avtale med kommunen eller en annen instans",
        da="efter aftale med kommunen eller en anden instans",
    ),
    Organiser.NONE: Text(en="informally, on one's own", nb="uformelt, på egen hånd", da="uformelt"),
}


_ORGANISED = Text(
    en="The activity is organised {0}.",
    nb="Aktiviteten er organisert {0}.",
    da="Aktiviteten er organiseret {0}.",
)


_NOT_ORGANISED = Text(
    en="The activity is organised {0}; the policy requires it to be organised {1}.",
    nb="Aktiviteten er organisert {0}; politikken krever at den er organisert {1}.",
    da="Aktiviteten er organiseret {0}; politikken kræver, at den er organiseret {1}.",
)


_ORGANISED_UNKNOWN = Text(
    en="Unknown how the activity is organised.",
    nb="Ukjent hvordan aktiviteten er organisert.",
    da="Ukendt hvordan aktiviteten er organiseret.",
)


@kind("active_participation")
@frozen(kw_only=True, cache_hash=True)
class ActiveParticipation(VolunteerRule):
    """The person takes part actively (`participation` is `active`); membership alone is not
    volunteering."""

    def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
        return "participation", {
            value: (value is Participation.ACTIVE, text) for value, text in _PARTICIPATION.items()
        }


_PARTICIPATION = {
    Participation.ACTIVE: Text(
        en="The person takes an active part.",
        nb="Personen deltar aktivt.",
        da="Personen deltager aktivt.",
    ),
    Participation.MEMBERSHIP_ONLY: Text(
        en="Membership alone is not volunteer work.",
        nb="Medlemskap alene er ikke frivillig arbeid.",
        da="Medlemskab alene er ikke frivilligt arbejde.",
    ),
    None: Text(
        en="Unknown whether the person takes an active part.",
        nb="Ukjent om personen deltar aktivt.",
        da="Ukendt om personen deltager aktivt.",
    ),
}


@kind("non_compulsory")
@frozen(kw_only=True, cache_hash=True)
class NonCompulsory(VolunteerRule):
    """The activity is done of the person's own free will (`compulsion` is `none`): work that
    is ordered or required is not volunteer work."""

    def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
        return "compulsion", {
            value: (value is Compulsion.NONE, text) for value, text in _COMPULSION.items()
        }


_COMPULSION = {
    Compulsion.NONE: Text(
        en="The activity is done of one's own free will.",
        nb="Aktiviteten gjøres av fri vilje.",
        da="Aktiviteten udføres af fri vilje.",
    ),
    Compulsion.COMPELLED: Text(
        en="The activity is ordered or required, so it is not voluntary.",
        nb="Aktiviteten er pålagt, og dermed ikke frivillig.",
        da="Aktiviteten er påtvunget og dermed ikke frivillig.",
    ),
    None: Text(
        en="Unknown whether the activity is done of one's own free will.",
        nb="Ukjent om aktiviteten gjøres av fri vilje.",
        da="Ukendt om aktiviteten udføres af fri vilje.",
    ),
}


@kind("area")
@frozen(kw_only=True, cache_hash=True)
class InArea(VolunteerRule):
    """The activity's `area` is one of `areas`."""

    areas: tuple[Area, ...] = attrs.field(validator=not_empty)

    def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
        covered = either(AREA_NAMES[area] for area in self.areas)
        meanings: dict[Any, Meaning] = {None: (False, _AREA_UNKNOWN)}
        for area, name in AREA_NAMES.items():
            if area in self.areas:
                meanings[area] = (True, _IN_AREA.format(name))
            else:
                meanings[area] = (False, _OUTSIDE_AREA.format(name, covered))
        return "area", meanings


_IN_AREA = Text(
    en="The activity's area is {0}, which the policy covers.",
    nb="Aktivitetens område er {0}, som politikken omfatter.",
    da="Aktivitetens område er {0}, som politikken omfatter.",
)


_OUTSIDE_AREA = Text(
    en="The activity's area is {0}; the policy covers only {1}.",
    nb="Aktivitetens område er {0}; politikken omfatter bare {1}.",
    da="Aktivitetens område er {0}; politikken omfatter kun {1}.",
)


_AREA_UNKNOWN = Text(
    en="Unknown which area the activity belongs to.",
    nb="Ukjent hvilket område aktiviteten hører til.",
    da="Ukendt hvilket område aktiviteten hører til.",
)


# --- Verdicts, built once per definition and fact values -------------------------------------


def _findings(rule: VolunteerRule) -> tuple[str, dict[StrEnum | None, Finding]]:
    """The fact `rule` reads, and its finding for every value of that fact."""
    fact, meanings = rule.reading()
    findings = {
        value: Finding(
            rule=rule.id,
            holds=None if value is None else holds,
            reasons=text,
            source=rule.source,
            missing=(fact,) if value is None else (),
        )
        for value, (holds, text) in meanings.items()
    }
    return fact, findings


class _Table:
    """The verdicts of one definition, by the tuple of fact values its rules read."""

    __slots__ = ("_facts", "_findings", "_verdicts")

    def __init__(self, definition: VolunteerWork) -> None:
        columns = [_findings(rule) for rule in definition.criteria]
        self._facts = attrgetter(*(fact for fact, _ in columns)) if columns else None
        self._findings = [findings for _, findings in columns]
        self._verdicts: dict[Any, Verdict] = {}

    def verdict(self, activity: Activity) -> Verdict:
        key = self._facts(activity) if self._facts else ()
        verdict = self._verdicts.get(key)
        if verdict is None:
            values = (key,) if len(self._findings) == 1 else key
            findings = tuple(
                column[value] for column, value in zip(self._findings, values, strict=True)
            )
            verdict = self._verdicts[key] = decide(findings)
        return verdict


@functools.cache
def _table(definition: VolunteerWork) -> _Table:
    return _Table(definition)
