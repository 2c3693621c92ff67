"""How long the statutory returns take for a synthetic 10,000-child authority.

Run by hand (not a test): `.venv/bin/python bench/returns.py [--children 10000]`, or
`make bench`. It writes an extract with bench/ssd_generator.py, imports it into a throwaway
SQLite database under var/bench/, then times each command as a data officer would run it:
the children in need census, Ofsted Annex A, the indicators and the open deadlines, and the
performance and work list pages. Results go in docs/performance.md with the machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import date
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "var" / "bench"
DB = BENCH / "returns.sqlite3"

from ssd_generator import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 24))
    args = parser.parse_args()

    extract = BENCH / f"ssd-extract-{args.children}"
    generate(extract, args.children, today=args.today)
    DB.parent.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "convene.settings.test"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from convene.access.enums import Role
    from convene.returns.ssd import import_extract
    from convene.testing.factories import UserFactory

    call_command("migrate", verbosity=0)
    imported = import_extract(extract)
    assert imported.ok, imported.problems[:5]
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.platform()}, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"{args.children:,} children imported in {imported.seconds:.1f} s\n")

    def command(title: str, *argv: str) -> None:
        out = StringIO()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call_command(*argv, stdout=out, stderr=StringIO())
            took = time.perf_counter() - started
        print(f"{title:<44} {took:>7.2f} s {len(queries):>6} queries")

    year = "2025-26"
    command("export_cin_census --year 2025-26", "export_cin_census", "--year", year,
            "--output", str(BENCH / "cin.xml"))  # fmt: skip
    command("export_annex_a --as-of (today)", "export_annex_a", "--as-of",
            args.today.isoformat(), "--output", str(BENCH / "annex-a.xlsx"))  # fmt: skip
    command("kpis --year 2025-26 --format json", "kpis", "--year", year, "--format", "json")
    command("deadlines --as-of (today) --format json", "deadlines", "--as-of",
            args.today.isoformat(), "--format", "json")  # fmt: skip

    manager = UserFactory.create(roles=[Role.SENIOR_MANAGER])
    client = Client()
    client.force_login(manager)
    with time_machine.travel(args.today, tick=False):
        for title, url in (
            ("performance page", "/performance/"),
            ("work list page", "/work-list/"),
        ):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                took = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            print(f"{title:<44} {took:>7.2f} s {len(queries):>6} queries")


if __name__ == "__main__":
    main()
