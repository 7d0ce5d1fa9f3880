"""Time, with its legal basis: election periods, public holidays, working days, deadlines, windows.

Norway: municipal council elections are held every fourth year (2015, 2019, 2023, ...; the day
is fixed under valgloven 2002 § 9-2 (1), lov 28. juni 2002 nr. 57); the new council takes
office at its constituent meeting, held by the end of October (kommuneloven 2018 § 7-1, lov
22. juni 2018 nr. 83). A period runs from one constituent meeting to the day before the
next; where the policy records no actual date, the latest lawful date, 31 October, is used.

Denmark: the council's term runs from 1 January to 31 December four years later, after the
election on the third Tuesday of November (2005, 2009, ..., 2025; kommunal- og
regionalvalgloven § 6).

Public holidays come from the `holidays` package, loaded on first use. Danish deadlines also
skip Constitution Day (5 June), 24 and 31 December (forældelsesloven § 27, stk. 2).

Every function here takes days from `FIRST_DAY` (1900-01-01) to `LAST_DAY` (2199-12-31), the
range the whole library supports; another day is an `InputError`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator

from attrs import frozen
from dateutil.relativedelta import relativedelta

from frivillighet.errors import InputError
from frivillighet.verdict import Text

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "SUPPORTED",
    "Span",
    "Term",
    "check_day",
    "deadline",
    "election_year",
    "in_words",
    "is_holiday",
    "is_working_day",
    "month_span",
    "next_working_day",
    "previous_working_day",
    "quarter_span",
    "supported",
    "term",
    "terms",
    "year_span",
]

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
"""The supported range of dates: every date and time the library reads lies from `FIRST_DAY` to
`LAST_DAY` (a date-time by its own, local date). Election periods and the public-holiday tables
are defined over it, and arithmetic on dates inside it never leaves `datetime`'s range. The
functions here take days in it and one day either side (where a time in the range falls in
another time zone); what they return may lie a little beyond (a deadline on 31 December 2199
moves into 2200)."""
SUPPORTED = f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
"""The supported range as error messages word it."""


def supported(day: dt.date) -> bool:
    """Whether `day` (a date, or a date-time by its own date) lies from `FIRST_DAY` to
    `LAST_DAY`."""
    return FIRST_DAY <= (day.date() if isinstance(day, dt.datetime) else day) <= LAST_DAY


def check_day(value: object, field: str, *, margin: int = 0) -> dt.date:
    """`value` if it is a date (not a date-time) in the supported range, or at most `margin`
    days outside it, else an `InputError` naming `field`: how the library's functions check the
    dates they are given."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InputError(f"expected a date, got {value!r}", field=field)
    wide = dt.timedelta(days=margin)
    if not FIRST_DAY - wide <= value <= LAST_DAY + wide:
        first, last = FIRST_DAY - wide, LAST_DAY + wide
        raise InputError(f"expected a date from {first} to {last}, got {value}", field=field)
    return value


def _near(day: object, field: str = "day") -> dt.date:
    """A day for the functions here: in the supported range or one day either side of it."""
    return check_day(day, field, margin=1)


_ONE_DAY = dt.timedelta(days=1)
_FIRST_ELECTION = {"NO": 2015, "DK": 2005}
"""A known election year of each country; elections recur every fourth year from it."""


@frozen(kw_only=True)
class Span:
    """The days from `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@frozen(kw_only=True)
class Term(Span):
    """A municipal council's election period (valgperiode), named by its election year."""

    elected: int


