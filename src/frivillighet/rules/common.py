"""What the rule modules share: the `Rule` every kind builds on, the registry of rule kinds,
settings and their checks, organisation traits, and how a judgement becomes a `Finding`.

A *rule* is one cited provision of a policy (`hemnes.volunteer.unpaid`); its *kind* says how it
is judged, and is named in the policy file by its `test` key (for recurrences, `kind`). A
section's rules stand in its `criteria` array (for rental, `rules`).
Each concern declares an abstract base for its kinds with `@family`, and each kind with
`@kind("word")` beside the method that judges it: a kind that leaves a method of its base
unimplemented fails at import, so a rule that loads is always a rule that is judged.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs
from attrs import frozen

from frivillighet.errors import InputError
from frivillighet.model import Area, Organisation
from frivillighet.verdict import Citation, Finding, Text

if TYPE_CHECKING:
    from frivillighet.policy import Policy

__all__ = [
    "AREA_NAMES",
    "Family",
    "Judgement",
    "Rule",
    "Trait",
    "TraitWords",
    "either",
    "family",
    "family_of",
    "in_range",
    "judged",
    "kind",
    "listed",
    "not_empty",
    "same_municipality",
    "trait_of",
]


@frozen(kw_only=True, cache_hash=True)
class Rule:
    """A rule of a policy: its id (`<policy>.<concern>.<name>`) and the citation it comes from."""

    TAG: ClassVar[str]
    """The word that names the rule's kind in policy files; set by `@kind`."""

    id: str
    source: Citation


# --- The registry of rule kinds ------------------------------------------------------------------


@frozen
class Family:
    """The kinds an abstract base admits, by their words; `key` is the policy file key that
    names the kind (`test`, or `kind` for recurrences)."""

    base: type
    key: str
    kinds: dict[str, type] = attrs.field(factory=dict, eq=False)


FAMILIES: dict[type, Family] = {}
"""Every family of rule kinds, by its base class, in the order the concerns declare them.
The loader, `frivillighet schema`, `frivillighet show` and the docs tables all read it."""

B = TypeVar("B", bound=type)


def family(key: str = "test") -> Callable[[B], B]:
    """Declare an abstract base whose concrete subclasses are the kinds of one concern."""

    def declare(base: B) -> B:
        FAMILIES[base] = Family(base, key)
        return base

    return declare


def family_of(cls: type) -> Family:
    """The family `cls` belongs to (or heads)."""
    for ancestor in cls.__mro__:
        if ancestor in FAMILIES:
            return FAMILIES[ancestor]
    raise TypeError(f"{cls.__name__} belongs to no family of rule kinds")


def kind(word: str) -> Callable[[B], B]:
    """Register a concrete rule kind under `word` in its family. A kind that leaves a method of
    its base unimplemented, or reuses a word, raises `TypeError` here, at import."""

    def register(cls: B) -> B:
        found = family_of(cls)
        if "__attrs_attrs__" not in vars(cls):
            raise TypeError(
                f"rule kind {word!r} ({cls.__name__}) is no attrs class: put @kind above @frozen"
            )
        if inspect.isabstract(cls):
            lacking = ", ".join(sorted(getattr(cls, "__abstractmethods__", ())))
            raise TypeError(f"rule kind {word!r} ({cls.__name__}) does not implement {lacking}")
        if found.kinds.get(word, cls) is not cls:
            raise TypeError(f"{found.key} {word!r} is taken by {found.kinds[word].__name__}")
        if vars(cls).get("TAG", word) != word:
            raise TypeError(f"{cls.__name__} is registered as {vars(cls)['TAG']!r} already")
        cls.TAG = word  # type: ignore[attr-defined]
        found.kinds[word] = cls
        return cls

    return register


# --- Settings ------------------------------------------------------------------------------------


@frozen
class in_range:
    """An attrs validator: an integer from `low` to `high`, else an `InputError` naming the key."""

    low: int
    high: int

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not self.low <= value <= self.high:
            raise InputError(
                f"expected an integer from {self.low} to {self.high}, got {value}",
                field=attribute.name,
            )

    def __str__(self) -> str:
        return f"integer {self.low}–{self.high}"


