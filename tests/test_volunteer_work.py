"""What counts as volunteer work: seed scenarios for every criterion, and properties."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet.rules import volunteer_work

DEFINING = ("hemnes", "lier", "nn", "stange", "vesthimmerland")

FACTS = {
    "pay": fv.Pay,
    "beneficiary": fv.Beneficiary,
    "organised_by": fv.Organiser,
    "participation": fv.Participation,
    "compulsion": fv.Compulsion,
    "area": fv.Area,
}
activities = st.builds(
    fv.Activity,
    description=st.none() | st.text(max_size=20),
    pay=st.none() | st.sampled_from(fv.Pay),
    beneficiary=st.none() | st.sampled_from(fv.Beneficiary),
    organised_by=st.none() | st.sampled_from(fv.Organiser),
    participation=st.none() | st.sampled_from(fv.Participation),
    compulsion=st.none() | st.sampled_from(fv.Compulsion),
    area=st.none() | st.sampled_from(fv.Area),
)
policies = st.sampled_from(DEFINING).map(fv.load_policy)


def assess(policy_id: str, **facts: object) -> fv.Verdict:
    return volunteer_work.assess(fv.load_policy(policy_id), fv.Activity(**facts))


def failing(verdict: fv.Verdict) -> set[str]:
    return {finding.rule for finding in verdict.findings if finding.holds is False}


COACH = {
    "description": "Trener et barnelag i fotball for idrettslaget",
    "pay": "none",
    "beneficiary": "others",
    "organised_by": "association",
    "participation": "active",
    "compulsion": "none",
    "area": "sport",
}


# --- Hemnes: «Frivillig arbeid er aktivitet som ...» ---------------------------------------------


def test_hemnes_unpaid_coach_in_a_lag_is_volunteer_work() -> None:
    verdict = assess("hemnes", **COACH)
    assert verdict.outcome is fv.Outcome.YES and verdict.holds
    assert [f.rule for f in verdict.findings] == [
        "hemnes.volunteer.unpaid",
        "hemnes.volunteer.not_own_family",
        "hemnes.volunteer.organised",
        "hemnes.volunteer.active",
        "NO.volunteer.non_compulsory",
    ]


@pytest.mark.parametrize("policy", DEFINING)
def test_ordered_or_required_work_is_not_volunteer_work(policy: str) -> None:
    """The ILO: «unpaid, non-compulsory activity»; Frivilligrådet: «uden fysisk, retlig eller
    økonomisk tvang». A coach doing court-ordered community service is not a volunteer, under
    every built-in policy, though none of them says so itself."""
    facts = {**COACH, "area": "social", "compulsion": "compelled"}
    verdict = assess(policy, **facts)
    assert verdict.outcome is fv.Outcome.NO
    country = fv.load_policy(policy).country
    assert f"{country}.volunteer.non_compulsory" in failing(verdict)
    assert "Aktiviteten er pålagt, og dermed ikke frivillig." in verdict.explain("nb")
    unknown = assess(policy, **{**COACH, "area": "social", "compulsion": None})
    assert unknown.outcome is fv.Outcome.UNDETERMINED and unknown.missing == ("compulsion",)


def test_hemnes_driving_for_the_municipality_by_agreement_is_volunteer_work() -> None:
    verdict = assess(
        "hemnes",
        **{
            **COACH,
            "description": "Besøksvenn etter avtale med kommunen",
            "organised_by": "agreement",
        },
    )
    assert verdict.holds


@pytest.mark.parametrize("pay", ["expenses", "honorarium"])
def test_hemnes_reimbursed_expenses_and_a_symbolic_honorarium_are_not_pay(pay: str) -> None:
    assert assess("hemnes", **{**COACH, "pay": pay}).holds


@pytest.mark.parametrize(
    ("change", "rule", "reason"),
    [
        ({"pay": "wage"}, "hemnes.volunteer.unpaid", "paid a wage"),
        ({"beneficiary": "own_family"}, "hemnes.volunteer.not_own_family", "own family"),
        ({"organised_by": "none"}, "hemnes.volunteer.organised", "informally"),
        ({"participation": "membership_only"}, "hemnes.volunteer.active", "Membership alone"),
    ],
)
def test_hemnes_each_criterion_fails_on_its_own(change, rule: str, reason: str) -> None:
    verdict = assess("hemnes", **{**COACH, **change})
    assert verdict.outcome is fv.Outcome.NO
    assert failing(verdict) == {rule}
    (finding,) = [f for f in verdict.findings if f.holds is False]
    assert reason in finding.reason
    assert finding.source.document == "000_d63c8d2161b1ede8.txt"


def test_hemnes_membership_alone_cites_the_membership_sentence() -> None:
    verdict = assess("hemnes", **{**COACH, "participation": "membership_only"})
    (finding,) = [f for f in verdict.findings if f.holds is False]
    assert "Medlemskap i en organisasjon er i seg selv ikke frivillighet." in finding.source.quote
    assert "Medlemskap alene er ikke frivillig arbeid." in verdict.explain("nb")


def test_hemnes_unknown_participation_is_undetermined_and_named() -> None:
    verdict = assess("hemnes", **{**COACH, "participation": None})
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == ("participation",)
    assert "Missing facts: participation" in verdict.explain()


# --- Stange: «ubetalt innsats» --------------------------------------------------------------------


def test_stange_unpaid_help_in_the_neighbourhood_is_volunteer_work() -> None:
    """Stange's own words say only «ubetalt innsats»; the rest is Norway's common definition."""
    verdict = assess(
        "stange",
        description="Handler for en nabo via frivilligsentralen",
        pay="none",
        beneficiary="others",
        participation="active",
        compulsion="none",
    )
    assert verdict.holds
    assert [f.rule for f in verdict.findings] == [
        "stange.volunteer.unpaid",
        "NO.volunteer.for_others",
        "NO.volunteer.non_compulsory",
        "NO.volunteer.active",
    ]


@pytest.mark.parametrize(
    ("facts", "fails"),
    [
        (
            {"beneficiary": "own_family", "participation": "active", "compulsion": "none"},
            "NO.volunteer.for_others",
        ),
        ({"beneficiary": "others", "participation": "membership_only"}, "NO.volunteer.active"),
    ],
)
def test_stange_unpaid_care_for_ones_mother_or_membership_alone_is_not(facts, fails) -> None:
    """Unpaid is not enough: care for one's own family and membership alone are not volunteer
    work in the common definition Stange inherits (docs/interpretations.md § 32)."""
    verdict = assess("stange", pay="none", organised_by="none", **facts)
    assert verdict.outcome is fv.Outcome.NO
    assert failing(verdict) == {fails}
    (finding,) = [f for f in verdict.findings if f.rule == fails]
    assert finding.source.document.startswith("ILO")


def test_stange_paid_work_is_not_volunteer_work() -> None:
    verdict = assess("stange", pay="wage")
    assert verdict.outcome is fv.Outcome.NO
    assert failing(verdict) == {"stange.volunteer.unpaid"}


# --- Vesthimmerland: frivilligt socialt arbejde til gavn for andre mennesker --------------------

VISITOR = {
    "pay": "none",
    "beneficiary": "others",
    "organised_by": "association",
    "participation": "active",
    "compulsion": "none",
    "area": "social",
}


def test_vesthimmerland_social_work_for_others_in_an_association_holds() -> None:
    verdict = assess("vesthimmerland", description="Besøgsven i Røde Kors", **VISITOR)
    assert verdict.holds
    assert {f.rule for f in verdict.findings} == {
        "vesthimmerland.volunteer.social_for_others",
        "DK.volunteer.non_compulsory",
        "DK.volunteer.unpaid",
        "DK.volunteer.active",
    }
    assert "Aktivitetens område er socialt arbejde" in verdict.explain("da")


def test_vesthimmerland_passive_membership_is_not_voluntary_work() -> None:
    """Vesthimmerland is silent on it; the Danish common definition: membership is not enough."""
    verdict = assess("vesthimmerland", **{**VISITOR, "participation": "membership_only"})
    assert verdict.outcome is fv.Outcome.NO
    assert failing(verdict) == {"DK.volunteer.active"}
    assert "medlemskab af en organisation er ikke nok" in verdict.explain("da")


def test_vesthimmerland_a_wage_is_not_voluntary_work_by_the_danish_definition() -> None:
    verdict = assess("vesthimmerland", **{**VISITOR, "pay": "wage"})
    assert verdict.outcome is fv.Outcome.NO
    assert failing(verdict) == {"DK.volunteer.unpaid"}
    (unpaid,) = [f for f in verdict.findings if f.rule == "DK.volunteer.unpaid"]
    assert unpaid.source.quote == "ikke er lønnet"


@pytest.mark.parametrize(
    "change",
    [
        {"area": "sport"},
        {"beneficiary": "own_family"},
        {"organised_by": "none"},
        {"organised_by": "agreement"},
    ],
)
def test_vesthimmerland_other_work_is_not_social_volunteer_work(change) -> None:
    verdict = assess("vesthimmerland", **{**VISITOR, **change})
    assert verdict.outcome is fv.Outcome.NO
    assert failing(verdict) == {"vesthimmerland.volunteer.social_for_others"}


def test_vesthimmerland_unknown_area_is_undetermined() -> None:
    verdict = assess("vesthimmerland", **{**VISITOR, "area": None})
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == ("area",)


# --- Policies without a definition, and bad arguments -------------------------------------------


@pytest.mark.parametrize("policy_id", ["lier", "nn"])
def test_a_policy_without_a_definition_of_its_own_uses_the_national_one(policy_id: str) -> None:
    verdict = assess(policy_id, **COACH)
    assert verdict.holds
    assert [f.rule for f in verdict.findings] == [
        "NO.volunteer.unpaid",
        "NO.volunteer.for_others",
        "NO.volunteer.non_compulsory",
        "NO.volunteer.active",
    ]


def test_a_policy_that_omits_every_national_criterion_defines_no_volunteer_work() -> None:
    policy = fv.load_policy("lier")
    bare = attrs.evolve(
        policy,
        volunteer_work=None,
        national=fv.National(
            omit=(
                "NO.volunteer.unpaid",
                "NO.volunteer.for_others",
                "NO.volunteer.non_compulsory",
                "NO.volunteer.active",
            )
        ),
    )
    with pytest.raises(fv.InputError, match="policy 'lier' does not define volunteer work"):
        volunteer_work.assess(bare, fv.Activity(**COACH))


def test_a_non_activity_is_an_input_error() -> None:
    with pytest.raises(fv.InputError, match="activity: expected an Activity, got dict"):
        volunteer_work.assess(fv.load_policy("hemnes"), COACH)  # type: ignore[arg-type]


# --- Properties ----------------------------------------------------------------------------------


@given(policies, activities)
def test_a_wage_never_yields_yes(policy: fv.Policy, activity: fv.Activity) -> None:
    paid = attrs.evolve(activity, pay=fv.Pay.WAGE)
    assert volunteer_work.assess(policy, paid).outcome is not fv.Outcome.YES


@given(policies, activities)
def test_outcome_follows_the_findings(policy: fv.Policy, activity: fv.Activity) -> None:
    verdict = volunteer_work.assess(policy, activity)
    held = [finding.holds for finding in verdict.findings]
    assert len(held) == len(policy.volunteer_work.criteria)
    assert (verdict.outcome is fv.Outcome.NO) == (False in held)
    assert (verdict.outcome is fv.Outcome.UNDETERMINED) == (False not in held and None in held)
    assert (verdict.outcome is fv.Outcome.YES) == all(held)


@given(policies, activities)
def test_undetermined_exactly_when_nothing_fails_and_a_needed_fact_is_none(
    policy: fv.Policy, activity: fv.Activity
) -> None:
    verdict = volunteer_work.assess(policy, activity)
    for name in verdict.missing:
        assert getattr(activity, name) is None
    for finding in verdict.findings:
        assert (finding.holds is None) == bool(finding.missing)
    if verdict.outcome is fv.Outcome.UNDETERMINED:
        assert verdict.missing
    if not verdict.missing:
        assert verdict.outcome is not fv.Outcome.UNDETERMINED


# The fact each policy reads, a value that fails it, and the rule that must then be named.
FLIPS = [
    ("hemnes", "pay", fv.Pay.WAGE, "hemnes.volunteer.unpaid"),
    ("hemnes", "beneficiary", fv.Beneficiary.OWN_FAMILY, "hemnes.volunteer.not_own_family"),
    ("hemnes", "organised_by", fv.Organiser.NONE, "hemnes.volunteer.organised"),
    ("hemnes", "participation", fv.Participation.MEMBERSHIP_ONLY, "hemnes.volunteer.active"),
    ("stange", "pay", fv.Pay.WAGE, "stange.volunteer.unpaid"),
    ("stange", "beneficiary", fv.Beneficiary.OWN_FAMILY, "NO.volunteer.for_others"),
    ("stange", "participation", fv.Participation.MEMBERSHIP_ONLY, "NO.volunteer.active"),
    ("lier", "pay", fv.Pay.WAGE, "NO.volunteer.unpaid"),
    ("nn", "beneficiary", fv.Beneficiary.OWN_FAMILY, "NO.volunteer.for_others"),
    ("vesthimmerland", "pay", fv.Pay.WAGE, "DK.volunteer.unpaid"),
    ("vesthimmerland", "participation", fv.Participation.MEMBERSHIP_ONLY, "DK.volunteer.active"),
    ("vesthimmerland", "area", fv.Area.CULTURE, "vesthimmerland.volunteer.social_for_others"),
    (
        "vesthimmerland",
        "beneficiary",
        fv.Beneficiary.OWN_FAMILY,
        "vesthimmerland.volunteer.social_for_others",
    ),
    (
        "vesthimmerland",
        "organised_by",
        fv.Organiser.AGREEMENT,
        "vesthimmerland.volunteer.social_for_others",
    ),
]


YES = {
    "hemnes": fv.Activity(**COACH),
    "stange": fv.Activity(**COACH),
    "lier": fv.Activity(**COACH),
    "nn": fv.Activity(**COACH),
    "vesthimmerland": fv.Activity(**VISITOR),
}


@st.composite
def near(draw: st.DrawFn, base: fv.Activity) -> fv.Activity:
    """Activities that keep or vary each fact of `base`: many of them are still a YES."""
    changes = {
        name: draw(st.just(getattr(base, name)) | (st.none() | st.sampled_from(values)))
        for name, values in FACTS.items()
    }
    return attrs.evolve(base, **changes)


@given(st.sampled_from(FLIPS), st.data())
def test_flipping_one_fact_of_a_yes_names_exactly_that_rule(flip, data: st.DataObject) -> None:
    policy_id, fact, bad, rule = flip
    policy = fv.load_policy(policy_id)
    activity = data.draw(near(YES[policy_id]))
    if not volunteer_work.assess(policy, activity).holds:
        activity = YES[policy_id]
    verdict = volunteer_work.assess(policy, attrs.evolve(activity, **{fact: bad}))
    assert verdict.outcome is fv.Outcome.NO
    assert failing(verdict) == {rule}


@given(policies, activities, st.text(max_size=30))
def test_the_description_never_changes_the_verdict(policy, activity, description: str) -> None:
    other = attrs.evolve(activity, description=description)
    assert volunteer_work.assess(policy, other) == volunteer_work.assess(policy, activity)


@given(policies, activities)
def test_every_finding_cites_a_rule_of_the_policy(policy: fv.Policy, activity: fv.Activity) -> None:
    cited = {(rule.id, rule.source) for rule in policy.rules()}
    for finding in volunteer_work.assess(policy, activity).findings:
        assert (finding.rule, finding.source) in cited
        for lang in ("en", "nb", "da"):
            assert finding.reasons.get(lang)


def test_a_stricter_policy_can_count_an_honorarium_as_pay() -> None:
    hemnes = fv.load_policy("hemnes")
    unpaid = hemnes.volunteer_work.criteria[0]
    strict = attrs.evolve(
        hemnes,
        volunteer_work=attrs.evolve(
            hemnes.volunteer_work,
            criteria=(
                attrs.evolve(unpaid, honorarium_is_pay=True),
                *hemnes.volunteer_work.criteria[1:],
            ),
        ),
    )
    verdict = volunteer_work.assess(strict, fv.Activity(**{**COACH, "pay": "honorarium"}))
    assert failing(verdict) == {"hemnes.volunteer.unpaid"}
    assert "counts as pay" in verdict.findings[0].reason
