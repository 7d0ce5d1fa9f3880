"""Fuzzing: broken policy files and random facts through every public function and command.

Only `frivillighet.Error` may escape, with a message that names a key, a field or a file; the
command line exits 0, 1 or 2 (never 70, an internal error), with one line on stderr for 2, and
never prints a traceback. Besides random values the fuzzers draw from the edges: the years 1 and
9999 and the ends of the supported range, daylight-saving gaps and folds (naive, aware and as JSON
text), offsets up to ±23:59, numbers of 5 000 digits, `1e999999` and `NaN` as JSON text, nesting
100 000 deep, `/dev/zero`, a FIFO and a directory for every file argument, and control characters
in policy texts and facts. A few hundred examples run in the normal suite; the long run is opt-in:
`FRIVILLIGHET_FUZZ_EXAMPLES=10000 python -m pytest -p no:randomly tests/test_fuzz.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import tomllib
import unicodedata
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
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
EDGE_DAYS = [
    dt.date(1, 1, 1),
    dt.date(1, 1, 2),
    dt.date(1899, 12, 31),
    dt.date(1900, 1, 1),
    dt.date(2026, 3, 29),
    dt.date(2026, 10, 25),
    dt.date(2199, 12, 31),
    dt.date(2200, 1, 1),
    dt.date(9999, 12, 31),
]
OFFSETS = [
    dt.timezone(dt.timedelta(hours=14)),
    dt.timezone(dt.timedelta(hours=-14)),
    dt.timezone(dt.timedelta(hours=23, minutes=59)),
    dt.timezone(dt.timedelta(hours=-23, minutes=-59)),
    dt.UTC,
]
EDGE_MOMENTS = [
    *(dt.datetime.combine(day, dt.time()) for day in EDGE_DAYS),
    *(dt.datetime.combine(day, dt.time(23, 59, 59, 999_999)) for day in EDGE_DAYS),
    *(dt.datetime.combine(day, dt.time(), offset) for day in EDGE_DAYS for offset in OFFSETS),
    dt.datetime(2026, 3, 29, 2, 30),  # the spring-forward gap in Europe/Oslo
    dt.datetime(2026, 3, 29, 2, 30, fold=1),
    dt.datetime(2026, 10, 25, 2, 30),  # the autumn fold
    dt.datetime(2026, 10, 25, 2, 30, fold=1),
    dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 0, 59, 59, 999_999, tzinfo=dt.UTC),
]
EDGE_TEXTS = [
    *(moment.isoformat() for moment in EDGE_MOMENTS),
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2026-03-29T02:30:00+01:00",
    "2026-03-29T02:30",
    "2026-10-25T02:30:00+02:00",
    "2026-10-25T02:30:00+01:00",
    "2026-01-01T00:00:00+24:00",
    "2026-01-01T00:00:00.0000001",
    "0000-12-31",
    "10000-01-01",
    "1e27",
    "1e999999",
    "-1e999999",
    "NaN",
    "Infinity",
    "-0",
    "0.00001",
    "1" + "0" * 5000,
]
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
        "\x0c",
        "\x1b[31m",
        "\x7f",
        "\u2066",
        "a\x00b",
    ]
) | st.text(max_size=20)
odd_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True)
    | odd_text
    | st.dates()
    | st.times()
    | st.sampled_from(EDGE_DAYS)
    | st.sampled_from(EDGE_MOMENTS)
    | st.sampled_from(EDGE_TEXTS),
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
        answer = call(*args, **kwargs)
    except fv.Error as error:
        event(f"{call.__name__}: {type(error).__name__}")
        named(error)
        return None
    event(f"{call.__name__}: answered")
    return answer


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


# --- the edges, as JSON text ----------------------------------------------------------------------

_HOLE = "\ue000hole\ue000"
RAW_JSON = st.sampled_from(
    [
        "1" + "0" * 5000,
        "-" + "9" * 5000,
        "1e999999",
        "-1e999999",
        "1e-999999",
        "NaN",
        "Infinity",
        "-Infinity",
        "1e27",
        "0.00001",
        "-0.0",
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        '[{"local": "2026-10-25T02:30:00", "fold": 1}]',
        '{"local": "2026-10-25T02:30:00", "fold": 1}',
        '{"local": "2026-03-29T02:30:00", "fold": 1}',
        '{"local": "2026-10-25T02:30:00", "fold": 2}',
        '"\\ud800"',
        '"\\u0000\\u001b[2J\\u202e"',
    ]
) | st.sampled_from(EDGE_TEXTS).map(json.dumps)

CHECKS = {
    "volunteer-work": lambda draw: {"activity": draw(testing.activities())},
    "council": lambda draw: {"council": draw(testing.councils())},
    "grant": lambda draw: {"application": draw(testing.grant_applications()), "on": draw(days)},
    "rental": lambda draw: {"booking": draw(testing.bookings()), "tariff": draw(testing.tariffs())},
    "agreement": lambda draw: {"agreement": draw(testing.agreements())},
}


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


EDGE_AMOUNTS = ["0", "-0", "0.0001", "0.00001", "1000000000", "1000000000.01", "1e27", "1e999999"]


def _edge_like(value: Any) -> st.SearchStrategy[str]:
    """Edge tokens, as JSON text, of the kind `value` is: a day, a time, an amount or anything."""
    text = str(value)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return st.sampled_from([day.isoformat() for day in EDGE_DAYS]).map(json.dumps)
    if re.match(r"\d{4}-\d\d-\d\dT", text):
        return st.sampled_from(EDGE_TEXTS).map(json.dumps)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return st.sampled_from(EDGE_AMOUNTS).map(json.dumps) | st.sampled_from(EDGE_AMOUNTS)
    if isinstance(value, bool) or value is None:
        return st.sampled_from(["true", "false", "null"])
    if isinstance(value, str):
        return odd_text.map(json.dumps)
    return RAW_JSON


@st.composite
def facts_texts(draw: st.DrawFn) -> tuple[str, str]:
    """A check and the JSON text of valid facts for it, with one to three values replaced by
    edge tokens written as raw JSON text: a day by another day, a time by another time, an
    amount by another amount, or anything by the hostile tokens of `RAW_JSON`."""
    check = draw(st.sampled_from(sorted(CHECKS)))
    facts = fv.to_json(CHECKS[check](draw))
    raws: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(facts)))
        alike = draw(st.integers(min_value=0, max_value=3)) > 0
        raws.append(draw(_edge_like(_at(facts, path)) if alike else RAW_JSON))
        facts = _mutate(facts, path, "replace", f"{_HOLE}{len(raws) - 1}")
    text = json.dumps(facts, ensure_ascii=False)
    for index, raw in enumerate(raws):
        text = text.replace(json.dumps(f"{_HOLE}{index}", ensure_ascii=False), raw)
    return check, text


def _parsed(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None  # not JSON Python can read: the command line's business, tested below


@fuzz
@given(testing.policies(), facts_texts())
def test_edges_as_json_text_through_checks(policy: fv.Policy, drawn: tuple[str, str]) -> None:
    check, text = drawn
    facts = _parsed(text)
    if isinstance(facts, dict):
        result = _safely(checks.run, policy, check, facts)
        if isinstance(result, rental.Quote) and result.price is not None:
            assert 0 <= result.price <= result.list_price
        if result is not None:
            fv.to_json(result)


@pytest.fixture(scope="module")
def specials(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Paths that are not regular files, and files with control characters in them."""
    folder = tmp_path_factory.mktemp("specials")
    os.mkfifo(folder / "fifo")
    (folder / "folder").mkdir()
    (folder / "control.toml").write_text(
        SOURCES["hemnes"].replace("Hemnes kommune", "Hemnes\x0ckommune\x1b[2J", 1), "utf-8"
    )
    (folder / "control.json").write_text(
        json.dumps({"activity": {"organisation": {"name": "A\x00\x1b[2J\u202eB\x7f"}}}), "utf-8"
    )
    (folder / "meetings.csv").write_text("obligation,held\nx\x1b,2026-01-01\n", "utf-8")
    return {
        "@FIFO": str(folder / "fifo"),
        "@DIR": str(folder / "folder"),
        "@CONTROL_POLICY": str(folder / "control.toml"),
        "@CONTROL_FACTS": str(folder / "control.json"),
        "@CONTROL_MEETINGS": str(folder / "meetings.csv"),
        "@ZERO": "/dev/zero",
    }


