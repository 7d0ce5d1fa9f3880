r"""Obligation schedules as RFC 5545 calendars, built with `icalendar`.

Each occurrence becomes one all-day `VEVENT` on its due date (or a `VTODO` due that day), with
a stable `UID` derived from the policy id and the occurrence key, the window, who is
responsible, and the citation in its description. An obligation whose source gives no date is a
`VTODO` without a due date, in every calendar of its policy. The events of a proposal
(`PolicyStatus.PROPOSED`) are `STATUS:TENTATIVE` (RFC 5545 § 3.8.1.11 allows it on events
only), and every summary of a proposal says «Forslag:» / «Proposal:». Given meeting records and
an as-of date, each component shows its compliance state in its summary, `STATUS` and
`CATEGORIES`, and `SEQUENCE` and `LAST-MODIFIED` say when that state began, so a client that
fetches the feed again updates what changed. Line folding and CRLF are icalendar's; text is
escaped here (`_Text`), because icalendar reads a literal `\N` in a text as a line break. Names
and summaries are put on one line, and a carriage return in a description becomes a line feed
(RFC 5545 text knows only `\n`). The same inputs and `generated` stamp give the same bytes,
whatever the order in which the policies are given.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence

import icalendar
from icalendar.enums import STATUS, TRANSP

from frivillighet import dates
from frivillighet.errors import InputError
from frivillighet.model import Meeting
from frivillighet.policy import Policy
from frivillighet.rules import obligations
from frivillighet.rules.obligations import Category, Occurrence, State, Status
from frivillighet.verdict import Language, Text

__all__ = ["MAX_ALARM", "MAX_EVENTS", "REFRESH", "build", "to_ics", "to_jcal", "uid_of"]

_DAY = dt.timedelta(days=1)
_NAMESPACE = uuid.UUID("9b1d7a4e-5c1f-4f0e-9a57-6c2f0e1d3b11")
_REMINDER_HOUR = dt.timedelta(hours=9)
REFRESH = dt.timedelta(days=1)
"""How often subscribers are asked to fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL)."""
MAX_ALARM = 3660
"""The most days before a due date a reminder may come (about ten years)."""
MAX_EVENTS = 10_000
"""The most events (or to-dos) one calendar holds: each costs icalendar about 12 kB of memory,
and the five built-in policies together have under 1 600 from 1900 to 2199."""


def uid_of(occurrence: Occurrence) -> str:
    """The stable UID of an occurrence: the same occurrence always gets the same one."""
    obligation, _, period = occurrence.key.partition("@")
    return f"{obligation}.{period}@{occurrence.policy}.frivillighet"


def build(
    policies: Policy | Sequence[Policy],
    start: dt.date,
    end: dt.date,
    *,
    lang: str | None = None,
    generated: dt.datetime | None = None,
    meetings: Iterable[Meeting] = (),
    as_of: dt.date | None = None,
    todos: bool = False,
    alarm: int | None = None,
) -> icalendar.Calendar:
    """A calendar of every obligation of `policies` due from `start` to `end`.

    `lang` (`nb`, `da` or `en`) defaults to the first policy's language; `generated` is the
    DTSTAMP (default: now, UTC). With `as_of`, each occurrence shows its state judged from
    `meetings`. `todos=True` writes `VTODO`s instead of events; `alarm=N` adds a reminder N days
    before the due date (0 to `MAX_ALARM`), moved back to a working day, and never before
    `dates.FIRST_DAY`. Dates lie in the supported range (`dates.FIRST_DAY`–`dates.LAST_DAY`),
    and the whole calendar holds at most `MAX_EVENTS` occurrences.
    """
    given = _policies(policies)
    chosen = tuple(sorted(given, key=lambda policy: policy.id))
    language = Language.parse(lang or given[0].language)
    stamp = _stamp(generated)
    if alarm is not None and (
        isinstance(alarm, bool) or not isinstance(alarm, int) or not 0 <= alarm <= MAX_ALARM
    ):
        raise InputError(
            f"expected a number of days from 0 to {MAX_ALARM}, got {alarm!r}", field="alarm"
        )
    found = _occurrences(chosen, start, end, tuple(meetings), as_of)
    found.sort(key=lambda item: (item[1].due or dt.date.max, item[0].id, item[1].key))
    components = [
        _component(policy, occurrence, status, language, stamp, todos, alarm)
        for policy, occurrence, status in found
    ]
    names = ", ".join(_line(policy.municipality) for policy in chosen)
    calendar = icalendar.Calendar.new(
        prodid=f"-//frivillighet//frivillighet//{language.upper()}",
        method="PUBLISH",
        calscale="GREGORIAN",
        uid=uuid.uuid5(_NAMESPACE, "/".join(policy.id for policy in chosen)),
        subcomponents=components,
    )
    name = _Text(_CALENDAR_NAME.format(names).get(language))
    description = _Text(_CALENDAR_DESCRIPTION.format(names, start, end).get(language))
    for key, value in (
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("DESCRIPTION", description),
        ("X-WR-CALDESC", description),
    ):
        calendar[key] = value
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
    calendar.add_missing_timezones()
    if calendar.timezones:
        calendar.add("X-WR-TIMEZONE", chosen[0].timezone)
    return calendar


def to_ics(
    policies: Policy | Sequence[Policy], start: dt.date, end: dt.date, **options: object
) -> bytes:
    """`build(...)` as RFC 5545 bytes (UTF-8, CRLF, folded lines); the options are `build`'s."""
    calendar: icalendar.Calendar = build(policies, start, end, **options)  # type: ignore[arg-type]
    return bytes(calendar.to_ical())


