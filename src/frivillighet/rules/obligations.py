"""Obligations: the meetings, reports, events and revisions a policy requires, and whether they
were held in time.

`schedule` lists the occurrences of every obligation whose due date lies in a date range;
`compliance` matches records of what was held (`Meeting`) against them. An occurrence's window
is the calendar year unless the policy narrows it (Hemnes: «hvert år – i junimøtet»); its due
date is the window's last day. A policy stays in force until it is replaced, so recurring
obligations go on past its plan period, unless the policy file sets `ends`.
"""

from __future__ import annotations

import abc
import bisect
import datetime as dt
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

import attrs
from attrs import frozen

from frivillighet import dates
from frivillighet.errors import InputError
from frivillighet.model import Meeting
from frivillighet.rules.common import Rule, family, in_range, kind
from frivillighet.verdict import Citation, Text

if TYPE_CHECKING:
    from frivillighet.policy import Policy

__all__ = [
    "MAX_OCCURRENCES",
    "Annual",
    "Category",
    "ElectionPeriod",
    "EveryNYears",
    "Obligation",
    "Occurrence",
    "Once",
    "PolicyStatus",
    "Recurrence",
    "State",
    "Status",
    "compliance",
    "schedule",
    "states",
    "too_many",
]


# --- Obligations and when they recur -------------------------------------------------------------


class PolicyStatus(StrEnum):
    """Whether a policy, or one obligation in it, is adopted or only proposed: the obligations
    of a proposal are not yet duties (`State.PROPOSED`)."""

    ADOPTED = "adopted"
    PROPOSED = "proposed"


class Category(StrEnum):
    """What kind of obligation it is."""

    MEETING = "meeting"
    REPORT = "report"
    EVENT = "event"
    REVISION = "revision"
    BUDGET = "budget"
    TASK = "task"


@family(key="kind")
@frozen(kw_only=True, cache_hash=True)
class Recurrence(abc.ABC):
    """When an obligation recurs: the windows in which it must be met."""

    TAG: ClassVar[str]
    recurring: ClassVar[bool] = True
    """Whether the windows repeat; the first is then the first to open after the policy's start."""

    @property
    def times(self) -> int:
        """How many distinct days in one window meet the obligation."""
        return 1

    @property
    def dated(self) -> bool:
        """Whether the source gives the dates: an undated obligation is never scheduled, and
        is shown as «no date set» (`State.UNDATED`) by `compliance` and in calendars."""
        return True

    @abc.abstractmethod
    def windows(
        self, policy: Policy, start: dt.date, end: dt.date
    ) -> Iterator[tuple[str, dates.Span]]:
        """(period label, window) of each occurrence from the one due on or after `start`, in
        order, up to the first one due after `end`."""


@kind("annual")
@frozen(kw_only=True, cache_hash=True)
class Annual(Recurrence):
    """At least `times` a year; the window is the calendar year, or one `month` or `quarter`
    (not both); due on the window's last day."""

    month: int | None = attrs.field(default=None, validator=in_range(1, 12))
    quarter: int | None = attrs.field(default=None, validator=in_range(1, 4))
    times: int = attrs.field(default=1, validator=in_range(1, 366))

    def __attrs_post_init__(self) -> None:
        if self.month is not None and self.quarter is not None:
            raise InputError("give either 'month' or 'quarter', not both", field="quarter")

    def windows(
        self, policy: Policy, start: dt.date, end: dt.date
    ) -> Iterator[tuple[str, dates.Span]]:
        for year in range(start.year, end.year + 2):
            if self.month is not None:
                yield str(year), dates.month_span(year, self.month)
            elif self.quarter is not None:
                yield str(year), dates.quarter_span(year, self.quarter)
            else:
                yield str(year), dates.year_span(year)


