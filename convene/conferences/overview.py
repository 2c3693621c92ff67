"""A conference's overview: every stage on one page, as a task list."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from convene import policy
from convene.access.models import User
from convene.conferences.convening import views as convening
from convene.conferences.decision import views as decision
from convene.conferences.invitations import views as invitations
from convene.conferences.meeting import views as meeting
from convene.conferences.reports import views as reports
from convene.conferences.rules import CONFERENCE
from convene.core.clock import today


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    on = today()
    conference = policy.conference_for(request.user, pk, today=on)
    permitted = policy.permitted(request.user, conference, today=on)
    context: dict[str, Any] = {
        "conference": conference,
        "subjects": conference.subjects.select_related("child").order_by("child__date_of_birth"),
        # What this person may do to the conference now (the policy, then its status).
        "offered": CONFERENCE.offered(conference.status, permitted),
        "today": on,
    }
    for stage in (convening, invitations, reports, meeting, decision):
        context.update(stage.overview_context(conference, request.user, on))
    return render(request, "conferences/detail.html", context)
