"""A conference's overview: every stage on one page, as a task list."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from convene.access import policy
from convene.access.models import User
from convene.core.clock import today

from . import convening, invitations, meeting, reports


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
