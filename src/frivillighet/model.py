"""Facts the rules judge: activities, organisations, councils, meetings, bookings, applications.

Every fact is a frozen, keyword-only `attrs` class that validates at construction: a wrong value
raises `InputError` naming the field. Every field may be `None`, meaning *unknown*; a verdict that
needs an unknown fact is `UNDETERMINED` and names it. A field also accepts its JSON form: an enum
its word, a date or date-time its ISO 8601 text (`iso`), an amount a decimal string. The
constructors are the one place that decides whether a fact value is valid; `fv.from_json` builds
facts through them, so a wrong value is worded the same way from every entry point.
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
from attrs import frozen

from frivillighet.dates import SUPPORTED, supported
from frivillighet.errors import InputError

__all__ = [
    "Activity",
    "Agreement",
    "AgreementKind",
    "Area",
    "Beneficiary",
    "Body",
    "BodyKind",
    "Booking",
    "Compulsion",
    "Council",
    "GrantApplication",
    "Hearing",
    "Meeting",
    "Member",
    "Organisation",
    "Organiser",
    "Participation",
    "Pay",
    "Premises",
    "PremisesKind",
    "Purpose",
    "Review",
    "SchemeChange",
    "Tariff",
]


class Pay(StrEnum):
    """What the person doing the activity is paid."""

    NONE = "none"
    EXPENSES = "expenses"
    """Reimbursement of documented expenses only."""
    HONORARIUM = "honorarium"
    """A small, symbolic payment."""
    WAGE = "wage"


class Beneficiary(StrEnum):
    """Who the activity is done for."""

    OTHERS = "others"
    OWN_FAMILY = "own_family"


class Organiser(StrEnum):
    """How the activity is organised."""

    ASSOCIATION = "association"
    """Through a lag, forening or organisation."""
    AGREEMENT = "agreement"
    """By agreement with the municipality or another body."""
    NONE = "none"
    """Informally, on one's own."""


class Participation(StrEnum):
    """Whether the person takes part actively or is only a member."""

    ACTIVE = "active"
    MEMBERSHIP_ONLY = "membership_only"


class Compulsion(StrEnum):
    """Whether anyone compels the person to do the activity."""

    NONE = "none"
    """Done of the person's own free will."""
    COMPELLED = "compelled"
    """Done under compulsion: ordered by a court or an authority, a condition of benefits, or
    under threat of sanctions if the person stops (which cases count is the caller's reading:
    docs/interpretations.md § 32)."""


class Area(StrEnum):
    """The field an activity, organisation or grant belongs to."""

    SOCIAL = "social"
    SPORT = "sport"
    CULTURE = "culture"
    HEALTH = "health"
    ENVIRONMENT = "environment"
    CHILDREN_AND_YOUTH = "children_and_youth"
    EMERGENCY = "emergency"
    OTHER = "other"


class BodyKind(StrEnum):
    """Kinds of bodies a council member can sit for."""

    BYGDEUTVALG = "bygdeutvalg"
    FRIVILLIGSENTRAL = "frivilligsentral"
    IDRETTSRAD = "idrettsrad"
    ORGANISATION = "organisation"
    MUNICIPALITY = "municipality"
    POLITICAL_PARTY = "political_party"
    RESIDENTS = "residents"


class PremisesKind(StrEnum):
    """Kinds of municipal premises."""

    SCHOOL = "school"
    SPORTS_FACILITY = "sports_facility"
    CULTURE_HOUSE = "culture_house"
    OTHER = "other"


class Purpose(StrEnum):
    """What premises are booked for."""

    TRAINING = "training"
    REHEARSAL = "rehearsal"
    MEETING = "meeting"
    EVENT = "event"
    COMMERCIAL = "commercial"


class AgreementKind(StrEnum):
    """A partnership (samarbeids-/partnerskapsavtale) or an ordinary service contract."""

    PARTNERSHIP = "partnership"
    SERVICE_CONTRACT = "service_contract"


