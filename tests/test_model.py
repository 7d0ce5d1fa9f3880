"""Facts validate at construction: wrong values name the field; enums accept their strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

import frivillighet as fv


def test_enum_fields_accept_their_string_value() -> None:
    assert fv.Activity(pay="wage") == fv.Activity(pay=fv.Pay.WAGE)
    assert fv.Activity(pay="wage").pay is fv.Pay.WAGE


def test_every_field_defaults_to_unknown() -> None:
    activity = fv.Activity()
    assert all(getattr(activity, a.name) is None for a in attrs.fields(fv.Activity))


def test_facts_are_frozen_and_hashable() -> None:
    activity = fv.Activity(pay="none")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        activity.pay = fv.Pay.WAGE  # type: ignore[misc]
    assert hash(activity) == hash(fv.Activity(pay="none"))


@pytest.mark.parametrize(
    ("make", "field", "words"),
    [
        (
            lambda: fv.Activity(pay="salary"),
            "Activity.pay",
            "one of none, expenses, honorarium, wage",
        ),
        (lambda: fv.Activity(description=3), "Activity.description", "a string"),
        (lambda: fv.Organisation(non_profit="yes"), "Organisation.non_profit", "true or false"),
        (lambda: fv.Organisation(non_profit=1), "Organisation.non_profit", "true or false"),
        (lambda: fv.Meeting(held=dt.datetime(2024, 6, 1, 10)), "Meeting.held", "a date"),
        (lambda: fv.Meeting(held="2024-06-31"), "Meeting.held", "a date (YYYY-MM-DD)"),
        (lambda: fv.Member(represents="bygdeutvalg"), "Member.represents", "a Body"),
        (lambda: fv.Council(members=[fv.Member(), "x"]), "Council.members[1]", "a Member"),
        (lambda: fv.Council(members="abc"), "Council.members", "sequence of Member"),
        (lambda: fv.GrantApplication(amount=1.5), "GrantApplication.amount", "an amount"),
        (lambda: fv.GrantApplication(amount="-1"), "GrantApplication.amount", "amount from 0 to"),
        (lambda: fv.GrantApplication(amount="NaN"), "GrantApplication.amount", "amount from 0 to"),
        (lambda: fv.Tariff(hourly={"gym": 1}), "Tariff.hourly['gym']", "a premises kind"),
        (lambda: fv.Tariff(hourly={"school": -5}), "Tariff.hourly['school']", "amount from 0 to"),
        (lambda: fv.Booking(start="10:00"), "Booking.start", "a date and time"),
        (lambda: fv.Agreement(parties=["Lier kommune", 3]), "Agreement.parties[1]", "a string"),
        (lambda: fv.Agreement(kind="contract"), "Agreement.kind", "partnership, service_contract"),
    ],
)
def test_a_wrong_value_is_an_input_error_naming_the_field(make, field: str, words: str) -> None:
    with pytest.raises(fv.InputError) as raised:
        make()
    assert raised.value.field == field
    assert words in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_booking_must_end_after_it_starts() -> None:
    start = dt.datetime(2024, 3, 4, 18)
    with pytest.raises(fv.InputError, match=r"Booking\.end: must be after start"):
        fv.Booking(start=start, end=start)


def test_a_booking_cannot_mix_naive_and_aware_times() -> None:
    with pytest.raises(fv.InputError, match="both be naive or both be aware"):
        fv.Booking(
            start=dt.datetime(2024, 3, 4, 18),
            end=dt.datetime(2024, 3, 4, 20, tzinfo=dt.UTC),
        )


def test_sequences_and_mappings_are_stored_immutably() -> None:
    council = fv.Council(members=[fv.Member(name="Kari")])
    assert council.members == (fv.Member(name="Kari"),)
    tariff = fv.Tariff(currency="NOK", hourly={"school": "150.50"})
    assert tariff.hourly == {fv.PremisesKind.SCHOOL: Decimal("150.50")}
    with pytest.raises(TypeError):
        tariff.hourly[fv.PremisesKind.SCHOOL] = Decimal(0)  # type: ignore[index]
