"""Hearings: Hemnes' Frivillighetsråd is a standing consultee in municipal planning processes
(Tiltaksplan 2015 – 2016, punkt 12)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

import frivillighet as fv
from frivillighet import cli
from frivillighet.rules import hearings

HEMNES = fv.load_policy("hemnes")


def assess(**facts: object) -> fv.Verdict:
    return hearings.assess(HEMNES, fv.Hearing(subject="Kommuneplanens arealdel", **facts))


def test_a_planning_hearing_sent_to_the_council_holds() -> None:
    verdict = assess(planning=True, consultees=["Statens vegvesen", "«Frivillighetsrådet»"])
    assert verdict.outcome is fv.Outcome.YES
    (finding,) = verdict.findings
    assert finding.rule == "hemnes.hearing.council"
    assert finding.source.quote == (
        "«Frivillighetsrådet» skal være en fast høringspart i kommunale planprosesser."
    )
    assert "Frivillighetsrådet er blant høringspartene." in verdict.explain("nb")


def test_a_planning_hearing_without_the_council_fails_and_names_who_got_it() -> None:
    verdict = assess(planning=True, consultees=["Statens vegvesen", "Hemnes idrettsråd"])
    assert verdict.outcome is fv.Outcome.NO
    assert (
        "Frivillighetsrådet er ikke blant høringspartene i denne planhøringen: "
        "Statens vegvesen, Hemnes idrettsråd."
    ) in verdict.explain("nb")


@pytest.mark.parametrize(
    ("facts", "outcome", "missing"),
    [
        ({"planning": False, "consultees": []}, fv.Outcome.YES, ()),
        ({"planning": False}, fv.Outcome.YES, ()),
        ({"planning": None, "consultees": ["NAV"]}, fv.Outcome.UNDETERMINED, ("planning",)),
        ({"planning": True}, fv.Outcome.UNDETERMINED, ("consultees",)),
        ({"planning": None, "consultees": ["frivillighetsrådet"]}, fv.Outcome.YES, ()),
        ({"planning": True, "consultees": ["frivillighetsrad"]}, fv.Outcome.YES, ()),
    ],
)
def test_only_planning_hearings_must_reach_the_council(facts, outcome, missing) -> None:
    verdict = assess(**facts)
    assert (verdict.outcome, verdict.missing) == (outcome, missing)


@pytest.mark.parametrize(
    "named", ["Frivillighetsrådet i Hemnes", "Hemnes frivillighetsråd", "Frivillighetsråd"]
)
def test_a_consultee_that_only_mentions_the_council_is_undetermined(named: str) -> None:
    """A list may name the council its own way: not a confident NO, but a request to name it."""
    verdict = assess(planning=True, consultees=["Statens vegvesen", named])
    assert verdict.outcome is fv.Outcome.UNDETERMINED
    assert verdict.missing == ("consultees",)
    assert f"oppført som: {named}" in verdict.explain("nb")
    assert assess(planning=False, consultees=[named]).outcome is fv.Outcome.YES


def test_a_policy_without_hearing_rules_is_an_input_error() -> None:
    with pytest.raises(fv.InputError, match="policy 'lier' sets no rules for hearings"):
        hearings.assess(fv.load_policy("lier"), fv.Hearing(planning=True))


def test_a_consultee_rule_must_name_a_council_of_the_policy(tmp_path: Path) -> None:
    source = (resources.files("frivillighet") / "policies" / "hemnes.toml").read_text("utf-8")
    rule = 'test = "consultee"\ncouncil = "frivillighetsrad"'
    assert rule in source
    file = tmp_path / "hemnes.toml"
    file.write_text(source.replace(rule, 'test = "consultee"\ncouncil = "eldrerad"'), "utf-8")
    with pytest.raises(fv.PolicyError, match="no council of kind 'eldrerad'") as raised:
        fv.load_policy(file)
    assert raised.value.key == "hearings.criteria[0].council"


def test_the_command_line_checks_a_hearing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    facts = tmp_path / "hearing.json"
    facts.write_text(
        json.dumps({"hearing": {"planning": True, "consultees": ["Statens vegvesen"]}}), "utf-8"
    )
    assert cli.main(["check", "hearing", "hemnes", str(facts)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Utfall: NEI")
    assert cli.main(["check", "hearing", "hemnes", str(facts), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["outcome"] == "no"
    assert cli.main(["show", "hemnes"]) == 0
    assert "hemnes.hearing.council  [consultee]" in capsys.readouterr().out
