"""The `frivillighet` command line: list, show and validate policies; report compliance.

Exit status: 0 on success (for `check`: the verdict holds), 1 when a `check` verdict is NO or
UNDETERMINED or `verify` finds a problem, 2 for bad usage or bad input (one line on stderr, no
traceback), 70 for an internal error (a bug: one line asking to report it), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, cast

import attrs

from frivillighet import checks
from frivillighet.checks import Check
from frivillighet.conversion import to_json
from frivillighet.errors import Error, InputError
from frivillighet.inputs import MAX_FACTS_SIZE, parse_json, read_stdin, read_text
from frivillighet.model import iso, problem
from frivillighet.policy import (
    Policy,
    PolicyStatus,
    builtin_policies,
    load_policy,
    national_base,
    rule_kinds,
)
from frivillighet.records import placed, read_meetings
from frivillighet.rules import obligations
from frivillighet.rules.common import Rule
from frivillighet.rules.obligations import Obligation
from frivillighet.rules.rental import Quote
from frivillighet.verdict import Language, Text

__all__ = ["main"]

_EXAMPLES = """\
examples:
  frivillighet policies
  frivillighet show hemnes --lang en
  frivillighet validate my-municipality.toml
  frivillighet verify my-municipality.toml
  frivillighet compliance hemnes --meetings meetings.csv --as-of 2024-09-01
  frivillighet calendar hemnes lier --from 2025-01-01 --to 2026-12-31 -o compliance.ics
  frivillighet check volunteer-work hemnes activity.json --lang nb

exit status: 0 success (check: the verdict holds), 1 check: NO or UNDETERMINED, or verify:
  a problem, 2 bad usage or input, 70 internal error (please report it)
