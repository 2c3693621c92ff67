"""What the database already holds that the checks across tables need, as small facts.

Only ids, the child each record is about and the dates the checks compare are loaded (tuples of
a few values, never model objects), one query per table; the writer finds the records it
updates a batch at a time. Visits, involvements and reviews' own values are never loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Model, QuerySet

from convene.conferences.models import Conference, ConferenceChild
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Disability, Professional
from convene.plans.models import Plan, PlanReview
from convene.referrals.models import Episode, Section47Enquiry


class ChildFact(NamedTuple):
    pk: int
    date_of_birth: date | None
    expected_date_of_birth: date | None
    last_name: str


class PlanFact(NamedTuple):
    pk: int
    ssd_plan_id: str | None
    child_id: int
    start_date: date
    end_date: date | None


@dataclass
class Existing:
    children: dict[str, ChildFact]  # by LA child id (the SSD person id)
    person_ids: dict[int, str]  # child pk -> LA child id
    disabilities: set[tuple[int, str]]  # (child pk, code)
    episodes: dict[str, int]  # SSD referral id -> child pk
    enquiries: dict[str, int]  # SSD enquiry id -> child pk
    meetings: dict[str, int]  # SSD meeting id -> conference pk
    attendances: dict[str, int]  # initial conference place SSD id ("icpc:<id>") -> child pk
    # (meeting's conference pk, child pk): the place's SSD id
    places: dict[tuple[int, int], str | None]
    plans: dict[int, PlanFact]  # every plan, by pk
    plans_by_ssd: dict[str, PlanFact]
    review_days: dict[tuple[int, date], str | None]  # every review: (plan pk, date) -> SSD id
    professionals: set[str]  # SSD ids
    csc_agency: int | None  # the first children's social care agency

    def person_of(self, child_pk: int) -> str:
        """The SSD person id of a child already in Convene."""
        return self.person_ids[child_pk]


def load_existing() -> Existing:
    children = {
        row[1]: ChildFact(row[0], *row[2:])
        for row in Child.objects.values_list(
            "pk", "la_child_id", "date_of_birth", "expected_date_of_birth", "last_name"
        ).iterator(chunk_size=5000)
    }
    plans = {
        row[0]: PlanFact(*row)
        for row in Plan.objects.values_list(
            "pk", "ssd_plan_id", "child_id", "start_date", "end_date"
        ).iterator(chunk_size=5000)
    }
    meetings = _by_ssd(Conference, "ssd_meeting_id", "pk")
    agency = Agency.objects.filter(type=AgencyType.CHILDRENS_SOCIAL_CARE).order_by("pk").first()
    return Existing(
        children=children,
        person_ids={fact.pk: person_id for person_id, fact in children.items()},
        disabilities=set(Disability.objects.values_list("child_id", "code")),
        episodes=_by_ssd(Episode, "ssd_referral_id", "child_id"),
        enquiries=_by_ssd(Section47Enquiry, "ssd_enquiry_id", "child_id"),
        meetings=meetings,
        # Places at initial conferences: a plan's `cppl_icpc_id` may link to one.
        attendances=_by_ssd(
            ConferenceChild.objects.filter(ssd_id__startswith="icpc:"), "ssd_id", "child_id"
        ),
        # Children at meetings an import made: a row may seat a child at one only once.
        places={
            (conference_id, child_id): ssd_id
            for conference_id, child_id, ssd_id in ConferenceChild.objects.filter(
                conference__ssd_meeting_id__isnull=False
            )
            .values_list("conference_id", "child_id", "ssd_id")
            .iterator(chunk_size=5000)
        },
        plans=plans,
        plans_by_ssd={plan.ssd_plan_id: plan for plan in plans.values() if plan.ssd_plan_id},
        review_days={
            (plan_id, day): ssd_id
            for plan_id, day, ssd_id in PlanReview.objects.values_list(
                "plan_id", "date", "ssd_review_id"
            ).iterator(chunk_size=5000)
        },
        professionals=set(_by_ssd(Professional, "ssd_professional_id", "pk")),
        csc_agency=agency.pk if agency else None,
    )


def _by_ssd(records: type[Model] | QuerySet[Any], field: str, value: str) -> dict[str, int]:
    """One column of the records with an SSD id (`field`), by that id."""
    found = records if isinstance(records, QuerySet) else records._default_manager.all()
    rows = found.filter(**{f"{field}__isnull": False}).values_list(field, value)
    return {ssd_id: pk for ssd_id, pk in rows.iterator(chunk_size=5000) if ssd_id}
