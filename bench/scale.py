"""Convene at the size of the largest authorities: every main page, every command, on PostgreSQL.

Run by hand (not a test), `make bench-scale` or:

    .venv/bin/python bench/scale.py --children 100000            # generate, import, measure
    .venv/bin/python bench/scale.py --reuse convene_scale         # measure a copy of a database

Without --reuse it writes an extract with bench/ssd_generator.py (var/bench/ssd-<N>), creates a
new PostgreSQL database (--database, default convene_bench_<N>; it must not exist), migrates it
and imports the extract with `manage.py import_ssd` in a child process, timing it and taking
its peak memory (maximum resident set size). The database is kept for the next run.

With --reuse DB it never writes to DB: it copies it (`CREATE DATABASE <--copy> TEMPLATE DB`,
which needs nobody connected to DB), migrates the copy to today's code and measures the copy,
then drops it (unless --keep).

Then, in the database it measures:

1. the people it needs, made once and found again by e-mail (bench-scale-*@example.invalid):
   an administrator, a chair of the conferences of --chair-plans children with plans, a team
   of --team social workers with --caseload children each (allocated through the service,
   as a team manager would), their team manager, a senior manager, a system administrator and
   the manager of the list of children subject to a plan;
2. every main page as the person who uses it, through Django's test client with the clock at
   --today noon: one warm-up, then --repeat requests (median and 95th percentile), then one
   more whose queries are counted and, each SELECT, explained with EXPLAIN ANALYZE. "SQL ms"
   is the median time a request spent inside the database driver (queries and fetching
   rows); the "SQL floor" is the sum of the execution times PostgreSQL reports for the
   page's queries: what the page would cost if Python took no time. "x floor" is the median
   over the floor;
3. each command (census, Annex A, indicators, deadlines, and `manage.py check` for Django's
   own start) in a child process, under GNU time when there is one: wall time, processor time
   (user and system) and peak memory.

Before timing it runs VACUUM ANALYZE on the database it measures (as autovacuum would): a copy
of a database never analysed gives plans, and times, no live database would have. For each
page whose SQL floor is 10 ms or more it also prints the slowest query, where to look first.

It prints the machine and a Markdown table ready for docs/performance.md (--output also writes
it to a file). Pages and people are found by URL name and role, so the benchmark keeps working
as the pages change; --prepare runs a management command (for example one that rebuilds stored
data) after the people are made and before anything is timed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "var" / "bench"
PYTHON = sys.executable
SETTINGS = "convene.settings.test"  # DEBUG off, as the other benchmarks
EMAIL = "bench-scale-{}@example.invalid"
FLOOR_MS = 10.0
SLOW_REPEAT = 3
SHOWN = 600  # characters of the slowest query shown


# Child processes: wall time, processor time and peak memory ----------------------------


@dataclass
class Run:
    title: str
    seconds: float
    user_seconds: float
    peak_mb: float
    status: int


GNU_TIME = Path("/usr/bin/time")


def run_child(title: str, argv: list[str], env: dict[str, str], stdout: Path | None = None) -> Run:
    """Runs argv to its end: its wall time, processor time and peak memory. Through GNU time
    when there is one: a process forked from this one (large by now) starts with this one's
    peak memory as its own on Linux, and keeps it through exec; GNU time is small."""
    measured = BENCH / "scale" / "time.txt"
    wrapper = [str(GNU_TIME), "-f", "%e %U %S %M", "-o", str(measured)] if GNU_TIME.exists() else []
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        process = subprocess.Popen([*wrapper, *argv], cwd=ROOT, env=env, stdout=out)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
    process.returncode = code = os.waitstatus_to_exitcode(status)
    processor, peak_kb = usage.ru_utime + usage.ru_stime, usage.ru_maxrss  # kilobytes on Linux
    if wrapper:
        # The last line: a command that failed has "Command exited with non-zero status" first.
        wall, user, system, peak = measured.read_text().split("\n")[-2].split()
        seconds, processor, peak_kb = float(wall), float(user) + float(system), int(peak)
    run = Run(title, seconds, processor, peak_kb / 1024, code)
    print(f"  {title}: {seconds:.1f} s, {run.user_seconds:.1f} s processor, "
          f"{run.peak_mb:,.0f} MB, exit {code}", flush=True)  # fmt: skip
    if code:
        sys.exit(f"{title} failed with exit status {code}")
    return run


# The database --------------------------------------------------------------------------


def admin_sql(server: str, *statements: Any) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def database_exists(server: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return row.fetchone() is not None


def database_settings(server: str, name: str) -> list[tuple[str, str]]:
    """The settings given to a database with ALTER DATABASE ... SET, for every user."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        row = connection.execute(
            "SELECT setconfig FROM pg_db_role_setting JOIN pg_database d ON d.oid = setdatabase "
            "WHERE d.datname = %s AND setrole = 0",
            [name],
        ).fetchone()
    return [tuple(item.split("=", 1)) for item in (row[0] if row else [])]


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> tuple[str, list[Run]]:
    """The name of the database to measure, and the runs that made it (generation, import)."""
    from psycopg import sql

    if args.reuse:
        if not database_exists(args.server, args.reuse):
            sys.exit(f"there is no database {args.reuse}")
        if database_exists(args.server, args.copy):
            if not args.keep:
                sys.exit(f"{args.copy} exists: drop it, or pass --keep to measure it as it is")
            print(f"Measuring the existing copy {args.copy}", flush=True)
        else:
            print(f"Copying {args.reuse} to {args.copy} ...", flush=True)
            admin_sql(
                args.server,
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(args.copy), sql.Identifier(args.reuse)
                ),
                # A template does not pass on its ALTER DATABASE ... SET (random_page_cost).
                *(
                    sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                        sql.Identifier(args.copy), sql.Identifier(name), sql.Literal(value)
                    )
                    for name, value in database_settings(args.server, args.reuse)
                ),
            )
        return args.copy, []
    name = args.database or f"convene_bench_{args.children}"
    if database_exists(args.server, name):
        sys.exit(f"{name} exists: drop it, or measure it with --reuse {name}")
    extract = args.extract or BENCH / f"ssd-{args.children}"
    runs = [
        run_child(
            f"generate {args.children:,} children",
            [
                PYTHON,
                "bench/ssd_generator.py",
                str(extract),
                "--children",
                str(args.children),
                "--today",
                args.today.isoformat(),
            ],
            env,
        )
    ]
    admin_sql(
        args.server,
        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)),
        # As on this machine's SSD (decision 0027): index reads cost little more than reads
        # in order, so PostgreSQL picks the indexes the pages were written for.
        sql.SQL("ALTER DATABASE {} SET random_page_cost = 1.1").format(sql.Identifier(name)),
    )
    env = {**env, "DATABASE_URL": f"{args.server}/{name}"}
    run_child("migrate", [PYTHON, "manage.py", "migrate", "-v0"], env)
    runs.append(
        run_child(
            "manage.py import_ssd",
            [PYTHON, "manage.py", "import_ssd", str(extract), "--quiet"],
            env,
            stdout=BENCH / "scale" / "import.log",
        )
    )
    return name, runs


