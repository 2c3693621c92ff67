"""A conference's overview: every stage on one page, as a task list."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from convene.access import policy
from convene.access.models import User
from convene.conferences.convening import views as convening
from convene.conferences.invitations import views as invitations
from convene.conferences.meeting import views as meeting
from convene.conferences.reports import views as reports
from convene.core.clock import today


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    on = today()
    conference = policy.conference_for(request.user, pk, today=on)
    context: dict[str, Any] = {
        "conference": conference,
        "subjects": conference.subjects.select_related("child").order_by("child__date_of_birth"),
        "can_arrange": policy.can_arrange_conferences(request.user),
        "is_chair": policy.is_chair_of(request.user, conference),
        "today": on,
    }
    for stage in (convening, invitations, reports, meeting):
        context.update(stage.overview_context(conference, request.user, on))
    return render(request, "conferences/detail.html", context)
