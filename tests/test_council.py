"""Council composition: Hemnes' Frivillighetsråd and bygdeutvalg, Vesthimmerland's Frivilligråd."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet.rules import council
from frivillighet.testing import forgetting
from frivillighet.verify import unsound

HEMNES = fv.load_policy("hemnes")
VESTHIMMERLAND = fv.load_policy("vesthimmerland")
BYGDER = ("Korgen", "Bjerka", "Hemnesberget", "Finneidfjord", "Bleikvasslia")
MUNICIPALITY = fv.Body(kind="municipality", name="Hemnes kommune")


def bygd(name: str, person: str | None = None) -> fv.Member:
    return fv.Member(
        name=person or f"Representant for {name}",
        represents=fv.Body(kind="bygdeutvalg", name=f"{name} bygdeutvalg"),
        elected_by="associations",
    )


CENTRE = fv.Member(
    name="Leder", represents=fv.Body(kind="frivilligsentral", name="Hemnes frivilligsentral")
)
VALID = fv.Council(
    kind="frivillighetsrad", members=(*map(bygd, BYGDER), CENTRE), secretary=MUNICIPALITY
)
REGISTRY = [fv.Body(kind="bygdeutvalg", name=f"{name} bygdeutvalg") for name in BYGDER]


def failing(verdict: fv.Verdict) -> list[str]:
    return [f.reason for f in verdict.findings if f.holds is False]


def test_hemnes_frivillighetsrad_as_the_action_plan_says() -> None:
    verdict = council.assess(HEMNES, VALID, registry=REGISTRY)
    assert verdict.holds
    assert {f.rule for f in verdict.findings} == {
        "hemnes.council.frivillighetsrad",
        "hemnes.council.bygdeutvalg",
    }


def test_a_bygd_twice_is_named() -> None:
    members = (*map(bygd, BYGDER[:4]), bygd("Korgen", "Ola"), CENTRE)
    verdict = council.assess(HEMNES, attrs.evolve(VALID, members=members))
    assert verdict.outcome is fv.Outcome.NO
    assert any("Korgen bygdeutvalg (Representant for Korgen, Ola)" in r for r in failing(verdict))


def test_the_registry_names_a_missing_bygd() -> None:
    members = (*map(bygd, BYGDER[:4]), CENTRE)
    verdict = council.assess(HEMNES, attrs.evolve(VALID, members=members), registry=REGISTRY)
    assert verdict.outcome is fv.Outcome.NO
    reasons = failing(verdict)
    assert "No member sits for this village committee: Bleikvasslia bygdeutvalg." in reasons
    assert "The council has 6 members; this one has 5." in reasons


def test_the_registry_names_a_bygd_it_does_not_know() -> None:
    members = (*map(bygd, BYGDER[:4]), bygd("Sandnessjøen"), CENTRE)
    verdict = council.assess(HEMNES, attrs.evolve(VALID, members=members), registry=REGISTRY)
    assert any("Sandnessjøen bygdeutvalg" in r for r in failing(verdict))


def test_the_volunteer_centre_is_the_sixth_member() -> None:
    members = (*map(bygd, BYGDER), bygd("Hemnes"))
    verdict = council.assess(HEMNES, attrs.evolve(VALID, members=members))
    assert verdict.outcome is fv.Outcome.NO
    assert "1 seat(s) for volunteer centre; found 0: -." in failing(verdict)


def test_nobody_sits_for_a_political_party() -> None:
    party = fv.Member(name="Per", represents=fv.Body(kind="political_party", name="Partiet"))
    verdict = council.assess(HEMNES, attrs.evolve(VALID, members=(*map(bygd, BYGDER), party)))
    rules = {f.rule for f in verdict.findings if f.holds is False}
    assert "hemnes.council.bygdeutvalg" in rules
    assert any("these do: Per" in r for r in failing(verdict))


def test_the_municipality_is_secretary() -> None:
    verdict = council.assess(
        HEMNES, attrs.evolve(VALID, secretary=fv.Body(kind="frivilligsentral"))
    )
    assert failing(verdict) == ["The secretary is to be the municipality; it is volunteer centre."]
    unknown = council.assess(HEMNES, attrs.evolve(VALID, secretary=None))
    assert unknown.outcome is fv.Outcome.UNDETERMINED and unknown.missing == ("secretary",)


def test_unknown_members_are_undetermined_and_named() -> None:
    members = (*map(bygd, BYGDER), fv.Member(name="Leder"))
    verdict = council.assess(HEMNES, attrs.evolve(VALID, members=members))
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == ("members[5].represents",)
    assert council.assess(HEMNES, attrs.evolve(VALID, members=None)).missing == ("members",)


def test_hemnes_bygdeutvalg_elected_by_associations_and_residents() -> None:
    members = (
        fv.Member(
            name="Kari", represents=fv.Body(kind="residents", name="Korgen"), elected_by="residents"
        ),
        fv.Member(
            name="Ola",
            represents=fv.Body(kind="organisation", name="Korgen IL"),
            elected_by="associations",
        ),
    )
    assert council.assess(HEMNES, fv.Council(kind="bygdeutvalg", members=members)).holds
    appointed = (*members, fv.Member(name="Siri", elected_by="kommunestyret"))
    verdict = council.assess(HEMNES, fv.Council(kind="bygdeutvalg", members=appointed))
    assert verdict.outcome is fv.Outcome.NO
    assert (
        "Members are elected by associations, residents; these are not: Siri (kommunestyret)."
        in failing(verdict)
    )


def organisation(person: str, name: str, municipality: str | None = "Vesthimmerland") -> fv.Member:
    return fv.Member(
        name=person,
        represents=fv.Body(kind="organisation", name=name, municipality=municipality),
        elected_by="voluntary_organisations",
    )


ORGANISATIONS = tuple(
    organisation(n, o)
    for n, o in [("Anne", "Røde Kors"), ("Bo", "Ældre Sagen"), ("Carl", "Kirkens Korshær")]
)


def test_vesthimmerland_frivilligrad_elected_by_and_among_the_organisations() -> None:
    verdict = council.assess(VESTHIMMERLAND, fv.Council(kind="frivilligrad", members=ORGANISATIONS))
    assert verdict.holds
    assert {f.rule for f in verdict.findings} == {"vesthimmerland.council.frivilligrad"}


def test_vesthimmerland_a_member_appointed_by_the_municipality_fails() -> None:
    appointed = fv.Member(
        name="Dorte", represents=fv.Body(kind="municipality"), elected_by="municipality"
    )
    verdict = council.assess(
        VESTHIMMERLAND, fv.Council(kind="frivilligrad", members=(*ORGANISATIONS, appointed))
    )
    assert verdict.outcome is fv.Outcome.NO
    assert len(failing(verdict)) == 2
    assert all("Dorte" in reason for reason in failing(verdict))
    assert "Dorte" in verdict.explain("da")


def _frivilligrad(*members: fv.Member) -> fv.Verdict:
    return council.assess(VESTHIMMERLAND, fv.Council(kind="frivilligrad", members=members))


def _local_finding(verdict: fv.Verdict) -> fv.Finding:
    """The finding of the Frivilligråd's `members_from` rule (findings follow the criteria)."""
    (rules,) = VESTHIMMERLAND.councils
    (index,) = [i for i, r in enumerate(rules.criteria) if isinstance(r, council.MembersFrom)]
    return verdict.findings[index]


