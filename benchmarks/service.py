"""The web service under a bounded load on loopback: requests per second and p50/p99 latency
of a check and of a cached feed, next to the same check called in the process.

Part of `python -m benchmarks` when the `server` extra is installed. For information: there is
no target, since the figures measure the machine's loopback and HTTP stack as much as the
library.
"""

from __future__ import annotations

import datetime as dt
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

import frivillighet as fv
from frivillighet import checks

CLIENTS = 8
REQUESTS = 2000


def bodies(count: int) -> list[dict[str, Any]]:
    """Distinct volunteer-work facts, every combination of the five facts the definition
    reads (and `area`), cycled to `count`."""
    import itertools

    combos = list(
        itertools.product(
            list(fv.Pay), list(fv.Beneficiary), list(fv.Organiser), list(fv.Participation),
            list(fv.Compulsion), list(fv.Area),
        )
    )  # fmt: skip
    facts = [
        {
            "activity": {
                "description": f"activity {index}",
                "pay": pay, "beneficiary": beneficiary, "organised_by": organiser,
                "participation": participation, "compulsion": compulsion, "area": area,
            }
        }
        for index, (pay, beneficiary, organiser, participation, compulsion, area)
        in enumerate(combos)
    ]  # fmt: skip
    return [facts[i % len(facts)] for i in range(count)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _timed(run: Callable[[], httpx.Response], expect: int) -> float:
    start = time.perf_counter()
    response = run()
    elapsed = time.perf_counter() - start
    if response.status_code != expect:
        raise SystemExit(f"service answered {response.status_code}: {response.text[:200]}")
    return elapsed


def _load(calls: list[Callable[[], httpx.Response]], expect: int) -> tuple[float, float, float]:
    """Requests per second, p50 and p99 latency (s) of `calls` from `CLIENTS` threads."""
    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        latencies = list(pool.map(lambda call: _timed(call, expect), calls))
    wall = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100)
    return len(calls) / wall, cuts[49], cuts[98]


def run() -> list[tuple[str, float, float, float]]:
    """(name, requests per second, p50, p99) for the service and in-process."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "frivillighet", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get("/policies")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the service did not start") from None
                    time.sleep(0.1)
            hemnes = fv.load_policy("hemnes")
            facts = bodies(REQUESTS)
            check = "/policies/hemnes/check/volunteer-work"
            for body in facts[: len(set(map(str, facts)))]:  # the same decisions, first
                over_http = client.post(check, json=body).json()
                in_process = fv.to_json(checks.run(hemnes, "volunteer-work", body))
                if over_http != in_process:
                    raise SystemExit(f"the service and the library differ for {body}")
            rows = []
            rps, p50, p99 = _load([lambda b=b: client.post(check, json=b) for b in facts], 200)
            rows.append(("POST check volunteer-work (hemnes)", rps, p50, p99))
            feed = "/policies/hemnes/calendar.ics"
            tag = client.get(feed).headers["etag"]
            rps, p50, p99 = _load(
                [lambda: client.get(feed, headers={"If-None-Match": tag})] * REQUESTS, 304
            )
            rows.append(("GET calendar.ics, If-None-Match (304)", rps, p50, p99))
            rps, p50, p99 = _load([lambda: client.get(feed)] * REQUESTS, 200)
            rows.append(("GET calendar.ics, kept (200)", rps, p50, p99))
            days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(REQUESTS // 10)]
            rps, p50, p99 = _load([lambda d=d: client.get(f"{feed}?from={d}") for d in days], 200)
            rows.append(("GET calendar.ics, each a new window (200)", rps, p50, p99))
    finally:
        server.terminate()
        server.wait(timeout=10)
    hemnes = fv.load_policy("hemnes")
    latencies = []
    start = time.perf_counter()
    for body in facts:
        began = time.perf_counter()
        checks.run(hemnes, "volunteer-work", body)
        latencies.append(time.perf_counter() - began)
    wall = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100)
    rows.append(
        ("checks.run volunteer-work, in the process", len(facts) / wall, cuts[49], cuts[98])
    )
    return rows


def report() -> None:
    print(
        f"\nThe service on loopback, {CLIENTS} clients, {REQUESTS} requests"
        f" ({dt.date.today()}; for information, no target)"
    )
    print(f"{'':44} {'req/s':>10} {'p50':>10} {'p99':>10}")
    for name, rps, p50, p99 in run():
        print(f"{name:44} {rps:10.0f} {p50 * 1e3:8.2f}ms {p99 * 1e3:8.2f}ms")


if __name__ == "__main__":
    report()
