"""The registry of rule kinds: each kind is declared, judged and registered in one place, a kind
that cannot be judged cannot be registered, and a policy goes through JSON and back unchanged."""

from __future__ import annotations

import abc
import inspect
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import jsonschema
import pytest
from attrs import frozen

import frivillighet as fv
from frivillighet import cli
from frivillighet.policy import Policy, builtin_policies, policy_from_data, rule_kinds
from frivillighet.rules import grants, volunteer_work
from frivillighet.rules.common import family_of, kind
from frivillighet.rules.council import CouncilRule
from frivillighet.rules.grants import GrantRule
from frivillighet.rules.hearings import HearingRule
from frivillighet.rules.obligations import Recurrence
from frivillighet.rules.partnership import PartnershipRule
from frivillighet.rules.rental import RentalRule
from frivillighet.rules.volunteer_work import Meaning, VolunteerRule
from frivillighet.schema import json_schema

BASES = (
    VolunteerRule,
    CouncilRule,
    GrantRule,
    RentalRule,
    PartnershipRule,
    HearingRule,
    Recurrence,
)


def test_the_registry_holds_one_family_per_concern_and_every_kind_of_the_seeds() -> None:
    families = {found.base: found for found in rule_kinds()}
    assert set(families) == set(BASES)
    assert families[Recurrence].key == "kind"
    assert {found.key for base, found in families.items() if base is not Recurrence} == {"test"}
    used = {
        type(rule)
        for policy in map(fv.load_policy, builtin_policies())
        for rule in _kinds(policy)
        if isinstance(rule, BASES)
    }
    registered = {cls for found in families.values() for cls in found.kinds.values()}
    assert len(used) > 15
    assert used <= registered


def test_every_registered_kind_is_concrete_documented_and_named_by_its_word() -> None:
    for found in rule_kinds():
        assert found.kinds, found.base
        for word, cls in found.kinds.items():
            assert not inspect.isabstract(cls), cls
            assert word == cls.TAG
            assert family_of(cls) is found
            assert cls.__doc__ and cls.__doc__.strip(), f"{word} needs a docstring"


@pytest.mark.parametrize("base", [*BASES, grants._OfApplicant], ids=lambda base: base.__name__)
def test_a_kind_that_is_not_judged_is_refused_at_import(base: type) -> None:
    before = dict(family_of(base).kinds)

    @frozen(kw_only=True)
    class Forgotten(base):  # type: ignore[valid-type, misc]
        """A kind whose author forgot the method that judges it (or the trait it asks for)."""

    with pytest.raises(TypeError, match="does not implement"):
        kind("forgotten")(Forgotten)
    assert family_of(base).kinds == before


def test_a_kind_is_an_attrs_class_with_one_word() -> None:
    class Bare(volunteer_work.Unpaid):
        """Not made an attrs class: the decorators are in the wrong order."""

    with pytest.raises(TypeError, match="no attrs class"):
        kind("bare")(Bare)
    with pytest.raises(TypeError, match="registered as 'unpaid' already"):
        kind("unpaid_again")(volunteer_work.Unpaid)
    assert "bare" not in family_of(VolunteerRule).kinds
    assert "unpaid_again" not in family_of(VolunteerRule).kinds


def test_an_unregistered_subclass_of_a_kind_is_not_written_as_its_parent() -> None:
    @frozen(kw_only=True, cache_hash=True)
    class Stricter(volunteer_work.Unpaid):
        """Never registered."""

    rule = fv.load_policy("hemnes").volunteer_work.criteria[0]  # type: ignore[union-attr]
    stricter = Stricter(id=rule.id, source=rule.source)
    with pytest.raises(TypeError, match="not a registered kind"):
        fv.to_json(stricter)


def test_a_word_names_one_kind() -> None:
    @frozen(kw_only=True, cache_hash=True)
    class Another(VolunteerRule):
        """Another kind that wants the word 'unpaid'."""

        def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
            return "pay", {}

    with pytest.raises(TypeError, match="'unpaid' is taken by Unpaid"):
        kind("unpaid")(Another)

    @frozen(kw_only=True, cache_hash=True)
    class Unpaid(VolunteerRule):  # the same name as the built-in kind, from another module
        """A plugin's kind that would make a wage unpaid."""

        def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
            return "pay", {}

    with pytest.raises(TypeError, match="'unpaid' is taken by Unpaid"):
        kind("unpaid")(Unpaid)
    assert family_of(VolunteerRule).kinds["unpaid"] is volunteer_work.Unpaid