def test_vesthimmerland_a_member_for_an_organisation_in_aalborg_does_not_fit() -> None:
    """«af og blandt de frivillige organisationer i kommunen»: not an organisation elsewhere."""
    verdict = _frivilligrad(*ORGANISATIONS, organisation("Dorte", "Røde Kors Aalborg", "Aalborg"))
    assert verdict.outcome is fv.Outcome.NO
    reasons = _local_finding(verdict).reasons
    assert reasons.get("en") == (
        "Every member must sit for a voluntary organisation in Vesthimmerland; these sit for one "
        "in another municipality: Dorte (Aalborg)."
    )
    assert reasons.get("da") == (
        "Medlemmerne skal sidde for frivillig organisation i Vesthimmerland; disse sidder for en "
        "i en anden kommune: Dorte (Aalborg)."
    )
    assert reasons.get("nb") == (
        "Medlemmene skal sitte for frivillig organisasjon i Vesthimmerland; disse sitter for en "
        "i en annen kommune: Dorte (Aalborg)."
    )
    assert [f.holds for f in verdict.findings] == [True, False]


@pytest.mark.parametrize(
    "municipality", ["Vesthimmerland", "Vesthimmerlands Kommune", "vesthimmerland kommune"]
)
def test_vesthimmerland_an_organisation_in_vesthimmerland_fits(municipality: str) -> None:
    verdict = _frivilligrad(*ORGANISATIONS, organisation("Dorte", "Frivillighuset", municipality))
    assert verdict.holds
    assert _local_finding(verdict).reasons.get("da") == (
        "Alle medlemmer sidder for frivillig organisation i Vesthimmerland."
    )