def to_jcal(
    policies: Policy | Sequence[Policy], start: dt.date, end: dt.date, **options: object
) -> str:
    """`build(...)` as jCal (RFC 7265) JSON text, for web apps; the options are `build`'s."""
    calendar: icalendar.Calendar = build(policies, start, end, **options)  # type: ignore[arg-type]
    return json.dumps(calendar.to_jcal(), ensure_ascii=False)


def _policies(policies: Policy | Sequence[Policy]) -> tuple[Policy, ...]:
    chosen = (policies,) if isinstance(policies, Policy) else tuple(policies)
    if not chosen or not all(isinstance(policy, Policy) for policy in chosen):
        raise InputError("expected one or more policies", field="policies")
    ids = [policy.id for policy in chosen]
    if len(set(ids)) != len(ids):
        raise InputError(f"a policy is given twice: {', '.join(ids)}", field="policies")
    return chosen


def _stamp(generated: dt.datetime | None) -> dt.datetime:
    if generated is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    if not isinstance(generated, dt.datetime) or generated.utcoffset() is None:
        raise InputError(
            f"expected a time-zone-aware datetime, got {generated!r}", field="generated"
        )
    if not dates.supported(generated):
        raise InputError(
            f"expected a date and time from {dates.SUPPORTED}, got {generated.isoformat()}",
            field="generated",
        )
    return generated.astimezone(dt.UTC)


def _occurrences(
    chosen: tuple[Policy, ...],
    start: dt.date,
    end: dt.date,
    meetings: tuple[Meeting, ...],
    as_of: dt.date | None,
) -> list[tuple[Policy, Occurrence, Status | None]]:
    """Every occurrence due from `start` to `end`, with its state on `as_of` if one is given.
    The records are judged against all the policies at once, so a bad one is named by its
    index in `meetings`."""
    if meetings and as_of is None:
        raise InputError("meeting records need the as-of date to judge them by", field="as_of")
    found: list[tuple[Policy, Occurrence]] = []
    for policy in chosen:
        found.extend(
            (policy, occurrence) for occurrence in obligations.schedule(policy, start, end)
        )
        found.extend((policy, occurrence) for occurrence in obligations.undated(policy))
        if len(found) > MAX_EVENTS:
            raise obligations.too_many(start, end, "end", MAX_EVENTS)
    if as_of is None:
        return [(policy, occurrence, None) for policy, occurrence in found]
    judged = obligations.states(chosen, [occurrence for _, occurrence in found], meetings, as_of)
    return [(policy, s.occurrence, s) for (policy, _), s in zip(found, judged, strict=True)]


