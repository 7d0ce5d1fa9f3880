"""frivillighet.testing: strategies over the whole fact space, registered for `st.from_type`."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import re
import subprocess
import sys
import typing
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet import testing
from frivillighet.rules import volunteer_work

DOCS = Path(__file__).resolve().parents[1] / "docs" / "testing.md"

STRATEGIES: dict[type[Any], Callable[[], st.SearchStrategy[Any]]] = {
    fv.Activity: testing.activities,
    fv.Organisation: testing.organisations,
    fv.Body: testing.bodies,
    fv.Member: testing.members,
    fv.Council: testing.councils,
    fv.Meeting: testing.meetings,
    fv.Premises: testing.premises,
    fv.Booking: testing.bookings,
    fv.Tariff: testing.tariffs,
    fv.GrantApplication: testing.grant_applications,
    fv.SchemeChange: testing.scheme_changes,
    fv.Agreement: testing.agreements,
    fv.Hearing: testing.hearings,
    fv.Review: testing.reviews,
}
FACTS = sorted(STRATEGIES, key=lambda kind: kind.__name__)
FIELDS = [(kind, field.name) for kind in FACTS for field in attrs.fields(kind)]


def enum_of(kind: type[Any], name: str) -> type[StrEnum] | None:
    hint = typing.get_type_hints(kind)[name]
    return next(
        (
            arg
            for arg in typing.get_args(hint)
            if isinstance(arg, type) and issubclass(arg, StrEnum)
        ),
        None,
    )


ENUM_VALUES = [
    (kind, name, member)
    for kind, name in FIELDS
    if (enum := enum_of(kind, name)) is not None
    for member in enum
]


def some(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]) -> Any:
    """An example satisfying `condition`, without shrinking it (raises `NoSuchExample` if none)."""
    return find(
        strategy,
        condition,
        settings=settings(max_examples=2000, database=None, phases=[Phase.generate]),
    )


def test_there_is_a_strategy_for_every_fact_type() -> None:
    facts = {getattr(fv, name) for name in fv.model.__all__} - {
        kind for kind in vars(fv).values() if isinstance(kind, type) and issubclass(kind, StrEnum)
    }
    assert facts == set(STRATEGIES)
    assert set(testing.__all__) == {f.__name__ for f in STRATEGIES.values()} | {
        "policies",
        "forgetting",
    }


@pytest.mark.parametrize("kind", FACTS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_every_example_is_a_valid_fact(kind: type[Any], data: st.DataObject) -> None:
    fact = data.draw(STRATEGIES[kind]())
    assert type(fact) is kind
    # Built again through the constructor, it validates and is the same fact.
    assert attrs.evolve(fact) == fact
    hash(fact)


@pytest.mark.parametrize(("kind", "name"), FIELDS, ids=lambda x: getattr(x, "__name__", x))
def test_every_field_is_sometimes_unknown_and_sometimes_known(kind: type[Any], name: str) -> None:
    some(STRATEGIES[kind](), lambda fact: getattr(fact, name) is None)
    some(STRATEGIES[kind](), lambda fact: getattr(fact, name) is not None)


@pytest.mark.parametrize(("kind", "name", "member"), ENUM_VALUES, ids=str)
def test_every_enum_member_turns_up(kind: type[Any], name: str, member: StrEnum) -> None:
    some(STRATEGIES[kind](), lambda fact: getattr(fact, name) is member)


@given(testing.bookings())
def test_a_booking_starts_before_it_ends_in_one_time_zone(booking: fv.Booking) -> None:
    start, end = booking.start, booking.end
    if start is not None and end is not None:
        assert start < end
        assert start.tzinfo is end.tzinfo
        if start.tzinfo is not None:
            assert start.astimezone(dt.UTC) < end.astimezone(dt.UTC)


def test_bookings_are_naive_or_aware_in_fixed_and_iana_zones() -> None:
    bookings = testing.bookings()
    some(bookings, lambda b: b.start is not None and b.start.tzinfo is None)
    some(bookings, lambda b: b.end is not None and isinstance(b.end.tzinfo, dt.timezone))
    some(bookings, lambda b: b.start is not None and type(b.start.tzinfo).__name__ == "ZoneInfo")
    some(bookings, lambda b: b.start is not None and b.end is None)
    some(bookings, lambda b: b.start is None and b.end is not None)


def test_tariffs_rate_every_premises_kind_and_none() -> None:
    tariffs = testing.tariffs()
    for kind in fv.PremisesKind:
        some(tariffs, lambda t, kind=kind: t.hourly is not None and kind in t.hourly)
    some(tariffs, lambda t: t.hourly is not None and not t.hourly)
    some(tariffs, lambda t: t.currency == "NOK")


@given(testing.tariffs(), testing.grant_applications())
def test_amounts_are_finite_and_at_least_zero(tariff: fv.Tariff, application: Any) -> None:
    amounts = [*(tariff.hourly or {}).values(), application.amount]
    for amount in amounts:
        if amount is not None:
            assert isinstance(amount, Decimal) and amount.is_finite() and amount >= 0


def test_amounts_include_zero_and_fractions() -> None:
    applications = testing.grant_applications()
    some(applications, lambda a: a.amount == 0)
    some(applications, lambda a: a.amount is not None and a.amount != a.amount.to_integral_value())


def test_text_includes_odd_unicode_and_the_names_policies_use() -> None:
    some(testing.activities(), lambda a: a.description is not None and not a.description.isascii())
    some(testing.activities(), lambda a: a.description == "")
    some(testing.councils(), lambda c: c.kind == "frivillighetsrad")
    some(testing.meetings(), lambda m: m.obligation == "hemnes.obligation.june_status")
    some(testing.grant_applications(), lambda a: a.scheme == "frivilligt-socialt-arbejde")
    some(testing.organisations(), lambda o: o.municipality == "Vesthimmerland")


def test_nested_facts_come_from_the_other_strategies() -> None:
    some(testing.councils(), lambda c: c.members and any(m.represents for m in c.members))
    some(testing.councils(), lambda c: c.members == ())
    some(testing.bookings(), lambda b: b.premises is not None and b.organisation is not None)
    some(testing.agreements(), lambda a: a.parties is not None and len(a.parties) > 1)


def test_policies_are_every_builtin_policy() -> None:
    for policy_id in fv.builtin_policies():
        policy = some(testing.policies(), lambda p, policy_id=policy_id: p.id == policy_id)
        assert policy == fv.load_policy(policy_id)


@pytest.mark.parametrize(("kind", "name"), FIELDS, ids=lambda x: getattr(x, "__name__", x))
def test_from_type_resolves_every_fact_type_with_its_strategy(kind: type[Any], name: str) -> None:
    # Unregistered, Hypothesis cannot resolve a fact type at all (its converters take `Any`);
    # the registered strategy reaches every field.
    fact = some(st.from_type(kind), lambda fact: getattr(fact, name) is not None)
    assert type(fact) is kind


def test_from_type_resolves_policies_to_the_builtin_ones() -> None:
    assert some(st.from_type(fv.Policy), lambda p: p.id == "lier") == fv.load_policy("lier")


def test_registering_again_is_harmless() -> None:
    testing._hypothesis_setup_hook()
    testing._hypothesis_setup_hook()
    some(st.from_type(fv.Activity), lambda a: a.pay is fv.Pay.WAGE)


def _entry_point() -> importlib.metadata.EntryPoint | None:
    points = importlib.metadata.entry_points(group="hypothesis", name="frivillighet")
    return next(iter(points), None)


ENTRY_POINT = _entry_point()


@pytest.mark.skipif(
    ENTRY_POINT is None,
    reason="frivillighet is not installed with its 'hypothesis' entry point (a source-tree run); "
    "`pip install -e .` to test st.from_type without importing frivillighet.testing",
)
def test_the_entry_point_registers_the_strategies_without_importing_testing() -> None:
    assert ENTRY_POINT is not None
    assert ENTRY_POINT.value == "frivillighet.testing:_hypothesis_setup_hook"
    code = (
        "import sys\n"
        "from hypothesis import find, settings, strategies as st\n"
        "import frivillighet\n"
        "print('frivillighet.testing' in sys.modules)\n"
        "wage = find(st.from_type(frivillighet.Activity),\n"
        "            lambda a: a.pay is frivillighet.Pay.WAGE and a.description is not None,\n"
        "            settings=settings(database=None))\n"
        "print(type(wage).__name__, wage.pay)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split("\n")[:2] == ["True", "Activity wage"]
    # Without entry points Hypothesis never imports frivillighet.testing: it was the plugin.
    quiet = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, hypothesis\nprint('frivillighet.testing' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "HYPOTHESIS_NO_PLUGINS": "1"},
    )
    assert quiet.stdout.strip() == "False"


def test_importing_testing_before_hypothesis_works() -> None:
    # Importing frivillighet.testing imports Hypothesis, which runs the installed entry point,
    # which names this module while it is only partly loaded.
    code = (
        "import frivillighet.testing\n"
        "from hypothesis import find, settings, strategies as st\n"
        "import frivillighet\n"
        "print(find(st.from_type(frivillighet.Booking), lambda b: b.end is not None,\n"
        "           settings=settings(database=None)).end is not None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


# --- The example in docs/testing.md --------------------------------------------------------------

defining_volunteer_work = testing.policies().filter(
    lambda policy: policy.volunteer_work is not None
)


@given(defining_volunteer_work, testing.activities())
def test_a_wage_never_makes_an_activity_volunteer_work(
    policy: fv.Policy, activity: fv.Activity
) -> None:
    verdict = volunteer_work.assess(policy, attrs.evolve(activity, pay=fv.Pay.WAGE))
    # NO, not merely "not YES": a failing criterion decides, whatever else is unknown.
    assert verdict.outcome is fv.Outcome.NO
    assert not verdict.holds


def test_the_documented_example_runs() -> None:
    code = re.search(r"```python\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    assert code
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOCS), "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 2
    for test in tests:
        test()
