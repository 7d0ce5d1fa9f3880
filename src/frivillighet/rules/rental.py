"""Rental of municipal premises: the price of a `Booking` under a `Tariff` and the policy's rules.

Lier 3.1: «Kommunen stiller skolelokaler, idrettsanlegg og andre lokaler til rådighet for
frivillige organisasjoner og andre ikke-kommersielle tiltak i nærmiljøet etter fastsatte regler.
Gratis treningstid/øvelser og møter på ukedager og enkle utleiebookinger skal være
hovedprinsippene.»

The list price is the booking's real elapsed hours × the tariff's hourly rate for the premises
kind. Each moment of the booking takes the first rule that covers it (premises, purpose,
organisation, day and hours); free time costs nothing, a discount takes its percentage off, and
time no rule covers costs the list rate: a booking that crosses from free into paid time pays
for the paid part, pro rata. Money is rounded to 0.01, half up. Weekdays are Monday–Friday that
are not public holidays of the policy's country. Naive datetimes are local time in the policy's
time zone; aware datetimes are converted to it.
"""

from __future__ import annotations

import abc
import datetime as dt
import itertools
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs
from attrs import frozen

from frivillighet import dates
from frivillighet.errors import InputError
from frivillighet.model import Booking, Organisation, PremisesKind, Purpose, Tariff
from frivillighet.rules.common import (
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
    trait_of,
)
from frivillighet.verdict import Finding, Outcome, Text, Verdict

if TYPE_CHECKING:
    from frivillighet.policy import Policy


__all__ = [
    "AtTariff",
    "Days",
    "Discount",
    "FreeUse",
    "Hours",
    "Quote",
    "Rental",
    "RentalRule",
    "quote",
]


_CENT = Decimal("0.01")


_HOUR = Decimal(3600)


# --- The rules for bookings ------------------------------------------------------------------


class Days(StrEnum):
    """Which days a rental rule covers; weekdays are Monday–Friday that are not public holidays."""

    WEEKDAYS = "weekdays"
    WEEKENDS_AND_HOLIDAYS = "weekends_and_holidays"
    ANY = "any"


_DAYS = {
    Days.WEEKDAYS: Text(
        en="weekdays (Monday–Friday, not public holidays)",
        nb="ukedager (mandag–fredag, ikke helligdager)",
        da="hverdage (mandag–fredag, ikke helligdage)",
    ),
    Days.WEEKENDS_AND_HOLIDAYS: Text(
        en="weekends and public holidays", nb="helger og helligdager", da="weekender og helligdage"
    ),
    Days.ANY: Text(en="any day", nb="alle dager", da="alle dage"),
}


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


_HOURS = Text(en="{0}, {1}", nb="{0}, {1}", da="{0}, {1}")


@family()
@frozen(kw_only=True, cache_hash=True)
class RentalRule(Rule, abc.ABC):
    """Who, for what, where and when a rental rule applies, and what it leaves to pay.

    Empty `purposes` means any purpose. An organisation is eligible when it has every trait in
    `requires` and, if `requires_one_of` is not empty, at least one of those.
    """

    premises: tuple[PremisesKind, ...] = tuple(PremisesKind)
    purposes: tuple[Purpose, ...] = ()
    days: Days = Days.ANY
    hours: Hours | None = None
    requires: tuple[Trait, ...] = ()
    requires_one_of: tuple[Trait, ...] = ()

    @abc.abstractmethod
    def share(self) -> Decimal:
        """The part of the list rate left to pay for time the rule covers."""

    @abc.abstractmethod
    def covering(self, covered: Decimal, total: Decimal) -> Judgement:
        """The finding of a rule that applies to the booking, for the seconds it `covered` of
        the booking's `total`."""


@frozen(kw_only=True, cache_hash=True)
class Rental:
    """Rules for bookings of municipal premises, applied in order: each moment of a booking
    takes the first rule that covers it."""

    rules: tuple[RentalRule, ...] = attrs.field(validator=not_empty)


class _Reduced(RentalRule):
    """A rule that lowers the price of the time it covers."""

    __slots__ = ()

    @abc.abstractmethod
    def effect(self) -> Text:
        """What the rule does to the price («free», «25 % off»)."""

    def covering(self, covered: Decimal, total: Decimal) -> Judgement:
        if covered == total:
            return True, _WHOLE.format(self.effect()), ()
        days = _DAYS[self.days]
        when = _HOURS.format(days, self.hours) if self.hours else days
        if covered == 0:
            return False, _OUTSIDE.format(when), ()
        return False, _PART.format(_hours(covered), _hours(total), self.effect(), when), ()


