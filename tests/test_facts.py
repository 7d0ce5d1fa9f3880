"""One validation layer for facts: a wrong value is worded the same by the constructor,
`fv.from_json`, a check (`checks.run`, scenario files) and the command line; only the place
differs. Dates are read by one ISO 8601 parser; meeting records are checked once."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import frivillighet as fv
import frivillighet.testing  # registers the strategies for st.from_type
from frivillighet import calendar, checks, model
from frivillighet.cli import main
from frivillighet.policy import parse_policy
from frivillighet.rules import obligations

D = dt.date
FACT_TYPES = [kind for name in model.__all__ if attrs.has(kind := getattr(model, name))]
LIER = "lier.obligation.annual_dialogue"
JUNE = "hemnes.obligation.june_status"

RECORD = {"obligation": LIER, "held": "2024-04-01"}
# Each fact type inside the facts of a check: (check, facts around the table, the table's key).
Place = tuple[str, Callable[[Any], dict[str, Any]], str]
PLACES: dict[type, Place] = {
    fv.Activity: ("volunteer-work", lambda t: {"activity": t}, "activity"),
    fv.Organisation: (
        "grant",
        lambda t: {"application": {"applicant": t}, "on": "2025-01-01"},
        "application.applicant",
    ),
    fv.Body: ("council", lambda t: {"council": {}, "registry": [{}, t]}, "registry[1]"),
    fv.Member: ("council", lambda t: {"council": {"members": [{}, t]}}, "council.members[1]"),
    fv.Council: ("council", lambda t: {"council": t}, "council"),
    fv.Premises: (
        "rental",
        lambda t: {"booking": {"premises": t}, "tariff": {}},
        "booking.premises",
    ),
    fv.Booking: ("rental", lambda t: {"booking": t, "tariff": {}}, "booking"),
    fv.Tariff: ("rental", lambda t: {"booking": {}, "tariff": t}, "tariff"),
    fv.GrantApplication: (
        "grant",
        lambda t: {"application": t, "on": "2025-01-01"},
        "application",
    ),
    fv.Agreement: ("agreement", lambda t: {"agreement": t}, "agreement"),
    fv.Hearing: ("hearing", lambda t: {"hearing": t}, "hearing"),
    fv.Review: (
        "checklist",
        lambda t: {"checklist": "lier.checklist.volunteer_portal", "review": t},
        "review",
    ),
    fv.Meeting: (
        "compliance",
        lambda t: {
            "meetings": [{"obligation": LIER, "held": "2024-03-01"}, {**RECORD, **t}],
            "as_of": "2024-09-01",
        },
        "meetings[1]",
    ),
}

# (fact type, key, a wrong JSON value, where the constructor names it below the class)
WRONG: list[tuple[type, str, Any, str]] = [
    (fv.Activity, "pay", "salary", "pay"),
    (fv.Activity, "pay", "WAGE", "pay"),
    (fv.Activity, "description", 3, "description"),
    (fv.Activity, "area", ["sport"], "area"),
    (fv.Organisation, "non_profit", "yes", "non_profit"),
    (fv.Organisation, "registered", 1, "registered"),
    (fv.Organisation, "name", False, "name"),
    (fv.Body, "kind", "club", "kind"),
    (fv.Body, "name", 7, "name"),
    (fv.Member, "represents", "bygdeutvalg", "represents"),
    (fv.Member, "represents", ["bygdeutvalg"], "represents"),
    (fv.Member, "elected_by", 1.5, "elected_by"),
    (fv.Council, "members", "Kari", "members"),
    (fv.Council, "members", [None, "Kari"], "members[1]"),
    (fv.Council, "secretary", "Frivilligsentralen", "secretary"),
    (fv.Council, "kind", 3, "kind"),
    (fv.Meeting, "held", "07.03.2017", "held"),
    (fv.Meeting, "held", "2024-02-30", "held"),
    (fv.Meeting, "held", 20240601, "held"),
    (fv.Meeting, "obligation", 3, "obligation"),
    (fv.Premises, "kind", "pool", "kind"),
    (fv.Premises, "name", ["Lier skole"], "name"),
    (fv.Booking, "start", "tomorrow", "start"),
    (fv.Booking, "end", 1714996800, "end"),
    (fv.Booking, "purpose", "party", "purpose"),
    (fv.Tariff, "hourly", {"school": 99.5}, "hourly['school']"),
    (fv.Tariff, "hourly", {"pool": 100}, "hourly['pool']"),
    (fv.Tariff, "hourly", ["school"], "hourly"),
    (fv.Tariff, "currency", 578, "currency"),
    (fv.GrantApplication, "amount", 40000.5, "amount"),
    (fv.GrantApplication, "amount", "-5", "amount"),
    (fv.GrantApplication, "amount", "40 000", "amount"),
    (fv.GrantApplication, "amount", True, "amount"),
    (fv.GrantApplication, "submitted", "2025-13-01", "submitted"),
    (fv.GrantApplication, "applicant", "Bjerka IL", "applicant"),
    (fv.SchemeChange, "discussed", "yesterday", "discussed"),
    (fv.SchemeChange, "decided", "2025-03-17T10:00", "decided"),
    (fv.Agreement, "parties", "Lier kommune", "parties"),
    (fv.Agreement, "parties", ["Lier kommune", 3], "parties[1]"),
    (fv.Agreement, "kind", "contract", "kind"),
    (fv.Hearing, "planning", "yes", "planning"),
    (fv.Hearing, "consultees", "Frivillighetsrådet", "consultees"),
    (fv.Review, "present", "lier.checklist.volunteer_portal.contacts", "present"),
    (fv.Review, "absent", ["lier.checklist.volunteer_portal.contacts", None], "absent[1]"),
    (fv.Agreement, "starts", 2024, "starts"),
    (fv.Agreement, "replaces_public_service", "no", "replaces_public_service"),
]


def _python(kind: type, key: str, value: Any) -> Any:
    """The value as a Python caller gives it: nested facts as facts, the rest as in JSON."""
    if key == "members" and isinstance(value, list):
        return [fv.Member() if item is None else item for item in value]
    return value


def _json(kind: type, key: str, value: Any) -> dict[str, Any]:
    if key == "members" and isinstance(value, list):
        return {key: [{} if item is None else item for item in value]}
    return {key: value}


def _constructed(kind: type, key: str, value: Any) -> fv.InputError:
    with pytest.raises(fv.InputError) as raised:
        kind(**{key: _python(kind, key, value)})
    return raised.value


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as stop:  # argparse's usage errors
        status = int(stop.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_every_fact_type_has_wrong_values() -> None:
    assert {kind for kind, *_ in WRONG} == set(FACT_TYPES)
    assert set(PLACES) == set(FACT_TYPES) - {fv.SchemeChange}  # no check takes a scheme change


@pytest.mark.parametrize(
    ("kind", "key", "value", "where"), WRONG, ids=lambda v: getattr(v, "__name__", repr(v))
)
def test_a_wrong_value_is_worded_the_same_from_every_entry_point(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: type, key: str, value: Any, where: str
) -> None:
    made = _constructed(kind, key, value)
    assert made.field == f"{kind.__name__}.{where}"
    assert made.problem.startswith("expected ") and ", got " in made.problem

    with pytest.raises(fv.InputError) as read:
        fv.from_json(kind, _json(kind, key, value))
    assert (read.value.field, read.value.problem) == (where, made.problem)

    if kind not in PLACES:
        return
    check, around, at = PLACES[kind]
    facts = around(_json(kind, key, value))
    with pytest.raises(fv.InputError) as ran:
        checks.run(fv.load_policy("lier"), check, facts)
    assert (ran.value.field, ran.value.problem) == (f"{at}.{where}", made.problem)

    if check == "compliance":  # the command line reads records from a file
        path = tmp_path / "meetings.json"
        path.write_text(json.dumps(facts["meetings"]), "utf-8")
        argv = ["compliance", "lier", "--meetings", str(path), "--as-of", "2024-09-01"]
        place = f"{path}[1]: {where}"
    else:
        path = tmp_path / "facts.json"
        path.write_text(json.dumps(facts), "utf-8")
        argv = ["check", check, "lier", str(path)]
        place = f"{path}: {at}.{where}"
    status, out, err = _cli(capsys, *argv)
    assert (status, out) == (2, "")
    assert err == f"frivillighet: error: {place}: {made.problem}\n"


@pytest.mark.parametrize(
    ("held", "problem"),
    [
        ("07.03.2017", "expected a date (YYYY-MM-DD), got '07.03.2017' (str)"),
        ("", "expected a date (YYYY-MM-DD), got '' (str)"),
    ],
)
def test_a_bad_date_in_a_csv_record_is_worded_as_the_constructor_words_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, held: str, problem: str
) -> None:
    assert _constructed(fv.Meeting, "held", held).problem == problem
    path = tmp_path / "meetings.csv"
    path.write_text(f"obligation,held\n{LIER},2024-03-01\n{LIER},2024-04-01\n{LIER},{held}\n")
    status, _, err = _cli(
        capsys, "compliance", "lier", "--meetings", str(path), "--as-of", "2024-09-01"
    )
    assert status == 2
    assert err == f"frivillighet: error: {path}: line 4: held: {problem}\n"


def test_one_wording_for_a_bad_date_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    problem = "expected a date (YYYY-MM-DD), got '2024-02-30' (str)"
    assert _constructed(fv.GrantApplication, "submitted", "2024-02-30").problem == problem
    with pytest.raises(fv.InputError) as on:
        checks.run(fv.load_policy("lier"), "grant", {"application": {}, "on": "2024-02-30"})
    assert (on.value.field, on.value.problem) == ("on", problem)
    _, _, err = _cli(capsys, "compliance", "lier", "--as-of", "2024-02-30")
    assert f"argument --as-of: {problem}" in err
    _, _, err = _cli(capsys, "calendar", "lier", "--from", "2024-02-30", "--to", "2025-01-01")
    assert f"argument --from: {problem}" in err
    source = (resources.files("frivillighet") / "policies" / "lier.toml").read_text("utf-8")
    assert "\nadopted = 2017-03-07\n" in source
    with pytest.raises(fv.PolicyError) as policy:
        parse_policy(source.replace("\nadopted = 2017-03-07\n", '\nadopted = "2024-02-30"\n'))
    assert (policy.value.key, policy.value.problem) == ("adopted", problem)


def test_the_calendar_stamp_is_read_by_the_same_parser(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["calendar", "lier", "--from", "2025-01-01", "--to", "2025-12-31", "--generated"]
    _, _, err = _cli(capsys, *base, "soon")
    assert "argument --generated: expected a date and time (ISO 8601), got 'soon' (str)" in err
    _, _, err = _cli(capsys, *base, "2026-01-01T12:00")
    assert "expected a date and time with a UTC offset, got '2026-01-01T12:00' (str)" in err


def test_iso_texts_are_accepted_by_the_constructors() -> None:
    assert fv.Meeting(held="2024-06-01") == fv.Meeting(held=D(2024, 6, 1))
    start = dt.datetime(2024, 6, 1, 18, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert fv.Booking(start="2024-06-01T18:00:00+02:00").start == start
    with pytest.raises(fv.InputError, match=r"Meeting\.held: expected a date \(YYYY-MM-DD\)"):
        fv.Meeting(held=dt.datetime(2024, 6, 1, 10))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({1: 2, "x": 3}, "unknown key 1, 'x'; expected keys: description, pay"),
        ({"pay": "wage", "hours": 3}, "unknown key 'hours'; expected keys: description, pay"),
        (["pay", "wage"], "expected an Activity, got ['pay', 'wage'] (list)"),
    ],
)
def test_a_table_that_is_not_a_fact_names_the_type_or_its_place(data: Any, words: str) -> None:
    with pytest.raises(fv.InputError) as read:
        fv.from_json(fv.Activity, data)
    assert read.value.field == "Activity" and read.value.problem.startswith(words)
    with pytest.raises(fv.InputError) as ran:
        checks.run(fv.load_policy("hemnes"), "volunteer-work", {"activity": data})
    assert ran.value.field == "activity" and ran.value.problem.startswith(words)


def test_a_nested_fact_names_its_json_path() -> None:
    data = {"members": [{}, {}, {"represents": {"kind": "club"}}]}
    with pytest.raises(fv.InputError) as read:
        fv.from_json(fv.Council, data)
    assert read.value.field == "members[2].represents.kind"
    assert read.value.problem == _constructed(fv.Body, "kind", "club").problem
    with pytest.raises(fv.InputError) as nested:
        fv.from_json(fv.Council, {"members": [{}, {"represents": {"x": 1}}]})
    assert nested.value.field == "members[1].represents"
    assert nested.value.problem.startswith("unknown key 'x'; expected keys: kind, name")


def _same(fact: Any, back: Any) -> None:
    """Equal facts; a booking's times by wall clock and offset (to_json keeps no IANA zone)."""
    if isinstance(fact, fv.Booking):
        for mine, read in ((fact.start, back.start), (fact.end, back.end)):
            assert (mine is None) == (read is None)
            if mine is not None:
                assert mine.replace(tzinfo=None) == read.replace(tzinfo=None)
                assert mine.utcoffset() == read.utcoffset()
        fact = attrs.evolve(fact, start=None, end=None)
        back = attrs.evolve(back, start=None, end=None)
    assert back == fact


