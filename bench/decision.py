"""How long the decision page and the meeting's record take, and how many queries they make,
as a conference has more children and more people taking part.

Run by hand (not a test): `.venv/bin/python bench/decision.py`. It builds a throwaway SQLite
database under var/bench/, then for each size a held conference with that many subject
children and participants, every participant scoring every child and giving a view on each,
and times the pages with Django's test client. Results go in docs/performance.md with the
machine and the date.
"""

from __future__ import annotations

import argparse
from datetime import date

from _pages import fresh_database, time_page

SIZES = [(2, 5), (6, 20), (12, 60)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    fresh_database("decision")
    from convene.access.enums import Role
    from convene.conferences.enums import Attendance, ConferenceStatus
    from convene.conferences.models import ParticipantView, SafetyScore
    from convene.people.enums import AgencyType
    from convene.testing.factories import (
        AgencyFactory,
        ChildFactory,
        ConferenceChildFactory,
        ConferenceFactory,
        HouseholdFactory,
        InvitationFactory,
        ProfessionalFactory,
        UserFactory,
    )

    chair = UserFactory.create(roles=[Role.CONFERENCE_CHAIR])
    agencies = [
        AgencyFactory.create(name=f"Bench agency {n}", type=AgencyType.HEALTH) for n in range(6)
    ]
    print(f"{args.repeat} requests per page, SQLite\n")
    print(
        f"{'page':<16} {'children':>8} {'people':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    )
    for children, people in SIZES:
        household = HouseholdFactory.create()
        conference = ConferenceFactory.create(
            date=date(2026, 3, 9), status=ConferenceStatus.HELD, chair=chair, household=household
        )
        kids = [
            ConferenceChildFactory.create(
                conference=conference, child=ChildFactory.create(household=household)
            ).child
            for _ in range(children)
        ]
        invitations = [
            InvitationFactory.create(
                conference=conference,
                professional=ProfessionalFactory.create(agency=agencies[n % len(agencies)]),
                attendance=Attendance.PRESENT,
            )
            for n in range(people)
        ]
        SafetyScore.objects.bulk_create(
            SafetyScore(
                conference=conference,
                child=child,
                invitation=invitation,
                name=invitation.display_name,
                role="Health visitor",
                group="health",
                score=n % 11,
            )
            for n, invitation in enumerate(invitations)
            for child in kids
        )
        ParticipantView.objects.bulk_create(
            ParticipantView(
                conference=conference,
                child=child,
                group="health",
                name=invitation.display_name,
                plan_needed="yes",
                view="A plan is needed because the child is not safe at home.",
                recorded_by=chair,
            )
            for invitation in invitations
            for child in kids
        )
        pages = {
            "decision": f"/conferences/{conference.pk}/decision/{kids[0].pk}/",
            "meeting record": f"/conferences/{conference.pk}/meeting-record/",
            "safety scores": f"/conferences/{conference.pk}/safety-scores/",
        }
        for name, url in pages.items():
            median, p95, queries = time_page(chair, url, args.repeat)
            print(f"{name:<16} {children:>8} {people:>7} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