_WHOLE = Text(
    en="The whole booking falls under this rule: {0}.",
    nb="Hele bookingen faller inn under denne regelen: {0}.",
    da="Hele bookingen falder ind under denne regel: {0}.",
)


_PART = Text(
    en="{0} of {1} hours fall under this rule ({2}); the rest, outside {3}, is charged.",
    nb="{0} av {1} timer faller inn under denne regelen ({2}); resten, utenfor {3}, betales.",
    da="{0} af {1} timer falder ind under denne regel ({2}); resten, uden for {3}, betales.",
)


_OUTSIDE = Text(
    en="The booking lies outside {0}.",
    nb="Bookingen ligger utenfor {0}.",
    da="Bookingen ligger uden for {0}.",
)


@kind("free")
@frozen(kw_only=True, cache_hash=True)
class FreeUse(_Reduced):
    """Free use of the time the rule covers (Lier: «Gratis treningstid/øvelser og møter på
    ukedager»)."""

    def share(self) -> Decimal:
        return Decimal(0)

    def effect(self) -> Text:
        return _FREE


_FREE = Text(en="free", nb="gratis", da="gratis")


@kind("discount")
@frozen(kw_only=True, cache_hash=True)
class Discount(_Reduced):
    """`percent` off the list price for the part of the booking the rule covers."""

    percent: int = attrs.field(validator=in_range(1, 100))

    def share(self) -> Decimal:
        return Decimal(100 - self.percent) / 100

    def effect(self) -> Text:
        return _DISCOUNT.format(self.percent)


_DISCOUNT = Text(en="{0} % off", nb="{0} % rabatt", da="{0} % rabat")


@kind("tariff")
@frozen(kw_only=True, cache_hash=True)
class AtTariff(RentalRule):
    """Bookings the rule covers are simple rentals at the tariff's list price (Lier: «enkle
    utleiebookinger»)."""

    def share(self) -> Decimal:
        return Decimal(1)

    def covering(self, covered: Decimal, total: Decimal) -> Judgement:
        return True, _AT_TARIFF.format(_hours(covered)) if covered else _NOTHING_AT_TARIFF, ()


_AT_TARIFF = Text(
    en="A simple rental at the tariff for the {0} hours no other rule covers.",
    nb="En enkel utleie etter satsene for de {0} timene ingen annen regel dekker.",
    da="En enkel udlejning efter taksten for de {0} timer, ingen anden regel dækker.",
)


_NOTHING_AT_TARIFF = Text(
    en="No part of the booking is charged at the tariff.",
    nb="Ingen del av bookingen betales etter satsene.",
    da="Ingen del af bookingen betales efter taksten.",
)


# --- The price of a booking ------------------------------------------------------------------


@frozen(kw_only=True, cache_hash=True)
class Quote:
    """What a booking costs: `list_price` at the tariff, `price` after the policy's rules, and a
    verdict whose findings say which rule made it free or cheaper, or why not. `price` and
    `list_price` are `None` when a fact they need is unknown (the verdict names it)."""

    price: Decimal | None
    list_price: Decimal | None
    currency: str
    verdict: Verdict