@pytest.fixture
def deadline() -> Iterator[None]:
    """A hang fails the test instead of stopping the run."""

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("no answer within 60 s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _printable(text: str) -> bool:
    """No control, format (bidi) or unpaired surrogate character but newline and tab."""
    return all(
        letter in "\n\t" or unicodedata.category(letter) not in ("Cc", "Cf", "Cs")
        for letter in text
    )


def _command(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    signal.alarm(60)
    try:
        status = main(argv)
    except SystemExit as stop:  # argparse: usage errors and --help
        status = stop.code if isinstance(stop.code, int) else 2
    finally:
        signal.alarm(0)
    out, err = capsys.readouterr()
    event(f"exit {status}")
    assert status in (0, 1, 2), err
    assert "Traceback" not in err
    if status == 2:
        assert err.count("\n") == 1 and err.startswith("frivillighet"), err
    assert _printable(err), err
    return status, out, err


@fuzz
@given(facts_texts(), st.sampled_from(sorted(SOURCES)), st.booleans())
def test_edges_as_json_text_through_the_command_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    deadline: None,
    drawn: tuple[str, str],
    policy: str,
    as_json: bool,
) -> None:
    check, text = drawn
    path = tmp_path / "facts.json"
    path.write_text(text, "utf-8", errors="surrogatepass")
    status, out, _ = _command(
        capsys, ["check", check, policy, str(path), *(["--json"] if as_json else [])]
    )
    if status != 2 and not as_json:
        assert _printable(out)
    if status != 2 and as_json:
        json.loads(out)


EDGE_ARGUMENTS = [
    *(day.isoformat() for day in EDGE_DAYS),
    "0000-01-01",
    "10000-01-01",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2199-12-31T23:59:59-23:59",
    "1900-01-01T00:00:00+23:59",
    "2026-03-29T02:30:00",
    "2026-03-29T02:30:00+01:00",
    "2026-10-25T02:30:00+01:00",
    "0",
    "3660",
    "3661",
    "1000000",
    "9" * 5000,
    "-1",
]
POLICY_ARGUMENTS = [*sorted(SOURCES), "@FIFO", "@DIR", "@ZERO", "@CONTROL_POLICY"]
FILE_ARGUMENTS = ["@FIFO", "@DIR", "@ZERO", "@CONTROL_FACTS", "@CONTROL_MEETINGS", "-"]
near_edge = st.sampled_from(EDGE_ARGUMENTS) | days.map(dt.date.isoformat)


def _option(name: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.just([]) | values.map(lambda value: [name, value])


@st.composite
def edge_command_lines(draw: st.DrawFn) -> list[str]:
    """A command line of the right shape whose values come from the edges."""
    command = draw(st.sampled_from(["show", "validate", "compliance", "calendar", "check"]))
    policy = [draw(st.sampled_from(POLICY_ARGUMENTS))]
    if command in ("show", "validate"):
        lang = draw(_option("--lang", st.sampled_from(["nb", "da", "en", "sv"])))
        return [command, *policy, *(lang if command == "show" else [])]
    if command == "check":
        what = draw(st.sampled_from([*checks.Check]))
        return [command, what, *policy, draw(st.sampled_from(FILE_ARGUMENTS)), "--json"]
    parts = [command, *policy]
    if command == "compliance":
        parts += ["--as-of", draw(near_edge)]
        parts += draw(_option("--since", near_edge))
        parts += draw(st.just([]) | st.just(["--json"]))
    else:
        parts += draw(_option("--from", near_edge)) + draw(_option("--to", near_edge))
        parts += draw(_option("--alarm", st.sampled_from(EDGE_ARGUMENTS)))
        parts += draw(_option("--generated", st.sampled_from(EDGE_ARGUMENTS)))
        parts += draw(st.sampled_from([[], ["--todos"], ["--format", "jcal"]]))
    parts += draw(_option("--meetings", st.sampled_from(FILE_ARGUMENTS)))
    return parts


@fuzz
@given(edge_command_lines())
def test_edges_through_every_command(
    capsys: pytest.CaptureFixture[str],
    specials: dict[str, str],
    deadline: None,
    argv: list[str],
) -> None:
    argv = [specials.get(arg, arg) for arg in argv]
    status, out, _ = _command(capsys, argv)
    if status == 0 and argv[0] == "calendar" and "jcal" not in argv:
        assert _printable(out.replace("\r\n", "\n")), out
    if status == 0 and argv[0] in ("show", "compliance") and "--json" not in argv:
        assert _printable(out), out


@fuzz
@given(
    testing.policies(),
    st.sampled_from(EDGE_DAYS) | days,
    st.sampled_from(EDGE_DAYS) | days,
    st.none() | st.sampled_from(EDGE_MOMENTS),
    st.just(7) | st.sampled_from([0, 3660, 3661, 10**6]),
)
def test_edge_ranges_through_schedules_and_calendars(
    policy: fv.Policy, start: dt.date, end: dt.date, generated: Any, alarm: int
) -> None:
    if (end - start).days > 3 * 366 and start.year > 1800 and end.year < 2300:
        end = start + dt.timedelta(days=3 * 366)  # long supported ranges: test_limits.py
    _safely(obligations.schedule, policy, start, end)
    _safely(obligations.compliance, policy, [], end)
    data = _safely(calendar.to_ics, policy, start, end, alarm=alarm, generated=generated)
    if data is not None:
        assert _printable(data.decode("utf-8").replace("\r\n", "\n"))


_AFTER = dt.datetime(2210, 1, 1)


@st.composite
def edge_spans(draw: st.DrawFn) -> tuple[str, str]:
    """A booking's start and end as JSON text: an edge instant and one near it or another edge."""
    start = draw(st.sampled_from(EDGE_MOMENTS) | st.datetimes(dt.datetime(1890, 1, 1), _AFTER))
    if draw(st.booleans()):
        hours = draw(st.integers(min_value=-2, max_value=30))
        try:
            end = start + dt.timedelta(hours=hours, microseconds=draw(st.integers(0, 10**6)))
        except OverflowError:
            end = start
        return start.isoformat(), end.isoformat()
    near = st.datetimes(dt.datetime(1890, 1, 1), _AFTER)
    return start.isoformat(), draw(st.sampled_from(EDGE_TEXTS) | near.map(dt.datetime.isoformat))


@fuzz
@given(
    testing.policies(),
    edge_spans(),
    st.sampled_from(["school", "sports_facility", "culture_house", "other"]),
    testing.tariffs(),
)
def test_edge_times_through_rental(
    policy: fv.Policy, span: tuple[str, str], kind: str, tariff: fv.Tariff
) -> None:
    start, end = span
    booking = _safely(
        fv.from_json, fv.Booking, {"premises": {"kind": kind}, "start": start, "end": end}
    )
    if booking is None:
        return
    quote = _safely(rental.quote, policy, booking, tariff)
    if quote is not None and quote.price is not None and quote.list_price is not None:
        assert 0 <= quote.price <= quote.list_price
    assert fv.from_json(fv.Booking, fv.to_json(booking)) == booking
