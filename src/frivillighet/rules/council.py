"""Council composition: a `Council` judged against the council of its kind in the policy.

Hemnes: «Frivillighetsråd», «sammensatt av 1 representant fra hvert bygdeutvalg.
Frivilligsentralen inkluderes som det 6 medlemmet i rådet. Kommunen har sekretæransvar»;
bygdeutvalg «velges av, lag, foreninger og innbyggerne i bygda» and «er partipolitisk nøytrale».
Vesthimmerland: Frivilligrådets «medlemmer vælges af og blandt de frivillige organisationer i
kommunen».

Every failing finding names the member or seat that is wrong.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from frivillighet.errors import InputError
from frivillighet.model import Body, BodyKind, Council, Member
from frivillighet.rules.common import (
    Judgement,
    Rule,
    either,
    family,
    in_range,
    judged,
    kind,
    listed,
    not_empty,
    same_municipality,
)
from frivillighet.verdict import Text, Verdict, decide

if TYPE_CHECKING:
    from frivillighet.policy import Policy


__all__ = [
    "CouncilRule",
    "CouncilRules",
    "ElectedBy",
    "Excludes",
    "MembersFrom",
    "OnePerBody",
    "Seats",
    "Secretary",
    "Size",
    "assess",
]


def assess(policy: Policy, council: Council, registry: Iterable[Body] | None = None) -> Verdict:
    """Whether `council` is composed as the policy's council of its kind requires.

    `registry` lists the municipality's bodies (for example every bygdeutvalg); where given, a
    body of a kind the policy wants one member from that has no member is named. `kind=None`
    picks the policy's only council; it is an `InputError` where the policy has several.
    """
    if not isinstance(council, Council):
        raise InputError(f"expected a Council, got {type(council).__name__}", field="council")
    rules = _rules_for(policy, council.kind)
    known = None if registry is None else tuple(_registry(registry))
    return decide(
        tuple(judged(rule, rule.judge(policy, council, known)) for rule in rules.criteria)
    )


def _rules_for(policy: Policy, kind: str | None) -> CouncilRules:
    kinds = ", ".join(council.kind for council in policy.councils) or "none"
    if kind is None and len(policy.councils) == 1:
        return policy.councils[0]
    if kind is None:
        raise InputError(
            f"unknown; policy {policy.id!r} defines the councils: {kinds}", field="Council.kind"
        )
    found = policy.council(kind)
    if found is None:
        raise InputError(
            f"policy {policy.id!r} defines no council {kind!r}; it defines: {kinds}",
            field="Council.kind",
        )
    return found


def _registry(registry: Iterable[Body]) -> Iterable[Body]:
    for index, body in enumerate(registry):
        if not isinstance(body, Body) or body.kind is None or body.name is None:
            raise InputError("expected a Body with a kind and a name", field=f"registry[{index}]")
        yield body


# --- The rules of a council ------------------------------------------------------------------


@family()
@frozen(kw_only=True, cache_hash=True)
class CouncilRule(Rule, abc.ABC):
    """A rule of a council's make-up."""

    @abc.abstractmethod
    def judge(
        self, policy: Policy, council: Council, registry: tuple[Body, ...] | None
    ) -> Judgement:
        """Whether `council` meets the rule; `registry` lists the municipality's bodies."""


_MEMBERS_UNKNOWN = Text(
    en="The council's members are unknown.",
    nb="Rådets medlemmer er ukjent.",
    da="Rådets medlemmer er ukendt.",
)


class _OnMembers(CouncilRule):
    """A rule about the members: unknown while the list of members is unknown."""

    __slots__ = ()

    def judge(
        self, policy: Policy, council: Council, registry: tuple[Body, ...] | None
    ) -> Judgement:
        if council.members is None:
            return None, _MEMBERS_UNKNOWN, ("members",)
        return self.judge_members(policy, council.members, registry)

    @abc.abstractmethod
    def judge_members(
        self, policy: Policy, members: tuple[Member, ...], registry: tuple[Body, ...] | None
    ) -> Judgement:
        """Whether `members` meet the rule."""


