"""Decisions that explain themselves: `Verdict`, `Finding`, `Citation`, and localized `Text`."""

from __future__ import annotations

from enum import StrEnum

from attrs import field, frozen

from frivillighet.errors import InputError

__all__ = ["Citation", "Finding", "Language", "Outcome", "Text", "Verdict", "decide"]


class Language(StrEnum):
    """Languages of labels and explanations: Norwegian bokmål, Danish, English."""

    NB = "nb"
    DA = "da"
    EN = "en"

    @classmethod
    def parse(cls, value: str, name: str = "lang") -> Language:
        """`value` as a `Language`, or an `InputError` naming `name` and the known languages."""
        try:
            return cls(value)
        except ValueError:
            known = ", ".join(cls)
            raise InputError(
                f"unknown language {value!r}; expected one of {known}", field=name
            ) from None


@frozen(kw_only=True, cache_hash=True)
class Text:
    """One text in several languages; a missing language falls back to English, then any other."""

    nb: str | None = None
    da: str | None = None
    en: str | None = None

    def __attrs_post_init__(self) -> None:
        if not any((self.nb, self.da, self.en)):
            raise InputError("expected a text in at least one of nb, da, en")

    def format(self, *parts: Text | object) -> Text:
        """This text with `{0}`, `{1}`, ... filled in each language; a `Text` part is filled in
        the same language, anything else as `str(part)`."""

        def filled(lang: str) -> str | None:
            template = getattr(self, lang)
            if template is None:
                return None
            values = [p.get(lang) if isinstance(p, Text) else str(p) for p in parts]
            return str(template).format(*values)

        return Text(nb=filled("nb"), da=filled("da"), en=filled("en"))

    def get(self, lang: str = "en") -> str:
        """The text in `lang` (`nb`, `da` or `en`), falling back to English, then nb, then da."""
        for candidate in (getattr(self, Language.parse(lang)), self.en, self.nb, self.da):
            if candidate is not None:
                return candidate
        return ""


@frozen(kw_only=True, cache_hash=True)
class Citation:
    """Where a rule comes from: the source document, its section, and a quote in the original."""

    document: str
    section: str
    quote: str

    def __attrs_post_init__(self) -> None:
        for name in ("document", "section", "quote"):
            if not getattr(self, name).strip():
                raise InputError("expected a non-empty text", field=name)

    def __str__(self) -> str:
        return f"{self.document}, «{self.section}»: «{self.quote}»"


class Outcome(StrEnum):
    """The answer of a verdict: `NO` if a rule fails, `UNDETERMINED` if a fact is missing."""

    YES = "yes"
    NO = "no"
    UNDETERMINED = "undetermined"


_OUTCOME_WORDS = {
    Outcome.YES: Text(en="YES", nb="JA", da="JA"),
    Outcome.NO: Text(en="NO", nb="NEI", da="NEJ"),
    Outcome.UNDETERMINED: Text(en="UNDETERMINED", nb="UAVKLART", da="UAFKLARET"),
}
_OUTCOME_WORD = Text(en="Outcome", nb="Utfall", da="Udfald")
_MISSING_WORDS = Text(en="Missing facts", nb="Manglende opplysninger", da="Manglende oplysninger")
_SOURCE_WORD = Text(en="Source", nb="Kilde", da="Kilde")
_ADVICE_WORD = Text(en="does not decide", nb="avgjør ikke", da="afgør ikke")


@frozen(kw_only=True, cache_hash=True)
class Finding:
    """The result of one rule: whether it held (`None`: a fact is missing), why, and whence.

    `decides` is false for priorities and advice, which are reported but never change the outcome.
    """

    rule: str
    holds: bool | None
    reasons: Text
    source: Citation
    missing: tuple[str, ...] = ()
    decides: bool = True

    @property
    def reason(self) -> str:
        """The reason in English; `reasons.get(lang)` gives it in another language."""
        return self.reasons.get("en")


def _missing_of(findings: tuple[Finding, ...]) -> tuple[str, ...]:
    names = (name for finding in findings if finding.decides for name in finding.missing)
    return tuple(dict.fromkeys(names))


@frozen(kw_only=True, cache_hash=True)
class Verdict:
    """A decision with one `Finding` per rule; build it with `decide(findings)`."""

    outcome: Outcome
    findings: tuple[Finding, ...]
    missing: tuple[str, ...] = field(default=())

    @property
    def holds(self) -> bool:
        """True only when the outcome is `YES`."""
        return self.outcome is Outcome.YES

    def explain(self, lang: str = "en") -> str:
        """The verdict as lines of text in `lang` (`en`, `nb` or `da`), each finding cited."""
        lang = Language.parse(lang)
        lines = [f"{_OUTCOME_WORD.get(lang)}: {_OUTCOME_WORDS[self.outcome].get(lang)}"]
        for finding in self.findings:
            mark = {True: "✓", False: "✗", None: "?"}[finding.holds]
            advice = "" if finding.decides else f" ({_ADVICE_WORD.get(lang)})"
            lines.append(f"{mark} {finding.rule}{advice}: {finding.reasons.get(lang)}")
            lines.append(f"    {_SOURCE_WORD.get(lang)}: {finding.source}")
        if self.missing:
            lines.append(f"{_MISSING_WORDS.get(lang)}: {', '.join(self.missing)}")
        return "\n".join(lines)


def decide(findings: tuple[Finding, ...]) -> Verdict:
    """The verdict of `findings`: `NO` if a deciding finding fails, else `UNDETERMINED` if one lacks
    a fact, else `YES`. Findings that do not decide (priorities) never change the outcome."""
    deciding = [finding.holds for finding in findings if finding.decides]
    if False in deciding:
        outcome = Outcome.NO
    elif None in deciding:
        outcome = Outcome.UNDETERMINED
    else:
        outcome = Outcome.YES
    return Verdict(outcome=outcome, findings=findings, missing=_missing_of(findings))
