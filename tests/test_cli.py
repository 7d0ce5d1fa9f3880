"""The command line: policies, show and validate, exit codes and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from frivillighet.cli import main

HEMNES = (resources.files("frivillighet") / "policies" / "hemnes.toml").read_text("utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as stop:  # argparse's usage errors and --help
        status = int(stop.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_policies_lists_the_five_builtins(capsys) -> None:
    status, out, err = run(capsys, "policies")
    assert status == 0 and not err
    assert [line.split()[0] for line in out.splitlines()] == [
        "hemnes",
        "lier",
        "nn",
        "stange",
        "vesthimmerland",
    ]
    assert "Vesthimmerland" in out and "DK" in out


def test_show_lists_rules_obligations_and_sources(capsys) -> None:
    status, out, _ = run(capsys, "show", "hemnes", "--lang", "en")
    assert status == 0
    for text in [
        "Hemnes (NO, nb): Strategi for frivillighet (2015 – 2019)",
        "hemnes.volunteer.active  [active_participation]",
        "«forutsetter en aktiv deltaker(e). Medlemskap i en organisasjon er i seg selv ikke "
        "frivillighet.»",
        "hemnes.obligation.june_status  Municipal council reviews the state of volunteering",
        "annual (month: 6)",
        "once (due: 2016-03-31)",
        "frivillighetsrad: the volunteer council",
        "hemnes.grants.consult_council",
        "hemnes.hearing.council",
    ]:
        assert text in out


def test_show_uses_the_policy_language_by_default(capsys) -> None:
    _, out, _ = run(capsys, "show", "vesthimmerland")
    assert "Dialogmøde mellem kommunen og de frivillige organisationer" in out


@pytest.mark.parametrize("policy_id", ["hemnes", "lier", "nn", "stange", "vesthimmerland"])
def test_show_works_for_every_builtin(capsys, policy_id: str) -> None:
    status, out, err = run(capsys, "show", policy_id)
    assert status == 0 and not err
    assert f"{policy_id}." in out


def test_show_accepts_a_policy_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "kommune.toml"
    path.write_text(HEMNES, "utf-8")
    status, out, _ = run(capsys, "show", str(path))
    assert status == 0 and "hemnes.volunteer.unpaid" in out


def test_validate_a_good_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "kommune.toml"
    path.write_text(HEMNES, "utf-8")
    status, out, _ = run(capsys, "validate", str(path))
    assert status == 0
    assert out == f"{path}: valid policy 'hemnes' (Hemnes), 21 rules\n"


def test_validate_a_bad_file_names_file_and_key(capsys, tmp_path: Path) -> None:
    path = tmp_path / "kommune.toml"
    path.write_text(HEMNES.replace("month = 6", "month = 13"), "utf-8")
    status, out, err = run(capsys, "validate", str(path))
    assert status == 2 and not out
    assert err == (
        f"frivillighet: error: {path}: obligations[0].recurrence.month: "
        "expected an integer from 1 to 12, got 13\n"
    )


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["show", "oslo"], "unknown policy id 'oslo'; built-in policies are: hemnes, lier"),
        (["validate", "missing.toml"], "missing.toml: no such file"),
        (["validate", "policy.txt"], "expected a policy file ending in .toml"),
        (["show", "hemnes", "--lang", "sv"], "invalid choice: 'sv'"),
        (["bogus"], "invalid choice: 'bogus'"),
        ([], "required: COMMAND"),
    ],
)
def test_bad_usage_or_input_is_one_line_and_exit_2(capsys, argv: list[str], words: str) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert not out
    assert err.count("\n") == 1 and words in err
    assert "Traceback" not in err


def test_help_shows_examples(capsys) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "frivillighet show hemnes" in out
    status, out, _ = run(capsys, "validate", "--help")
    assert status == 0 and "example: frivillighet validate" in out


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", "show", "oslo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("frivillighet: error: unknown policy id 'oslo'")
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", "policies"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("hemnes")
