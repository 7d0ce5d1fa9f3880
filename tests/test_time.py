"""Bookings as instants: clocks that skip or repeat an hour, JSON round trips, exact prices."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import frivillighet as fv
from frivillighet.cli import main
from frivillighet.policy import parse_policy
from frivillighet.rules import rental
from frivillighet.schema import json_schema

T = dt.datetime
OSLO = ZoneInfo("Europe/Oslo")
LIER = fv.load_policy("lier")
TARIFF = fv.Tariff(currency="NOK", hourly={"school": 200, "culture_house": "312.50"})
KORPS = fv.Organisation(
    name="Lier skolekorps", non_profit=True, volunteer_based=True, municipality="Lier"
)
BOOKING = fv.Booking(
    premises=fv.Premises(name="Hegg skole, gymsal", kind="school"),
    organisation=KORPS,
    purpose="rehearsal",
)


def quote(
    start: dt.datetime, end: dt.datetime, policy: fv.Policy = LIER, **changes: object
) -> fv.Quote:
    return rental.quote(policy, attrs.evolve(BOOKING, start=start, end=end, **changes), TARIFF)


# --- Clocks that skip an hour ----------------------------------------------------------------


def test_a_booking_in_the_spring_forward_gap_is_an_error_naming_the_field() -> None:
    # Sunday 2026-03-29: the clocks in Oslo go from 02:00 to 03:00; 02:30 never happens
    with pytest.raises(fv.InputError) as raised:
        quote(T(2026, 3, 29, 2, 30), T(2026, 3, 29, 3, 30))
    assert raised.value.field == "booking.start"
    assert str(raised.value) == (
        "booking.start: 2026-03-29 02:30:00 does not exist in Europe/Oslo (the clocks go forward"
        " from UTC+01:00 to UTC+02:00); give a time that exists, or its UTC offset"
    )
    with pytest.raises(fv.InputError) as raised:
        quote(T(2026, 3, 29, 1, 30), T(2026, 3, 29, 2, 0, fold=1))
    assert raised.value.field == "booking.end"


def test_a_gap_time_is_refused_whatever_its_fold_and_the_hours_around_it_are_real() -> None:
    with pytest.raises(fv.InputError, match="does not exist in Europe/Oslo"):
        quote(T(2026, 3, 29, 2, 59, 59, 999999, fold=1), T(2026, 3, 29, 4))
    around = quote(T(2026, 3, 29, 1, 30), T(2026, 3, 29, 3, 30), purpose="event")
    assert around.list_price == Decimal("200.00")  # one real hour
    given_as_offset = quote(
        T(2026, 3, 29, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),  # 01:30 UTC
        T(2026, 3, 29, 4, 30, tzinfo=OSLO),  # 02:30 UTC
    )
    assert given_as_offset.list_price == Decimal("200.00")


# --- Clocks that repeat an hour --------------------------------------------------------------


@pytest.mark.parametrize(("fold", "hours"), [(0, 2), (1, 1)])
def test_a_repeated_hour_is_read_with_its_fold(fold: int, hours: int) -> None:
    # Sunday 2026-10-25: Oslo shows 02:00–03:00 twice; fold 0 is the first time, 1 the second
    result = quote(T(2026, 10, 25, 2, fold=fold), T(2026, 10, 25, 3))
    assert result.list_price == result.price == Decimal(200 * hours)


def test_start_and_end_are_compared_as_instants() -> None:
    # 02:30 the first time to 02:10 the second time is forty real minutes
    forty = quote(T(2026, 10, 25, 2, 30), T(2026, 10, 25, 2, 10, fold=1))
    assert forty.list_price == Decimal("133.33")
    # 02:10 the second time to 02:30 the first time runs backwards in real time
    with pytest.raises(fv.InputError) as raised:
        quote(T(2026, 10, 25, 2, 10, fold=1), T(2026, 10, 25, 2, 30))
    assert raised.value.field == "booking.end"
    assert "must be after start (2026-10-25 02:10:00+01:00 in Europe/Oslo)" in str(raised.value)
    with pytest.raises(fv.InputError) as raised:  # the clock alone says so
        fv.Booking(start=T(2026, 10, 25, 2, 30), end=T(2026, 10, 25, 2, 10))
    assert raised.value.field == "Booking.end"


# --- JSON keeps the offset or the fold -------------------------------------------------------

ROUND_TRIPS = {
    "naive": (T(2024, 3, 5, 17, 59, 59, 250000), T(2024, 3, 9, 1)),
    "fold=1": (T(2026, 10, 25, 2, 15, fold=1), T(2026, 10, 25, 4)),
    "first and second time": (T(2026, 10, 25, 2, 30), T(2026, 10, 25, 2, 10, fold=1)),
    "aware, IANA zone": (T(2026, 10, 25, 2, 15, fold=1, tzinfo=OSLO), T(2026, 10, 26, tzinfo=OSLO)),
    "aware, offset": (T(2026, 10, 24, 23, tzinfo=dt.UTC), T(2026, 10, 25, 2, tzinfo=dt.UTC)),
}


@pytest.mark.parametrize(("start", "end"), ROUND_TRIPS.values(), ids=ROUND_TRIPS)
def test_a_json_round_trip_keeps_the_booking_and_its_price(
    start: dt.datetime, end: dt.datetime
) -> None:
    booking = attrs.evolve(BOOKING, start=start, end=end)
    data = fv.to_json(booking)
    assert json.loads(json.dumps(data)) == data
    Draft202012Validator(json_schema(fv.Booking)).validate(data)
    back = fv.from_json(fv.Booking, data)
    for read, written in ((back.start, start), (back.end, end)):
        assert read.utcoffset() == written.utcoffset()
        assert read.utcoffset() is not None or read.fold == written.fold
    assert rental.quote(LIER, back, TARIFF) == rental.quote(LIER, booking, TARIFF)


def test_the_second_time_a_clock_shows_a_time_is_written_with_its_fold() -> None:
    booking = attrs.evolve(BOOKING, start=T(2026, 10, 25, 2, fold=1), end=T(2026, 10, 25, 3))
    data = fv.to_json(booking)
    assert data["start"] == {"local": "2026-10-25T02:00:00", "fold": 1}
    assert data["end"] == "2026-10-25T03:00:00"
    aware = attrs.evolve(
        booking, start=T(2026, 10, 25, 2, fold=1, tzinfo=OSLO), end=T(2026, 10, 25, 3, tzinfo=OSLO)
    )
    assert fv.to_json(aware)["start"] == "2026-10-25T02:00:00+01:00"


@pytest.mark.parametrize(
    ("start", "field", "words"),
    [
        ({"local": "2026-10-25T02:00", "fold": 2}, "start.fold", "expected 0 or 1, got 2"),
        ({"local": "2026-10-25T02:00", "fold": True}, "start.fold", "expected 0 or 1"),
        ({"local": "2026-10-25T02:00", "fold": 1.0}, "start.fold", "expected 0 or 1"),
        ({"local": "2026-10-25T02:00+01:00", "fold": 1}, "start.local", "a fold is for a local"),
        ({"local": "25.10.2026"}, "start.local", "expected a date and time"),
        ({"at": "2026-10-25T02:00"}, "start", 'or a table {"local": ..., "fold": 1}'),
    ],
)
def test_a_bad_fold_table_is_an_error_naming_its_key(start: object, field: str, words: str) -> None:
    with pytest.raises(fv.InputError) as raised:
        fv.from_json(fv.Booking, {"start": start})
    assert raised.value.field == field and words in str(raised.value)


# --- Exact prices, additive over any split ---------------------------------------------------


def test_sub_second_times_are_charged_and_rounding_is_done_once() -> None:
    culture = fv.Premises(kind="culture_house")
    half = quote(T(2024, 3, 9, 18), T(2024, 3, 9, 18, 0, 0, 500000), premises=culture)
    assert half.unrounded == Fraction(625, 14400)  # 312.50 NOK an hour, for half a second
    minute = quote(T(2024, 3, 9, 18), T(2024, 3, 9, 18, 1), premises=culture)
    assert minute.price == Decimal("5.21")  # 5.2083..., rounded half up
    first = quote(T(2024, 3, 9, 18), T(2024, 3, 9, 18, 0, 30), premises=culture)
    assert first.price == Decimal("2.60")  # each half 2.6041...: the halves of 5.21 pay 5.20
    assert first.unrounded * 2 == minute.unrounded


def test_the_verdict_compares_exact_prices() -> None:
    # a free millisecond costs 0.00 of a list price of 0.00, and the rules still made it free
    result = quote(T(2024, 3, 5, 18), T(2024, 3, 5, 18, 0, 0, 1000))
    assert result.price == result.list_price == 0 and result.verdict.outcome is fv.Outcome.YES


def _changes(zone: ZoneInfo, years: range) -> list[dt.datetime]:
    """The instants (to the hour) where `zone` changes its UTC offset in `years`."""
    hour = dt.timedelta(hours=1)
    moment, last = T(years.start, 1, 1, tzinfo=dt.UTC), T(years.stop, 1, 1, tzinfo=dt.UTC)
    found = []
    while moment < last:
        if moment.astimezone(zone).utcoffset() != (moment + hour).astimezone(zone).utcoffset():
            found.append(moment + hour)
        moment += hour
    return found


HAVANA = parse_policy(
    """
