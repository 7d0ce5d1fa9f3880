"""The documentation tells the truth: its Python examples run, and the API reference is current."""

from __future__ import annotations

import doctest
import os
import re
import runpy
from pathlib import Path

import pytest

from frivillighet.policy import rule_kinds

ROOT = Path(__file__).resolve().parents[1]
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
PYTHON = re.compile(r"```python\n(.*?)```", re.S)
EXAMPLE_POLICY = re.compile(r"```toml\n((?:#[^\n]*\n|\n)*id = \"eksempel\".*?)```", re.S)


@pytest.mark.parametrize(
    "page", [p for p in PAGES if PYTHON.search(p.read_text("utf-8"))], ids=lambda p: p.name
)
def test_every_python_example_runs(
    page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace: dict[str, object] = {}
    here = Path.cwd()
    os.chdir(tmp_path)  # examples that write files write them here
    example = EXAMPLE_POLICY.search((ROOT / "docs" / "policy-format.md").read_text("utf-8"))
    assert example, "policy-format.md has its complete example policy"
    (tmp_path / "eksempel.toml").write_text(example.group(1), "utf-8")  # the examples load it
    registered = {found.base: dict(found.kinds) for found in rule_kinds()}
    try:
        for number, block in enumerate(PYTHON.findall(page.read_text("utf-8")), start=1):
            name = f"{page.name} example {number}"
            if block.lstrip().startswith(">>>"):  # an interactive session: its output must match
                test = doctest.DocTestParser().get_doctest(block, namespace, name, str(page), 0)
                runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
                runner.run(test, out=lambda text: None, clear_globs=False)
                assert runner.failures == 0, f"{name}: the shown output differs from a real run"
            else:
                exec(compile(block, name, "exec", dont_inherit=True), namespace)
    finally:
        os.chdir(here)
        for found in rule_kinds():  # a page may register a kind of its own, as an example
            found.kinds.clear()
            found.kinds.update(registered[found.base])
    capsys.readouterr()


def test_the_api_reference_is_generated_from_the_docstrings() -> None:
    generator = runpy.run_path(str(ROOT / "docs" / "make_api.py"))
    expected = generator["render"]()
    assert (ROOT / "docs" / "api.md").read_text("utf-8") == expected, (
        "docs/api.md is out of date: run `python docs/make_api.py`"
    )


def test_the_tables_of_rule_kinds_are_generated_from_the_registry() -> None:
    generator = runpy.run_path(str(ROOT / "docs" / "make_api.py"))
    text = (ROOT / "docs" / "policy-format.md").read_text("utf-8")
    assert text == generator["render_kinds"](text), (
        "docs/policy-format.md's tables of rule kinds are stale: run `python docs/make_api.py`"
    )
    for found in rule_kinds():
        assert f"<!-- kinds: {found.base.__name__} -->" in text
        for word in found.kinds:
            assert f"| `{word}` |" in text


def test_extending_md_shows_the_row_the_script_writes_for_its_example_kind() -> None:
    page = (ROOT / "docs" / "extending.md").read_text("utf-8")
    generator = runpy.run_path(str(ROOT / "docs" / "make_api.py"))
    registered = {found.base: dict(found.kinds) for found in rule_kinds()}
    try:
        exec(compile(PYTHON.findall(page)[0], "extending.md", "exec", dont_inherit=True), {})
        text = (ROOT / "docs" / "policy-format.md").read_text("utf-8")
        rows = generator["render_kinds"](text).splitlines()
    finally:
        for found in rule_kinds():
            found.kinds.clear()
            found.kinds.update(registered[found.base])
    row = next(line for line in rows if line.startswith("| `max_amount` |"))
    assert f"```text\n{row}\n```" in page
