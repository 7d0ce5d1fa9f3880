"""Hearings: whether a consultation reached the consultees the policy names.

Hemnes, Tiltaksplan punkt 12: «Frivillighetsrådet» «skal være en fast høringspart i kommunale
planprosesser». A `Hearing` names whether it belongs to a municipal planning process and whom
it was sent to; each rule of `[hearings]` says who must be among them.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from frivillighet.errors import InputError
from frivillighet.model import Hearing
from frivillighet.rules.common import Judgement, Rule, family, judged, kind, listed, not_empty
from frivillighet.verdict import Text, Verdict, decide

if TYPE_CHECKING:
    from frivillighet.policy import Policy

__all__ = ["Consultee", "HearingRule", "Hearings", "assess"]


def assess(policy: Policy, hearing: Hearing) -> Verdict:
    """Whether `hearing` reached every consultee the policy requires, one finding per rule."""
    if not isinstance(hearing, Hearing):
        raise InputError(f"expected a Hearing, got {type(hearing).__name__}", field="hearing")
    if policy.hearings is None:
        raise InputError(f"policy {policy.id!r} sets no rules for hearings", field="policy")
    return decide(
        tuple(judged(rule, rule.judge(policy, hearing)) for rule in policy.hearings.criteria)
    )


@family()
@frozen(kw_only=True, cache_hash=True)
class HearingRule(Rule, abc.ABC):
    """A rule about who a hearing must reach."""

    @abc.abstractmethod
    def judge(self, policy: Policy, hearing: Hearing) -> Judgement:
        """Whether `hearing` meets the rule under `policy`."""


@frozen(kw_only=True, cache_hash=True)
class Hearings:
    """The policy's rules for hearings: every rule in `criteria` must hold."""

    criteria: tuple[HearingRule, ...] = attrs.field(validator=not_empty)


@kind("consultee")
@frozen(kw_only=True, cache_hash=True)
class Consultee(HearingRule):
    """The policy's council of kind `council` is a standing consultee in municipal planning
    processes: a hearing that is part of one must list it among its `consultees` (matched by
    the council's name in any language or its kind, without case and quotation marks). A hearing
    outside planning meets the rule; one that lists the council meets it in any case. A consultee
    that only mentions the council («Hemnes frivillighetsråd») leaves it undetermined: the list
    should name it as the policy does."""

    council: str

    def judge(self, policy: Policy, hearing: Hearing) -> Judgement:
        found = policy.council(self.council)
        name = found.name if found else Text(en=self.council, nb=self.council, da=self.council)
        if hearing.consultees is not None and _listed(self.council, name, hearing.consultees):
            return True, _CONSULTED.format(name), ()
        if hearing.planning is False:
            return True, _NOT_PLANNING, ()
        if hearing.consultees is None:
            unknown = ("planning", "consultees") if hearing.planning is None else ("consultees",)
            return None, _CONSULTEES_UNKNOWN, unknown
        if hearing.planning is None:
            return None, _PLANNING_UNKNOWN.format(name), ("planning",)
        near = [c for c in hearing.consultees if _mentions(self.council, name, c)]
        if near:
            return None, _PERHAPS.format(name, listed(near)), ("consultees",)
        sent = listed(hearing.consultees) or "—"
        return False, _NOT_CONSULTED.format(name, sent), ()


def _listed(kind_word: str, name: Text, consultees: tuple[str, ...]) -> bool:
    wanted = {_plain(kind_word), *(_plain(name.get(lang)) for lang in ("nb", "da", "en"))}
    return any(_plain(consultee) in wanted for consultee in consultees)


def _mentions(kind_word: str, name: Text, consultee: str) -> bool:
    """Whether `consultee` contains the council's kind or name, letters folded to ASCII
    («Frivillighetsrådet i Hemnes», «Hemnes frivillighetsråd» mention `frivillighetsrad`)."""
    wanted = {_folded(kind_word), *(_folded(name.get(lang)) for lang in ("nb", "da", "en"))}
    found = _folded(consultee)
    return any(word and word in found for word in wanted)


def _plain(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def _folded(text: str) -> str:
    return _plain(text).translate(_ASCII)


_ASCII = str.maketrans({"å": "a", "ø": "o", "æ": "ae", "ä": "a", "ö": "o", "é": "e"})


_QUOTES = str.maketrans("", "", "«»\"'“”„")


_CONSULTED = Text(
    en="{0} is among the consultees.",
    nb="{0} er blant høringspartene.",
    da="{0} er blandt høringsparterne.",
)
_NOT_PLANNING = Text(
    en="The hearing is not part of a municipal planning process; the rule does not apply.",
    nb="Høringen hører ikke til en kommunal planprosess; regelen gjelder ikke.",
    da="Høringen hører ikke til en kommunal planproces; reglen gælder ikke.",
)
_PLANNING_UNKNOWN = Text(
    en="Unknown whether the hearing is part of a municipal planning process; {0} is not listed.",
    nb="Ukjent om høringen hører til en kommunal planprosess; {0} står ikke på listen.",
    da="Ukendt om høringen hører til en kommunal planproces; {0} står ikke på listen.",
)
_CONSULTEES_UNKNOWN = Text(
    en="Unknown whom the hearing was sent to.",
    nb="Ukjent hvem høringen er sendt til.",
    da="Ukendt hvem høringen er sendt til.",
)
_PERHAPS = Text(
    en="Perhaps {0} is among the consultees, named as: {1}; list it as the policy names it.",
    nb=(
        "Kanskje {0} er blant høringspartene, oppført som: {1};"
        " før den opp slik politikken navngir den."
    ),
    da=(
        "Måske er {0} blandt høringsparterne, opført som: {1};"
        " før den op, som politikken navngiver den."
    ),
)
_NOT_CONSULTED = Text(
    en="{0} is not among the consultees of this planning hearing: {1}.",
    nb="{0} er ikke blant høringspartene i denne planhøringen: {1}.",
    da="{0} er ikke blandt høringsparterne i denne planhøring: {1}.",
)
