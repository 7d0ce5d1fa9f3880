"""Rental of municipal premises: the price of a `Booking` under a `Tariff` and the policy's rules.

Lier 3.1: «Kommunen stiller skolelokaler, idrettsanlegg og andre lokaler til rådighet for
frivillige organisasjoner og andre ikke-kommersielle tiltak i nærmiljøet etter fastsatte regler.
Gratis treningstid/øvelser og møter på ukedager og enkle utleiebookinger skal være
hovedprinsippene.»

The list price is the booking's real elapsed hours × the tariff's hourly rate for the premises
kind. Each moment of the booking takes the first rule that covers it (premises, purpose,
organisation, day and hours); free time costs nothing, a discount takes its percentage off, and
time no rule covers costs the list rate: a booking that crosses from free into paid time pays
for the paid part, pro rata. Weekdays are Monday–Friday that are not public holidays of the
policy's country.

Time is instants: a naive datetime is local time in the policy's time zone, read with its `fold`
where the clock repeats and refused where it skips; an aware one is an instant already. The
price is exact, to the microsecond (`Quote.unrounded`, a `Fraction`), so it is additive over
any split of a booking; `price` and `list_price` are it rounded once, to 0.01 half up.
"""

from __future__ import annotations

import abc
import datetime as dt
import itertools
import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
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


_MICROSECOND = dt.timedelta(microseconds=1)


