"""Pages for the meeting stage of a conference: the attendance register, the quorum for each
child (London CP4 §3.10) and marking the conference held (§3.11 to §3.12)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from convene.access import policy
from convene.access.models import User
from convene.conferences import selectors
from convene.conferences.enums import ConferenceStatus
from convene.conferences.meeting import services
from convene.conferences.meeting.forms import AttendanceForm, MarkHeldForm
from convene.conferences.meeting.rules import EARLY_REVIEW_MESSAGE, early_review_due
from convene.conferences.models import Conference
from convene.core.clock import today
from convene.core.forms_flow import Stale, latest, posted, signed_in_user, submit

STALE = "This changed since you opened it. Check the page below and save it again."


def _with_version(request: HttpRequest, version: int) -> dict[str, Any]:
    """The submitted answers, kept, with the latest version so they can be saved again."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for_meeting(user, pk, today=on)
    register = selectors.attendance_register(conference)
    context: dict[str, Any] = {
        "conference": conference,
        "open": services.is_allowed_now("attendance_record", conference, today=on),
        "register": register,
    }
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
            by=user,
            today=on,
            request=request,
        ),
        success="The attendance register has been saved",
        refused=(services.NotAllowedNow, services.InvalidAttendance),
        stale=Stale(
            services.StaleEdit,
            STALE,
            lambda: AttendanceForm(
                _with_version(request, latest(conference).version),
                invitations=selectors.attendance_register(conference),
            ),
        ),
    )
    if saved:
        return redirect("conferences:meeting-quorum", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/meeting/attendance.html", context)


def quorum(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for_meeting(user, pk, today=on)
    context = {"conference": conference, **_meeting_summary(conference, user, on)}
    return render(request, "conferences/meeting/quorum.html", context)


@require_http_methods(["GET", "POST"])
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for_meeting(user, pk, today=on, to_mark_held=True)
    summary = _meeting_summary(conference, user, on)
    context: dict[str, Any] = {
        "conference": conference,
        "open": services.is_allowed_now("conference_mark_held", conference, today=on),
        **summary,
    }
    if not context["open"] or not summary["attendance_taken"]:
        return render(request, "conferences/meeting/mark_held.html", context)

    def reload() -> MarkHeldForm:
        context.update(_meeting_summary(latest(conference), user, on))
        return MarkHeldForm(
            _with_version(request, conference.version), inquorate=not context["quorate"]
        )

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
            by=user,
            today=on,
            version=data["version"],
            request=request,
        ),
        success="The conference has been marked as held",
        refused=(services.NotAllowedNow, services.ReasonRequired),
        stale=Stale(services.StaleEdit, STALE, reload),
    )
    if saved:
        return redirect("conferences:detail", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/meeting/mark_held.html", context)


def _meeting_summary(conference: Conference, user: User, on: date) -> dict[str, Any]:
    """What the quorum page and the overview show: the register, quorum for each subject child
    once the register is taken, and whether an early review is due."""
    register = selectors.attendance_register(conference)
    taken = selectors.attendance_taken(register)
    quorum_rows = selectors.conference_quorum(conference) if taken else []
    return {
        "register": register,
        "attendance_taken": taken,
        "quorum_rows": quorum_rows,
        "quorate": all(row.quorum.quorate for row in quorum_rows),
        "early_review_due": early_review_due(conference),
        "early_review_message": EARLY_REVIEW_MESSAGE,
        "can_take_attendance": policy.can_take_attendance(user, conference),
        "can_mark_held": policy.can_mark_held(user, conference),
        "attendance_open": services.is_allowed_now("attendance_record", conference, today=on),
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
