"""Pages for the meeting stage of a conference: the attendance register, the quorum for each
child (London CP4 §3.10) and marking the conference held (§3.11 to §3.12)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.access.models import User
from convene.conferences import selectors
from convene.conferences.enums import ConferenceStatus
from convene.conferences.meeting import services
from convene.conferences.meeting.forms import AttendanceForm, MarkHeldForm
from convene.conferences.meeting.rules import (
    EARLY_REVIEW_MESSAGE,
    by_the_day,
    early_review_due,
    meeting_open,
)
from convene.conferences.models import Conference
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.web import actor


def offered(conference: Conference, permitted: frozenset[str], on: date) -> frozenset[str]:
    """What someone permitted these actions (policy.permitted) may do to the conference now:
    what its status allows (CONFERENCE) and, for the day's actions, once its day has come."""
    return by_the_day(CONFERENCE.offered(conference.status, permitted), conference.date, on)


def _page_context(conference: Conference, action: ConferenceAction, on: date) -> dict[str, Any]:
    return {
        "conference": conference,
        # Whether the page's action may be taken now; if not, whether only the day is awaited.
        "open": CONFERENCE.allows(action, conference.status) and meeting_open(conference.date, on),
        "status_allows": CONFERENCE.allows(action, conference.status),
    }


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    action = ConferenceAction.TAKE_ATTENDANCE
    conference = policy.conference_for(user, pk, today=on, action=action)
    register = selectors.attendance_register(conference)
    context = {**_page_context(conference, action, on), "register": register}
    if not context["open"] or not register:
        return render(request, "conferences/meeting/attendance.html", context)
    entered = AttendanceForm(
        posted(request), invitations=register, initial={"version": conference.version}
    )
    form, saved = submit(
        request,
        entered,
        lambda data: services.attendance_record(
            conference=conference,
            entries=entered.entries(),
            version=data["version"],
            by=actor(request, user),
            today=on,
        ),
        success="The attendance register has been saved",
        reload=lambda: AttendanceForm(
            typed_again(request, conference),
            invitations=selectors.attendance_register(conference),
        ),
    )
    if saved:
        return redirect("conferences:meeting-quorum", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/meeting/attendance.html", context)


def quorum(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on, action=ConferenceAction.TAKE_ATTENDANCE)
    context = {"conference": conference, **_meeting_summary(conference, user, on)}
    return render(request, "conferences/meeting/quorum.html", context)


@require_http_methods(["GET", "POST"])
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    action = ConferenceAction.MARK_HELD
    conference = policy.conference_for(user, pk, today=on, action=action)
    summary = _meeting_summary(conference, user, on)
    context = {**_page_context(conference, action, on), **summary}
    if not context["open"] or not summary["attendance_taken"]:
        return render(request, "conferences/meeting/mark_held.html", context)

    def reload() -> MarkHeldForm:
        data = typed_again(request, conference)
        context.update(_meeting_summary(conference, user, on))
        return MarkHeldForm(data, inquorate=not context["quorate"])

    form, saved = submit(
        request,
        MarkHeldForm(
            posted(request),
            inquorate=not summary["quorate"],
            initial={"version": conference.version},
        ),
        lambda data: services.conference_mark_held(
            conference=conference,
            inquorate_reason=data.get("inquorate_reason", ""),
            version=data["version"],
            by=actor(request, user),
            today=on,
        ),
        success="The conference has been marked as held",
        reload=reload,
    )
    if saved:
        return redirect("conferences:detail", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/meeting/mark_held.html", context)


def _meeting_summary(conference: Conference, user: User, on: date) -> dict[str, Any]:
    """What the quorum page and the overview show: the register, quorum for each subject child
    once the register is taken, whether an early review is due, and what this person may do."""
    register = selectors.attendance_register(conference)
    taken = selectors.attendance_taken(register)
    quorum_rows = selectors.conference_quorum(conference) if taken else []
    permitted = policy.permitted(user, conference, today=on)
    return {
        "register": register,
        "attendance_taken": taken,
        "quorum_rows": quorum_rows,
        "quorate": all(row.quorum.quorate for row in quorum_rows),
        "early_review_due": early_review_due(conference),
        "early_review_message": EARLY_REVIEW_MESSAGE,
        # The quorum page is for whoever keeps the register, whatever the conference's status.
        "permitted": permitted,
        "offered": offered(conference, permitted, on),
        "held": conference.status == ConferenceStatus.HELD,
    }


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/attendance/", attendance, name="meeting-attendance"),
    path("conferences/<id:pk>/quorum/", quorum, name="meeting-quorum"),
    path("conferences/<id:pk>/held/", mark_held, name="meeting-mark-held"),
]


def overview_context(conference: Conference, user: User, today: date) -> dict[str, Any]:
    """What the conference's overview page shows for this stage."""
    return {"meeting": _meeting_summary(conference, user, today)}
