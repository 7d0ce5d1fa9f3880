"""iCalendar feeds, checked by independent parsers and a real CalDAV server (Radicale)."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import attrs
import icalendar
import ics
import pytest
import recurring_ical_events
import vobject
from hypothesis import given
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

import frivillighet as fv
from frivillighet import calendar, dates
from frivillighet.rules.obligations import schedule

D = dt.date
STAMP = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
POLICIES = [fv.load_policy(policy_id) for policy_id in fv.builtin_policies()]
START, END = D(2020, 1, 1), D(2029, 12, 31)


def events(data: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_independent_parsers_agree_with_the_schedule(policy: fv.Policy) -> None:
    expected = {calendar.uid_of(o) for o in schedule(policy, START, END)}
    data = calendar.to_ics(policy, START, END, generated=STAMP)
    assert {str(e["UID"]) for e in events(data)} == expected
    parsed = vobject.readOne(data.decode("utf-8"))
    assert {e.uid.value for e in parsed.vevent_list} == expected if expected else True
    assert {e.uid for e in ics.Calendar(data.decode("utf-8")).events} == expected
    between = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(
        START, END + dt.timedelta(days=1)
    )
    assert {str(e["UID"]) for e in between} == expected


def test_each_occurrence_is_an_all_day_transparent_event_with_its_source() -> None:
    hemnes = fv.load_policy("hemnes")
    (june, *_) = events(
        calendar.to_ics(hemnes, D(2024, 6, 1), D(2024, 6, 30), generated=STAMP, lang="en")
    )
    assert june["DTSTART"].params["VALUE"] == "DATE"
    assert june.decoded("DTSTART") == D(2024, 6, 30)
    assert june.decoded("DTEND") == D(2024, 7, 1)
    assert june["TRANSP"] == "TRANSPARENT"
    assert str(june["UID"]) == "hemnes.obligation.june_status.2024@hemnes.frivillighet"
    assert str(june["SUMMARY"]).startswith("Municipal council reviews the state of volunteering")
    assert str(june["SUMMARY"]).endswith("adopts a new action plan (Hemnes)")
    description = str(june["DESCRIPTION"])
    assert "Due 2024-06-30 (window 2024-06-01 to 2024-06-30)" in description
    assert "Responsible: kommunestyret" in description
    assert "«Kommunestyret skal hvert år – i junimøtet – behandle status" in description
    assert june.decoded("DTSTAMP") == STAMP
    assert [str(c) for c in june["CATEGORIES"].cats] == ["Hemnes", "Meeting"]


def test_calendar_level_properties_for_publishing() -> None:
    feed = icalendar.Calendar.from_ical(
        calendar.to_ics([POLICIES[0], POLICIES[1]], START, END, generated=STAMP)
    )
    for name in (
        "VERSION",
        "PRODID",
        "CALSCALE",
        "METHOD",
        "NAME",
        "X-WR-CALNAME",
        "DESCRIPTION",
        "X-WR-CALDESC",
        "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL",
        "UID",
    ):
        assert name in feed, name
    assert (str(feed["METHOD"]), str(feed["CALSCALE"])) == ("PUBLISH", "GREGORIAN")
    parsed = vobject.readOne(
        calendar.to_ics([POLICIES[0], POLICIES[1]], START, END, generated=STAMP).decode()
    )
    assert parsed.x_wr_calname.value == "Frivillighetspolitikk: Hemnes, Lier"
    assert str(feed["X-PUBLISHED-TTL"]) == "P1D"
    assert not list(feed.walk("VTIMEZONE")) and "X-WR-TIMEZONE" not in feed  # no timed components


def test_the_same_inputs_give_the_same_bytes_and_stable_uids() -> None:
    first = calendar.to_ics(POLICIES, START, END, generated=STAMP)
    assert calendar.to_ics(POLICIES, START, END, generated=STAMP) == first
    later = calendar.to_ics(POLICIES, START, END, generated=STAMP + dt.timedelta(days=30))
    assert [e["UID"] for e in events(later)] == [e["UID"] for e in events(first)]
    assert b"\r\n" in first and all(len(line) <= 75 for line in first.split(b"\r\n"))


def test_compliance_states_show_in_summary_status_and_categories() -> None:
    meetings = [fv.Meeting(obligation="hemnes.obligation.june_status", held=D(2024, 6, 18))]
    found = events(
        calendar.to_ics(
            fv.load_policy("hemnes"),
            D(2024, 1, 1),
            D(2024, 12, 31),
            generated=STAMP,
            meetings=meetings,
            as_of=D(2025, 1, 15),
            lang="en",
        )
    )
    by_uid = {str(e["UID"]).split("@")[0]: e for e in found}
    june = by_uid["hemnes.obligation.june_status.2024"]
    assert str(june["SUMMARY"]).startswith("Met: ") and june["STATUS"] == "CONFIRMED"
    assert "State: Met (2024-06-18)" in str(june["DESCRIPTION"])
    late = by_uid["hemnes.obligation.council_dialogue.2024"]
    assert str(late["SUMMARY"]).startswith("OVERDUE: ") and late["STATUS"] == "TENTATIVE"
    assert "OVERDUE" in [str(c) for c in late["CATEGORIES"].cats]


def test_todos_are_due_and_completed_when_met() -> None:
    meetings = [fv.Meeting(obligation="lier.obligation.annual_dialogue", held=D(2024, 3, 1))]
    data = calendar.to_ics(
        fv.load_policy("lier"),
        D(2024, 1, 1),
        D(2025, 12, 31),
        generated=STAMP,
        meetings=meetings,
        as_of=D(2025, 2, 1),
        todos=True,
    )
    todos = list(icalendar.Calendar.from_ical(data).walk("VTODO"))
    assert [(t.decoded("DUE"), str(t["STATUS"])) for t in todos] == [
        (D(2024, 12, 31), "COMPLETED"),
        (D(2025, 12, 31), "NEEDS-ACTION"),
    ]
    assert not list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_reminders_never_fall_on_a_weekend_or_holiday(policy: fv.Policy) -> None:
    for event in events(calendar.to_ics(policy, START, END, generated=STAMP, alarm=14)):
        (alarm,) = event.walk("VALARM")
        reminder = event.decoded("DTSTART") + alarm.decoded("TRIGGER")
        assert reminder.hour == 9 if isinstance(reminder, dt.datetime) else True
        day = event.decoded("DTSTART") + dt.timedelta(days=alarm.decoded("TRIGGER").days)
        assert dates.is_working_day(policy.country, day)
        assert day <= event.decoded("DTSTART") - dt.timedelta(days=14)


def test_jcal_for_web_apps() -> None:
    data = json.loads(
        calendar.to_jcal(fv.load_policy("lier"), D(2024, 1, 1), D(2024, 12, 31), generated=STAMP)
    )
    assert data[0] == "vcalendar"
    assert [c[0] for c in data[2]] == ["vevent"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"generated": dt.datetime(2026, 1, 1)}, "generated"),
        ({"lang": "sv"}, "lang"),
        ({"alarm": -1}, "alarm"),
        (
            {
                "meetings": [fv.Meeting(obligation="x.y", held=D(2024, 1, 1))],
                "as_of": D(2024, 2, 1),
            },
            "meetings[0].obligation",
        ),
        (
            {
                "meetings": [
                    fv.Meeting(obligation="lier.obligation.annual_dialogue", held=D(2024, 1, 1))
                ]
            },
            "as_of",
        ),
    ],
)
def test_bad_arguments_are_input_errors_naming_them(kwargs, field: str) -> None:
    with pytest.raises(fv.InputError) as raised:
        calendar.to_ics(fv.load_policy("lier"), D(2024, 1, 1), D(2024, 12, 31), **kwargs)
    assert raised.value.field == field


# --- A real CalDAV server ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Radicale server on a free loopback port, with a throwaway storage folder, no auth."""
    folder = tmp_path_factory.mktemp("radicale")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(folder / "storage"),
            "--auth-type",
            "none",
            "--rights-type",
            "authenticated",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "log").open("w"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"Radicale did not start: {(folder / 'log').read_text()}")
        _call("MKCOL", url + "/frivillighet/")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _call(method: str, url: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "text/calendar; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_radicale_accepts_and_returns_every_builtin_calendar(
    radicale: str, policy: fv.Policy
) -> None:
    data = calendar.to_ics(
        policy, START, END, generated=STAMP, alarm=14, meetings=[], as_of=D(2025, 6, 1)
    )
    if not events(data):
        pytest.skip(f"{policy.id} has no dated obligations from {START} to {END}")
    status, _ = _call("PUT", f"{radicale}/frivillighet/{policy.id}/", data)
    assert status in (200, 201)
    status, body = _call("GET", f"{radicale}/frivillighet/{policy.id}/")
    assert status == 200
    assert {str(e["UID"]) for e in events(body)} == {str(e["UID"]) for e in events(data)}


