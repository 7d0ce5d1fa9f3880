"""A municipality's volunteering policy as data: its parts, `load_policy()`, `builtin_policies()`.

A policy file (TOML) names the municipality and its source document, and configures the building
blocks of each concern: what counts as volunteer work, councils, obligations, grant schemes,
rental of premises, partnership agreements, and principles. Every rule carries its `Citation`.
Each building block is a class below whose `TAG` is the word used for it in policy files; the
rules in `frivillighet.rules` give them meaning. `docs/policy-format.md` documents every key.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import tomllib
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, TypeAlias, cast

import attrs
from attrs import frozen

from frivillighet import dates
from frivillighet.errors import InputError, PolicyError
from frivillighet.model import AgreementKind, Area, BodyKind, Organiser, PremisesKind, Purpose
from frivillighet.verdict import Citation, Language, Text

__all__ = [
    "Council",
    "Country",
    "Grants",
    "Obligation",
    "Partnership",
    "Period",
    "Policy",
    "Principle",
    "Rental",
    "Role",
    "Scheme",
    "Status",
    "VolunteerWork",
    "builtin_policies",
    "load_policy",
]


def _not_empty(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value:
        raise InputError("expected at least one entry", field=attribute.name)


def _in_range(key: str, value: int | None, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise InputError(f"expected an integer from {low} to {high}, got {value}", field=key)


class Country(StrEnum):
    """ISO 3166 alpha-2 code of the policy's country; it decides holidays and election periods."""

    NO = "NO"
    DK = "DK"


class Status(StrEnum):
    """Whether the policy is adopted or only proposed."""

    ADOPTED = "adopted"
    PROPOSED = "proposed"


class Role(StrEnum):
    """A grant criterion is a `condition` (decides) or a `priority` (reported, never decides)."""

    CONDITION = "condition"
    PRIORITY = "priority"


@frozen(kw_only=True, cache_hash=True)
class Rule:
    """A rule of the policy: its id (`<policy>.<concern>.<name>`) and where it comes from."""

    id: str
    source: Citation


# --- What counts as volunteer work (rules/volunteer_work.py) -------------------------------------


@frozen(kw_only=True, cache_hash=True)
class Unpaid(Rule):
    """The activity is unpaid. Documented expenses are never pay; a symbolic honorarium is not
    pay either, unless the policy is stricter (`honorarium_is_pay = true`)."""

    TAG: ClassVar[str] = "unpaid"
    honorarium_is_pay: bool = False


@frozen(kw_only=True, cache_hash=True)
class ForOthers(Rule):
    """The activity is done for others than one's own family."""

    TAG: ClassVar[str] = "for_others"


@frozen(kw_only=True, cache_hash=True)
class Organised(Rule):
    """The activity is organised in one of the ways listed in `by`."""

    TAG: ClassVar[str] = "organised"
    by: tuple[Organiser, ...] = attrs.field(validator=_not_empty)


@frozen(kw_only=True, cache_hash=True)
class ActiveParticipation(Rule):
    """The person takes part actively; membership alone is not volunteering."""

    TAG: ClassVar[str] = "active_participation"


@frozen(kw_only=True, cache_hash=True)
class InArea(Rule):
    """The activity belongs to one of `areas`."""

    TAG: ClassVar[str] = "area"
    areas: tuple[Area, ...] = attrs.field(validator=_not_empty)


VolunteerCriterion: TypeAlias = Unpaid | ForOthers | Organised | ActiveParticipation | InArea


@frozen(kw_only=True, cache_hash=True)
class VolunteerWork:
    """The policy's definition of volunteer work: every criterion must hold."""

    criteria: tuple[VolunteerCriterion, ...] = attrs.field(validator=_not_empty)


# --- Councils (rules/council.py) -----------------------------------------------------------------


@frozen(kw_only=True, cache_hash=True)
class OnePerBody(Rule):
    """One member for each body of kind `body`, and no body twice."""

    TAG: ClassVar[str] = "one_per_body"
    body: BodyKind


