"""Rental of municipal premises: Lier's free weekday use, tariffs, time zones, discounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet import dates
from frivillighet.policy import parse_policy
from frivillighet.rules import rental
from frivillighet.rules.common import Trait

T = dt.datetime
LIER = fv.load_policy("lier")
TARIFF = fv.Tariff(
    currency="NOK",
    hourly={"school": 200, "sports_facility": "450", "culture_house": "312.50", "other": 100},
)
KORPS = fv.Organisation(
    name="Lier skolekorps", non_profit=True, volunteer_based=True, municipality="Lier"
)
GYM = fv.Premises(name="Hegg skole, gymsal", kind="school")
REHEARSAL = fv.Booking(
    premises=GYM,
    organisation=KORPS,
    purpose="rehearsal",
    start=T(2024, 3, 5, 18),
    end=T(2024, 3, 5, 20),
)


def quote(booking: fv.Booking = REHEARSAL, policy: fv.Policy = LIER, **changes: object) -> fv.Quote:
    return rental.quote(policy, attrs.evolve(booking, **changes), TARIFF)


def test_weekday_rehearsal_is_free() -> None:
    result = quote()
    assert (result.price, result.list_price, result.currency) == (
        Decimal("0.00"),
        Decimal("400.00"),
        "NOK",
    )
    assert result.verdict.outcome is fv.Outcome.YES
    (free, _) = result.verdict.findings
    assert free.rule == "lier.rental.free_weekday_use" and free.holds
    assert free.reason == "The whole booking falls under this rule: free."


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"start": T(2024, 3, 9, 18), "end": T(2024, 3, 9, 20)}, "outside weekdays"),  # Saturday
        (
            {"start": T(2024, 5, 9, 18), "end": T(2024, 5, 9, 20)},
            "outside weekdays",
        ),  # Ascension Day
        ({"purpose": "event"}, "does not cover bookings for an event"),
        (
            {
                "organisation": fv.Organisation(
                    name="Kurs AS", non_profit=False, volunteer_based=False, municipality="Lier"
                )
            },
            "Kurs AS is not eligible. Kurs AS is run for profit.",
        ),
        (
            {
                "organisation": fv.Organisation(
                    name="Treningsglede AS",
                    non_profit=False,
                    volunteer_based=True,
                    municipality="Lier",
                )
            },
            "Treningsglede AS is not eligible. Treningsglede AS is run for profit.",
        ),
        (
            {"organisation": attrs.evolve(KORPS, municipality="Drammen")},
            "is not eligible. Lier skolekorps is not local.",
        ),
    ],
)
def test_charged_at_the_tariff(changes, why: str) -> None:
    result = quote(**changes)
    assert result.price == result.list_price == Decimal("400.00")
    assert result.verdict.outcome is fv.Outcome.NO
    assert why in result.verdict.findings[0].reason


def test_friday_night_into_saturday_pays_for_the_saturday_part() -> None:
    result = quote(start=T(2024, 3, 8, 22), end=T(2024, 3, 9, 1))
    assert (result.price, result.list_price) == (Decimal("200.00"), Decimal("600.00"))
    assert result.verdict.outcome is fv.Outcome.YES
    assert "2 of 3 hours fall under this rule (free)" in result.verdict.findings[0].reason
    assert "A simple rental at the tariff for the 1 hours" in result.verdict.findings[1].reason


def test_a_booking_across_the_spring_daylight_saving_change_is_priced_by_real_time() -> None:
    # 2024-03-31 02:00 does not exist in Europe/Oslo: 23:00 to 04:00 is four real hours
    result = quote(purpose="event", start=T(2024, 3, 30, 23), end=T(2024, 3, 31, 4))
    assert result.list_price == Decimal("800.00")
    autumn = quote(purpose="event", start=T(2024, 10, 27, 1), end=T(2024, 10, 27, 4))
    assert autumn.list_price == Decimal("800.00")  # 01:00–04:00 on the day clocks go back: 4 hours


def test_aware_times_are_converted_to_the_policy_time_zone() -> None:
    utc = dt.UTC
    # 17:00–19:00 UTC is 18:00–20:00 in Oslo on a Tuesday in March: free
    assert quote(start=T(2024, 3, 5, 17, tzinfo=utc), end=T(2024, 3, 5, 19, tzinfo=utc)).price == 0
    # 23:30 UTC Friday is 00:30 Saturday in Oslo: charged
    late = quote(start=T(2024, 3, 8, 23, 30, tzinfo=utc), end=T(2024, 3, 9, 0, 30, tzinfo=utc))
    assert late.price == Decimal("200.00")
    oslo = ZoneInfo("Europe/Oslo")
    assert (
        quote(start=T(2024, 3, 5, 18, tzinfo=oslo), end=T(2024, 3, 5, 20, tzinfo=oslo)).price == 0
    )


def test_money_is_rounded_half_up_to_the_cent() -> None:
    culture = fv.Premises(name="Lier kulturhus", kind="culture_house")
    result = quote(
        premises=culture, purpose="event", start=T(2024, 3, 5, 18), end=T(2024, 3, 5, 18, 1)
    )
    assert result.list_price == Decimal("5.21")  # 312.50 / 60 = 5.2083...


def test_unknown_facts_make_the_price_unknown_and_are_named() -> None:
    result = quote(organisation=fv.Organisation(name="X", municipality="Lier"))
    assert result.price is None and result.list_price == Decimal("400.00")
    assert result.verdict.outcome is fv.Outcome.UNDETERMINED
    assert result.verdict.missing == ("organisation.non_profit",)
    no_time = quote(end=None)
    assert no_time.list_price is None and no_time.verdict.missing == ("end",)


def test_a_saturday_price_is_known_even_when_eligibility_is_not() -> None:
    result = quote(
        organisation=fv.Organisation(name="X"), start=T(2024, 3, 9, 18), end=T(2024, 3, 9, 20)
    )
    assert result.price == Decimal("400.00")


@pytest.mark.parametrize(
    ("tariff", "field", "words"),
    [
        (
            fv.Tariff(currency="NOK", hourly={"other": 1}),
            "Tariff.hourly",
            "no hourly rate for 'school' premises; it has: other",
        ),
        (fv.Tariff(hourly={"school": 1}), "Tariff.currency", "a quote needs the currency"),
    ],
)
def test_a_tariff_that_cannot_price_the_booking_is_an_input_error(
    tariff, field: str, words: str
) -> None:
    with pytest.raises(fv.InputError) as raised:
        rental.quote(LIER, REHEARSAL, tariff)
    assert raised.value.field == field and words in str(raised.value)


def test_a_municipality_can_configure_discounts_of_its_own() -> None:
    policy = parse_policy(EXAMPLE, "eksempel.toml")
    event = attrs.evolve(
        REHEARSAL, purpose="event", organisation=attrs.evolve(KORPS, municipality="Eksempel")
    )
    saturday = rental.quote(
        policy, attrs.evolve(event, start=T(2024, 3, 9, 10), end=T(2024, 3, 9, 14)), TARIFF
    )
    assert (saturday.price, saturday.list_price) == (Decimal("400.00"), Decimal("800.00"))
    assert "The whole booking falls under this rule: 50 % off." in saturday.verdict.explain()
    evening = rental.quote(
        policy, attrs.evolve(event, start=T(2024, 3, 5, 21), end=T(2024, 3, 5, 23)), TARIFF
    )
    assert evening.price == Decimal("200.00")  # free 21–22, full price 22–23
    assert "1 of 2 hours fall under this rule (free)" in evening.verdict.explain()


EXAMPLE = """
id = "eksempel"
municipality = "Eksempel"
country = "NO"
language = "nb"
timezone = "Europe/Oslo"
title = "Frivillighetspolitikk for Eksempel kommune"
document = "eksempel.txt"
status = "adopted"
adopted = 2023-01-10

