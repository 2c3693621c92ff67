"""The plan page for a child on a child protection plan, the family's copy in plain words, and
the pages that keep the plan up to date between conferences: the lead social worker and
contingency plan, objectives, the core group, actions and their progress (London CP4 §9.7 to
§9.9, §14.3).

Access is decided only by convene.policy; a page someone may not use is a 404. A plan that has
ended (or that another authority keeps) shows its pages without their forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from convene import policy
from convene.access.enums import AuditVerb, Role
from convene.access.models import User
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.services import audit
from convene.core.web import actor
from convene.plans.core_groups.rules import MEETING, MeetingAction
from convene.plans.ending import views as ending
from convene.plans.enums import ActionStatus, CoreGroupKind
from convene.plans.models import Action, CoreGroupMeeting, CoreGroupMember, Objective, Plan
from convene.plans.reviews import views as reviews
from convene.plans.rules import PlanAction

from . import selectors, services
from .forms import (
    ActionChangeForm,
    ActionForm,
    LeaveForm,
    MemberForm,
    ObjectiveChangeForm,
    ObjectiveForm,
    OutlineForm,
    ProgressForm,
)
from .rules import PLAN, PlanState, plan_state, sudi_applies


def _plan(request: HttpRequest, pk: int, action: PlanAction) -> tuple[User, date, Plan]:
    user, on = signed_in_user(request), today()
    return user, on, policy.plan_for(user, pk, today=on, action=action)


def offered(plan: Plan, user: User, on: date) -> frozenset[str]:
    """What this person may do to the plan now: what the policy permits them and the plan's
    state allows (an ended plan offers nothing to change)."""
    state = plan_state(end_date=plan.end_date, other_authority=plan.other_authority)
    return PLAN.offered(state, policy.permitted(user, plan, today=on))


def _context(plan: Plan, action: PlanAction) -> dict[str, Any]:
    state = plan_state(end_date=plan.end_date, other_authority=plan.other_authority)
    return {
        "plan": plan,
        "child": plan.child,
        "open": PLAN.allows(action, state),
        "plan_closed": state != PlanState.OPEN,
    }


def _opened(request: HttpRequest, plan: Plan, user: User, reason: str) -> None:
    # Opening the plan is opening part of the child's record: on the child's trail.
    with transaction.atomic():
        audit(
            by=actor(request, user),
            verb=AuditVerb.VIEWED_CHILD,
            obj=plan,
            about=plan.child,
            reason=reason,
        )


# The plan page and the family's copy ------------------------------------------------------


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, on, plan = _plan(request, pk, PlanAction.VIEW)
    _opened(request, plan, user, "Opened the child protection plan")
    context = {
        "plan": plan,
        "child": plan.child,
        "page": selectors.plan_page(plan, today=on),
        "offered": offered(plan, user, on),
        # Reviews (booking, bringing forward, the birth) and ending the plan.
        "life_links": reviews.plan_links(user, plan, today=on)
        + ending.plan_links(user, plan, today=on),
        "conference_open": plan.started_by_id is not None
        and bool(
            policy.allowed_pks(
                user, "conference", ConferenceAction.VIEW, [plan.started_by_id], today=on
            )
        ),
    }
    return render(request, "plans/plan_page/plan.html", context)


@require_GET
def plain_words(request: HttpRequest, pk: int) -> HttpResponse:
    """The same plan in plain words for the family, to print or share (no parent portal yet):
    no abbreviations, no case-work terms left unexplained."""
    user, on, plan = _plan(request, pk, PlanAction.VIEW)
    _opened(request, plan, user, "Opened the plan in plain words, to print or share")
    page = selectors.plan_page(plan, today=on)
    child = plan.child
    name = child.first_name or ("your baby" if child.is_unborn else child.display_name)
    context = {"plan": plan, "child": child, "page": page, "today": on, "name": name}
    return render(request, "plans/plan_page/plain_words.html", context)


def _back(plan: Plan) -> HttpResponse:
    return redirect("plans:plan", pk=plan.pk)


# The plan itself ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_change(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead social worker, the contingency plan and, for an unborn child or a baby, the
    safer-sleeping discussion (§9.9)."""
    user, on, plan = _plan(request, pk, PlanAction.EDIT)
    context = _context(plan, PlanAction.EDIT)
    if not context["open"]:
        return render(request, "plans/plan_page/plan_change.html", context)
    workers = (
        User.objects.filter(is_active=True, role_grants__role=Role.SOCIAL_WORKER)
        .distinct()
        .order_by("last_name", "first_name")
    )
    baby = bool(plan.sudi_discussion) or sudi_applies(
        date_of_birth=plan.child.date_of_birth, today=on
    )

    def build(data: Any) -> OutlineForm:
        initial = {
            "lead_social_worker": plan.lead_social_worker_id,
            "contingency_plan": plan.contingency_plan,
            "sudi_discussion": plan.sudi_discussion,
            "version": plan.version,
        }
        return OutlineForm(data, workers=workers, baby=baby, initial=initial)

    form, saved = submit(
        request,
        build(posted(request)),
        lambda d: services.plan_update(
            plan=plan,
            lead_social_worker=d["lead_social_worker"],
            contingency_plan=d["contingency_plan"],
            sudi_discussion=d.get("sudi_discussion", plan.sudi_discussion),
            version=d["version"],
            by=actor(request, user),
        ),
        success="The plan has been saved",
        reload=lambda: build(typed_again(request, plan)),
    )
    if saved:
        return _back(plan)
    context["form"] = form
    return render(request, "plans/plan_page/plan_change.html", context)