def quote(policy: Policy, booking: Booking, tariff: Tariff) -> Quote:
    """The price of `booking` under `tariff` and the policy's rental rules.

    The verdict is `YES` when the rules make the booking free or cheaper (wholly or in part),
    `NO` when the full tariff applies, and `UNDETERMINED` when a fact the price needs is unknown.
    """
    if not isinstance(booking, Booking):
        raise InputError(f"expected a Booking, got {type(booking).__name__}", field="booking")
    if not isinstance(tariff, Tariff):
        raise InputError(f"expected a Tariff, got {type(tariff).__name__}", field="tariff")
    if tariff.currency is None:
        raise InputError("unknown; a quote needs the currency", field="Tariff.currency")
    kind = booking.premises.kind if booking.premises else None
    rate = _rate(tariff, kind)
    rules = policy.rental.rules if policy.rental else ()
    if booking.start is None or booking.end is None or rate is None:
        missing = tuple(
            name
            for name, value in (
                ("premises.kind", kind),
                ("start", booking.start),
                ("end", booking.end),
            )
            if value is None
        )
        verdict = Verdict(outcome=Outcome.UNDETERMINED, findings=(), missing=missing)
        return Quote(price=None, list_price=None, currency=tariff.currency, verdict=verdict)
    tz = ZoneInfo(policy.timezone)
    pieces = _pieces(tz, _instant(booking.start, tz), _instant(booking.end, tz), rules)
    static = [_static(policy, rule, booking) for rule in rules]
    shares: list[Decimal | None] = []  # the multiplier of each piece, `None` when unknown
    covered = [Decimal(0)] * len(rules)
    for piece in pieces:
        maybe: set[Decimal] = set()  # shares of rules that may cover the piece: facts unknown
        share = Decimal(1)
        for index, rule in enumerate(rules):
            if static[index][0] is False or not _in_time(policy, rule, piece):
                continue
            if static[index][0] is None:
                maybe.add(rule.share())
                continue
            share = rule.share()
            covered[index] += piece.seconds
            break
        shares.append(share if maybe <= {share} else None)
    total = sum((piece.seconds for piece in pieces), Decimal(0))
    list_price = _money(rate * total / _HOUR)
    price = None
    if None not in shares:
        raw = sum(
            (
                rate * piece.seconds * share / _HOUR
                for piece, share in zip(pieces, shares, strict=True)
                if share is not None
            ),
            Decimal(0),
        )
        price = _money(raw)
    findings = tuple(
        _finding(rule, static[index], covered[index], total) for index, rule in enumerate(rules)
    )
    missing = tuple(dict.fromkeys(name for f in findings if f.holds is None for name in f.missing))
    if price is None:
        outcome = Outcome.UNDETERMINED
    else:
        outcome = Outcome.YES if price < list_price else Outcome.NO
    verdict = Verdict(outcome=outcome, findings=findings, missing=missing)
    return Quote(price=price, list_price=list_price, currency=tariff.currency, verdict=verdict)


