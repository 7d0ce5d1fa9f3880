"""The limits of what the library reads: the supported dates (1900–2199), amounts of money,
time zone names, alarms and the number of occurrences, through the API and the command line;
and compliance over many records."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import frivillighet as fv
from frivillighet import calendar, dates
from frivillighet.model import iso
from frivillighet.policy import parse_policy
from frivillighet.rules import obligations, rental
from frivillighet.rules.obligations import State, compliance, schedule, states

D = dt.date
T = dt.datetime
FAR = (D(1, 1, 1), D(3, 12, 31), D(1899, 12, 31), D(2200, 1, 1), D(9999, 12, 31))
NN = (resources.files("frivillighet") / "policies" / "nn.toml").read_text("utf-8")
STATUS = 'status = "proposed"'


def nn_with(line: str) -> str:
    """NN kommune's policy file with `line` added to its top-level keys."""
    return NN.replace(STATUS, f"{STATUS}\n{line}", 1)


def many_annual(count: int) -> str:
    """A policy file in force from 1900 with `count` annual meetings."""
    head = (
        'id = "big"\nmunicipality = "Big"\ncountry = "NO"\nlanguage = "nb"\n'
        'timezone = "Europe/Oslo"\ntitle = "Plan"\ndocument = "plan.txt"\n'
        'status = "adopted"\nin_force = 1900-01-01\n'
    )
    obligation = (
        '[[obligations]]\nid = "big.meeting_{0}"\ntitle = {{ nb = "Møte", en = "Meeting" }}\n'
        'category = "meeting"\nrecurrence = {{ kind = "annual" }}\n'
        'source = {{ section = "1", quote = "Møte hvert år." }}\n'
    )
    return head + "".join(obligation.format(index) for index in range(count))


# --- Dates: the supported range, 1900-01-01 to 2199-12-31 ---------------------------------------


@pytest.mark.parametrize("day", FAR)
def test_a_date_outside_the_range_is_refused_as_text_and_as_a_date(day: dt.date) -> None:
    for value in (day, day.isoformat()):
        with pytest.raises(
            fv.InputError, match=r"held: expected a date .*1900-01-01 to 2199-12-31"
        ):
            fv.Meeting(held=value)
    with pytest.raises(fv.InputError, match=r"^x: expected a date and time"):
        iso(dt.datetime, f"{day.isoformat()}T12:00+14:00", field="x")


def test_the_ends_of_the_range_are_read_with_any_offset() -> None:
    assert fv.Meeting(held="1900-01-01").held == dates.FIRST_DAY
    assert fv.Meeting(held=dates.LAST_DAY).held == dates.LAST_DAY
    late = iso(dt.datetime, "2199-12-31T23:00-14:00")
    early = iso(dt.datetime, "1900-01-01T00:00+14:00")
    assert late.astimezone(dt.UTC).year == 2200 and early.astimezone(dt.UTC).year == 1899


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda day: schedule(fv.load_policy("hemnes"), day, dates.LAST_DAY), "start"),
        (lambda day: schedule(fv.load_policy("hemnes"), dates.FIRST_DAY, day), "end"),
        (lambda day: compliance(fv.load_policy("hemnes"), [], day), "as_of"),
        (lambda day: compliance(fv.load_policy("hemnes"), [], D(2024, 1, 1), since=day), "since"),
        (lambda day: states(fv.load_policy("hemnes"), [], [], day), "as_of"),
        (lambda day: calendar.to_ics(fv.load_policy("hemnes"), day, D(2025, 1, 1)), "start"),
        (lambda day: calendar.to_ics(fv.load_policy("hemnes"), D(2025, 1, 1), day), "end"),
        (lambda day: dates.term("NO", day), "day"),
        (lambda day: list(dates.terms("DK", day, D(2025, 1, 1))), "start"),
        (lambda day: dates.is_holiday("NO", day), "day"),
        (lambda day: dates.deadline("DK", day), "day"),
        (lambda day: dates.next_working_day("NO", day), "day"),
        (lambda day: dates.previous_working_day("NO", day), "day"),
    ],
)
def test_every_function_taking_dates_refuses_one_outside_the_range(
    call: Callable[[dt.date], object], field: str
) -> None:
    for day in (D(1, 1, 1), D(9999, 12, 31)):
        with pytest.raises(fv.InputError, match=f"^{field}: expected a date from"):
            call(day)


