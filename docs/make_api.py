"""Write docs/api.md from the public names and docstrings: `python docs/make_api.py`.

tests/test_docs.py checks that docs/api.md is what this script writes, so the reference never
drifts from the code.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import sys
import types
from pathlib import Path

import attrs

MODULES = [
    "frivillighet",
    "frivillighet.rules.common",
    "frivillighet.rules.volunteer_work",
    "frivillighet.rules.council",
    "frivillighet.rules.grants",
    "frivillighet.rules.partnership",
    "frivillighet.rules.rental",
    "frivillighet.rules.obligations",
    "frivillighet.calendar",
    "frivillighet.dates",
    "frivillighet.checks",
    "frivillighet.schema",
    "frivillighet.testing",
    "frivillighet.policy",
]


def _doc(obj: object) -> str:
    return inspect.cleandoc(obj.__doc__ or "").strip()


def _annotation(cls: type, name: str) -> str:
    """A field's type as written in the source (attrs may have resolved it in place)."""
    for klass in cls.__mro__:
        written = vars(klass).get("__annotations__", {}).get(name)
        if isinstance(written, str):
            return written
        if written is not None:
            return getattr(written, "__name__", "?")
    return "?"


def _entry(module: str, name: str, obj: object) -> list[str]:
    lines = []
    if inspect.isclass(obj) and issubclass(obj, enum.Enum):
        values = ", ".join(f"`{member.value}`" for member in obj)
        lines += [f"### `{name}` (enum)", "", _doc(obj), "", f"Values: {values}.", ""]
    elif inspect.isclass(obj) and attrs.has(obj):
        lines += [f"### `{name}`", "", _doc(obj), ""]
        fields = attrs.fields(obj)
        if fields:
            lines += ["| field | type | default |", "| --- | --- | --- |"]
            for field in fields:
                default = "required" if field.default is attrs.NOTHING else f"`{field.default!r}`"
                shown = _annotation(obj, field.name).replace("|", "\\|")
                lines.append(f"| `{field.name}` | `{shown}` | {default} |")
            lines.append("")
        for attribute, member in vars(obj).items():
            if attribute.startswith("_"):
                continue
            if isinstance(member, property):
                lines.append(f"- `{attribute}` (property): {_doc(member.fget)}")
            elif inspect.isfunction(member):
                lines.append(f"- `{attribute}{inspect.signature(member)}`: {_doc(member)}")
        lines.append("")
    elif inspect.isclass(obj):
        lines += [f"### `{name}`", "", _doc(obj), ""]
    elif callable(obj) and not isinstance(obj, types.GenericAlias):
        lines += [f"### `{name}{inspect.signature(obj)}`", "", _doc(obj), ""]
    else:
        lines += [f"### `{name}`", "", f"`{obj!r}`", ""]
    return lines


def render() -> str:
    """The Markdown of docs/api.md."""
    lines = [
        "# API reference",
        "",
        "Generated from the docstrings by `python docs/make_api.py`; do not edit by hand.",
        "",
    ]
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        lines += [f"## `{module_name}`", "", _doc(module), ""]
        for name in getattr(module, "__all__", []):
            lines += _entry(module_name, name, getattr(module, name))
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("api.md")
    target.write_text(render(), "utf-8")
    sys.stdout.write(f"wrote {target}\n")