id = "havana"
municipality = "Havana"
country = "NO"
language = "nb"
timezone = "America/Havana"
title = "A policy whose clocks change at midnight"
document = "havana.txt"
status = "adopted"
adopted = 2023-01-10

[[rental.rules]]
id = "havana.rental.free_nights"
test = "free"
hours = { start = 00:30:00, end = 06:00:00 }
source = { section = "Lokaler", quote = "Gratis om natten." }

[[rental.rules]]
id = "havana.rental.half_price_weekends"
test = "discount"
percent = 50
days = "weekends_and_holidays"
hours = { start = 00:00:00, end = 12:00:00 }
source = { section = "Lokaler", quote = "Halv pris i helgene." }
""",
    "havana.toml",
)
POLICIES = {LIER: _changes(OSLO, range(2024, 2027)), HAVANA: []}
POLICIES[HAVANA] = _changes(ZoneInfo("America/Havana"), range(2024, 2027))
MICROSECOND = dt.timedelta(microseconds=1)


@st.composite
def splits(draw: st.DrawFn) -> tuple[fv.Policy, dt.datetime, dt.datetime, dt.datetime]:
    """A policy and three instants a < m < b, often within half a day of a change of the clocks."""
    policy = draw(st.sampled_from(list(POLICIES)))
    near = st.builds(
        lambda base, micros: base + micros * MICROSECOND,
        st.sampled_from(POLICIES[policy]),
        st.integers(-12 * 3_600_000_000, 12 * 3_600_000_000),
    )
    anywhere = st.datetimes(T(2024, 1, 1), T(2026, 12, 31), timezones=st.just(dt.UTC))
    moments = draw(st.lists(near | anywhere, min_size=3, max_size=3, unique=True))
    start, middle, end = sorted(moments)
    return policy, start, middle, end


@given(splits(), st.sampled_from(["school", "culture_house"]), st.sampled_from(fv.Purpose))
def test_unrounded_prices_add_up_over_any_split(split, premises: str, purpose: str) -> None:
    policy, start, middle, end = split
    changes = {"premises": fv.Premises(kind=premises), "purpose": purpose}
    whole = quote(start, end, policy, **changes)
    first, second = quote(start, middle, policy, **changes), quote(middle, end, policy, **changes)
    assert first.unrounded + second.unrounded == whole.unrounded
    assert abs(first.price + second.price - whole.price) <= Decimal("0.01")
    assert whole.price == Decimal(math.floor(whole.unrounded * 100 + Fraction(1, 2))) / 100


@given(splits())
def test_naive_local_times_with_their_fold_price_as_the_instants_do(split) -> None:
    policy, start, _, end = split
    zone = ZoneInfo(policy.timezone)
    naive = [moment.astimezone(zone).replace(tzinfo=None) for moment in (start, end)]
    local = attrs.evolve(BOOKING, purpose="event", start=naive[0], end=naive[1])
    expected = quote(start, end, policy, purpose="event")
    assert rental.quote(policy, local, TARIFF) == expected
    back = fv.from_json(fv.Booking, json.loads(json.dumps(fv.to_json(local))))
    assert rental.quote(policy, back, TARIFF) == expected


# --- The command line ------------------------------------------------------------------------


def test_the_command_line_refuses_a_gap_time_with_one_line(capsys, tmp_path: Path) -> None:
    facts = {
        "booking": {
            "premises": {"kind": "school"},
            "organisation": {"non_profit": True, "municipality": "Lier"},
            "purpose": "training",
            "start": "2026-03-29T02:30",
            "end": "2026-03-29T03:30",
        },
        "tariff": {"currency": "NOK", "hourly": {"school": "200"}},
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), "utf-8")
    status = main(["check", "rental", "lier", str(path)])
    out, err = capsys.readouterr()
    assert status == 2 and not out
    assert err.count("\n") == 1
    assert "booking.start: 2026-03-29 02:30:00 does not exist in Europe/Oslo" in err