[[rental.rules]]
id = "eksempel.rental.free_evenings"
test = "free"
days = "weekdays"
hours = { start = 16:00:00, end = 22:00:00 }
requires = ["local", "volunteer_based"]
source = { section = "Lokaler", quote = "Gratis lån av lokaler på ukedager kl. 16–22." }

[[rental.rules]]
id = "eksempel.rental.half_price_weekends"
test = "discount"
percent = 50
days = "weekends_and_holidays"
purposes = ["event", "meeting"]
requires = ["local", "non_profit"]
source = { section = "Lokaler", quote = "Halv pris for arrangementer i helger og på helligdager." }
"""


# --- Properties ----------------------------------------------------------------------------------

OSLO = ZoneInfo("Europe/Oslo")


def exists(moment: dt.datetime) -> bool:
    """Whether a naive time is shown by Oslo's clocks (not in the spring-forward gap)."""
    aware = moment.replace(tzinfo=OSLO)
    return aware.astimezone(dt.UTC).astimezone(OSLO).replace(tzinfo=None) == moment


moments = st.datetimes(min_value=T(2023, 1, 1), max_value=T(2026, 12, 31)).map(
    lambda m: m.replace(second=0, microsecond=0)
)
organisations = st.builds(
    fv.Organisation,
    name=st.text(max_size=10),
    non_profit=st.booleans(),
    volunteer_based=st.booleans(),
    municipality=st.sampled_from(["Lier", "Drammen", "lier kommune"]),
)
bookings = st.builds(
    lambda start, minutes, kind, purpose, organisation: fv.Booking(
        premises=fv.Premises(kind=kind),
        organisation=organisation,
        purpose=purpose,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
    ),
    moments,
    st.integers(min_value=1, max_value=3 * 24 * 60),
    st.sampled_from(fv.PremisesKind),
    st.sampled_from(fv.Purpose),
    organisations,
).filter(lambda booking: exists(booking.start) and exists(booking.end))


