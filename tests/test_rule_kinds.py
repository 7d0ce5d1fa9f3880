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
from frivillighet.rules import volunteer_work
from frivillighet.rules.common import family_of, kind
from frivillighet.rules.council import CouncilRule
from frivillighet.rules.grants import GrantRule
from frivillighet.rules.obligations import Recurrence
from frivillighet.rules.partnership import PartnershipRule
from frivillighet.rules.rental import RentalRule
from frivillighet.rules.volunteer_work import Meaning, VolunteerRule
from frivillighet.schema import json_schema

BASES = (VolunteerRule, CouncilRule, GrantRule, RentalRule, PartnershipRule, Recurrence)


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


@pytest.mark.parametrize("base", BASES, ids=lambda base: base.__name__)
def test_a_kind_that_is_not_judged_is_refused_at_import(base: type) -> None:
    before = dict(family_of(base).kinds)

    class Forgotten(base):  # type: ignore[valid-type, misc]
        """A kind whose author forgot the method that judges it."""

        __slots__ = ()

    with pytest.raises(TypeError, match="does not implement"):
        kind("forgotten")(Forgotten)
    assert family_of(base).kinds == before


def test_a_word_names_one_kind() -> None:
    @frozen(kw_only=True, cache_hash=True)
    class Another(VolunteerRule):
        """Another kind that wants the word 'unpaid'."""

        def reading(self) -> tuple[str, Mapping[Any, Meaning]]:
            return "pay", {}

    with pytest.raises(TypeError, match="'unpaid' is taken by Unpaid"):
        kind("unpaid")(Another)
    assert family_of(VolunteerRule).kinds["unpaid"] is volunteer_work.Unpaid


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
                'status = "adopted"\n[[volunteer_work.criteria]]\nid = "x.volunteer.described"\n'
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
