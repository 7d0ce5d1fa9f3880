"""Policies as data: the five built-ins, their citations, and clear errors for bad files."""

from __future__ import annotations

import tomllib
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet.policy import parse_policy, policy_from_data

# The rule catalogue of SPEC §5: every id must be encoded, with its citation.
CATALOGUE = {
    "hemnes": [
        "hemnes.volunteer.unpaid",
        "hemnes.volunteer.not_own_family",
        "hemnes.volunteer.organised",
        "hemnes.volunteer.active",
        "hemnes.council.frivillighetsrad",
        "hemnes.council.bygdeutvalg",
        "hemnes.obligation.june_status",
        "hemnes.obligation.revision",
        "hemnes.obligation.council_dialogue",
        "hemnes.obligation.sports_council_dialogue",
        "hemnes.obligation.volunteer_centre_dialogue",
        "hemnes.obligation.unit_action_plans",
        "hemnes.grants.consult_council",
        "hemnes.hearing.council",
        "hemnes.principle.supplement",
    ],
    "nn": [
        "nn.obligation.budget_follow_up",
        "nn.obligation.report_rolling",
        "nn.obligation.case_by_april_2018",
        "nn.obligation.mapping",
        "nn.obligation.cafe_dialogue",
    ],
    "stange": [
        "stange.obligation.annual_showcase",
        "stange.obligation.revision",
        "stange.grants.by_application",
        "stange.principle.supplement",
        "stange.volunteer.unpaid",
    ],
    "vesthimmerland": [
        "vesthimmerland.volunteer.social_for_others",
        "vesthimmerland.council.frivilligrad",
        "vesthimmerland.obligation.annual_dialogue",
        "vesthimmerland.obligation.revision",
        "vesthimmerland.grants.social_work",
        "vesthimmerland.grants.local_anchoring",
        "vesthimmerland.contact_person",
    ],
    "lier": [
        "lier.rental.free_weekday_use",
        "lier.rental.simple_booking",
        "lier.grants.schemes",
        "lier.obligation.annual_dialogue",
        "lier.partnership.template",
        "lier.partnership.supplement",
        "lier.partnership.service_contract",
    ],
}
HEMNES = (resources.files("frivillighet") / "policies" / "hemnes.toml").read_text("utf-8")


def test_builtin_policies_are_the_five_seeds() -> None:
    assert fv.builtin_policies() == ("hemnes", "lier", "nn", "stange", "vesthimmerland")


@pytest.mark.parametrize(
    ("policy_id", "municipality", "country", "language", "timezone"),
    [
        ("hemnes", "Hemnes", "NO", "nb", "Europe/Oslo"),
        ("lier", "Lier", "NO", "nb", "Europe/Oslo"),
        ("nn", "NN kommune", "NO", "nb", "Europe/Oslo"),
        ("stange", "Stange", "NO", "nb", "Europe/Oslo"),
        ("vesthimmerland", "Vesthimmerland", "DK", "da", "Europe/Copenhagen"),
    ],
)
def test_builtin_policy_identity(policy_id, municipality, country, language, timezone) -> None:
    policy = fv.load_policy(policy_id)
    assert (policy.id, policy.municipality, policy.country) == (policy_id, municipality, country)
    assert (policy.language, policy.timezone) == (language, timezone)


@pytest.mark.parametrize("policy_id", sorted(CATALOGUE))
def test_every_catalogue_rule_is_encoded(policy_id: str) -> None:
    encoded = {rule.id for rule in fv.load_policy(policy_id).rules()}
    assert set(CATALOGUE[policy_id]) <= encoded


@pytest.mark.parametrize("policy_id", sorted(CATALOGUE))
def test_every_quote_occurs_word_for_word_in_its_seed(policy_id: str, seed_text) -> None:
    policy = fv.load_policy(policy_id)
    for rule in policy.rules():
        if policy.inherited(rule):  # cites its national source: tests/test_national.py
            continue
        assert rule.source.document == policy.document
        quote = rule.source.quote
        assert quote == unicodedata.normalize("NFC", quote), f"{rule.id}: quote not stored in NFC"
        assert quote.strip(), f"{rule.id}: empty quote"
        assert quote in seed_text[rule.source.document], f"{rule.id}: {quote!r} not in the seed"


def test_masked_values_stay_unknown() -> None:
    nn = fv.load_policy("nn")
    assert nn.status == "proposed"
    assert nn.adopted is None and nn.in_force is None
    undated = {o.id for o in nn.obligations if getattr(o.recurrence, "due", "") is None}
    assert {"nn.obligation.mapping", "nn.obligation.cafe_dialogue"} <= undated