def _rate(tariff: Tariff, kind: PremisesKind | None) -> Decimal | None:
    if kind is None:
        return None
    rates = tariff.hourly or {}
    if kind not in rates:
        known = ", ".join(rates) or "none"
        raise InputError(
            f"no hourly rate for '{kind}' premises; it has: {known}", field="Tariff.hourly"
        )
    return rates[kind]


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def _instant(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """`moment` in UTC; a naive moment is local time in `tz`."""
    local = moment if moment.tzinfo else moment.replace(tzinfo=tz)
    return local.astimezone(dt.UTC)


@frozen
class _Piece:
    """A stretch of the booking that one rule covers wholly or not at all."""

    day: dt.date
    time: dt.time
    seconds: Decimal


def _pieces(
    tz: ZoneInfo,
    start: dt.datetime,
    end: dt.datetime,
    rules: tuple[RentalRule, ...],
) -> list[_Piece]:
    """The booking cut at local midnights and at the rules' hours, measured in real time."""
    cuts = {start, end}
    day = start.astimezone(tz).date()
    while day <= end.astimezone(tz).date():
        times = {dt.time(0)} | {t for r in rules if r.hours for t in (r.hours.start, r.hours.end)}
        for moment in times:
            instant = dt.datetime.combine(day, moment, tzinfo=tz).astimezone(dt.UTC)
            if start < instant < end:
                cuts.add(instant)
        day += dt.timedelta(days=1)
    ordered = sorted(cuts)
    pieces = []
    for begin, finish in itertools.pairwise(ordered):
        local = begin.astimezone(tz)
        seconds = Decimal(int((finish - begin).total_seconds()))
        pieces.append(_Piece(local.date(), local.time(), seconds))
    return pieces


def _in_time(policy: Policy, rule: RentalRule, piece: _Piece) -> bool:
    if rule.hours and not rule.hours.start <= piece.time < rule.hours.end:
        return False
    if rule.days is Days.ANY:
        return True
    weekday = dates.is_working_day(policy.country, piece.day)
    return weekday is (rule.days is Days.WEEKDAYS)


def _finding(rule: RentalRule, static: Judgement, covered: Decimal, total: Decimal) -> Finding:
    if static[0] is not True:
        return judged(rule, static)
    return judged(rule, rule.covering(covered, total))


def _hours(seconds: Decimal) -> str:
    return f"{(seconds / _HOUR).quantize(_CENT, rounding=ROUND_HALF_UP).normalize():f}"


# --- Who and what a rule covers --------------------------------------------------------------


def _static(policy: Policy, rule: RentalRule, booking: Booking) -> Judgement:
    """Whether the rule covers the booking's premises, purpose and organisation (not its time)."""
    kind = booking.premises.kind if booking.premises else None
    if kind not in rule.premises:
        return False, _NOT_PREMISES.format(_PREMISES[kind] if kind else "?"), ()
    if rule.purposes:
        if booking.purpose is None:
            return None, _PURPOSE_UNKNOWN, ("purpose",)
        if booking.purpose not in rule.purposes:
            return False, _NOT_PURPOSE.format(_PURPOSES[booking.purpose]), ()
    return _eligible(policy, rule, booking.organisation)


_PREMISES = {
    PremisesKind.SCHOOL: Text(en="school", nb="skole", da="skole"),
    PremisesKind.SPORTS_FACILITY: Text(en="sports facility", nb="idrettsanlegg", da="idrætsanlæg"),
    PremisesKind.CULTURE_HOUSE: Text(en="culture house", nb="kulturhus", da="kulturhus"),
    PremisesKind.OTHER: Text(en="other", nb="andre", da="andre"),
}


_NOT_PREMISES = Text(
    en="The rule does not cover {0} premises.",
    nb="Regelen gjelder ikke lokaler av typen {0}.",
    da="Reglen gælder ikke lokaler af typen {0}.",
)


_PURPOSES = {
    Purpose.TRAINING: Text(en="training", nb="trening", da="træning"),
    Purpose.REHEARSAL: Text(en="rehearsal", nb="øvelse", da="øvning"),
    Purpose.MEETING: Text(en="a meeting", nb="møte", da="møde"),
    Purpose.EVENT: Text(en="an event", nb="arrangement", da="arrangement"),
    Purpose.COMMERCIAL: Text(en="commercial use", nb="kommersiell bruk", da="kommerciel brug"),
}


_NOT_PURPOSE = Text(
    en="The rule does not cover bookings for {0}.",
    nb="Regelen gjelder ikke booking til {0}.",
    da="Reglen gælder ikke booking til {0}.",
)


_PURPOSE_UNKNOWN = Text(
    en="Unknown what the booking is for.",
    nb="Ukjent hva bookingen gjelder.",
    da="Ukendt hvad bookingen gælder.",
)


def _traits(traits: Iterable[Trait]) -> Text:
    return either(TRAIT_WORDS[trait].name for trait in traits)


def _eligible(policy: Policy, rule: RentalRule, organisation: Organisation | None) -> Judgement:
    if not rule.requires and not rule.requires_one_of:
        return True, _ANYONE, ()
    if organisation is None:
        return None, _ORGANISATION_UNKNOWN, ("organisation",)
    name = organisation.name or "?"
    traits = {
        trait: trait_of(policy, organisation, trait)
        for trait in (*rule.requires, *rule.requires_one_of)
    }
    lacking = [trait for trait in rule.requires if traits[trait] is False]
    if lacking:
        return False, _LACKS.format(name, _traits(lacking)), ()
    if rule.requires_one_of and all(traits[t] is False for t in rule.requires_one_of):
        return (
            False,
            _LACKS.format(name, _traits(rule.requires_one_of)),
            (),
        )
    unknown = [t for t in rule.requires if traits[t] is None]
    if rule.requires_one_of and not any(traits[t] for t in rule.requires_one_of):
        unknown += [t for t in rule.requires_one_of if traits[t] is None]
    if unknown:
        missing = tuple(f"organisation.{t.fact}" for t in unknown)
        return (
            None,
            _TRAIT_UNKNOWN.format(name, _traits(unknown)),
            missing,
        )
    return True, _ELIGIBLE.format(name), ()


_ANYONE = Text(en="Open to every organisation.", nb="Åpen for alle.", da="Åben for alle.")


_ORGANISATION_UNKNOWN = Text(
    en="Unknown who books.", nb="Ukjent hvem som booker.", da="Ukendt hvem der booker."
)


_LACKS = Text(
    en="{0} is not eligible: it is not {1}.",
    nb="{0} har ikke rett: den er ikke {1}.",
    da="{0} er ikke berettiget: den er ikke {1}.",
)


_TRAIT_UNKNOWN = Text(
    en="Unknown whether {0} is {1}.", nb="Ukjent om {0} er {1}.", da="Ukendt om {0} er {1}."
)


_ELIGIBLE = Text(en="{0} is eligible.", nb="{0} har rett.", da="{0} er berettiget.")