def test_vesthimmerland_an_organisation_of_unknown_municipality_is_undetermined_and_named() -> None:
    verdict = _frivilligrad(*ORGANISATIONS[:2], organisation("Carl", "Kirkens Korshær", None))
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == ("members[2].represents.municipality",)
    assert _local_finding(verdict).reasons.get("da") == (
        "Ukendt hvilken kommune disse medlemmers instans hører til: Carl."
    )
    nobody = _frivilligrad(*ORGANISATIONS[:2], fv.Member(name="Carl", elected_by="municipality"))
    assert nobody.outcome is fv.Outcome.NO
    assert nobody.missing == ("members[2].represents",)


def test_vesthimmerland_elected_by_and_from_among_are_judged_apart() -> None:
    """«vælges af og blandt»: a local organisation's member the municipality chose fails the
    election only; one the organisations chose for an organisation elsewhere fails the other."""
    chosen = attrs.evolve(ORGANISATIONS[0], elected_by="municipality")
    assert [f.holds for f in _frivilligrad(chosen, *ORGANISATIONS[1:]).findings] == [False, True]
    outside = organisation("Dorte", "Røde Kors Aalborg", "Aalborg")
    assert [f.holds for f in _frivilligrad(outside, *ORGANISATIONS[1:]).findings] == [True, False]


def test_the_municipality_is_checked_only_where_the_policy_says_local() -> None:
    (rules,) = VESTHIMMERLAND.councils
    anywhere = tuple(
        attrs.evolve(rule, local=False) if isinstance(rule, council.MembersFrom) else rule
        for rule in rules.criteria
    )
    policy = attrs.evolve(VESTHIMMERLAND, councils=(attrs.evolve(rules, criteria=anywhere),))
    members = (*ORGANISATIONS, organisation("Dorte", "Røde Kors Aalborg", "Aalborg"))
    assert council.assess(policy, fv.Council(members=members)).holds
    assert council.assess(VESTHIMMERLAND, fv.Council(members=members)).outcome is fv.Outcome.NO
    in_rana = tuple(
        attrs.evolve(m, represents=attrs.evolve(m.represents, municipality="Rana"))
        for m in VALID.members
    )
    assert council.assess(HEMNES, attrs.evolve(VALID, members=in_rana)).holds


_PLACES = st.sampled_from(["Vesthimmerland", "Vesthimmerlands Kommune", "Aalborg", None])
_LOCAL_MEMBERS = st.builds(
    fv.Member,
    name=st.sampled_from(["Anne", "Bo", None]),
    represents=st.none()
    | st.builds(
        fv.Body,
        kind=st.none() | st.sampled_from(["organisation", "municipality"]),
        name=st.just("Røde Kors"),
        municipality=_PLACES,
    ),
    elected_by=st.sampled_from(["voluntary_organisations", "municipality"]),
)


