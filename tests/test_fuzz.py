"""Fuzzing: broken policy files and random facts through every public function and command.

Only `frivillighet.Error` may escape, with a message that names a key, a field or a file; the
command line never prints a traceback. A few hundred examples run in the normal suite; the long
run is opt-in: `FRIVILLIGHET_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet import calendar, checks, testing
from frivillighet.cli import main
from frivillighet.policy import parse_policy, policy_from_data
from frivillighet.rules import council, grants, obligations, partnership, rental, volunteer_work

EXAMPLES = int(os.environ.get("FRIVILLIGHET_FUZZ_EXAMPLES", "200"))
fuzz = settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck), deadline=None)

SOURCES = {
    name: (resources.files("frivillighet") / "policies" / f"{name}.toml").read_text("utf-8")
    for name in fv.builtin_policies()
}
odd_text = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "Å",
        "A\u030a",
        "\u202e",
        "😀" * 3,
        "x" * 5000,
        "BEGIN:VEVENT",
        "\r\n",
        "é;,:\\",
    ]
) | st.text(max_size=20)
odd_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True)
    | odd_text
    | st.dates()
    | st.times(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=6,
)


def named(error: fv.Error) -> None:
    """An error says where: a key, a field or a file."""
    assert str(error).strip()
    if isinstance(error, fv.PolicyError):
        assert error.file or error.key, error
    if isinstance(error, fv.InputError):
        assert error.field, error


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    if not path:
        return value if action == "replace" else data
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        if not rest and action == "delete":
            return {k: v for k, v in data.items() if k != head}
        return {k: (_mutate(v, rest, action, value) if k == head else v) for k, v in data.items()}
    if not rest and action == "delete":
        return [v for i, v in enumerate(data) if i != head]
    return [(_mutate(v, rest, action, value) if i == head else v) for i, v in enumerate(data)]


@fuzz
@given(st.sampled_from(sorted(SOURCES)), st.data())
def test_mutated_policy_files_give_only_policy_errors(name: str, data: st.DataObject) -> None:
    policy_data = tomllib.loads(SOURCES[name])
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(_paths(policy_data)))
        action = data.draw(st.sampled_from(["delete", "replace"]))
        policy_data = _mutate(policy_data, path, action, data.draw(odd_values))
    try:
        policy = policy_from_data(
            policy_data if isinstance(policy_data, dict) else {}, f"{name}.toml"
        )
    except fv.PolicyError as error:
        named(error)
        assert error.file == f"{name}.toml"
        return
    list(policy.rules())


@fuzz
@given(st.sampled_from(sorted(SOURCES)), st.integers(min_value=0), st.text(max_size=30))
def test_mangled_policy_text_gives_only_policy_errors(name: str, cut: int, junk: str) -> None:
    text = SOURCES[name]
    at = cut % (len(text) + 1)
    try:
        parse_policy(text[:at] + junk + text[at:], "mangled.toml")
    except fv.PolicyError as error:
        named(error)


def _safely(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except fv.Error as error:
        named(error)
        return None


days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))


@fuzz
@given(
    testing.policies(),
    testing.activities(),
    testing.councils(),
    testing.grant_applications(),
    testing.agreements(),
    testing.bookings(),
    testing.tariffs(),
    days,
)
def test_random_facts_through_every_rule(
    policy, activity, body, application, agreement, booking, tariff, on
) -> None:
    for result in (
        _safely(volunteer_work.assess, policy, activity),
        _safely(council.assess, policy, body),
        _safely(grants.assess, policy, application, on=on),
        _safely(partnership.assess, policy, agreement),
    ):
        if result is not None:
            assert result.outcome in set(fv.Outcome)
            assert isinstance(result.explain("nb"), str)
            fv.to_json(result)
    change = fv.SchemeChange(discussed=on, decided=agreement.starts)
    verdict = _safely(grants.assess_change, policy, change)
    assert verdict is None or verdict.outcome in set(fv.Outcome)
    quote = _safely(rental.quote, policy, booking, tariff)
    if quote is not None and quote.price is not None:
        assert 0 <= quote.price <= quote.list_price


@fuzz
@given(
    testing.policies(),
    days,
    st.integers(min_value=0, max_value=1500),
    st.lists(testing.meetings(), max_size=4),
)
def test_random_ranges_and_records_through_schedules_and_calendars(
    policy, start, length, meetings
) -> None:
    end = start + dt.timedelta(days=length)
    _safely(obligations.schedule, policy, start, end)
    _safely(obligations.compliance, policy, meetings, end)
    data = _safely(calendar.to_ics, policy, start, end, meetings=meetings, as_of=end, alarm=7)
    assert data is None or data.startswith(b"BEGIN:VCALENDAR\r\n")
    jcal = _safely(calendar.to_jcal, policy, start, end, todos=True, lang="da")
    assert jcal is None or jcal.startswith('["vcalendar"')


@fuzz
@given(testing.policies(), st.sampled_from([*checks.Check, "x"]), odd_values)
def test_random_json_through_checks_and_from_json(policy, check, facts) -> None:
    _safely(checks.run, policy, check, facts)
    for kind in (fv.Activity, fv.Council, fv.Booking, fv.GrantApplication, fv.Agreement, fv.Tariff):
        _safely(fv.from_json, kind, facts)


arguments = st.lists(
    st.sampled_from(
        [
            "hemnes",
            "lier",
            "nn",
            "oslo",
            "x.toml",
            "-",
            "--from",
            "--to",
            "--as-of",
            "--since",
            "2024-01-01",
            "2024-13-40",
            "2025-12-31",
            "--json",
            "--lang",
            "nb",
            "sv",
            "--alarm",
            "3",
            "-1",
            "--todos",
            "--format",
            "jcal",
            "--meetings",
            "--generated",
            "2026-01-01T00:00:00+00:00",
            "volunteer-work",
            "rental",
            "activity",
            "policy",
            "--list",
            "-o",
        ]
    )
    | odd_text,
    max_size=8,
)


@fuzz
@given(
    st.sampled_from(
        ["policies", "show", "validate", "compliance", "calendar", "check", "schema", "bogus"]
    ),
    arguments,
)
def test_the_command_line_never_prints_a_traceback(
    capsys: pytest.CaptureFixture[str], command: str, argv: list[str]
) -> None:
    argv = [arg for arg in argv if arg != "-o"]  # never write files from the fuzzer
    try:
        status = main([command, *argv])
    except SystemExit as stop:  # argparse: usage errors and --help
        status = stop.code if isinstance(stop.code, int) else 2
    _, err = capsys.readouterr()
    assert status in (0, 1, 2)
    assert "Traceback" not in err
    if status == 2:
        assert err.count("\n") == 1 and err.startswith("frivillighet")