T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
D = TypeVar("D", dt.date, dt.datetime, dt.time)


def problem(expected: str, value: object) -> str:
    """How every wrong fact value is worded: `expected a string, got 3 (int)`."""
    return f"expected {expected}, got {shown(value)} ({type(value).__name__})"


def shown(value: object) -> str:
    """`value` as an error shows it: its `repr`, cut to 60 characters, and never failing on
    deeply nested data or integers too long to print."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        try:
            text = _SHALLOW.repr(value)
        except (ValueError, RecursionError):
            text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


_SHALLOW = reprlib.Repr()
_SHALLOW.maxlevel = 3


def noun(kind: type) -> str:
    """A fact type as an error names it: `a Body`, `an Activity`."""
    return f"{'an' if kind.__name__[:1] in 'AEIOU' else 'a'} {kind.__name__}"


_ISO = {
    dt.date: "a date (YYYY-MM-DD)",
    dt.datetime: "a date and time (ISO 8601)",
    dt.time: "a time of day (HH:MM:SS)",
}


def iso(kind: type[D], value: object, *, field: str | None = None) -> D:
    """`value` as a `kind` (`date`, `datetime` or `time`): a `kind` as it is, or parsed from its
    ISO 8601 text (`fromisoformat`); a datetime is not a date. The library's one date parser:
    a bad date is an `InputError` naming `field`, worded the same wherever it was given. A date,
    or a date-time's own (local) date, must lie in the supported range `dates.FIRST_DAY` to
    `dates.LAST_DAY`; its instant in UTC may then be up to a day outside it, which is safe."""
    parsed: object = None
    if isinstance(value, kind) and not (kind is dt.date and isinstance(value, dt.datetime)):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = kind.fromisoformat(value)
        except ValueError:
            pass
        else:
            if isinstance(parsed, dt.time) and parsed.tzinfo is not None:  # local, no offset
                parsed = None
    if parsed is None:
        raise InputError(problem(_ISO[kind], value), field=field)
    if isinstance(parsed, dt.date) and not supported(parsed):
        raise InputError(problem(f"{_ISO[kind][:-1]}, from {SUPPORTED})", value), field=field)
    return parsed  # type: ignore[return-value]


def _name(instance: object, field: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{field.name}"


def _fail(
    instance: object, field: attrs.Attribute[Any], expected: str, value: object, at: str = ""
) -> InputError:
    """A wrong value of `field`, or of its item `at` (`[2]`, `['school']`)."""
    return InputError(problem(expected, value), field=_name(instance, field) + at)


def _converter(check: Any) -> Any:
    return attrs.Converter(check, takes_self=True, takes_field=True)


def _optional(
    check: Any, *, hash: bool | None = None, metadata: Mapping[str, Any] | None = None
) -> Any:
    """An optional keyword field (default `None` = unknown) converted and checked by `check`."""

    def convert(value: Any, instance: object, field: attrs.Attribute[Any]) -> Any:
        return None if value is None else check(value, instance, field)

    return attrs.field(
        default=None, converter=_converter(convert), hash=hash, metadata=metadata or {}
    )


def _string(value: Any, instance: object, field: attrs.Attribute[Any], at: str = "") -> str:
    if not isinstance(value, str):
        raise _fail(instance, field, "a string", value, at)
    if _SURROGATE.search(value):
        expected = "text without lone surrogates (UTF-8 cannot hold them)"
        raise InputError(problem(expected, value), field=_name(instance, field) + at)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def text() -> Any:
    """A string fact: any text that can be written as UTF-8 (a lone surrogate cannot). The
    command line escapes control characters when it prints a fact."""
    return _optional(_string)


def flag() -> Any:
    """A yes/no fact (`True` or `False`; numbers are not accepted)."""

    def check(value: Any, instance: object, field: attrs.Attribute[Any]) -> bool:
        if not isinstance(value, bool):
            raise _fail(instance, field, "true or false", value)
        return value

    return _optional(check)


def choice(kind: type[E]) -> Any:
    """A value of the enum `kind`, given as the member or its string value."""
    expected = "one of " + ", ".join(kind)

    def check(value: Any, instance: object, field: attrs.Attribute[Any]) -> E:
        if isinstance(value, kind):
            return value
        try:
            return kind(value)
        except (ValueError, TypeError):
            raise _fail(instance, field, expected, value) from None

    return _optional(check)


def day() -> Any:
    """A calendar date: a `datetime.date` (not a `datetime`) or its text `YYYY-MM-DD`."""

    def check(value: Any, instance: object, field: attrs.Attribute[Any]) -> dt.date:
        return iso(dt.date, value, field=_name(instance, field))

    return _optional(check)


def moment() -> Any:
    """A point in time: a `datetime.datetime` or its ISO 8601 text."""

    def check(value: Any, instance: object, field: attrs.Attribute[Any]) -> dt.datetime:
        return iso(dt.datetime, value, field=_name(instance, field))

    return _optional(check)


MAX_AMOUNT = Decimal(1_000_000_000)
"""The largest amount of money, and the largest hourly rate, the library reads."""
MAX_PLACES = 4
"""The most decimal places an amount or rate may have (to the øre is two)."""
_STEP = Decimal(1).scaleb(-MAX_PLACES)


def bounded(amount: Decimal) -> bool:
    """Whether `amount` is finite, from 0 to `MAX_AMOUNT`, with at most `MAX_PLACES` decimal
    places (trailing zeros do not count): so that every price and sum of them is exact."""
    return (
        amount.is_finite()
        and 0 <= amount <= MAX_AMOUNT
        and amount.quantize(_STEP) == amount  # safe: the amount is small by now
    )


AMOUNT = f"an amount from 0 to {MAX_AMOUNT} with at most {MAX_PLACES} decimal places"
"""What an amount must be, as error messages word it."""


def _money(value: Any, instance: object, field: attrs.Attribute[Any], at: str = "") -> Decimal:
    words = "an amount (Decimal, int or decimal string)"
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise _fail(instance, field, words, value, at)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise _fail(instance, field, AMOUNT, value, at)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise _fail(instance, field, words, value, at) from None
    if not bounded(amount):
        raise _fail(instance, field, AMOUNT, value, at)
    return amount


def money() -> Any:
    """An amount of money: a `Decimal`, an `int` or a decimal string (never a float), from 0 to
    `MAX_AMOUNT` with at most `MAX_PLACES` decimal places."""
    return _optional(_money)


def one(kind: type[T]) -> Any:
    """A nested fact of type `kind` (`fv.from_json` builds it from a table first)."""

    def check(value: Any, instance: object, field: attrs.Attribute[Any]) -> T:
        if not isinstance(value, kind):
            raise _fail(instance, field, noun(kind), value)
        return value

    return _optional(check, metadata={"fact": kind})


def many(kind: type[T], *, each: str = "", of: str = "") -> Any:
    """A tuple of `kind` (a list is accepted and stored as a tuple); a wrong item is named by its
    index, as in `Council.members[2]`. `each` and `of` word an item and the items."""
    each, of = each or noun(kind), of or kind.__name__

    def check(value: Any, instance: object, field: attrs.Attribute[Any]) -> tuple[T, ...]:
        if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
            raise _fail(instance, field, f"a sequence of {of}", value)
        items = tuple(value)
        for index, item in enumerate(items):
            if not isinstance(item, kind):
                raise _fail(instance, field, each, item, f"[{index}]")
        return items

    return _optional(check, metadata={"fact": kind, "many": True} if attrs.has(kind) else None)


def texts() -> Any:
    """A tuple of strings (a list is accepted and stored as a tuple), each as `text()` checks it."""

    def check(value: Any, instance: object, field: attrs.Attribute[Any]) -> tuple[str, ...]:
        if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
            raise _fail(instance, field, "a sequence of strings", value)
        return tuple(_string(item, instance, field, f"[{i}]") for i, item in enumerate(value))

    return _optional(check)


@frozen(kw_only=True, cache_hash=True)
class Activity:
    """Something a person does, to be judged as volunteer work or not."""

    description: str | None = text()
    pay: Pay | None = choice(Pay)
    beneficiary: Beneficiary | None = choice(Beneficiary)
    organised_by: Organiser | None = choice(Organiser)
    participation: Participation | None = choice(Participation)
    compulsion: Compulsion | None = choice(Compulsion)
    area: Area | None = choice(Area)


@frozen(kw_only=True, cache_hash=True)
class Organisation:
    """A lag, forening or other organisation: applicant, booker or agreement party."""

    name: str | None = text()
    non_profit: bool | None = flag()
    volunteer_based: bool | None = flag()
    municipality: str | None = text()
    area: Area | None = choice(Area)
    registered: bool | None = flag()


@frozen(kw_only=True, cache_hash=True)
class Body:
    """A body a council member sits for, or a council's secretary; `municipality` is where it
    belongs (Vesthimmerland: «de frivillige organisationer i kommunen»)."""

    kind: BodyKind | None = choice(BodyKind)
    name: str | None = text()
    municipality: str | None = text()


@frozen(kw_only=True, cache_hash=True)
class Member:
    """A seat on a council: who, for which body, and who elected them."""

    name: str | None = text()
    represents: Body | None = one(Body)
    elected_by: str | None = text()


@frozen(kw_only=True, cache_hash=True)
class Council:
    """A council of a kind the policy defines (`"frivillighetsrad"`, `"frivilligrad"`, ...)."""

    kind: str | None = text()
    members: tuple[Member, ...] | None = many(Member)
    secretary: Body | None = one(Body)


@frozen(kw_only=True, cache_hash=True)
class Meeting:
    """A record that an obligation's meeting, report, event or revision was held on `held`."""

    obligation: str | None = text()
    held: dt.date | None = day()