_SECOND = dt.timedelta(seconds=1)


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
    `list_price` are `None` when a fact they need is unknown (the verdict names it).

    `unrounded` is `price` exactly, before rounding (a `Fraction` of the currency): the
    unrounded prices of the parts of a booking split at any instant add up to the whole's.
    `price` and `list_price` are rounded once, to 0.01 half up."""

    price: Decimal | None
    list_price: Decimal | None
    unrounded: Fraction | None
    currency: str
    verdict: Verdict


def quote(policy: Policy, booking: Booking, tariff: Tariff) -> Quote:
    """The price of `booking` under `tariff` and the policy's rental rules.

    The verdict is `YES` when the rules make the booking free or cheaper (wholly or in part),
    `NO` when the full tariff applies, and `UNDETERMINED` when a fact the price needs is unknown.
    A naive time that does not exist in the policy's time zone, or an end not after the start
    as instants, is an `InputError` naming `booking.start` or `booking.end`.
    """
    if not isinstance(booking, Booking):
        raise InputError(f"expected a Booking, got {type(booking).__name__}", field="booking")
    if not isinstance(tariff, Tariff):
        raise InputError(f"expected a Tariff, got {type(tariff).__name__}", field="tariff")
    if tariff.currency is None:
        raise InputError("unknown; a quote needs the currency", field="Tariff.currency")
    tz = ZoneInfo(policy.timezone)
    start = None if booking.start is None else _instant(booking.start, tz, "booking.start")
    end = None if booking.end is None else _instant(booking.end, tz, "booking.end")
    if start is not None and end is not None and end <= start:
        raise InputError(
            f"must be after start ({_local(start, tz)} in {tz.key}), got {_local(end, tz)}",
            field="booking.end",
        )
    kind = booking.premises.kind if booking.premises else None
    rate = _rate(tariff, kind)
    rules = policy.rental.rules if policy.rental else ()
    if start is None or end is None or rate is None:
        missing = tuple(
            name
            for name, value in (("premises.kind", kind), ("start", start), ("end", end))
            if value is None
        )
        verdict = Verdict(outcome=Outcome.UNDETERMINED, findings=(), missing=missing)
        return Quote(
            price=None, list_price=None, unrounded=None, currency=tariff.currency, verdict=verdict
        )
    pieces = _pieces(tz, start, end, rules)
    static = [_static(policy, rule, booking) for rule in rules]
    shares: list[Decimal | None] = []  # the multiplier of each piece, `None` when unknown
    covered = [Decimal(0)] * len(rules)
    contested = [Decimal(0)] * len(rules)  # of that, what an earlier rule may take: facts unknown
    doubts: list[set[int]] = [set() for _ in rules]
    for piece in pieces:
        maybe: set[Decimal] = set()  # shares of rules that may cover the piece: facts unknown
        share = Decimal(1)
        doubting: set[int] = set()
        for index, rule in enumerate(rules):
            if static[index][0] is False or not _in_time(policy, rule, piece):
                continue
            if static[index][0] is None:
                maybe.add(rule.share())
                doubting.add(index)
                continue
            share = rule.share()
            covered[index] += piece.seconds
            if doubting:
                contested[index] += piece.seconds
                doubts[index] |= doubting
            break
        shares.append(share if maybe <= {share} else None)
    total = sum((piece.seconds for piece in pieces), Decimal(0))
    full = _amount(rate, total)
    unrounded = None
    if None not in shares:
        charged: dict[Decimal, Decimal] = {}  # seconds by share of the list rate, exactly
        for piece, known in zip(pieces, shares, strict=True):
            if known is not None:
                charged[known] = charged.get(known, Decimal(0)) + piece.seconds
        unrounded = sum(
            (_amount(rate, seconds) * Fraction(part) for part, seconds in charged.items()),
            Fraction(0),
        )
    findings = tuple(
        _finding(rule, static[index], covered[index], total)
        if not contested[index]
        else _contested(
            rule, covered[index], contested[index], total, [static[i] for i in doubts[index]]
        )
        for index, rule in enumerate(rules)
    )
    missing = tuple(dict.fromkeys(name for f in findings if f.holds is None for name in f.missing))
    if unrounded is None:
        outcome = Outcome.UNDETERMINED
    else:
        outcome = Outcome.YES if unrounded < full else Outcome.NO
    verdict = Verdict(outcome=outcome, findings=findings, missing=missing)
    return Quote(
        price=None if unrounded is None else _money(unrounded),
        list_price=_money(full),
        unrounded=unrounded,
        currency=tariff.currency,
        verdict=verdict,
    )


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


def _amount(rate: Decimal, seconds: Decimal) -> Fraction:
    """`seconds` at the hourly `rate`, exactly."""
    return Fraction(rate) * Fraction(seconds) / 3600


def _money(amount: Fraction) -> Decimal:
    """`amount` rounded to 0.01, half up (amounts are never negative)."""
    return Decimal(math.floor(amount * 100 + Fraction(1, 2))).scaleb(-2)


def _instant(moment: dt.datetime, tz: ZoneInfo, field: str) -> dt.datetime:
    """`moment` as an instant in UTC. A naive moment is local time in `tz`, read with its `fold`
    where the clock repeats; one the clock skips is an `InputError` naming `field`."""
    if moment.utcoffset() is not None:
        return moment.astimezone(dt.UTC)
    local = moment.replace(tzinfo=tz)
    instant = local.astimezone(dt.UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != moment:
        before, after = local.replace(fold=0).utcoffset(), local.replace(fold=1).utcoffset()
        raise InputError(
            f"{moment.isoformat(' ')} does not exist in {tz.key} (the clocks go forward from "
            f"{_offset(before)} to {_offset(after)}); give a time that exists, or its UTC offset",
            field=field,
        )
    return instant


def _offset(offset: dt.timedelta | None) -> str:
    return dt.timezone(offset or dt.timedelta(0)).tzname(None)


def _local(instant: dt.datetime, tz: ZoneInfo) -> str:
    return instant.astimezone(tz).isoformat(" ")


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
    """The booking (UTC instants) cut where the local clock changes offset, at local midnights
    and at the rules' hours (each time the clock shows them), measured in real time to the
    microsecond."""
    cuts = {start, end} | set(_transitions(tz, start, end))
    times = {dt.time(0)} | {t for r in rules if r.hours for t in (r.hours.start, r.hours.end)}
    day = start.astimezone(tz).date() - dt.timedelta(days=1)
    while day <= end.astimezone(tz).date():
        for moment in times:
            for fold in (0, 1):
                local = dt.datetime.combine(day, moment, tzinfo=tz).replace(fold=fold)
                instant = local.astimezone(dt.UTC)
                if start < instant < end and instant.astimezone(tz) == local:
                    cuts.add(instant)
        day += dt.timedelta(days=1)
    pieces = []
    for begin, finish in itertools.pairwise(sorted(cuts)):
        local = begin.astimezone(tz)
        seconds = Decimal((finish - begin) // _MICROSECOND).scaleb(-6)
        pieces.append(_Piece(local.date(), local.time(), seconds))
    return pieces


def _transitions(tz: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The instants between `start` and `end` where `tz` changes its UTC offset (at most one
    in any six hours), found to the second."""
    found = []
    step = dt.timedelta(hours=6)
    low = start.replace(microsecond=0)
    while low < end:
        high = min(low + step, end)
        if low.astimezone(tz).utcoffset() != high.astimezone(tz).utcoffset():
            first, last = low, high  # the offset changes in (first, last], on a whole second
            while last - first > _SECOND:
                middle = first + _SECOND * math.ceil((last - first) / _SECOND / 2)
                same = middle.astimezone(tz).utcoffset() == first.astimezone(tz).utcoffset()
                first, last = (middle, last) if same else (first, middle)
            if start < first + _SECOND < end:
                found.append(first + _SECOND)
        low = high
    return found


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