def test_policy_dates_from_the_sources() -> None:
    assert fv.load_policy("lier").adopted.isoformat() == "2017-03-07"
    assert fv.load_policy("vesthimmerland").adopted.isoformat() == "2007-12-11"
    assert fv.load_policy("hemnes").start.isoformat() == "2015-01-01"
    assert fv.load_policy("stange").period == fv.policy.Period(first=2020, last=2023)


def test_a_policy_file_by_path_loads_like_the_builtin(tmp_path: Path) -> None:
    path = tmp_path / "hemnes-copy.toml"
    path.write_text(HEMNES, "utf-8")
    assert fv.load_policy(path) == fv.load_policy("hemnes")
    assert fv.load_policy(str(path)) == fv.load_policy("hemnes")


def test_an_unknown_policy_id_names_the_known_ones() -> None:
    with pytest.raises(fv.PolicyError) as raised:
        fv.load_policy("oslo")
    assert "'oslo'" in str(raised.value)
    for known in fv.builtin_policies():
        assert known in str(raised.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(fv.PolicyError, match="no such file") as raised:
        fv.load_policy(path)
    assert raised.value.file == str(path)


def edited(old: str, new: str) -> str:
    assert old in HEMNES, old
    return HEMNES.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (edited("month = 6", "month = 13"), "obligations[0].recurrence.month", "from 1 to 12"),
        (edited("month = 6", 'month = "6"'), "obligations[0].recurrence.month", "an integer"),
        (
            edited('kind = "annual", month = 6', 'kind = "weekly"'),
            "obligations[0].recurrence.kind",
            "unknown kind 'weekly'",
        ),
        (
            edited('status = "adopted"', 'status = "adopted"\nmayor = "x"'),
            None,
            "unknown key 'mayor'",
        ),
        (edited('municipality = "Hemnes"\n', ""), "municipality", "missing key"),
        (edited('title = "Strategi', "title = 5 #"), "title", "expected a string, got 5"),
        (
            edited('test = "unpaid"', 'test = "unpayed"'),
            "volunteer_work.criteria[0].test",
            "unknown test 'unpayed'",
        ),
        (edited('test = "unpaid"\n', ""), "volunteer_work.criteria[0].test", "missing key 'test'"),
        (
            edited('source = { section = "Hva er frivillig arbeid", quote = "er ulønnet." }\n', ""),
            "volunteer_work.criteria[0].source",
            "missing key",
        ),
        (
            edited('quote = "er ulønnet."', 'citat = "er ulønnet."'),
            "volunteer_work.criteria[0].source.quote",
            "missing key",
        ),
        (
            edited('by = ["association", "agreement"]', 'by = "association"'),
            "volunteer_work.criteria[2].by",
            "expected an array",
        ),
        (
            edited('by = ["association", "agreement"]', "by = []"),
            "volunteer_work.criteria[2].by",
            "at least one",
        ),
        (
            edited('body = "bygdeutvalg"', 'body = "kommune"'),
            "councils[0].criteria[0].body",
            "'bygdeutvalg'",
        ),
        (edited('country = "NO"', 'country = "SE"'), "country", "expected one of 'NO', 'DK'"),
        (
            edited('timezone = "Europe/Oslo"', 'timezone = "Europe/Olso"'),
            "timezone",
            "unknown time zone",
        ),
        (
            edited("due = 2016-03-31", "due = 2016-03-31T10:00:00"),
            "obligations[5].recurrence.due",
            "a date",
        ),
        (
            edited('id = "hemnes.volunteer.active"', 'id = "lier.volunteer.active"'),
            "volunteer_work.criteria[3].id",
            "must be 'hemnes.' and a name",
        ),
        (
            edited('id = "hemnes.obligation.revision"', 'id = "hemnes.obligation.june_status"'),
            "obligations[1].id",
            "used twice",
        ),
        (edited("last = 2019", "last = 2013"), "period.last", "must not be before"),
        (edited("first = 2015", "first = 0"), "period.first", "from 1900 to 2199"),
        (
            edited('status = "adopted"', 'status = "adopted"\nends = 2014-12-31'),
            "ends",
            "must not be before the policy starts (2015-01-01)",
        ),
        (
            edited('council = "frivillighetsrad"', 'council = "eldreråd"'),
            "grants.consult_on_changes[0].council",
            "no council of kind 'eldreråd'; the policy has: frivillighetsrad, bygdeutvalg",
        ),
        (
            edited('status = "adopted"', 'status = "adopted"\nconstituent_meetings = [2016-10-20]'),
            "constituent_meetings[0]",
            "an election year up to 31 October",
        ),
        (edited("count = 1", "count = 0"), "councils[0].criteria[1].count", "from 1 to 1000"),
        (
            edited('quote = "er ulønnet."', 'quote = " "'),
            "volunteer_work.criteria[0].source.quote",
            "non-empty",
        ),
        (
            edited(
                'name = { nb = "Frivillighetsrådet", en = "the volunteer council" }', "name = {}"
            ),
            "councils[0].name",
            "at least one of nb, da, en",
        ),
        (
            edited('id = "hemnes.volunteer.active"', 'id = "hemnes."'),
            "volunteer_work.criteria[3].id",
            "and a name",
        ),
        (
            edited('kind = "annual", month = 6', 'kind = "annual", month = 6, quarter = 2'),
            "obligations[0].recurrence.quarter",
            "not both",
        ),
        (
            edited(
                '[[obligations]]\nid = "hemnes.obligation.june_status"', "[[obligations]]\nid = 7"
            ),
            "obligations[0].id",
            "expected a string, got 7",
        ),
    ],
)
def test_a_bad_policy_file_names_file_key_and_expectation(
    text: str, key: str | None, words: str
) -> None:
    with pytest.raises(fv.PolicyError) as raised:
        parse_policy(text, "kommune.toml")
    error = raised.value
    assert error.file == "kommune.toml"
    assert error.key == key
    assert words in str(error)
    assert str(error).startswith("kommune.toml: ")


