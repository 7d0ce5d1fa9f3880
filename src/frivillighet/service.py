"""The web service: the library's answers over HTTP, for systems in any language.

`frivillighet serve` runs `app(service)` on uvicorn. The routes give what the command line
gives: the policies, a check's verdict, a schedule, compliance, and calendar feeds to
subscribe to (docs/service.md). Every answer is computed from the policies loaded at start,
the request, and the meeting records read from `--records` on each request, so several
workers, or several machines behind a load balancer, give the same answers.

Starlette is the ASGI toolkit: routing, requests and responses, nothing else. The library's
own types already validate facts and write JSON (`fv.from_json`, `fv.to_json`) and JSON
Schemas (`frivillighet.schema`), so a framework that builds models of its own (FastAPI with
pydantic) would describe the same facts twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
from collections.abc import Awaitable, Callable, Iterator, Mapping
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from attrs import frozen
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from frivillighet import calendar, checks, dates, page
from frivillighet.checks import Check
from frivillighet.conversion import to_json
from frivillighet.errors import Error, InputError, PolicyError
from frivillighet.inputs import parse_json
from frivillighet.model import Meeting
from frivillighet.policy import Policy, builtin_policies, load_policy
from frivillighet.records import read_meetings
from frivillighet.rules import obligations
from frivillighet.rules.rental import Quote
from frivillighet.verdict import Language, Verdict

__all__ = ["MAX_BODY", "Service", "app", "from_environment", "load", "openapi"]

MAX_BODY = 1024 * 1024
"""The largest request body read, in bytes (1 MiB); a larger one is refused with 413."""


@frozen(kw_only=True)
class Service:
    """What the service answers from: the policies by id, and the folder of meeting records
    (`<policy id>.csv` or `.json`), if any."""

    policies: Mapping[str, Policy]
    records: Path | None = None


def load(policies: Path | None = None, records: Path | None = None) -> Service:
    """The built-in policies and every `*.toml` in `policies`, validated now, so a bad file
    stops the start (a `PolicyError` naming it); `records` must be a folder."""
    found = {policy_id: load_policy(policy_id) for policy_id in builtin_policies()}
    for folder, name in ((policies, "--policies"), (records, "--records")):
        if folder is not None and not folder.is_dir():
            raise Error(f"{name}: {folder} is not a folder")
    for path in sorted(policies.glob("*.toml")) if policies else ():
        policy = load_policy(path)
        if policy.id in found:
            raise PolicyError(f"policy id {policy.id!r} is used twice", file=str(path), key="id")
        found[policy.id] = policy
    return Service(policies=found, records=records)


def from_environment() -> Starlette:
    """The application for `uvicorn --factory frivillighet.service:from_environment`, its
    folders named by `FRIVILLIGHET_POLICIES` and `FRIVILLIGHET_RECORDS`: what each worker of a
    multi-worker server (`--workers N`) or each container builds."""
    folders = (os.environ.get(name) for name in ("FRIVILLIGHET_POLICIES", "FRIVILLIGHET_RECORDS"))
    policies, records = (Path(folder) if folder else None for folder in folders)
    return app(load(policies, records))


def app(service: Service) -> Starlette:
    """The ASGI application of `service`."""
    routes = [
        Route("/", _index),
        Route("/policies", _policies),
        Route("/policies/{policy}", _policy),
        Route("/policies/{policy}/check/{check}", _check, methods=["POST"]),
        Route("/policies/{policy}/schedule", _schedule),
        Route("/policies/{policy}/compliance", _compliance, methods=["POST"]),
        Route("/policies/{policy}/calendar.{form:str}", _feed),
        Route("/policies/{policy}/page", _page),
        Route("/calendar.{form:str}", _feed),
        Route("/openapi.json", _openapi),
        Route("/docs", _docs),
    ]
    application = Starlette(
        routes=[Route(r.path, _answering(r.endpoint), methods=r.methods) for r in routes],
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )
    application.state.service = service
    return application


# --- Answers -------------------------------------------------------------------------------------


Endpoint = Callable[[Request], Awaitable[Response]]


def _answering(endpoint: Any) -> Endpoint:
    """`endpoint` with the library's errors as JSON: bad input 422, an unknown policy 404."""

    async def answer(request: Request) -> Response:
        try:
            response: Response = await endpoint(request)
        except _Refused as refused:
            return _error(refused.status, refused.message)
        except InputError as error:
            return _error(422, str(error))
        return response

    return answer


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    words = {404: "no such resource", 405: "method not allowed"}.get(status, "bad request")
    return _error(status, f"{request.method} {request.url.path}: {words}")


