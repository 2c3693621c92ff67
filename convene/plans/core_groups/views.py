"""Core group meetings: arranging one with the members invited, moving or cancelling it, its
record (who came, written views, decisions, progress against each action, an early review),
and the actions agreed or changed there (Cornwall C:123; London CP4 §1.23, §14.3).

Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.decision.forms import DissentForm
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.converters import IdConverter
from convene.core.forms_flow import latest, posted, signed_in_user, submit, typed_again
from convene.core.web import actor
from convene.plans.enums import ActionStatus, MeetingStatus
from convene.plans.models import Action, CoreGroupMeeting, Plan
from convene.plans.plan_page import selectors as plan_selectors
from convene.plans.plan_page import views as plan_page
from convene.plans.plan_page.rules import CLOSED, PlanState, plan_state
from convene.plans.rules import PlanAction

from . import selectors, services
from .forms import CancelForm, RecordForm, RescheduleForm, ScheduleForm
from .rules import MEETING, MeetingAction, meeting_offered


def _plan(request: HttpRequest, pk: int, action: PlanAction) -> tuple[User, date, Plan]:
    user, on = signed_in_user(request), today()
    return user, on, policy.plan_for(user, pk, today=on, action=action)


def _meeting(plan: Plan, meeting_pk: int) -> CoreGroupMeeting:
    return get_object_or_404(
        CoreGroupMeeting.objects.select_related("plan", "plan__child"), pk=meeting_pk, plan=plan
    )


def _context(plan: Plan, meeting: CoreGroupMeeting | None, user: User, on: date) -> dict[str, Any]:
    plan_offered = plan_page.offered(plan, user, on)
    state = plan_state(end_date=plan.end_date, other_authority=plan.other_authority)
    context: dict[str, Any] = {
        "plan": plan,
        "child": plan.child,
        "plan_offered": plan_offered,
        "plan_closed": state != PlanState.OPEN,
    }
    if meeting is not None:
        context |= {"meeting": meeting, "offered": meeting_offered(meeting.status, plan_offered)}
    return context


# Arranging a meeting ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting to come, with everyone now in the core group invited."""
    user, on, plan = _plan(request, pk, PlanAction.SCHEDULE_CORE_GROUP)
    context = _context(plan, None, user, on)
    context |= {
        "open": PlanAction.SCHEDULE_CORE_GROUP in context["plan_offered"],
        "members": plan_selectors.current_members(plan, on),
    }
    if not context["open"]:
        return render(request, "plans/core_groups/schedule.html", context)
    form, saved = submit(
        request,
        ScheduleForm(posted(request)),
        lambda d: services.core_group_schedule(
            plan=plan,
            day=d["date"],
            starts_at=d["starts_at"],
            venue=d["venue"],
            by=actor(request, user),
        ),
        success="The core group meeting has been arranged",
    )
    if saved:
        return redirect("plans:plan", pk=plan.pk)
    context["form"] = form
    return render(request, "plans/core_groups/schedule.html", context)


