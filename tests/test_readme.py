"""The README's Python example runs and says what the README shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_example_runs_as_shown(capsys: pytest.CaptureFixture[str]) -> None:
    text = README.read_text("utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S)
    shown = re.search(r"```\n(Utfall:.*?)```", text, re.S)
    assert code and shown
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), str(README), "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    for line in shown.group(1).splitlines():
        if "..." not in line:
            assert line in printed
    verdict = namespace["verdict"]
    assert str(verdict.outcome) == "undetermined"  # type: ignore[attr-defined]
    assert verdict.missing == ("participation",)  # type: ignore[attr-defined]