"""


def _one_line(text: str) -> str:
    """`text` with line breaks, control characters, bidirectional overrides and every other
    unprintable character but spaces escaped (`\\x0c`, `\\u202e`): what the program did not
    write itself stays on its line and cannot steer the terminal."""
    return "".join(
        c if c.isprintable() or unicodedata.category(c) == "Zs" else repr(c)[1:-1] for c in text
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {_one_line(message)} (see --help)\n")


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
        epilog="example: frivillighet policies",
    )
    show = commands.add_parser(
        "show",
        help="rules, obligations and sources of a policy",
        description="Show every rule of a policy with its kind, its settings and its source.",
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
    verify = commands.add_parser(
        "verify",
        help="prove a policy's rules sound and lint it",
        description=(
            "Check, over every finite fact space and every value and None, that filling in a\n"
            "missing fact never turns NO into YES or YES into NO; report deciding criteria that\n"
            "never fail or never hold, rental rules that overlap at different prices, and\n"
            "obligations that never occur. Undated obligations are reported as notes.\n"
            "Exit status: 0 when sound and clean, 1 with one line per problem, 2 for bad input."
        ),
        epilog="example: frivillighet verify my-municipality.toml hemnes",
    )
    verify.add_argument(
        "policies", nargs="+", metavar="POLICY", help="built-in policy ids or .toml files"
    )
    feed = commands.add_parser(
        "calendar",
        help="an iCalendar feed of the obligations of one or more policies",
        description=(
            "Write every obligation due from --from to --to as an all-day event (or a to-do),\n"
            "with its source; with --meetings and --as-of, each shows whether it was met."
        ),
        epilog=(
            "example: frivillighet calendar hemnes lier --from 2025-01-01 --to 2026-12-31"
            " -o compliance.ics"
        ),
    )
    feed.add_argument(
        "policies", nargs="+", metavar="POLICY", help="built-in policy ids or .toml files"
    )
    feed.add_argument(
        "--from", dest="start", required=True, type=_day, metavar="DATE", help="first due date"
    )
    feed.add_argument(
        "--to", dest="end", required=True, type=_day, metavar="DATE", help="last due date"
    )
    feed.add_argument(
        "--lang",
        choices=list(Language),
        help="language of the labels (default: the first policy's)",
    )
    feed.add_argument("--meetings", metavar="FILE", help="records of what was held (.csv or .json)")
    feed.add_argument(
        "--as-of", type=_day, metavar="DATE", help="judge each obligation on this day"
    )
    feed.add_argument("--todos", action="store_true", help="write VTODOs instead of events")
    feed.add_argument(
        "--alarm", type=_days, metavar="DAYS", help="a reminder DAYS before each due date"
    )
    feed.add_argument(
        "--format", choices=["ics", "jcal"], default="ics", help="iCalendar (default) or jCal JSON"
    )
    feed.add_argument(
        "--generated", type=_moment, metavar="DATETIME", help="the DTSTAMP (default: now)"
    )
    feed.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    check = commands.add_parser(
        "check",
        help=(
            "judge facts (JSON): volunteer work, council, grant, rental, agreement, hearing,"
            " checklist"
        ),
        description=(
            "Judge the facts in FACTS.json (or standard input, '-') against a policy and explain\n"
            "the verdict with its sources. FACTS.json is a table of named facts:\n"
            '  volunteer-work  {"activity": {...}}\n'
            '  council         {"council": {...}, "registry": [...]}   (registry optional)\n'
            '  grant           {"application": {...}, "on": "YYYY-MM-DD"}\n'
            '  rental          {"booking": {...}, "tariff": {...}}\n'
            '  agreement       {"agreement": {...}}\n'
            '  hearing         {"hearing": {...}}\n'
            '  checklist       {"checklist": ID, "review": {"present": [...], "absent": [...]}}\n'
            "Exit status: 0 when the verdict holds, 1 when it is NO or UNDETERMINED,\n"
            "2 for bad usage or input."
        ),
        epilog=(
            'example: echo \'{"activity": {"pay": "wage"}}\' |'
            " frivillighet check volunteer-work hemnes -"
        ),
    )
    check.add_argument(
        "what",
        choices=[c.value for c in Check if c is not Check.COMPLIANCE],
        metavar="CHECK",
        help="volunteer-work, council, grant, rental, agreement, hearing or checklist",
    )
    check.add_argument("policy", metavar="POLICY", help="a built-in policy id or a .toml file")
    check.add_argument(
        "facts", metavar="FACTS.json", help="a JSON file of facts, or - for standard input"
    )
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.add_argument(
        "--lang", choices=list(Language), help="language of the explanation (default: the policy's)"
    )
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a fact type or of policy files",
        description="Print a JSON Schema (draft 2020-12), generated from the library's types.",
        epilog="example: frivillighet schema policy > policy.schema.json",
    )
    schema.add_argument(
        "name",
        metavar="NAME",
        help="policy, activity, council, booking, ... (see --list)",
        nargs="?",
    )
    schema.add_argument("--list", action="store_true", help="list the names")
    comply = commands.add_parser(
        "compliance",
        help="which obligations were met, are due, overdue or upcoming",
        description=(
            "Match records of held meetings, reports and events against a policy's obligations.\n"
            "FILE is CSV with the header 'obligation,held' or JSON: a list of\n"
            '{"obligation": ID, "held": "YYYY-MM-DD"}. Dates are ISO 8601.'
        ),
        epilog="example: frivillighet compliance hemnes --meetings meetings.csv --as-of 2024-09-01",
    )
    comply.add_argument("policy", metavar="POLICY", help="a built-in policy id or a .toml file")
    comply.add_argument(
        "--meetings", metavar="FILE", help="records of what was held (.csv or .json)"
    )
    comply.add_argument(
        "--as-of", required=True, type=_day, metavar="DATE", help="the day to judge on"
    )
    comply.add_argument(
        "--since", type=_day, metavar="DATE", help="from (default: the policy's start)"
    )
    comply.add_argument(
        "--lang", choices=list(Language), help="language of titles (default: the policy's)"
    )
    comply.add_argument("--json", action="store_true", help="print JSON instead of a table")
    serve = commands.add_parser(
        "serve",
        help="run the web service: JSON API and calendar feeds (extra: frivillighet[server])",
        description=(
            "Serve the built-in policies and every *.toml in --policies over HTTP: the JSON API,\n"
            "calendar feeds to subscribe to, and /openapi.json (docs/service.md). Meeting\n"
            "records in --records (<policy id>.csv or .json) make the feeds show compliance;\n"
            "they are read again on every request. The policies are checked before it starts."
        ),
        epilog="example: frivillighet serve --port 8080 --policies policies/ --records records/",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument("--port", type=_port, default=8080, help="port (default: %(default)s)")
    serve.add_argument("--policies", type=Path, metavar="DIR", help="a folder of policy files")
    serve.add_argument("--records", type=Path, metavar="DIR", help="a folder of meeting records")
    for sub in commands.choices.values():
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
        sub.error = parser.error  # type: ignore[method-assign]
    return parser


_REPORT = "please report it to the maintainers, with the command that caused it"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: `sys.argv[1:]`); return the exit status:
    0, 1 (a `check` verdict NO or UNDETERMINED, a `verify` problem), 2 (bad usage or input),
    70 (internal error)."""
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a letter gets \\u...
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")
    try:
        status, output = _run(_parser().parse_args(argv))
        _emit(output)
    except Error as error:
        _complain(f"frivillighet: error: {_one_line(str(error))}")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: never a traceback, never 1 (which means NO)
        _complain(f"frivillighet: internal error ({_one_line(_described(error))}); {_REPORT}")
        return 70
    return status