def _component(
    policy: Policy,
    occurrence: Occurrence,
    status: Status | None,
    lang: Language,
    stamp: dt.datetime,
    todos: bool,
    alarm: int | None,
) -> icalendar.Event | icalendar.Todo:
    state = status.state if status else None
    prefixes = [_STATES[state].get(lang)] if state and state is not State.PROPOSED else []
    if occurrence.proposed:
        prefixes.append(_PROPOSAL.get(lang))
    title = f"{_line(occurrence.titles.get(lang))} ({_line(policy.municipality)})"
    summary = ": ".join([*prefixes, title])
    categories = [_line(policy.municipality), _CATEGORIES[occurrence.category].get(lang)]
    if state:
        categories.append(_STATES[state].get(lang))
    common = {"uid": uid_of(occurrence), "stamp": stamp}
    component: icalendar.Event | icalendar.Todo
    due = occurrence.due
    if todos or due is None:
        done = state is State.MET
        opens = occurrence.window_start
        component = icalendar.Todo.new(
            start=opens if opens and (due is None or opens < due) else None,
            end=due,
            status=STATUS.COMPLETED if done else STATUS.NEEDS_ACTION,
            **common,  # type: ignore[arg-type]
        )
    else:
        event_status = _EVENT_STATUS.get(state, STATUS.TENTATIVE) if state else None
        component = icalendar.Event.new(
            start=due,
            end=due + _DAY,
            transparency=TRANSP.TRANSPARENT,
            status=STATUS.TENTATIVE if occurrence.proposed else event_status,
            **common,  # type: ignore[arg-type]
        )
    component["SUMMARY"] = _Text(summary)
    component["DESCRIPTION"] = _Text(_description(occurrence, status, lang))
    component["CATEGORIES"] = _Categories(categories)
    sequence, since = _revision(policy, occurrence, status)
    component.add("SEQUENCE", sequence)
    if since is not None:
        component.add("LAST-MODIFIED", dt.datetime.combine(since, dt.time(), dt.UTC))
    if alarm is not None and due is not None:
        todo = isinstance(component, icalendar.Todo)
        component.add_component(_reminder(policy, occurrence, due, lang, alarm, from_due=todo))
    return component


def _revision(
    policy: Policy, occurrence: Occurrence, status: Status | None
) -> tuple[int, dt.date | None]:
    """`SEQUENCE` and the day of `LAST-MODIFIED`: how far the occurrence has gone in its life
    (upcoming, proposed or undated 0, due 1, overdue 2, met 3) and the day it got there (the
    policy's start, the window's start, the day after the due date, the day it was held). Both
    depend only on the state, so fetching the feed again changes them only when the state
    changes; an edit to the policy's text does not."""
    state = status.state if status else None
    opens, due = occurrence.window_start, occurrence.due
    if state is State.DUE:
        return 1, opens
    if state is State.OVERDUE and due is not None:
        return 2, due + _DAY
    if state is State.MET and status is not None:
        return 3, status.meeting.held if status.meeting else policy.start
    return 0, policy.start


def _reminder(
    policy: Policy,
    occurrence: Occurrence,
    due: dt.date,
    lang: Language,
    days: int,
    *,
    from_due: bool,
) -> icalendar.Alarm:
    """A reminder `days` before the due date at 09:00, moved back to a working day. A to-do's
    reminder counts from its `DUE` (`RELATED=END`): counted from its start, as RFC 5545 does by
    default, it would come up to a whole window early."""
    day = max(due - dt.timedelta(days=days), dates.FIRST_DAY)
    day = dates.previous_working_day(policy.country, day)
    reminder = icalendar.Alarm.new_display(
        description=_line(_REMINDER.get(lang).format(occurrence.titles.get(lang), due)),
        trigger=(day - due) + _REMINDER_HOUR,
        uid=f"{uid_of(occurrence)}.alarm",
    )
    reminder["DESCRIPTION"] = _Text(str(reminder["DESCRIPTION"]))
    if from_due:
        reminder["TRIGGER"].params["RELATED"] = "END"
    return reminder


def _description(occurrence: Occurrence, status: Status | None, lang: Language) -> str:
    when = (
        _DUE.get(lang).format(occurrence.due, occurrence.window_start)
        if occurrence.due
        else _NO_DATE.get(lang)
    )
    lines = [
        when,
        *(
            label.get(lang).format(value)
            for label, value in (
                (_RESPONSIBLE, occurrence.responsible),
                (_CONVENES, occurrence.convenes),
                (_COUNTERPART, occurrence.counterpart),
            )
            if value
        ),
    ]
    if status:
        held = f" ({status.meeting.held})" if status.meeting else ""
        lines.append(f"{_STATE_WORD.get(lang)}: {_STATES[status.state].get(lang)}{held}")
        if status.state is State.MET and not status.meeting and occurrence.met_in_source:
            lines.append(f"{_MET_IN_SOURCE.get(lang)}: {occurrence.met_in_source}")
    lines.append(f"{_SOURCE.get(lang)}: {occurrence.source}")
    lines.append(f"{_RULE.get(lang)}: {occurrence.obligation}")
    return "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n")