@frozen(kw_only=True, cache_hash=True)
class CouncilRules:
    """A council the policy sets up: `kind` is the word used in `Council.kind` facts, and every
    rule in `criteria` must hold."""

    kind: str
    name: Text
    criteria: tuple[CouncilRule, ...] = attrs.field(validator=not_empty)


# --- Bodies and members, as the reasons name them --------------------------------------------


_BODIES = {
    BodyKind.BYGDEUTVALG: Text(en="village committee", nb="bygdeutvalg", da="landsbyudvalg"),
    BodyKind.FRIVILLIGSENTRAL: Text(
        en="volunteer centre", nb="frivilligsentral", da="frivilligcenter"
    ),
    BodyKind.IDRETTSRAD: Text(en="sports council", nb="idrettsråd", da="idrætsråd"),
    BodyKind.ORGANISATION: Text(
        en="voluntary organisation", nb="frivillig organisasjon", da="frivillig organisation"
    ),
    BodyKind.MUNICIPALITY: Text(en="municipality", nb="kommunen", da="kommunen"),
    BodyKind.POLITICAL_PARTY: Text(en="political party", nb="politisk parti", da="politisk parti"),
    BodyKind.RESIDENTS: Text(en="residents", nb="innbyggerne", da="borgerne"),
}


def _bodies(kinds: Iterable[BodyKind | None]) -> Text:
    return either(_BODIES[kind] if kind else Text(en="?") for kind in kinds)


_KIND_UNKNOWN = Text(
    en="Unknown which body {0} sits for.",
    nb="Ukjent hvilken instans {0} sitter for.",
    da="Ukendt hvilken instans {0} sidder for.",
)


def _who(index: int, member: Member) -> str:
    return member.name or f"#{index + 1}"


def _kind_of(member: Member) -> BodyKind | None:
    return member.represents.kind if member.represents else None


def _unknown_kinds(members: tuple[Member, ...]) -> Judgement:
    """Undetermined, naming the members whose body kind is unknown (none: nothing missing)."""
    unknown = [i for i, m in enumerate(members) if _kind_of(m) is None]
    names = listed(_who(i, members[i]) for i in unknown)
    return None, _KIND_UNKNOWN.format(names), tuple(f"members[{i}].represents" for i in unknown)


# --- Each kind of rule -----------------------------------------------------------------------


@kind("one_per_body")
@frozen(kw_only=True, cache_hash=True)
class OnePerBody(_OnMembers):
    """One member for each body of kind `body`, and no body twice; with a `registry`, every
    registered body of that kind has a member."""

    body: BodyKind

    def judge_members(
        self, policy: Policy, members: tuple[Member, ...], registry: tuple[Body, ...] | None
    ) -> Judgement:
        return _one_per_body(self.body, members, registry)


def _one_per_body(
    kind: BodyKind, members: tuple[Member, ...], registry: tuple[Body, ...] | None
) -> Judgement:
    seats: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    nameless = []
    for index, member in enumerate(members):
        if _kind_of(member) is kind:
            body = member.represents.name if member.represents else None
            if body is None:
                nameless.append(index)
            else:
                seats.setdefault(body.casefold(), []).append(_who(index, member))
                shown.setdefault(body.casefold(), body)
    twice = [f"{shown[key]} ({', '.join(who)})" for key, who in seats.items() if len(who) > 1]
    if twice:
        return False, _TWICE.format(_bodies([kind]), listed(twice)), ()
    if registry is not None:
        wanted = {
            body.name.casefold(): body.name for body in registry if body.kind is kind and body.name
        }
        absent = [name for key, name in wanted.items() if key not in seats]
        strangers = [shown[key] for key in seats if key not in wanted]
        if strangers:
            return False, _NOT_IN_REGISTRY.format(_bodies([kind]), listed(strangers)), ()
        if len(absent) > len(nameless) + len(_unknown_kinds(members)[2]):
            return False, _MISSING_BODY.format(_bodies([kind]), listed(absent)), ()
    if nameless:
        names = listed(_who(i, members[i]) for i in nameless)
        missing = tuple(f"members[{i}].represents.name" for i in nameless)
        return None, _BODY_UNNAMED.format(_bodies([kind]), names), missing
    unknown = _unknown_kinds(members)
    if unknown[2]:
        return unknown
    if not seats:
        return False, _NO_SEAT.format(_bodies([kind])), ()
    return True, _ONE_EACH.format(_bodies([kind]), len(seats)), ()