def _contested(
    rule: RentalRule,
    covered: Decimal,
    contested: Decimal,
    total: Decimal,
    earlier: list[Judgement],
) -> Finding:
    """The finding of a rule covering time that an earlier rule may take, were its unknown facts
    known: what it says if it keeps that time, unless that depends on the earlier rule."""
    keeps = rule.covering(covered, total)
    if rule.covering(covered - contested, total)[0] is keeps[0]:
        return judged(rule, keeps)
    missing = tuple(dict.fromkeys(name for judgement in earlier for name in judgement[2]))
    return judged(rule, (None, _UNLESS_EARLIER.format(keeps[1]), missing))


_UNLESS_EARLIER = Text(
    en="Unless an earlier rule covers the booking (facts unknown): {0}",
    nb="Med mindre en tidligere regel dekker bookingen (ukjente opplysninger): {0}",
    da="Medmindre en tidligere regel dækker bookingen (ukendte oplysninger): {0}",
)


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
        return False, _LACKS.format(name, _sentences(name, lacking)), ()
    if rule.requires_one_of and all(traits[t] is False for t in rule.requires_one_of):
        return False, _LACKS_ANY.format(name, _neither(rule.requires_one_of)), ()
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


def _sentences(name: str, lacking: list[Trait]) -> Text:
    """What `name` lacks, one sentence per trait («Kurs AS drives kommersielt.»)."""
    said = [TRAIT_WORDS[trait].lacks.format(name) for trait in lacking]
    return Text(**{lang: " ".join(one.get(lang) for one in said) for lang in ("nb", "da", "en")})


def _neither(traits: tuple[Trait, ...]) -> Text:
    """«verken frivillig drevet eller ikke-kommersiell»: none of `traits`."""
    names = [TRAIT_WORDS[trait].name for trait in traits]
    if len(names) == 1:
        return _NOT.format(names[0])
    return _NEITHER.format(
        Text(**{lang: ", ".join(n.get(lang) for n in names[:-1]) for lang in ("nb", "da", "en")}),
        names[-1],
    )


_NOT = Text(en="not {0}", nb="ikke {0}", da="ikke {0}")
_NEITHER = Text(en="neither {0} nor {1}", nb="verken {0} eller {1}", da="hverken {0} eller {1}")


_LACKS = Text(
    en="{0} is not eligible. {1}",
    nb="{0} har ikke rett. {1}",
    da="{0} er ikke berettiget. {1}",
)


_LACKS_ANY = Text(
    en="{0} is not eligible: it is {1}.",
    nb="{0} har ikke rett: den er {1}.",
    da="{0} er ikke berettiget: den er {1}.",
)


_TRAIT_UNKNOWN = Text(
    en="Unknown whether {0} is {1}.", nb="Ukjent om {0} er {1}.", da="Ukendt om {0} er {1}."
)


_ELIGIBLE = Text(en="{0} is eligible.", nb="{0} har rett.", da="{0} er berettiget.")
