"""Hostile input and failing output: every edge is an `fv.Error` from the API and, from the
command line, exit 2 with one line on stderr (70 for an internal error), never a traceback,
a hang or a lost file."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest

import frivillighet as fv
from frivillighet import cli, inputs
from frivillighet.policy import MAX_POLICY_SIZE, parse_policy, policy_from_data
from frivillighet.verdict import Verdict

HEMNES = (resources.files("frivillighet") / "policies" / "hemnes.toml").read_text("utf-8")
HUGE = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000


def deep_list(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def cli_run(*argv: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process, which cannot hang the tests."""
    return subprocess.run(
        [sys.executable, "-m", "frivillighet", *argv],
        capture_output="stdout" not in options,
        text=True,
        check=False,
        timeout=60,
        **options,
    )


def one_error_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("frivillighet: error: ")
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr


def in_process(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# --- reading input files -------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


def test_a_fifo_or_a_device_is_refused_before_it_is_read(fifo: Path, tmp_path: Path) -> None:
    script = (
        "import sys, frivillighet as fv\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        fv.load_policy(path)\n"
        "    except fv.PolicyError as error:\n"
        "        print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(fifo), "/dev/zero", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == [
        f"{fifo}: expected a regular file, got a pipe (FIFO)",
        "/dev/zero: expected a regular file, got a character device",
        f"{tmp_path}: expected a regular file, got a directory",
    ]


def test_the_command_line_refuses_a_fifo_or_dev_zero_for_every_input(tmp_path: Path) -> None:
    for name in ("facts.json", "meetings.json", "meetings.csv", "policy.toml"):
        os.mkfifo(tmp_path / name)
    fifos = {name: str(tmp_path / name) for name in os.listdir(tmp_path)}
    for argv in [
        ["validate", fifos["policy.toml"]],
        ["show", "/dev/zero"],
        ["check", "volunteer-work", "hemnes", fifos["facts.json"]],
        ["check", "volunteer-work", "hemnes", "/dev/zero"],
        ["compliance", "hemnes", "--as-of", "2024-01-01", "--meetings", fifos["meetings.csv"]],
        ["compliance", "hemnes", "--as-of", "2024-01-01", "--meetings", fifos["meetings.json"]],
    ]:
        one_error_line(cli_run(*argv), "expected a regular file")


def test_reading_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "sparse.json"
    with path.open("wb") as file:
        file.truncate(inputs.MAX_FACTS_SIZE + 1)
    with pytest.raises(fv.InputError, match=f"larger than {inputs.MAX_FACTS_SIZE} bytes"):
        inputs.read_text(path, inputs.MAX_FACTS_SIZE)
    one_error_line(cli_run("check", "volunteer-work", "hemnes", str(path)), "larger than")
    policy = tmp_path / "sparse.toml"
    with policy.open("wb") as file:
        file.truncate(4 * MAX_POLICY_SIZE + 1)
    with pytest.raises(fv.PolicyError, match="larger than") as raised:
        fv.load_policy(policy)
    assert raised.value.file == str(policy)


def test_standard_input_is_bounded_too(monkeypatch, capsys) -> None:
    monkeypatch.setattr(cli, "MAX_FACTS_SIZE", 10)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"activity": {}}')))
    status, out, err = in_process(capsys, "check", "volunteer-work", "hemnes", "-")
    assert status == 2 and not out
    assert err == "frivillighet: error: standard input: larger than 10 bytes\n"


# --- hostile data --------------------------------------------------------------------------------


def test_huge_integers_and_deep_nesting_in_facts_are_input_errors() -> None:
    with pytest.raises(fv.InputError, match="held: expected a date") as raised:
        fv.from_json(fv.Meeting, {"obligation": "x", "held": 10**5000})
    assert raised.value.field == "held"
    with pytest.raises(fv.InputError, match="description: expected a string"):
        fv.from_json(fv.Activity, {"description": deep_list(100_000)})
    with pytest.raises(fv.InputError, match="outcome: expected one of"):
        fv.from_json(Verdict, {"outcome": 10**5000, "findings": [], "missing": []})


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        ('{"activity": {"pay": ' + HUGE + "}}", "not valid JSON (an integer of more than"),
        ('{"activity": ' + DEEP + "}", "not valid JSON (nested too deeply)"),
        ('{"activity": {"description": ' + "[" * 900 + "]" * 900 + "}}", "expected a string"),
    ],
)
def test_huge_integers_and_deep_nesting_in_facts_files_are_one_line(
    tmp_path: Path, facts: str, words: str
) -> None:
    path = tmp_path / "facts.json"
    path.write_text(facts, "utf-8")
    one_error_line(cli_run("check", "volunteer-work", "hemnes", str(path)), str(path), words)


