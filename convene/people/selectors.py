"""Reads of children and the people around them, for pages. Constant queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from convene import policy
from convene.access.models import User
from convene.conferences.models import ConferenceChild
from convene.plans.models import Plan, PlanReview
from convene.referrals.models import Episode, Section47Enquiry

from .models import Child, Household, Involvement, Relationship, worked_with_q

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
    """The children this user may see, optionally matching a name, household name or local
    authority child ID, in name order.

    Every word must match: anywhere in the first name, last name or household name, or the
    whole local authority child ID (an ID is never matched in part, which would find the wrong
    child). A search that is exactly one child's ID returns that child alone, from the unique
    index. On PostgreSQL the name matches are served by trigram indexes (migration people 0005),
    so no search reads the whole table.
    """
    children = (
        policy.visible_children(user, today=today)
        .select_related(*CHILD_LIST_RELATED)
        .order_by("last_name", "first_name", "pk")
    )
    words = text.split()
    if len(words) == 1:
        exact = children.filter(la_child_id__in=_id_spellings(words[0]))
        if exact.exists():
            return exact
    for word in words:
        children = children.filter(pk__in=_matching(word))
    return children


def _id_spellings(word: str) -> list[str]:
    """An ID as typed and in capitals and small letters: IDs are matched with the unique
    index, which is case-sensitive, and authorities' IDs are in one case or have no letters."""
    return sorted({word, word.upper(), word.lower()})


def _matching(word: str) -> QuerySet[Child, Any]:
    """The primary keys of every child one search word matches, as a subquery.

    A union of one query per index rather than one query with OR across the child and its
    household: the database can answer each part from an index, but not an OR that spans two
    tables.
    """
    by_name = (
        Child.objects.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(la_child_id__in=_id_spellings(word))
        )
        .order_by()
        .values("pk")
    )
    by_household = (
        Child.objects.filter(
            household__in=Household.objects.filter(name__icontains=word).order_by().values("pk")
        )
        .order_by()
        .values("pk")
    )
    return by_name.union(by_household)


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
