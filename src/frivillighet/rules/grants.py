"""Grant eligibility: a `GrantApplication` judged against one of the policy's grant schemes, and
proposed changes to the schemes judged against the policy's consultation rule.

Vesthimmerland: «økonomisk tilskud til frivilligt socialt arbejde, fortrinsvis med forankring i
kommunens geografiske område» (local anchoring is a priority: reported, never deciding).
Stange: «administrere tilskudd til lag og foreninger etter søknad». Lier: «søknadsprosedyrer og
regler for tilskudd, underskudds-garantier, utlån av lokaler og utstyr». Hemnes: «Eventuelle
forslag til endringer drøftes med «Frivillighetsrådet», før vedtak blir fattet».
"""

from __future__ import annotations

import abc
import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

import attrs
from attrs import frozen

from frivillighet import dates
from frivillighet.errors import InputError
from frivillighet.model import Area, GrantApplication, Organisation, SchemeChange
from frivillighet.rules.common import (
    AREA_NAMES,
    TRAIT_WORDS,
    Judgement,
    Rule,
    Trait,
    either,
    family,
    in_range,
    judged,
    kind,
    not_empty,
    same_municipality,
    trait_of,
)
from frivillighet.verdict import Citation, Text, Verdict, decide

if TYPE_CHECKING:
    from frivillighet.policy import Policy


__all__ = [
    "BeforeDeadline",
    "ByApplication",
    "ConsultOnChanges",
    "GrantArea",
    "GrantRule",
    "Grants",
    "Local",
    "NonProfit",
    "Registered",
    "Role",
    "Scheme",
    "VolunteerBased",
    "WithinBudget",
    "assess",
    "assess_change",
    "scheme_for",
]


def assess(policy: Policy, application: GrantApplication, on: dt.date) -> Verdict:
    """Whether `application` meets its scheme's conditions on the day `on`; priorities are
    reported but never decide. `scheme=None` picks the policy's only scheme."""
    if not isinstance(application, GrantApplication):
        raise InputError(
            f"expected a GrantApplication, got {type(application).__name__}", field="application"
        )
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InputError(f"expected a date, got {on!r}", field="on")
    scheme = scheme_for(policy, application.scheme)
    findings = tuple(
        judged(rule, rule.judge(policy, scheme, application, on), decides=rule.decides(scheme))
        for rule in scheme.criteria
    )
    return decide(findings)


def scheme_for(policy: Policy, name: str | None) -> Scheme:
    """The scheme called `name`, or the only scheme when `name` is `None`."""
    schemes = policy.grants.schemes if policy.grants else ()
    known = ", ".join(scheme.id for scheme in schemes) or "none"
    if not schemes:
        raise InputError(
            f"policy {policy.id!r} has no grant schemes", field="GrantApplication.scheme"
        )
    if name is None and len(schemes) == 1:
        return schemes[0]
    if name is None:
        raise InputError(
            f"policy {policy.id!r} has several schemes, name one of: {known}",
            field="GrantApplication.scheme",
        )
    for scheme in schemes:
        if scheme.id == name:
            return scheme
    raise InputError(
        f"policy {policy.id!r} has no scheme {name!r}; its schemes: {known}",
        field="GrantApplication.scheme",
    )


# --- The rules of a grant scheme -------------------------------------------------------------


class Role(StrEnum):
    """A grant rule is a `condition` (decides) or a `priority` (reported, never decides)."""

    CONDITION = "condition"
    PRIORITY = "priority"


@family()
@frozen(kw_only=True, cache_hash=True)
class GrantRule(Rule, abc.ABC):
    """A rule of a grant scheme: a `condition` decides, a `priority` is only reported."""

    role: Role = Role.CONDITION

    @abc.abstractmethod
    def judge(
        self, policy: Policy, scheme: Scheme, application: GrantApplication, on: dt.date
    ) -> Judgement:
        """Whether `application` meets the rule on the day `on`."""

    def decides(self, scheme: Scheme) -> bool:
        """Whether the finding decides the outcome: conditions do, priorities do not."""
        return self.role is Role.CONDITION


@frozen(kw_only=True, cache_hash=True)
class Scheme:
    """A grant scheme; `id` is the word used in `GrantApplication.scheme` (such as "tilskudd")."""

    id: str
    name: Text
    source: Citation
    criteria: tuple[GrantRule, ...] = ()
    budget: Decimal | None = None


