"""How long the busiest pages take, and how many queries they make, as the data grows.

Run by hand (not a test): `.venv/bin/python bench/pages.py [--children 10000]`.
It builds a throwaway SQLite database under var/bench/, fills it with fictional children,
audit rows and users, then times each page with Django's test client. Results go in
docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench" / "pages.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    DB.parent.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "convene.settings.test"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from convene.access.enums import AuditVerb, Role
    from convene.access.models import AuditEvent
    from convene.conferences.enums import ConferenceStatus
    from convene.conferences.models import Conference
    from convene.people.demo import load_demo
    from convene.people.models import Child, Household
    from convene.testing.factories import UserFactory

    load_demo(today=date(2026, 11, 24))
    chair = UserFactory.create(roles=[Role.CONFERENCE_CHAIR])
    admin = UserFactory.create(roles=[Role.SYSTEM_ADMINISTRATOR])
    arranger = UserFactory.create(roles=[Role.CONFERENCE_ADMINISTRATOR])
    conference = Conference.objects.filter(status=ConferenceStatus.SCHEDULED).first()
    assert conference is not None
    # Households of three children, as in life: a record lists its brothers and sisters.
    households = Household.objects.bulk_create(
        Household(name=f"Bench household {n}") for n in range(args.children // 3 + 1)
    )
    Child.objects.bulk_create(
        Child(
            la_child_id=f"BENCH-{n:07d}",
            first_name=f"Child{n}",
            last_name="Bench",
            date_of_birth=date(2015, 1, 1),
            household=households[n // 3],
        )
        for n in range(args.children)
    )
    target = Child.objects.get(la_child_id="BENCH-0000001")
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=chair, verb=AuditVerb.VIEWED_CHILD, child=target, object_repr="bench")
        for _ in range(args.children)
    )

    pages = {
        "home (chair)": (chair, "/"),
        "children list, page 1": (chair, "/children/"),
        "children list, search": (chair, "/children/?q=Child5"),
        "child's record": (chair, f"/children/{target.pk}/"),
        "audit trail, 10,000+ rows": (admin, f"/audit/children/{target.pk}/"),
        "timescales": (chair, "/timescales/"),
        "home (administrator)": (arranger, "/"),
        "conferences list": (arranger, "/conferences/"),
        "conference overview": (arranger, f"/conferences/{conference.pk}/"),
        "work list": (arranger, "/work-list/"),
    }
    print(f"{args.children} children, {args.repeat} requests per page, SQLite\n")
    print(f"{'page':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, (user, url) in pages.items():
        client = Client()
        client.force_login(user)
        client.get(url)  # warm up
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        print(f"{name:<28} {statistics.median(timings):>10.1f} {p95:>8.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
