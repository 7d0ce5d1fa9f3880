"""Write docs/api.md from the public names and docstrings, and the tables of rule kinds in
docs/policy-format.md from the registry of rule kinds: `python docs/make_api.py`.

tests/test_docs.py checks that both are what this script writes, so the reference never drifts
from the code. A table of kinds stands between `<!-- kinds: BASE -->` and `<!-- /kinds -->`.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import inspect
import json
import re
import sys
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from frivillighet import to_json
from frivillighet.policy import builtin_policies, load_policy, rule_kinds
from frivillighet.rules.common import in_range, not_empty

MODULES = [
    "frivillighet",
    "frivillighet.rules.common",
    "frivillighet.rules.volunteer_work",
    "frivillighet.rules.council",
    "frivillighet.rules.grants",
    "frivillighet.rules.partnership",
    "frivillighet.rules.hearings",
    "frivillighet.rules.checklists",
    "frivillighet.rules.rental",
    "frivillighet.rules.obligations",
    "frivillighet.calendar",
    "frivillighet.dates",
    "frivillighet.checks",
    "frivillighet.schema",
    "frivillighet.testing",
    "frivillighet.verify",
    "frivillighet.policy",
    "frivillighet.service",
    "frivillighet.page",
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


_KINDS = re.compile(r"(<!-- kinds: (\w+) -->\n)(.*?)(<!-- /kinds -->)", re.DOTALL)


def render_kinds(text: str) -> str:
    """`text` (docs/policy-format.md) with each table of rule kinds written anew."""
    families = {found.base.__name__: found for found in rule_kinds()}
    return _KINDS.sub(lambda match: match[1] + _kinds_table(families[match[2]]) + match[4], text)


def _kinds_table(found: Any) -> str:
    seeds: dict[type, list[str]] = {}
    for policy in map(load_policy, builtin_policies()):
        for rule in policy.rules():
            for item in (rule, getattr(rule, "recurrence", None)):
                if isinstance(item, found.base):
                    ids = seeds.setdefault(type(item), [])
                    if rule.id not in ids:
                        ids.append(rule.id)
    shared = {field.name for field in attrs.fields(found.base)}
    lines = [f"| `{found.key}` | settings | meaning | seed rules |", "|---|---|---|---|"]
    for word, cls in found.kinds.items():
        hints = typing.get_type_hints(cls)
        settings = "; ".join(
            _setting(field, hints[field.name])
            for field in attrs.fields(cls)
            if field.name not in shared
        )
        used = ", ".join(f"`{rule}`" for rule in seeds.get(cls, [])) or "none"
        meaning = " ".join(_doc(cls).split())
        lines.append(f"| `{word}` | {settings or '—'} | {meaning} | {used} |")
    return "\n".join(lines) + "\n"


def _setting(field: Any, hint: Any) -> str:
    words = str(field.validator) if isinstance(field.validator, in_range) else _words(hint)
    if field.validator is not_empty:
        words += ", at least one"
    if field.default is attrs.NOTHING:
        words += ", required"
    elif field.default is not None:
        words += f", default `{json.dumps(to_json(field.default), ensure_ascii=False)}`"
    return f"`{field.name}`: {words}"


def _words(hint: Any) -> str:
    """A field's type in the words of the policy format."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_words(arg) for arg in args if arg is not type(None))
    if origin is tuple:
        return f"array of {_words(args[0])}"
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return ", ".join(f'`"{member.value}"`' for member in hint)
    if isinstance(hint, type) and attrs.has(hint):
        inner = typing.get_type_hints(hint)
        keys = ", ".join(
            f"{field.name} = {_words(inner[field.name])}" for field in attrs.fields(hint)
        )
        return f"tables `{{ {keys} }}`"
    names = {
        int: "integer",
        bool: "boolean",
        str: "string",
        dt.date: "date",
        dt.time: "time",
        Decimal: "amount (integer or decimal string)",
    }
    return names[hint]


def _policy_format() -> Path:
    return Path(__file__).with_name("policy-format.md")


if __name__ == "__main__":
    target = Path(__file__).with_name("api.md")
    target.write_text(render(), "utf-8")
    sys.stdout.write(f"wrote {target}\n")
    formats = _policy_format()
    formats.write_text(render_kinds(formats.read_text("utf-8")), "utf-8")
    sys.stdout.write(f"wrote the tables of rule kinds in {formats}\n")
