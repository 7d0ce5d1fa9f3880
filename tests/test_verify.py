"""`frivillighet verify`: soundness proven by enumeration, and a policy's lint."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import frivillighet as fv
from frivillighet.rules import partnership
from frivillighet.verdict import Text
from frivillighet.verify import Severity, verify


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frivillighet", "verify", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _seed(policy_id: str) -> str:
    return (resources.files("frivillighet") / "policies" / f"{policy_id}.toml").read_text("utf-8")


def test_every_builtin_policy_verifies_clean_from_the_command_line() -> None:
    done = _cli(*fv.builtin_policies())
    assert done.returncode == 0, done.stdout + done.stderr
    for policy_id in fv.builtin_policies():
        assert f"{policy_id}: sound" in done.stdout.splitlines()
    assert "Traceback" not in done.stderr


def test_undated_obligations_are_notes_not_problems() -> None:
    notes = [one for one in verify(fv.load_policy("nn")) if one.severity is Severity.NOTE]
    assert "nn.obligation.mapping" in {note.rule for note in notes}
    assert all("undated" in note.message for note in notes)


_GUESS = Text(en="Guessed.", nb="Gjettet.", da="Gættet.")


def test_an_unsound_rule_is_found_by_enumeration_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def guessing(agreement: fv.Agreement) -> tuple[bool | None, Text, tuple[str, ...]]:
        if agreement.replaces_public_service is None:
            return False, _GUESS, ()  # unknown taken as a NO: filling it in with false is a YES
        return not agreement.replaces_public_service, _GUESS, ()

    monkeypatch.setattr(partnership, "_supplement", guessing)
    found = [str(one) for one in verify(fv.load_policy("lier"))]
    unsound = [line for line in found if "unsound agreement" in line]
    assert unsound, found
    assert unsound[0].startswith("lier.partnership.supplement")
    assert "filling in replaces_public_service=False" in unsound[0]
    assert "fails became holds" in unsound[0]


def test_a_criterion_that_cannot_fail_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def always(agreement: fv.Agreement) -> tuple[bool | None, Text, tuple[str, ...]]:
        if agreement.replaces_public_service is None:
            return None, _GUESS, ("replaces_public_service",)
        return True, _GUESS, ()

    monkeypatch.setattr(partnership, "_supplement", always)
    found = [str(one) for one in verify(fv.load_policy("lier"))]
    assert "lier.partnership.supplement: lier.partnership.supplement never fails" in " ".join(found)


def test_lint_of_a_policy_file_names_each_rule_and_exits_1(tmp_path: Path) -> None:
    text = _seed("lier").replace(
        '[[rental.rules]]\nid = "lier.rental.simple_booking"',
        "[[rental.rules]]\n"
        'id = "lier.rental.half_price"\n'
        'test = "discount"\n'
        "percent = 50\n"
        'purposes = ["meeting"]\n'
        'source = { section = "3.1 Forutsigbare og gode rammevilkår", quote = "Gratis '
        'treningstid/øvelser og møter på ukedager" }\n\n'
        "[[obligations]]\n"
        'id = "lier.obligation.before_adoption"\n'
        'title = { nb = "Før vedtaket" }\n'
        'category = "report"\n'
        'recurrence = { kind = "once", due = 2016-12-31 }\n'
        'source = { section = "3.1 Forutsigbare og gode rammevilkår", quote = "Gratis '
        'treningstid/øvelser og møter på ukedager" }\n\n'
        '[[rental.rules]]\nid = "lier.rental.simple_booking"',
    )
    path = tmp_path / "lier-edited.toml"
    path.write_text(text, "utf-8")
    done = _cli(str(path))
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert any(
        line.startswith(f"{path}: lier.rental.half_price: overlaps lier.rental.free_weekday_use")
        for line in lines
    ), lines
    assert any(
        line.startswith(f"{path}: lier.obligation.before_adoption: never occurs") for line in lines
    ), lines
    assert lines[-1] == f"{path}: 2 problem(s)"


@pytest.mark.parametrize("name", ["no-such-policy", "/dev/null/x.toml"])
def test_bad_input_exits_2_with_one_line(name: str) -> None:
    done = _cli(name)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
