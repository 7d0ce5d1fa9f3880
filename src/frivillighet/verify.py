"""Soundness, proven by enumeration, and a policy's lint: what `frivillighet verify` reports.

A verdict is sound when filling in a missing fact never turns NO into YES or YES into NO, for the
verdict and for each finding. Over the finite fact spaces (volunteer-work facts, organisation
traits, agreement kinds and flags, classes of booking days; every value and `None`) `verify`
checks every single step of refinement, one unknown field filled in at a time: refinements are
chains of such steps, so this proves soundness for every refinement of those spaces.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, cast

from attrs import frozen

from frivillighet import dates
from frivillighet.model import (
    Activity,
    Agreement,
    AgreementKind,
    Area,
    Beneficiary,
    Booking,
    Compulsion,
    GrantApplication,
    Hearing,
    Organisation,
    Organiser,
    Participation,
    Pay,
    Premises,
    PremisesKind,
    Purpose,
    Review,
    Tariff,
)
from frivillighet.policy import Policy
from frivillighet.rules import (
    checklists,
    grants,
    hearings,
    obligations,
    partnership,
    rental,
    volunteer_work,
)
from frivillighet.verdict import Outcome, Verdict

__all__ = ["Problem", "Severity", "unsound", "verify"]


def unsound(partial: Verdict, whole: Verdict) -> str | None:
    """How `whole` (the facts of `partial` with more filled in) contradicts `partial`, or `None`
    when it does not: a decided verdict or finding of `partial` must be the same in `whole`."""
    later = _by_rule(whole)
    for (rule, nth), holds in _by_rule(partial).items():
        if holds is not None and (rule, nth) in later and later[rule, nth] is not holds:
            return f"{rule}: {_word(holds)} became {_word(later[rule, nth])}"
    if partial.outcome is not Outcome.UNDETERMINED and whole.outcome is not partial.outcome:
        return f"the verdict {partial.outcome} became {whole.outcome}"
    return None


def _by_rule(verdict: Verdict) -> dict[tuple[str, int], bool | None]:
    """Each finding's result by its rule and its place among that rule's findings."""
    seen: dict[str, int] = {}
    found = {}
    for finding in verdict.findings:
        nth = seen[finding.rule] = seen.get(finding.rule, -1) + 1
        found[finding.rule, nth] = finding.holds
    return found


def _word(holds: bool | None) -> str:
    return {True: "holds", False: "fails", None: "undetermined"}[holds]


# --- Problems ----------------------------------------------------------------------------------


class Severity(StrEnum):
    """How a finding of `verify` counts: a problem fails the policy, a note is only reported."""

    PROBLEM = "problem"
    NOTE = "note"


@frozen(kw_only=True)
class Problem:
    """Something `verify` found, named by the rule id it concerns."""

    rule: str
    message: str
    severity: Severity = Severity.PROBLEM

    def __str__(self) -> str:
        note = " (note)" if self.severity is Severity.NOTE else ""
        return f"{self.rule}{note}: {self.message}"


def verify(policy: Policy) -> list[Problem]:
    """Everything `frivillighet verify` finds in `policy`: unsound verdicts over every finite fact
    space, deciding criteria that never fail or never hold, rental rules that overlap and
    disagree, obligations that never occur (problems), and undated obligations (notes)."""
    found: list[Problem] = []
    for space in _spaces(policy):
        found += _soundness(space)
    found += _rental_overlaps(policy)
    found += _obligations(policy)
    return found


# --- Finite fact spaces ------------------------------------------------------------------------


Point = tuple[object, ...]


@frozen
class _Space:
    """A finite fact space: each axis a field and its values (`None` first), the facts a point
    stands for (`None`: no such facts, as a trait of an unknown organisation), and the verdict."""

    name: str
    axes: tuple[tuple[str, tuple[object, ...]], ...]
    build: Callable[[dict[str, object]], object | None]
    judge: Callable[[object], Verdict]
    criteria: bool = True
    """Whether the findings are criteria, each of which should both hold and fail somewhere
    (a rental quote's findings say which rule priced the time instead)."""


def _soundness(space: _Space) -> Iterator[Problem]:
    """Every single step of refinement (one unknown field filled in) keeps what was decided, and
    every deciding criterion both holds and fails somewhere in the space."""
    names = [name for name, _ in space.axes]
    verdicts: dict[Point, Verdict] = {}
    for point in itertools.product(*(values for _, values in space.axes)):
        facts = space.build(dict(zip(names, point, strict=True)))
        if facts is not None:
            verdicts[point] = space.judge(facts)
    seen: dict[tuple[str, int], set[bool | None]] = {}
    broken: set[str] = set()
    for point, verdict in verdicts.items():
        for key, holds in _deciding(verdict).items():
            seen.setdefault(key, set()).add(holds)
        for index, (name, values) in enumerate(space.axes):
            if point[index] is not None:
                continue
            for value in values[1:]:
                filled = verdicts.get((*point[:index], value, *point[index + 1 :]))
                problem = None if filled is None else unsound(verdict, filled)
                if problem and problem not in broken:
                    broken.add(problem)
                    facts = ", ".join(f"{n}={v}" for n, v in zip(names, point, strict=True) if v)
                    yield Problem(
                        rule=problem.partition(":")[0] if ":" in problem else space.name,
                        message=f"unsound {space.name}: with {facts or 'nothing known'}, "
                        f"filling in {name}={value}: {problem}",
                    )
    for (rule, nth), results in seen.items() if space.criteria else ():
        where = f"criterion {nth + 1} of {rule}" if nth else rule
        if True not in results:
            yield Problem(rule=rule, message=f"{where} never holds over the {space.name} facts")
        if False not in results:
            yield Problem(rule=rule, message=f"{where} never fails over the {space.name} facts")


def _deciding(verdict: Verdict) -> dict[tuple[str, int], bool | None]:
    seen: dict[str, int] = {}
    found = {}
    for finding in verdict.findings:
        nth = seen[finding.rule] = seen.get(finding.rule, -1) + 1
        if finding.decides:
            found[finding.rule, nth] = finding.holds
    return found


def _maybe(values: Iterable[object]) -> tuple[object, ...]:
    return (None, *values)


_FLAG = _maybe((True, False))
_ELSEWHERE = "Another municipality"


def _organisation_axes(policy: Policy, prefix: str) -> tuple[tuple[str, tuple[object, ...]], ...]:
    return (
        (prefix, _maybe(("known",))),
        (f"{prefix}.non_profit", _FLAG),
        (f"{prefix}.volunteer_based", _FLAG),
        (f"{prefix}.registered", _FLAG),
        (f"{prefix}.municipality", _maybe((policy.municipality, _ELSEWHERE))),
    )


def _organisation(point: dict[str, object], prefix: str) -> Organisation | Literal[False] | None:
    """The organisation of a point; `False` where the point is not one (traits of no one)."""
    fields = {
        k.removeprefix(f"{prefix}."): v for k, v in point.items() if k.startswith(f"{prefix}.")
    }
    if point[prefix] is None:
        return False if any(v is not None for v in fields.values()) else None
    return Organisation(**cast(Any, fields))


def _spaces(policy: Policy) -> Iterator[_Space]:
    if policy.volunteer_work is not None:
        yield _Space(
            name="volunteer-work",
            axes=tuple(
                (name, _maybe(kind))
                for name, kind in (
                    ("pay", Pay),
                    ("beneficiary", Beneficiary),
                    ("organised_by", Organiser),
                    ("participation", Participation),
                    ("compulsion", Compulsion),
                    ("area", Area),
                )
            ),
            build=lambda point: Activity(**cast(Any, point)),
            judge=lambda facts: volunteer_work.assess(policy, cast(Activity, facts)),
        )
    for scheme in policy.grants.schemes if policy.grants else ():
        yield _grant_space(policy, scheme.id)
    if policy.rental is not None:
        yield _rental_space(policy)
    if policy.partnership is not None:
        yield _agreement_space(policy)
    if policy.hearings is not None:
        yield _hearing_space(policy)
    for checklist in policy.checklists:
        yield _checklist_space(policy, checklist.id, tuple(item.id for item in checklist.items))


def _checklist_space(policy: Policy, checklist: str, items: tuple[str, ...]) -> _Space:
    """Reviews of one checklist, each item unknown, present or absent."""

    def build(point: dict[str, object]) -> Review:
        found = {item: point[item] for item in items}
        return Review(
            present=tuple(item for item, value in found.items() if value is True),
            absent=tuple(item for item, value in found.items() if value is False),
        )

    return _Space(
        name=f"checklist {checklist}",
        axes=tuple((item, _FLAG) for item in items),
        build=build,
        judge=lambda facts: checklists.assess(policy, checklist, cast(Review, facts)),
    )


def _hearing_space(policy: Policy) -> _Space:
    """Hearings in a planning process or not, sent to no one, to someone else, or to each
    council of the policy by its name."""
    names = tuple((council.name.get(policy.language),) for council in policy.councils)
    return _Space(
        name="hearing",
        axes=(
            ("planning", _FLAG),
            ("consultees", _maybe(((), ("Statens vegvesen",), *names))),
        ),
        build=lambda point: Hearing(**cast(Any, point)),
        judge=lambda facts: hearings.assess(policy, cast(Hearing, facts)),
    )


_ON = dt.date(2026, 6, 1)


def _grant_space(policy: Policy, scheme: str) -> _Space:
    def build(point: dict[str, object]) -> GrantApplication | None:
        applicant = _organisation(point, "applicant")
        if applicant is False:
            return None
        rest = {k: v for k, v in point.items() if not k.startswith("applicant")}
        return GrantApplication(applicant=applicant, scheme=scheme, **cast(Any, rest))

    return _Space(
        name=f"grant {scheme}",
        axes=(
            *_organisation_axes(policy, "applicant"),
            ("area", _maybe(Area)),
            ("amount", _maybe((Decimal(1000), Decimal(10) ** 9))),
            ("submitted", _maybe((dt.date(2026, 1, 2), dt.date(2026, 12, 30)))),
        ),
        build=build,
        judge=lambda facts: grants.assess(policy, cast(GrantApplication, facts), _ON),
    )


_TARIFF = Tariff(currency="NOK", hourly=dict.fromkeys(PremisesKind, Decimal(100)))


def _booking_days(policy: Policy) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """Bookings on a working day, a Saturday and a public holiday, in the morning, the afternoon
    and the late evening, and one across the rules' hours."""
    days = [dt.date(2026, 9, 14), dt.date(2026, 9, 19)]
    days.append(
        next(
            d
            for d in map(dt.date.fromordinal, range(days[0].toordinal(), 800000))
            if d.weekday() < 5 and dates.is_holiday(policy.country, d)
        )
    )
    spans = [(8, 10), (16, 18), (21, 23), (12, 22)]
    return tuple(
        (dt.datetime.combine(day, dt.time(start)), dt.datetime.combine(day, dt.time(end)))
        for day in days
        for start, end in spans
    )


def _rental_space(policy: Policy) -> _Space:
    def build(point: dict[str, object]) -> Booking | None:
        organisation = _organisation(point, "organisation")
        if organisation is False:
            return None
        span = cast(tuple[dt.datetime, dt.datetime] | None, point["time"])
        kind = point["premises.kind"]
        return Booking(
            premises=Premises(kind=cast(Any, kind)),
            organisation=organisation,
            purpose=cast(Any, point["purpose"]),
            start=span[0] if span else None,
            end=span[1] if span else None,
        )

    return _Space(
        name="rental",
        axes=(
            *_organisation_axes(policy, "organisation"),
            ("premises.kind", _maybe(PremisesKind)),
            ("purpose", _maybe(Purpose)),
            ("time", _maybe(_booking_days(policy))),
        ),
        build=build,
        judge=lambda facts: rental.quote(policy, cast(Booking, facts), _TARIFF).verdict,
        criteria=False,
    )


_TEXTS = _maybe(("", "Skrevet ut."))


def _agreement_space(policy: Policy) -> _Space:
    """Agreements with no, one or two parties, open-ended or not, and the texts of two sections
    of their own (purpose, routines) and of section 6 (revision, termination). The duties are
    written out: a text section is judged as any other, so two such sections stand for all."""

    def build(point: dict[str, object]) -> Agreement | None:
        if point["open_ended"] and point["ends"] is not None:
            return None
        return Agreement(
            municipality_duties="Skrevet ut.", volunteer_duties="Skrevet ut.", **cast(Any, point)
        )

    return _Space(
        name="agreement",
        axes=(
            ("kind", _maybe(AgreementKind)),
            ("replaces_public_service", _FLAG),
            ("parties", _maybe(((), ("Lier Røde Kors",), ("Lier kommune", "Lier Røde Kors")))),
            *((name, _TEXTS) for name in ("purpose", "routines", "revision", "termination")),
            ("starts", _maybe((dt.date(2026, 1, 1),))),
            ("ends", _maybe((dt.date(2025, 12, 31), dt.date(2027, 12, 31)))),
            ("open_ended", _FLAG),
        ),
        build=build,
        judge=lambda facts: partnership.assess(policy, cast(Agreement, facts)),
    )


# --- Lint --------------------------------------------------------------------------------------


def _rental_overlaps(policy: Policy) -> Iterator[Problem]:
    """Rental rules that can cover the same time of the same booking at different prices: the
    earlier one wins, so the later one is partly dead. A tariff rule after others is the
    documented fallback («the rest at the list price») and is not reported."""
    rules = policy.rental.rules if policy.rental else ()
    for later_index, later in enumerate(rules):
        if isinstance(later, rental.AtTariff):
            continue
        for earlier in rules[:later_index]:
            if earlier.share() != later.share() and _overlap(earlier, later):
                yield Problem(
                    rule=later.id,
                    message=f"overlaps {earlier.id} at another price; {earlier.id} applies first",
                )


def _overlap(one: rental.RentalRule, other: rental.RentalRule) -> bool:
    purposes = not one.purposes or not other.purposes or set(one.purposes) & set(other.purposes)
    days = rental.Days.ANY in (one.days, other.days) or one.days is other.days
    hours = (
        one.hours is None
        or other.hours is None
        or (one.hours.start < other.hours.end and other.hours.start < one.hours.end)
    )
    return bool(set(one.premises) & set(other.premises) and purposes and days and hours)


def _obligations(policy: Policy) -> Iterator[Problem]:
    """Obligations without a date (notes) and dated ones with no occurrence in the policy's life
    within the supported range of dates (problems)."""
    first = max(policy.start or dates.FIRST_DAY, dates.FIRST_DAY)
    last = min(policy.ends or dates.LAST_DAY, dates.LAST_DAY)
    occurring = {o.obligation for o in obligations.schedule(policy, first, last)}
    for obligation in policy.obligations:
        recurrence = obligation.recurrence
        if not recurrence.dated:
            yield Problem(
                rule=obligation.id,
                message="undated: the source gives no date, so it is never scheduled",
                severity=Severity.NOTE,
            )
        elif obligation.id not in occurring:
            yield Problem(rule=obligation.id, message=f"never occurs from {first} to {last}")
