"""What the page benchmarks share: a throwaway SQLite database with Django set up on it, and
timing one page (median and 95th percentile of `repeat` requests, and its query count)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh_database(name: str) -> None:
    """A new SQLite database at var/bench/<name>.sqlite3, migrated, with Django set up."""
    db = ROOT / "var" / "bench" / f"{name}.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "convene.settings.test"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def time_page(user: Any, url: str, repeat: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, queries) for `repeat` requests to the page as `user`, after one
    request to warm up."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(url)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
    return statistics.median(timings), p95, len(queries)
