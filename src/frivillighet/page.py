"""The pages for people: a policy's obligations as a timeline by year, and the API's own.

`render(policy, occurrences, statuses, ...)` writes plain HTML and CSS, no scripts: each
occurrence with its due date, its state (a word and a sign, so it reads without colour), who is
responsible, and the quote it comes from; a link to subscribe to the policy's feed. The service
serves it at `/policies/{id}/page`; `index(policies)` is the list at `/`; `api_docs` is
`/docs`, whose only script is its own, inline, to send the example requests.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from frivillighet import dates
from frivillighet.policy import Policy
from frivillighet.rules.obligations import Occurrence, State, Status
from frivillighet.verdict import Language, Text

__all__ = ["api_docs", "index", "render"]


def render(
    policy: Policy,
    occurrences: Sequence[Occurrence],
    statuses: Sequence[Status] | None,
    lang: Language,
    *,
    feed: str,
    as_of: dt.date,
) -> str:
    """The page of `policy`: `occurrences` by year, with their states from `statuses` (`None`:
    the service keeps no records, so no state is shown), and a link to subscribe to `feed`."""
    state_of = {s.occurrence.key: s for s in statuses} if statuses is not None else {}
    by_year: dict[int | None, list[Occurrence]] = {}
    for occurrence in occurrences:
        by_year.setdefault(occurrence.due.year if occurrence.due else None, []).append(occurrence)
    sections = []
    for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
        heading = str(year) if year is not None else _UNDATED_HEADING.get(lang)
        items = "".join(_item(o, state_of.get(o.key), lang) for o in by_year[year])
        sections.append(f"<section><h2>{_e(heading)}</h2><ol>{items}</ol></section>")
    note = (
        _STATES_ON.get(lang).format(_day(as_of, lang))
        if statuses is not None
        else _NO_RECORDS.get(lang)
    )
    webcal = "webcal://" + feed.split("://", 1)[-1]
    body = (
        f"<header><h1>{_e(policy.municipality)}</h1><p>{_e(policy.title)}"
        f"{_e(_PROPOSAL_NOTE.get(lang)) if str(policy.status) == 'proposed' else ''}</p>"
        f"<p>{_e(note)}</p>"
        f"<p><a href='{_e(webcal)}'>{_e(_SUBSCRIBE.get(lang))}</a> · "
        f"<a href='{_e(feed)}'>{_e(_DOWNLOAD.get(lang))}</a></p>"
        f"{_legend(lang) if statuses is not None else ''}</header>"
        f"<main>{''.join(sections) or '<p>—</p>'}</main>"
    )
    return _document(f"{policy.municipality}: {_TITLE.get(lang)}", body, lang)


def index(policies: Iterable[Policy], lang: Language) -> str:
    """The list of policies, each linking its page and its JSON."""
    rows = "".join(
        f"<li><a href='/policies/{_e(p.id)}/page'>{_e(p.municipality)}</a> — {_e(p.title)} "
        f"(<a href='/policies/{_e(p.id)}'>JSON</a>, "
        f"<a href='/policies/{_e(p.id)}/calendar.ics'>iCalendar</a>)</li>"
        for p in sorted(policies, key=lambda p: p.id)
    )
    body = (
        f"<header><h1>frivillighet</h1><p>{_e(_INDEX.get(lang))}</p></header>"
        f"<main><ul>{rows}</ul><p><a href='/docs'>API</a></p></main>"
    )
    return _document("frivillighet", body, lang)


def api_docs(document: dict[str, Any], examples: dict[tuple[str, str], tuple[str, Any]]) -> str:
    """The interactive API page at `/docs`: each endpoint of the OpenAPI `document` with a
    form holding an example request (`examples`, by method and path) that the page's own
    inline script sends, showing the answer below it. `/docs#send-N` sends the N-th at once."""
    sections = []
    for number, (path, method, item) in enumerate(
        (path, method, item)
        for path, methods in document["paths"].items()
        for method, item in methods.items()
    ):
        url, body = examples.get((method, path), (path, None))
        text = json.dumps(body, ensure_ascii=False, indent=2) if body is not None else ""
        field = (
            f"<textarea name='body' rows='{min(12, text.count(chr(10)) + 2)}'>{_e(text)}</textarea>"
            if method == "post"
            else ""
        )
        sections.append(
            f"<section><h2><code>{method.upper()} {_e(path)}</code></h2>"
            f"<p>{_e(item['summary'])}</p>"
            f"<form id='send-{number}' data-method='{method.upper()}'>"
            f"<input name='url' value='{_e(url)}' size='70'>{field}"
            "<button>Send</button></form><pre class='out'></pre></section>"
        )
    body = (
        "<header><h1>frivillighet API</h1><p>Every endpoint, with an example to send. The "
        "machine-readable description is <a href='/openapi.json'>/openapi.json</a> (OpenAPI "
        "3.1; its schemas are those of <code>frivillighet schema</code>).</p></header>"
        f"<main>{''.join(sections)}</main><script>{_SCRIPT}</script>"
    )
    return _document("frivillighet API", body, Language.EN)


_SCRIPT = """
async function send(form) {
  const out = form.nextElementSibling;
  const options = {method: form.dataset.method};
  const body = form.elements.namedItem('body');
  if (body) { options.body = body.value; options.headers = {'Content-Type': 'application/json'}; }
  try {
    const response = await fetch(form.elements.namedItem('url').value, options);
    out.textContent = response.status + ' ' + response.statusText + '\\n' + await response.text();
  } catch (error) { out.textContent = String(error); }
}
for (const form of document.querySelectorAll('form')) {
  form.addEventListener('submit', (event) => { event.preventDefault(); send(form); });
}
if (location.hash.startsWith('#send-')) {
  const form = document.getElementById(location.hash.slice(1));
  if (form) send(form);
}
"""


def _item(occurrence: Occurrence, status: Status | None, lang: Language) -> str:
    state = status.state if status else None
    css = f"state-{state.value}" if state else "state-none"
    badge = (
        f"<span class='badge'>{_SIGNS[state]} {_e(_STATES[state].get(lang))}</span>"
        if state
        else ""
    )
    due = _DUE.get(lang).format(_day(occurrence.due, lang)) if occurrence.due else ""
    held = (
        _HELD.get(lang).format(_day(status.meeting.held, lang))
        if status and status.meeting and status.meeting.held
        else ""
    )
    who = _RESPONSIBLE.get(lang).format(occurrence.responsible) if occurrence.responsible else ""
    details = " · ".join(part for part in (due, held, who) if part)
    source = occurrence.source
    return (
        f"<li class='{css}'>{badge}<h3>{_e(occurrence.titles.get(lang))}</h3>"
        f"<p class='when'>{_e(details)}</p>"
        f"<blockquote>«{_e(source.quote)}»<cite>{_e(source.document)}, "
        f"{_e(source.section)}</cite></blockquote></li>"
    )


def _legend(lang: Language) -> str:
    items = "".join(
        f"<li class='state-{state.value}'><span class='badge'>{_SIGNS[state]} "
        f"{_e(_STATES[state].get(lang))}</span></li>"
        for state in _STATES
    )
    return f"<ul class='legend'>{items}</ul>"


def _document(title: str, body: str, lang: Language) -> str:
    return (
        f"<!doctype html><html lang='{lang.value}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _day(day: dt.date, lang: Language) -> str:
    """The day the local way: `31.12.2024` in Norwegian and Danish, `31 December 2024` in
    English."""
    if lang is Language.EN:
        return dates.in_words(day).get("en")
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


_SIGNS = {
    State.MET: "✓",
    State.OVERDUE: "!",
    State.DUE: "●",
    State.UPCOMING: "○",
    State.PROPOSED: "?",
    State.UNDATED: "–",
}
_STATES = {
    State.MET: Text(en="Met", nb="Oppfylt", da="Opfyldt"),
    State.OVERDUE: Text(en="Overdue", nb="Fristen er passert", da="Fristen er overskredet"),
    State.DUE: Text(en="Due now", nb="Frist nå", da="Frist nu"),
    State.UPCOMING: Text(en="Upcoming", nb="Kommende", da="Kommende"),
    State.PROPOSED: Text(
        en="Proposed, not adopted", nb="Foreslått, ikke vedtatt", da="Foreslået, ikke vedtaget"
    ),
    State.UNDATED: Text(en="No date set", nb="Ingen dato fastsatt", da="Ingen dato fastsat"),
}
_TITLE = Text(en="obligations", nb="forpliktelser", da="forpligtelser")
_UNDATED_HEADING = Text(en="No date set", nb="Uten dato", da="Uden dato")
_STATES_ON = Text(
    en="State on {0}, from the meeting records.",
    nb="Status per {0}, etter møteregistreringene.",
    da="Status pr. {0}, efter mødeoptegnelserne.",
)
_NO_RECORDS = Text(
    en="The service keeps no meeting records, so no state is shown.",
    nb="Tjenesten har ingen møteregistreringer, så status vises ikke.",
    da="Tjenesten har ingen mødeoptegnelser, så status vises ikke.",
)
_PROPOSAL_NOTE = Text(
    en=" (a proposal, not adopted)",
    nb=" (et forslag, ikke vedtatt)",
    da=" (et forslag, ikke vedtaget)",
)
_SUBSCRIBE = Text(
    en="Subscribe in your calendar", nb="Abonner i kalenderen", da="Abonnér i kalenderen"
)
_DOWNLOAD = Text(en="Download (.ics)", nb="Last ned (.ics)", da="Hent (.ics)")
_DUE = Text(en="Due {0}", nb="Frist {0}", da="Frist {0}")
_HELD = Text(en="held {0}", nb="holdt {0}", da="holdt {0}")
_RESPONSIBLE = Text(en="responsible: {0}", nb="ansvarlig: {0}", da="ansvarlig: {0}")
_INDEX = Text(
    en="Volunteering policies: obligations, feeds and the API.",
    nb="Frivillighetspolitikk: forpliktelser, kalendere og API.",
    da="Frivilligpolitik: forpligtelser, kalendere og API.",
)
_CSS = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1b1b1b}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #888;padding-bottom:.2rem}
ol,ul{list-style:none;padding:0}li{margin:.6rem 0;padding:.5rem .8rem;border-left:.5rem solid #999}
h3{margin:.2rem 0;font-size:1.05rem}.when{margin:.2rem 0;color:#333}
blockquote{margin:.3rem 0;font-style:italic}cite{display:block;font-style:normal;font-size:.85rem}
.badge{font-weight:bold;padding:.1rem .4rem;border:1px solid currentColor;border-radius:.3rem}
.legend li{display:inline-block;border-left-width:.3rem;margin:.2rem .4rem .2rem 0}
.state-met{border-color:#1a7f37;background:#eaf6ec}.state-met .badge{color:#1a7f37}
.state-overdue{border-color:#b42318;background:#fdecea}.state-overdue .badge{color:#b42318}
.state-due{border-color:#b54708;background:#fff4e5}.state-due .badge{color:#8a3b00}
.state-upcoming{border-color:#175cd3;background:#eef4ff}.state-upcoming .badge{color:#175cd3}
.state-proposed,.state-undated,.state-none{border-color:#667085;background:#f4f4f5}
"""