@frozen(kw_only=True, cache_hash=True)
class Premises:
    """Municipal premises that can be booked."""

    name: str | None = text()
    kind: PremisesKind | None = choice(PremisesKind)


@frozen(kw_only=True, cache_hash=True)
class Booking:
    """A booking of premises by an organisation, from `start` to `end`.

    `start` and `end` are both naive (local time in the policy's time zone, read with their
    `fold` where the clock repeats) or both aware (instants). The end must come after the start:
    checked here as far as the times alone tell, and as instants in the policy's time zone when
    the booking is priced."""

    premises: Premises | None = one(Premises)
    organisation: Organisation | None = one(Organisation)
    purpose: Purpose | None = choice(Purpose)
    start: dt.datetime | None = moment()
    end: dt.datetime | None = moment()

    def __attrs_post_init__(self) -> None:
        if self.start is None or self.end is None:
            return
        if (self.start.utcoffset() is None) != (self.end.utcoffset() is None):
            raise InputError(
                "start and end must both be naive or both be aware", field="Booking.end"
            )
        start, end = _utc(self.start), _utc(self.end)
        if end <= start and (start.utcoffset() is not None or (start.fold, end.fold) != (0, 1)):
            raise InputError(
                f"must be after start ({self.start.isoformat()}), got {self.end.isoformat()}",
                field="Booking.end",
            )