def test_schedules_and_deadlines_work_to_both_ends_of_the_range() -> None:
    for policy_id in fv.builtin_policies():
        policy = fv.load_policy(policy_id)
        found = schedule(policy, dates.FIRST_DAY, dates.LAST_DAY)
        assert all(dates.FIRST_DAY <= o.due <= dates.LAST_DAY for o in found)
        compliance(policy, [], dates.LAST_DAY, since=dates.FIRST_DAY)
    assert dates.deadline("DK", dates.LAST_DAY) == D(2200, 1, 2)  # 1 January is a holiday
    assert dates.term("NO", dates.FIRST_DAY).start == D(1899, 10, 31)
    assert dates.previous_working_day("NO", dates.FIRST_DAY) == D(1899, 12, 29)


def test_public_holidays_are_known_over_the_whole_range() -> None:
    for year in (1900, 2100, 2150, 2199):
        assert dates.is_holiday("NO", D(year, 12, 25)) and dates.is_holiday("DK", D(year, 12, 25))
        assert dates.is_holiday("NO", D(year, 5, 17)) is (year >= 1947)


def test_a_booking_near_the_ends_is_priced_and_one_beyond_them_refused() -> None:
    with pytest.raises(fv.InputError, match=r"^Booking.end: expected a date and time"):
        fv.Booking(start="2024-03-09T18:00", end="9999-12-31T23:00")
    with pytest.raises(fv.InputError, match=r"^Booking.start: expected a date and time"):
        fv.Booking(start=T(1, 1, 1), end=T(2024, 3, 9, 20))
    booking = fv.Booking(
        premises=fv.Premises(kind="school"),
        organisation=fv.Organisation(non_profit=False),
        purpose="commercial",
        start="1900-01-01T00:00+14:00",
        end="1900-01-01T02:00+14:00",
    )
    quote = rental.quote(
        fv.load_policy("lier"), booking, fv.Tariff(currency="NOK", hourly={"school": "1e9"})
    )
    assert quote.list_price == 2_000_000_000


# --- Amounts of money ----------------------------------------------------------------------------

BAD_AMOUNTS = ("1e27", "1e999999", "NaN", "Infinity", "-1", "0.00001", "1000000000.01", 10**30)


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_an_amount_beyond_the_bounds_is_refused_naming_the_field(amount: object) -> None:
    expected = "expected an amount from 0 to 1000000000 with at most 4 decimal places"
    with pytest.raises(fv.InputError, match=rf"^Tariff.hourly\['school'\]: {expected}"):
        fv.Tariff(hourly={"sports_facility": "200", "school": amount})
    with pytest.raises(fv.InputError, match=f"^GrantApplication.amount: {expected}"):
        fv.GrantApplication(amount=amount)


def test_amounts_at_the_bounds_are_read() -> None:
    assert fv.GrantApplication(amount="1000000000").amount == 10**9
    assert fv.Tariff(hourly={"school": "0.0001"}).hourly is not None
    assert (
        fv.GrantApplication(amount="12.50000").amount == fv.GrantApplication(amount="12.5").amount
    )


def test_a_budget_frame_beyond_the_bounds_is_a_policy_error() -> None:
    lier = (resources.files("frivillighet") / "policies" / "lier.toml").read_text("utf-8")
    assert "[[grants.schemes]]" in lier
    text = lier.replace("[[grants.schemes]]\n", '[[grants.schemes]]\nbudget = "1e27"\n', 1)
    with pytest.raises(fv.PolicyError, match=r"budget: expected an amount from 0 to 1000000000"):
        parse_policy(text, "lier.toml")


# --- Policy files: dates and time zones ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("in_force = 0001-01-01", "in_force"),
        ('adopted = "9999-12-31"', "adopted"),
        ("ends = 2200-01-01", "ends"),
        ("period = { first = 1800, last = 1801 }", "period.first"),
    ],
)
def test_a_policy_date_outside_the_range_is_a_policy_error(line: str, key: str) -> None:
    with pytest.raises(fv.PolicyError, match=f"^kommune.toml: {key}: expected .*1900"):
        parse_policy(nn_with(line), "kommune.toml")


def test_a_date_in_a_rule_outside_the_range_is_a_policy_error() -> None:
    once = 'recurrence = { kind = "once" }'
    text = NN.replace(once, 'recurrence = { kind = "once", due = 0003-12-31 }', 1)
    with pytest.raises(fv.PolicyError, match=r"obligations\[0\].recurrence.due: expected a date"):
        parse_policy(text, "kommune.toml")