@pytest.mark.parametrize(
    ("records", "words"),
    [
        ('[{"obligation": "x", "held": ' + HUGE + "}]", "an integer of more than"),
        (DEEP, "nested too deeply"),
    ],
)
def test_huge_integers_and_deep_nesting_in_meeting_records_are_one_line(
    tmp_path: Path, records: str, words: str
) -> None:
    path = tmp_path / "meetings.json"
    path.write_text(records, "utf-8")
    done = cli_run("compliance", "hemnes", "--as-of", "2024-01-01", "--meetings", str(path))
    one_error_line(done, str(path), words)


def test_a_csv_field_over_the_csv_limit_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "meetings.csv"
    path.write_text(f'obligation,held\n"{"x" * 200_000}",2024-01-01\n', "utf-8")
    done = cli_run("compliance", "hemnes", "--as-of", "2024-01-01", "--meetings", str(path))
    one_error_line(done, f"{path}: line 2: not valid CSV")


def test_huge_integers_and_deep_nesting_in_policy_data_are_policy_errors() -> None:
    data = tomllib.loads(HEMNES)
    with pytest.raises(fv.PolicyError, match="at most 64 bits") as raised:
        policy_from_data({**data, "period": {"first": 10**5000, "last": 2019}}, "p.toml")
    assert (raised.value.file, raised.value.key) == ("p.toml", "period.first")
    deep: dict[str, Any] = {}
    for _ in range(100_000):
        deep = {"a": deep}
    for nested in (deep, {**data, "obligations": deep_list(100_000)}):
        with pytest.raises(fv.PolicyError, match="nested too deeply"):
            policy_from_data(nested)
    for text in ("a = " + HUGE, "a = " + DEEP, "a = " + "[" * 40 + "]" * 40):
        with pytest.raises(fv.PolicyError, match=r"not valid TOML|nested too deeply"):
            parse_policy(text, "p.toml")


@pytest.mark.parametrize(
    "text", ["a = " + HUGE, "a = " + DEEP, HEMNES + "x = " + "[" * 40 + "]" * 40]
)
def test_huge_integers_and_deep_nesting_in_policy_files_are_one_line(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text, "utf-8")
    one_error_line(cli_run("validate", str(path)), str(path))


def test_a_lone_surrogate_in_a_name_is_an_input_error_naming_the_field(tmp_path: Path) -> None:
    with pytest.raises(fv.InputError, match="lone surrogate") as raised:
        fv.from_json(fv.Member, {"name": "\ud800"})
    assert raised.value.field == "name"
    with pytest.raises(fv.InputError, match="lone surrogate") as raised:
        fv.Agreement(parties=["Lier", "\udfff"])
    assert raised.value.field == "Agreement.parties[1]"
    path = tmp_path / "facts.json"
    path.write_text('{"council": {"members": [{"name": "\\ud800"}]}}', "utf-8")
    one_error_line(
        cli_run("check", "council", "hemnes", str(path)),
        f"{path}: council.members[0].name: expected text without lone surrogates",
    )


def test_unknown_keys_of_mixed_types_are_named() -> None:
    with pytest.raises(fv.InputError, match="unknown key 1, 'x'"):
        fv.from_json(fv.Activity, {1: 0, "x": 0})
    with pytest.raises(fv.InputError, match="unknown key"):
        fv.from_json(Verdict, {"outcome": "yes", "findings": [], "missing": [], 1: 0, "x": 0})
    with pytest.raises(fv.PolicyError, match="unknown key"):
        policy_from_data({**tomllib.loads(HEMNES), 1: 0, "x": 0})


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("check = ['a']\nexpect = 'yes'", "cases[0].check: unknown check"),
        ("check = 'volunteer-work'\nexpect = ['yes']", "cases[0].expect: expected one of"),
    ],
)
def test_scenario_cases_with_arrays_are_collection_errors(
    pytester: pytest.Pytester, case: str, words: str
) -> None:
    path = pytester.makefile(
        ".scenarios.toml", broken=f"policy = 'stange'\n[[cases]]\nname = 'x'\nfacts = {{}}\n{case}"
    )
    result = pytester.runpytest()
    assert result.ret != 0
    out = result.stdout.str()
    assert f"{path}: {words}" in out and "Traceback" not in out


def test_a_scenario_file_with_a_huge_integer_is_a_collection_error(
    pytester: pytest.Pytester,
) -> None:
    path = pytester.makefile(".scenarios.toml", huge=f"policy = {HUGE}")
    result = pytester.runpytest()
    assert f"{path}: cannot read it as TOML (an integer of more than" in result.stdout.str()


# --- text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\f", "\\u0000", "\\u001b[2J", "\\u202e", "\\u2066", "\\r"])
def test_a_control_character_in_a_policy_text_names_the_key(tmp_path: Path, escape: str) -> None:
    text = HEMNES.replace('title = "', f'title = "{escape}', 1)
    with pytest.raises(fv.PolicyError, match="expected text without control characters") as error:
        parse_policy(text, "hemnes.toml")
    assert (error.value.file, error.value.key) == ("hemnes.toml", "title")
    data = tomllib.loads(HEMNES)
    data["obligations"][1]["title"]["en"] = "Due\u202eeud"
    with pytest.raises(fv.PolicyError) as error:
        policy_from_data(data)
    assert error.value.key == "obligations[1].title.en"
    path = tmp_path / "hemnes.toml"
    path.write_text(text, "utf-8")
    one_error_line(cli_run("validate", str(path)), f"{path}: title: expected text without")


