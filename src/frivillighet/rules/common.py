"""What the rule modules share: a judgement of one criterion, and how it becomes a `Finding`."""

from __future__ import annotations

from collections.abc import Iterable

from frivillighet.model import Area
from frivillighet.policy import Rule
from frivillighet.verdict import Finding, Text

__all__ = ["AREA_NAMES", "Judgement", "either", "judged", "listed", "same_municipality"]

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