@pytest.mark.parametrize(
    "zone",
    ["Europe", "../../etc/passwd", "", "/etc/localtime", "zone.tab", "Europe/Oslo ", "a" * 300],
)
def test_a_time_zone_that_is_not_an_iana_zone_is_a_policy_error(zone: str) -> None:
    text = NN.replace('timezone = "Europe/Oslo"', f"timezone = {json.dumps(zone)}")
    with pytest.raises(fv.PolicyError, match=r"^kommune.toml: timezone: unknown time zone"):
        parse_policy(text, "kommune.toml")


def test_iana_zones_of_every_shape_are_accepted() -> None:
    for zone in ("UTC", "Europe/Copenhagen", "America/Argentina/Buenos_Aires", "Etc/GMT+1"):
        text = NN.replace('timezone = "Europe/Oslo"', f'timezone = "{zone}"')
        assert parse_policy(text).timezone == zone


# --- Calendars: alarms and stamps ----------------------------------------------------------------


def test_an_alarm_beyond_the_bound_is_refused() -> None:
    hemnes = fv.load_policy("hemnes")
    for alarm in (calendar.MAX_ALARM + 1, 1_000_000, -1):
        with pytest.raises(
            fv.InputError, match=r"^alarm: expected a number of days from 0 to 3660"
        ):
            calendar.to_ics(hemnes, D(2025, 1, 1), D(2025, 12, 31), alarm=alarm)
    ics = calendar.to_ics(hemnes, D(1900, 1, 1), D(1905, 12, 31), alarm=calendar.MAX_ALARM)
    assert ics.count(b"BEGIN:VALARM") == ics.count(b"BEGIN:VEVENT")


def test_a_stamp_at_the_ends_of_the_range_is_written_in_utc_and_one_beyond_refused() -> None:
    hemnes = fv.load_policy("hemnes")
    plus14 = dt.timezone(dt.timedelta(hours=14))
    early = calendar.to_ics(
        hemnes, D(2025, 1, 1), D(2025, 12, 31), generated=T(1900, 1, 1, tzinfo=plus14)
    )
    assert b"DTSTAMP:18991231T100000Z" in early
    minus14 = dt.timezone(dt.timedelta(hours=-14))
    late = T(2199, 12, 31, 23, tzinfo=minus14)
    assert b"DTSTAMP:22000101T130000Z" in calendar.to_ics(
        hemnes, D(2025, 1, 1), D(2025, 12, 31), generated=late
    )
    with pytest.raises(fv.InputError, match=r"^generated: expected a date and time from 1900"):
        calendar.to_ics(hemnes, D(2025, 1, 1), D(2025, 12, 31), generated=T(1, 1, 1, tzinfo=plus14))


# --- The number of occurrences -------------------------------------------------------------------


def test_a_schedule_of_more_than_the_bound_is_refused_naming_the_range() -> None:
    policy = parse_policy(many_annual(400))  # 400 × 300 years = 120 000 occurrences
    assert len(schedule(policy, D(2000, 1, 1), D(2199, 12, 31))) == 80_000
    more = f"more than {obligations.MAX_OCCURRENCES} occurrences; choose a shorter range"
    with pytest.raises(fv.InputError, match=f"^end: 1900-01-01 to 2199-12-31 gives {more}"):
        schedule(policy, dates.FIRST_DAY, dates.LAST_DAY)
    with pytest.raises(fv.InputError, match=f"^as_of: 1900-01-01 to 2199-12-31 gives {more}"):
        compliance(policy, [], dates.LAST_DAY)


def test_a_calendar_of_more_than_the_bound_is_refused_naming_the_range() -> None:
    policy = parse_policy(many_annual(34))  # 34 × 300 years = 10 200 events
    more = f"more than {calendar.MAX_EVENTS} occurrences"
    with pytest.raises(fv.InputError, match=f"^end: 1900-01-01 to 2199-12-31 gives {more}"):
        calendar.to_ics(policy, dates.FIRST_DAY, dates.LAST_DAY)
    assert calendar.to_ics(policy, D(2150, 1, 1), D(2199, 12, 31)).count(b"BEGIN:VEVENT") == 1700


# --- Compliance over many records ----------------------------------------------------------------