@frozen(kw_only=True, cache_hash=True)
class Seats(Rule):
    """Exactly `count` members sit for a body of kind `body`."""

    TAG: ClassVar[str] = "seats"
    body: BodyKind
    count: int

    def __attrs_post_init__(self) -> None:
        _in_range("count", self.count, 1, 1000)


@frozen(kw_only=True, cache_hash=True)
class Secretary(Rule):
    """The council's secretary is a body of kind `body`."""

    TAG: ClassVar[str] = "secretary"
    body: BodyKind


@frozen(kw_only=True, cache_hash=True)
class Excludes(Rule):
    """No member sits for a body of any kind in `bodies`."""

    TAG: ClassVar[str] = "excludes"
    bodies: tuple[BodyKind, ...] = attrs.field(validator=_not_empty)


@frozen(kw_only=True, cache_hash=True)
class MembersFrom(Rule):
    """Every member sits for a body of a kind in `bodies`."""

    TAG: ClassVar[str] = "members_from"
    bodies: tuple[BodyKind, ...] = attrs.field(validator=_not_empty)


@frozen(kw_only=True, cache_hash=True)
class ElectedBy(Rule):
    """Every member is elected by one of `electors` (the words used in `Member.elected_by`)."""

    TAG: ClassVar[str] = "elected_by"
    electors: tuple[str, ...] = attrs.field(validator=_not_empty)


@frozen(kw_only=True, cache_hash=True)
class Size(Rule):
    """The council has exactly `count` members."""

    TAG: ClassVar[str] = "size"
    count: int

    def __attrs_post_init__(self) -> None:
        _in_range("count", self.count, 1, 1000)


CouncilCriterion: TypeAlias = (
    OnePerBody | Seats | Size | Secretary | Excludes | MembersFrom | ElectedBy
)


@frozen(kw_only=True, cache_hash=True)
class Council:
    """A council the policy sets up; `kind` is the word used in `Council.kind` facts."""

    kind: str
    name: Text
    criteria: tuple[CouncilCriterion, ...] = attrs.field(validator=_not_empty)


# --- Obligations and their recurrence (rules/obligations.py) -------------------------------------


class Category(StrEnum):
    """What kind of obligation it is."""

    MEETING = "meeting"
    REPORT = "report"
    EVENT = "event"
    REVISION = "revision"
    BUDGET = "budget"
    TASK = "task"


@frozen(kw_only=True, cache_hash=True)
class Annual:
    """At least `times` a year; the window is the calendar year, or one `month` or `quarter`."""

    TAG: ClassVar[str] = "annual"
    month: int | None = None
    quarter: int | None = None
    times: int = 1

    def __attrs_post_init__(self) -> None:
        _in_range("month", self.month, 1, 12)
        _in_range("quarter", self.quarter, 1, 4)
        _in_range("times", self.times, 1, 366)
        if self.month is not None and self.quarter is not None:
            raise InputError("give either 'month' or 'quarter', not both", field="quarter")


@frozen(kw_only=True, cache_hash=True)
class EveryNYears:
    """Once in each calendar year `anchor + n·years` (n = 1, 2, ...)."""

    TAG: ClassVar[str] = "every_n_years"
    years: int
    anchor: int

    def __attrs_post_init__(self) -> None:
        _in_range("years", self.years, 1, 100)
        _in_range("anchor", self.anchor, 1800, 2200)


@frozen(kw_only=True, cache_hash=True)
class ElectionPeriod:
    """At least once in every municipal election period (valgperiode) of the policy's country."""

    TAG: ClassVar[str] = "election_period"


@frozen(kw_only=True, cache_hash=True)
class Once:
    """A single deadline; `due` is `None` where the source does not give (or masks) the date."""

    TAG: ClassVar[str] = "once"
    due: dt.date | None = None
    window_start: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.due and self.window_start and self.window_start > self.due:
            raise InputError("must not be after 'due'", field="window_start")


Recurrence: TypeAlias = Annual | EveryNYears | ElectionPeriod | Once


@frozen(kw_only=True, cache_hash=True)
class Obligation(Rule):
    """Something the policy requires to happen: a meeting, report, event, revision or task."""

    title: Text
    category: Category
    recurrence: Recurrence
    responsible: str | None = None
    convenes: str | None = None
    counterpart: str | None = None