async def _internal_error(request: Request, exc: Exception) -> Response:
    return _error(500, f"{request.method} {request.url.path}: internal error")


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _policy_of(request: Request, policy_id: str | None = None) -> Policy:
    wanted = policy_id if policy_id is not None else request.path_params["policy"]
    policy = _service(request).policies.get(wanted)
    if policy is None:
        known = ", ".join(sorted(_service(request).policies))
        raise _Refused(404, f"unknown policy {wanted!r}; the service has: {known}")
    return policy


async def _body(request: Request) -> Any:
    """The request's JSON body: at most `MAX_BODY` bytes (else 413), valid JSON (else 400)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _Refused(413, f"the body is larger than {MAX_BODY} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _Refused(413, f"the body is larger than {MAX_BODY} bytes")
        chunks.append(chunk)
    try:
        text = b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(400, "body: not UTF-8") from None
    try:
        return parse_json(text, "body")
    except InputError as error:
        raise _Refused(400, str(error)) from None


def _lang(request: Request, policy: Policy | None = None) -> Language:
    given = request.query_params.get("lang")
    if given is None:
        return Language(policy.language if policy else Language.EN)
    try:
        return Language(given)
    except ValueError:
        known = ", ".join(Language)
        raise InputError(f"expected one of {known}, got {given!r}", field="lang") from None


def _day(request: Request, key: str, default: dt.date | None = None) -> dt.date:
    given = request.query_params.get(key)
    if given is None:
        if default is None:
            raise InputError("missing; a date YYYY-MM-DD is needed", field=key)
        return default
    try:
        return dt.date.fromisoformat(given)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {given!r}", field=key) from None


async def _index(request: Request) -> Response:
    policies = _service(request).policies.values()
    return HTMLResponse(page.index(policies, _lang(request)))


def _listing(service: Service) -> list[dict[str, str]]:
    return [
        {
            "id": policy.id,
            "municipality": policy.municipality,
            "country": str(policy.country),
            "language": str(policy.language),
            "status": str(policy.status),
        }
        for policy in sorted(service.policies.values(), key=lambda p: p.id)
    ]


async def _policies(request: Request) -> Response:
    return JSONResponse(_listing(_service(request)))


async def _policy(request: Request) -> Response:
    return JSONResponse(to_json(_policy_of(request)))


async def _check(request: Request) -> Response:
    policy = _policy_of(request)
    wanted = request.path_params["check"]
    if wanted not in _CHECKS:
        raise _Refused(404, f"unknown check {wanted!r}; expected one of {', '.join(_CHECKS)}")
    lang = _lang(request, policy) if "lang" in request.query_params else None
    result = checks.run(policy, wanted, _table(await _body(request)))
    data = to_json(result)
    if lang is not None:
        verdict = result.verdict if isinstance(result, Quote) else result
        if isinstance(verdict, Verdict):
            data["explanation"] = verdict.explain(lang)
    return JSONResponse(data)


_CHECKS = tuple(check.value for check in Check if check is not Check.COMPLIANCE)


def _table(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, dict):
        raise InputError("expected a JSON object of named facts", field="body")
    return body


async def _schedule(request: Request) -> Response:
    policy = _policy_of(request)
    start, end = _day(request, "from"), _day(request, "to")
    with _query_names():
        return JSONResponse(to_json(obligations.schedule(policy, start, end)))


@contextlib.contextmanager
def _query_names() -> Iterator[None]:
    """An error about the library's `start` or `end` named as the query does: `from`, `to`."""
    try:
        yield
    except InputError as error:
        field = {"start": "from", "end": "to"}.get(error.field or "", error.field)
        raise InputError(error.problem, field=field) from None


async def _compliance(request: Request) -> Response:
    policy = _policy_of(request)
    return JSONResponse(to_json(checks.run(policy, "compliance", _table(await _body(request)))))


# --- Calendar feeds ------------------------------------------------------------------------------


