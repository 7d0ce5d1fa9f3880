"""A municipality's volunteering policy as data: `Policy`, `load_policy()`, `builtin_policies()`.

A policy file (TOML) names the municipality and its source document, and configures the rules
of each concern: what counts as volunteer work, councils, obligations, grant schemes, rental of
premises, partnership agreements, and principles. Every rule carries its `Citation`. Each concern
declares its rule kinds, and judges them, in its module under `frivillighet.rules`; the loader
reads the one registry of them, `rule_kinds()`. `docs/policy-format.md` documents every key.

Every policy inherits its country's national layer (`national_base()`): where the municipality
is silent, the country's common definition of volunteer work and the duties the law gives every
municipality apply, citing their national sources.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import sys
import tomllib
import zoneinfo
from collections.abc import Iterable, Iterator
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs
from attrs import frozen

from frivillighet import dates
from frivillighet.errors import InputError, PolicyError
from frivillighet.inputs import character_problem, read_text, unsafe_character
from frivillighet.model import shown
from frivillighet.rules.checklists import Checklist
from frivillighet.rules.common import FAMILIES, Family, Rule, in_range
from frivillighet.rules.council import CouncilRules
from frivillighet.rules.grants import Grants
from frivillighet.rules.hearings import Consultee, Hearings
from frivillighet.rules.obligations import Obligation, PolicyStatus
from frivillighet.rules.partnership import Partnership
from frivillighet.rules.rental import Rental
from frivillighet.rules.volunteer_work import VolunteerWork
from frivillighet.verdict import Citation, Language, Text

__all__ = [
    "Country",
    "National",
    "NationalBase",
    "Period",
    "Policy",
    "PolicyStatus",
    "Principle",
    "builtin_policies",
    "load_policy",
    "national_base",
    "parse_policy",
    "policy_from_data",
    "rule_kinds",
]


class Country(StrEnum):
    """ISO 3166 alpha-2 code of the policy's country; it decides holidays and election periods."""

    NO = "NO"
    DK = "DK"


# --- Principles and the policy itself ------------------------------------------------------------


@frozen(kw_only=True, cache_hash=True)
class Principle(Rule):
    """A commitment of the policy that no fact can check: listed and cited, never decided."""

    title: Text


@frozen(kw_only=True, cache_hash=True)
class Period:
    """The plan period in years, as in a title «2015 – 2019»: the first period, not an expiry."""

    first: int = attrs.field(validator=in_range(dates.FIRST_DAY.year, dates.LAST_DAY.year))
    last: int = attrs.field(validator=in_range(dates.FIRST_DAY.year, dates.LAST_DAY.year))

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise InputError(f"must not be before 'first' ({self.first})", field="last")


@frozen(kw_only=True, cache_hash=True)
class National:
    """What a policy file says about its national layer (`[national]`): `omit`, the ids of the
    national rules it does not take. A volunteer-work criterion of a kind the policy defines
    itself replaces the national one without being listed."""

    omit: tuple[str, ...] = ()


