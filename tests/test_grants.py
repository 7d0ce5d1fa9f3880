"""Grant eligibility for the seed schemes, deadlines, priorities, and scheme changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet.rules import grants
from frivillighet.rules.grants import BeforeDeadline, Scheme, WithinBudget

D = dt.date
VESTHIMMERLAND = fv.load_policy("vesthimmerland")
RED_CROSS = fv.Organisation(
    name="Røde Kors Aars", non_profit=True, volunteer_based=True, municipality="Vesthimmerland"
)
VISITORS = fv.GrantApplication(
    applicant=RED_CROSS,
    amount=Decimal("15000"),
    purpose="Besøgsvenner",
    area="social",
    submitted=D(2024, 3, 1),
)


def rules(verdict: fv.Verdict, holds: bool | None) -> set[str]:
    return {f.rule for f in verdict.findings if f.holds is holds}


def test_vesthimmerland_social_work_by_a_local_association_is_eligible() -> None:
    verdict = grants.assess(VESTHIMMERLAND, VISITORS, on=D(2024, 4, 1))
    assert verdict.holds
    assert rules(verdict, True) == {
        "vesthimmerland.grants.social_work",
        "vesthimmerland.grants.recipients",
        "vesthimmerland.grants.local_anchoring",
    }


COMPANY = fv.Organisation(
    name="Omsorg ApS", non_profit=False, volunteer_based=False, municipality="Vesthimmerland"
)


def test_vesthimmerland_a_business_doing_social_work_gets_no_grant() -> None:
    """«økonomisk tilskud til frivilligt socialt arbejde»: voluntary work by volunteers, and
    serviceloven § 18 supports voluntary social organisations, not businesses."""
    verdict = grants.assess(
        VESTHIMMERLAND, attrs.evolve(VISITORS, applicant=COMPANY), on=D(2024, 4, 1)
    )
    assert verdict.outcome is fv.Outcome.NO
    failed = [f for f in verdict.findings if f.holds is False and f.decides]
    assert [f.rule for f in failed] == ["vesthimmerland.grants.recipients"] * 2
    assert "Omsorg ApS bygger ikke på frivillige." in verdict.explain("da")
    paid_staff = attrs.evolve(COMPANY, non_profit=True)
    assert (
        grants.assess(
            VESTHIMMERLAND, attrs.evolve(VISITORS, applicant=paid_staff), on=D(2024, 4, 1)
        ).outcome
        is fv.Outcome.NO
    )


def test_vesthimmerland_unknown_status_of_the_applicant_is_named() -> None:
    unknown = fv.Organisation(name="Besøgsvennerne", municipality="Vesthimmerland")
    verdict = grants.assess(
        VESTHIMMERLAND, attrs.evolve(VISITORS, applicant=unknown), on=D(2024, 4, 1)
    )
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == ("applicant.volunteer_based", "applicant.non_profit")


def test_vesthimmerland_local_anchoring_is_a_priority_not_a_condition() -> None:
    elsewhere = attrs.evolve(
        VISITORS, applicant=attrs.evolve(RED_CROSS, municipality="Aalborg Kommune")
    )
    verdict = grants.assess(VESTHIMMERLAND, elsewhere, on=D(2024, 4, 1))
    assert verdict.holds
    (priority,) = [f for f in verdict.findings if not f.decides]
    assert priority.rule == "vesthimmerland.grants.local_anchoring"
    assert priority.holds is False
    assert "belongs to Aalborg Kommune, not Vesthimmerland" in priority.reason
    assert "afgør ikke" in verdict.explain("da")


def test_vesthimmerland_sport_is_not_social_work() -> None:
    verdict = grants.assess(VESTHIMMERLAND, attrs.evolve(VISITORS, area="sport"), on=D(2024, 4, 1))
    assert verdict.outcome is fv.Outcome.NO
    assert rules(verdict, False) == {"vesthimmerland.grants.social_work"}
    assert "Ansøgningen gælder idræt; ordningen støtter kun socialt arbejde." in verdict.explain(
        "da"
    )


def test_an_unknown_area_is_undetermined_but_an_unknown_home_is_not() -> None:
    verdict = grants.assess(VESTHIMMERLAND, attrs.evolve(VISITORS, area=None), on=D(2024, 4, 1))
    assert verdict.outcome is fv.Outcome.UNDETERMINED and verdict.missing == ("area",)
    homeless = attrs.evolve(VISITORS, applicant=attrs.evolve(RED_CROSS, municipality=None))
    assert grants.assess(VESTHIMMERLAND, homeless, on=D(2024, 4, 1)).holds


def test_stange_grants_are_given_on_application() -> None:
    stange = fv.load_policy("stange")
    applied = fv.GrantApplication(
        applicant=fv.Organisation(name="Ottestad IL", non_profit=True), submitted=D(2021, 2, 1)
    )
    assert grants.assess(stange, applied, on=D(2021, 3, 1)).holds
    unknown = grants.assess(stange, attrs.evolve(applied, submitted=None), on=D(2021, 3, 1))
    assert unknown.outcome is fv.Outcome.UNDETERMINED and unknown.missing == ("submitted",)


@pytest.mark.parametrize(
    ("policy", "scheme"),
    [("stange", None), ("lier", "tilskudd"), ("lier", "underskuddsgaranti"), ("lier", "utlan")],
)
def test_grants_to_associations_are_not_for_businesses(policy: str, scheme: str | None) -> None:
    """Stange: «tilskudd til lag og foreninger»; Lier: «henvendelser fra foreningslivet»."""
    business = fv.Organisation(name="Kurs AS", non_profit=False, volunteer_based=True)
    applied = fv.GrantApplication(applicant=business, scheme=scheme, submitted=D(2024, 1, 15))
    verdict = grants.assess(fv.load_policy(policy), applied, on=D(2024, 2, 1))
    assert verdict.outcome is fv.Outcome.NO
    assert rules(verdict, False) == {f"{policy}.grants.recipients"}
    assert "Kurs AS drives kommersielt." in verdict.explain("nb")
    unknown = attrs.evolve(applied, applicant=fv.Organisation(name="Kurs AS"))
    verdict = grants.assess(fv.load_policy(policy), unknown, on=D(2024, 2, 1))
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == ("applicant.non_profit",)


@pytest.mark.parametrize("scheme", ["tilskudd", "underskuddsgaranti", "utlan"])
def test_lier_three_schemes_on_application(scheme: str) -> None:
    association = fv.Organisation(name="Lier Musikkorps", non_profit=True)
    application = fv.GrantApplication(
        applicant=association, scheme=scheme, submitted=D(2024, 1, 15)
    )
    verdict = grants.assess(fv.load_policy("lier"), application, on=D(2024, 2, 1))
    assert verdict.holds
    assert rules(verdict, True) == {"lier.grants.schemes", "lier.grants.recipients"}


def test_lier_needs_a_scheme_name_and_names_its_schemes() -> None:
    with pytest.raises(
        fv.InputError, match="several schemes, name one of: tilskudd, underskuddsgaranti, utlan"
    ):
        grants.assess(fv.load_policy("lier"), fv.GrantApplication(), on=D(2024, 2, 1))
    with pytest.raises(fv.InputError, match="no scheme 'stipend'; its schemes: tilskudd"):
        grants.assess(
            fv.load_policy("lier"), fv.GrantApplication(scheme="stipend"), on=D(2024, 2, 1)
        )
    with pytest.raises(fv.InputError, match="policy 'nn' has no grant schemes"):
        grants.assess(fv.load_policy("nn"), fv.GrantApplication(scheme="x"), on=D(2024, 2, 1))


def with_rules(*extra: object, budget: Decimal | None = None) -> fv.Policy:
    """Vesthimmerland's scheme with `extra` criteria, as a municipality could configure it."""
    scheme = VESTHIMMERLAND.grants.schemes[0]
    changed: Scheme = attrs.evolve(scheme, criteria=(*scheme.criteria, *extra), budget=budget)
    return attrs.evolve(
        VESTHIMMERLAND, grants=attrs.evolve(VESTHIMMERLAND.grants, schemes=(changed,))
    )