# The people ------------------------------------------------------------------------------


@dataclass
class People:
    by_role: dict[str, Any]
    child: Any  # a child of the social worker's caseload, on a plan
    plan: Any
    conference: Any  # a conference the chair chaired

    def __getitem__(self, role: str) -> Any:
        return self.by_role[role]


def _make_people(args: argparse.Namespace, roles: dict[str, Any], slug: dict[str, str]) -> None:
    """An administrator, a chair, a team of social workers with their caseloads and their
    manager, and the others in `roles`."""
    from convene.access.enums import Role
    from convene.conferences.models import Conference
    from convene.core.services import Actor
    from convene.people.enums import AgencyType
    from convene.people.models import Agency, Child, Team
    from convene.people.services import child_allocate
    from convene.plans.models import Plan
    from convene.testing.factories import UserFactory

    agency = Agency.objects.filter(type=AgencyType.CHILDRENS_SOCIAL_CARE).order_by("pk").first()
    if agency is None:
        agency = Agency.objects.create(
            name="Bench children's services", type=AgencyType.CHILDRENS_SOCIAL_CARE
        )
    made = {
        name: UserFactory.create(
            email=EMAIL.format(slug[name]),
            first_name="Bench",
            last_name=name.title(),
            agency=agency,
            roles=granted,
        )
        for name, granted in roles.items()
    }
    team = Team.objects.create(
        name="Bench assessment team", agency=agency, manager=made["team manager"]
    )
    workers = [
        UserFactory.create(
            email=EMAIL.format(f"social-worker-{n}"),
            first_name="Bench",
            last_name=f"Social Worker {n}",
            agency=agency,
            team=team,
            roles=[Role.SOCIAL_WORKER],
        )
        for n in range(args.team)
    ]
    # Children on a plan, none allocated yet: each worker gets --caseload of them, through
    # the service, so whatever the service keeps up to date stays so.
    open_plans = Plan.objects.filter(end_date__isnull=True, child__social_worker__isnull=True)
    wanted = args.team * args.caseload + args.chair_plans
    children = list(
        Child.objects.filter(pk__in=open_plans.values("child_id"))
        .order_by("pk")
        .values_list("pk", flat=True)[:wanted]
    )
    by = Actor(made["team manager"], reason="Benchmark caseload")
    for n, worker in enumerate(workers):
        for pk in children[n * args.caseload : (n + 1) * args.caseload]:
            child_allocate(
                child=Child.objects.get(pk=pk),
                social_worker=worker,
                was=None,
                allowed=[worker],
                by=by,
            )
    # The chair chaired the conferences of the next --chair-plans children on a plan. No
    # service changes a held conference's chair, so this one is written directly.
    chaired = children[args.team * args.caseload :]
    Conference.objects.filter(subjects__child_id__in=chaired).update(chair=made["chair"])