def _run(args: argparse.Namespace) -> tuple[int, str | bytes]:
    """The exit status of the command and what it prints; text lines are escaped (`_one_line`),
    JSON and calendars are not."""
    if args.command == "policies":
        return 0, _text(_policies())
    if args.command == "show":
        policy = load_policy(args.policy)
        return 0, _text(_show(policy, Language(args.lang or policy.language)))
    if args.command == "compliance":
        return 0, _text(_compliance(args), escaped=not args.json)
    if args.command == "calendar":
        data = _calendar(args)
        if args.output is None:
            return 0, data
        _write(args.output, data)
        return 0, b""
    if args.command == "schema":
        return 0, _text(_schema(args), escaped=False)
    if args.command == "check":
        holds, lines = _check(args)
        return 0 if holds else 1, _text(lines, escaped=not args.json)
    if args.command == "verify":
        return _verify(args.policies)
    if args.command == "serve":
        return _serve(args), b""
    return 0, _text(_validate(args.file))


def _serve(args: argparse.Namespace) -> int:
    """Check the policies, then run the service until it is stopped."""
    try:
        import uvicorn

        from frivillighet import service
    except ImportError:
        raise Error(
            "frivillighet serve needs the server extra: pip install 'frivillighet[server]'"
        ) from None
    loaded = service.load(args.policies, args.records)
    uvicorn.run(service.app(loaded), host=args.host, port=args.port, log_level="info")
    return 0


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def _verify(names: list[str]) -> tuple[int, str]:
    from frivillighet.verify import Severity, verify

    policies = [load_policy(name) for name in names]
    lines, failed = [], False
    for name, policy in zip(names, policies, strict=True):
        found = verify(policy)
        problems = sum(1 for one in found if one.severity is Severity.PROBLEM)
        failed = failed or problems > 0
        lines += [f"{name}: {one}" for one in found]
        lines.append(f"{name}: {'sound' if not problems else f'{problems} problem(s)'}")
    return (1 if failed else 0), _text(lines)


def _text(lines: Iterable[str], *, escaped: bool = True) -> str:
    return "".join(f"{_one_line(line) if escaped else line}\n" for line in lines)