def test_radicale_rejects_a_broken_calendar(radicale: str) -> None:
    status, _ = _call(
        "PUT",
        f"{radicale}/frivillighet/broken/",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    assert status == 400


def test_radicale_accepts_todos(radicale: str) -> None:
    data = calendar.to_ics(fv.load_policy("hemnes"), START, END, generated=STAMP, todos=True)
    assert _call("PUT", f"{radicale}/frivillighet/hemnes-todos/", data)[0] in (200, 201)


def test_radicale_accepts_a_proposal_with_tentative_events_and_undated_todos(radicale: str) -> None:
    data = calendar.to_ics(fv.load_policy("nn"), START, END, generated=STAMP, as_of=D(2025, 6, 1))
    assert _call("PUT", f"{radicale}/frivillighet/nn-proposal/", data)[0] in (200, 201)
    status, body = _call("GET", f"{radicale}/frivillighet/nn-proposal/")
    assert status == 200
    todos = list(icalendar.Calendar.from_ical(body).walk("VTODO"))
    assert {str(t["UID"]) for t in todos} == {str(t["UID"]) for t in undated_todos(data)}


# --- Proposals and obligations without a date ----------------------------------------------------


def undated_todos(data: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VTODO"))


def test_a_proposals_events_are_tentative_and_say_it_is_a_proposal() -> None:
    """NN's document is «Rådmannens forslag til vedtak»: nothing it proposes is a duty yet (in
    2020–2029 only the proposal's own obligations have events)."""
    nn = fv.load_policy("nn")
    for as_of in (None, D(2025, 6, 1)):
        data = calendar.to_ics(nn, START, END, generated=STAMP, as_of=as_of)
        found = events(data)
        assert found
        for event in found:
            assert event["STATUS"] == "TENTATIVE"
            assert "Forslag: " in str(event["SUMMARY"])
            assert "FORSINKET" not in str(event["SUMMARY"])
        parsed = vobject.readOne(data.decode("utf-8"))
        assert {e.status.value for e in parsed.vevent_list} == {"TENTATIVE"}
        assert {e.status for e in ics.Calendar(data.decode("utf-8")).events} == {"TENTATIVE"}
    english = events(calendar.to_ics(nn, START, END, generated=STAMP, lang="en"))
    assert all(str(e["SUMMARY"]).startswith("Proposal: ") for e in english)


def test_an_adopted_policys_open_events_are_not_marked_as_proposals() -> None:
    data = calendar.to_ics(fv.load_policy("lier"), START, END, generated=STAMP)
    assert all("STATUS" not in e and "Forslag" not in str(e["SUMMARY"]) for e in events(data))


@pytest.mark.parametrize(
    ("lang", "word"), [("nb", "Forslag: "), ("da", "Forslag: "), ("en", "Proposal: ")]
)
def test_a_proposals_todos_say_so_and_keep_a_todo_status(lang: str, word: str) -> None:
    """RFC 5545 § 3.8.1.11: TENTATIVE is an event status only; a VTODO is NEEDS-ACTION or
    COMPLETED, whether its policy is adopted or, like NN's «forslag til vedtak», proposed."""
    held = [fv.Meeting(obligation="nn.obligation.budget_follow_up", held=D(2023, 10, 2))]
    options = {"generated": STAMP, "meetings": held, "as_of": D(2024, 1, 15), "lang": lang}
    data = calendar.to_ics(fv.load_policy("nn"), START, END, todos=True, **options)
    todos = list(icalendar.Calendar.from_ical(data).walk("VTODO"))
    assert todos and not events(data)
    assert {str(t["STATUS"]) for t in todos} == {"NEEDS-ACTION", "COMPLETED"}
    proposed = [t for t in todos if "report_rolling" not in str(t["UID"])]
    assert proposed and all(word in str(t["SUMMARY"]) for t in proposed)
    (adopted,) = [t for t in todos if "report_rolling" in str(t["UID"])]
    assert word.strip(": ") not in str(adopted["SUMMARY"])
    assert {t.status for t in ics.Calendar(data.decode("utf-8")).todos} <= {
        "NEEDS-ACTION",
        "COMPLETED",
    }
    feed = json.loads(calendar.to_jcal(fv.load_policy("nn"), START, END, **options))
    found = [{p[0]: p[3] for p in c[1]} for c in feed[2] if c[0] == "vevent"]
    assert found and {e["status"] for e in found} == {"TENTATIVE"}
    assert all(e["summary"].startswith(word) or f": {word}" in e["summary"] for e in found)


def test_a_national_duty_in_a_proposals_calendar_is_no_proposal() -> None:
    """Serviceloven § 18, stk. 2 binds Vesthimmerland whatever the status of its own document."""
    proposal = attrs.evolve(fv.load_policy("vesthimmerland"), status="proposed")
    data = calendar.to_ics(proposal, START, END, generated=STAMP, as_of=D(2025, 6, 1))
    by_kind: dict[bool, set[tuple[str, str]]] = {True: set(), False: set()}
    for event in events(data):
        national = str(event["UID"]).startswith("DK.")
        by_kind[national].add((str(event["STATUS"]), str(event["SUMMARY"]).split(": ")[0]))
    assert by_kind[False] == {("TENTATIVE", "Forslag")}
    assert by_kind[True] == {
        ("TENTATIVE", "FORSINKET"),
        ("TENTATIVE", "Aktuel"),
        ("TENTATIVE", "Kommende"),
    }


def test_undated_obligations_are_todos_without_a_due_date_in_every_calendar() -> None:
    nn = fv.load_policy("nn")
    for todos in (False, True):
        data = calendar.to_ics(nn, START, END, generated=STAMP, todos=todos, alarm=7)
        undated = [t for t in undated_todos(data) if "DUE" not in t]
        assert {str(t["UID"]) for t in undated} == {
            "nn.obligation.mapping.undated@nn.frivillighet",
            "nn.obligation.cafe_dialogue.undated@nn.frivillighet",
            "nn.obligation.draft_policy.undated@nn.frivillighet",
            "nn.obligation.report_rolling.undated@nn.frivillighet",
        }
        for todo in undated:
            assert "DTSTART" not in todo and not todo.walk("VALARM")
            assert todo["STATUS"] == "NEEDS-ACTION"
            assert "Ingen dato fastsatt: kilden oppgir ingen" in str(todo["DESCRIPTION"])
        parsed = vobject.readOne(data.decode("utf-8"))
        assert len([t for t in parsed.vtodo_list if not hasattr(t, "due")]) == 4
    held = [fv.Meeting(obligation="nn.obligation.mapping", held=D(2016, 3, 1))]
    data = calendar.to_ics(nn, START, END, generated=STAMP, meetings=held, as_of=D(2024, 1, 1))
    (mapping,) = [t for t in undated_todos(data) if "mapping" in str(t["UID"])]
    assert mapping["STATUS"] == "COMPLETED"
    assert str(mapping["SUMMARY"]).startswith("Oppfylt: Forslag: Kartlegging")


# --- Properties ----------------------------------------------------------------------------------

policies = st.sampled_from(POLICIES)
days = st.dates(min_value=D(2005, 1, 1), max_value=D(2040, 12, 31))


@given(
    policies,
    days,
    st.integers(min_value=0, max_value=2500),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2199, 12, 31, 23), timezones=st.just(dt.UTC)),
)
def test_one_event_per_occurrence_with_unique_stable_uids(policy, start, length, stamp) -> None:
    end = start + dt.timedelta(days=length)
    found = events(calendar.to_ics(policy, start, end, generated=stamp))
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids)) == len(schedule(policy, start, end))
    undated = undated_todos(calendar.to_ics(policy, start, end, generated=stamp))
    assert len(undated) == len([o for o in policy.obligations if not o.recurrence.dated])
    assert uids == [
        str(e["UID"]) for e in events(calendar.to_ics(policy, start, end, generated=STAMP))
    ]


