"""The web service, started by the tests as `frivillighet serve` on a free loopback port and
used over HTTP with a real client (httpx); its feeds are read by icalendar and vobject."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet import calendar, checks
from frivillighet.rules import obligations, volunteer_work

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

HEMNES = (Path(fv.__file__).parent / "policies" / "hemnes.toml").read_text("utf-8")
COACH = {
    "pay": "none",
    "beneficiary": "others",
    "organised_by": "association",
    "participation": "active",
    "compulsion": "none",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(*options: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "frivillighet", "serve", "--port", str(port), *options]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read().decode() if server.stdout else ""
            pytest.fail(f"the service stopped: {output}")
        try:
            httpx.get(f"{url}/policies", timeout=1)
            return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("the service did not start in 30 s")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    policies = tmp_path_factory.mktemp("policies")
    (policies / "eksempel.toml").write_text(
        HEMNES.replace('id = "hemnes"', 'id = "eksempel"')
        .replace('"hemnes.', '"eksempel.')
        .replace('municipality = "Hemnes"', 'municipality = "Eksempel kommune"'),
        "utf-8",
    )
    records = tmp_path_factory.mktemp("records")
    return policies, records


@pytest.fixture(scope="module")
def service(folders: tuple[Path, Path]) -> Iterator[str]:
    policies, records = folders
    server, url = _start("--policies", str(policies), "--records", str(records))
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- The JSON API ---------------------------------------------------------------------------------


def test_the_policies_are_the_built_ins_and_the_folders(service: str) -> None:
    response = httpx.get(f"{service}/policies")
    assert response.status_code == 200
    listed = response.json()
    assert [p["id"] for p in listed] == sorted([*fv.builtin_policies(), "eksempel"])
    assert listed[0] == {
        "id": "eksempel",
        "municipality": "Eksempel kommune",
        "country": "NO",
        "language": "nb",
        "status": "adopted",
    }
    lier = httpx.get(f"{service}/policies/lier").json()
    assert lier == json.loads(json.dumps(fv.to_json(fv.load_policy("lier"))))


@pytest.mark.parametrize(
    ("check", "facts"),
    [
        ("volunteer-work", {"activity": COACH}),
        ("volunteer-work", {"activity": {"pay": "wage"}}),
        ("council", {"council": {"kind": "frivillighetsrad"}}),
        ("hearing", {"hearing": {"planning": True, "consultees": ["Frivillighetsrådet"]}}),
    ],
)
def test_a_check_answers_as_the_library_does(service: str, check: str, facts: dict) -> None:
    response = httpx.post(f"{service}/policies/hemnes/check/{check}", json=facts)
    assert response.status_code == 200
    expected = fv.to_json(checks.run(fv.load_policy("hemnes"), check, facts))
    assert response.json() == json.loads(json.dumps(expected))


def test_a_rental_check_gives_the_quote_and_lang_adds_the_explanation(service: str) -> None:
    facts = {
        "booking": {
            "premises": {"kind": "school"},
            "organisation": {"municipality": "Lier", "non_profit": True},
            "purpose": "training",
            "start": "2024-03-06T18:00:00",
            "end": "2024-03-06T20:00:00",
        },
        "tariff": {"currency": "NOK", "hourly": {"school": "200"}},
    }
    response = httpx.post(f"{service}/policies/lier/check/rental?lang=en", json=facts)
    assert response.status_code == 200
    data = response.json()
    quote = checks.run(fv.load_policy("lier"), "rental", facts)
    assert isinstance(quote, fv.Quote)
    assert data["price"] == str(quote.price)
    assert data["explanation"] == quote.verdict.explain("en")


def test_schedule_and_compliance_answer_as_the_library_does(service: str) -> None:
    hemnes = fv.load_policy("hemnes")
    response = httpx.get(f"{service}/policies/hemnes/schedule?from=2024-01-01&to=2024-12-31")
    expected = obligations.schedule(hemnes, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert response.json() == json.loads(json.dumps(fv.to_json(expected)))
    body = {
        "as_of": "2024-09-01",
        "meetings": [{"obligation": "hemnes.obligation.june_status", "held": "2024-06-12"}],
    }
    response = httpx.post(f"{service}/policies/hemnes/compliance", json=body)
    assert response.status_code == 200
    expected_statuses = checks.run(hemnes, "compliance", body)
    assert response.json() == json.loads(json.dumps(fv.to_json(expected_statuses)))


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        (
            "POST",
            "/policies/hemnes/check/volunteer-work",
            b'{"activity": {"pay": "salary"}}',
            422,
            "activity.pay: expected one of none, expenses, honorarium, wage",
        ),
        ("POST", "/policies/hemnes/check/volunteer-work", b'{"activity": ', 400, "not valid JSON"),
        ("POST", "/policies/hemnes/check/volunteer-work", b"[1, 2]", 422, "body: expected a JSON"),
        ("POST", "/policies/hemnes/check/volunteer-work", b"\xff\xfe", 400, "not UTF-8"),
        ("POST", "/policies/hemnes/check/volunteer-work", b"{}", 422, "activity: missing"),
        ("POST", "/policies/hemnes/check/volunteer-work", b"[" * 100_000, 400, "too deeply"),
        ("POST", "/policies/hemnes/check/nothing", b"{}", 404, "unknown check 'nothing'"),
        ("POST", "/policies/nope/check/volunteer-work", b"{}", 404, "unknown policy 'nope'"),
        ("POST", "/policies/hemnes/check/council?lang=sv", b'{"council": {}}', 422, "lang:"),
        ("GET", "/policies/hemnes/check/council", b"", 405, "method not allowed"),
        ("GET", "/policies/hemnes/schedule?from=2024-13-01&to=2024-12-31", b"", 422, "from:"),
        ("GET", "/policies/hemnes/schedule?from=2024-12-01&to=2024-01-31", b"", 422, "to:"),
        ("GET", "/policies/hemnes/schedule", b"", 422, "from: missing"),
        ("GET", "/policies/hemnes/calendar.ics?alarm=-1", b"", 422, "alarm:"),
        ("GET", "/policies/hemnes/calendar.ics?todos=perhaps", b"", 422, "todos:"),
        ("GET", "/policies/hemnes/calendar.pdf", b"", 404, "calendar.ics or calendar.json"),
        ("GET", "/calendar.ics", b"", 422, "policy: name one or more"),
        ("GET", "/nothing", b"", 404, "no such resource"),
    ],
)
def test_bad_requests_get_a_one_line_json_error_naming_the_field(
    service: str, method: str, path: str, body: bytes, status: int, words: str
) -> None:
    response = httpx.request(method, f"{service}{path}", content=body, timeout=30)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()
    assert list(error) == ["error"] and words in error["error"]
    assert "\n" not in error["error"] and "Traceback" not in response.text


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
_KEYS = st.sampled_from(
    ["activity", "council", "registry", "application", "on", "booking", "tariff", "agreement",
     "hearing", "checklist", "review", "as_of", "meetings", "since", "pay", "kind"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from([*(f"check/{c}" for c in checks.Check if c != "compliance"), "compliance"]),
    st.sampled_from(fv.builtin_policies()),
    st.dictionaries(_KEYS, _JSON, max_size=4) | _JSON,
)
def test_no_body_makes_the_service_fail(service: str, route: str, policy: str, body: Any) -> None:
    """Whatever JSON comes in, the answer is a verdict or a 4xx with one line: never a 500."""
    data = json.dumps(body).encode()  # NaN and Infinity as Python writes them
    response = httpx.post(f"{service}/policies/{policy}/{route}", content=data, timeout=30)
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code != 200:
        (line,) = response.json()["error"].splitlines()
        assert line


def test_a_body_over_the_limit_is_refused(service: str) -> None:
    from frivillighet.service import MAX_BODY

    big = b'{"activity": {"description": "' + b"x" * MAX_BODY + b'"}}'
    response = httpx.post(f"{service}/policies/hemnes/check/volunteer-work", content=big)
    assert response.status_code == 413 and "larger than" in response.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"activity": {"description": "'
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536
        yield b'"}}'

    response = httpx.post(f"{service}/policies/hemnes/check/volunteer-work", content=chunks())
    assert response.status_code == 413


def test_the_openapi_description_names_every_route_and_its_schemas(service: str) -> None:
    document = httpx.get(f"{service}/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    for path in (
        "/policies",
        "/policies/{policy}",
        "/policies/{policy}/schedule",
        "/policies/{policy}/compliance",
        "/policies/{policy}/calendar.ics",
        "/calendar.ics",
        *(f"/policies/{{policy}}/check/{c}" for c in checks.Check if c != "compliance"),
    ):
        assert path in document["paths"], path
    schemas = document["components"]["schemas"]
    text = json.dumps(document)
    refs = {part.split('"')[0] for part in text.split('"$ref": "#/components/schemas/')[1:]}
    assert refs <= set(schemas), refs - set(schemas)
    assert "#/$defs/" not in text
    page = httpx.get(f"{service}/docs")
    assert page.status_code == 200 and "/openapi.json" in page.text
    assert "<script src" not in page.text and "http" not in page.text.split("<script>")[1]


def test_every_example_on_the_docs_page_is_answered(service: str) -> None:
    from frivillighet.service import EXAMPLES

    paths = httpx.get(f"{service}/openapi.json").json()["paths"]
    assert {(m, p) for p, methods in paths.items() for m in methods} == set(EXAMPLES)
    for (method, _), (url, body) in EXAMPLES.items():
        response = httpx.request(method, f"{service}{url}", json=body)
        assert response.status_code == 200, (url, response.text)


# --- Feeds ----------------------------------------------------------------------------------------


def test_a_feed_is_a_calendar_with_an_etag_and_a_304_for_what_the_client_has(service: str) -> None:
    response = httpx.get(f"{service}/policies/hemnes/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    tag, modified = response.headers["etag"], response.headers["last-modified"]
    parsed = icalendar.Calendar.from_ical(response.content)
    vobject.readOne(response.text)
    today = dt.datetime.now(dt.UTC).date()
    dues = [e["DTSTART"].dt for e in parsed.walk("VEVENT")]
    assert min(dues).year >= today.year - 1 and max(dues).year <= today.year + 3
    again = httpx.get(f"{service}/policies/hemnes/calendar.ics", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    since = httpx.get(
        f"{service}/policies/hemnes/calendar.ics", headers={"If-Modified-Since": modified}
    )
    assert since.status_code == 304
    other = httpx.get(f"{service}/policies/hemnes/calendar.ics?lang=en")
    assert other.status_code == 200 and other.headers["etag"] != tag


def test_a_feed_takes_the_calendar_options_and_gives_the_librarys_bytes(service: str) -> None:
    query = "from=2024-01-01&to=2024-12-31&lang=da&todos=true&alarm=14"
    response = httpx.get(f"{service}/policies/hemnes/calendar.ics?{query}")
    today = dt.datetime.now(dt.UTC).date()
    expected = calendar.to_ics(
        fv.load_policy("hemnes"),
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        lang="da",
        todos=True,
        alarm=14,
        generated=dt.datetime.combine(today, dt.time(), dt.UTC),
        meetings=[],
        as_of=today,
    )
    assert response.content == expected
    jcal = httpx.get(f"{service}/policies/hemnes/calendar.json?{query}")
    assert jcal.headers["content-type"].startswith("application/calendar+json")
    assert jcal.json()[0] == "vcalendar"


def test_several_policies_in_one_feed(service: str) -> None:
    both = httpx.get(f"{service}/calendar.ics?policy=lier&policy=hemnes")
    assert both.status_code == 200
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(both.content).walk("VEVENT")}
    assert any(u.endswith("@lier.frivillighet") for u in uids)
    assert any(u.endswith("@hemnes.frivillighet") for u in uids)
    reversed_order = httpx.get(f"{service}/calendar.ics?policy=hemnes&policy=lier")
    assert reversed_order.content == both.content


def test_a_secretariat_edits_its_records_and_the_next_fetch_shows_it(
    service: str, folders: tuple[Path, Path]
) -> None:
    _, records = folders
    today = dt.datetime.now(dt.UTC).date()
    last_year = today.year - 1
    key = f"lier.obligation.annual_dialogue.{last_year}@lier.frivillighet"

    def summary() -> str:
        data = httpx.get(f"{service}/policies/lier/calendar.ics?lang=en").content
        (event,) = [
            e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if str(e["UID"]) == key
        ]
        return str(event["SUMMARY"])

    path = records / "lier.csv"
    path.unlink(missing_ok=True)
    assert summary().startswith("OVERDUE: ")
    path.write_text(
        f"obligation,held\nlier.obligation.annual_dialogue,{last_year}-03-04\n", "utf-8"
    )
    assert summary().startswith("Met: ")
    path.write_text("obligation,held\nlier.obligation.annual_dialogue,04.03.2024\n", "utf-8")
    broken = httpx.get(f"{service}/policies/lier/calendar.ics")
    assert broken.status_code == 422 and "lier.csv: line 2: held" in broken.json()["error"]
    path.unlink()


def test_volunteer_work_answers_match_in_process(service: str) -> None:
    """The same facts give the same verdict over HTTP as in the process, for every policy."""
    for policy_id in fv.builtin_policies():
        policy = fv.load_policy(policy_id)
        response = httpx.post(
            f"{service}/policies/{policy_id}/check/volunteer-work", json={"activity": COACH}
        )
        expected = volunteer_work.assess(policy, fv.Activity(**COACH))
        assert response.json()["outcome"] == expected.outcome.value


# --- Starting ------------------------------------------------------------------------------------


def test_a_bad_policy_file_stops_the_start_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text('id = "broken"\n', "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", "serve", "--policies", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("frivillighet: error: ") and "broken.toml" in line


def test_a_policy_id_used_twice_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "again.toml").write_text(HEMNES, "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", "serve", "--policies", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "'hemnes' is used twice" in done.stderr


def test_a_records_path_that_is_no_folder_stops_the_start(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frivillighet", "serve", "--records", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--records" in done.stderr and "is not a folder" in done.stderr


def test_several_workers_answer_alike(folders: tuple[Path, Path]) -> None:
    """uvicorn's own `--workers`, each worker building the app from the environment."""
    policies, records = folders
    port = _free_port()
    environment = {
        **os.environ,
        "FRIVILLIGHET_POLICIES": str(policies),
        "FRIVILLIGHET_RECORDS": str(records),
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "frivillighet.service:from_environment",
        "--workers", "2", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=environment)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                first = httpx.get(f"{url}/policies/eksempel/calendar.ics", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "uvicorn did not start in 30 s"
                time.sleep(0.2)
        tags = {
            httpx.get(f"{url}/policies/eksempel/calendar.ics").headers["etag"] for _ in range(8)
        }
        assert first.status_code == 200 and tags == {first.headers["etag"]}
    finally:
        server.terminate()
        server.wait(timeout=20)


# --- The compliance page --------------------------------------------------------------------------


def test_the_page_shows_each_obligation_by_year_with_state_and_quote(
    service: str, folders: tuple[Path, Path]
) -> None:
    _, records = folders
    today = dt.datetime.now(dt.UTC).date()
    held = f"{today.year - 1}-03-04"
    (records / "lier.csv").write_text(
        f"obligation,held\nlier.obligation.annual_dialogue,{held}\n", "utf-8"
    )
    try:
        response = httpx.get(f"{service}/policies/lier/page")
    finally:
        (records / "lier.csv").unlink()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    text = response.text
    assert "<script" not in text and "<html lang='nb'>" in text
    assert f"<h2>{today.year - 1}</h2>" in text and f"<h2>{today.year + 3}</h2>" in text
    assert "✓ Oppfylt" in text and f"holdt 04.03.{today.year - 1}" in text
    assert "«Kommunen inviterer årlig til åpne dialogmøter" in text
    assert "webcal://127.0.0.1:" in text and "/policies/lier/calendar.ics?lang=nb" in text
    english = httpx.get(f"{service}/policies/lier/page?lang=en").text
    assert "<html lang='en'>" in english and "Subscribe in your calendar" in english
    assert f"31 December {today.year - 1}" in english


def test_a_proposals_page_says_so_and_names_the_undated(service: str) -> None:
    text = httpx.get(f"{service}/policies/nn/page").text
    assert "(et forslag, ikke vedtatt)" in text
    assert "<h2>Uten dato</h2>" in text and "Kartlegging av frivillig sektor" in text


def test_the_index_lists_every_policy_with_its_page(service: str) -> None:
    response = httpx.get(f"{service}/")
    assert response.status_code == 200 and "<script" not in response.text
    for policy_id in fv.builtin_policies():
        assert f"href='/policies/{policy_id}/page'" in response.text


BROWSER = os.environ.get("FRIVILLIGHET_BROWSER")


@pytest.mark.skipif(not BROWSER, reason="set FRIVILLIGHET_BROWSER=/usr/bin/chromium to run")
def test_a_real_browser_renders_the_page(
    service: str, folders: tuple[Path, Path], tmp_path: Path
) -> None:
    """Opt-in: headless Chromium (Debian's `chromium`) loads the page, and its DOM after
    rendering holds the timeline; a screenshot is written for docs/images/."""
    year = dt.datetime.now(dt.UTC).year
    (folders[1] / "hemnes.csv").write_text(
        "obligation,held\n"
        f"hemnes.obligation.june_status,{year - 1}-06-18\n"
        f"hemnes.obligation.council_dialogue,{year - 1}-10-02\n"
        f"hemnes.obligation.june_status,{year}-06-17\n",
        "utf-8",
    )
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]  # fmt: skip
    url = f"{service}/policies/hemnes/page?lang=nb"
    dom = subprocess.run(
        [str(BROWSER), *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120
    ).stdout
    assert "Hemnes" in dom and "<section><h2>" in dom and "Kommunestyret" in dom
    shot = tmp_path / "page.png"
    subprocess.run(
        [str(BROWSER), *flags, "--window-size=1100,1500", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
    )
    (folders[1] / "hemnes.csv").unlink()
    assert "✓ Oppfylt" in dom
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    if target := os.environ.get("FRIVILLIGHET_SCREENSHOT"):
        Path(target).write_bytes(shot.read_bytes())


@pytest.mark.skipif(not BROWSER, reason="set FRIVILLIGHET_BROWSER=/usr/bin/chromium to run")
def test_a_real_browser_sends_an_example_from_the_docs_page(service: str, tmp_path: Path) -> None:
    """Opt-in: the page's inline script sends the example check (`/docs#send-N`) and shows
    the verdict in the page."""
    paths = httpx.get(f"{service}/openapi.json").json()["paths"]
    order = [(m, p) for p, methods in paths.items() for m in methods]
    number = order.index(("post", "/policies/{policy}/check/volunteer-work"))
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
    ]  # fmt: skip
    dom = subprocess.run(
        [str(BROWSER), *flags, "--dump-dom", f"{service}/docs#send-{number}"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    (out,) = [part for part in dom.split('<pre class="out">')[1:] if part.startswith("200")]
    answer = json.loads(out.split("\n", 1)[1].split("</pre>")[0].replace("&quot;", '"'))
    assert answer["outcome"] == "yes" and "Utfall: JA" in answer["explanation"]
