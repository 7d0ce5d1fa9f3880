"""What the rule modules share: a judgement of one criterion, and how it becomes a `Finding`."""

from __future__ import annotations

from collections.abc import Iterable

from frivillighet.policy import Rule
from frivillighet.verdict import Finding, Text

__all__ = ["Judgement", "either", "judged", "listed"]

Judgement = tuple[bool | None, Text, tuple[str, ...]]
"""Whether a criterion holds (`None`: a fact is missing), why, and the names of missing facts."""


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