def not_empty(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    """An attrs validator: at least one entry."""
    if not value:
        raise InputError("expected at least one entry", field=attribute.name)


# --- Organisation traits -------------------------------------------------------------------------


class Trait(StrEnum):
    """What an `Organisation` may need to be for a rule: the words used in policy files."""

    NON_PROFIT = "non_profit"
    VOLUNTEER_BASED = "volunteer_based"
    LOCAL = "local"
    REGISTERED = "registered"

    @property
    def fact(self) -> str:
        """The `Organisation` field the trait reads."""
        return "municipality" if self is Trait.LOCAL else self.value


@frozen
class TraitWords:
    """How a trait is said: its `name` in a list («non-profit»), and the sentences that an
    organisation `{0}` has it or lacks it."""

    name: Text
    has: Text
    lacks: Text


TRAIT_WORDS = {
    Trait.NON_PROFIT: TraitWords(
        name=Text(en="non-profit", nb="ikke-kommersiell", da="almennyttig"),
        has=Text(en="{0} is non-profit.", nb="{0} er ikke-kommersiell.", da="{0} er almennyttig."),
        lacks=Text(
            en="{0} is run for profit.", nb="{0} drives kommersielt.", da="{0} drives kommercielt."
        ),
    ),
    Trait.VOLUNTEER_BASED: TraitWords(
        name=Text(en="volunteer-based", nb="frivillig drevet", da="frivilligt drevet"),
        has=Text(
            en="{0} builds on volunteers.",
            nb="{0} bygger på frivillig innsats.",
            da="{0} bygger på frivillige.",
        ),
        lacks=Text(
            en="{0} does not build on volunteers.",
            nb="{0} bygger ikke på frivillig innsats.",
            da="{0} bygger ikke på frivillige.",
        ),
    ),
    Trait.LOCAL: TraitWords(
        name=Text(en="local", nb="lokal", da="lokal"),
        has=Text(en="{0} is local.", nb="{0} er lokal.", da="{0} er lokal."),
        lacks=Text(en="{0} is not local.", nb="{0} er ikke lokal.", da="{0} er ikke lokal."),
    ),
    Trait.REGISTERED: TraitWords(
        name=Text(en="registered", nb="registrert", da="registreret"),
        has=Text(en="{0} is registered.", nb="{0} er registrert.", da="{0} er registreret."),
        lacks=Text(
            en="{0} is not registered.", nb="{0} er ikke registrert.", da="{0} er ikke registreret."
        ),
    ),
}
"""How each trait is said, in each language."""


def trait_of(policy: Policy, organisation: Organisation, trait: Trait) -> bool | None:
    """Whether `organisation` has `trait` under `policy` (`None`: the fact is unknown). Local
    means it belongs to the policy's municipality."""
    if trait is Trait.LOCAL:
        if organisation.municipality is None:
            return None
        return same_municipality(organisation.municipality, policy.municipality)
    value: bool | None = getattr(organisation, trait.value)
    return value


def same_municipality(one: str, other: str) -> bool:
    """Whether two names denote the same municipality: case, spacing and a trailing
    «kommune»/«municipality» aside, and the Danish genitive («Vesthimmerlands Kommune»)."""
    a, b = _place(one), _place(other)
    return a == b or a == f"{b}s" or b == f"{a}s"


def _place(name: str) -> str:
    words = name.casefold().split()
    if len(words) > 1 and words[-1] in ("kommune", "municipality"):
        words = words[:-1]
    return " ".join(words)


# --- Judgements and findings ---------------------------------------------------------------------

Judgement = tuple[bool | None, Text, tuple[str, ...]]
"""Whether a rule holds (`None`: a fact is missing), why, and the names of missing facts."""


def judged(rule: Rule, judgement: Judgement, *, decides: bool = True) -> Finding:
    """The finding of `rule` for `judgement`, citing the rule's source."""
    holds, reasons, missing = judgement
    return Finding(
        rule=rule.id,
        holds=holds,
        reasons=reasons,
        source=rule.source,
        missing=missing,
        decides=decides,
    )


def listed(items: Iterable[object]) -> str:
    """`items` as a comma-separated list."""
    return ", ".join(str(item) for item in items)


_OR = Text(en=" or ", nb=" eller ", da=" eller ")


def either(choices: Iterable[Text]) -> Text:
    """`choices` joined with «or», language by language."""
    items = list(choices)
    return Text(
        **{
            lang: _OR.get(lang).join(item.get(lang) for item in items)
            for lang in ("nb", "da", "en")
        }
    )


AREA_NAMES = {
    Area.SOCIAL: Text(en="social work", nb="sosialt arbeid", da="socialt arbejde"),
    Area.SPORT: Text(en="sport", nb="idrett", da="idræt"),
    Area.CULTURE: Text(en="culture", nb="kultur", da="kultur"),
    Area.HEALTH: Text(en="health", nb="helse", da="sundhed"),
    Area.ENVIRONMENT: Text(en="environment", nb="miljø", da="miljø"),
    Area.CHILDREN_AND_YOUTH: Text(en="children and youth", nb="barn og unge", da="børn og unge"),
    Area.EMERGENCY: Text(en="emergency preparedness", nb="beredskap", da="beredskab"),
    Area.OTHER: Text(en="another area", nb="et annet område", da="et andet område"),
}
"""The name of each area, in each language."""
