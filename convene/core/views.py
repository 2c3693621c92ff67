from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from convene import policy
from convene.access.enums import Role
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences import selectors as conferences
from convene.conferences.selectors import UpcomingConference
from convene.core.clock import today
from convene.people import selectors as people
from convene.people.models import Child
from convene.plans.models import Action, Plan
from convene.plans.selectors import (
    PlanRow,
    actions_owned_by,
    open_plans,
    plans_chaired_by,
    plans_led_by,
    plans_of_team,
)
from convene.reminders.selectors import work_for


@dataclass
class WorkSection:
    """One block of a person's home page: the work that comes with one of their roles."""

    role: Role
    title: str
    empty: str
    children: QuerySet[Child] | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    # Conferences still to arrange or hold, most urgent first, with what each still needs.
    conferences: list[UpcomingConference] | None = None
    # Open child protection plans: next review and core group, overdue actions, 2 years.
    plans: list[PlanRow] | None = None
    plans_title: str = ""
    # Actions of plans this person owns as a core group member.
    actions: list[Action] | None = None


YOUR_CONFERENCES = ("Conferences you are invited to and reports you owe", "conferences:yours")
# London CP4 §1.22: plans open 2 years or more, under-fives first (convene/plans/reviews/).
LONG_PLANS = ("Plans open 2 years or more", "plans:long")
# London CP4 §11 to §12, Register R:20: dissent at a stage this person answers, appeals for
# the head of service and complaints for the chair's manager.
DISSENT = ("Dissent, appeals and complaints to answer", "challenge:waiting")
# Emergency (break-glass) access to a child's record: asking, and reviewing who asked.
EMERGENCY = ("Get emergency access to a child's record", "breakglass:start")
# The home page lists at most this many of a section that can hold the authority's whole
# workload (conferences to book, arrange or chair; children to allocate).
HOME_LIMIT = 20
EMERGENCY_REVIEW = ("Review emergency access to children's records", "breakglass:review")


def _plans(plans: QuerySet[Plan], on: date) -> list[PlanRow]:
    return open_plans(plans, as_of=on, procedures=authority_procedures())


