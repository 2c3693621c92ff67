"""Reads for the list of children subject to a plan and its enquiries."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from convene.access.models import User
from convene.people.models import Child
from convene.plans.models import Plan

from .models import RegisterEnquiry


def subject_to_a_plan(*, today: date) -> QuerySet[Plan]:
    """The list: every open plan, by the child's surname. Always up to date, since it is the
    plans themselves."""
    return (
        Plan.objects.filter(end_date__isnull=True, start_date__lte=today)
        .select_related("child", "lead_social_worker", "lead_social_worker__team")
        .order_by("child__last_name", "child__first_name", "child__pk", "-start_date")
    )


def enquiries_seen_by(user: User, *, everyone: bool) -> QuerySet[RegisterEnquiry]:
    enquiries = RegisterEnquiry.objects.select_related("enquirer", "child")
    return enquiries if everyone else enquiries.filter(enquirer=user)


def enquiries_about(child: Child) -> QuerySet[RegisterEnquiry]:
    """Who has asked about this child, newest first (on the child's record)."""
    return RegisterEnquiry.objects.filter(child=child).order_by("-searched_at", "-pk")