@frozen(kw_only=True, cache_hash=True)
class Policy:
    """A municipality's volunteering policy, loaded with `load_policy()`: its own rules, then
    those it inherits from its country's national layer (`Policy.inherited`)."""

    id: str
    municipality: str
    country: Country
    language: Language
    timezone: str
    title: str
    document: str
    status: PolicyStatus
    dated: dt.date | None = None
    adopted: dt.date | None = None
    in_force: dt.date | None = None
    period: Period | None = None
    ends: dt.date | None = None
    constituent_meetings: tuple[dt.date, ...] = ()
    volunteer_work: VolunteerWork | None = None
    councils: tuple[CouncilRules, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    grants: Grants | None = None
    rental: Rental | None = None
    partnership: Partnership | None = None
    hearings: Hearings | None = None
    checklists: tuple[Checklist, ...] = ()
    principles: tuple[Principle, ...] = ()
    national: National = National()

    @property
    def start(self) -> dt.date | None:
        """When the policy applies from: in force, else adopted, else its first period year,
        else the document's date. Stays in force until `ends` (if any) or until replaced."""
        if self.in_force or self.adopted:
            return self.in_force or self.adopted
        if self.period:
            return dt.date(self.period.first, 1, 1)
        return self.dated

    def rules(self) -> Iterator[Rule]:
        """Every rule of the policy, each with its id and citation, in file order."""
        for _, value in _keyed(self, ""):
            if isinstance(value, Rule):
                yield value

    def council(self, kind: str) -> CouncilRules | None:
        """The council of `kind`, or `None` when the policy defines none."""
        return next((council for council in self.councils if council.kind == kind), None)

    def inherited(self, rule: Rule) -> bool:
        """Whether `rule` comes from the national layer (its id starts with the country code,
        `NO.volunteer.unpaid`) rather than from the policy's own file."""
        return rule.id.startswith(f"{self.country}.")


# --- The national layer --------------------------------------------------------------------------


@frozen(kw_only=True, cache_hash=True)
class NationalBase:
    """What every policy of `country` inherits where it is silent: the common definition of
    volunteer work, and the obligations and principles the law gives every municipality. Its
    rules' ids start with the country code and each cites its national source
    (`policies/national/<country>.toml`, docs/interpretations.md § 32)."""

    country: Country
    title: str
    volunteer_work: VolunteerWork | None = None
    obligations: tuple[Obligation, ...] = ()
    principles: tuple[Principle, ...] = ()

    def rules(self) -> tuple[Rule, ...]:
        """Every rule of the layer, in file order."""
        criteria = self.volunteer_work.criteria if self.volunteer_work else ()
        return (*criteria, *self.obligations, *self.principles)


@functools.cache
def national_base(country: Country | str) -> NationalBase:
    """The national layer of `country` (`NO` or `DK`)."""
    code = Country(country)
    file = f"national/{code}.toml"
    text = (resources.files("frivillighet") / "policies" / file).read_text("utf-8")
    try:
        base: NationalBase = _converter().structure(tomllib.loads(text), NationalBase)
    except Exception as error:
        from frivillighet.conversion import problems

        key, message = next(problems(error))
        raise PolicyError(message, file=file, key=key or None) from None
    for rule in base.rules():
        if not rule.id.startswith(f"{code}."):
            raise PolicyError(f"a national rule's id starts with {code}.", file=file, key=rule.id)
    return base


def _inherit(policy: Policy) -> Policy:
    """`policy` with the rules of its national layer that it neither replaces nor omits."""
    base = national_base(policy.country)
    own = policy.volunteer_work.criteria if policy.volunteer_work else ()
    kinds = {type(rule) for rule in own}
    criteria = base.volunteer_work.criteria if base.volunteer_work else ()
    taken = [rule for rule in criteria if type(rule) not in kinds]
    volunteer_work = policy.volunteer_work
    if _kept(policy, taken):
        volunteer_work = VolunteerWork(criteria=(*own, *_kept(policy, taken)))
    return attrs.evolve(
        policy,
        volunteer_work=volunteer_work,
        obligations=(*policy.obligations, *_kept(policy, base.obligations)),
        principles=(*policy.principles, *_kept(policy, base.principles)),
    )


R = TypeVar("R", bound=Rule)


def _kept(policy: Policy, rules: Iterable[R]) -> tuple[R, ...]:
    return tuple(rule for rule in rules if rule.id not in policy.national.omit)


def own_rules(policy: Policy) -> Policy:
    """`policy` as its file says it, without what it inherits: the form `to_json` writes."""
    criteria = policy.volunteer_work.criteria if policy.volunteer_work else ()
    mine = [rule for rule in criteria if not policy.inherited(rule)]
    return attrs.evolve(
        policy,
        volunteer_work=VolunteerWork(criteria=tuple(mine)) if mine else None,
        obligations=tuple(rule for rule in policy.obligations if not policy.inherited(rule)),
        principles=tuple(rule for rule in policy.principles if not policy.inherited(rule)),
    )


# --- Loading -------------------------------------------------------------------------------------

_POLICY_ID = re.compile(r"[a-z][a-z0-9_-]*")


def rule_kinds() -> tuple[Family, ...]:
    """Every family of rule kinds a policy file can use: its base, the key that names a kind
    (`test` or `kind`), and each kind by its word. The one registry the loader, `frivillighet
    schema`, `frivillighet show` and the docs tables read."""
    return tuple(FAMILIES.values())


@functools.cache
def _converter() -> Any:
    from frivillighet.conversion import register_families, strict_converter

    converter = strict_converter()
    register_families(converter, rule_kinds())
    return converter


def builtin_policies() -> tuple[str, ...]:
    """The ids of the policies that ship with the library, sorted."""
    folder = resources.files("frivillighet") / "policies"
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


def load_policy(id_or_path: str | Path) -> Policy:
    """A built-in policy by id (see `builtin_policies()`), or a policy file (`.toml`) by path."""
    name = str(id_or_path)
    if isinstance(id_or_path, Path) or name.endswith(".toml") or "/" in name or "\\" in name:
        return _load_file(Path(id_or_path))
    if name not in builtin_policies():
        known = ", ".join(builtin_policies())
        raise PolicyError(f"unknown policy id {name!r}; built-in policies are: {known}")
    return _load_builtin(name)


@functools.cache
def _load_builtin(policy_id: str) -> Policy:
    text = (resources.files("frivillighet") / "policies" / f"{policy_id}.toml").read_text("utf-8")
    return parse_policy(text, f"{policy_id}.toml")


def _load_file(path: Path) -> Policy:
    try:
        text = read_text(path, 4 * MAX_POLICY_SIZE)
    except InputError as error:
        raise PolicyError(error.problem, file=str(path)) from None
    return parse_policy(text, str(path))


MAX_POLICY_SIZE = 1_000_000
"""The largest policy file read, in characters (and at most four bytes each); the five seeds
are under 20 000."""

MAX_POLICY_DEPTH = 32
"""The deepest nesting of tables and arrays in a policy; the format itself needs under 10."""


def parse_policy(text: str, file: str = "<policy>") -> Policy:
    """A policy from the text of a policy file; `file` names it in errors."""
    if len(text) > MAX_POLICY_SIZE:
        raise PolicyError(f"larger than {MAX_POLICY_SIZE} characters", file=file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"not valid TOML ({error})", file=file) from None
    except RecursionError:
        raise PolicyError("nested too deeply", file=file) from None
    except ValueError:  # an integer literal too long to convert
        digits = sys.get_int_max_str_digits()
        raise PolicyError(
            f"not valid TOML (an integer of more than {digits} digits)", file=file
        ) from None
    return policy_from_data(data, file)


def policy_from_data(data: dict[str, Any], file: str = "<policy>") -> Policy:
    """A policy from the tables of a parsed policy file (not changed); `file` names it in errors."""
    from frivillighet.conversion import problems

    for key, message in _plain(data):
        raise PolicyError(message, file=file, key=key or None)
    data = copy.deepcopy(data)
    document = data.get("document")
    if document is not None and (not isinstance(document, str) or not document.strip()):
        raise PolicyError(
            f"expected the source document's name, got {document!r}", file=file, key="document"
        )
    _cite_document(data, document)
    try:
        policy: Policy = _converter().structure(data, Policy)
    except RecursionError:
        raise PolicyError("nested too deeply", file=file) from None
    except Exception as error:  # cattrs gathers every problem; report the first, with its path
        key, message = next(problems(error))
        raise PolicyError(message, file=file, key=key or None) from None
    for key, message in _consistency(policy):
        raise PolicyError(message, file=file, key=key)
    return _inherit(policy)


def _plain(data: object) -> Iterator[tuple[str, str]]:
    """Problems of the data itself, found before it is structured (and without recursion):
    nesting deeper than `MAX_POLICY_DEPTH`, integers beyond TOML's 64 bits, and text with
    characters that must not reach a calendar or a terminal (`inputs.unsafe_character`)."""
    stack: list[tuple[str, object, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, dict | list | tuple) and depth >= MAX_POLICY_DEPTH:
            yield path, f"nested too deeply (more than {MAX_POLICY_DEPTH} tables and arrays)"
            return
        if isinstance(value, str) and (char := unsafe_character(value)) is not None:
            yield path, character_problem(char)
        elif isinstance(value, int) and not -(2**63) <= value < 2**63:
            yield path, "expected an integer of at most 64 bits, as in TOML"
        elif isinstance(value, dict):
            steps = [key if isinstance(key, str) else f"[{shown(key)}]" for key in value]
            for step in steps:
                if (char := unsafe_character(step)) is not None:
                    yield _join(path, step), f"a key: {character_problem(char)}"
            for step, item in reversed(list(zip(steps, value.values(), strict=True))):
                stack.append((_join(path, step), item, depth + 1))
        elif isinstance(value, list | tuple):
            for index in reversed(range(len(value))):
                stack.append((f"{path}[{index}]", value[index], depth + 1))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path and not key.startswith("[") else f"{path}{key}"


_CITATIONS = ("source", "met_in_source")
"""The keys whose tables are citations."""


def _cite_document(value: Any, document: str | None) -> None:
    """Give every citation table (`source`, `met_in_source`) without its own `document` the
    policy's document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _CITATIONS and isinstance(item, dict) and document is not None:
                item.setdefault("document", document)
            else:
                _cite_document(item, document)
    elif isinstance(value, list):
        for item in value:
            _cite_document(item, document)


def _consistency(policy: Policy) -> Iterator[tuple[str, str]]:
    """Problems that span several keys: ids, time zone, unique names."""
    if not _POLICY_ID.fullmatch(policy.id):
        yield "id", f"expected lowercase letters, digits, '-' or '_', got {policy.id!r}"
    if not _is_zone(policy.timezone):
        yield "timezone", f"unknown time zone {shown(policy.timezone)}; expected an IANA name"
    rule_id = re.compile(rf"{re.escape(policy.id)}\.[a-z0-9_.-]+")
    for rule in policy.rules():
        if not rule_id.fullmatch(rule.id):
            yield (
                _where(policy, rule),
                (
                    f"rule id {rule.id!r} must be '{policy.id}.' and a name"
                    " (lowercase letters, digits, '.', '-', '_')"
                ),
            )
    national = {rule.id for rule in national_base(policy.country).rules()}
    for index, omitted in enumerate(policy.national.omit):
        if omitted not in national:
            yield (
                f"national.omit[{index}]",
                f"no national rule {omitted!r} for {policy.country}; its rules: "
                + ", ".join(sorted(national)),
            )
    start = policy.start
    if policy.ends and start and policy.ends < start:
        yield "ends", f"must not be before the policy starts ({start})"
    kinds = [council.kind for council in policy.councils]
    defined = ", ".join(kinds) or "none"
    for index, rule in enumerate(policy.grants.consult_on_changes if policy.grants else ()):
        if rule.council not in kinds:
            yield (
                f"grants.consult_on_changes[{index}].council",
                (f"no council of kind {rule.council!r}; the policy has: {defined}"),
            )
    for index, rule in enumerate(policy.hearings.criteria if policy.hearings else ()):
        if isinstance(rule, Consultee) and rule.council not in kinds:
            yield (
                f"hearings.criteria[{index}].council",
                f"no council of kind {rule.council!r}; the policy has: {defined}",
            )
    for index, checklist in enumerate(policy.checklists):
        for number, element in enumerate(checklist.items):
            if not element.id.startswith(f"{checklist.id}."):
                yield (
                    f"checklists[{index}].items[{number}].id",
                    f"an item's id is its checklist's id, a dot and a name: '{checklist.id}.…',"
                    f" got {element.id!r}",
                )
    for index, meeting in enumerate(policy.constituent_meetings):
        if policy.country != Country.NO:
            yield (
                "constituent_meetings",
                "only Norwegian councils have constituent meetings to record",
            )
        elif not dates.election_year("NO", meeting.year) or meeting > dt.date(meeting.year, 10, 31):
            yield (
                f"constituent_meetings[{index}]",
                (f"expected a date from an election year up to 31 October, got {meeting}"),
            )
    for name, items, key in (
        ("obligations", policy.obligations, "id"),
        ("councils", policy.councils, "kind"),
        ("grants.schemes", policy.grants.schemes if policy.grants else (), "id"),
        ("checklists", policy.checklists, "id"),
        *(
            (f"checklists[{index}].items", checklist.items, "id")
            for index, checklist in enumerate(policy.checklists)
        ),
    ):
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                yield f"{name}[{index}].{key}", f"{value!r} is used twice"
            seen.add(value)


_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*)*")
"""How IANA time zone names are spelt: `Europe/Oslo`, `America/Argentina/Buenos_Aires`."""


def _is_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone that `zoneinfo` has: spelt as one, at most 64
    characters, and found as a zone (not a folder such as `Europe`, nor another file)."""
    if len(name) > 64 or not _ZONE.fullmatch(name):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _where(policy: Policy, rule: Rule) -> str:
    return next(key for key, value in _keyed(policy, "") if value is rule) + ".id"


def _keyed(value: object, path: str) -> Iterator[tuple[str, object]]:
    yield path, value
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _keyed(item, f"{path}[{index}]")
    elif attrs.has(type(value)) and not isinstance(value, Citation | Text):
        for attribute in attrs.fields(cast(Any, type(value))):
            step = f"{path}.{attribute.name}" if path else attribute.name
            yield from _keyed(getattr(value, attribute.name), step)