_TWICE = Text(
    en="One member per {0}, but these sit twice: {1}.",
    nb="Ett medlem per {0}, men disse er representert to ganger: {1}.",
    da="Ét medlem per {0}, men disse er repræsenteret to gange: {1}.",
)


_NOT_IN_REGISTRY = Text(
    en="No {0} of that name in the registry: {1}.",
    nb="Ingen {0} med det navnet i registeret: {1}.",
    da="Intet {0} med det navn i registret: {1}.",
)


_MISSING_BODY = Text(
    en="No member sits for this {0}: {1}.",
    nb="Ingen medlemmer sitter for dette {0}: {1}.",
    da="Ingen medlemmer sidder for dette {0}: {1}.",
)


_BODY_UNNAMED = Text(
    en="Unknown which {0} these members sit for: {1}.",
    nb="Ukjent hvilket {0} disse medlemmene sitter for: {1}.",
    da="Ukendt hvilket {0} disse medlemmer sidder for: {1}.",
)


_NO_SEAT = Text(
    en="No member sits for a {0}.",
    nb="Ingen medlemmer sitter for et {0}.",
    da="Ingen medlemmer sidder for et {0}.",
)


_ONE_EACH = Text(
    en="One member for each {0} ({1} in all), none twice.",
    nb="Ett medlem fra hvert {0} ({1} i alt), ingen to ganger.",
    da="Ét medlem fra hvert {0} ({1} i alt), ingen to gange.",
)


@kind("seats")
@frozen(kw_only=True, cache_hash=True)
class Seats(_OnMembers):
    """Exactly `count` members sit for a body of kind `body`."""

    body: BodyKind
    count: int = attrs.field(validator=in_range(1, 1000))

    def judge_members(
        self, policy: Policy, members: tuple[Member, ...], registry: tuple[Body, ...] | None
    ) -> Judgement:
        return _seats(self, members)


def _seats(rule: Seats, members: tuple[Member, ...]) -> Judgement:
    holders = [_who(i, m) for i, m in enumerate(members) if _kind_of(m) is rule.body]
    unknown = _unknown_kinds(members)
    if len(holders) > rule.count or len(holders) + len(unknown[2]) < rule.count:
        return (
            False,
            _SEATS.format(_bodies([rule.body]), rule.count, len(holders), listed(holders) or "-"),
            (),
        )
    if unknown[2]:
        return unknown
    return True, _SEATS.format(_bodies([rule.body]), rule.count, len(holders), listed(holders)), ()


_SEATS = Text(
    en="{1} seat(s) for {0}; found {2}: {3}.",
    nb="{1} plass(er) for {0}; fant {2}: {3}.",
    da="{1} plads(er) til {0}; fandt {2}: {3}.",
)


@kind("size")
@frozen(kw_only=True, cache_hash=True)
class Size(_OnMembers):
    """The council has exactly `count` members."""

    count: int = attrs.field(validator=in_range(1, 1000))

    def judge_members(
        self, policy: Policy, members: tuple[Member, ...], registry: tuple[Body, ...] | None
    ) -> Judgement:
        return len(members) == self.count, _SIZE.format(self.count, len(members)), ()


_SIZE = Text(
    en="The council has {0} members; this one has {1}.",
    nb="Rådet skal ha {0} medlemmer; dette har {1}.",
    da="Rådet skal have {0} medlemmer; dette har {1}.",
)


@kind("secretary")
@frozen(kw_only=True, cache_hash=True)
class Secretary(CouncilRule):
    """The council's secretary is a body of kind `body`."""

    body: BodyKind

    def judge(
        self, policy: Policy, council: Council, registry: tuple[Body, ...] | None
    ) -> Judgement:
        return _secretary(self, council.secretary)


