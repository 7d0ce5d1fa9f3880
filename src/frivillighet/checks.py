"""Run one check of a policy from plain data: what the CLI's `check` and scenario files share.

A check's facts are a table of named inputs, in JSON or TOML form:

| check | facts |
| --- | --- |
| `volunteer-work` | `activity` |
| `council` | `council`, and optionally `registry` (a list of bodies) |
| `grant` | `application` and `on` (the day it is judged) |
| `rental` | `booking` and `tariff` |
| `agreement` | `agreement` |
| `hearing` | `hearing` |
| `checklist` | `checklist` (its id) and `review` |
| `compliance` | `as_of`, and optionally `meetings` (a list) and `since` |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from frivillighet.conversion import from_json
from frivillighet.errors import InputError
from frivillighet.model import (
    Activity,
    Agreement,
    Body,
    Booking,
    Council,
    GrantApplication,
    Hearing,
    Meeting,
    Review,
    Tariff,
    iso,
)
from frivillighet.policy import Policy
from frivillighet.rules import (
    checklists,
    council,
    grants,
    hearings,
    obligations,
    partnership,
    rental,
    volunteer_work,
)
from frivillighet.rules.obligations import Status
from frivillighet.rules.rental import Quote
from frivillighet.verdict import Verdict

__all__ = ["Check", "Result", "run"]

Result = Verdict | Quote | list[Status]
"""What a check gives: a verdict, a quote (rental), or statuses (compliance)."""


class Check(StrEnum):
    """The checks, by the words used on the command line and in scenario files."""

    VOLUNTEER_WORK = "volunteer-work"
    COUNCIL = "council"
    GRANT = "grant"
    RENTAL = "rental"
    AGREEMENT = "agreement"
    HEARING = "hearing"
    CHECKLIST = "checklist"
    COMPLIANCE = "compliance"


def run(policy: Policy, check: str, facts: Mapping[str, Any]) -> Result:
    """The result of `check` for `facts` under `policy`; bad facts are an `InputError` naming
    the key (as in `booking.start`)."""
    try:
        chosen = Check(check)
    except ValueError:
        known = ", ".join(Check)
        raise InputError(
            f"unknown check {check!r}; expected one of {known}", field="check"
        ) from None
    if not isinstance(facts, Mapping):
        raise InputError(
            f"expected a table of named facts, got {type(facts).__name__}", field="facts"
        )
    required, optional, judge = _CHECKS[chosen]
    unknown = sorted(map(str, set(facts) - set(required) - set(optional)))
    if unknown:
        expected = ", ".join((*required, *optional))
        message = f"unknown key {unknown[0]!r}; expected: {expected}"
        raise InputError(message, field=unknown[0] or "facts")
    for key in required:
        if key not in facts:
            raise InputError(f"missing; the {chosen} check needs it", field=key)
    return judge(policy, facts)


def _fact(kind: type[Any], facts: Mapping[str, Any], key: str) -> Any:
    return _read(kind, facts[key], key)


def _facts(kind: type[Any], facts: Mapping[str, Any], key: str) -> list[Any]:
    items = facts.get(key, [])
    if not isinstance(items, list):
        raise InputError(f"expected a list, got {type(items).__name__}", field=key)
    return [_read(kind, item, f"{key}[{index}]") for index, item in enumerate(items)]


def _read(kind: type[Any], value: Any, where: str) -> Any:
    """`value` as a fact of `kind`; an error names its place below `where`."""
    try:
        return from_json(kind, value)
    except InputError as error:
        inner = error.field if error.field != kind.__name__ else None
        raise InputError(error.problem, field=f"{where}.{inner}" if inner else where) from None


def _day(facts: Mapping[str, Any], key: str) -> dt.date | None:
    value = facts.get(key)
    return None if value is None else iso(dt.date, value, field=key)


def _on(facts: Mapping[str, Any], key: str) -> dt.date:
    day = _day(facts, key)
    if day is None:
        raise InputError("missing; a date YYYY-MM-DD is needed", field=key)
    return day


_CHECKS: dict[
    Check, tuple[tuple[str, ...], tuple[str, ...], Callable[[Policy, Mapping[str, Any]], Result]]
] = {
    Check.VOLUNTEER_WORK: (
        ("activity",),
        (),
        lambda p, f: volunteer_work.assess(p, _fact(Activity, f, "activity")),
    ),
    Check.COUNCIL: (
        ("council",),
        ("registry",),
        lambda p, f: council.assess(
            p,
            _fact(Council, f, "council"),
            _facts(Body, f, "registry") if "registry" in f else None,
        ),
    ),
    Check.GRANT: (
        ("application", "on"),
        (),
        lambda p, f: grants.assess(p, _fact(GrantApplication, f, "application"), on=_on(f, "on")),
    ),
    Check.RENTAL: (
        ("booking", "tariff"),
        (),
        lambda p, f: rental.quote(p, _fact(Booking, f, "booking"), _fact(Tariff, f, "tariff")),
    ),
    Check.AGREEMENT: (
        ("agreement",),
        (),
        lambda p, f: partnership.assess(p, _fact(Agreement, f, "agreement")),
    ),
    Check.HEARING: (
        ("hearing",),
        (),
        lambda p, f: hearings.assess(p, _fact(Hearing, f, "hearing")),
    ),
    Check.CHECKLIST: (
        ("checklist", "review"),
        (),
        lambda p, f: checklists.assess(p, f["checklist"], _fact(Review, f, "review")),
    ),
    Check.COMPLIANCE: (
        ("as_of",),
        ("meetings", "since"),
        lambda p, f: obligations.compliance(
            p, _facts(Meeting, f, "meetings"), _on(f, "as_of"), since=_day(f, "since")
        ),
    ),
}