def _sections(
    user: User, to_arrange: list[conferences.UpcomingConference] | None
) -> list[WorkSection]:
    on = today()
    sections: list[WorkSection] = []
    roles = user.roles
    if Role.CONFERENCE_ADMINISTRATOR in roles:
        sections.append(
            WorkSection(
                Role.CONFERENCE_ADMINISTRATOR,
                "Conferences to arrange",
                "There are no conferences to arrange or hold.",
                conferences=conferences.with_fixes(to_arrange or [], user, today=on),
                links=[
                    ("Your work list", "returns:work-list"),
                    ("Find a child", "people:child-list"),
                ],
            )
        )
    if Role.CONFERENCE_CHAIR in roles:
        sections.append(
            WorkSection(
                Role.CONFERENCE_CHAIR,
                "Conferences you are chairing",
                "You have no conferences to chair.",
                conferences=conferences.with_fixes(
                    conferences.upcoming_for_chair(user, today=on), user, today=on
                ),
                plans=_plans(plans_chaired_by(user), on),
                plans_title="Plans whose conferences you chair",
                links=[
                    ("Your diary for this week", "conferences:diary"),
                    ("Find a child", "people:child-list"),
                    LONG_PLANS,
                    DISSENT,
                ],
            )
        )
    if Role.SOCIAL_WORKER in roles:
        sections.append(
            WorkSection(
                Role.SOCIAL_WORKER,
                "Children allocated to you",
                "No children are allocated to you.",
                children=people.children_allocated_to(user),
                plans=_plans(plans_led_by(user), on),
                actions=actions_owned_by(user),
                plans_title="Child protection plans you lead",
                links=[YOUR_CONFERENCES, EMERGENCY],
            )
        )
    if Role.TEAM_MANAGER in roles:
        sections.append(
            WorkSection(
                Role.TEAM_MANAGER,
                "Children allocated to your team",
                "No children are allocated to social workers in your team.",
                children=people.children_of_managed_teams(user),
                plans=_plans(plans_of_team(user), on),
                plans_title="Your team's child protection plans (drifting plans first)",
                links=[
                    ("Your team's work list", "returns:work-list"),
                    ("Performance indicators", "returns:performance"),
                    LONG_PLANS,
                    DISSENT,
                    EMERGENCY,
                    EMERGENCY_REVIEW,
                ],
            )
        )
    if Role.SENIOR_MANAGER in roles:
        sections.append(
            WorkSection(
                Role.SENIOR_MANAGER,
                "Your work as a senior manager",
                "Appeals and escalated dissent waiting for you are listed under things to do.",
                links=[
                    ("Work list", "returns:work-list"),
                    ("Performance indicators", "returns:performance"),
                    LONG_PLANS,
                    ("Find a child", "people:child-list"),
                    DISSENT,
                    EMERGENCY_REVIEW,
                ],
            )
        )
    if Role.AGENCY_PROFESSIONAL in roles:
        sections.append(
            WorkSection(
                Role.AGENCY_PROFESSIONAL,
                "Children you work with",
                "You are not recorded as working with any child.",
                children=people.children_worked_with(user, today=on),
                actions=actions_owned_by(user),
                links=[YOUR_CONFERENCES, EMERGENCY],
            )
        )
    if Role.DATA_OFFICER in roles:
        sections.append(
            WorkSection(
                Role.DATA_OFFICER,
                "Returns and indicators",
                "See the national indicators live, with the children behind each number. Your "
                "system administrator produces the children in need census and the Ofsted "
                "Annex A lists from the same records.",
                links=[
                    ("Performance indicators", "returns:performance"),
                    LONG_PLANS,
                    ("Find a child", "people:child-list"),
                ],
            )
        )
    if Role.REGISTER_MANAGER in roles:
        sections.append(
            WorkSection(
                Role.REGISTER_MANAGER,
                "Children subject to a child protection plan",
                "You keep the list of children subject to a plan and see every enquiry about it.",
                links=[
                    ("The list of children subject to a plan", "register:list"),
                    ("Enquiries about the list", "register:enquiries"),
                    ("Find a child", "people:child-list"),
                ],
            )
        )
    if Role.LEGITIMATE_ENQUIRER in roles:
        sections.append(
            WorkSection(
                Role.LEGITIMATE_ENQUIRER,
                "Check whether a child has a child protection plan",
                "Record who is asking and why, then search by the child's full names and date "
                "of birth.",
                links=[
                    ("Check whether a child has a plan", "register:enquiry-start"),
                    ("Your enquiries", "register:enquiries"),
                ],
            )
        )
    if Role.SYSTEM_ADMINISTRATOR in roles:
        sections.append(
            WorkSection(
                Role.SYSTEM_ADMINISTRATOR,
                "Looking after the service",
                "Look after people's accounts, choose your authority's procedures, keep its "
                "closure days up to date, and look up what has been done on a child's record.",
                links=[
                    ("Manage accounts", "access:accounts"),
                    ("Your authority's procedures", "authority:settings"),
                    ("Closure days", "authority:closure-days"),
                    ("Stages for escalating dissent", "challenge:stages"),
                    ("Look up a child's audit trail", "access:audit-lookup"),
                    EMERGENCY_REVIEW,
                ],
            )
        )
    return sections


def home(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    on = today()
    user = request.user
    # Read once, for the task list and the conference service's own section.
    to_arrange = (
        conferences.upcoming_for_administrator(today=on)
        if Role.CONFERENCE_ADMINISTRATOR in user.roles or policy.has_arrange(user)
        else None
    )
    tasks = work_for(
        user,
        today=on,
        profile=authority_procedures(),
        limit=HOME_LIMIT,
        to_arrange=to_arrange,
    )
    context: dict[str, Any] = {
        # Everything this person must do, most urgent first: the daily reminder's own list
        # (the longest sections cut to their first HOME_LIMIT, with a line for the rest).
        "tasks": tasks,
        "count": sum(task.more or 1 for task in tasks),
        "late": sum(1 for task in tasks if task.late),
        "sections": _sections(user, to_arrange),
        "today": on,
        "can_see_all_children": policy.can_see_all_children(request.user),
    }
    return render(request, "core/home.html", context)


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The timeout warning's "Stay signed in": the request itself renews the session."""
    return HttpResponse(status=204)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