hostile = (
    st.lists(
        st.sampled_from(
            [*"ab;,:\\\r\n\t \"'", "\u2028", "BEGIN:VEVENT", "END:VCALENDAR", "😀", "ø", "x" * 90]
        ),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .filter(str.strip)
)


@given(hostile, hostile)
def test_hostile_text_never_changes_the_structure(name: str, quote: str) -> None:
    lier = fv.load_policy("lier")
    obligation = lier.obligations[0]
    odd = attrs.evolve(
        lier,
        municipality=name,
        obligations=(
            attrs.evolve(obligation, source=attrs.evolve(obligation.source, quote=quote)),
        ),
    )
    data = calendar.to_ics(odd, D(2024, 1, 1), D(2025, 12, 31), generated=STAMP)
    parsed = icalendar.Calendar.from_ical(data)
    assert [c.name for c in parsed.subcomponents] == ["VEVENT", "VEVENT"]
    one_line = " ".join(name.splitlines())
    text = quote.replace("\r\n", "\n").replace("\r", "\n")
    for event in parsed.walk("VEVENT"):
        assert str(event["SUMMARY"]).endswith(f"({one_line})")
        assert f"«{text}»" in str(event["DESCRIPTION"])
    other = vobject.readOne(data.decode("utf-8")).vevent_list
    assert [(e.summary.value, e.description.value, e.uid.value) for e in other] == [
        (str(e["SUMMARY"]), str(e["DESCRIPTION"]), str(e["UID"])) for e in parsed.walk("VEVENT")
    ]


# --- The command line ----------------------------------------------------------------------------


def test_the_calendar_command_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "compliance.ics"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "frivillighet",
            "calendar",
            "hemnes",
            "lier",
            "--from",
            "2025-01-01",
            "--to",
            "2026-12-31",
            "--generated",
            "2026-01-01T12:00:00+00:00",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == calendar.to_ics(
        [POLICIES[0], POLICIES[1]], D(2025, 1, 1), D(2026, 12, 31), generated=STAMP
    )


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["calendar", "hemnes", "--from", "2025-01-01"], "required: --to"),
        (
            ["calendar", "hemnes", "--from", "2025-01-01", "--to", "x"],
            "expected a date (YYYY-MM-DD), got 'x' (str)",
        ),
        (
            [
                "calendar",
                "hemnes",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--generated",
                "2026-01-01T12:00",
            ],
            "with a UTC offset",
        ),
        (
            ["calendar", "hemnes", "--from", "2025-01-01", "--to", "2025-12-31", "--alarm", "-3"],
            "whole number of days",
        ),
        (
            ["calendar", "oslo", "--from", "2025-01-01", "--to", "2025-12-31"],
            "unknown policy id 'oslo'",
        ),
    ],
)
def test_the_calendar_command_rejects_bad_input_in_one_line(argv: list[str], words: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", *argv], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and words in done.stderr


# --- What parsers and servers read: escaping, reminders, revisions -------------------------------


def _raw_lines(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")


def test_names_with_commas_and_backslashes_reach_vobject_and_radicale_whole(radicale: str) -> None:
    """RFC 5545 § 3.3.11: a comma in NAME, X-WR-CALNAME and X-WR-CALDESC is escaped, and a
    literal backslash-N in a text stays two characters, not a line break."""
    odd = attrs.evolve(POLICIES[0], municipality="Hemnes, Nordland \\N kommune")
    data = calendar.to_ics(odd, START, END, generated=STAMP)
    lines = _raw_lines(data)
    assert "NAME:Frivillighetspolitikk: Hemnes\\, Nordland \\\\N kommune" in lines
    assert "X-WR-CALNAME:Frivillighetspolitikk: Hemnes\\, Nordland \\\\N kommune" in lines
    parsed = vobject.readOne(data.decode())
    assert parsed.x_wr_calname.value == "Frivillighetspolitikk: Hemnes, Nordland \\N kommune"
    assert "Hemnes, Nordland \\N kommune" in parsed.x_wr_caldesc.value
    first = parsed.vevent_list[0]
    assert first.summary.value.endswith("(Hemnes, Nordland \\N kommune)")
    assert "\n" not in first.summary.value
    event = events(data)[0]
    assert str(event["SUMMARY"]).endswith("(Hemnes, Nordland \\N kommune)")
    assert str(event["CATEGORIES"].cats[0]) == "Hemnes, Nordland \\N kommune"

    assert _call("PUT", f"{radicale}/frivillighet/odd-name/", data)[0] in (200, 201)
    found = _propfind_displayname(f"{radicale}/frivillighet/odd-name/")
    assert found == "Frivillighetspolitikk: Hemnes, Nordland \\N kommune"


def _propfind_displayname(url: str) -> str:
    body = b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop><displayname/></prop></propfind>'
    request = urllib.request.Request(
        url, data=body, method="PROPFIND", headers={"Depth": "0", "Content-Type": "text/xml"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        tree = ElementTree.fromstring(response.read())
    (name,) = tree.iter("{DAV:}displayname")
    return name.text or ""


def test_refresh_interval_says_it_is_a_duration() -> None:
    """RFC 7986 § 5.7: «REFRESH-INTERVAL;VALUE=DURATION:P1W» — the value type is required."""
    lines = _raw_lines(calendar.to_ics(POLICIES[0], START, END, generated=STAMP))
    assert "REFRESH-INTERVAL;VALUE=DURATION:P1D" in lines


def test_a_todos_reminder_counts_from_its_due_date() -> None:
    """RFC 5545 § 3.8.6.3: a relative TRIGGER counts from DTSTART unless RELATED=END; Hemnes'
    revision opens in 2015 and is due 30 October 2019, so its reminder belongs in October 2019."""
    hemnes = fv.load_policy("hemnes")
    data = calendar.to_ics(hemnes, D(2019, 1, 1), D(2019, 12, 31), todos=True, alarm=14)
    (revision,) = [
        t for t in icalendar.Calendar.from_ical(data).walk("VTODO") if "revision" in str(t["UID"])
    ]
    assert revision["DTSTART"].dt == D(2015, 10, 31) and revision["DUE"].dt == D(2019, 10, 30)
    (alarm,) = revision.walk("VALARM")
    assert alarm["TRIGGER"].params["RELATED"] == "END"
    assert [a.trigger for a in revision.alarms.times] == [dt.datetime(2019, 10, 16, 9, 0)]
    parsed = vobject.readOne(data.decode())
    todo = next(t for t in parsed.vtodo_list if "revision" in t.uid.value)
    assert todo.valarm.trigger.params["RELATED"] == ["END"]
    event_data = calendar.to_ics(hemnes, D(2019, 1, 1), D(2019, 12, 31), alarm=14)
    for event in events(event_data):  # an event starts on its due date: no RELATED needed
        assert "RELATED" not in event.walk("VALARM")[0]["TRIGGER"].params


def test_a_todo_never_starts_on_or_after_its_due_date(tmp_path: Path) -> None:
    """RFC 5545 § 3.8.2.3: DUE «MUST be later in time than the value of the DTSTART property»:
    a one-off whose window opens on its due date has no DTSTART."""
    text = (Path(fv.__file__).parent / "policies" / "hemnes.toml").read_text("utf-8")
    one_day = text.replace(
        '[[obligations]]\nid = "hemnes.obligation.june_status"',
        '[[obligations]]\nid = "hemnes.obligation.one_day"\ntitle = { nb = "Én dag" }\n'
        'category = "task"\nrecurrence = { kind = "once", window_start = 2024-05-02,'
        " due = 2024-05-02 }\n"
        'source = { section = "S", quote = "Q" }\n\n'
        '[[obligations]]\nid = "hemnes.obligation.june_status"',
    )
    assert one_day != text
    path = tmp_path / "hemnes.toml"
    path.write_text(one_day, "utf-8")
    data = calendar.to_ics(fv.load_policy(path), START, END, generated=STAMP, todos=True)
    todos = list(icalendar.Calendar.from_ical(data).walk("VTODO"))
    (day,) = [t for t in todos if "one_day" in str(t["UID"])]
    assert "DTSTART" not in day and day["DUE"].dt == D(2024, 5, 2)
    assert all(t["DTSTART"].dt < t["DUE"].dt for t in todos if "DTSTART" in t and "DUE" in t)


def test_the_order_of_the_policies_changes_nothing() -> None:
    hemnes, lier = fv.load_policy("hemnes"), fv.load_policy("lier")
    one = calendar.to_ics([hemnes, lier], START, END, generated=STAMP)
    other = calendar.to_ics([lier, hemnes], START, END, generated=STAMP)
    assert one == other


def test_sequence_and_last_modified_change_only_with_the_state() -> None:
    """An occurrence's SEQUENCE and LAST-MODIFIED follow its state (upcoming 0, due 1, overdue 2,
    met 3), so a feed fetched every day changes them only on the day the state changes."""
    lier = fv.load_policy("lier")
    key = "lier.obligation.annual_dialogue.2025@lier.frivillighet"
    held = [fv.Meeting(obligation="lier.obligation.annual_dialogue", held=D(2026, 3, 4))]

    def revision(as_of: dt.date, meetings: list[fv.Meeting]) -> tuple[int, dt.datetime]:
        data = calendar.to_ics(
            lier, D(2025, 1, 1), D(2025, 12, 31), as_of=as_of, meetings=meetings, generated=STAMP
        )
        (event,) = [e for e in events(data) if str(e["UID"]) == key]
        return int(event["SEQUENCE"]), event["LAST-MODIFIED"].dt

    start = lier.start
    assert start is not None
    midnight = dt.datetime.combine
    assert revision(D(2024, 6, 1), []) == (0, midnight(start, dt.time(), dt.UTC))
    assert revision(D(2025, 3, 1), []) == revision(D(2025, 9, 1), [])
    assert revision(D(2025, 3, 1), []) == (1, midnight(D(2025, 1, 1), dt.time(), dt.UTC))
    assert revision(D(2026, 2, 1), []) == revision(D(2026, 6, 1), [])
    assert revision(D(2026, 2, 1), []) == (2, midnight(D(2026, 1, 1), dt.time(), dt.UTC))
    met = [fv.Meeting(obligation="lier.obligation.annual_dialogue", held=D(2025, 11, 4))]
    assert revision(D(2026, 2, 1), met) == (3, midnight(D(2025, 11, 4), dt.time(), dt.UTC))
    assert revision(D(2026, 2, 1), [*met, *held]) == revision(D(2026, 2, 1), met)


# --- A strict parser, and CalDAV one event at a time ----------------------------------------------

_OPTIONS = [
    {},
    {"todos": True, "alarm": 14},
    {"as_of": D(2025, 6, 1), "alarm": 3, "lang": "en"},
]


@pytest.mark.parametrize("options", _OPTIONS, ids=["events", "todos", "compliance"])
@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_home_assistants_strict_parser_reads_every_feed(policy: fv.Policy, options: dict) -> None:
    """The `ical` package (Home Assistant's calendar) validates values and refuses what RFC
    5545 does not allow, such as a to-do due before it starts."""
    data = calendar.to_ics(policy, START, END, generated=STAMP, **options)
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    parsed = icalendar.Calendar.from_ical(data)
    assert sorted(e.uid for e in strict.events) == sorted(
        str(e["UID"]) for e in parsed.walk("VEVENT")
    )
    assert sorted(t.uid for t in strict.todos) == sorted(
        str(t["UID"]) for t in parsed.walk("VTODO")
    )
    assert all(t.due is None or t.dtstart is None or t.dtstart < t.due for t in strict.todos)


def _event_files(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Each event of a feed as its own calendar object, as CalDAV stores it (RFC 4791 § 4.1)."""
    feed = icalendar.Calendar.from_ical(data)
    for event in feed.walk("VEVENT"):
        single = icalendar.Calendar()
        for key in ("VERSION", "PRODID"):
            single[key] = feed[key]
        single.add_component(event)
        yield str(event["UID"]), single.to_ical()


def _dav(method: str, url: str, body: bytes, **headers: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_radicale_stores_each_event_and_finds_a_years_compliance_by_time_range(
    radicale: str,
) -> None:
    """CalDAV's way: one `PUT` per event to `<collection>/<uid>.ics`, then a REPORT
    calendar-query over a time range (RFC 4791 § 7.8) returns what falls in it; a second PUT of
    a changed state replaces the event (same UID, higher SEQUENCE) instead of adding one."""
    collection = f"{radicale}/frivillighet/hemnes-caldav/"
    assert _dav("MKCALENDAR", collection, b"")[0] == 201
    first = calendar.to_ics(
        fv.load_policy("hemnes"), START, END, generated=STAMP, as_of=D(2024, 6, 1), meetings=[]
    )
    for uid, body in _event_files(first):
        status, _ = _dav("PUT", f"{collection}{uid}.ics", body, **{"Content-Type": "text/calendar"})
        assert status in (200, 201), uid
    query = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        b'<D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR">'
        b'<C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z" '
        b'end="20250101T000000Z"/></C:comp-filter></C:comp-filter></C:filter>'
        b"</C:calendar-query>"
    )
    headers = {"Depth": "1", "Content-Type": "application/xml"}

    def found() -> dict[str, icalendar.Component]:
        status, body = _dav("REPORT", collection, query, **headers)
        assert status == 207
        tree = ElementTree.fromstring(body)
        data = tree.iter("{urn:ietf:params:xml:ns:caldav}calendar-data")
        events = [icalendar.Calendar.from_ical(d.text or "").walk("VEVENT")[0] for d in data]
        return {str(e["UID"]): e for e in events}

    in_2024 = found()
    expected = {
        calendar.uid_of(o)
        for o in schedule(fv.load_policy("hemnes"), D(2024, 1, 1), D(2024, 12, 31))
    }
    assert set(in_2024) == expected
    key = "hemnes.obligation.june_status.2024@hemnes.frivillighet"
    assert int(in_2024[key]["SEQUENCE"]) == 1  # due on 1 June

    held = [fv.Meeting(obligation="hemnes.obligation.june_status", held=D(2024, 6, 19))]
    later = calendar.to_ics(
        fv.load_policy("hemnes"), START, END, generated=STAMP, as_of=D(2024, 7, 1), meetings=held
    )
    body = dict(_event_files(later))[key]
    assert _dav("PUT", f"{collection}{key}.ics", body, **{"Content-Type": "text/calendar"})[0] in (
        200,
        204,
    )
    again = found()
    assert set(again) == expected
    assert int(again[key]["SEQUENCE"]) == 3 and str(again[key]["SUMMARY"]).startswith("Oppfylt")