def _secretary(rule: Secretary, secretary: Body | None) -> Judgement:
    if secretary is None or secretary.kind is None:
        return None, _SECRETARY_UNKNOWN, ("secretary",)
    holds = secretary.kind is rule.body
    return (
        holds,
        _SECRETARY.format(_bodies([rule.body]), secretary.name or _bodies([secretary.kind])),
        (),
    )


_SECRETARY = Text(
    en="The secretary is to be the {0}; it is {1}.",
    nb="Sekretær skal være {0}; det er {1}.",
    da="Sekretær skal være {0}; det er {1}.",
)


_SECRETARY_UNKNOWN = Text(
    en="Unknown who is the council's secretary.",
    nb="Ukjent hvem som er rådets sekretær.",
    da="Ukendt hvem der er rådets sekretær.",
)


@kind("excludes")
@frozen(kw_only=True, cache_hash=True)
class Excludes(_OnMembers):
    """No member sits for a body of any kind in `bodies`."""

    bodies: tuple[BodyKind, ...] = attrs.field(validator=not_empty)

    def judge_members(
        self, policy: Policy, members: tuple[Member, ...], registry: tuple[Body, ...] | None
    ) -> Judgement:
        return _excludes(self, members)


def _excludes(rule: Excludes, members: tuple[Member, ...]) -> Judgement:
    wrong = [f"{_who(i, m)}" for i, m in enumerate(members) if _kind_of(m) in rule.bodies]
    if wrong:
        return False, _EXCLUDED.format(_bodies(rule.bodies), listed(wrong)), ()
    unknown = _unknown_kinds(members)
    return unknown if unknown[2] else (True, _NONE_EXCLUDED.format(_bodies(rule.bodies)), ())


_EXCLUDED = Text(
    en="No member may sit for a {0}; these do: {1}.",
    nb="Ingen medlemmer kan sitte for {0}; disse gjør det: {1}.",
    da="Ingen medlemmer må sidde for {0}; disse gør det: {1}.",
)


_NONE_EXCLUDED = Text(
    en="No member sits for a {0}.",
    nb="Ingen medlemmer sitter for {0}.",
    da="Ingen medlemmer sidder for {0}.",
)


@kind("members_from")
@frozen(kw_only=True, cache_hash=True)
class MembersFrom(_OnMembers):
    """Every member sits for a body of a kind in `bodies`; with `local = true`, a body in the
    policy's municipality (Vesthimmerland: «blandt de frivillige organisationer i kommunen»)."""

    bodies: tuple[BodyKind, ...] = attrs.field(validator=not_empty)
    local: bool = False

    def judge_members(
        self, policy: Policy, members: tuple[Member, ...], registry: tuple[Body, ...] | None
    ) -> Judgement:
        return _members_from(self, policy.municipality, members)


def _members_from(rule: MembersFrom, home: str, members: tuple[Member, ...]) -> Judgement:
    wrong = [
        f"{_who(i, m)}"
        for i, m in enumerate(members)
        if _kind_of(m) is not None and _kind_of(m) not in rule.bodies
    ]
    elsewhere = [
        f"{_who(i, m)} ({place})"
        for i, m in enumerate(members)
        if rule.local
        and (place := _municipality_of(m)) is not None
        and not same_municipality(place, home)
    ]
    failures: list[Text] = []
    if wrong:
        failures.append(_OUTSIDERS.format(_bodies(rule.bodies), listed(wrong)))
    if elsewhere:
        failures.append(_ELSEWHERE.format(_bodies(rule.bodies), home, listed(elsewhere)))
    if failures:
        return False, _sentences(failures), ()
    unknown = _unknown_kinds(members)
    if not rule.local:
        return unknown if unknown[2] else (True, _ALL_FROM.format(_bodies(rule.bodies)), ())
    unknown = _and_unknown_places(members, unknown)
    return unknown if unknown[2] else (True, _ALL_FROM_HERE.format(_bodies(rule.bodies), home), ())


def _municipality_of(member: Member) -> str | None:
    return member.represents.municipality if member.represents else None