def _utc(moment: dt.datetime) -> dt.datetime:
    """An aware `moment` as a real instant (aware times in one zone compare by the clock, not by
    time); a naive one as it is. Naive times compare by the clock, which is their order in every
    time zone unless the start is the first occurrence of a repeated hour and the end the
    second (`fold=1`): only the zone can tell whether such an end is after the start."""
    return moment if moment.utcoffset() is None else moment.astimezone(dt.UTC)


def rates() -> Any:
    """Hourly rates by premises kind: a mapping stored read-only, left out of the hash; each
    rate an amount as `money()` reads it."""
    return _optional(_hourly, hash=False)


def _hourly(value: Any, instance: object, field: attrs.Attribute[Any]) -> Any:
    if not isinstance(value, Mapping):
        raise _fail(instance, field, "a mapping of premises kind to hourly rate", value)
    rates: dict[PremisesKind, Decimal] = {}
    for key, rate in value.items():
        try:
            kind = PremisesKind(key)
        except ValueError:
            expected = "a premises kind: one of " + ", ".join(PremisesKind)
            raise _fail(instance, field, expected, key, f"[{key!r}]") from None
        rates[kind] = _money(rate, instance, field, f"[{kind.value!r}]")
    return MappingProxyType(rates)


@frozen(kw_only=True, cache_hash=True)
class Tariff:
    """Hourly rates by premises kind, in `currency` (ISO 4217, such as `NOK` or `DKK`)."""

    currency: str | None = text()
    hourly: Mapping[PremisesKind, Decimal] | None = rates()