class _Text(icalendar.vText):
    r"""RFC 5545 § 3.3.11 text, escaped as the RFC says: icalendar first turns a literal `\N`
    into a line break, so a backslash the text really has would change its meaning."""

    def to_ical(self) -> bytes:
        return _escaped(str(self)).encode("utf-8")


class _Categories(icalendar.vCategory):
    """`CATEGORIES` whose items are escaped as `_Text` is."""

    def to_ical(self) -> bytes:
        return b",".join(_escaped(str(item)).encode() for item in self.cats)


def _escaped(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def _line(text: str) -> str:
    """`text` on one line: names and summaries never carry line breaks into a client's list."""
    return " ".join(text.splitlines())


_EVENT_STATUS = {State.MET: STATUS.CONFIRMED}
"""A met occurrence is CONFIRMED; an open or late one TENTATIVE; without as-of, no STATUS."""
_CALENDAR_NAME = Text(
    en="Volunteering policy: {0}", nb="Frivillighetspolitikk: {0}", da="Frivilligpolitik: {0}"
)
_CALENDAR_DESCRIPTION = Text(
    en="What the volunteering policy of {0} requires, {1} to {2}.",
    nb="Det frivillighetspolitikken i {0} krever, {1} til {2}.",
    da="Det, frivilligpolitikken i {0} kræver, {1} til {2}.",
)
_STATES = {
    State.MET: Text(en="Met", nb="Oppfylt", da="Opfyldt"),
    State.OVERDUE: Text(en="OVERDUE", nb="FORSINKET", da="FORSINKET"),
    State.DUE: Text(en="Due", nb="Til behandling", da="Aktuel"),
    State.UPCOMING: Text(en="Upcoming", nb="Kommende", da="Kommende"),
    State.PROPOSED: Text(
        en="Proposed, not adopted", nb="Foreslått, ikke vedtatt", da="Foreslået, ikke vedtaget"
    ),
    State.UNDATED: Text(en="No date set", nb="Ingen dato fastsatt", da="Ingen dato fastsat"),
}
_PROPOSAL = Text(en="Proposal", nb="Forslag", da="Forslag")
_NO_DATE = Text(
    en="No date set: the source gives none",
    nb="Ingen dato fastsatt: kilden oppgir ingen",
    da="Ingen dato fastsat: kilden angiver ingen",
)
_CATEGORIES = {
    Category.MEETING: Text(en="Meeting", nb="Møte", da="Møde"),
    Category.REPORT: Text(en="Report", nb="Rapport", da="Rapport"),
    Category.EVENT: Text(en="Event", nb="Arrangement", da="Arrangement"),
    Category.REVISION: Text(en="Revision", nb="Revisjon", da="Revision"),
    Category.BUDGET: Text(en="Budget", nb="Budsjett", da="Budget"),
    Category.TASK: Text(en="Task", nb="Oppgave", da="Opgave"),
}
_DUE = Text(
    en="Due {0} (window {1} to {0})",
    nb="Frist {0} (vindu {1} til {0})",
    da="Frist {0} (vindue {1} til {0})",
)
_RESPONSIBLE = Text(en="Responsible: {0}", nb="Ansvarlig: {0}", da="Ansvarlig: {0}")
_CONVENES = Text(en="Convenes: {0}", nb="Innkaller: {0}", da="Indkalder: {0}")
_COUNTERPART = Text(en="With: {0}", nb="Med: {0}", da="Med: {0}")
_STATE_WORD = Text(en="State", nb="Status", da="Status")
_SOURCE = Text(en="Source", nb="Kilde", da="Kilde")
_MET_IN_SOURCE = Text(
    en="Met according to the source, on a day it does not give",
    nb="Oppfylt ifølge kilden, på en dag den ikke oppgir",
    da="Opfyldt ifølge kilden, på en dag den ikke angiver",
)
_RULE = Text(en="Rule", nb="Regel", da="Regel")
_REMINDER = Text(
    en="Reminder: {0} is due {1}",
    nb="Påminnelse: {0} har frist {1}",
    da="Påmindelse: {0} har frist {1}",
)
