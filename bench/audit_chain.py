"""What chaining the audit trail costs on a page that writes an audit row (the child's record),
on PostgreSQL: with the advisory lock that queues appends, and with it switched off.

Run by hand (not a test), against a throwaway PostgreSQL database (it empties it):
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/convene_bench \
.venv/bin/python bench/audit_chain.py`. Results go in docs/performance.md.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings.test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import CommandError, call_command
    from django.db import connection

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    from convene.access import chain
    from convene.access.models import User
    from convene.people.demo import load_demo
    from convene.people.models import Child

    load_demo(today=date(2026, 11, 24))
    chair = User.objects.get(email__startswith="tobias.reed@")
    url = f"/children/{Child.objects.order_by('pk')[0].pk}/"
    for threads in (1, 2, 4):
        median, p95 = _run(chair, url, threads, 100)
        print(f"with the lock, {threads} at once: median {median:.1f} ms, p95 {p95:.1f} ms")
    call_command("verify_audit")
    # Without the lock, requests at once chain to the same row: the chain forks.
    chain.lock_appends = lambda connection: None
    for threads in (1, 2, 4):
        median, p95 = _run(chair, url, threads, 100)
        print(f"without the lock, {threads} at once: median {median:.1f} ms, p95 {p95:.1f} ms")
    try:
        call_command("verify_audit")
    except CommandError as error:
        print(f"without the lock: {error}")


def _run(user: Any, url: str, threads: int, each: int) -> tuple[float, float]:
    from django.db import connection
    from django.test import Client

    timings: list[float] = []

    def work() -> None:
        client = Client()
        client.force_login(user)
        client.get(url)
        for _ in range(each):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        connection.close()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return statistics.median(timings), sorted(timings)[int(len(timings) * 0.95) - 1]


if __name__ == "__main__":
    main()