# Objectives ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, _on, plan = _plan(request, pk, PlanAction.EDIT)
    context = _context(plan, PlanAction.EDIT) | {"adding": True}
    if not context["open"]:
        return render(request, "plans/plan_page/objective.html", context)
    form, saved = submit(
        request,
        ObjectiveForm(posted(request)),
        lambda d: services.objective_add(plan=plan, text=d["text"], by=actor(request, user)),
        success="The objective has been added",
    )
    if saved:
        return _back(plan)
    context["form"] = form
    return render(request, "plans/plan_page/objective.html", context)


@require_http_methods(["GET", "POST"])
def objective_change(request: HttpRequest, pk: int, objective_pk: int) -> HttpResponse:
    user, _on, plan = _plan(request, pk, PlanAction.EDIT)
    objective = get_object_or_404(
        Objective.objects.select_related("plan"), pk=objective_pk, plan=plan
    )
    context = _context(plan, PlanAction.EDIT) | {"objective": objective}
    if not context["open"]:
        return render(request, "plans/plan_page/objective.html", context)
    form, saved = submit(
        request,
        ObjectiveChangeForm(
            posted(request), initial={"text": objective.text, "version": plan.version}
        ),
        lambda d: services.objective_change(
            objective=objective, text=d["text"], version=d["version"], by=actor(request, user)
        ),
        success="The objective has been changed",
        reload=lambda: ObjectiveChangeForm(typed_again(request, plan)),
    )
    if saved:
        return _back(plan)
    context["form"] = form
    return render(request, "plans/plan_page/objective.html", context)


# The core group ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, _on, plan = _plan(request, pk, PlanAction.EDIT)
    context = _context(plan, PlanAction.EDIT)
    if not context["open"]:
        return render(request, "plans/plan_page/member_add.html", context)
    form, saved = submit(
        request,
        MemberForm(posted(request), initial={"kind": CoreGroupKind.PROFESSIONAL}),
        lambda d: services.member_add(
            plan=plan,
            kind=CoreGroupKind(d["kind"]),
            name=d["name"],
            role=d["role"],
            agency=d.get("agency"),
            by=actor(request, user),
        ),
        success="The core group member has been added",
    )
    if saved:
        return _back(plan)
    context["form"] = form
    return render(request, "plans/plan_page/member_add.html", context)


@require_http_methods(["GET", "POST"])
def member_leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user, on, plan = _plan(request, pk, PlanAction.EDIT)
    member = get_object_or_404(
        CoreGroupMember.objects.select_related("plan", "plan__child", "agency"),
        pk=member_pk,
        plan=plan,
    )
    context = _context(plan, PlanAction.EDIT) | {
        "member": member,
        "owns": list(member.actions.exclude(status__in=[ActionStatus.DONE, ActionStatus.STOPPED])),
    }
    if not context["open"] or member.left_on is not None or context["owns"]:
        return render(request, "plans/plan_page/member_leave.html", context)
    form, saved = submit(
        request,
        LeaveForm(posted(request), initial={"left_on": on, "version": plan.version}),
        lambda d: services.member_leave(
            member=member,
            left_on=d["left_on"],
            version=d["version"],
            by=actor(request, user),
            today=on,
        ),
        success=f"{member.name} has left the core group",
        reload=lambda: LeaveForm(typed_again(request, plan)),
    )
    if saved:
        return _back(plan)
    context["form"] = form
    return render(request, "plans/plan_page/member_leave.html", context)


# Actions -----------------------------------------------------------------------------------


def _meeting_for_actions(plan: Plan, meeting_pk: int | None) -> CoreGroupMeeting | None:
    """The held core group meeting at which an action is agreed or changed (404 for any
    other); None for a change between meetings."""
    if meeting_pk is None:
        return None
    meeting = get_object_or_404(CoreGroupMeeting, pk=meeting_pk, plan=plan)
    if not MEETING.allows(MeetingAction.ADD_ACTIONS, meeting.status):
        raise Http404("Actions are agreed at a meeting once it is recorded")
    return meeting


def _after_action(plan: Plan, meeting: CoreGroupMeeting | None) -> HttpResponse:
    if meeting is not None:
        return redirect("plans:core-group", pk=plan.pk, meeting_pk=meeting.pk)
    return _back(plan)