# --- Grants (rules/grants.py) --------------------------------------------------------------------


@frozen(kw_only=True, cache_hash=True)
class GrantRule(Rule):
    """A criterion of a grant scheme: a `condition` decides, a `priority` is only reported."""

    role: Role = Role.CONDITION


@frozen(kw_only=True, cache_hash=True)
class GrantArea(GrantRule):
    """The application's area is one of `areas`."""

    TAG: ClassVar[str] = "area"
    areas: tuple[Area, ...] = attrs.field(validator=_not_empty)


@frozen(kw_only=True, cache_hash=True)
class NonProfit(GrantRule):
    """The applicant is non-profit."""

    TAG: ClassVar[str] = "non_profit"


@frozen(kw_only=True, cache_hash=True)
class VolunteerBased(GrantRule):
    """The applicant's work is volunteer-based."""

    TAG: ClassVar[str] = "volunteer_based"


@frozen(kw_only=True, cache_hash=True)
class Local(GrantRule):
    """The applicant belongs to the policy's municipality (local anchoring)."""

    TAG: ClassVar[str] = "local"


@frozen(kw_only=True, cache_hash=True)
class Registered(GrantRule):
    """The applicant is registered (for example in Frivillighetsregisteret)."""

    TAG: ClassVar[str] = "registered"


@frozen(kw_only=True, cache_hash=True)
class ByApplication(GrantRule):
    """Grants are given on a submitted application."""

    TAG: ClassVar[str] = "by_application"


@frozen(kw_only=True, cache_hash=True)
class WithinBudget(GrantRule):
    """The amount fits the scheme's budget frame, where the policy gives one."""

    TAG: ClassVar[str] = "within_budget"


@frozen(kw_only=True, cache_hash=True)
class BeforeDeadline(GrantRule):
    """The application is submitted by the yearly deadline (`month`, `day`) of the round decided
    in the assessment's year; a deadline on a non-working day moves to the next working day."""

    TAG: ClassVar[str] = "deadline"
    month: int
    day: int

    def __attrs_post_init__(self) -> None:
        _in_range("month", self.month, 1, 12)
        _in_range("day", self.day, 1, 31)
        try:
            dt.date(2023, self.month, self.day)
        except ValueError:
            raise InputError(f"no day {self.day} in month {self.month}", field="day") from None

    def __str__(self) -> str:
        return f"{self.day:02}-{self.month:02} every year"


GrantCriterion: TypeAlias = (
    GrantArea
    | NonProfit
    | VolunteerBased
    | Local
    | Registered
    | ByApplication
    | WithinBudget
    | BeforeDeadline
)


@frozen(kw_only=True, cache_hash=True)
class Scheme:
    """A grant scheme; `id` is the word used in `GrantApplication.scheme` (such as "tilskudd")."""

    id: str
    name: Text
    source: Citation
    criteria: tuple[GrantCriterion, ...] = ()
    budget: Decimal | None = None


@frozen(kw_only=True, cache_hash=True)
class ConsultOnChanges(Rule):
    """Proposed changes to the support schemes are discussed with the council of kind `council`
    before a decision is made."""

    council: str


@frozen(kw_only=True, cache_hash=True)
class Grants:
    """The policy's grant schemes, and the rules for changing them."""

    schemes: tuple[Scheme, ...] = ()
    consult_on_changes: tuple[ConsultOnChanges, ...] = ()


# --- Rental of municipal premises (rules/rental.py) ----------------------------------------------


class Days(StrEnum):
    """Which days a rental rule covers; weekdays are Monday–Friday that are not public holidays."""

    WEEKDAYS = "weekdays"
    WEEKENDS_AND_HOLIDAYS = "weekends_and_holidays"
    ANY = "any"


class Trait(StrEnum):
    """Traits of an `Organisation` that make it eligible under a rental rule."""

    NON_PROFIT = "non_profit"
    VOLUNTEER_BASED = "volunteer_based"
    LOCAL = "local"
    REGISTERED = "registered"