def test_tabs_and_newlines_in_policy_texts_are_kept() -> None:
    policy = parse_policy(HEMNES.replace('title = "', 'title = "\\t', 1))
    assert policy.title.startswith("\t")


def test_show_escapes_what_the_policy_says(monkeypatch, capsys) -> None:
    odd = attrs.evolve(fv.load_policy("hemnes"), title="Strategi\x1b[2J\u202e\x0c")
    monkeypatch.setattr(cli, "load_policy", lambda _: odd)
    status, out, _ = in_process(capsys, "show", "hemnes")
    assert status == 0
    assert "Strategi\\x1b[2J\\u202e\\x0c" in out.splitlines()[0]
    assert not any(char in out for char in "\x1b\u202e\x0c")


def test_check_and_validate_escape_what_the_facts_and_paths_say(capsys, tmp_path: Path) -> None:
    facts = {
        "council": {
            "kind": "frivillighetsrad",
            "members": [{"represents": {"kind": "bygdeutvalg", "name": "K\x1b[31m"}}],
        },
        "registry": [{"kind": "bygdeutvalg", "name": "Korgen"}],
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), "utf-8")
    status, out, _ = in_process(capsys, "check", "council", "hemnes", str(path), "--lang", "en")
    assert status == 1 and "K\\x1b[31m" in out and "\x1b" not in out
    status, out, _ = in_process(capsys, "check", "council", "hemnes", str(path), "--json")
    assert json.loads(out)["outcome"] == "no"
    odd = tmp_path / "a\x1b]0;b.toml"
    odd.write_text(HEMNES, "utf-8")
    status, out, _ = in_process(capsys, "validate", str(odd))
    assert status == 0 and "a\\x1b]0;b.toml: valid policy 'hemnes'" in out


# --- output --------------------------------------------------------------------------------------


def test_a_full_stdout_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "w") as full:
        done = cli_run("policies", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert (
        done.stderr
        == "frivillighet: error: standard output: cannot write (No space left on device)\n"
    )


def test_a_reader_that_goes_away_ends_the_output_quietly() -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "frivillighet",
            "calendar",
            "hemnes",
            "--from",
            "2024-01-01",
            "--to",
            "2030-12-31",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.read(10)
    child.stdout.close()
    assert child.wait(timeout=60) == 0
    assert child.stderr.read() == b""


CALENDAR = ["calendar", "hemnes", "--from", "2024-01-01", "--to", "2024-12-31"]


def test_output_replaces_the_file_whole(capsys, tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    target.write_text("old", "utf-8")
    target.chmod(0o640)
    status, _, _ = in_process(capsys, *CALENDAR, "-o", str(target))
    assert status == 0 and target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["out.ics"]


def test_a_new_output_file_gets_the_umask(capsys, tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        status, _, _ = in_process(capsys, *CALENDAR, "-o", str(tmp_path / "new.ics"))
    finally:
        os.umask(old)
    assert status == 0 and stat.S_IMODE((tmp_path / "new.ics").stat().st_mode) == 0o640


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_untouched(
    monkeypatch, capsys, tmp_path: Path, failing: str
) -> None:
    target = tmp_path / "out.ics"
    target.write_text("old", "utf-8")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    status, out, err = in_process(capsys, *CALENDAR, "-o", str(target))
    assert status == 2 and not out
    assert (
        err == f"frivillighet: error: {target}: cannot write the file (No space left on device)\n"
    )
    assert target.read_text("utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.ics"]


def test_output_to_a_missing_folder_is_one_line(capsys, tmp_path: Path) -> None:
    status, _, err = in_process(capsys, *CALENDAR, "-o", str(tmp_path / "no" / "out.ics"))
    assert status == 2 and "cannot write the file (No such file or directory)" in err


# --- exit codes ----------------------------------------------------------------------------------


def test_an_internal_error_exits_70_asking_for_a_report(monkeypatch, capsys) -> None:
    def broken() -> None:
        raise RuntimeError("boom\nand more")

    monkeypatch.setattr(cli, "_policies", broken)
    status, out, err = in_process(capsys, "policies")
    assert status == 70 and not out
    assert err.count("\n") == 1
    assert err.startswith("frivillighet: internal error (RuntimeError: boom\\nand more); please")
    assert "report it" in err


def test_an_interrupt_exits_130_without_a_traceback(monkeypatch, capsys) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_policies", interrupted)
    status, out, err = in_process(capsys, "policies")
    assert (status, out, err) == (130, "", "")
