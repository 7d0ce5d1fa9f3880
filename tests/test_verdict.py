"""Outcome precedence and explanations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet.verdict import decide

SOURCE = fv.Citation(document="doc.txt", section="§ 1", quote="sitat")


def finding(holds: bool | None, decides: bool = True, rule: str = "x.y.z") -> fv.Finding:
    return fv.Finding(
        rule=rule,
        holds=holds,
        reasons=fv.Text(en="reason", nb="grunn", da="grund"),
        source=SOURCE,
        missing=("fact",) if holds is None else (),
        decides=decides,
    )


findings = st.lists(
    st.builds(finding, st.sampled_from([True, False, None]), st.booleans()), max_size=6
).map(tuple)


@given(findings)
def test_no_beats_undetermined_beats_yes(items: tuple[fv.Finding, ...]) -> None:
    deciding = [f.holds for f in items if f.decides]
    verdict = decide(items)
    if False in deciding:
        assert verdict.outcome is fv.Outcome.NO
    elif None in deciding:
        assert verdict.outcome is fv.Outcome.UNDETERMINED
    else:
        assert verdict.outcome is fv.Outcome.YES
    assert verdict.holds is (verdict.outcome is fv.Outcome.YES)


@given(findings, st.sampled_from([True, False, None]))
def test_a_priority_never_changes_the_outcome(items: tuple[fv.Finding, ...], holds) -> None:
    with_priority = (*items, finding(holds, decides=False))
    assert decide(with_priority).outcome is decide(items).outcome


def test_missing_names_the_unknown_facts_once() -> None:
    verdict = decide((finding(None), finding(None), finding(True)))
    assert verdict.missing == ("fact",)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Outcome: NO", "Source", "reason"]),
        ("nb", ["Utfall: NEI", "Kilde", "grunn"]),
        ("da", ["Udfald: NEJ", "Kilde", "grund"]),
    ],
)
def test_explain_speaks_each_language(lang: str, words: list[str]) -> None:
    text = decide((finding(False), finding(True))).explain(lang)
    for word in words:
        assert word in text
    assert "«sitat»" in text


def test_explain_rejects_an_unknown_language() -> None:
    with pytest.raises(fv.InputError, match="unknown language 'sv'"):
        decide(()).explain("sv")


def test_text_falls_back_to_english_then_the_other_languages() -> None:
    assert fv.Text(en="hi", nb="hei").get("da") == "hi"
    assert fv.Text(da="hej").get("en") == "hej"