async def _feed(request: Request) -> Response:
    form = request.path_params["form"]
    if form not in ("ics", "json"):
        raise _Refused(404, f"{request.url.path}: expected calendar.ics or calendar.json")
    if "policy" in request.path_params:
        chosen = [_policy_of(request)]
    else:
        wanted = request.query_params.getlist("policy")
        if not wanted:
            raise InputError("name one or more policies: ?policy=ID&policy=ID", field="policy")
        chosen = [_policy_of(request, policy_id) for policy_id in dict.fromkeys(wanted)]
    today = dt.datetime.now(dt.UTC).date()
    generated = dt.datetime.combine(today, dt.time(), dt.UTC)
    start, end = _window(request, today)
    records = _service(request).records
    meetings = (
        tuple(m for policy in chosen for m in _records(records, policy))
        if records is not None
        else None
    )
    with _query_names():
        body = _built(
            tuple(chosen),
            start,
            end,
            form,
            _lang(request, chosen[0]),
            generated,
            _flag(request, "todos"),
            _alarm(request),
            meetings,
        )
    media = "text/calendar" if form == "ics" else "application/calendar+json"
    return _cached(request, body, f"{media}; charset=utf-8", generated)


@functools.lru_cache(maxsize=64)
def _built(
    chosen: tuple[Policy, ...],
    start: dt.date,
    end: dt.date,
    form: str,
    lang: Language,
    generated: dt.datetime,
    todos: bool,
    alarm: int | None,
    meetings: tuple[Meeting, ...] | None,
) -> bytes:
    """The feed's bytes, kept for the same inputs: a client that asks again (a conditional GET,
    another subscriber) costs a lookup, not a new calendar. The records are part of the key, so
    an edited record file gives a new feed; `generated` is the day, so a new day does too."""
    options: dict[str, Any] = {"lang": lang, "generated": generated, "todos": todos, "alarm": alarm}
    if meetings is not None:
        options["meetings"], options["as_of"] = meetings, generated.date()
    if form == "ics":
        return calendar.to_ics(chosen, start, end, **options)
    return calendar.to_jcal(chosen, start, end, **options).encode("utf-8")


def _window(request: Request, today: dt.date) -> tuple[dt.date, dt.date]:
    """`from` and `to`, by default from 1 January last year to 31 December in three years."""
    start = _day(request, "from", dt.date(today.year - 1, 1, 1))
    end = _day(request, "to", dt.date(min(today.year + 3, dates.LAST_DAY.year), 12, 31))
    return start, end


async def _page(request: Request) -> Response:
    """The compliance page: the policy's obligations by year, with their states on today's
    date where the service keeps records."""
    policy = _policy_of(request)
    lang = _lang(request, policy)
    today = dt.datetime.now(dt.UTC).date()
    start, end = _window(request, today)
    with _query_names():
        occurrences = [
            *obligations.schedule(policy, start, end),
            *obligations.undated(policy),
        ]
    records = _service(request).records
    statuses = (
        obligations.states(policy, occurrences, _records(records, policy), today)
        if records is not None
        else None
    )
    feed = f"{str(request.base_url).rstrip('/')}/policies/{policy.id}/calendar.ics?lang={lang}"
    return HTMLResponse(page.render(policy, occurrences, statuses, lang, feed=feed, as_of=today))


def _records(folder: Path, policy: Policy) -> list[Meeting]:
    """The policy's meeting records, read again on every request: `<id>.csv`, else `<id>.json`."""
    for suffix in (".csv", ".json"):
        path = folder / f"{policy.id}{suffix}"
        if path.exists():
            return read_meetings(path)[0]
    return []


def _flag(request: Request, key: str) -> bool:
    given = request.query_params.get(key, "false").casefold()
    if given not in ("true", "false", "1", "0", "yes", "no"):
        raise InputError(f"expected true or false, got {given!r}", field=key)
    return given in ("true", "1", "yes")


def _alarm(request: Request) -> int | None:
    given = request.query_params.get("alarm")
    if given is None:
        return None
    if not given.isascii() or not given.isdigit() or len(given) > 6:
        raise InputError(f"expected a number of days, got {given!r}", field="alarm")
    return int(given)


def _cached(request: Request, body: bytes, media: str, generated: dt.datetime) -> Response:
    """`body` with an `ETag` (its hash) and `Last-Modified`; `304 Not Modified` when the
    client already has it (`If-None-Match`, else `If-Modified-Since`)."""
    tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {
        "ETag": tag,
        "Last-Modified": format_datetime(generated, usegmt=True),
        "Cache-Control": "public, max-age=3600",
    }
    matches = request.headers.get("if-none-match")
    if matches is not None:
        if tag in [t.strip() for t in matches.split(",")] or matches.strip() == "*":
            return Response(status_code=304, headers=headers)
    elif _not_modified_since(request.headers.get("if-modified-since"), generated):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _not_modified_since(header: str | None, generated: dt.datetime) -> bool:
    if header is None:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    return since.tzinfo is not None and generated <= since


