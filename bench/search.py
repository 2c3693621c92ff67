"""How the children search behaves on a large PostgreSQL database: its plans and its times.

Run by hand (not a test), against a database already holding children (for example the
100,000-child extract of bench/ssd_generator.py imported with `manage.py import_ssd`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python bench/search.py

For each search it prints the plan PostgreSQL chose for the page (EXPLAIN ANALYZE), whether
any table was read whole (a sequential scan), and the median and 95th percentile of 21
requests to the children list as a senior manager (who sees every child). It adds one
senior manager user, bench-search@example.invalid, if there is none. Results go in
docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPEAT = 21


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings.test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from convene.access.enums import Role
    from convene.access.models import User
    from convene.people.models import Child

    assert connection.vendor == "postgresql", "this benchmark is for PostgreSQL"
    email = "bench-search@example.invalid"
    user = User.objects.filter(email=email).first()
    if user is None:
        from convene.testing.factories import UserFactory

        user = UserFactory.create(email=email, roles=[Role.SENIOR_MANAGER])
    sample = Child.objects.order_by("pk")[Child.objects.count() // 2]
    household = sample.household.name.split()[0] if sample.household else sample.last_name
    searches = {
        "no search, page 1": "",
        "an identifier, exactly": sample.la_child_id,
        "an identifier in small letters": sample.la_child_id.lower(),
        "a first name": sample.first_name,
        "part of a last name": sample.last_name[1:5],
        "first and last name": f"{sample.first_name} {sample.last_name}",
        "a household name": household,
        "two letters": sample.last_name[:2],
        "a name nobody has": "Zzyzx",
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone() or ("?",)
        cursor.execute("SHOW random_page_cost")
        (page_cost,) = cursor.fetchone() or ("?",)
    print(
        f"{Child.objects.count():,} children; PostgreSQL {version}, random_page_cost {page_cost}\n"
    )
    client = Client()
    client.force_login(user)
    rows = []
    for title, text in searches.items():
        url = "/children/" + (f"?q={text}" if text else "")
        client.get(url)
        timings = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts = [q for q in queries if "COUNT(" in q["sql"].upper()]
        print(f"--- {title}: {text!r}")
        scans: set[str] = set()
        executed = 0.0
        # Every query the page made that reads children or households, explained as run.
        for query in queries:
            sql = query["sql"]
            if "people_child" not in sql and "people_household" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(line for (line,) in cursor.fetchall())
            print(sql[:300] + (" ..." if len(sql) > 300 else ""))
            print(plan + "\n")
            scans.update(re.findall(r"Seq Scan on (\w+)", plan))
            executed += float(re.findall(r"Execution Time: ([\d.]+) ms", plan)[0])
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        found = sorted(scans & {"people_child", "people_household"})
        rows.append((title, statistics.median(timings), p95, len(queries), found, counts, executed))
        print(f"sequential scans of children or households: {', '.join(found) or 'none'}; "
              f"their queries executed in {executed:.1f} ms\n")  # fmt: skip
    print(f"{'search':<32} {'median ms':>9} {'p95 ms':>7} {'queries':>7} {'SQL ms':>7}  "
          "sequential scans of children or households")  # fmt: skip
    for title, median, p95, made, seq, counted, sql_ms in rows:
        assert not counted, f"{title}: a COUNT query"
        print(f"{title:<32} {median:>9.1f} {p95:>7.1f} {made:>7} {sql_ms:>7.1f}  "
              f"{', '.join(seq) or 'none'}")  # fmt: skip


if __name__ == "__main__":
    main()
