"""Time with its legal basis: election periods, holidays, working days, deadlines, windows."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet import dates

days = st.dates(min_value=dt.date(1975, 1, 1), max_value=dt.date(2100, 12, 31))
countries = st.sampled_from(["NO", "DK"])


@pytest.mark.parametrize(
    ("day", "start", "end", "elected"),
    [
        (dt.date(2023, 10, 30), dt.date(2019, 10, 31), dt.date(2023, 10, 30), 2019),
        (dt.date(2023, 10, 31), dt.date(2023, 10, 31), dt.date(2027, 10, 30), 2023),
        (dt.date(2016, 3, 1), dt.date(2015, 10, 31), dt.date(2019, 10, 30), 2015),
    ],
)
def test_norwegian_periods_run_from_31_october_by_default(day, start, end, elected) -> None:
    assert dates.term("NO", day) == dates.Term(start=start, end=end, elected=elected)


def test_a_recorded_constituent_meeting_wins() -> None:
    recorded = [dt.date(2019, 10, 15), dt.date(2023, 10, 19)]
    period = dates.term("NO", dt.date(2020, 1, 1), recorded)
    assert (period.start, period.end) == (dt.date(2019, 10, 15), dt.date(2023, 10, 18))
    assert dates.term("NO", dt.date(2019, 10, 20), recorded).elected == 2019


@pytest.mark.parametrize(
    ("day", "elected"),
    [(dt.date(2025, 12, 31), 2021), (dt.date(2026, 1, 1), 2025), (dt.date(2009, 11, 17), 2005)],
)
def test_danish_terms_run_1_january_to_31_december_four_years_later(day, elected) -> None:
    period = dates.term("DK", day)
    assert period.elected == elected
    assert (period.start, period.end) == (dt.date(elected + 1, 1, 1), dt.date(elected + 4, 12, 31))


@given(countries, days)
def test_election_periods_tile_time(country: str, day: dt.date) -> None:
    period = dates.term(country, day)
    assert day in period
    assert dates.election_year(country, period.elected)
    after = dates.term(country, period.end + dt.timedelta(days=1))
    before = dates.term(country, period.start - dt.timedelta(days=1))
    assert after.start == period.end + dt.timedelta(days=1)
    assert before.end == period.start - dt.timedelta(days=1)
    assert after.elected == period.elected + 4 == before.elected + 8


@given(countries, days, st.integers(min_value=0, max_value=4000))
def test_terms_cover_a_range_without_gap_or_overlap(
    country: str, start: dt.date, length: int
) -> None:
    end = start + dt.timedelta(days=length)
    found = list(dates.terms(country, start, end))
    assert start in found[0] and end in found[-1]
    for earlier, later in itertools.pairwise(found):
        assert later.start == earlier.end + dt.timedelta(days=1)


def test_an_unknown_country_is_an_input_error() -> None:
    with pytest.raises(fv.InputError, match="country: expected 'NO' or 'DK', got 'SE'"):
        dates.term("SE", dt.date(2024, 1, 1))


def test_public_holidays_come_from_the_holidays_package() -> None:
    assert dates.is_holiday("NO", dt.date(2024, 5, 17))
    assert dates.is_holiday("NO", dt.date(2024, 5, 9))  # Kristi himmelfartsdag
    assert dates.is_holiday("DK", dt.date(2023, 5, 5))  # Store Bededag, last time
    assert not dates.is_holiday("DK", dt.date(2024, 4, 26))  # abolished from 2024
    assert not dates.is_working_day("NO", dt.date(2024, 3, 30))  # a Saturday


@pytest.mark.parametrize(
    ("country", "day", "moved"),
    [
        ("NO", dt.date(2024, 5, 17), dt.date(2024, 5, 21)),  # 17 May, weekend, Pentecost Monday
        ("NO", dt.date(2024, 3, 4), dt.date(2024, 3, 4)),  # an ordinary Monday
        ("DK", dt.date(2024, 6, 5), dt.date(2024, 6, 6)),  # Grundlovsdag
        ("DK", dt.date(2024, 12, 24), dt.date(2024, 12, 27)),  # 24, 25, 26 December
        ("DK", dt.date(2024, 12, 31), dt.date(2025, 1, 2)),  # 31 December, New Year's Day
        ("NO", dt.date(2024, 12, 31), dt.date(2024, 12, 31)),  # not closed in Norway
    ],
)
def test_deadlines_roll_forward_to_the_next_working_day(country, day, moved) -> None:
    assert dates.deadline(country, day) == moved


@given(countries, days)
def test_a_deadline_is_never_earlier_and_always_a_working_day(country: str, day: dt.date) -> None:
    moved = dates.deadline(country, day)
    assert day <= moved <= day + dt.timedelta(days=10)
    assert dates.is_working_day(country, moved)
    assert dates.previous_working_day(country, day) <= day <= dates.next_working_day(country, day)


def test_windows() -> None:
    assert dates.quarter_span(2016, 1) == dates.Span(
        start=dt.date(2016, 1, 1), end=dt.date(2016, 3, 31)
    )
    assert dates.month_span(2024, 2).end == dt.date(2024, 2, 29)
    assert dates.month_span(2024, 12).end == dt.date(2024, 12, 31)
    assert dates.year_span(2024) == dates.Span(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


years = st.integers(min_value=dt.MINYEAR, max_value=dt.MAXYEAR)


@given(years)
def test_the_months_of_a_year_cover_each_day_exactly_once(year: int) -> None:
    spans = [dates.month_span(year, month) for month in range(1, 13)]
    for month, span in enumerate(spans, start=1):
        assert span.start == dt.date(year, month, 1)
        assert span.end == dt.date(year, month, calendar.monthrange(year, month)[1])
    assert spans[0].start == dt.date(year, 1, 1) and spans[-1].end == dt.date(year, 12, 31)
    for earlier, later in itertools.pairwise(spans):
        assert later.start - earlier.end == dt.timedelta(days=1)
    assert sum((s.end - s.start).days + 1 for s in spans) == 365 + calendar.isleap(year)


@given(years)
def test_the_quarters_of_a_year_cover_each_day_exactly_once(year: int) -> None:
    spans = [dates.quarter_span(year, quarter) for quarter in range(1, 5)]
    for quarter, span in enumerate(spans, start=1):
        last = 3 * quarter
        assert span.start == dt.date(year, last - 2, 1)
        assert span.end == dt.date(year, last, calendar.monthrange(year, last)[1])
        assert span.end == dates.month_span(year, last).end
    assert spans[0].start == dt.date(year, 1, 1) and spans[-1].end == dt.date(year, 12, 31)
    for earlier, later in itertools.pairwise(spans):
        assert later.start - earlier.end == dt.timedelta(days=1)


def test_the_last_month_and_quarter_that_a_date_can_hold() -> None:
    assert dates.month_span(9999, 12) == dates.Span(
        start=dt.date(9999, 12, 1), end=dt.date(9999, 12, 31)
    )
    assert dates.quarter_span(9999, 4).end == dt.date(9999, 12, 31)
    assert dates.month_span(1, 1).start == dt.date(1, 1, 1)


@pytest.mark.parametrize(
    ("span", "args", "message"),
    [
        (dates.month_span, (10000, 1), "year: expected a year from 1 to 9999, got 10000"),
        (dates.month_span, (0, 12), "year: expected a year from 1 to 9999, got 0"),
        (dates.month_span, (2024, 13), "month: expected a month from 1 to 12, got 13"),
        (dates.quarter_span, (2024, 5), "quarter: expected a quarter from 1 to 4, got 5"),
        (dates.quarter_span, (10000, 1), "year: expected a year from 1 to 9999, got 10000"),
    ],
)
def test_a_window_that_a_date_cannot_hold_is_an_input_error(span, args, message) -> None:
    with pytest.raises(fv.InputError, match=f"^{message}$"):
        span(*args)
