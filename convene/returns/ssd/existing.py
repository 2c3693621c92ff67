"""What the database already holds, loaded once into memory indexes.

An import of 10,000 children checks and matches hundreds of thousands of rows; one query per
table instead of one per row is what keeps it to seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db.models import Model, Q

from convene.conferences.models import Conference, ConferenceChild
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Disability, Household, Involvement, Professional
from convene.plans.models import Plan, PlanReview, Visit
from convene.referrals.models import Episode, Section47Enquiry

M = TypeVar("M", bound=Model)


@dataclass
class Existing:
    children: dict[str, Child]  # by LA child id (the SSD person id)
    children_by_pk: dict[int, Child]
    households: dict[str, Household]  # by SSD family id
    disabilities: set[tuple[int, str]]  # (child pk, code)
    episodes: dict[str, Episode]
    enquiries: dict[str, Section47Enquiry]
    conferences: dict[int, Conference]  # those the import may match, by pk
    meetings: dict[str, Conference]  # by SSD meeting id
    attendances: dict[str, ConferenceChild]  # by "icpc:<id>" or "review:<id>"
    places: dict[tuple[int, int], str | None]  # (conference pk, child pk): the place's SSD id
    plans: dict[int, Plan]  # every plan, by pk
    plans_by_ssd: dict[str, Plan]
    reviews: dict[str, PlanReview]
    review_days: dict[tuple[int, date], str | None]  # every review: (plan pk, date) -> SSD id
    visits: dict[str, Visit]
    professionals: dict[str, Professional]
    involvements: dict[str, Involvement]
    csc_agency: Agency | None


def load_existing() -> Existing:
    children = list(Child.objects.all())
    # Only conferences an import made can match a row: by meeting id, or through a child's
    # place that came from a row without one.
    imported = Conference.objects.filter(
        Q(ssd_meeting_id__isnull=False) | Q(subjects__ssd_id__isnull=False)
    ).distinct()
    conferences = {conference.pk: conference for conference in imported}
    plans = {plan.pk: plan for plan in Plan.objects.all()}
    review_days: dict[tuple[int, date], str | None] = {
        (plan_id, day): ssd_id
        for plan_id, day, ssd_id in PlanReview.objects.values_list(
            "plan_id", "date", "ssd_review_id"
        )
    }
    return Existing(
        children={child.la_child_id: child for child in children},
        children_by_pk={child.pk: child for child in children},
        households=_by_ssd(Household.objects.filter(ssd_family_id__isnull=False), "ssd_family_id"),
        disabilities=set(Disability.objects.values_list("child_id", "code")),
        episodes=_by_ssd(Episode.objects.filter(ssd_referral_id__isnull=False), "ssd_referral_id"),
        enquiries=_by_ssd(
            Section47Enquiry.objects.filter(ssd_enquiry_id__isnull=False), "ssd_enquiry_id"
        ),
        conferences=conferences,
        meetings={c.ssd_meeting_id: c for c in conferences.values() if c.ssd_meeting_id},
        attendances=_by_ssd(ConferenceChild.objects.filter(ssd_id__isnull=False), "ssd_id"),
        places={
            (conference_id, child_id): ssd_id
            for conference_id, child_id, ssd_id in ConferenceChild.objects.filter(
                conference__in=imported.values("pk")
            ).values_list("conference_id", "child_id", "ssd_id")
        },
        plans=plans,
        plans_by_ssd={plan.ssd_plan_id: plan for plan in plans.values() if plan.ssd_plan_id},
        reviews=_by_ssd(PlanReview.objects.filter(ssd_review_id__isnull=False), "ssd_review_id"),
        review_days=review_days,
        visits=_by_ssd(Visit.objects.filter(ssd_visit_id__isnull=False), "ssd_visit_id"),
        professionals=_by_ssd(
            Professional.objects.filter(ssd_professional_id__isnull=False), "ssd_professional_id"
        ),
        involvements=_by_ssd(
            Involvement.objects.filter(ssd_involvement_id__isnull=False), "ssd_involvement_id"
        ),
        csc_agency=Agency.objects.filter(type=AgencyType.CHILDRENS_SOCIAL_CARE)
        .order_by("pk")
        .first(),
    )


def _by_ssd(rows: Iterable[M], field: str) -> dict[str, M]:
    return {getattr(row, field): row for row in rows}
