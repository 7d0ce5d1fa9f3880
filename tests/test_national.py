"""The national layer: what a policy inherits from its country where it is silent, how its own
criteria replace it, how a file omits it, and that it stays visible and cited."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

import frivillighet as fv
from frivillighet import cli
from frivillighet.policy import Country, national_base, policy_from_data
from frivillighet.rules import obligations, volunteer_work

HEAD = (
    'id = "x"\nmunicipality = "X"\ncountry = "NO"\nlanguage = "nb"\ntimezone = "Europe/Oslo"\n'
    'title = "T"\ndocument = "d.txt"\nstatus = "adopted"\n'
)
OWN_FOR_OTHERS = (
    '[[volunteer_work.criteria]]\nid = "x.volunteer.neighbours"\ntest = "for_others"\n'
    'source = { section = "1", quote = "for naboer" }\n'
)


def inherited(policy: fv.Policy) -> list[str]:
    return [rule.id for rule in policy.rules() if policy.inherited(rule)]


@pytest.mark.parametrize("country", list(Country))
def test_every_national_rule_is_cited_with_its_national_source(country: Country) -> None:
    base = national_base(country)
    assert base.rules()
    for rule in base.rules():
        assert rule.id.startswith(f"{country}.")
        source = rule.source
        assert source.document.strip() and source.section.strip() and source.quote.strip()
        assert source.quote == unicodedata.normalize("NFC", source.quote)
        assert not source.document.endswith(".txt"), "a national source is no seed file"


def test_each_builtin_inherits_what_it_does_not_say_itself() -> None:
    # Hemnes' own definition has four parts and says nothing of compulsion.
    assert inherited(fv.load_policy("hemnes")) == ["NO.volunteer.non_compulsory"]
    assert inherited(fv.load_policy("stange")) == [
        "NO.volunteer.for_others",
        "NO.volunteer.non_compulsory",
        "NO.volunteer.active",
    ]
    for silent in ("lier", "nn"):
        assert inherited(fv.load_policy(silent)) == [
            "NO.volunteer.unpaid",
            "NO.volunteer.for_others",
            "NO.volunteer.non_compulsory",
            "NO.volunteer.active",
        ]
    assert inherited(fv.load_policy("vesthimmerland")) == [
        "DK.volunteer.non_compulsory",
        "DK.volunteer.unpaid",
        "DK.volunteer.active",
        "DK.obligation.section_18_budget",
        "DK.principle.section_18_cooperation",
    ]


def test_a_criterion_of_the_same_kind_replaces_the_national_one(tmp_path: Path) -> None:
    file = tmp_path / "x.toml"
    file.write_text(HEAD + OWN_FOR_OTHERS, "utf-8")
    policy = fv.load_policy(file)
    assert inherited(policy) == [
        "NO.volunteer.unpaid",
        "NO.volunteer.non_compulsory",
        "NO.volunteer.active",
    ]
    verdict = volunteer_work.assess(policy, fv.Activity(beneficiary="own_family"))
    (failed,) = [f for f in verdict.findings if f.holds is False]
    assert failed.rule == "x.volunteer.neighbours" and failed.source.quote == "for naboer"


def test_a_file_can_omit_national_rules_and_must_name_them_right(tmp_path: Path) -> None:
    file = tmp_path / "x.toml"
    file.write_text(HEAD + '[national]\nomit = ["NO.volunteer.active"]\n', "utf-8")
    policy = fv.load_policy(file)
    assert inherited(policy) == [
        "NO.volunteer.unpaid",
        "NO.volunteer.for_others",
        "NO.volunteer.non_compulsory",
    ]
    membership = fv.Activity(
        pay="none", beneficiary="others", participation="membership_only", compulsion="none"
    )
    assert volunteer_work.assess(policy, membership).holds
    file.write_text(HEAD + '[national]\nomit = ["NO.volunteer.paid"]\n', "utf-8")
    with pytest.raises(
        fv.PolicyError, match=r"no national rule 'NO\.volunteer\.paid' for NO"
    ) as raised:
        fv.load_policy(file)
    assert raised.value.key == "national.omit[0]"


def test_a_policy_file_cannot_pretend_to_be_national(tmp_path: Path) -> None:
    file = tmp_path / "x.toml"
    file.write_text(
        HEAD + OWN_FOR_OTHERS.replace("x.volunteer.neighbours", "NO.volunteer.x"), "utf-8"
    )
    with pytest.raises(fv.PolicyError, match=r"must be 'x\.' and a name"):
        fv.load_policy(file)


@pytest.mark.parametrize("name", fv.builtin_policies())
def test_the_file_form_leaves_out_what_is_inherited(name: str) -> None:
    policy = fv.load_policy(name)
    data = fv.to_json(policy)
    written = [c["id"] for c in (data.get("volunteer_work") or {}).get("criteria", [])]
    written += [o["id"] for o in data["obligations"]] + [p["id"] for p in data["principles"]]
    assert not [rule for rule in written if rule.startswith(f"{policy.country}.")]
    assert policy_from_data(data) == policy


def test_vesthimmerland_inherits_the_yearly_section_18_amount() -> None:
    policy = fv.load_policy("vesthimmerland")
    (budget,) = [
        o
        for o in obligations.schedule(policy, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        if o.obligation == "DK.obligation.section_18_budget"
    ]
    assert (budget.window_start, budget.due) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert budget.source.section == "§ 18, stk. 2"
    assert "serviceloven" in budget.source.document
    held = fv.Meeting(obligation="DK.obligation.section_18_budget", held=dt.date(2024, 1, 20))
    (status,) = [
        s
        for s in obligations.compliance(policy, [held], dt.date(2024, 12, 31))
        if s.occurrence.key == "DK.obligation.section_18_budget@2024"
    ]
    assert status.state is fv.State.MET


def test_show_says_which_rules_come_from_the_national_layer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["show", "stange"]) == 0
    out = capsys.readouterr().out
    assert "national layer NO: Den vanlige definisjonen av frivillig arbeid (ILO)" in out
    assert "NO.volunteer.for_others  [for_others]  (national layer)" in out
    assert "stange.volunteer.unpaid  [unpaid]\n" in out
