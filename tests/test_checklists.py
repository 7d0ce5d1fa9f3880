"""Checklists: Lier's frivilligportal (3.1, «Tilgjengelig informasjon») and its fixed arena for
dialogue meetings «både folkevalgte og administrasjon» (3.2)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

import frivillighet as fv
from frivillighet import cli
from frivillighet.policy import parse_policy
from frivillighet.rules import checklists

LIER = fv.load_policy("lier")
PORTAL = "lier.checklist.volunteer_portal"
ARENA = "lier.checklist.dialogue_arena"
SEED = Path(__file__).parents[2] / "shared" / "seeds" / "004_b97620116c3186f8.txt"


def item(checklist: str, name: str) -> str:
    return f"{checklist}.{name}"


def test_the_portal_must_carry_all_three_kinds_of_information() -> None:
    """«… oppdatert mht. informasjon om kommunale støtteordninger …, hvem som jobber med hva/er
    rette kontakt-person …, og om mulige tilskuddsordninger utenom kommunen»."""
    (portal,) = [c for c in LIER.checklists if c.id == PORTAL]
    assert [i.id.rpartition(".")[2] for i in portal.items] == [
        "support_schemes",
        "contacts",
        "external_grants",
    ]
    seed = unicodedata.normalize("NFC", SEED.read_text("utf-8"))
    assert portal.source.quote in seed
    assert all(i.source.quote in portal.source.quote for i in portal.items)

    review = fv.Review(
        subject="frivilligportalen 1.12.2026",
        present=(item(PORTAL, "support_schemes"), item(PORTAL, "contacts")),
        absent=(item(PORTAL, "external_grants"),),
    )
    verdict = checklists.assess(LIER, PORTAL, review)
    assert verdict.outcome is fv.Outcome.NO
    assert [f.rule for f in verdict.findings if f.holds is False] == [
        item(PORTAL, "external_grants")
    ]
    assert (
        "Ikke oppfylt: Portalen har oppdatert informasjon om mulige tilskuddsordninger utenom"
        " kommunen." in verdict.explain("nb")
    )
    assert "«om mulige tilskuddsordninger utenom kommunen»" in verdict.explain("nb")


def test_a_dialogue_meeting_needs_both_elected_members_and_the_administration() -> None:
    """«… mellom kommunens foreninger og frivillige og kommunen, både folkevalgte og
    administrasjon»: a meeting of associations with officials only is not that arena."""
    with_staff = (item(ARENA, "associations"), item(ARENA, "administration"))
    verdict = checklists.assess(LIER, ARENA, fv.Review(present=with_staff))
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == (item(ARENA, "elected_members"),)
    assert "Ukjent om dette er oppfylt: Kommunens folkevalgte deltar." in verdict.explain("nb")

    absent = fv.Review(present=with_staff, absent=(item(ARENA, "elected_members"),))
    assert checklists.assess(LIER, ARENA, absent).outcome is fv.Outcome.NO

    everyone = fv.Review(present=(*with_staff, item(ARENA, "elected_members")))
    verdict = checklists.assess(LIER, ARENA, everyone)
    assert verdict.outcome is fv.Outcome.YES
    assert "Opfyldt: Kommunens folkevalgte deltager." in verdict.explain("da")
    assert "Met: The municipality's elected members take part." in verdict.explain("en")


def test_nothing_known_is_undetermined_and_names_every_item() -> None:
    verdict = checklists.assess(LIER, ARENA, fv.Review())
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert set(verdict.missing) == {i.id for c in LIER.checklists if c.id == ARENA for i in c.items}


@pytest.mark.parametrize(
    ("policy", "checklist", "review", "field", "words"),
    [
        ("lier", "lier.checklist.nope", fv.Review(), "checklist", "has no checklist"),
        ("lier", 7, fv.Review(), "checklist", "expected a checklist id (a string), got 7 (int)"),
        ("hemnes", PORTAL, fv.Review(), "policy", "policy 'hemnes' has no checklists"),
        ("lier", PORTAL, fv.Review(present=(ARENA + ".associations",)), "review.present[0]", ""),
        ("lier", PORTAL, fv.Review(absent=("contacts",)), "review.absent[0]", "has no item"),
    ],
)
def test_a_wrong_checklist_or_item_is_named(
    policy: str, checklist: object, review: fv.Review, field: str, words: str
) -> None:
    with pytest.raises(fv.InputError) as raised:
        checklists.assess(fv.load_policy(policy), checklist, review)  # type: ignore[arg-type]
    assert raised.value.field == field and words in raised.value.problem


def test_an_item_cannot_be_both_present_and_absent() -> None:
    contacts = item(PORTAL, "contacts")
    with pytest.raises(fv.InputError) as raised:
        fv.Review(present=(contacts,), absent=(contacts,))
    assert raised.value.field == "Review.absent[0]"
    assert "present or absent, not both" in raised.value.problem


def test_a_policy_file_names_its_items_under_the_checklists_id(tmp_path: Path) -> None:
    text = (Path(fv.__file__).parent / "policies" / "lier.toml").read_text("utf-8")
    broken = text.replace(
        'id = "lier.checklist.dialogue_arena.administration"',
        'id = "lier.checklist.volunteer_portal.administration"',
    )
    assert broken != text
    with pytest.raises(fv.PolicyError) as raised:
        parse_policy(broken, "lier.toml")
    assert "checklists[1].items[2].id" in str(raised.value)
    twice = text.replace(
        'id = "lier.checklist.dialogue_arena.administration"',
        'id = "lier.checklist.dialogue_arena.elected_members"',
    )
    with pytest.raises(fv.PolicyError) as raised:
        parse_policy(twice, "lier.toml")
    assert "checklists[1].items[2].id" in str(raised.value) and "used twice" in str(raised.value)


def test_the_command_line_checks_a_review(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    facts = tmp_path / "portal.json"
    present = [item(PORTAL, name) for name in ("support_schemes", "contacts", "external_grants")]
    facts.write_text(json.dumps({"checklist": PORTAL, "review": {"present": present}}), "utf-8")
    assert cli.main(["check", "checklist", "lier", str(facts)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Utfall: JA\n") and out.count("✓ lier.checklist.volunteer_portal.") == 3
    assert cli.main(["check", "checklist", "lier", str(facts), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "yes"
    assert cli.main(["show", "lier"]) == 0
    shown = capsys.readouterr().out
    assert "Checklists (every item must be there)" in shown
    assert "    lier.checklist.dialogue_arena.elected_members  Kommunens folkevalgte deltar" in (
        shown
    )
    assert "lier.principle.dialogue_arena" not in shown