@kind("every_n_years")
@frozen(kw_only=True, cache_hash=True)
class EveryNYears(Recurrence):
    """Once in each calendar year `anchor + n × years`, n = 1, 2, … (the anchor year itself is
    not an occurrence). `anchor` is left out where the source does not say from which year:
    then the obligation is undated."""

    years: int = attrs.field(validator=in_range(1, 100))
    anchor: int | None = attrs.field(default=None, validator=in_range(1800, 2200))

    @property
    def dated(self) -> bool:
        return self.anchor is not None

    def windows(
        self, policy: Policy, start: dt.date, end: dt.date
    ) -> Iterator[tuple[str, dates.Span]]:
        if self.anchor is None:
            return
        step = self.years
        first = self.anchor + step * max(1, -(-(start.year - self.anchor) // step))
        for year in range(first, end.year + step + 1, step):
            yield str(year), dates.year_span(year)


@kind("election_period")
@frozen(kw_only=True, cache_hash=True)
class ElectionPeriod(Recurrence):
    """At least once in every municipal election period (valgperiode) of the policy's country,
    from the first period that begins on or after the policy's start; due on its last day."""

    def windows(
        self, policy: Policy, start: dt.date, end: dt.date
    ) -> Iterator[tuple[str, dates.Span]]:
        for term in dates.terms(policy.country, start, end, policy.constituent_meetings):
            yield f"{term.elected}-{term.elected + 4}", term


@kind("once")
@frozen(kw_only=True, cache_hash=True)
class Once(Recurrence):
    """A single deadline `due`; the window opens at `window_start`, else at the policy's start.
    `due` is left out where the source does not give (or masks) the date: never scheduled."""

    recurring: ClassVar[bool] = False
    due: dt.date | None = None
    window_start: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.due and self.window_start and self.window_start > self.due:
            raise InputError("must not be after 'due'", field="window_start")

    @property
    def dated(self) -> bool:
        return self.due is not None

    def windows(
        self, policy: Policy, start: dt.date, end: dt.date
    ) -> Iterator[tuple[str, dates.Span]]:
        if self.due is not None:
            opens = self.window_start or policy.start or self.due
            yield "once", dates.Span(start=min(opens, self.due), end=self.due)


def _policy_status(value: object) -> PolicyStatus | None:
    if value is None or isinstance(value, PolicyStatus):
        return value
    if isinstance(value, str) and value in tuple(PolicyStatus):
        return PolicyStatus(value)
    words = ", ".join(PolicyStatus)
    raise InputError(f"expected one of {words}, got {value!r}", field="status")


@frozen(kw_only=True, cache_hash=True)
class Obligation(Rule):
    """Something the policy requires to happen: a meeting, report, event, revision or task.

    `status` is the obligation's own, where its source differs from the policy's: a proposal
    may quote a decision already adopted (NN kommune, «1.2. Tidligere vedtak»). Unset, the
    policy's status applies. `met_in_source` cites where the source itself records that a
    one-off obligation was met, on a day it does not give: it is `met` without a record.
    """

    title: Text
    category: Category
    recurrence: Recurrence
    responsible: str | None = None
    convenes: str | None = None
    counterpart: str | None = None
    status: PolicyStatus | None = attrs.field(default=None, converter=_policy_status)
    met_in_source: Citation | None = None

    def __attrs_post_init__(self) -> None:
        if self.met_in_source is not None and self.recurrence.recurring:
            raise InputError(
                'only a one-off obligation (kind = "once") can be met once and for all',
                field="met_in_source",
            )


# --- Occurrences and their states ----------------------------------------------------------------


@frozen(kw_only=True, cache_hash=True)
class Occurrence:
    """One time an obligation must be met: held within `window_start`–`due`.

    `key` is stable (`<obligation id>@<period>`, such as `hemnes.obligation.june_status@2024`):
    the same occurrence always has the same key, so calendars derive their UIDs from it. An
    undated obligation has one occurrence, `<obligation id>@undated`, with no window and no due
    date. `proposed` is true when the obligation is only proposed (its `status`, or else the
    policy's, is `PolicyStatus.PROPOSED`) and it is the policy's own: a duty of the national
    layer stays a duty.
    """

    policy: str
    obligation: str
    key: str
    titles: Text
    category: Category
    window_start: dt.date | None
    due: dt.date | None
    source: Citation
    proposed: bool = False
    responsible: str | None = None
    convenes: str | None = None
    counterpart: str | None = None
    times: int = 1
    met_in_source: Citation | None = None

    @property
    def title(self) -> str:
        """The title in English; `titles.get(lang)` gives it in another language."""
        return self.titles.get("en")


class State(StrEnum):
    """Where an occurrence stands on the as-of date."""

    MET = "met"
    """A record lies inside the window (for an undated obligation: any record), or the source
    itself records that it was met (`Obligation.met_in_source`)."""
    OVERDUE = "overdue"
    """The due date has passed without a record."""
    DUE = "due"
    """The window is open and no record yet."""
    UPCOMING = "upcoming"
    """The window has not opened yet."""
    PROPOSED = "proposed"
    """Not met, and the obligation is only proposed (`Occurrence.proposed`): not a duty, so
    never overdue, due or upcoming (NN kommune: «Rådmannens forslag til vedtak»)."""
    UNDATED = "undated"
    """Not met, and the source gives no date (a `once` without `due`, an `every_n_years`
    without `anchor`): shown, never scheduled."""


@frozen(kw_only=True, cache_hash=True)
class Status:
    """An occurrence, its state on the as-of date, and the record that met it (if any)."""

    occurrence: Occurrence
    state: State
    meeting: Meeting | None = None


def schedule(policy: Policy, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every occurrence of the policy's obligations whose due date lies in `start`–`end`
    (both included, in the supported range `dates.FIRST_DAY`–`dates.LAST_DAY`), sorted by due
    date and then obligation id. More than `MAX_OCCURRENCES` is an `InputError` naming `end`."""
    dates.check_day(start, "start")
    dates.check_day(end, "end")
    if end < start:
        raise InputError(f"must not be before start ({start}), got {end}", field="end")
    return _schedule(policy, start, end, "end")


MAX_OCCURRENCES = 100_000
"""The most occurrences one schedule, compliance check or calendar gives (the five built-in
policies have under 40 a year): a longer range is refused before it fills the memory."""


def _schedule(policy: Policy, start: dt.date, end: dt.date, field: str) -> list[Occurrence]:
    found: list[Occurrence] = []
    for obligation in policy.obligations:
        for occurrence in _occurrences(policy, obligation, start, end):
            found.append(occurrence)
            if len(found) > MAX_OCCURRENCES:
                raise too_many(start, end, field)
    return sorted(found, key=_by_date)


def _by_date(occurrence: Occurrence) -> tuple[dt.date, str]:
    return (occurrence.due or dt.date.max, occurrence.obligation)


def too_many(start: dt.date, end: dt.date, field: str, limit: int = MAX_OCCURRENCES) -> InputError:
    """The error for a range from `start` to `end` that gives more than `limit` occurrences."""
    return InputError(
        f"{start} to {end} gives more than {limit} occurrences; choose a shorter range",
        field=field,
    )


def compliance(
    policy: Policy,
    meetings: Iterable[Meeting],
    as_of: dt.date,
    since: dt.date | None = None,
) -> list[Status]:
    """The state on `as_of` of every occurrence due from the policy's start (or `since`) up to
    `as_of`, and of each obligation's next occurrence after `as_of`.

    An occurrence is met when a record lies inside its window (records after `as_of` are not
    counted; several records in one window count once, or `times` distinct days where the
    policy asks for more). A record naming an obligation the policy lacks is an `InputError`.
    Undated obligations come last, one status each (`State.UNDATED`, or met by any record);
    a proposal's occurrences are never overdue (`State.PROPOSED`).
    """
    dates.check_day(as_of, "as_of")
    first = dates.check_day(since or policy.start or as_of, "since")
    found = _schedule(policy, first, as_of, "as_of") if first <= as_of else []
    horizon = dt.date(min(as_of.year + 101, dates.LAST_DAY.year), 12, 31)
    for obligation in policy.obligations if as_of < horizon else ():
        following = next(_occurrences(policy, obligation, as_of + _DAY, horizon), None)
        if following is not None:
            found.append(following)
    found.sort(key=_by_date)
    return states(policy, [*found, *undated(policy)], meetings, as_of)


def undated(policy: Policy) -> list[Occurrence]:
    """One occurrence, without a window or due date, of each obligation whose source gives no
    date: what `compliance` and calendars show as «no date set»."""
    return [
        _occurrence(policy, obligation, "undated", None, _proposed(policy, obligation))
        for obligation in policy.obligations
        if not obligation.recurrence.dated
    ]


def states(
    policy: Policy | Iterable[Policy],
    occurrences: Iterable[Occurrence],
    meetings: Iterable[Meeting],
    as_of: dt.date,
) -> list[Status]:
    """The state on `as_of` of each of `occurrences` (of `policy`), judged from `meetings` by the
    rules of `compliance`. `policy` may be several policies (a calendar of several): each record
    then names an obligation of one of them. A bad record is named by its index in `meetings`."""
    dates.check_day(as_of, "as_of")
    records = _records(policy, meetings)
    return [_status(occurrence, records, as_of) for occurrence in occurrences]


_DAY = dt.timedelta(days=1)


@frozen
class _Held:
    """An obligation's records sorted by the day held (`days`, in step with `meetings`), and
    the distinct days among them (`distinct`): a window's records are found by bisection."""

    meetings: list[Meeting]
    days: list[dt.date]
    distinct: list[dt.date]


def _records(policy: Policy | Iterable[Policy], meetings: Iterable[Meeting]) -> dict[str, _Held]:
    """The records by obligation: the one place a record is checked, once, named by its index."""
    chosen = tuple(policy) if isinstance(policy, Iterable) else (policy,)
    known = {obligation.id for one in chosen for obligation in one.obligations}
    records: dict[str, list[Meeting]] = {key: [] for key in known}
    for index, meeting in enumerate(meetings):
        where = f"meetings[{index}]"
        if not isinstance(meeting, Meeting):
            raise InputError(f"expected a Meeting, got {type(meeting).__name__}", field=where)
        if meeting.obligation not in known:
            ids = ", ".join(one.id for one in chosen)
            lacks = f"policy {ids!r} has no" if len(chosen) == 1 else f"no policy of {ids} has"
            raise InputError(
                f"{lacks} obligation {meeting.obligation!r}", field=f"{where}.obligation"
            )
        if meeting.held is None:
            raise InputError("the date it was held is unknown", field=f"{where}.held")
        records[meeting.obligation].append(meeting)
    held: dict[str, _Held] = {}
    for obligation, found in records.items():
        found.sort(key=lambda m: m.held or dt.date.min)
        days = [m.held or dt.date.min for m in found]
        held[obligation] = _Held(found, days, sorted(set(days)))
    return held


def _status(occurrence: Occurrence, records: dict[str, _Held], as_of: dt.date) -> Status:
    held = records[occurrence.obligation]
    if occurrence.due is None or occurrence.window_start is None:
        done = bisect.bisect_right(held.days, as_of)
        if done:
            return Status(occurrence=occurrence, state=State.MET, meeting=held.meetings[done - 1])
        if occurrence.met_in_source is not None:
            return Status(occurrence=occurrence, state=State.MET)
        return Status(occurrence=occurrence, state=State.UNDATED)
    first, last = occurrence.window_start, min(occurrence.due, as_of)
    days = bisect.bisect_right(held.distinct, last) - bisect.bisect_left(held.distinct, first)
    if days > 0 and days >= occurrence.times:
        meeting = held.meetings[bisect.bisect_left(held.days, first)]
        return Status(occurrence=occurrence, state=State.MET, meeting=meeting)
    if occurrence.met_in_source is not None:
        return Status(occurrence=occurrence, state=State.MET)
    if occurrence.proposed:
        state = State.PROPOSED
    elif occurrence.due < as_of:
        state = State.OVERDUE
    elif occurrence.window_start <= as_of:
        state = State.DUE
    else:
        state = State.UPCOMING
    return Status(occurrence=occurrence, state=state)


def _occurrences(
    policy: Policy, obligation: Obligation, start: dt.date, end: dt.date
) -> Iterator[Occurrence]:
    """The occurrences of `obligation` due in `start`–`end`, in order. A recurring obligation's
    first occurrence is the first whose window opens on or after the policy's start (a policy
    adopted during a year or an election period counts for that one); nothing is due after
    `ends`."""
    if policy.start and start < policy.start:
        start = policy.start
    if policy.ends and end > policy.ends:
        end = policy.ends
    recurring = obligation.recurrence.recurring
    proposed = _proposed(policy, obligation)
    for label, window in obligation.recurrence.windows(policy, start, end):
        if window.end < start or (recurring and policy.start and window.start < policy.start):
            continue
        if window.end > end:
            return
        yield _occurrence(policy, obligation, label, window, proposed)


def _proposed(policy: Policy, obligation: Obligation) -> bool:
    """Whether `obligation` is only proposed: its own status, or else the policy's, is
    `PolicyStatus.PROPOSED`, and it is the policy's own, not a duty the law gives every
    municipality (national layer)."""
    status = obligation.status or policy.status
    return status == PolicyStatus.PROPOSED and not policy.inherited(obligation)


def _occurrence(
    policy: Policy,
    obligation: Obligation,
    label: str,
    window: dates.Span | None,
    proposed: bool,
) -> Occurrence:
    return Occurrence(
        policy=policy.id,
        obligation=obligation.id,
        key=f"{obligation.id}@{label}",
        titles=obligation.title,
        category=obligation.category,
        window_start=window.start if window else None,
        due=window.end if window else None,
        source=obligation.source,
        proposed=proposed,
        responsible=obligation.responsible,
        convenes=obligation.convenes,
        counterpart=obligation.counterpart,
        times=obligation.recurrence.times,
        met_in_source=obligation.met_in_source,
    )