@frozen(kw_only=True, cache_hash=True)
class Hours:
    """A daily time span, from `start` to `end` (TOML local times such as `16:00:00`)."""

    start: dt.time
    end: dt.time

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InputError("must be after 'start'", field="end")

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@frozen(kw_only=True, cache_hash=True)
class RentalRule(Rule):
    """Who, for what, where and when a rental rule applies.

    Empty `purposes` means any purpose. An organisation is eligible when it has every trait in
    `requires` and, if `requires_one_of` is not empty, at least one of those.
    """

    premises: tuple[PremisesKind, ...] = tuple(PremisesKind)
    purposes: tuple[Purpose, ...] = ()
    days: Days = Days.ANY
    hours: Hours | None = None
    requires: tuple[Trait, ...] = ()
    requires_one_of: tuple[Trait, ...] = ()


@frozen(kw_only=True, cache_hash=True)
class FreeUse(RentalRule):
    """Free use when the whole booking falls inside the rule."""

    TAG: ClassVar[str] = "free"


@frozen(kw_only=True, cache_hash=True)
class Discount(RentalRule):
    """`percent` off the list price for the part of the booking inside the rule."""

    TAG: ClassVar[str] = "discount"
    percent: int

    def __attrs_post_init__(self) -> None:
        _in_range("percent", self.percent, 1, 100)


@frozen(kw_only=True, cache_hash=True)
class AtTariff(RentalRule):
    """Bookings inside the rule are simple rentals at the tariff's list price."""

    TAG: ClassVar[str] = "tariff"


RentalCriterion: TypeAlias = FreeUse | Discount | AtTariff


@frozen(kw_only=True, cache_hash=True)
class Rental:
    """Rules for bookings of municipal premises, applied in order."""

    rules: tuple[RentalCriterion, ...] = attrs.field(validator=_not_empty)


# --- Partnership agreements (rules/partnership.py) -----------------------------------------------


class AgreementPart(StrEnum):
    """Fields of an `Agreement` that a template section asks for."""

    PARTIES = "parties"
    PURPOSE = "purpose"
    MUNICIPALITY_DUTIES = "municipality_duties"
    VOLUNTEER_DUTIES = "volunteer_duties"
    ROUTINES = "routines"
    STARTS = "starts"
    ENDS = "ends"
    REVISION = "revision"
    TERMINATION = "termination"


@frozen(kw_only=True, cache_hash=True)
class Section:
    """A numbered section of an agreement template and the agreement fields that fill it."""

    number: int
    title: str
    fields: tuple[AgreementPart, ...] = attrs.field(validator=_not_empty)

    def __str__(self) -> str:
        return f"{self.number}. {self.title} ({', '.join(self.fields)})"


@frozen(kw_only=True, cache_hash=True)
class Template(Rule):
    """Agreements follow the template: every section present and not empty."""

    TAG: ClassVar[str] = "template"
    sections: tuple[Section, ...] = attrs.field(validator=_not_empty)

    def __attrs_post_init__(self) -> None:
        numbers = [section.number for section in self.sections]
        if len(set(numbers)) != len(numbers):
            raise InputError(f"section numbers must differ, got {numbers}", field="sections")


@frozen(kw_only=True, cache_hash=True)
class Supplement(Rule):
    """Volunteers supplement public services and never replace them."""

    TAG: ClassVar[str] = "supplement"


@frozen(kw_only=True, cache_hash=True)
class OrdinaryContract(Rule):
    """A body that delivers a municipal service does so under an ordinary contract, not a
    partnership agreement: agreements of kind `kind` are judged as such contracts."""

    TAG: ClassVar[str] = "ordinary_contract"
    kind: AgreementKind = AgreementKind.SERVICE_CONTRACT


@frozen(kw_only=True, cache_hash=True)
class Duration(Rule):
    """The agreement ends after it starts."""

    TAG: ClassVar[str] = "duration"


PartnershipCriterion: TypeAlias = Template | Supplement | OrdinaryContract | Duration


@frozen(kw_only=True, cache_hash=True)
class Partnership:
    """What a partnership or cooperation agreement with volunteers must satisfy."""

    criteria: tuple[PartnershipCriterion, ...] = attrs.field(validator=_not_empty)


# --- Principles and the policy itself ------------------------------------------------------------