def year_span(year: int) -> Span:
    """The calendar year."""
    return Span(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def quarter_span(year: int, quarter: int) -> Span:
    """Quarter 1–4 of `year`: «innen utgangen av 1. kvartal» ends on 31 March."""
    if not 1 <= quarter <= 4:
        raise InputError(f"expected a quarter from 1 to 4, got {quarter!r}", field="quarter")
    first = _first_of_month(year, 3 * quarter - 2)
    # Two months on, then the month's last day: `day=31` is clamped to the month's length and,
    # unlike «the first of the next quarter, less a day», stays inside 9999.
    return Span(start=first, end=first + relativedelta(months=2, day=31))


def month_span(year: int, month: int) -> Span:
    """The named month of `year` («i junimøtet»: June)."""
    first = _first_of_month(year, month)
    return Span(start=first, end=first + relativedelta(day=31))


def _first_of_month(year: int, month: int) -> dt.date:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise InputError(
            f"expected a year from {dt.MINYEAR} to {dt.MAXYEAR}, got {year!r}", field="year"
        )
    if not 1 <= month <= 12:
        raise InputError(f"expected a month from 1 to 12, got {month!r}", field="month")
    return dt.date(year, month, 1)


# --- Election periods ----------------------------------------------------------------------------


def election_year(country: str, year: int) -> bool:
    """Whether municipal elections are held in `year` in `country` (`NO` or `DK`)."""
    return (year - _first_election(country)) % 4 == 0


def _first_election(country: str) -> int:
    try:
        return _FIRST_ELECTION[country]
    except KeyError:
        raise InputError(f"expected 'NO' or 'DK', got {country!r}", field="country") from None


def _term_start(country: str, elected: int, constituted: dict[int, dt.date]) -> dt.date:
    if country == "DK":
        return dt.date(elected + 1, 1, 1)
    return constituted.get(elected, dt.date(elected, 10, 31))


def term(country: str, day: dt.date, constituted: Iterable[dt.date] = ()) -> Term:
    """The election period in force on `day`; `constituted` are recorded constituent meetings
    (Norway), which replace the default 31 October of their year."""
    return _term(country, _near(day), _constituted(constituted))


def _constituted(constituted: Iterable[dt.date]) -> dict[int, dt.date]:
    return {_near(meeting, "constituted").year: meeting for meeting in constituted}


def _term(country: str, day: dt.date, meetings: dict[int, dt.date]) -> Term:
    year = day.year - (day.year - _first_election(country)) % 4
    elected = year if _term_start(country, year, meetings) <= day else year - 4
    start = _term_start(country, elected, meetings)
    end = _term_start(country, elected + 4, meetings) - _ONE_DAY
    return Term(start=start, end=end, elected=elected)


def terms(
    country: str, start: dt.date, end: dt.date, constituted: Iterable[dt.date] = ()
) -> Iterator[Term]:
    """The election periods that overlap `start`–`end`, in order."""
    _near(start, "start")
    _near(end, "end")
    return _terms(country, start, end, _constituted(constituted))


def _terms(
    country: str, start: dt.date, end: dt.date, meetings: dict[int, dt.date]
) -> Iterator[Term]:
    current = _term(country, start, meetings)
    while current.start <= end:
        yield current
        current = _term(country, current.end + _ONE_DAY, meetings)


# --- Holidays, working days and deadlines --------------------------------------------------------


@functools.cache
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    return frozenset(_table(country)(years=year))


@functools.cache
def _table(country: str) -> type:
    """The `holidays` package's calendar of `country`, over the supported range and a year on
    either side: the package itself stops in 2100 (and Norway's starts in 1901), but its rules
    (Easter, fixed days) hold for every year."""
    import holidays  # heavy: loaded only when a rule needs the calendar

    _first_election(country)
    table = type(holidays.country_holidays(country))
    years = {"start_year": FIRST_DAY.year - 1, "end_year": LAST_DAY.year + 1}
    return type(table.__name__, (table,), years)


def is_holiday(country: str, day: dt.date) -> bool:
    """Whether `day` is a public holiday in `country` (from the `holidays` package)."""
    return day in _holidays(country, _near(day).year)


def is_working_day(country: str, day: dt.date) -> bool:
    """Monday to Friday, and not a public holiday."""
    return _working(country, _near(day))


def _working(country: str, day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def next_working_day(country: str, day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the first working day after it."""
    _near(day)
    while not _working(country, day):
        day += _ONE_DAY
    return day


def previous_working_day(country: str, day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the last working day before it."""
    _near(day)
    while not _working(country, day):
        day -= _ONE_DAY
    return day


_DANISH_CLOSED_DAYS = ((6, 5), (12, 24), (12, 31))
"""Grundlovsdag, juleaftensdag and nytårsaftensdag (forældelsesloven § 27, stk. 2)."""


def deadline(country: str, day: dt.date) -> dt.date:
    """A deadline on `day` that falls on a Saturday, Sunday or public holiday moves to the next
    working day (Norway: domstolloven § 149 by analogy; Denmark: also 5 June, 24 and 31 December,
    forældelsesloven § 27, stk. 2)."""
    _near(day)
    while not _working(country, day) or (
        country == "DK" and (day.month, day.day) in _DANISH_CLOSED_DAYS
    ):
        day += _ONE_DAY
    return day


def in_words(day: dt.date) -> Text:
    """`day` as running text writes it in each language: «15. august 2024», «15 August 2024»
    (month names fixed here, not taken from the machine's locale)."""
    return Text(
        nb=f"{day.day}. {_MONTHS['nb'][day.month - 1]} {day.year}",
        da=f"{day.day}. {_MONTHS['da'][day.month - 1]} {day.year}",
        en=f"{day.day} {_MONTHS['en'][day.month - 1]} {day.year}",
    )


_MONTHS = {
    lang: tuple(names.split())
    for lang, names in {
        "nb": "januar februar mars april mai juni juli august september oktober november desember",
        "da": "januar februar marts april maj juni juli august september oktober november december",
        "en": "January February March April May June July August September October November "
        "December",
    }.items()
}
