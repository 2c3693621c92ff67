"""How long the performance page's indicators take, the Python reference against the
aggregate queries (issue 16 item 2, decision 0029), on an existing database, read only.

Run by hand against a scratch database made with `bench/ssd_generator.py` and `import_ssd`
(docs/performance.md), for example:

    DATABASE_URL=postgres:///convene_scale .venv/bin/python bench/indicators.py --today 2026-11-24

It only reads. For each way it reports the median and 95th percentile of `--repeat` runs after
one warm-up, the queries, and the time the database spent executing them (the "SQL floor" of
that way: the rest is Python). "page" is what the performance page computes (this year and
last); "list" is one drill-down list (its counts and first page of 50 children).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

# The checkout to measure: this one, or another named by CONVENE_ROOT (to time the code of
# another branch with the same script).
ROOT = Path(os.environ.get("CONVENE_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))


class SqlClock:
    """Adds up the time spent inside the database driver's execute."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


def measure(work: Callable[[], object], repeat: int) -> tuple[float, float, int, float]:
    """(median ms, p95 ms, queries, median SQL ms) over `repeat` runs after one warm-up."""
    from django.db import connection

    work()
    timings, sql = [], []
    queries = 0
    for _ in range(repeat):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            start = time.perf_counter()
            work()
            timings.append((time.perf_counter() - start) * 1000)
        sql.append(clock.seconds * 1000)
        queries = clock.queries
    p95 = sorted(timings)[max(int(len(timings) * 0.95) - 1, 0)]
    return statistics.median(timings), p95, queries, statistics.median(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument(
        "--aggregate-count",
        action="store_true",
        help="lists take their count from the aggregate, not a second COUNT, as they do since "
        "decision 0032 for someone who may open every child's record",
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="instead, time the performance page and its lists as a senior manager through "
        "Django's test client; this WRITES (a bench user, sessions, audit rows): scratch "
        "copies only",
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="time only the aggregate queries (after checking once that they agree)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings.test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test client's host
    import django

    django.setup()
    from django.db import connection

    from convene.people.models import Child
    from convene.returns.indicator_queries import children_behind, figures_for_years
    from convene.returns.indicators import Count, Indicator, Side, indicators_for_years
    from convene.returns.years import ReportingYear

    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.platform()}, {os.cpu_count()} CPUs; "
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{Child.objects.count():,} children"
    )
    current = ReportingYear.containing(args.today)
    years = [current, current.previous]
    if args.pages:
        time_pages(current, args.today, args.repeat)
        return
    reference = indicators_for_years(years, today=args.today)
    figures = figures_for_years(years, today=args.today)
    assert [r.as_json() for r in reference] == [f.as_json() for f in figures]
    for result in figures:
        print(result.year.label, result.as_json())

    def first_page(ids: Any, *, count: bool = True) -> None:
        children = Child.objects.filter(pk__in=ids)
        if count:
            children.count()
        list(children.order_by("last_name", "pk")[:50])

    def old_list(indicator: Indicator, side: Side) -> Callable[[], object]:
        def work() -> None:
            (result,) = indicators_for_years([current.previous], today=args.today)
            value = result.get(indicator)
            first_page(list(dict.fromkeys(value.children(side))))

        return work

    def new_list(indicator: Indicator, side: Side) -> Callable[[], object]:
        on = current.previous.reference_date(args.today)

        def work() -> None:
            behind = children_behind(current.previous, indicator, side, on=on)
            first_page(behind.child_ids, count=not args.aggregate_count)

        return work

    rows: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            "page: both years' indicators",
            lambda: indicators_for_years(years, today=args.today),
            lambda: figures_for_years(years, today=args.today),
        )
    ]
    for indicator in Indicator:
        sides = [Side.NUMERATOR] if isinstance(reference[1].get(indicator), Count) else list(Side)
        for side in sides:
            rows.append(
                (
                    f"list: {indicator.slug} {side.value}",
                    old_list(indicator, side),
                    new_list(indicator, side),
                )
            )
    print(
        "\n| what | before: median / p95 ms | queries | SQL ms "
        "| after: median / p95 ms | queries | SQL ms | after ÷ its SQL |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, old, new in rows:
        b = (0.0, 0.0, 0, 0.0) if args.queries_only else measure(old, args.repeat)
        a = measure(new, args.repeat)
        print(
            f"| {name} | {b[0]:.0f} / {b[1]:.0f} | {b[2]} | {b[3]:.0f} "
            f"| {a[0]:.0f} / {a[1]:.0f} | {a[2]} | {a[3]:.0f} | {a[0] / max(a[3], 0.001):.2f} |",
            flush=True,
        )


def time_pages(current: Any, today: date, repeat: int) -> None:
    """The performance page and each list of 2025-26 (first page), median / p95 of `repeat`
    requests after one, with the queries of one, as a senior manager on `today`."""
    import time_machine

    from convene.access.enums import Role
    from convene.access.models import RoleGrant, User
    from convene.people.enums import AgencyType
    from convene.people.models import Agency
    from convene.returns.indicators import Indicator, Side

    user = User.objects.filter(email="bench.performance@convene.invalid").first()
    if user is None:
        agency = Agency.objects.order_by("pk").first() or Agency.objects.create(
            name="Bench agency", type=AgencyType.CHILDRENS_SOCIAL_CARE
        )
        user = User.objects.create_user(
            "bench.performance@convene.invalid", None, agency=agency, first_name="Bench"
        )
        RoleGrant.objects.create(user=user, role=Role.SENIOR_MANAGER)
    urls = ["/performance/"] + [
        f"/performance/{current.previous.label}/{indicator.slug}/{side.value}/"
        for indicator in Indicator
        for side in Side
        if not (indicator is Indicator.CHILDREN_ON_PLANS and side is Side.DENOMINATOR)
    ]
    from _pages import time_page  # bench/_pages.py, beside this file

    print("| page | median / p95 ms | queries |\n| --- | ---: | ---: |")
    with time_machine.travel(f"{today.isoformat()} 12:00 +0000", tick=True):
        for url in urls:
            median, p95, queries = time_page(user, url, repeat)
            print(f"| {url} | {median:.0f} / {p95:.0f} | {queries} |", flush=True)


if __name__ == "__main__":
    main()