def make_people(args: argparse.Namespace) -> People:
    """The people the pages need, made once per database (found again by e-mail)."""
    from django.db import transaction

    from convene.access.enums import Role
    from convene.access.models import User
    from convene.conferences.models import Conference
    from convene.plans.models import Plan

    roles = {
        "administrator": [Role.CONFERENCE_ADMINISTRATOR],
        "chair": [Role.CONFERENCE_CHAIR],
        "team manager": [Role.TEAM_MANAGER],
        "senior manager": [Role.SENIOR_MANAGER],
        "system administrator": [Role.SYSTEM_ADMINISTRATOR],
        "register manager": [Role.REGISTER_MANAGER],
    }
    slug = {name: name.replace(" ", "-") for name in roles}
    existing = {u.email: u for u in User.objects.filter(email__startswith="bench-scale-")}
    if EMAIL.format("administrator") not in existing:
        print("Making the people ...", flush=True)
        with transaction.atomic():  # all or none, so a second run finds them all
            _make_people(args, roles, slug)
        existing = {u.email: u for u in User.objects.filter(email__startswith="bench-scale-")}
    by_role = {name: existing[EMAIL.format(slug[name])] for name in roles}
    by_role["social worker"] = existing[EMAIL.format("social-worker-0")]
    plan = (
        Plan.objects.filter(child__social_worker=by_role["social worker"], end_date__isnull=True)
        .select_related("child")
        .order_by("pk")
        .first()
    )
    assert plan is not None, "the social worker has no child on a plan"
    conference = Conference.objects.filter(chair=by_role["chair"]).order_by("-date", "-pk").first()
    assert conference is not None, "the chair chairs no conference"
    return People(by_role, plan.child, plan, conference)


# The pages -----------------------------------------------------------------------------


@dataclass
class Page:
    title: str
    role: str
    url: str


@dataclass
class Measured:
    page: Page
    median: float
    p95: float
    queries: int
    sql_ms: float
    floor_ms: float
    kilobytes: float
    requests: int

    @property
    def weighty(self) -> bool:
        """Whether the page's SQL is worth comparing with: below FLOOR_MS, the page's time is
        Django's own (sessions, templates) whatever its queries, and the ratio means nothing."""
        return self.floor_ms >= FLOOR_MS