# --- The description of the API ------------------------------------------------------------------


async def _openapi(request: Request) -> Response:
    return JSONResponse(openapi())


async def _docs(request: Request) -> Response:
    return HTMLResponse(page.api_docs(openapi(), EXAMPLES))


_ACTIVITY = {
    "pay": "none",
    "beneficiary": "others",
    "organised_by": "association",
    "participation": "active",
    "compulsion": "none",
}
EXAMPLES: dict[tuple[str, str], tuple[str, Any]] = {
    ("get", "/policies"): ("/policies", None),
    ("get", "/policies/{policy}"): ("/policies/hemnes", None),
    ("get", "/policies/{policy}/schedule"): (
        "/policies/hemnes/schedule?from=2025-01-01&to=2025-12-31",
        None,
    ),
    ("post", "/policies/{policy}/compliance"): (
        "/policies/lier/compliance",
        {
            "as_of": "2025-09-01",
            "meetings": [{"obligation": "lier.obligation.annual_dialogue", "held": "2025-03-04"}],
        },
    ),
    ("get", "/policies/{policy}/calendar.ics"): ("/policies/lier/calendar.ics?lang=en", None),
    ("get", "/policies/{policy}/calendar.json"): ("/policies/lier/calendar.json", None),
    ("get", "/calendar.ics"): ("/calendar.ics?policy=hemnes&policy=lier", None),
    ("post", "/policies/{policy}/check/volunteer-work"): (
        "/policies/hemnes/check/volunteer-work?lang=nb",
        {"activity": _ACTIVITY},
    ),
    ("post", "/policies/{policy}/check/council"): (
        "/policies/hemnes/check/council?lang=en",
        {"council": {"kind": "frivillighetsrad"}},
    ),
    ("post", "/policies/{policy}/check/grant"): (
        "/policies/lier/check/grant?lang=en",
        {
            "application": {
                "scheme": "tilskudd",
                "applicant": {"name": "Lier IL", "non_profit": True, "municipality": "Lier"},
            },
            "on": "2025-04-01",
        },
    ),
    ("post", "/policies/{policy}/check/rental"): (
        "/policies/lier/check/rental?lang=en",
        {
            "booking": {
                "premises": {"kind": "school"},
                "organisation": {"municipality": "Lier", "non_profit": True},
                "purpose": "training",
                "start": "2025-03-05T18:00:00",
                "end": "2025-03-05T20:00:00",
            },
            "tariff": {"currency": "NOK", "hourly": {"school": "200"}},
        },
    ),
    ("post", "/policies/{policy}/check/agreement"): (
        "/policies/lier/check/agreement?lang=en",
        {"agreement": {"kind": "partnership", "parties": ["Lier IL", "Lier kommune"]}},
    ),
    ("post", "/policies/{policy}/check/hearing"): (
        "/policies/hemnes/check/hearing?lang=nb",
        {"hearing": {"planning": True, "consultees": ["Frivillighetsrådet"]}},
    ),
    ("post", "/policies/{policy}/check/checklist"): (
        "/policies/lier/check/checklist?lang=nb",
        {
            "checklist": "lier.checklist.dialogue_arena",
            "review": {"present": ["lier.checklist.dialogue_arena.associations"]},
        },
    ),
}
"""An example request for each endpoint, by method and path: what `/docs` offers to send."""


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 description of the service, its schemas those of `frivillighet schema`
    (each schema's `$defs` lifted into `components.schemas`)."""
    from frivillighet.schema import schemas

    components: dict[str, Any] = {}
    for file, schema in schemas().items():
        name = file.removesuffix(".schema.json")
        body = {k: v for k, v in schema.items() if k not in ("$schema", "$defs")}
        for key, value in schema.get("$defs", {}).items():
            components.setdefault(key, _lifted(value))
        components[name] = _lifted(body)
    facts: dict[str, dict[str, str | None]] = {
        "volunteer-work": {"activity": "activity"},
        "council": {"council": "council", "registry": None},
        "grant": {"application": "grant-application", "on": None},
        "rental": {"booking": "booking", "tariff": "tariff"},
        "agreement": {"agreement": "agreement"},
        "hearing": {"hearing": "hearing"},
        "checklist": {"checklist": None, "review": "review"},
    }
    error = {
        "description": "bad input",
        "content": _json_of({"$ref": "#/components/schemas/error"}),
    }
    components["error"] = {
        "type": "object",
        "properties": {"error": {"type": "string"}},
        "required": ["error"],
    }
    policy_id = {"name": "policy", "in": "path", "required": True, "schema": {"type": "string"}}
    lang = {"name": "lang", "in": "query", "schema": {"enum": [str(x) for x in Language]}}
    feed_params = [
        lang,
        *(
            {"name": n, "in": "query", "schema": {"type": "string", "format": "date"}}
            for n in ("from", "to")
        ),
        {"name": "todos", "in": "query", "schema": {"type": "boolean"}},
        {"name": "alarm", "in": "query", "schema": {"type": "integer", "minimum": 0}},
    ]
    feed = {
        "summary": "the policy's obligations as an iCalendar (.ics) or jCal (.json) feed",
        "parameters": [policy_id, *feed_params],
        "responses": {
            "200": {"description": "the feed", "content": {"text/calendar": {}}},
            "304": {"description": "not modified (If-None-Match)"},
            "404": error,
            "422": error,
        },
    }
    paths: dict[str, Any] = {
        "/policies": {
            "get": {
                "summary": "the policies: id, municipality, country, language, status",
                "responses": {
                    "200": {"description": "the list", "content": _json_of({"type": "array"})}
                },
            }
        },
        "/policies/{policy}": {
            "get": {
                "summary": "the policy as fv.to_json gives it",
                "parameters": [policy_id],
                "responses": {
                    "200": {
                        "description": "the policy",
                        "content": _json_of({"$ref": "#/components/schemas/policy"}),
                    },
                    "404": error,
                },
            }
        },
        "/policies/{policy}/schedule": {
            "get": {
                "summary": "the occurrences due from `from` to `to`",
                "parameters": [
                    policy_id,
                    *(
                        {
                            "name": n,
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "format": "date"},
                        }
                        for n in ("from", "to")
                    ),
                ],
                "responses": {
                    "200": {"description": "occurrences", "content": _json_of({"type": "array"})},
                    "404": error,
                    "422": error,
                },
            }
        },
        "/policies/{policy}/compliance": {
            "post": {
                "summary": "compliance on `as_of` from meeting records",
                "parameters": [policy_id],
                "requestBody": {
                    "required": True,
                    "content": _json_of(
                        {
                            "type": "object",
                            "properties": {
                                "as_of": {"type": "string", "format": "date"},
                                "since": {"type": "string", "format": "date"},
                                "meetings": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/meeting"},
                                },
                            },
                            "required": ["as_of"],
                        }
                    ),
                },
                "responses": {
                    "200": {"description": "statuses", "content": _json_of({"type": "array"})},
                    "400": error,
                    "404": error,
                    "413": error,
                    "422": error,
                },
            }
        },
        "/policies/{policy}/calendar.ics": {"get": feed},
        "/policies/{policy}/calendar.json": {"get": feed},
        "/calendar.ics": {
            "get": {
                **feed,
                "summary": "several policies in one feed: ?policy=ID&policy=ID",
                "parameters": [
                    {
                        "name": "policy",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "array", "items": {"type": "string"}},
                        "explode": True,
                    },
                    *feed_params,
                ],
            }
        },
    }
    for check, named in facts.items():
        properties = {
            key: {"$ref": f"#/components/schemas/{schema}"} if schema else {"type": "string"}
            for key, schema in named.items()
        }
        paths[f"/policies/{{policy}}/check/{check}"] = {
            "post": {
                "summary": f"the verdict of the {check} check (for rental, the quote)",
                "parameters": [policy_id, lang],
                "requestBody": {
                    "required": True,
                    "content": _json_of({"type": "object", "properties": properties}),
                },
                "responses": {
                    "200": {"description": "the verdict", "content": _json_of({"type": "object"})},
                    "400": error,
                    "404": error,
                    "413": error,
                    "422": error,
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "frivillighet", "version": _version()},
        "paths": paths,
        "components": {"schemas": components},
    }


def _json_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _lifted(value: Any) -> Any:
    """`value` with its `$ref`s into `#/$defs/` pointing into `#/components/schemas/`."""
    if isinstance(value, dict):
        return {
            key: item.replace("#/$defs/", "#/components/schemas/")
            if key == "$ref" and isinstance(item, str)
            else _lifted(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_lifted(item) for item in value]
    return value


def _version() -> str:
    from frivillighet import __version__

    return __version__