@frozen(kw_only=True, cache_hash=True)
class Grants:
    """The policy's grant schemes, and the rules for changing them."""

    schemes: tuple[Scheme, ...] = ()
    consult_on_changes: tuple[ConsultOnChanges, ...] = ()


def _name(applicant: Organisation) -> str:
    return applicant.name or "?"


# --- Each kind of rule -----------------------------------------------------------------------


@kind("area")
@frozen(kw_only=True, cache_hash=True)
class GrantArea(GrantRule):
    """The application's `area` is one of `areas`."""

    areas: tuple[Area, ...] = attrs.field(validator=not_empty)

    def judge(
        self, policy: Policy, scheme: Scheme, application: GrantApplication, on: dt.date
    ) -> Judgement:
        return _area(self, application)


def _area(rule: GrantArea, application: GrantApplication) -> Judgement:
    if application.area is None:
        return None, _AREA_UNKNOWN, ("area",)
    holds = application.area in rule.areas
    named = either(AREA_NAMES[area] for area in rule.areas)
    text = _IN_AREA if holds else _OUTSIDE_AREA
    return holds, text.format(AREA_NAMES[application.area], named), ()


_AREA_UNKNOWN = Text(
    en="Unknown which area the application is for.",
    nb="Ukjent hvilket område søknaden gjelder.",
    da="Ukendt hvilket område ansøgningen gælder.",
)


_IN_AREA = Text(
    en="The application is for {0}, which the scheme supports.",
    nb="Søknaden gjelder {0}, som ordningen støtter.",
    da="Ansøgningen gælder {0}, som ordningen støtter.",
)


_OUTSIDE_AREA = Text(
    en="The application is for {0}; the scheme supports only {1}.",
    nb="Søknaden gjelder {0}; ordningen støtter bare {1}.",
    da="Ansøgningen gælder {0}; ordningen støtter kun {1}.",
)


class _OfApplicant(GrantRule):
    """A rule about the applicant, `trait` of the organisation: unknown while it is unknown."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def trait(self) -> Trait:
        """The trait of the applicant the rule asks for."""

    def judge(
        self, policy: Policy, scheme: Scheme, application: GrantApplication, on: dt.date
    ) -> Judgement:
        applicant = application.applicant
        if applicant is None:
            return None, _APPLICANT_UNKNOWN, ("applicant",)
        return _trait(policy, applicant, self.trait)


_APPLICANT_UNKNOWN = Text(
    en="The applicant is unknown.", nb="Søkeren er ukjent.", da="Ansøgeren er ukendt."
)


def _trait(policy: Policy, applicant: Organisation, trait: Trait) -> Judgement:
    if trait is Trait.LOCAL:
        return _local(policy, applicant)
    value = trait_of(policy, applicant, trait)
    words = TRAIT_WORDS[trait]
    if value is None:
        shown = words.has.format(_name(applicant))
        return None, _TRAIT_UNKNOWN.format(shown), (f"applicant.{trait.fact}",)
    return value, (words.has if value else words.lacks).format(_name(applicant)), ()


_TRAIT_UNKNOWN = Text(
    en="Unknown whether this holds: {0}",
    nb="Ukjent om dette stemmer: {0}",
    da="Ukendt om dette passer: {0}",
)


@kind("non_profit")
@frozen(kw_only=True, cache_hash=True)
class NonProfit(_OfApplicant):
    """The applicant is non-profit (`Organisation.non_profit`)."""

    trait: ClassVar[Trait] = Trait.NON_PROFIT


@kind("volunteer_based")
@frozen(kw_only=True, cache_hash=True)
class VolunteerBased(_OfApplicant):
    """The applicant's work is volunteer-based (`Organisation.volunteer_based`)."""

    trait: ClassVar[Trait] = Trait.VOLUNTEER_BASED


@kind("local")
@frozen(kw_only=True, cache_hash=True)
class Local(_OfApplicant):
    """The applicant belongs to the policy's municipality (`Organisation.municipality`, compared
    without case and without a trailing «kommune» or «municipality»)."""

    trait: ClassVar[Trait] = Trait.LOCAL


def _local(policy: Policy, applicant: Organisation) -> Judgement:
    if applicant.municipality is None:
        return None, _HOME_UNKNOWN.format(_name(applicant)), ("applicant.municipality",)
    holds = same_municipality(applicant.municipality, policy.municipality)
    text = _LOCAL if holds else _NOT_LOCAL
    return holds, text.format(_name(applicant), applicant.municipality, policy.municipality), ()