@frozen(kw_only=True, cache_hash=True)
class GrantApplication:
    """An application for a grant under one of the policy's schemes."""

    applicant: Organisation | None = one(Organisation)
    scheme: str | None = text()
    amount: Decimal | None = money()
    purpose: str | None = text()
    area: Area | None = choice(Area)
    submitted: dt.date | None = day()


@frozen(kw_only=True, cache_hash=True)
class SchemeChange:
    """A proposed change to the grant schemes: when it was discussed with the council, and
    when it was (or is to be) decided."""

    description: str | None = text()
    discussed: dt.date | None = day()
    decided: dt.date | None = day()


@frozen(kw_only=True, cache_hash=True)
class Agreement:
    """A partnership agreement or service contract between the municipality and volunteers.

    `open_ended` is true for an agreement that runs until it is terminated (no end date), false
    for one that runs to a date (`ends`). An open-ended agreement with an end date contradicts
    itself: `ends` must then be `None`."""

    kind: AgreementKind | None = choice(AgreementKind)
    parties: tuple[str, ...] | None = texts()
    purpose: str | None = text()
    municipality_duties: str | None = text()
    volunteer_duties: str | None = text()
    routines: str | None = text()
    starts: dt.date | None = day()
    ends: dt.date | None = day()
    open_ended: bool | None = flag()
    revision: str | None = text()
    termination: str | None = text()
    replaces_public_service: bool | None = flag()

    def __attrs_post_init__(self) -> None:
        if self.open_ended and self.ends is not None:
            raise InputError(
                "an open-ended agreement runs until it is terminated and has no end date, "
                f"got {self.ends.isoformat()}",
                field="Agreement.ends",
            )


@frozen(kw_only=True, cache_hash=True)
class Review:
    """What a look at something a policy's checklist describes found: which of the checklist's
    items (by id) are `present` and which `absent`; an item in neither list is unknown. `subject`
    says what was looked at («frivilligportalen, 1.12.2026»)."""

    subject: str | None = text()
    present: tuple[str, ...] | None = texts()
    absent: tuple[str, ...] | None = texts()

    def __attrs_post_init__(self) -> None:
        both = set(self.present or ()) & set(self.absent or ())
        for index, item in enumerate(self.absent or ()):
            if item in both:
                raise InputError(
                    f"{item!r} is also present; an item is present or absent, not both",
                    field=f"Review.absent[{index}]",
                )


@frozen(kw_only=True, cache_hash=True)
class Hearing:
    """A public consultation (høring) on a municipal matter: whether it is part of a municipal
    planning process (`planning`) and whom it was sent to (`consultees`, by name, as the
    hearing's list of consultees gives them)."""

    subject: str | None = text()
    planning: bool | None = flag()
    consultees: tuple[str, ...] | None = texts()