class SqlClock:
    """Adds up the time spent inside the database driver's execute."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def options(html: str, name: str) -> list[str]:
    """The non-empty values of the <select name=...> on a page (a filter's choices)."""
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if not found:
        return []
    return [v for v in re.findall(r'<option[^>]*value="([^"]*)"', found.group(1)) if v]


def pages(people: People, today: date, client_for: Any) -> list[Page]:
    """Every main page, as the person who uses it; URLs by name, filters read off the page."""
    from django.urls import reverse

    from convene.returns.indicators import Indicator, ReportingYear, Side

    child, plan = people.child, people.plan
    last_year = ReportingYear.containing(today).previous
    found = [
        Page(f"home ({role})", role, reverse("core:home"))
        for role in ("administrator", "chair", "social worker", "team manager", "senior manager")
    ]
    work_list = reverse("returns:work-list")
    found.append(Page("work list", "administrator", work_list))
    html = client_for("administrator").get(work_list).content.decode()
    for name, title in (("team", "work list, one team"), ("kind", "work list, one kind")):
        values = options(html, name)
        if values:
            found.append(Page(title, "administrator", f"{work_list}?{name}={values[0]}"))
        else:
            print(f"  (no {name} to filter the work list by: {title} left out)")
    found += [
        Page("work list, overdue only", "administrator", f"{work_list}?overdue=on"),
        Page("work list (team manager)", "team manager", work_list),
        Page("conferences list", "administrator", reverse("conferences:list")),
        Page(
            "a conference",
            "administrator",
            reverse("conferences:detail", args=[people.conference.pk]),
        ),
        Page("your conferences (social worker)", "social worker", reverse("conferences:yours")),
        Page("diary (chair)", "chair", reverse("conferences:diary")),
        Page("a child's record", "social worker", reverse("people:child-detail", args=[child.pk])),
        Page("children, page 1", "senior manager", reverse("people:child-list")),
        Page(
            "children, an identifier",
            "senior manager",
            f"{reverse('people:child-list')}?q={child.la_child_id}",
        ),
        Page(
            "children, a last name",
            "senior manager",
            f"{reverse('people:child-list')}?q={child.last_name}",
        ),
        Page("performance", "senior manager", reverse("returns:performance")),
        Page(
            f"performance: initial conferences on time {last_year.label}",
            "senior manager",
            reverse(
                "returns:performance-children",
                args=[
                    last_year.label,
                    Indicator.ICPC_WITHIN_15_WORKING_DAYS.slug,
                    Side.DENOMINATOR.value,
                ],
            ),
        ),
        Page("plans open 2 years or more", "senior manager", reverse("plans:long")),
        Page("the plan", "social worker", reverse("plans:plan", args=[plan.pk])),
        Page("children subject to a plan", "register manager", reverse("register:list")),
        Page(
            "a child's audit trail",
            "system administrator",
            reverse("access:child-audit-trail", args=[child.pk]),
        ),
    ]
    return found


def explain(queries: list[dict[str, Any]]) -> tuple[float, float, str]:
    """The execution time PostgreSQL reports for each SELECT of the page, added up; and the
    slowest one's time and SQL (where to look first)."""
    from django.db import connection

    total, slowest, slowest_sql = 0.0, 0.0, ""
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()
        took = plan[0]["Execution Time"]
        total += took
        if took > slowest:
            slowest, slowest_sql = took, sql
    return total, slowest, slowest_sql


def measure(page: Page, client: Any, repeat: int, slow: float) -> Measured:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    response = client.get(page.url)
    assert response.status_code == 200, (page.title, page.url, response.status_code)
    if time.perf_counter() - started > slow:
        # A page this slow is far over any target whatever its spread: a few requests say so
        # without holding the benchmark up for many minutes.
        repeat = min(repeat, SLOW_REPEAT)
    timings, sql = [], []
    for _ in range(repeat):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            started = time.perf_counter()
            response = client.get(page.url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (page.title, page.url, response.status_code)
        sql.append(clock.seconds * 1000)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    floor, slowest, slowest_sql = explain(captured.captured_queries)
    p95 = sorted(timings)[max(round(len(timings) * 0.95) - 1, 0)]
    result = Measured(
        page,
        statistics.median(timings),
        p95,
        len(captured.captured_queries),
        statistics.median(sql),
        floor,
        len(response.content) / 1024,
        repeat,
    )
    ratio = f", {result.median / result.floor_ms:.1f}x floor" if result.weighty else ""
    print(f"  {page.title} as {page.role}: {result.median:.0f} / {result.p95:.0f} ms, "
          f"{result.queries} queries, SQL {result.sql_ms:.0f} ms{ratio}", flush=True)  # fmt: skip
    if result.weighty:
        # The columns say little; what it reads and how it filters say much.
        shown = re.sub(r"^SELECT .*? FROM ", "SELECT ... FROM ", slowest_sql, count=1, flags=re.S)
        print(f"    slowest query {slowest:.0f} ms: {shown[:SHOWN]}", flush=True)
    return result


# The commands ----------------------------------------------------------------------------


def commands(today: date, env: dict[str, str]) -> list[Run]:
    from convene.returns.years import ReportingYear

    year = ReportingYear.containing(today)
    out = BENCH / "scale"
    manage = [PYTHON, "manage.py"]
    return [
        run_child("manage.py check (Django starting)", [*manage, "check"], env),
        run_child(
            f"export_cin_census --year {year.previous.label}",
            [
                *manage,
                "export_cin_census",
                "--year",
                year.previous.label,
                "--output",
                str(out / "cin.xml"),
            ],
            env,
        ),
        run_child(
            f"export_annex_a --as-of {today}",
            [
                *manage,
                "export_annex_a",
                "--as-of",
                today.isoformat(),
                "--output",
                str(out / "annex-a.xlsx"),
            ],
            env,
        ),
        run_child(
            f"kpis --year {year.label} --format json",
            [*manage, "kpis", "--year", year.label, "--format", "json"],
            env,
            stdout=out / "kpis.json",
        ),
        run_child(
            f"deadlines --as-of {today} --format json",
            [*manage, "deadlines", "--as-of", today.isoformat(), "--format", "json"],
            env,
            stdout=out / "deadlines.json",
        ),
    ]


# The report ------------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    model = "unknown processor"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        model = found.group(1).strip() if found else model
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
        cursor.execute("SHOW random_page_cost")
        (page_cost,) = cursor.fetchone()
    return (
        f"{os.cpu_count()} cores ({model}), {platform.machine()}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"Linux {platform.release()}, PostgreSQL {version} (random_page_cost {page_cost})"
    )


def data_summary() -> str:
    from convene.conferences.models import Conference
    from convene.people.models import Child
    from convene.plans.models import Plan, PlanReview, Visit

    counts = [
        (Child, "children"),
        (Conference, "conferences"),
        (Plan, "plans"),
        (PlanReview, "reviews"),
        (Visit, "visits"),
    ]
    return ", ".join(f"{model._default_manager.count():,} {name}" for model, name in counts)


def report(
    *,
    database: str,
    args: argparse.Namespace,
    made: list[Run],
    measured: list[Measured],
    ran: list[Run],
    load: tuple[float, float],
    about: str,
    data: str,
) -> str:
    lines = [
        f"**{datetime.now().astimezone():%Y-%m-%d}**, {about}; `bench/scale.py` on database "
        f"`{database}` ({data}); clock at {args.today} noon; {args.repeat} requests a page "
        f"after one warm-up; load average {load[0]:.1f} before, {load[1]:.1f} after.",
        "",
    ]
    if made:
        lines += ["| making the data | wall s | processor s | peak memory MB |",
                  "| --- | ---: | ---: | ---: |"]  # fmt: skip
        lines += [
            f"| {r.title} | {r.seconds:.1f} | {r.user_seconds:.1f} | {r.peak_mb:,.0f} |"
            for r in made
        ]
        lines.append("")
    if measured:
        lines += [
            "| page | as | median ms | p95 ms | queries | SQL ms | SQL floor ms | x floor | KB |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
    for m in measured:
        title = m.page.title + (f" ({m.requests} requests)" if m.requests < args.repeat else "")
        floor = f"{m.floor_ms:.1f}"
        ratio = f"{m.median / m.floor_ms:.1f}" if m.weighty else "-"
        lines.append(
            f"| {title} | {m.page.role} | {m.median:.0f} | {m.p95:.0f} | {m.queries} "
            f"| {m.sql_ms:.0f} | {floor} | {ratio} | {m.kilobytes:.0f} |"
        )
    if ran:
        lines += ["", "| command | wall s | processor s | peak memory MB |",
                  "| --- | ---: | ---: | ---: |"]  # fmt: skip
        lines += [
            f"| `{r.title}` | {r.seconds:.1f} | {r.user_seconds:.1f} | {r.peak_mb:,.0f} |"
            for r in ran
        ]
    return "\n".join(lines) + "\n"


@contextmanager
def clock_at(day: date) -> Iterator[None]:
    import time_machine

    with time_machine.travel(f"{day.isoformat()} 12:00 +0000", tick=True):
        yield


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--children", type=int, default=100_000, help="to generate")
    parser.add_argument("--extract", type=Path, help="where to write the extract")
    parser.add_argument("--database", help="the database to create (default convene_bench_N)")
    parser.add_argument("--reuse", metavar="DB", help="measure a copy of this database instead")
    parser.add_argument("--copy", default="scale_bench", help="the copy's name (with --reuse)")
    parser.add_argument("--keep", action="store_true", help="keep the copy (with --reuse)")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="the PostgreSQL server, without a database name",
    )
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument(
        "--slow",
        type=float,
        default=10.0,
        help=f"seconds: a page whose warm-up takes longer gets {SLOW_REPEAT} requests",
    )
    parser.add_argument("--team", type=int, default=6, help="social workers in the team")
    parser.add_argument("--caseload", type=int, default=18, help="children per social worker")
    parser.add_argument("--chair-plans", type=int, default=60, help="children the chair chairs")
    parser.add_argument("--prepare", action="append", default=[], metavar="COMMAND",
                        help="a management command to run before timing (repeatable)")  # fmt: skip
    parser.add_argument("--pages", help="only the pages whose title contains this")
    parser.add_argument("--no-commands", action="store_true", help="pages only")
    parser.add_argument("--no-pages", action="store_true", help="commands only")
    parser.add_argument("--output", type=Path, help="also write the Markdown here")
    args = parser.parse_args()

    (BENCH / "scale").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "ALLOWED_HOSTS": "testserver",
    }
    load_before = os.getloadavg()[0]
    database, made = prepare_database(args, env)
    env["DATABASE_URL"] = os.environ["DATABASE_URL"] = f"{args.server}/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    assert connection.vendor == "postgresql", "this benchmark is for PostgreSQL"
    try:
        call_command("migrate", verbosity=0)
        people = make_people(args)
        for command in args.prepare:
            print(f"manage.py {command} ...", flush=True)
            call_command(*shlex.split(command))
        # Fresh statistics and visibility maps, as autovacuum keeps them on a live database
        # (a copy made from a database never analysed, or autovacuum off, has none).
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s", flush=True)
        about, data = machine(), data_summary()
        print(about, "\n", data, flush=True)
        clients: dict[str, Any] = {}

        def client_for(role: str) -> Any:
            if role not in clients:
                clients[role] = Client()
                clients[role].force_login(people[role])
            return clients[role]

        measured = []
        with clock_at(args.today):
            print("Pages ...", flush=True)
            for page in [] if args.no_pages else pages(people, args.today, client_for):
                if args.pages and args.pages not in page.title:
                    continue
                measured.append(measure(page, client_for(page.role), args.repeat, args.slow))
        connection.close()
        ran: list[Run] = []
        if not args.no_commands:
            print("Commands ...", flush=True)
            ran = commands(args.today, env)
        markdown = report(
            database=database,
            args=args,
            made=made,
            measured=measured,
            ran=ran,
            load=(load_before, os.getloadavg()[0]),
            about=about,
            data=data,
        )
        print("\n" + markdown)
        if args.output:
            args.output.write_text(markdown)
    finally:
        connection.close()
        if args.reuse and not args.keep:
            from psycopg import sql

            print(f"Dropping {args.copy}", flush=True)
            admin_sql(args.server, sql.SQL("DROP DATABASE {}").format(sql.Identifier(args.copy)))


if __name__ == "__main__":
    main()
