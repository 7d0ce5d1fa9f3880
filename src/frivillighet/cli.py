"""The `frivillighet` command line: list, show and validate policies.

Exit status: 0 on success, 2 for bad usage or bad input (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn, cast

import attrs

from frivillighet.errors import Error
from frivillighet.policy import Obligation, Policy, Rule, builtin_policies, load_policy
from frivillighet.verdict import Citation, Language, Text

__all__ = ["main"]

_EXAMPLES = """\
examples:
  frivillighet policies
  frivillighet show hemnes --lang en
  frivillighet validate my-municipality.toml
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="frivillighet",
        description="Municipal volunteering policies as executable, explainable rules.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "policies",
        help="list the built-in policies",
        description="List the built-in policies: id, municipality, country and title.",
    )
    show = commands.add_parser(
        "show",
        help="rules, obligations and sources of a policy",
        description="Show every rule of a policy with its building block and its source.",
        epilog="example: frivillighet show hemnes --lang en",
    )
    show.add_argument("policy", metavar="POLICY", help="a built-in policy id or a .toml file")
    show.add_argument(
        "--lang", choices=list(Language), help="language of titles (default: the policy's)"
    )
    validate = commands.add_parser(
        "validate",
        help="check a policy file",
        description="Check a policy file; print what is wrong (file, key, expected) or a summary.",
        epilog="example: frivillighet validate my-municipality.toml",
    )
    validate.add_argument("file", metavar="FILE.toml", help="the policy file to check")
    for sub in commands.choices.values():
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
        sub.error = parser.error  # type: ignore[method-assign]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: `sys.argv[1:]`); return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "policies":
            lines = _policies()
        elif args.command == "show":
            policy = load_policy(args.policy)
            lines = _show(policy, Language(args.lang or policy.language))
        else:
            lines = _validate(args.file)
        sys.stdout.write("".join(f"{line}\n" for line in lines))
    except Error as error:
        sys.stderr.write(f"frivillighet: error: {error}\n")
        return 2
    return 0


def _policies() -> Iterator[str]:
    for policy_id in builtin_policies():
        policy = load_policy(policy_id)
        yield f"{policy.id:<16} {policy.municipality:<16} {policy.country}  {policy.title}"


def _validate(file: str) -> Iterator[str]:
    if not file.endswith(".toml"):
        raise Error(f"{file}: expected a policy file ending in .toml")
    policy = load_policy(file)
    rules = sum(1 for _ in policy.rules())
    yield f"{file}: valid policy {policy.id!r} ({policy.municipality}), {rules} rules"


_SECTIONS = (
    ("volunteer_work", "What counts as volunteer work (every criterion must hold)"),
    ("councils", "Councils"),
    ("obligations", "Obligations"),
    ("grants", "Grants"),
    ("rental", "Rental of municipal premises"),
    ("partnership", "Partnership agreements"),
    ("principles", "Principles"),
)


def _show(policy: Policy, lang: Language) -> Iterator[str]:
    yield f"{policy.municipality} ({policy.country}, {policy.language}): {policy.title}"
    dates = [
        f"{name.replace('_', ' ')} {value}"
        for name in ("dated", "adopted", "in_force", "ends")
        if (value := getattr(policy, name)) is not None
    ]
    if policy.period:
        dates.append(f"period {policy.period.first}–{policy.period.last}")
    yield f"  status {policy.status}; {'; '.join(dates)}; document {policy.document}"
    for name, heading in _SECTIONS:
        lines = list(_entries(getattr(policy, name), lang))
        if lines:
            yield ""
            yield heading
            yield from lines


def _entries(value: object, lang: Language, depth: int = 1) -> Iterator[str]:
    """Each rule below `value` with its building block, settings and source; a council or a
    grant scheme heads the rules it holds."""
    pad = "  " * depth
    if isinstance(value, tuple):
        for item in value:
            yield from _entries(item, lang, depth)
        return
    if not attrs.has(type(value)):
        return
    title = next((item.get(lang) for item in _own(value) if isinstance(item, Text)), "")
    if isinstance(value, Rule):
        block = f"  [{value.TAG}]" if hasattr(value, "TAG") else ""
        yield f"{pad}{value.id}{block}" + (f"  {title}" if title else "")
        if settings := _settings(value):
            yield f"{pad}    {settings}"
        if isinstance(value, Obligation):
            recurrence = value.recurrence
            yield f"{pad}    {recurrence.TAG}" + (f" ({s})" if (s := _settings(recurrence)) else "")
        yield f"{pad}    {_cited(value.source)}"
    elif title:
        yield f"{pad}{getattr(value, 'kind', None) or getattr(value, 'id', '')}: {title}"
    for item in _own(value):
        yield from _entries(item, lang, depth + 1 if title or isinstance(value, Rule) else depth)


def _own(value: object) -> Iterator[object]:
    for attribute in attrs.fields(cast(Any, type(value))):
        yield getattr(value, attribute.name)


def _settings(value: object) -> str:
    """The building block's own settings that differ from their defaults, as `key: value`."""
    parts = []
    for attribute in attrs.fields(cast(Any, type(value))):
        setting = getattr(value, attribute.name)
        items = setting if isinstance(setting, tuple) else (setting,)
        plain = all(isinstance(item, str | int) or "__str__" in vars(type(item)) for item in items)
        if attribute.name in ("id", "source") or not plain or setting == attribute.default:
            continue
        parts.append(f"{attribute.name}: {'; '.join(map(str, items))}")
    return "; ".join(parts)


def _cited(source: Citation) -> str:
    return f"«{source.quote}» ({source.section}, {source.document})"