_HOME_UNKNOWN = Text(
    en="Unknown where {0} belongs.",
    nb="Ukjent hvor {0} hører hjemme.",
    da="Ukendt hvor {0} hører hjemme.",
)


_LOCAL = Text(
    en="{0} belongs to {2}.", nb="{0} hører hjemme i {2}.", da="{0} har forankring i {2}."
)


_NOT_LOCAL = Text(
    en="{0} belongs to {1}, not {2}.",
    nb="{0} hører hjemme i {1}, ikke {2}.",
    da="{0} har forankring i {1}, ikke {2}.",
)


@kind("registered")
@frozen(kw_only=True, cache_hash=True)
class Registered(_OfApplicant):
    """The applicant is registered, for example in Frivillighetsregisteret
    (`Organisation.registered`)."""

    trait: ClassVar[Trait] = Trait.REGISTERED


@kind("by_application")
@frozen(kw_only=True, cache_hash=True)
class ByApplication(GrantRule):
    """Grants are given on an application submitted by the day it is judged
    (`GrantApplication.submitted` is a date no later than `on`)."""

    def judge(
        self, policy: Policy, scheme: Scheme, application: GrantApplication, on: dt.date
    ) -> Judgement:
        if application.submitted is None:
            return None, _SUBMITTED_UNKNOWN, ("submitted",)
        if application.submitted > on:
            return False, _NOT_YET_SUBMITTED.format(on, application.submitted), ()
        return True, _SUBMITTED.format(application.submitted), ()


_SUBMITTED = Text(
    en="An application was submitted on {0}.",
    nb="Søknad ble sendt {0}.",
    da="Ansøgning blev indsendt {0}.",
)


_NOT_YET_SUBMITTED = Text(
    en="No application had been submitted by {0}; it is dated {1}.",
    nb="Ingen søknad var sendt innen {0}; den er datert {1}.",
    da="Ingen ansøgning var indsendt senest {0}; den er dateret {1}.",
)


_SUBMITTED_UNKNOWN = Text(
    en="Unknown whether and when an application was submitted.",
    nb="Ukjent om og når søknaden ble sendt.",
    da="Ukendt om og hvornår ansøgningen blev indsendt.",
)


@kind("within_budget")
@frozen(kw_only=True, cache_hash=True)
class WithinBudget(GrantRule):
    """The amount applied for is not more than the scheme's `budget`. Without a `budget` the
    finding is unknown and does not decide, whatever its `role`."""

    def judge(
        self, policy: Policy, scheme: Scheme, application: GrantApplication, on: dt.date
    ) -> Judgement:
        return _budget(scheme, application)

    def decides(self, scheme: Scheme) -> bool:
        return scheme.budget is not None and super().decides(scheme)


def _budget(scheme: Scheme, application: GrantApplication) -> Judgement:
    if scheme.budget is None:
        return None, _NO_BUDGET, ("budget",)
    if application.amount is None:
        return None, _AMOUNT_UNKNOWN, ("amount",)
    holds = application.amount <= scheme.budget
    return holds, (_WITHIN if holds else _OVER).format(application.amount, scheme.budget), ()


_NO_BUDGET = Text(
    en="The policy gives no amount for the budget frame, so it cannot be checked.",
    nb="Politikken oppgir ingen budsjettramme, så den kan ikke sjekkes.",
    da="Politikken angiver ingen budgetramme, så den kan ikke kontrolleres.",
)


_AMOUNT_UNKNOWN = Text(
    en="The amount applied for is unknown.",
    nb="Beløpet det søkes om er ukjent.",
    da="Ansøgt beløb er ukendt.",
)


_WITHIN = Text(
    en="{0} is within the budget frame of {1}.",
    nb="{0} er innenfor budsjettrammen på {1}.",
    da="{0} er inden for budgetrammen på {1}.",
)


_OVER = Text(
    en="{0} is more than the budget frame of {1}.",
    nb="{0} er mer enn budsjettrammen på {1}.",
    da="{0} er mere end budgetrammen på {1}.",
)


