"""Partnership agreements: Lier's six-section template, supplement-not-replace, contracts."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet.rules import partnership

LIER = fv.load_policy("lier")
HOMEWORK = fv.Agreement(
    kind="partnership",
    parties=("Lier idrettslag", "Lier kommune, Hennummarka skole"),
    purpose="Leksehjelp for elever på mellomtrinnet",
    municipality_duties="Skolen stiller lokaler til rådighet og dekker materiell.",
    volunteer_duties="Foreningen stiller med to voksne hver tirsdag 14–16.",
    routines="Møte hvert kvartal; kontakt via e-post.",
    starts=dt.date(2024, 8, 15),
    ends=dt.date(2026, 6, 20),
    revision="Avtalen revideres hvert år i juni.",
    termination="Tre måneders gjensidig oppsigelse.",
    replaces_public_service=False,
)
SECTIONS = {
    "parties": ("1. Avtalepartnere", ()),
    "purpose": ("2. Avtaleformål / Hensikten", ""),
    "municipality_duties": ("3. Kommunens ansvar og oppgaver", " "),
    "volunteer_duties": ("4. Frivilliges ansvar og oppgaver", ""),
    "routines": ("5. Samarbeidsrutiner", "\n"),
    "revision": ("6. Varighet, revisjon og oppsigelse", ""),
    "termination": ("6. Varighet, revisjon og oppsigelse", ""),
}


def test_a_complete_lier_agreement_holds() -> None:
    verdict = partnership.assess(LIER, HOMEWORK)
    assert verdict.holds
    assert {f.rule for f in verdict.findings} == {
        "lier.partnership.template",
        "lier.partnership.supplement",
        "lier.partnership.service_contract",
    }
    assert "Alle 6 punktene i avtalemalen er fylt ut." in verdict.explain("nb")


@pytest.mark.parametrize("field", sorted(SECTIONS))
def test_each_blank_section_is_named(field: str) -> None:
    title, blank = SECTIONS[field]
    verdict = partnership.assess(LIER, attrs.evolve(HOMEWORK, **{field: blank}))
    assert verdict.outcome is fv.Outcome.NO
    (finding,) = [f for f in verdict.findings if f.holds is False]
    assert finding.rule == "lier.partnership.template"
    assert title in finding.reason


def test_an_unknown_section_is_undetermined_and_named() -> None:
    verdict = partnership.assess(LIER, attrs.evolve(HOMEWORK, routines=None))
    assert verdict.outcome is fv.Outcome.UNDETERMINED and verdict.missing == ("routines",)


def test_an_agreement_that_ends_before_it_starts_fails() -> None:
    verdict = partnership.assess(LIER, attrs.evolve(HOMEWORK, ends=dt.date(2024, 1, 1)))
    assert verdict.outcome is fv.Outcome.NO
    assert "The agreement does not end (1 January 2024) after it starts (15 August 2024)." in (
        verdict.explain()
    )
    assert "Avtalen slutter (1. januar 2024) ikke etter at den starter (15. august 2024)." in (
        verdict.explain("nb")
    )
    assert "Aftalen slutter (1. januar 2024) ikke efter, at den starter (15. august 2024)." in (
        verdict.explain("da")
    )


# Section 1 of the template: «Avtale er inngått mellom foreningen xx og virksomheten yy».
@pytest.mark.parametrize(
    "parties",
    [
        ("Lier idrettslag",),
        ("Lier idrettslag", " "),
        ("", "Lier kommune, Hennummarka skole"),
        ("Lier idrettslag", "lier  Idrettslag"),  # one party named twice
    ],
)
def test_one_party_does_not_fill_section_1(parties: tuple[str, ...]) -> None:
    verdict = partnership.assess(LIER, attrs.evolve(HOMEWORK, parties=parties))
    assert verdict.outcome is fv.Outcome.NO
    (finding,) = [f for f in verdict.findings if f.holds is False]
    assert finding.rule == "lier.partnership.template"
    assert finding.reason == (
        "1. Avtalepartnere: the template names two parties, the association and the municipal "
        "unit; the agreement names only one."
    )
    assert "avtalen nevner bare én" in finding.reasons.get("nb")
    assert "aftalen nævner kun én" in finding.reasons.get("da")


def test_two_parties_fill_section_1_and_unknown_parties_stay_unknown() -> None:
    assert partnership.assess(LIER, HOMEWORK).holds
    verdict = partnership.assess(LIER, attrs.evolve(HOMEWORK, parties=None))
    assert verdict.outcome is fv.Outcome.UNDETERMINED and verdict.missing == ("parties",)
    assert "Ukjent om avtalen fyller ut: avtalepartnere." in verdict.explain("nb")


# Section 6: «Varighet, revisjon og oppsigelse»: an agreement runs to an end date or until it is
# terminated.
OPEN_ENDED = attrs.evolve(HOMEWORK, ends=None, open_ended=True)


def test_an_open_ended_agreement_with_a_termination_clause_fills_section_6() -> None:
    verdict = partnership.assess(LIER, OPEN_ENDED)
    assert verdict.holds
    assert "Alle 6 punktene i avtalemalen er fylt ut." in verdict.explain("nb")
    assert "Avtalen gjelder fra 15. august 2024 til den sies opp." in verdict.explain("nb")
    assert "Aftalen gælder fra 15. august 2024, indtil den opsiges." in verdict.explain("da")
    assert "The agreement runs from 15 August 2024 until it is terminated." in verdict.explain()
    no_start = partnership.assess(LIER, attrs.evolve(OPEN_ENDED, starts=None))
    assert no_start.missing == ("starts",)
    assert [f.holds for f in no_start.findings][:2] == [None, True]


def test_an_open_ended_agreement_needs_a_termination_clause() -> None:
    verdict = partnership.assess(LIER, attrs.evolve(OPEN_ENDED, termination=" "))
    assert verdict.outcome is fv.Outcome.NO
    template = verdict.findings[0]
    assert template.holds is False
    assert "6. Varighet, revisjon og oppsigelse" in template.reason
    assert "En avtale uten sluttdato gjelder til den sies opp" in template.reasons.get("nb")
    unknown = partnership.assess(LIER, attrs.evolve(OPEN_ENDED, termination=None))
    assert unknown.outcome is fv.Outcome.UNDETERMINED and unknown.missing == ("termination",)


def test_an_open_ended_agreement_with_an_end_date_is_an_input_error() -> None:
    with pytest.raises(fv.InputError, match=r"^Agreement\.ends: an open-ended agreement") as raised:
        attrs.evolve(OPEN_ENDED, ends=dt.date(2026, 6, 20))
    assert raised.value.field == "Agreement.ends"
    with pytest.raises(fv.InputError) as raised:
        fv.from_json(fv.Agreement, {"open_ended": True, "ends": "2026-06-20"})
    assert raised.value.field == "ends"


def test_a_fixed_term_agreement_needs_its_end_date() -> None:
    fixed = attrs.evolve(HOMEWORK, open_ended=False)
    assert partnership.assess(LIER, fixed).holds
    verdict = partnership.assess(LIER, attrs.evolve(fixed, ends=None))
    assert verdict.outcome is fv.Outcome.UNDETERMINED and verdict.missing == ("ends",)
    assert "6. Varighet, revisjon og oppsigelse: ukjent hvilken dato avtalen slutter." in (
        verdict.explain("nb")
    )


def test_an_unknown_term_names_the_end_date_and_open_ended() -> None:
    verdict = partnership.assess(LIER, attrs.evolve(HOMEWORK, ends=None))
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == ("ends", "open_ended")
    assert verdict.findings[0].reasons.get("nb") == (
        "6. Varighet, revisjon og oppsigelse: ukjent om avtalen slutter på en dato eller gjelder "
        "til den sies opp."
    )
    assert partnership.assess(LIER, attrs.evolve(HOMEWORK, ends=None, open_ended=True)).holds
    assert partnership.assess(LIER, HOMEWORK).holds


@pytest.mark.parametrize(
    ("policy_id", "rule"),
    [
        ("lier", "lier.partnership.supplement"),
        ("hemnes", "hemnes.principle.supplement"),
        ("stange", "stange.principle.supplement"),
    ],
)
def test_volunteers_supplement_and_never_replace_public_services(policy_id: str, rule: str) -> None:
    verdict = partnership.assess(
        fv.load_policy(policy_id), attrs.evolve(HOMEWORK, replaces_public_service=True)
    )
    assert verdict.outcome is fv.Outcome.NO
    assert {f.rule for f in verdict.findings if f.holds is False} == {rule}
    assert partnership.assess(fv.load_policy(policy_id), HOMEWORK).holds


def test_a_service_contract_is_judged_as_an_ordinary_contract() -> None:
    sfo = fv.Agreement(
        kind="service_contract", parties=("Lier IL", "Lier kommune"), purpose="Drift av SFO"
    )
    verdict = partnership.assess(LIER, sfo)
    assert verdict.holds
    (finding,) = verdict.findings
    assert finding.rule == "lier.partnership.service_contract"
    assert "ordinær kontrakt" in finding.source.quote


def test_an_unknown_kind_decides_only_where_both_kinds_agree() -> None:
    passes = partnership.assess(LIER, attrs.evolve(HOMEWORK, kind=None))
    assert passes.outcome is fv.Outcome.YES  # a partnership that passes, or a service contract
    fails = partnership.assess(LIER, attrs.evolve(HOMEWORK, kind=None, routines=""))
    assert fails.outcome is fv.Outcome.UNDETERMINED and fails.missing == ("kind",)
    assert "If this is a partnership agreement" in fails.explain()


def test_a_policy_without_agreement_rules_is_an_input_error() -> None:
    with pytest.raises(fv.InputError, match="policy 'nn' sets no rules for agreements"):
        partnership.assess(fv.load_policy("nn"), HOMEWORK)


@given(st.sampled_from(sorted(SECTIONS)), st.sampled_from(["", " ", "\t\n"]))
def test_blanking_any_template_section_yields_no_naming_the_template(
    field: str, blank: str
) -> None:
    value = () if field == "parties" else blank
    verdict = partnership.assess(LIER, attrs.evolve(HOMEWORK, **{field: value}))
    assert verdict.outcome is fv.Outcome.NO
    assert "lier.partnership.template" in {f.rule for f in verdict.findings if f.holds is False}


texts = st.none() | st.text(max_size=6)
days = st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31))
agreements = st.builds(
    lambda open_ended, ends, **rest: fv.Agreement(
        open_ended=open_ended, ends=None if open_ended else ends, **rest
    ),
    open_ended=st.none() | st.booleans(),
    ends=days,
    kind=st.none() | st.sampled_from(fv.AgreementKind),
    parties=st.none()
    | st.lists(st.sampled_from(["", " ", "Lier IL", "Lier kommune"]), max_size=3).map(tuple),
    purpose=texts,
    municipality_duties=texts,
    volunteer_duties=texts,
    routines=texts,
    starts=days,
    revision=texts,
    termination=texts,
    replaces_public_service=st.none() | st.booleans(),
)


@given(st.sampled_from(["lier", "hemnes", "stange"]), agreements)
def test_agreement_verdicts_are_three_valued(policy_id: str, agreement: fv.Agreement) -> None:
    verdict = partnership.assess(fv.load_policy(policy_id), agreement)
    held = [f.holds for f in verdict.findings if f.decides]
    assert (verdict.outcome is fv.Outcome.NO) == (False in held)
    assert (verdict.outcome is fv.Outcome.UNDETERMINED) == (False not in held and None in held)
    for name in verdict.missing:
        assert getattr(agreement, name) is None


FIELD_NAMES = re.compile(
    r"\b(parties|purpose|municipality_duties|volunteer_duties|routines|starts|ends|open_ended"
    r"|termination|kind|replaces_public_service)\b"
)


@given(st.sampled_from(["lier", "hemnes", "stange"]), agreements)
def test_norwegian_and_danish_reasons_use_no_english_field_names(
    policy_id: str, agreement: fv.Agreement
) -> None:
    verdict = partnership.assess(fv.load_policy(policy_id), agreement)
    for finding in verdict.findings:
        for lang in ("nb", "da"):
            assert not FIELD_NAMES.search(finding.reasons.get(lang)), finding.reasons.get(lang)
