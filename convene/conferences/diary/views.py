"""The chair's diary (issue 15): the week of conferences a chair chairs, with times and
places, a week at a time."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from convene import policy
from convene.access import reading
from convene.conferences import selectors
from convene.core.clock import today
from convene.core.forms_flow import signed_in_user


def week_starting(asked: str, on: date) -> date:
    """The Monday of the week asked for (a date in it, as YYYY-MM-DD), else of this week."""
    try:
        day = date.fromisoformat(asked) if asked else on
    except ValueError:
        day = on
    if not date(2000, 1, 3) <= day <= date(2999, 12, 25):
        day = on
    return day - timedelta(days=day.weekday())


@require_GET
def diary(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.can_chair(user))
    on = today()
    monday = week_starting(request.GET.get("week", ""), on)
    conferences = list(selectors.chair_week(user, monday))
    for conference in conferences:
        reading.note(conference)
    days = [
        (
            monday + timedelta(days=n),
            [c for c in conferences if c.date == monday + timedelta(days=n)],
        )
        for n in range(7)
    ]
    context = {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": [(day, found) for day, found in days if found or day.weekday() < 5],
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "this_week": monday <= on < monday + timedelta(days=7),
        "today": on,
        "count": len(conferences),
    }
    return render(request, "conferences/diary.html", context)


urlpatterns: list[URLPattern] = [path("diary/", diary, name="diary")]