@kind("deadline")
@frozen(kw_only=True, cache_hash=True)
class BeforeDeadline(GrantRule):
    """The application is submitted by the yearly deadline (`day`.`month`) of the round in the
    year of the assessment date `on`; a deadline on a Saturday, Sunday or public holiday (in
    Denmark also 5 June, 24 and 31 December) moves to the next working day
    (`frivillighet.dates.deadline`). The day must exist in every year: not 29 February."""

    month: int = attrs.field(validator=in_range(1, 12))
    day: int = attrs.field(validator=in_range(1, 31))

    def __attrs_post_init__(self) -> None:
        try:
            dt.date(2023, self.month, self.day)
        except ValueError:
            raise InputError(f"no day {self.day} in month {self.month}", field="day") from None

    def __str__(self) -> str:
        return f"{self.day:02}-{self.month:02} every year"

    def judge(
        self, policy: Policy, scheme: Scheme, application: GrantApplication, on: dt.date
    ) -> Judgement:
        return _deadline(self, policy, application.submitted, on)


def _deadline(
    rule: BeforeDeadline, policy: Policy, submitted: dt.date | None, on: dt.date
) -> Judgement:
    due = dates.deadline(policy.country, dt.date(on.year, rule.month, rule.day))
    if submitted is None:
        return None, _SUBMITTED_UNKNOWN, ("submitted",)
    holds = submitted <= due
    return holds, (_IN_TIME if holds else _LATE).format(submitted, due), ()


_IN_TIME = Text(
    en="Submitted {0}, by the deadline {1}.",
    nb="Sendt {0}, innen fristen {1}.",
    da="Indsendt {0}, inden fristen {1}.",
)


_LATE = Text(
    en="Submitted {0}, after the deadline {1}.",
    nb="Sendt {0}, etter fristen {1}.",
    da="Indsendt {0}, efter fristen {1}.",
)


# --- Changes to the schemes ------------------------------------------------------------------


@frozen(kw_only=True, cache_hash=True)
class ConsultOnChanges(Rule):
    """Proposed changes to the support schemes are discussed with the council of kind `council`
    before a decision is made."""

    council: str


def assess_change(policy: Policy, change: SchemeChange) -> Verdict:
    """Whether a proposed change to the grant schemes was discussed with the council the policy
    names before the decision (on the day of the decision at the latest)."""
    if not isinstance(change, SchemeChange):
        raise InputError(f"expected a SchemeChange, got {type(change).__name__}", field="change")
    rules = policy.grants.consult_on_changes if policy.grants else ()
    if not rules:
        raise InputError(
            f"policy {policy.id!r} sets no rule for changing its grant schemes", field="policy"
        )
    return decide(tuple(judged(rule, _consulted(policy, rule, change)) for rule in rules))


def _consulted(policy: Policy, rule: ConsultOnChanges, change: SchemeChange) -> Judgement:
    council = policy.council(rule.council)
    name = council.name if council else rule.council
    missing = tuple(key for key in ("discussed", "decided") if getattr(change, key) is None)
    if change.discussed is None or change.decided is None:
        return (
            None,
            (_NOT_DISCUSSED if change.discussed is None else _UNDECIDED).format(name),
            missing,
        )
    if change.discussed == change.decided:
        text = _SAME_DAY
    else:
        text = _CONSULTED if change.discussed < change.decided else _TOO_LATE
    return (
        change.discussed <= change.decided,
        text.format(name, change.discussed, change.decided),
        (),
    )


_NOT_DISCUSSED = Text(
    en="Unknown when the change was discussed with {0}.",
    nb="Ukjent når endringen ble drøftet med {0}.",
    da="Ukendt hvornår ændringen blev drøftet med {0}.",
)


_UNDECIDED = Text(
    en="The date of the decision is unknown.",
    nb="Datoen for vedtaket er ukjent.",
    da="Datoen for beslutningen er ukendt.",
)


_SAME_DAY = Text(
    en="Discussed with {0} on {1}, the day of the decision.",
    nb="Drøftet med {0} {1}, samme dag som vedtaket.",
    da="Drøftet med {0} {1}, samme dag som beslutningen.",
)


_CONSULTED = Text(
    en="Discussed with {0} on {1}, before the decision on {2}.",
    nb="Drøftet med {0} {1}, før vedtaket {2}.",
    da="Drøftet med {0} {1}, før beslutningen {2}.",
)


_TOO_LATE = Text(
    en="Discussed with {0} on {1}, after the decision on {2}.",
    nb="Drøftet med {0} {1}, etter vedtaket {2}.",
    da="Drøftet med {0} {1}, efter beslutningen {2}.",
)