@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, on, plan = _plan(request, pk, PlanAction.SCHEDULE_CORE_GROUP)
    meeting = _meeting(plan, meeting_pk)
    context = _context(plan, meeting, user, on)
    context["open"] = MeetingAction.RESCHEDULE in context["offered"]
    if not context["open"]:
        return render(request, "plans/core_groups/reschedule.html", context)
    initial = {
        "date": meeting.date,
        "starts_at": meeting.starts_at.strftime("%H:%M") if meeting.starts_at else "",
        "venue": meeting.venue,
        "version": meeting.version,
    }
    form, saved = submit(
        request,
        RescheduleForm(posted(request), initial=initial),
        lambda d: services.core_group_reschedule(
            meeting=meeting,
            day=d["date"],
            starts_at=d["starts_at"],
            venue=d["venue"],
            version=d["version"],
            by=actor(request, user),
        ),
        success="The core group meeting has been moved",
        reload=lambda: RescheduleForm(typed_again(request, meeting)),
    )
    if saved:
        return redirect("plans:core-group", pk=plan.pk, meeting_pk=meeting.pk)
    context["form"] = form
    return render(request, "plans/core_groups/reschedule.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, on, plan = _plan(request, pk, PlanAction.SCHEDULE_CORE_GROUP)
    meeting = _meeting(plan, meeting_pk)
    context = _context(plan, meeting, user, on)
    context["open"] = MeetingAction.CANCEL in context["offered"]
    if not context["open"]:
        return render(request, "plans/core_groups/cancel.html", context)
    form, saved = submit(
        request,
        CancelForm(posted(request), initial={"version": meeting.version}),
        lambda d: services.core_group_cancel(
            meeting=meeting, version=d["version"], by=actor(request, user)
        ),
        success="The core group meeting has been cancelled",
        reload=lambda: CancelForm(typed_again(request, meeting)),
    )
    if saved:
        return redirect("plans:plan", pk=plan.pk)
    context["form"] = form
    return render(request, "plans/core_groups/cancel.html", context)


# The meeting and its record --------------------------------------------------------------


@require_GET
def meeting_detail(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, on, plan = _plan(request, pk, PlanAction.VIEW)
    meeting = _meeting(plan, meeting_pk)
    context = _context(plan, meeting, user, on)
    context["record"] = selectors.meeting_record(meeting, today=on)
    context["recordable"] = meeting.date <= on
    context["dissents"] = list(meeting.dissents.select_related("agency", "escalation"))
    return render(request, "plans/core_groups/meeting.html", context)


@require_http_methods(["GET", "POST"])
def dissent(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """Dissent from what a held core group meeting decided (London CP4 §11.2): it escalates
    through the authority's stages as dissent at a conference does."""
    user, on, plan = _plan(request, pk, PlanAction.RECORD_CORE_GROUP)
    meeting = _meeting(plan, meeting_pk)
    if meeting.status != MeetingStatus.HELD:
        raise Http404("Dissent is recorded about a held core group meeting")
    form, saved = submit(
        request,
        DissentForm(posted(request)),
        lambda data: services.core_group_dissent_add(
            meeting=meeting,
            group=data["group"],
            agency=data.get("agency"),
            name=data["name"],
            reasons=data["reasons"],
            by=actor(request, user),
            today=on,
        ),
        success="The dissent has been recorded and the escalation has started",
    )
    if saved:
        return redirect("plans:core-group", pk=plan.pk, meeting_pk=meeting.pk)
    context = _context(plan, meeting, user, on) | {"form": form}
    return render(request, "plans/core_groups/dissent.html", context)


def _open_actions(plan: Plan) -> list[Action]:
    return list(
        plan.actions.exclude(status__in=CLOSED).select_related("owner", "objective", "plan")
    )


def _actions_shown(request: HttpRequest, plan: Plan) -> list[Action]:
    """The actions the page showed: on a POST those it sent back (one added since is not in
    this record, one closed since is refused as changed), otherwise the open ones."""
    if request.method != "POST":
        return _open_actions(plan)
    sent = [
        int(pk)
        for name in request.POST
        # As the <id:…> converter: only numbers a database id column can hold.
        if name.startswith("version_") and re.fullmatch(IdConverter.regex, pk := name[8:])
    ]
    return list(plan.actions.filter(pk__in=sent).select_related("owner", "objective", "plan"))


@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """The record of the meeting, once it has happened: then it counts as held."""
    user, on, plan = _plan(request, pk, PlanAction.RECORD_CORE_GROUP)
    meeting = _meeting(plan, meeting_pk)
    context = _context(plan, meeting, user, on)
    context["open"] = MeetingAction.RECORD in context["offered"] and meeting.date <= on
    context["to_come"] = MEETING.allows(MeetingAction.RECORD, meeting.status)
    if not context["open"]:
        return render(request, "plans/core_groups/record.html", context)
    members = plan_selectors.current_members(plan, meeting.date)
    actions = _actions_shown(request, plan)

    def build(data: QueryDict | None, actions: list[Action]) -> RecordForm:
        return RecordForm(
            data, members=members, actions=actions, initial={"version": meeting.version}
        )

    def again() -> RecordForm:
        # Someone else changed the meeting or an action: the latest of each, with what was typed.
        fresh = _open_actions(plan)
        data = typed_again(request, latest(meeting))
        for action in fresh:
            data[f"version_{action.pk}"] = str(action.version)
            data.setdefault(f"status_{action.pk}", action.status)  # an action added since
        return build(data, fresh)

    def save(d: dict[str, Any]) -> CoreGroupMeeting:
        return services.core_group_record(
            meeting=meeting,
            invited=members,
            attendance=[
                services.AttendanceGiven(
                    member=m, attended=d[f"attended_{m.pk}"], written_views=d[f"views_{m.pk}"]
                )
                for m in members
            ],
            decisions=d["decisions"],
            progress=[
                services.ProgressGiven(
                    action=a,
                    version=d[f"version_{a.pk}"],
                    status=ActionStatus(d[f"status_{a.pk}"]),
                    progress=d[f"progress_{a.pk}"],
                )
                for a in actions
            ],
            early_review=services.EarlyReview(
                requested=d["early_review"],
                reason=d["early_review_reason"],
                due=d["early_review_due"],
            ),
            version=d["version"],
            by=actor(request, user),
            today=on,
            calendar=authority_procedures().calendar,
        )

    form, saved = submit(
        request,
        build(posted(request), actions),
        save,
        success="The record of the core group meeting has been saved",
        reload=again,
    )
    if saved:
        return redirect("plans:core-group", pk=plan.pk, meeting_pk=meeting.pk)
    context["form"] = form
    return render(request, "plans/core_groups/record.html", context)


urlpatterns: list[URLPattern] = [
    path("plans/<id:pk>/core-groups/schedule/", schedule, name="core-group-schedule"),
    path("plans/<id:pk>/core-groups/<id:meeting_pk>/", meeting_detail, name="core-group"),
    path(
        "plans/<id:pk>/core-groups/<id:meeting_pk>/change/",
        reschedule,
        name="core-group-change",
    ),
    path("plans/<id:pk>/core-groups/<id:meeting_pk>/cancel/", cancel, name="core-group-cancel"),
    path("plans/<id:pk>/core-groups/<id:meeting_pk>/record/", record, name="core-group-record"),
    path("plans/<id:pk>/core-groups/<id:meeting_pk>/dissent/", dissent, name="core-group-dissent"),
    # Actions agreed or changed at the meeting (the plan page's forms, in the meeting's record).
    path(
        "plans/<id:pk>/core-groups/<id:meeting_pk>/actions/add/",
        plan_page.action_add,
        name="core-group-action-add",
    ),
    path(
        "plans/<id:pk>/core-groups/<id:meeting_pk>/actions/<id:action_pk>/change/",
        plan_page.action_change,
        name="core-group-action-change",
    ),
]