@given(bookings)
def test_price_lies_between_zero_and_the_list_price(booking: fv.Booking) -> None:
    result = rental.quote(LIER, booking, TARIFF)
    assert result.price is not None and result.list_price is not None
    assert Decimal(0) <= result.price <= result.list_price


@given(bookings, st.text(max_size=10))
def test_the_price_never_depends_on_the_organisation_name(booking: fv.Booking, name: str) -> None:
    renamed = attrs.evolve(booking, organisation=attrs.evolve(booking.organisation, name=name))
    assert rental.quote(LIER, renamed, TARIFF).price == rental.quote(LIER, booking, TARIFF).price


@given(bookings, st.data())
def test_splitting_a_booking_changes_the_total_only_by_rounding(booking: fv.Booking, data) -> None:
    """Cut in real time: a naive time's arithmetic is the wall clock's, which drops the fold of
    a repeated hour (02:00 the second time + 1 minute is 02:01 the first time)."""
    zone = ZoneInfo(LIER.timezone)
    start, end = (t if t.tzinfo else t.replace(tzinfo=zone) for t in (booking.start, booking.end))
    minutes = int((end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() // 60)
    if minutes < 2:
        return
    step = dt.timedelta(minutes=data.draw(st.integers(min_value=1, max_value=minutes - 1)))
    cut = (start.astimezone(dt.UTC) + step).astimezone(start.tzinfo)
    if booking.start.tzinfo is None:
        cut = cut.replace(tzinfo=None)
    first = rental.quote(LIER, attrs.evolve(booking, end=cut), TARIFF)
    second = rental.quote(LIER, attrs.evolve(booking, start=cut), TARIFF)
    whole = rental.quote(LIER, booking, TARIFF)
    assert abs(first.price + second.price - whole.price) <= Decimal("0.01")


@given(bookings)
def test_free_exactly_when_wholly_inside_free_time_for_an_eligible_booking(
    booking: fv.Booking,
) -> None:
    organisation = booking.organisation
    eligible = organisation.municipality.casefold().startswith("lier") and organisation.non_profit
    purpose_free = booking.purpose in (
        fv.Purpose.TRAINING,
        fv.Purpose.REHEARSAL,
        fv.Purpose.MEETING,
    )
    minutes = int((booking.end - booking.start).total_seconds() // 60)
    days = {(booking.start + dt.timedelta(minutes=m)).date() for m in range(minutes)}
    weekdays = all(dates.is_working_day("NO", day) for day in days)
    result = rental.quote(LIER, booking, TARIFF)
    assert (result.price == 0) == (eligible and purpose_free and weekdays)


def test_a_rule_asking_for_one_of_several_traits_names_them_all() -> None:
    """A policy of its own may ask for one of several traits (`requires_one_of`)."""
    either_rule = attrs.evolve(
        LIER.rental.rules[0],
        requires=(Trait.LOCAL,),
        requires_one_of=(Trait.VOLUNTEER_BASED, Trait.NON_PROFIT),
    )
    policy = attrs.evolve(LIER, rental=attrs.evolve(LIER.rental, rules=(either_rule,)))
    business = fv.Organisation(
        name="Kurs AS", non_profit=False, volunteer_based=False, municipality="Lier"
    )
    verdict = quote(policy=policy, organisation=business).verdict
    assert "Kurs AS har ikke rett: den er verken frivillig drevet eller ikke-kommersiell." in (
        verdict.explain("nb")
    )
    assert "it is neither volunteer-based nor non-profit." in verdict.explain("en")
    assert "den er hverken frivilligt drevet eller almennyttig." in verdict.explain("da")
    volunteers = attrs.evolve(business, volunteer_based=True)
    assert quote(policy=policy, organisation=volunteers).price == 0
