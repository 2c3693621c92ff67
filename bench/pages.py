"""How long the busiest pages take, and how many queries they make, as the data grows.

Run by hand (not a test): `.venv/bin/python bench/pages.py [--children 10000]`.
It builds a throwaway SQLite database under var/bench/, fills it with fictional children,
audit rows and users, then times each page with Django's test client. Results go in
docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import argparse
from datetime import date

from _pages import fresh_database, time_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    fresh_database("pages")
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
        median, p95, queries = time_page(user, url, args.repeat)
        print(f"{name:<28} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
