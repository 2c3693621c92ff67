"""Reads of children and the people around them, for pages. Constant queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from convene import policy
from convene.access.enums import Role
from convene.access.models import User
from convene.conferences.models import ConferenceChild
from convene.plans.models import Plan, PlanReview
from convene.referrals.models import Episode, Section47Enquiry

from .models import Child, Household, Involvement, Relationship, worked_with_q
from .paging import LAST_PAGE, Window, window

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


def child_search(
    user: User,
    *,
    today: date,
    text: str = "",
    number: int = 1,
    size: int = 50,
    unallocated: bool = False,
) -> Window[Child]:
    """Page `number` of the children this user may see, optionally matching a name, household
    name or local authority child ID, in name order. Three queries at most, none a COUNT.

    Every word must match: anywhere in the first name, last name or household name (a word of
    one or two letters: at the start of one), or the
    whole local authority child ID (an ID is never matched in part, which would find the wrong
    child). A search that is exactly one child's ID returns that child alone, from the unique
    index. Otherwise the page's keys (ID and names) are found from the indexes alone (on
    PostgreSQL, the trigram indexes of migration people 0005), one query per index in a union,
    and only the page's children are then read whole: no search reads every child.
    """
    visible = policy.visible_children(user, today=today)
    if unallocated:  # only the living children with no social worker (children_to_allocate)
        visible = visible.filter(social_worker__isnull=True, date_of_death__isnull=True)
    words = text.split()
    if not words:
        return window(
            visible.select_related(*CHILD_LIST_RELATED).order_by(*NAME_ORDER), number, size
        )
    if len(words) == 1:
        exact = visible.filter(la_child_id__in=_id_spellings(words[0]))
        if exact.exists():
            return window(
                exact.select_related(*CHILD_LIST_RELATED).order_by(*NAME_ORDER), number, size
            )
    first, *others = words
    parts = []
    for branch in _branches(first):
        part = visible.filter(branch)
        for word in others:
            part = part.filter(pk__in=_matching(word))
        parts.append(part.order_by().values_list("pk", "last_name", "first_name"))
    keys = parts[0].union(*parts[1:]).order_by(*NAME_ORDER)
    start = (number - 1) * size
    found = list(keys[start : start + size + 1])
    pks = [pk for pk, _last, _first in found[:size]]
    rows = Child.objects.select_related(*CHILD_LIST_RELATED).in_bulk(pks)
    return Window(
        object_list=[rows[pk] for pk in pks],
        number=number,
        has_next=len(found) > size and number < LAST_PAGE,
    )


NAME_ORDER = ("last_name", "first_name", "pk")
SHORT_WORD = 3  # letters: a shorter word matches the start of a name


def _id_spellings(word: str) -> list[str]:
    """An ID as typed and in capitals and small letters: IDs are matched with the unique
    index, which is case-sensitive, and authorities' IDs are in one case or have no letters."""
    return sorted({word, word.upper(), word.lower()})


def _branches(word: str) -> tuple[Q, Q]:
    """What one search word matches, as two filters each served by indexes: the child's own
    names and ID, and the household's name. (One filter with OR across the child and its
    household could be answered only by reading every child.)"""
    # A word of one or two letters matches the start of a name: "Jo" finds Jo and Joanna, not
    # Marjorie. Anywhere in a name it would match most children, and trigram indexes need
    # three letters to narrow a search to anything less than every row.
    lookup = "icontains" if len(word) >= SHORT_WORD else "istartswith"
    households = Household.objects.filter(**{f"name__{lookup}": word}).order_by().values("pk")
    return (
        Q(**{f"first_name__{lookup}": word})
        | Q(**{f"last_name__{lookup}": word})
        | Q(la_child_id__in=_id_spellings(word)),
        Q(household__in=households),
    )


def _matching(word: str) -> QuerySet[Child, Any]:
    """The primary keys of every child one search word matches, as a subquery."""
    by_name, by_household = _branches(word)
    return (
        Child.objects.filter(by_name)
        .order_by()
        .values("pk")
        .union(Child.objects.filter(by_household).order_by().values("pk"))
    )


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
