"""The command line: policies, show and validate, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from frivillighet.cli import main

HEMNES = (resources.files("frivillighet") / "policies" / "hemnes.toml").read_text("utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as stop:  # argparse's usage errors and --help
        status = int(stop.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_policies_lists_the_five_builtins(capsys) -> None:
    status, out, err = run(capsys, "policies")
    assert status == 0 and not err
    assert [line.split()[0] for line in out.splitlines()] == [
        "hemnes",
        "lier",
        "nn",
        "stange",
        "vesthimmerland",
    ]
    assert "Vesthimmerland" in out and "DK" in out


def test_show_lists_rules_obligations_and_sources(capsys) -> None:
    status, out, _ = run(capsys, "show", "hemnes", "--lang", "en")
    assert status == 0
    for text in [
        "Hemnes (NO, nb): Strategi for frivillighet (2015 – 2019)",
        "hemnes.volunteer.active  [active_participation]",
        "«forutsetter en aktiv deltaker(e). Medlemskap i en organisasjon er i seg selv ikke "
        "frivillighet.»",
        "hemnes.obligation.june_status  Municipal council reviews the state of volunteering",
        "annual (month: 6)",
        "once (due: 2016-03-31)",
        "frivillighetsrad: the volunteer council",
        "hemnes.grants.consult_council",
        "hemnes.hearing.council",
    ]:
        assert text in out


def test_show_uses_the_policy_language_by_default(capsys) -> None:
    _, out, _ = run(capsys, "show", "vesthimmerland")
    assert "Dialogmøde mellem kommunen og de frivillige organisationer" in out


@pytest.mark.parametrize("policy_id", ["hemnes", "lier", "nn", "stange", "vesthimmerland"])
def test_show_works_for_every_builtin(capsys, policy_id: str) -> None:
    status, out, err = run(capsys, "show", policy_id)
    assert status == 0 and not err
    assert f"{policy_id}." in out


def test_show_accepts_a_policy_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "kommune.toml"
    path.write_text(HEMNES, "utf-8")
    status, out, _ = run(capsys, "show", str(path))
    assert status == 0 and "hemnes.volunteer.unpaid" in out


def test_validate_a_good_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "kommune.toml"
    path.write_text(HEMNES, "utf-8")
    status, out, _ = run(capsys, "validate", str(path))
    assert status == 0
    assert out == f"{path}: valid policy 'hemnes' (Hemnes), 29 rules\n"


def test_validate_a_bad_file_names_file_and_key(capsys, tmp_path: Path) -> None:
    path = tmp_path / "kommune.toml"
    path.write_text(HEMNES.replace("month = 6", "month = 13"), "utf-8")
    status, out, err = run(capsys, "validate", str(path))
    assert status == 2 and not out
    assert err == (
        f"frivillighet: error: {path}: obligations[0].recurrence.month: "
        "expected an integer from 1 to 12, got 13\n"
    )


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["show", "oslo"], "unknown policy id 'oslo'; built-in policies are: hemnes, lier"),
        (["validate", "missing.toml"], "missing.toml: no such file"),
        (["validate", "policy.txt"], "expected a policy file ending in .toml"),
        (["show", "hemnes", "--lang", "sv"], "invalid choice: 'sv'"),
        (["bogus"], "invalid choice: 'bogus'"),
        ([], "required: COMMAND"),
    ],
)
def test_bad_usage_or_input_is_one_line_and_exit_2(capsys, argv: list[str], words: str) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert not out
    assert err.count("\n") == 1 and words in err
    assert "Traceback" not in err


def test_help_shows_examples(capsys) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "frivillighet show hemnes" in out
    status, out, _ = run(capsys, "validate", "--help")
    assert status == 0 and "example: frivillighet validate" in out


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", "show", "oslo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("frivillighet: error: unknown policy id 'oslo'")
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", "policies"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("hemnes")


# --- compliance ----------------------------------------------------------------------------------


def test_compliance_from_a_csv_file(capsys, tmp_path: Path) -> None:
    meetings = tmp_path / "meetings.csv"
    meetings.write_text(
        "obligation,held\n"
        "hemnes.obligation.june_status,2024-06-18\n"
        "hemnes.obligation.council_dialogue,2024-02-01\n",
        "utf-8",
    )
    status, out, err = run(
        capsys,
        "compliance",
        "hemnes",
        "--meetings",
        str(meetings),
        "--as-of",
        "2024-09-01",
        "--since",
        "2024-01-01",
        "--lang",
        "en",
    )
    assert status == 0 and not err
    lines = out.splitlines()
    assert lines[0] == "Hemnes: obligations on 2024-09-01"
    rows = [line.split()[:3] for line in lines[2:]]
    assert rows == [
        ["2024-06-30", "met", "hemnes.obligation.june_status@2024"],
        ["2024-12-31", "met", "hemnes.obligation.council_dialogue@2024"],
        ["2024-12-31", "due", "hemnes.obligation.sports_council_dialogue@2024"],
        ["2024-12-31", "due", "hemnes.obligation.village_committee_support@2024"],
        ["2024-12-31", "due", "hemnes.obligation.volunteer_centre_dialogue@2024"],
        ["2025-06-30", "upcoming", "hemnes.obligation.june_status@2025"],
        ["2027-10-30", "due", "hemnes.obligation.revision@2023-2027"],
        ["undated", "hemnes.obligation.village_committee_mandate@undated", "The"],
        ["undated", "hemnes.obligation.volunteer_coordinator@undated", "Consider"],
        ["undated", "hemnes.obligation.rental_review@undated", "Review"],
        ["undated", "hemnes.obligation.grant_review@undated", "Review"],
    ]
    assert "2024-06-18  Municipal council reviews" in lines[2]


def test_compliance_as_json_from_a_json_file(capsys, tmp_path: Path) -> None:
    meetings = tmp_path / "meetings.json"
    meetings.write_text('[{"obligation": "lier.obligation.annual_dialogue", "held": "2024-03-01"}]')
    status, out, _ = run(
        capsys,
        "compliance",
        "lier",
        "--meetings",
        str(meetings),
        "--as-of",
        "2024-09-01",
        "--since",
        "2024-01-01",
        "--json",
    )
    assert status == 0
    data = json.loads(out)
    assert [(s["occurrence"]["key"], s["state"]) for s in data] == [
        ("lier.obligation.annual_dialogue@2024", "met"),
    ]
    assert data[0]["meeting"] == {
        "obligation": "lier.obligation.annual_dialogue",
        "held": "2024-03-01",
    }
    assert data[0]["occurrence"]["due"] == "2024-12-31"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (
            "m.csv",
            "obligation,held\nlier.obligation.gala,2024-01-01\n",
            "m.csv: line 2: obligation: policy 'lier' has no obligation 'lier.obligation.gala'",
        ),
        (
            "m.csv",
            "obligation,held\nlier.obligation.annual_dialogue,2024-02-30\n",
            "m.csv: line 2: held: expected a date (YYYY-MM-DD), got '2024-02-30' (str)",
        ),
        ("m.csv", "what,when\n", "expected the CSV header 'obligation,held'"),
        (
            "m.csv",
            "obligation,held\nlier.obligation.annual_dialogue,2024-01-01,x\n",
            "m.csv: line 2: expected the fields obligation and held, got None, held, obligation",
        ),
        (
            "m.json",
            '[{"obligation": 3, "held": "2024-01-01"}]',
            "m.json[0]: obligation: expected a string, got 3 (int)",
        ),
        ("m.json", "{", "not valid JSON"),
        ("m.json", "{}", "expected a JSON list of tables"),
        ("m.txt", "", "expected a .csv or .json file"),
    ],
)
def test_compliance_bad_meeting_files_are_one_line(
    capsys, tmp_path: Path, name, content, words
) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    status, out, err = run(
        capsys, "compliance", "lier", "--meetings", str(path), "--as-of", "2024-09-01"
    )
    assert status == 2 and not out
    assert err.count("\n") == 1 and words in err


def test_compliance_needs_a_real_date(capsys) -> None:
    status, _, err = run(capsys, "compliance", "lier", "--as-of", "2024-13-01")
    assert status == 2
    assert "argument --as-of: expected a date (YYYY-MM-DD), got '2024-13-01' (str)" in err


def test_compliance_reads_a_spreadsheet_csv_with_a_byte_order_mark(capsys, tmp_path: Path) -> None:
    path = tmp_path / "eksport.csv"
    path.write_text("\ufeffobligation,held\nlier.obligation.annual_dialogue,2024-03-01\n", "utf-8")
    status, out, _ = run(
        capsys, "compliance", "lier", "--meetings", str(path), "--as-of", "2024-09-01"
    )
    assert status == 0
    assert "lier.obligation.annual_dialogue@2024  2024-03-01" in out


# --- check and schema ----------------------------------------------------------------------------


def facts_file(tmp_path: Path, data: object) -> str:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), "utf-8")
    return str(path)


VOLUNTEER = {
    "activity": {
        "pay": "none",
        "beneficiary": "others",
        "organised_by": "association",
        "participation": "active",
        "compulsion": "none",
    }
}


def test_check_exits_0_when_the_verdict_holds(capsys, tmp_path: Path) -> None:
    status, out, err = run(
        capsys, "check", "volunteer-work", "hemnes", facts_file(tmp_path, VOLUNTEER), "--lang", "nb"
    )
    assert (status, err) == (0, "")
    assert out.startswith("Utfall: JA\n✓ hemnes.volunteer.unpaid: Aktiviteten er ulønnet.")


@pytest.mark.parametrize(
    ("activity", "outcome"),
    [
        ({"pay": "wage"}, "Outcome: NO"),
        (
            {"pay": "none", "beneficiary": "others", "organised_by": "association"},
            "Outcome: UNDETERMINED",
        ),
    ],
)
def test_check_exits_1_for_no_and_undetermined(
    capsys, tmp_path: Path, activity, outcome: str
) -> None:
    status, out, _ = run(
        capsys,
        "check",
        "volunteer-work",
        "hemnes",
        facts_file(tmp_path, {"activity": activity}),
        "--lang",
        "en",
    )
    assert status == 1 and out.startswith(outcome)


def test_check_a_rental_shows_the_price_and_json(capsys, tmp_path: Path) -> None:
    facts = {
        "booking": {
            "premises": {"kind": "school"},
            "organisation": {"non_profit": True, "municipality": "Lier"},
            "purpose": "training",
            "start": "2024-03-09T18:00",
            "end": "2024-03-09T20:00",
        },
        "tariff": {"currency": "NOK", "hourly": {"school": "200"}},
    }
    status, out, _ = run(
        capsys, "check", "rental", "lier", facts_file(tmp_path, facts), "--lang", "en"
    )
    assert status == 1 and out.startswith("Price: 400.00 NOK (list price 400.00)\nOutcome: NO")
    status, out, _ = run(capsys, "check", "rental", "lier", facts_file(tmp_path, facts), "--json")
    assert json.loads(out)["price"] == "400.00"


def test_check_reads_standard_input(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", "check", "agreement", "stange", "-"],
        input=json.dumps({"agreement": {"replaces_public_service": True}}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "stange.principle.supplement" in done.stdout


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        ({"activity": {"pay": "lots"}}, "facts.json: activity.pay: expected one of none, expenses"),
        ({"activty": {}}, "facts.json: activty: unknown key 'activty'; expected: activity"),
        ({}, "facts.json: activity: missing; the volunteer-work check needs it"),
        ([1], "facts.json: facts: expected a table of named facts"),
    ],
)
def test_check_bad_facts_are_one_line_and_exit_2(capsys, tmp_path: Path, facts, words: str) -> None:
    status, out, err = run(capsys, "check", "volunteer-work", "hemnes", facts_file(tmp_path, facts))
    assert status == 2 and not out
    assert err.count("\n") == 1 and words in err


def test_check_bad_json_and_unknown_check(capsys, tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text("{", "utf-8")
    status, _, err = run(capsys, "check", "council", "hemnes", str(path))
    assert status == 2 and "not valid JSON" in err
    status, _, err = run(capsys, "check", "payroll", "hemnes", str(path))
    assert status == 2 and "invalid choice: 'payroll'" in err


def test_schema_prints_a_generated_schema(capsys) -> None:
    status, out, _ = run(capsys, "schema", "--list")
    assert status == 0 and "policy" in out.split() and "activity" in out.split()
    status, out, _ = run(capsys, "schema", "activity")
    assert status == 0 and json.loads(out)["title"] == "Activity"
    status, _, err = run(capsys, "schema", "nope")
    assert status == 2 and "unknown schema 'nope'" in err


@pytest.mark.parametrize(
    "command", ["policies", "show", "validate", "compliance", "calendar", "check", "schema"]
)
def test_every_command_has_help_with_an_example(capsys, command: str) -> None:
    status, out, _ = run(capsys, command, "--help")
    assert status == 0
    assert "example: " in out
    assert f"frivillighet {command}" in out.split("example: ", 1)[1]


# --- a proposal ----------------------------------------------------------------------------------


def test_compliance_of_a_proposal_is_never_overdue_and_says_why(capsys, tmp_path: Path) -> None:
    """NN's document is «Rådmannens forslag til vedtak»: a proposal's deadline binds no one,
    and what was recorded is still met; the council's earlier decision it quotes (1.2.) binds,
    and the source records that «innen april 2018» was met."""
    meetings = tmp_path / "meetings.csv"
    meetings.write_text("obligation,held\nnn.obligation.budget_follow_up,2017-11-01\n", "utf-8")
    argv = ["compliance", "nn", "--meetings", str(meetings), "--as-of", "2019-01-01"]
    status, out, err = run(capsys, *argv, "--since", "2017-01-01")
    assert status == 0 and not err
    lines = out.splitlines()
    assert lines[1] == (
        "  status proposed: «Rådmannens forslag til vedtak» is not adopted, so its own"
        " obligations are not duties, except those marked adopted:"
        " nn.obligation.report_rolling, nn.obligation.case_by_april_2018"
    )
    rows = [line.split()[:3] for line in lines[3:7]]
    assert rows == [
        ["2017-12-31", "met", "nn.obligation.budget_follow_up@2017"],
        ["2018-04-30", "met", "nn.obligation.case_by_april_2018@once"],
        ["2018-12-31", "proposed", "nn.obligation.budget_follow_up@2018"],
        ["2019-12-31", "proposed", "nn.obligation.budget_follow_up@2019"],
    ]
    status, out, _ = run(capsys, *argv, "--since", "2017-01-01", "--json")
    data = json.loads(out)
    assert status == 0 and data
    assert {s["state"] for s in data} == {"met", "proposed", "undated"}
    adopted = {s["occurrence"]["key"] for s in data if not s["occurrence"]["proposed"]}
    assert adopted == {
        "nn.obligation.case_by_april_2018@once",
        "nn.obligation.report_rolling@undated",
    }


def test_a_proposal_without_adopted_decisions_has_nothing_overdue(capsys, tmp_path: Path) -> None:
    nn = (resources.files("frivillighet") / "policies" / "nn.toml").read_text("utf-8")
    assert nn.count('status = "adopted"\n') == 2
    path = tmp_path / "nn-proposal.toml"
    path.write_text(nn.replace('status = "adopted"\n', ""), "utf-8")
    status, out, _ = run(capsys, "compliance", str(path), "--as-of", "2019-01-01")
    assert status == 0 and out.splitlines()[1].endswith("not duties: none of them is overdue")
    assert "overdue " not in out and "nn.obligation.case_by_april_2018@once" in out


def test_an_adopted_policy_names_its_obligations_marked_proposed(capsys, tmp_path: Path) -> None:
    path = tmp_path / "hemnes.toml"
    marked = HEMNES.replace(
        'id = "hemnes.obligation.june_status"\n',
        'id = "hemnes.obligation.june_status"\nstatus = "proposed"\n',
    )
    assert marked != HEMNES
    path.write_text(marked, "utf-8")
    status, out, _ = run(capsys, "compliance", str(path), "--as-of", "2017-01-01")
    assert status == 0
    assert out.splitlines()[1] == (
        "  only proposed, so not yet duties and never overdue: hemnes.obligation.june_status"
    )
    assert "proposed  hemnes.obligation.june_status@2016" in out
    _, out, _ = run(capsys, "show", str(path))
    assert "Obligations (those marked proposed are not yet duties)" in out.splitlines()


def test_compliance_of_an_adopted_policy_has_no_proposal_line(capsys) -> None:
    status, out, _ = run(capsys, "compliance", "lier", "--as-of", "2024-09-01", "--json")
    assert status == 0 and not any(s["occurrence"]["proposed"] for s in json.loads(out))
    status, out, _ = run(capsys, "compliance", "lier", "--as-of", "2024-09-01")
    assert status == 0 and "status proposed" not in out


def test_show_says_a_proposals_obligations_are_not_yet_duties(capsys) -> None:
    _, out, _ = run(capsys, "show", "nn")
    heading = "Obligations (the policy's own are proposed, not yet duties, unless marked adopted)"
    assert heading in out.splitlines()
    assert "      category: report; responsible: kommunestyret; status: adopted" in out
    _, out, _ = run(capsys, "show", "hemnes")
    assert "Obligations" in out.splitlines() and "not yet duties" not in out
