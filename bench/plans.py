"""How long the lead social worker's home page and a plan's page take, and how many queries
they make, in an authority of 1,000 and then 10,000 children.

Run by hand (not a test): `.venv/bin/python bench/plans.py [--children 10000]`. It builds a
throwaway SQLite database under var/bench/ with the demo, then adds fictional children, a
third of them on a plan (each with a core group, two core group meetings and four actions,
one of them overdue), shared by 60 social workers (the demo's Sam Okafor among them), and
times the pages with Django's test client. Results go in docs/performance.md with the machine
and the date.
"""

from __future__ import annotations

import argparse
import contextlib
from datetime import date, timedelta

from _pages import fresh_database, time_page

TODAY = date(2026, 11, 24)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    fresh_database("plans")
    import time_machine
    from django.urls import NoReverseMatch, reverse

    from convene.access.enums import Role
    from convene.access.models import User
    from convene.people.demo import load_demo
    from convene.people.models import Child, Household
    from convene.plans.enums import CoreGroupKind
    from convene.plans.models import Action, CoreGroupMeeting, CoreGroupMember, Plan
    from convene.testing.factories import UserFactory

    load_demo(today=TODAY)
    sam = User.objects.get(email="sam.okafor@northmoor.example")
    # A large authority's caseloads: the bench's children are shared by 60 social workers.
    workers = [sam] + [
        UserFactory.create(first_name=f"Worker{n}", roles=[Role.SOCIAL_WORKER]) for n in range(59)
    ]

    def grow(up_to: int) -> None:
        have = Child.objects.filter(la_child_id__startswith="BENCH-").count()
        if have >= up_to:
            return
        households = Household.objects.bulk_create(
            Household(name=f"Bench household {n}") for n in range(have // 3, up_to // 3 + 1)
        )
        made = Child.objects.bulk_create(
            Child(
                la_child_id=f"BENCH-{n:07d}",
                first_name=f"Child{n}",
                last_name="Bench",
                date_of_birth=date(2015, 1, 1),
                household=households[(n - have) // 3],
                social_worker=workers[n % len(workers)],
            )
            for n in range(have, up_to)
        )
        plans = Plan.objects.bulk_create(
            Plan(
                child=child,
                start_date=TODAY - timedelta(days=30 + n % 300),
                initial_category="NEG",
                latest_category="NEG",
                lead_social_worker=child.social_worker,
            )
            for n, child in enumerate(made, start=have)
            if n % 3 == 0
        )
        members = CoreGroupMember.objects.bulk_create(
            CoreGroupMember(
                plan=plan, kind=CoreGroupKind.PARENT_CARER, name="A Parent", role="Mother"
            )
            for plan in plans
        )
        CoreGroupMeeting.objects.bulk_create(
            CoreGroupMeeting(plan=plan, date=plan.start_date + timedelta(days=d))
            for plan in plans
            for d in (9, 50)
        )
        Action.objects.bulk_create(
            Action(
                plan=member.plan,
                owner=member,
                text=f"Action {k}",
                due=TODAY + timedelta(days=k * 7 - 7),
            )
            for member in members
            for k in range(4)
        )

    print(f"{args.repeat} requests per page, SQLite\n")
    columns = ("children", "plans led", "median ms", "p95 ms", "queries")
    print(f"{'page':<30} " + " ".join(f"{c:>9}" for c in columns))
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +0000", tick=False):
        for size in (1_000, args.children):
            grow(size)
            led = Plan.objects.filter(lead_social_worker=sam, end_date__isnull=True).count()
            plan = Plan.objects.filter(
                lead_social_worker=sam, child__la_child_id__startswith="BENCH-"
            ).first()
            assert plan is not None
            pages = {"home (lead social worker)": reverse("core:home")}
            with contextlib.suppress(NoReverseMatch):  # the plan page, once it is there
                pages["plan page"] = reverse("plans:plan", args=[plan.pk])
            for name, url in pages.items():
                median, p95, queries = time_page(sam, url, args.repeat)
                print(f"{name:<30} {size:>9} {led:>9} {median:>9.1f} {p95:>9.1f} {queries:>9}")


if __name__ == "__main__":
    main()
