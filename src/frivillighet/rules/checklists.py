"""Checklists: whether something the policy describes has every element the policy names.

Lier 3.1: «Kommunen holder en frivilligportal på kommunens hjemmesider oppdatert mht.
informasjon om» support schemes, contact persons and grant schemes outside the municipality;
3.2: «en fast arena for dialogmøter mellom kommunens foreninger og frivillige og kommunen,
både folkevalgte og administrasjon». A checklist names the elements, each citing its words; a
`Review` of the portal, or of one dialogue meeting, says which were found present and which
absent. An element in neither list is unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from frivillighet.errors import InputError
from frivillighet.model import Review, problem
from frivillighet.rules.common import Judgement, Rule, judged, not_empty
from frivillighet.verdict import Text, Verdict, decide

if TYPE_CHECKING:
    from frivillighet.policy import Policy

__all__ = ["Checklist", "Item", "assess"]


@frozen(kw_only=True, cache_hash=True)
class Item(Rule):
    """One element a checklist requires (its id is the checklist's id, a dot and a name): met
    when a review finds it present, not met when it finds it absent, else undetermined."""

    title: Text

    def judge(self, review: Review) -> Judgement:
        if self.id in (review.present or ()):
            return True, _PRESENT.format(self.title), ()
        if self.id in (review.absent or ()):
            return False, _ABSENT.format(self.title), ()
        return None, _UNKNOWN.format(self.title), (self.id,)


@frozen(kw_only=True, cache_hash=True)
class Checklist(Rule):
    """What the policy says a thing must have (`title`: the thing), every item required."""

    title: Text
    items: tuple[Item, ...] = attrs.field(validator=not_empty)


def assess(policy: Policy, checklist_id: str, review: Review) -> Verdict:
    """Whether the thing `review` describes has every item of the policy's checklist
    `checklist_id`: one finding per item, each citing its words."""
    if not isinstance(review, Review):
        raise InputError(f"expected a Review, got {type(review).__name__}", field="review")
    checklist = _checklist(policy, checklist_id)
    known = [item.id for item in checklist.items]
    for name in ("present", "absent"):
        for index, item in enumerate(getattr(review, name) or ()):
            if item not in known:
                raise InputError(
                    f"{checklist.id!r} has no item {item!r}; its items: {', '.join(known)}",
                    field=f"review.{name}[{index}]",
                )
    return decide(tuple(judged(item, item.judge(review)) for item in checklist.items))


def _checklist(policy: Policy, wanted: object) -> Checklist:
    if not isinstance(wanted, str):
        raise InputError(problem("a checklist id (a string)", wanted), field="checklist")
    if not policy.checklists:
        raise InputError(f"policy {policy.id!r} has no checklists", field="policy")
    ids = ", ".join(checklist.id for checklist in policy.checklists)
    found = next((c for c in policy.checklists if c.id == wanted), None)
    if found is None:
        raise InputError(
            f"policy {policy.id!r} has no checklist {wanted!r}; it has: {ids}",
            field="checklist",
        )
    return found


_PRESENT = Text(
    en="Met: {0}.",
    nb="Oppfylt: {0}.",
    da="Opfyldt: {0}.",
)
_ABSENT = Text(
    en="Not met: {0}.",
    nb="Ikke oppfylt: {0}.",
    da="Ikke opfyldt: {0}.",
)
_UNKNOWN = Text(
    en="Not known whether this is met: {0}.",
    nb="Ukjent om dette er oppfylt: {0}.",
    da="Ukendt om dette er opfyldt: {0}.",
)