def _back_to(plan: Plan, meeting: CoreGroupMeeting | None) -> str:
    if meeting is not None:
        return reverse("plans:core-group", args=[plan.pk, meeting.pk])
    return reverse("plans:plan", args=[plan.pk])


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int, meeting_pk: int | None = None) -> HttpResponse:
    """A new action; at a recorded core group meeting, one agreed there (§14.3)."""
    permission = PlanAction.EDIT if meeting_pk is None else PlanAction.RECORD_CORE_GROUP
    user, on, plan = _plan(request, pk, permission)
    meeting = _meeting_for_actions(plan, meeting_pk)
    context = _context(plan, permission) | {
        "meeting": meeting,
        "back": _back_to(plan, meeting),
        "has_members": plan.core_group.filter(left_on__isnull=True).exists(),
    }
    if not context["open"] or not context["has_members"]:
        return render(request, "plans/plan_page/action_add.html", context)
    form, saved = submit(
        request,
        ActionForm(posted(request), plan_pk=plan.pk),
        lambda d: services.action_add(
            plan=plan,
            text=d["text"],
            owner=d["owner"],
            due=d["due"],
            objective=d.get("objective"),
            by=actor(request, user),
            today=on,
            meeting=meeting,
        ),
        success="The action has been added",
    )
    if saved:
        return _after_action(plan, meeting)
    context["form"] = form
    return render(request, "plans/plan_page/action_add.html", context)


def _action(plan: Plan, action_pk: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("plan", "plan__child", "owner", "objective"),
        pk=action_pk,
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
def action_change(
    request: HttpRequest, pk: int, action_pk: int, meeting_pk: int | None = None
) -> HttpResponse:
    """What an action is, who does it and by when; at a recorded core group meeting, a change
    agreed there (§14.3)."""
    permission = PlanAction.EDIT if meeting_pk is None else PlanAction.RECORD_CORE_GROUP
    user, on, plan = _plan(request, pk, permission)
    meeting = _meeting_for_actions(plan, meeting_pk)
    action = _action(plan, action_pk)
    context = _context(plan, permission) | {
        "action": action,
        "meeting": meeting,
        "back": _back_to(plan, meeting),
    }
    if not context["open"]:
        return render(request, "plans/plan_page/action_change.html", context)
    form, saved = submit(
        request,
        ActionChangeForm(
            posted(request), action=action, initial=ActionChangeForm.initial_from(action)
        ),
        lambda d: services.action_change(
            action=action,
            text=d["text"],
            owner=d["owner"],
            due=d["due"],
            objective=d.get("objective"),
            version=d["version"],
            by=actor(request, user),
            today=on,
            meeting=meeting,
        ),
        success="The action has been changed",
        reload=lambda: ActionChangeForm(typed_again(request, action), action=action),
    )
    if saved:
        return _after_action(plan, meeting)
    context["form"] = form
    return render(request, "plans/plan_page/action_change.html", context)


@require_http_methods(["GET", "POST"])
def action_progress(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Progress on an action between core group meetings, with its history."""
    user, on, plan = _plan(request, pk, PlanAction.UPDATE_ACTIONS)
    action = _action(plan, action_pk)
    context = _context(plan, PlanAction.UPDATE_ACTIONS) | {
        "action": action,
        "updates": list(
            action.updates.select_related("meeting", "recorded_by").order_by("-date", "-id")
        ),
    }
    if not context["open"]:
        return render(request, "plans/plan_page/action_progress.html", context)
    form, saved = submit(
        request,
        ProgressForm(posted(request), initial={"status": action.status, "version": action.version}),
        lambda d: services.action_progress(
            action=action,
            status=ActionStatus(d["status"]),
            progress=d["progress"],
            version=d["version"],
            by=actor(request, user),
            today=on,
        ),
        success="The progress has been recorded",
        reload=lambda: ProgressForm(typed_again(request, action)),
    )
    if saved:
        return _back(plan)
    context["form"] = form
    return render(request, "plans/plan_page/action_progress.html", context)


urlpatterns: list[URLPattern] = [
    path("plans/<id:pk>/", plan_detail, name="plan"),
    path("plans/<id:pk>/plain-words/", plain_words, name="plain-words"),
    path("plans/<id:pk>/change/", plan_change, name="plan-change"),
    path("plans/<id:pk>/objectives/add/", objective_add, name="objective-add"),
    path(
        "plans/<id:pk>/objectives/<id:objective_pk>/change/",
        objective_change,
        name="objective-change",
    ),
    path("plans/<id:pk>/members/add/", member_add, name="member-add"),
    path("plans/<id:pk>/members/<id:member_pk>/leave/", member_leave, name="member-leave"),
    path("plans/<id:pk>/actions/add/", action_add, name="action-add"),
    path("plans/<id:pk>/actions/<id:action_pk>/change/", action_change, name="action-change"),
    path("plans/<id:pk>/actions/<id:action_pk>/progress/", action_progress, name="action-progress"),
]
