"""Reads of children and the people around them, for pages. Constant queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from convene import policy
from convene.access.enums import Role
from convene.access.models import User
from convene.conferences.models import ConferenceChild
from convene.plans.models import Plan, PlanReview
from convene.referrals.models import Episode, Section47Enquiry

from .models import Child, Involvement, Relationship, worked_with_q

CHILD_LIST_RELATED = ("household", "social_worker")


def children_allocated_to(user: User) -> QuerySet[Child]:
    return Child.objects.filter(social_worker=user).select_related(*CHILD_LIST_RELATED)


def children_of_managed_teams(user: User) -> QuerySet[Child]:
    return (
        Child.objects.filter(social_worker__team__manager=user)
        .select_related(*CHILD_LIST_RELATED, "social_worker__team")
        .order_by("social_worker__last_name", "last_name", "first_name")
    )


def children_worked_with(user: User, *, today: date) -> QuerySet[Child]:
    return (
        Child.objects.filter(worked_with_q(user, today))
        .select_related(*CHILD_LIST_RELATED)
        .distinct()
    )


def child_search(user: User, *, today: date, text: str = "") -> QuerySet[Child]:
    """The children this user may see, optionally matching a name or local authority ID."""
    children = policy.visible_children(user, today=today).select_related(*CHILD_LIST_RELATED)
    for word in text.split():
        children = children.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(la_child_id__iexact=word)
            | Q(household__name__icontains=word)
        )
    return children


def child_relationships(child: Child) -> QuerySet[Relationship]:
    return child.relationships.select_related("adult").order_by("kind", "adult__last_name")


def child_involvements(child: Child) -> QuerySet[Involvement]:
    return child.involvements.select_related("professional", "professional__agency").order_by(
        "-started"
    )


def household_siblings(child: Child) -> QuerySet[Child]:
    if child.household_id is None:
        return Child.objects.none()
    return Child.objects.filter(household_id=child.household_id).exclude(pk=child.pk)


@dataclass
class CaseHistory:
    """A child's child protection history, newest first, for their record. Five queries."""

    episodes: list[Episode]
    enquiries: list[Section47Enquiry]
    conferences: list[ConferenceChild]
    plans: list[Plan]


def child_case_history(child: Child) -> CaseHistory:
    return CaseHistory(
        episodes=list(child.episodes.order_by("-referral_date")),
        enquiries=list(child.enquiries.order_by("-strategy_discussion_date")),
        conferences=list(
            child.conferences.select_related("conference").order_by("-conference__date")
        ),
        plans=list(
            child.plans.prefetch_related(
                Prefetch("reviews", queryset=PlanReview.objects.order_by("date"))
            ).order_by("-start_date")
        ),
    )


def social_workers_to_allocate(user: User) -> QuerySet[User]:
    """The social workers this person may allocate a child to: those of the teams they manage
    (a team manager), or every social worker (the conference service). Active accounts only,
    by name."""
    workers = User.objects.filter(is_active=True, role_grants__role=Role.SOCIAL_WORKER)
    if not policy.has_arrange(user):
        workers = workers.filter(team__manager=user)
    return workers.select_related("team").distinct().order_by("last_name", "first_name", "pk")


def children_to_allocate(user: User) -> QuerySet[Child]:
    """For the conference service: living children with no allocated social worker, oldest
    record first. One query."""
    if not policy.has_arrange(user):
        return Child.objects.none()
    return Child.objects.filter(social_worker__isnull=True, date_of_death__isnull=True).order_by(
        "pk"
    )
