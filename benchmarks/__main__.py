"""`python -m benchmarks`: every target as a ratio to a baseline run beside it.

Each figure is the best of several repeats, so a busy machine slows both sides alike; the
ratio, not the seconds, is the result. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import platform
import random
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal

import icalendar
from icalendar.enums import TRANSP

import frivillighet as fv
from frivillighet import calendar
from frivillighet.rules import council, grants, obligations, rental, volunteer_work

REPEATS = 7


def best(run: Callable[[], object], repeats: int = REPEATS) -> float:
    """The shortest of `repeats` timings of `run`, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def activities(count: int) -> list[fv.Activity]:
    rng = random.Random(7)
    pool = [
        fv.Activity(
            pay=rng.choice(list(fv.Pay)),
            beneficiary=rng.choice(list(fv.Beneficiary)),
            organised_by=rng.choice(list(fv.Organiser)),
            participation=rng.choice(list(fv.Participation)),
            compulsion=rng.choice(list(fv.Compulsion)),
            area=rng.choice(list(fv.Area)),
        )
        for _ in range(1000)
    ]
    return list(itertools.islice(itertools.cycle(pool), count))


def bare_volunteer(activity: fv.Activity) -> bool:
    return (
        activity.pay is not fv.Pay.WAGE
        and activity.beneficiary is fv.Beneficiary.OTHERS
        and activity.organised_by in (fv.Organiser.ASSOCIATION, fv.Organiser.AGREEMENT)
        and activity.participation is fv.Participation.ACTIVE
        and activity.compulsion is fv.Compulsion.NONE
    )


def rules_vs_bare() -> list[tuple[str, float, float]]:
    hemnes, lier, vest = (fv.load_policy(p) for p in ("hemnes", "lier", "vesthimmerland"))
    items = activities(20_000)
    rows = [
        (
            "volunteer_work.assess, 20 000 activities",
            best(lambda: [volunteer_work.assess(hemnes, a) for a in items]),
            best(lambda: [bare_volunteer(a) for a in items]),
        )
    ]
    member = fv.Member(
        name="A",
        represents=fv.Body(kind="organisation", name="Røde Kors", municipality="Vesthimmerland"),
        elected_by="voluntary_organisations",
    )
    councils = [
        fv.Council(kind="frivilligrad", members=(member,) * (i % 7 + 1)) for i in range(2_000)
    ]
    rows.append(
        (
            "council.assess, 2 000 councils",
            best(lambda: [council.assess(vest, c) for c in councils], 3),
            best(
                lambda: [
                    all(
                        m.elected_by == "voluntary_organisations"
                        and m.represents.kind == "organisation"
                        and m.represents.municipality == "Vesthimmerland"
                        for m in c.members
                    )
                    for c in councils
                ],
                3,
            ),
        )
    )
    applicant = fv.Organisation(
        name="Røde Kors", municipality="Vesthimmerland", non_profit=True, volunteer_based=True
    )
    applications = [
        fv.GrantApplication(applicant=applicant, area=a.area, submitted=dt.date(2024, 3, 1))
        for a in items[:2_000]
    ]
    on = dt.date(2024, 4, 1)
    rows.append(
        (
            "grants.assess, 2 000 applications",
            best(lambda: [grants.assess(vest, a, on=on) for a in applications], 3),
            best(
                lambda: [
                    a.area is fv.Area.SOCIAL
                    and a.applicant.non_profit is True
                    and a.applicant.volunteer_based is True
                    and a.applicant.municipality == "Vesthimmerland"
                    for a in applications
                ],
                3,
            ),
        )
    )
    tariff = fv.Tariff(currency="NOK", hourly={"school": 200})
    korps = fv.Organisation(name="Korps", non_profit=True, municipality="Lier")
    bookings = [
        fv.Booking(
            premises=fv.Premises(kind="school"),
            organisation=korps,
            purpose="rehearsal",
            start=dt.datetime(2024, 3, 4, 18) + dt.timedelta(days=i % 30),
            end=dt.datetime(2024, 3, 4, 20) + dt.timedelta(days=i % 30),
        )
        for i in range(1_000)
    ]
    rows.append(
        (
            "rental.quote, 1 000 bookings",
            best(lambda: [rental.quote(lier, b, tariff) for b in bookings], 3),
            best(
                lambda: [
                    Decimal(200) * Decimal((b.end - b.start).seconds) / 3600
                    if b.start.weekday() > 4
                    else Decimal(0)
                    for b in bookings
                ],
                3,
            ),
        )
    )
    meetings = [
        fv.Meeting(obligation="hemnes.obligation.june_status", held=dt.date(y, 6, 15))
        for y in range(2015, 2025)
    ]
    rows.append(
        (
            "obligations.compliance, Hemnes 2015-2025",
            best(lambda: obligations.compliance(hemnes, meetings, dt.date(2025, 1, 1)), 5),
            best(
                lambda: [
                    any(dt.date(y, 6, 1) <= m.held <= dt.date(y, 6, 30) for m in meetings)
                    for y in range(2015, 2025)
                    for _ in range(5)
                ],
                5,
            ),
        )
    )
    return rows