def test_compliance_over_200_000_records_matches_each_window() -> None:
    hemnes = fv.load_policy("hemnes")
    as_of = D(2124, 6, 30)
    due = [o for o in schedule(hemnes, hemnes.start or as_of, as_of) if o.due < as_of]
    met = {o.key for index, o in enumerate(due) if index % 3}
    records = [
        fv.Meeting(obligation=o.obligation, held=o.window_start + dt.timedelta(days=day))
        for o in due
        if o.key in met
        for day in range(o.times)
    ]
    spare = list(records)
    while len(records) < 200_000:
        records.extend(spare[: 200_000 - len(records)])  # the same days again count once
    found = compliance(hemnes, records[::-1], as_of)
    by_key = {status.occurrence.key: status for status in found}
    assert len(records) == 200_000 and len(found) == len(due) + len(hemnes.obligations)
    for occurrence in due:
        status = by_key[occurrence.key]
        if occurrence.key in met:
            assert status.state is State.MET and status.meeting is not None
            assert status.meeting.held == occurrence.window_start
        else:
            assert status.state is State.OVERDUE and status.meeting is None
    later = [s for s in found if s.occurrence.due is None or s.occurrence.due >= as_of]
    assert all(status.state is not State.MET for status in later)


# --- The command line: exit 2 and one line -------------------------------------------------------


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frivillighet", *argv], capture_output=True, text=True, check=False
    )


def refused(done: subprocess.CompletedProcess[str], expected: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr
    assert expected in done.stderr


def booking_facts(tmp_path: Path, rate: Any = "200", **booking: str) -> str:
    facts = {
        "booking": {
            "premises": {"kind": "school"},
            "organisation": {"non_profit": True, "municipality": "Lier"},
            "purpose": "training",
            "start": "2024-03-09T18:00",
            "end": "2024-03-09T20:00",
        }
        | booking,
        "tariff": {"currency": "NOK", "hourly": {"school": rate}},
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), "utf-8")
    return str(path)


def policy_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "kommune.toml"
    path.write_text(text, "utf-8")
    return str(path)


def test_the_command_line_refuses_dates_outside_the_range(tmp_path: Path) -> None:
    refused(cli("calendar", "hemnes", "--from", "0001-01-01", "--to", "0003-12-31"), "--from")
    refused(cli("compliance", "nn", "--as-of", "9999-12-31"), "--as-of: expected a date")
    for key, value in (("end", "9999-12-31T23:00"), ("start", "0001-01-01T00:00")):
        done = cli("check", "rental", "lier", booking_facts(tmp_path, **{key: value}))
        refused(done, f"booking.{key}: expected a date and time (ISO 8601, from 1900-01-01")


def test_the_command_line_refuses_alarms_and_stamps_beyond_the_bounds() -> None:
    year = ("calendar", "hemnes", "--from", "2025-01-01", "--to", "2025-12-31")
    refused(cli(*year, "--alarm", "1000000"), "--alarm: expected a whole number of days from 0")
    refused(cli(*year, "--generated", "0001-01-01T00:00:00+14:00"), "--generated: expected")
    done = cli(*year, "--generated", "1900-01-01T00:00:00+14:00", "--alarm", "3660")
    assert done.returncode == 0 and "DTSTAMP:18991231T100000Z" in done.stdout


@pytest.mark.parametrize("rate", ["1e27", "1e999999", "NaN"])
def test_the_command_line_refuses_rates_beyond_the_bounds(tmp_path: Path, rate: str) -> None:
    done = cli("check", "rental", "lier", booking_facts(tmp_path, rate))
    refused(done, "tariff.hourly['school']: expected an amount from 0 to 1000000000")


def test_the_command_line_refuses_bad_policy_files(tmp_path: Path) -> None:
    europe = policy_file(tmp_path, NN.replace('"Europe/Oslo"', '"Europe"'))
    refused(cli("validate", europe), "timezone: unknown time zone 'Europe'")
    refused(cli("compliance", europe, "--as-of", "2024-01-01"), "timezone: unknown time zone")
    refused(cli("validate", policy_file(tmp_path, nn_with("in_force = 0001-01-01"))), "in_force")


def test_the_command_line_refuses_too_many_occurrences(tmp_path: Path) -> None:
    big = policy_file(tmp_path, many_annual(2000))
    whole = ("--from", "1900-01-01", "--to", "2199-12-31")
    refused(cli("calendar", big, *whole), "end: 1900-01-01 to 2199-12-31 gives more than")
    refused(cli("compliance", big, "--as-of", "2199-12-31"), "as_of: 1900-01-01 to 2199-12-31")