@pytest.mark.parametrize("kind", FACT_TYPES, ids=lambda kind: kind.__name__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_to_json_reads_back_to_an_equal_fact(kind: type, data: st.DataObject) -> None:
    fact = data.draw(st.from_type(kind))
    written = fv.to_json(fact)
    back = fv.from_json(kind, json.loads(json.dumps(written)))
    assert type(back) is kind
    _same(fact, back)
    assert fv.to_json(back) == written


# --- Meeting records are checked once, where the caller gave them ------------------------------

OK_H = fv.Meeting(obligation=JUNE, held=D(2024, 6, 18))
BAD_L = fv.Meeting(obligation=LIER)  # held unknown


def test_records_for_two_policies_are_named_by_their_index_in_the_callers_list() -> None:
    policies = [fv.load_policy("hemnes"), fv.load_policy("lier")]
    with pytest.raises(fv.InputError) as raised:
        calendar.to_ics(
            policies,
            D(2024, 1, 1),
            D(2024, 12, 31),
            meetings=[OK_H, OK_H, BAD_L],
            as_of=D(2024, 9, 1),
        )
    assert raised.value.field == "meetings[2].held"
    gala = fv.Meeting(obligation="lier.obligation.gala", held=D(2024, 1, 1))
    with pytest.raises(fv.InputError) as raised:
        calendar.to_ics(
            policies,
            D(2024, 1, 1),
            D(2024, 12, 31),
            meetings=[OK_H, OK_H, gala],
            as_of=D(2024, 9, 1),
        )
    assert raised.value.field == "meetings[2].obligation"
    assert raised.value.problem == "no policy of hemnes, lier has obligation 'lier.obligation.gala'"
    with pytest.raises(fv.InputError) as raised:
        obligations.states(policies, [], [OK_H, ("x", 1)], D(2024, 9, 1))
    assert (raised.value.field, raised.value.problem) == (
        "meetings[1]",
        "expected a Meeting, got tuple",
    )


def _records(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "meetings.csv"
    path.write_text("obligation,held\n" + "".join(f"{row}\n" for row in rows), "utf-8")
    return path


def test_the_calendar_command_names_the_line_of_the_bad_record(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _records(tmp_path, f"{JUNE},2024-06-18", f"{JUNE},2024-06-19", LIER)
    argv = ["calendar", "hemnes", "lier", "--from", "2024-01-01", "--to", "2024-12-31"]
    status, out, err = _cli(capsys, *argv, "--meetings", str(path), "--as-of", "2024-09-01")
    assert (status, out) == (2, "")
    assert err == f"frivillighet: error: {path}: line 4: held: the date it was held is unknown\n"


def test_the_compliance_command_names_the_line_of_the_bad_record(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _records(tmp_path, f"{LIER},2024-03-01", f"{LIER},2024-04-01", f"{JUNE},2024-06-18")
    argv = ["compliance", "lier", "--meetings", str(path), "--as-of", "2024-09-01"]
    status, out, err = _cli(capsys, *argv)
    assert (status, out) == (2, "")
    assert err == (
        f"frivillighet: error: {path}: line 4: obligation: "
        f"policy 'lier' has no obligation '{JUNE}'\n"
    )
    path = _records(tmp_path, f"{LIER},2024-03-01", f"{LIER},2024-04-01", LIER)
    status, _, err = _cli(capsys, *argv)
    assert err == f"frivillighet: error: {path}: line 4: held: the date it was held is unknown\n"


def test_a_time_of_day_in_a_policy_file_is_local_never_with_an_offset() -> None:
    from frivillighet.policy import policy_from_data

    data = fv.to_json(fv.load_policy("lier"))
    data["rental"]["rules"][0]["hours"] = {"start": "16:00+01:00", "end": "22:00"}
    with pytest.raises(fv.PolicyError, match=r"rental.rules\[0\].hours.start: expected a time"):
        policy_from_data(data, "lier.json")