SOURCE = VESTHIMMERLAND.grants.schemes[0].source


@pytest.mark.parametrize(
    ("submitted", "holds", "why"),
    [
        (D(2024, 3, 15), True, "by the deadline 2024-03-18"),  # Friday 15 March
        (D(2024, 3, 18), True, "by the deadline 2024-03-18"),
        (D(2024, 3, 19), False, "after the deadline 2024-03-18"),
    ],
)
def test_a_deadline_on_a_weekend_moves_to_the_next_working_day(submitted, holds, why) -> None:
    policy = with_rules(
        BeforeDeadline(id="vesthimmerland.grants.deadline", source=SOURCE, month=3, day=16)
    )
    verdict = grants.assess(policy, attrs.evolve(VISITORS, submitted=submitted), on=D(2024, 5, 1))
    (finding,) = [f for f in verdict.findings if f.rule == "vesthimmerland.grants.deadline"]
    assert finding.holds is holds and why in finding.reason


def test_a_danish_deadline_on_grundlovsdag_moves_to_the_next_day() -> None:
    policy = with_rules(
        BeforeDeadline(id="vesthimmerland.grants.deadline", source=SOURCE, month=6, day=5)
    )
    verdict = grants.assess(
        policy, attrs.evolve(VISITORS, submitted=D(2024, 6, 6)), on=D(2024, 9, 1)
    )
    assert verdict.holds