def calendar_vs_icalendar() -> tuple[float, float]:
    policies = [fv.load_policy(p) for p in fv.builtin_policies()]
    start, end = dt.date(2025, 1, 1), dt.date(2034, 12, 31)
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    occurrences = [(p, o) for p in policies for o in obligations.schedule(p, start, end)]

    def bare() -> bytes:
        feed = icalendar.Calendar.new(
            name="Frivillighetspolitikk", prodid="-//bench//EN", uid="bench"
        )
        for policy, o in occurrences:
            feed.add_component(
                icalendar.Event.new(
                    uid=f"{o.key}@{policy.id}",
                    stamp=stamp,
                    start=o.due,
                    end=o.due + dt.timedelta(days=1),
                    transparency=TRANSP.TRANSPARENT,
                    summary=f"{o.titles.get('nb')} ({policy.municipality})",
                    description=(
                        f"Frist {o.due}\nKilde: {o.source.document}, "
                        f"«{o.source.section}»: «{o.source.quote}»"
                    ),
                    categories=[policy.municipality, str(o.category)],
                )
            )
        return bytes(feed.to_ical())

    ours = best(lambda: calendar.to_ics(policies, start, end, generated=stamp), 5)
    return ours, best(bare, 5)


def import_times() -> tuple[float, float, float]:
    def fresh(statement: str) -> float:
        return best(lambda: subprocess.run([sys.executable, "-c", statement], check=True), 5)

    empty = fresh("pass")
    first_use = "import frivillighet; frivillighet.load_policy('hemnes')"
    return (
        fresh("import frivillighet") - empty,
        fresh("import icalendar") - empty,
        fresh(first_use) - empty,
    )


def scaling() -> list[tuple[str, float]]:
    hemnes = fv.load_policy("hemnes")
    rows = []
    for count in (1_000, 10_000, 100_000, 1_000_000):
        items = activities(count)
        passes = max(1, 100_000 // count)  # small lists run several times, so timings compare

        def run(items: list[fv.Activity] = items, passes: int = passes) -> None:
            for _ in range(passes):
                for activity in items:
                    volunteer_work.assess(hemnes, activity)

        seconds = best(run, 3)
        rows.append((f"volunteer_work.assess, {count:>9,} items", seconds / (count * passes) * 1e9))
    for years in (1, 10, 100):
        end = dt.date(2015 + years - 1, 12, 31)
        seconds = best(lambda end=end: obligations.schedule(hemnes, dt.date(2015, 1, 1), end), 5)
        rows.append((f"obligations.schedule, {years:>3} years", seconds / years * 1e9))
    return rows


def main() -> int:
    print(
        f"frivillighet {fv.__version__} on {platform.python_implementation()} "
        f"{platform.python_version()}, "
        f"{platform.machine()}, {platform.system()}"
    )
    missed = []
    print(
        "\nRules against a bare predicate over the same facts"
        " (target for volunteer work: at most 5x)"
    )
    print(f"{'':44} {'library':>10} {'baseline':>10} {'ratio':>7}")
    for name, ours, bare in rules_vs_bare():
        ratio = ours / bare
        print(f"{name:44} {ours * 1e3:8.1f}ms {bare * 1e3:8.1f}ms {ratio:6.1f}x")
        if name.startswith("volunteer_work") and ratio > 5:
            missed.append(name)
    ours, bare = calendar_vs_icalendar()
    print(
        "\ncalendar.to_ics, all built-in policies, ten years, against bare icalendar"
        " (target: at most 1.5x)"
    )
    print(f"{'to_ics':44} {ours * 1e3:8.1f}ms {bare * 1e3:8.1f}ms {ours / bare:6.2f}x")
    if ours / bare > 1.5:
        missed.append("calendar")
    ours, bare, first_use = import_times()
    print("\nImport in a fresh interpreter, against `import icalendar` (target: at most 0.5x)")
    print(f"{'import frivillighet':44} {ours * 1e3:8.1f}ms {bare * 1e3:8.1f}ms {ours / bare:6.2f}x")
    print(f"{'  and load_policy(hemnes) (for information)':44} {first_use * 1e3:8.1f}ms")
    if ours / bare > 0.5:
        missed.append("import")
    print(
        "\nScaling: time per item stays flat; schedule time per year stays flat (linear in years)"
    )
    per = scaling()
    for name, nanoseconds in per:
        print(f"{name:44} {nanoseconds:10.0f} ns per item/year")
    items = [ns for name, ns in per if "assess" in name]
    years = [ns for name, ns in per if "schedule" in name]
    spread = max(items) / min(items), max(years[1:]) / min(years[1:])
    print(
        f"{'largest/smallest per item (assess, schedule)':44} {spread[0]:10.2f}x {spread[1]:6.2f}x"
    )
    if spread[0] > 2:
        missed.append("scaling of assess")
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401

        from benchmarks import service
    except ImportError:  # the server extra (starlette, uvicorn) or httpx is not installed
        print("\nThe service: skipped (pip install '.[server,test]')")
    else:
        service.report()
    print("\nall targets met" if not missed else f"\nmissed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