def test_malformed_toml_names_the_file_and_position() -> None:
    with pytest.raises(fv.PolicyError, match=r"kommune.toml: not valid TOML .*line 2"):
        parse_policy("id = 'x'\nmunicipality = = 'y'", "kommune.toml")


def test_a_non_utf8_file_is_a_policy_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes("municipality = 'Bærum'".encode("latin-1"))
    with pytest.raises(fv.PolicyError, match="cannot read"):
        fv.load_policy(path)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


HEMNES_DATA = tomllib.loads(HEMNES)
HEMNES_PATHS = _paths(HEMNES_DATA)


def _without(data: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return data
    if isinstance(data, dict):
        return {
            k: (_without(v, path[1:]) if k == path[0] else v)
            for k, v in data.items()
            if not (k == path[0] and len(path) == 1)
        }
    return [
        (_without(v, path[1:]) if i == path[0] else v)
        for i, v in enumerate(data)
        if not (i == path[0] and len(path) == 1)
    ]


def _replaced(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    if isinstance(data, dict):
        return {k: (_replaced(v, path[1:], new) if k == path[0] else v) for k, v in data.items()}
    return [(_replaced(v, path[1:], new) if i == path[0] else v) for i, v in enumerate(data)]


def _dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


KNOWN_KEYS = {_dotted(path) for path in HEMNES_PATHS}


@given(st.sampled_from(HEMNES_PATHS))
def test_deleting_any_key_loads_or_names_where(path: tuple[Any, ...]) -> None:
    try:
        policy_from_data(_without(HEMNES_DATA, path), "hemnes.toml")
    except fv.PolicyError as error:
        assert error.file == "hemnes.toml"
        assert error.key is not None
        parent = _dotted(path[:-1])
        assert error.key.startswith(parent) or error.key in KNOWN_KEYS, (error.key, parent)


@given(
    st.sampled_from(HEMNES_PATHS),
    st.one_of(
        st.integers(),
        st.text(max_size=5),
        st.booleans(),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    ),
)
def test_replacing_any_value_loads_or_names_where(path: tuple[Any, ...], value: Any) -> None:
    try:
        policy_from_data(_replaced(HEMNES_DATA, path, value), "hemnes.toml")
    except fv.PolicyError as error:
        assert error.file == "hemnes.toml"
        assert (
            error.key is None or error.key.startswith(_dotted(path[:1])) or error.key in KNOWN_KEYS
        )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a = " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("id = " + "{a = " * 50_000 + "1" + "}" * 50_000, "nested too deeply"),
        ("# " + "x" * 1_000_001, "larger than 1000000 characters"),
    ],
)
def test_absurd_policy_files_are_policy_errors_not_hangs(text: str, words: str) -> None:
    with pytest.raises(fv.PolicyError, match=words) as raised:
        parse_policy(text, "absurd.toml")
    assert raised.value.file == "absurd.toml"


def test_a_huge_policy_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * 5_000_000)
    with pytest.raises(fv.PolicyError, match="larger than"):
        fv.load_policy(path)