def test_a_budget_frame_decides_only_when_the_policy_gives_an_amount() -> None:
    budget = WithinBudget(id="vesthimmerland.grants.frame", source=SOURCE)
    unpriced = grants.assess(with_rules(budget), VISITORS, on=D(2024, 4, 1))
    assert unpriced.holds
    assert [f.decides for f in unpriced.findings if f.rule == "vesthimmerland.grants.frame"] == [
        False
    ]
    over = grants.assess(with_rules(budget, budget=Decimal(10000)), VISITORS, on=D(2024, 4, 1))
    assert over.outcome is fv.Outcome.NO
    assert "15000 is more than the budget frame of 10000." in over.explain()


def test_hemnes_scheme_changes_are_discussed_with_the_council_first() -> None:
    hemnes = fv.load_policy("hemnes")
    before = grants.assess_change(
        hemnes, fv.SchemeChange(discussed=D(2024, 5, 2), decided=D(2024, 6, 20))
    )
    assert before.holds
    assert "Drøftet med Frivillighetsrådet 2024-05-02, før vedtaket 2024-06-20." in before.explain(
        "nb"
    )
    after = grants.assess_change(
        hemnes, fv.SchemeChange(discussed=D(2024, 6, 21), decided=D(2024, 6, 20))
    )
    assert after.outcome is fv.Outcome.NO
    never = grants.assess_change(hemnes, fv.SchemeChange(decided=D(2024, 6, 20)))
    assert never.outcome is fv.Outcome.UNDETERMINED and never.missing == ("discussed",)
    with pytest.raises(fv.InputError, match="policy 'lier' sets no rule for changing"):
        grants.assess_change(fv.load_policy("lier"), fv.SchemeChange())


organisations = st.builds(
    fv.Organisation,
    name=st.none() | st.text(max_size=10),
    non_profit=st.none() | st.booleans(),
    volunteer_based=st.none() | st.booleans(),
    municipality=st.none()
    | st.sampled_from(["Vesthimmerland", "Aalborg", "vesthimmerland kommune"]),
    area=st.none() | st.sampled_from(fv.Area),
    registered=st.none() | st.booleans(),
)
applications = st.builds(
    fv.GrantApplication,
    applicant=st.none() | organisations,
    amount=st.none() | st.decimals(min_value=0, max_value=10**6, places=2),
    area=st.none() | st.sampled_from(fv.Area),
    submitted=st.none() | st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)),
)


@given(applications, st.sampled_from(["Vesthimmerland", "Aalborg", None]))
def test_a_verdict_never_depends_on_a_priority(
    application: fv.GrantApplication, home: str | None
) -> None:
    application = attrs.evolve(application, applicant=application.applicant or fv.Organisation())
    assert application.applicant is not None
    moved = attrs.evolve(
        application, applicant=attrs.evolve(application.applicant, municipality=home)
    )
    first = grants.assess(VESTHIMMERLAND, application, on=D(2024, 4, 1))
    second = grants.assess(VESTHIMMERLAND, moved, on=D(2024, 4, 1))
    assert first.outcome is second.outcome
    assert first.missing == second.missing


@given(applications)
def test_grant_verdicts_follow_their_deciding_findings(application: fv.GrantApplication) -> None:
    verdict = grants.assess(VESTHIMMERLAND, application, on=D(2024, 4, 1))
    deciding = [f.holds for f in verdict.findings if f.decides]
    assert (verdict.outcome is fv.Outcome.NO) == (False in deciding)
    assert (verdict.outcome is fv.Outcome.YES) == all(deciding)


@pytest.mark.parametrize(
    "home",
    [
        "Vesthimmerland",
        "vesthimmerland kommune",
        "Vesthimmerlands Kommune",
        "Vesthimmerlands  Kommune",
    ],
)
def test_local_anchoring_matches_the_usual_forms_of_the_name(home: str) -> None:
    local = attrs.evolve(VISITORS, applicant=attrs.evolve(RED_CROSS, municipality=home))
    verdict = grants.assess(VESTHIMMERLAND, local, on=D(2024, 4, 1))
    assert all(f.holds for f in verdict.findings)


def test_a_discussion_on_the_day_of_the_decision_counts_and_says_so() -> None:
    same = grants.assess_change(
        fv.load_policy("hemnes"), fv.SchemeChange(discussed=D(2024, 6, 20), decided=D(2024, 6, 20))
    )
    assert same.holds
    assert "on 2024-06-20, the day of the decision" in same.findings[0].reason
    unknown = grants.assess_change(fv.load_policy("hemnes"), fv.SchemeChange())
    assert unknown.missing == ("discussed", "decided")