def _emit(output: str | bytes) -> None:
    """Write `output` to standard output and flush it. A reader that went away (`| head -1`)
    ends it quietly; any other failure (`> /dev/full`) is an `Error`."""
    try:
        if isinstance(output, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(output)
        else:
            sys.stdout.write(output)
        sys.stdout.flush()
    except OSError as error:
        with contextlib.suppress(OSError, ValueError):  # the final flush at exit goes nowhere
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if not isinstance(error, BrokenPipeError):
            raise Error(f"standard output: cannot write ({error.strerror or error})") from None


def _complain(line: str) -> None:
    with contextlib.suppress(OSError):
        sys.stderr.write(f"{line}\n")
        sys.stderr.flush()


def _described(error: BaseException) -> str:
    try:
        message = str(error)
    except Exception:
        message = ""
    message = message if len(message) <= 200 else message[:197] + "..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _day(text: str) -> dt.date:
    try:
        return iso(dt.date, text)
    except InputError as error:
        raise argparse.ArgumentTypeError(error.problem) from None


def _check(args: argparse.Namespace) -> tuple[bool, list[str]]:
    policy = load_policy(args.policy)
    name = "standard input" if args.facts == "-" else args.facts
    text = read_stdin(MAX_FACTS_SIZE) if args.facts == "-" else read_text(name, MAX_FACTS_SIZE)
    facts = parse_json(text, name)
    try:
        result = checks.run(policy, args.what, facts)
    except InputError as error:
        raise InputError(error.problem, field=f"{name}: {error.field}") from None
    assert not isinstance(result, list)  # compliance is its own command
    verdict = result.verdict if isinstance(result, Quote) else result
    if args.json:
        return verdict.holds, [json.dumps(to_json(result), ensure_ascii=False, indent=2)]
    lang = Language(args.lang or policy.language)
    lines = []
    if isinstance(result, Quote):
        listed = f"{_LIST_PRICE.get(lang)} {result.list_price}"
        lines.append(f"{_PRICE.get(lang)}: {result.price} {result.currency} ({listed})")
    lines.extend(verdict.explain(lang).split("\n"))
    return verdict.holds, lines


_PRICE = Text(en="Price", nb="Pris", da="Pris")
_LIST_PRICE = Text(en="list price", nb="listepris", da="listepris")


def _schema(args: argparse.Namespace) -> Iterator[str]:
    from frivillighet.schema import schemas

    found = {name.removesuffix(".schema.json"): schema for name, schema in schemas().items()}
    if args.list or args.name is None:
        return iter(found)
    if args.name not in found:
        raise InputError(
            f"unknown schema {args.name!r}; expected one of {', '.join(found)}", field="NAME"
        )
    return iter([json.dumps(found[args.name], ensure_ascii=False, indent=2)])


def _days(text: str) -> int:
    from frivillighet.calendar import MAX_ALARM  # only `calendar --alarm` reads a number of days

    if not (text.isascii() and text.isdigit()) or len(text) > 6 or int(text) > MAX_ALARM:
        raise argparse.ArgumentTypeError(
            problem(f"a whole number of days from 0 to {MAX_ALARM}", text)
        )
    return int(text)


def _moment(text: str) -> dt.datetime:
    try:
        moment = iso(dt.datetime, text)
    except InputError as error:
        raise argparse.ArgumentTypeError(error.problem) from None
    if moment.utcoffset() is None:
        raise argparse.ArgumentTypeError(problem("a date and time with a UTC offset", text))
    return moment


def _calendar(args: argparse.Namespace) -> bytes:
    from frivillighet import calendar

    policies = [load_policy(name) for name in args.policies]
    meetings, places = read_meetings(Path(args.meetings)) if args.meetings else ([], [])
    options = {
        "lang": args.lang,
        "generated": args.generated,
        "meetings": meetings,
        "as_of": args.as_of,
        "todos": args.todos,
        "alarm": args.alarm,
    }
    try:
        if args.format == "jcal":
            return calendar.to_jcal(policies, args.start, args.end, **options).encode("utf-8")
        return calendar.to_ics(policies, args.start, args.end, **options)
    except InputError as error:
        raise placed(error, places) from None


def _write(output: str, data: bytes) -> None:
    """Write `data` to the file `output` whole or not at all: into a temporary file in the same
    folder, then renamed over it, so that on any error the old file is untouched. The new file
    keeps the old one's permissions (a new one gets the umask's). A path that is not a regular
    file (`/dev/stdout`, a pipe) is written as it is."""
    target = os.path.realpath(output)
    try:
        if os.path.exists(target) and not os.path.isfile(target):
            with open(target, "wb") as file:
                file.write(data)
            return
        mode = stat.S_IMODE(os.stat(target).st_mode) if os.path.exists(target) else _new_mode()
        folder, name = os.path.split(target)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise InputError(
            f"cannot write the file ({error.strerror or error})", field=output
        ) from None


def _new_mode() -> int:
    """The permissions `open(path, "w")` gives a new file: 0o666 less the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _status_note(policy: Policy) -> Iterator[str]:
    """The line above a compliance table that says which obligations are not yet duties."""
    if policy.status == PolicyStatus.PROPOSED:
        adopted = _marked(policy, PolicyStatus.ADOPTED)
        yield (
            f"  status proposed: «{policy.title}» is not adopted, so its own obligations are"
            + (
                f" not duties, except those marked adopted: {', '.join(adopted)}"
                if adopted
                else " not duties: none of them is overdue"
            )
        )
    elif proposed := _marked(policy, PolicyStatus.PROPOSED):
        yield f"  only proposed, so not yet duties and never overdue: {', '.join(proposed)}"


def _marked(policy: Policy, status: PolicyStatus) -> list[str]:
    return [o.id for o in policy.obligations if o.status == status]


def _compliance(args: argparse.Namespace) -> Iterator[str]:
    policy = load_policy(args.policy)
    meetings, places = read_meetings(Path(args.meetings)) if args.meetings else ([], [])
    try:
        statuses = obligations.compliance(policy, meetings, args.as_of, since=args.since)
    except InputError as error:
        raise placed(error, places) from None
    if args.json:
        yield json.dumps(to_json(statuses), ensure_ascii=False, indent=2)
        return
    lang = Language(args.lang or policy.language)
    yield f"{policy.municipality}: obligations on {args.as_of}"
    yield from _status_note(policy)
    width = max((len(status.occurrence.key) for status in statuses), default=10)
    yield f"{'due':<10}  {'state':<8}  {'obligation':<{width}}  {'held':<10}  title"
    for status in statuses:
        occurrence = status.occurrence
        held = str(status.meeting.held) if status.meeting else ""
        due = str(occurrence.due or "")
        yield (
            f"{due:<10}  {status.state:<8}  {occurrence.key:<{width}}  {held:<10}  "
            f"{occurrence.titles.get(lang)}"
        )


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
    ("volunteer_work", "What counts as volunteer work (every rule must hold)"),
    ("councils", "Councils"),
    ("obligations", "Obligations"),
    ("grants", "Grants"),
    ("rental", "Rental of municipal premises"),
    ("partnership", "Partnership agreements"),
    ("hearings", "Hearings"),
    ("checklists", "Checklists (every item must be there)"),
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
    yield "  " + "; ".join([f"status {policy.status}", *dates, f"document {policy.document}"])
    base = national_base(policy.country)
    yield f"  national layer {policy.country}: {base.title} (rules marked «{policy.country}.»)"
    if policy.national.omit:
        yield f"  national rules omitted by the policy: {', '.join(policy.national.omit)}"
    for name, heading in _SECTIONS:
        lines = list(_entries(getattr(policy, name), lang, policy))
        if lines:
            yield ""
            if name == "obligations" and policy.status == PolicyStatus.PROPOSED:
                heading += " (the policy's own are proposed, not yet duties, unless marked adopted)"
            elif name == "obligations" and _marked(policy, PolicyStatus.PROPOSED):
                heading += " (those marked proposed are not yet duties)"
            yield heading
            yield from lines


def _entries(value: object, lang: Language, policy: Policy, depth: int = 1) -> Iterator[str]:
    """Each rule below `value` with its kind, settings and source, and whether the policy
    inherits it from its national layer; a council or a grant scheme heads the rules it holds."""
    pad = "  " * depth
    if isinstance(value, tuple):
        for item in value:
            yield from _entries(item, lang, policy, depth)
        return
    if not attrs.has(type(value)):
        return
    title = next((item.get(lang) for item in _own(value) if isinstance(item, Text)), "")
    if isinstance(value, Rule):
        word = f"  [{value.TAG}]" if _is_kind(value) else ""
        origin = "  (national layer)" if policy.inherited(value) else ""
        yield f"{pad}{value.id}{word}{origin}" + (f"  {title}" if title else "")
        if settings := _settings(value):
            yield f"{pad}    {settings}"
        if isinstance(value, Obligation):
            recurrence = value.recurrence
            yield f"{pad}    {recurrence.TAG}" + (f" ({s})" if (s := _settings(recurrence)) else "")
        yield f"{pad}    {value.source}"
    elif title:
        yield f"{pad}{getattr(value, 'kind', None) or getattr(value, 'id', '')}: {title}"
        if settings := _settings(value):
            yield f"{pad}    {settings}"
    for item in _own(value):
        deeper = depth + 1 if title or isinstance(value, Rule) else depth
        yield from _entries(item, lang, policy, deeper)


def _own(value: object) -> Iterator[object]:
    for attribute in attrs.fields(cast(Any, type(value))):
        yield getattr(value, attribute.name)


def _settings(value: object) -> str:
    """The rule's own settings that differ from their defaults, as `key: value`."""
    parts = []
    for attribute in attrs.fields(cast(Any, type(value))):
        setting = getattr(value, attribute.name)
        items = setting if isinstance(setting, tuple) else (setting,)
        plain = all(isinstance(item, str | int) or "__str__" in vars(type(item)) for item in items)
        hidden = attribute.name in ("id", "kind", "source")
        if hidden or not plain or setting is None or setting == attribute.default:
            continue
        parts.append(f"{attribute.name}: {'; '.join(map(str, items))}")
    return "; ".join(parts)


def _is_kind(value: object) -> bool:
    """Whether `value` is a rule of a registered kind (`rule_kinds()`)."""
    return any(isinstance(value, family.base) for family in rule_kinds())