def test_a_volunteer_kind_must_mean_something_for_every_value_of_its_fact() -> None:
    @kind("half")
    @frozen(kw_only=True, cache_hash=True)
    class Half(VolunteerRule):
        """Gives a meaning to a wage only."""

        def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
            return "pay", {fv.Pay.WAGE: (False, fv.Text(en="Paid."))}

    @kind("wages")
    @frozen(kw_only=True, cache_hash=True)
    class Wages(VolunteerRule):
        """Reads a fact an activity does not have."""

        def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
            return "wages", {}

    try:
        data = fv.to_json(fv.load_policy("hemnes"))
        for word, words in (("half", "gives no meaning to none"), ("wages", "reads 'wages'")):
            data["volunteer_work"]["criteria"][0] = {
                "test": word,
                "id": "hemnes.volunteer.x",
                "source": data["volunteer_work"]["criteria"][1]["source"],
            }
            with pytest.raises(fv.PolicyError, match=rf"criteria\[0\].*{words}"):
                policy_from_data(data)
    finally:
        del family_of(VolunteerRule).kinds["half"], family_of(VolunteerRule).kinds["wages"]


def test_a_new_kind_declared_in_one_place_loads_validates_shows_and_is_judged(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole of adding a kind: a class with its settings and its judgement. The loader, the
    schema and `show` see it without being told."""

    @kind("described")
    @frozen(kw_only=True, cache_hash=True)
    class Described(VolunteerRule):
        """The activity is outdoors (its `area` is the environment); `words` is a setting."""

        words: int = 1

        def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
            meanings: dict[Any, Meaning] = {
                area: (area is fv.Area.ENVIRONMENT, fv.Text(en=f"The area is {area}."))
                for area in fv.Area
            }
            return "area", meanings | {None: (False, fv.Text(en="Unknown area."))}

    try:
        file = tmp_path / "described.toml"
        file.write_text(
            (
                'id = "x"\nmunicipality = "X"\ncountry = "NO"\nlanguage = "nb"\n'
                'timezone = "Europe/Oslo"\ntitle = "T"\ndocument = "d.txt"\n'
                'status = "adopted"\n[national]\nomit = ["NO.volunteer.unpaid", '
                '"NO.volunteer.for_others", "NO.volunteer.non_compulsory", '
                '"NO.volunteer.active"]\n'
                '[[volunteer_work.criteria]]\nid = "x.volunteer.described"\n'
                'test = "described"\nwords = 3\nsource = { section = "S", quote = "Q" }\n'
            ),
            "utf-8",
        )
        policy = fv.load_policy(file)
        rule = policy.volunteer_work.criteria[0] if policy.volunteer_work else None
        assert isinstance(rule, Described)
        assert rule.words == 3
        verdict = volunteer_work.assess(policy, fv.Activity())
        assert verdict.outcome is fv.Outcome.UNDETERMINED
        assert verdict.missing == ("area",)
        assert volunteer_work.assess(policy, fv.Activity(area="environment")).holds
        words = _words_of(json_schema(Policy), "test")
        assert "described" in words
        data = fv.to_json(policy)
        assert data["volunteer_work"]["criteria"][0]["test"] == "described"
        assert policy_from_data(data) == policy
        assert cli.main(["show", str(file), "--lang", "en"]) == 0
        assert "x.volunteer.described  [described]" in capsys.readouterr().out
    finally:
        del family_of(VolunteerRule).kinds["described"]


@pytest.mark.parametrize("policy_id", builtin_policies())
def test_a_policy_goes_through_json_and_back_unchanged(policy_id: str) -> None:
    policy = fv.load_policy(policy_id)
    data = fv.to_json(policy)
    assert policy_from_data(data, policy_id) == policy
    jsonschema.validate(data, json_schema(Policy))


@pytest.mark.parametrize("policy_id", builtin_policies())
def test_json_of_every_rule_leads_with_the_word_of_its_kind(policy_id: str) -> None:
    for rule in _kinds(fv.load_policy(policy_id)):
        if isinstance(rule, BASES):
            key = family_of(type(rule)).key
            assert next(iter(fv.to_json(rule).items())) == (key, type(rule).TAG)


def test_policy_schema_offers_every_registered_kind() -> None:
    schema = json_schema(Policy)
    for found in rule_kinds():
        assert set(found.kinds) <= _words_of(schema, found.key), found.base


def _kinds(policy: Policy) -> Iterator[object]:
    for rule in policy.rules():
        yield rule
        recurrence = getattr(rule, "recurrence", None)
        if recurrence is not None:
            yield recurrence


def _words_of(schema: dict[str, Any], key: str) -> set[str]:
    return {
        definition["properties"][key]["const"]
        for definition in schema["$defs"].values()
        if "const" in definition.get("properties", {}).get(key, {})
    }


def test_an_abstract_base_is_not_a_kind() -> None:
    assert all(abc.ABC in base.__mro__ for base in BASES)
    assert not any(attrs.has(base) and not inspect.isabstract(base) for base in BASES)


def test_from_json_points_a_policy_to_policy_from_data() -> None:
    with pytest.raises(fv.InputError, match="policy_from_data"):
        fv.from_json(Policy, fv.to_json(fv.load_policy("lier")))
