"""The README's Python example runs and says what the README shows, and every page renders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]


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


def _closes(fence: str, line: str) -> bool:
    """Whether `line` closes a code fence opened with `fence` (CommonMark: the same character,
    at least as many of it, at most three spaces of indent, nothing but spaces after)."""
    stripped = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and len(stripped) >= len(fence)
        and set(stripped) == {fence[0]}
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_page_renders_with_its_headings_and_closed_code_blocks(page: Path) -> None:
    text = page.read_text("utf-8")
    lines = text.splitlines()
    tokens = MarkdownIt("commonmark").parse(text)
    rendered = {token.map[0] for token in tokens if token.type == "heading_open" and token.map}
    swallowed = [
        f"line {number}: {line}"
        for number, line in enumerate(lines, start=1)
        if line.startswith("## ") and number - 1 not in rendered
    ]
    assert not swallowed, f"{page.name}: headings rendered as something else: {swallowed}"
    unclosed = [
        f"line {token.map[0] + 1}: {lines[token.map[0]]}"
        for token in tokens
        if token.type == "fence"
        and token.map
        and token.map[1] == len(lines)
        and not (token.map[1] - 1 > token.map[0] and _closes(token.markup, lines[-1]))
    ]
    assert not unclosed, f"{page.name}: code fences that never close: {unclosed}"