def _and_unknown_places(members: tuple[Member, ...], kinds: Judgement) -> Judgement:
    """`kinds` (members whose body kind is unknown) and the members whose body is known but its
    municipality is not, all named."""
    unplaced = [
        i for i, m in enumerate(members) if m.represents is not None and _municipality_of(m) is None
    ]
    if not unplaced:
        return kinds
    names = listed(_who(i, members[i]) for i in unplaced)
    place = _PLACE_UNKNOWN.format(names)
    reasons = _sentences([kinds[1], place]) if kinds[2] else place
    missing = (*kinds[2], *(f"members[{i}].represents.municipality" for i in unplaced))
    return None, reasons, missing


def _sentences(texts: list[Text]) -> Text:
    """`texts` one after another, language by language."""
    return Text(**{lang: " ".join(text.get(lang) for text in texts) for lang in ("nb", "da", "en")})


_OUTSIDERS = Text(
    en="Every member must sit for a {0}; these do not: {1}.",
    nb="Medlemmene skal sitte for {0}; disse gjør det ikke: {1}.",
    da="Medlemmerne skal sidde for {0}; disse gør det ikke: {1}.",
)


_ALL_FROM = Text(
    en="Every member sits for a {0}.",
    nb="Alle medlemmer sitter for {0}.",
    da="Alle medlemmer sidder for {0}.",
)


_ELSEWHERE = Text(
    en="Every member must sit for a {0} in {1}; these sit for one in another municipality: {2}.",
    nb="Medlemmene skal sitte for {0} i {1}; disse sitter for en i en annen kommune: {2}.",
    da="Medlemmerne skal sidde for {0} i {1}; disse sidder for en i en anden kommune: {2}.",
)


_PLACE_UNKNOWN = Text(
    en="Unknown which municipality the body of these members belongs to: {0}.",
    nb="Ukjent hvilken kommune instansen til disse medlemmene hører til: {0}.",
    da="Ukendt hvilken kommune disse medlemmers instans hører til: {0}.",
)


_ALL_FROM_HERE = Text(
    en="Every member sits for a {0} in {1}.",
    nb="Alle medlemmer sitter for {0} i {1}.",
    da="Alle medlemmer sidder for {0} i {1}.",
)


@kind("elected_by")
@frozen(kw_only=True, cache_hash=True)
class ElectedBy(_OnMembers):
    """Every member is elected by one of `electors`: free words compared with
    `Member.elected_by`."""

    electors: tuple[str, ...] = attrs.field(validator=not_empty)

    def judge_members(
        self, policy: Policy, members: tuple[Member, ...], registry: tuple[Body, ...] | None
    ) -> Judgement:
        return _elected_by(self, members)


def _elected_by(rule: ElectedBy, members: tuple[Member, ...]) -> Judgement:
    wrong = [
        f"{_who(i, m)} ({m.elected_by})"
        for i, m in enumerate(members)
        if m.elected_by is not None and m.elected_by not in rule.electors
    ]
    if wrong:
        return False, _WRONGLY_ELECTED.format(listed(rule.electors), listed(wrong)), ()
    unknown = [i for i, m in enumerate(members) if m.elected_by is None]
    if unknown:
        names = listed(_who(i, members[i]) for i in unknown)
        return (
            None,
            _ELECTION_UNKNOWN.format(names),
            tuple(f"members[{i}].elected_by" for i in unknown),
        )
    return True, _ELECTED.format(listed(rule.electors)), ()


_WRONGLY_ELECTED = Text(
    en="Members are elected by {0}; these are not: {1}.",
    nb="Medlemmene velges av {0}; disse er ikke det: {1}.",
    da="Medlemmerne vælges af {0}; disse er ikke: {1}.",
)


_ELECTION_UNKNOWN = Text(
    en="Unknown who elected {0}.",
    nb="Ukjent hvem som valgte {0}.",
    da="Ukendt hvem der valgte {0}.",
)


_ELECTED = Text(
    en="Every member is elected by {0}.",
    nb="Alle medlemmer er valgt av {0}.",
    da="Alle medlemmer er valgt af {0}.",
)