@frozen(kw_only=True, cache_hash=True)
class Principle(Rule):
    """A commitment of the policy that no fact can check: listed and cited, never decided."""

    title: Text


@frozen(kw_only=True, cache_hash=True)
class Period:
    """The plan period in years, as in a title «2015 – 2019»: the first period, not an expiry."""

    first: int
    last: int

    def __attrs_post_init__(self) -> None:
        _in_range("first", self.first, 1800, 2200)
        _in_range("last", self.last, 1800, 2200)
        if self.last < self.first:
            raise InputError(f"must not be before 'first' ({self.first})", field="last")


@frozen(kw_only=True, cache_hash=True)
class Policy:
    """A municipality's volunteering policy, loaded with `load_policy()`."""

    id: str
    municipality: str
    country: Country
    language: Language
    timezone: str
    title: str
    document: str
    status: Status
    dated: dt.date | None = None
    adopted: dt.date | None = None
    in_force: dt.date | None = None
    period: Period | None = None
    ends: dt.date | None = None
    constituent_meetings: tuple[dt.date, ...] = ()
    volunteer_work: VolunteerWork | None = None
    councils: tuple[Council, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    grants: Grants | None = None
    rental: Rental | None = None
    partnership: Partnership | None = None
    principles: tuple[Principle, ...] = ()

    @property
    def start(self) -> dt.date | None:
        """When the policy applies from: in force, else adopted, else its first period year,
        else the document's date. Stays in force until `ends` (if any) or until replaced."""
        if self.in_force or self.adopted:
            return self.in_force or self.adopted
        if self.period:
            return dt.date(self.period.first, 1, 1)
        return self.dated

    def rules(self) -> Iterator[Rule]:
        """Every rule of the policy, each with its id and citation, in file order."""
        for _, value in _keyed(self, ""):
            if isinstance(value, Rule):
                yield value

    def council(self, kind: str) -> Council | None:
        """The council of `kind`, or `None` when the policy defines none."""
        return next((council for council in self.councils if council.kind == kind), None)


# --- Loading -------------------------------------------------------------------------------------

_POLICY_ID = re.compile(r"[a-z][a-z0-9_-]*")


@functools.cache
def _converter() -> Any:
    from frivillighet.conversion import register_tagged, strict_converter

    converter = strict_converter()
    for union in (
        VolunteerCriterion,
        CouncilCriterion,
        Recurrence,
        GrantCriterion,
        RentalCriterion,
        PartnershipCriterion,
    ):
        register_tagged(converter, union, union.__args__, "kind" if union is Recurrence else "test")
    return converter


def builtin_policies() -> tuple[str, ...]:
    """The ids of the policies that ship with the library, sorted."""
    folder = resources.files("frivillighet") / "policies"
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


def load_policy(id_or_path: str | Path) -> Policy:
    """A built-in policy by id (see `builtin_policies()`), or a policy file (`.toml`) by path."""
    name = str(id_or_path)
    if isinstance(id_or_path, Path) or name.endswith(".toml") or "/" in name or "\\" in name:
        return _load_file(Path(id_or_path))
    if name not in builtin_policies():
        known = ", ".join(builtin_policies())
        raise PolicyError(f"unknown policy id {name!r}; built-in policies are: {known}")
    return _load_builtin(name)


@functools.cache
def _load_builtin(policy_id: str) -> Policy:
    text = (resources.files("frivillighet") / "policies" / f"{policy_id}.toml").read_text("utf-8")
    return parse_policy(text, f"{policy_id}.toml")


def _load_file(path: Path) -> Policy:
    try:
        if path.stat().st_size > 4 * MAX_POLICY_SIZE:
            raise PolicyError(f"larger than {MAX_POLICY_SIZE} characters", file=str(path))
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise PolicyError("no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"cannot read the file ({error})", file=str(path)) from None
    return parse_policy(text, str(path))


MAX_POLICY_SIZE = 1_000_000
"""The largest policy file read, in characters; the five seeds are under 20 000."""


def parse_policy(text: str, file: str = "<policy>") -> Policy:
    """A policy from the text of a policy file; `file` names it in errors."""
    if len(text) > MAX_POLICY_SIZE:
        raise PolicyError(f"larger than {MAX_POLICY_SIZE} characters", file=file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"not valid TOML ({error})", file=file) from None
    except RecursionError:
        raise PolicyError("nested too deeply", file=file) from None
    return policy_from_data(data, file)


def policy_from_data(data: dict[str, Any], file: str = "<policy>") -> Policy:
    """A policy from the tables of a parsed policy file (not changed); `file` names it in errors."""
    from frivillighet.conversion import problems

    data = copy.deepcopy(data)
    document = data.get("document")
    if document is not None and (not isinstance(document, str) or not document.strip()):
        raise PolicyError(
            f"expected the source document's name, got {document!r}", file=file, key="document"
        )
    _cite_document(data, document)
    try:
        policy: Policy = _converter().structure(data, Policy)
    except RecursionError:
        raise PolicyError("nested too deeply", file=file) from None
    except Exception as error:  # cattrs gathers every problem; report the first, with its path
        key, message = next(problems(error))
        raise PolicyError(message, file=file, key=key or None) from None
    for key, message in _consistency(policy):
        raise PolicyError(message, file=file, key=key)
    return policy


def _cite_document(value: Any, document: str | None) -> None:
    """Give every `source` table without its own `document` the policy's document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "source" and isinstance(item, dict) and document is not None:
                item.setdefault("document", document)
            else:
                _cite_document(item, document)
    elif isinstance(value, list):
        for item in value:
            _cite_document(item, document)


def _consistency(policy: Policy) -> Iterator[tuple[str, str]]:
    """Problems that span several keys: ids, time zone, unique names."""
    if not _POLICY_ID.fullmatch(policy.id):
        yield "id", f"expected lowercase letters, digits, '-' or '_', got {policy.id!r}"
    try:
        zoneinfo.ZoneInfo(policy.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        yield "timezone", f"unknown time zone {policy.timezone!r}; expected an IANA name"
    rule_id = re.compile(rf"{re.escape(policy.id)}\.[a-z0-9_.-]+")
    for rule in policy.rules():
        if not rule_id.fullmatch(rule.id):
            yield (
                _where(policy, rule),
                (
                    f"rule id {rule.id!r} must be '{policy.id}.' and a name"
                    " (lowercase letters, digits, '.', '-', '_')"
                ),
            )
    start = policy.start
    if policy.ends and start and policy.ends < start:
        yield "ends", f"must not be before the policy starts ({start})"
    kinds = [council.kind for council in policy.councils]
    defined = ", ".join(kinds) or "none"
    for index, rule in enumerate(policy.grants.consult_on_changes if policy.grants else ()):
        if rule.council not in kinds:
            yield (
                f"grants.consult_on_changes[{index}].council",
                (f"no council of kind {rule.council!r}; the policy has: {defined}"),
            )
    for index, meeting in enumerate(policy.constituent_meetings):
        if policy.country != Country.NO:
            yield (
                "constituent_meetings",
                "only Norwegian councils have constituent meetings to record",
            )
        elif not dates.election_year("NO", meeting.year) or meeting > dt.date(meeting.year, 10, 31):
            yield (
                f"constituent_meetings[{index}]",
                (f"expected a date from an election year up to 31 October, got {meeting}"),
            )
    for name, items, key in (
        ("obligations", policy.obligations, "id"),
        ("councils", policy.councils, "kind"),
        ("grants.schemes", policy.grants.schemes if policy.grants else (), "id"),
    ):
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                yield f"{name}[{index}].{key}", f"{value!r} is used twice"
            seen.add(value)


def _where(policy: Policy, rule: Rule) -> str:
    return next(key for key, value in _keyed(policy, "") if value is rule) + ".id"


def _keyed(value: object, path: str) -> Iterator[tuple[str, object]]:
    yield path, value
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _keyed(item, f"{path}[{index}]")
    elif attrs.has(type(value)) and not isinstance(value, Citation | Text):
        for attribute in attrs.fields(cast(Any, type(value))):
            step = f"{path}.{attribute.name}" if path else attribute.name
            yield from _keyed(getattr(value, attribute.name), step)