@given(st.lists(_LOCAL_MEMBERS, max_size=6).map(tuple), st.data())
def test_vesthimmerland_locality_is_sound(
    members: tuple[fv.Member, ...], data: st.DataObject
) -> None:
    whole = fv.Council(kind="frivilligrad", members=members)
    partial = data.draw(forgetting(whole))
    problem = unsound(
        council.assess(VESTHIMMERLAND, partial), council.assess(VESTHIMMERLAND, whole)
    )
    assert problem is None


def test_kind_none_picks_the_only_council() -> None:
    assert council.assess(VESTHIMMERLAND, fv.Council(members=ORGANISATIONS)).holds


@pytest.mark.parametrize(
    ("policy", "kind", "words"),
    [
        (HEMNES, None, "policy 'hemnes' defines the councils: frivillighetsrad, bygdeutvalg"),
        (
            HEMNES,
            "eldrerad",
            "defines no council 'eldrerad'; it defines: frivillighetsrad, bygdeutvalg",
        ),
        (fv.load_policy("lier"), "frivillighetsrad", "it defines: none"),
    ],
)
def test_a_council_the_policy_lacks_is_an_input_error(policy, kind, words) -> None:
    with pytest.raises(fv.InputError, match=r"Council\.kind") as raised:
        council.assess(policy, attrs.evolve(VALID, kind=kind))
    assert words in str(raised.value)


def test_a_bad_registry_is_an_input_error() -> None:
    with pytest.raises(fv.InputError, match=r"registry\[1\]"):
        council.assess(HEMNES, VALID, registry=[REGISTRY[0], fv.Body(kind="bygdeutvalg")])


@given(st.integers(min_value=0, max_value=5), st.booleans())
def test_removing_any_member_of_a_valid_council_makes_it_invalid(
    index: int, registry: bool
) -> None:
    members = VALID.members[:index] + VALID.members[index + 1 :]
    verdict = council.assess(
        HEMNES, attrs.evolve(VALID, members=members), registry=REGISTRY if registry else None
    )
    assert verdict.outcome is fv.Outcome.NO


@given(
    st.permutations(range(5)),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=4),
)
def test_duplicating_a_bygd_is_always_invalid(order: list[int], twice: int, replaced: int) -> None:
    if twice == replaced:
        replaced = (replaced + 1) % 5
    names = [BYGDER[i] for i in order]
    names[replaced] = names[twice]
    members = (*[bygd(name, f"Person {i}") for i, name in enumerate(names)], CENTRE)
    verdict = council.assess(HEMNES, attrs.evolve(VALID, members=members))
    assert verdict.outcome is fv.Outcome.NO
    assert any("sit twice" in reason for reason in failing(verdict))


bodies = st.builds(
    fv.Body, kind=st.none() | st.sampled_from(fv.BodyKind), name=st.none() | st.sampled_from(BYGDER)
)
members = st.builds(
    fv.Member,
    name=st.none() | st.text(max_size=8),
    represents=st.none() | bodies,
    elected_by=st.none()
    | st.sampled_from(["associations", "residents", "voluntary_organisations", "municipality"]),
)
councils = st.builds(
    fv.Council,
    kind=st.sampled_from(["frivillighetsrad", "bygdeutvalg"]),
    members=st.none() | st.lists(members, max_size=8).map(tuple),
    secretary=st.none() | bodies,
)


@given(councils, st.booleans())
def test_every_verdict_is_three_valued_and_cites_the_policy(
    value: fv.Council, registry: bool
) -> None:
    verdict = council.assess(HEMNES, value, registry=REGISTRY if registry else None)
    held = [f.holds for f in verdict.findings]
    assert (verdict.outcome is fv.Outcome.NO) == (False in held)
    assert (verdict.outcome is fv.Outcome.UNDETERMINED) == (False not in held and None in held)
    for finding in verdict.findings:
        assert (finding.holds is None) == bool(finding.missing)
        assert finding.rule.startswith("hemnes.council.")
        assert finding.reasons.get("nb") and finding.reasons.get("da")
