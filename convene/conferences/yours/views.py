""" "Your conferences": for a social worker or an agency professional, the conferences they are
invited to and the reports they owe, on one page linked from the navigation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from convene.authority.selectors import authority_procedures
from convene.conferences.yours import selectors
from convene.core.clock import today
from convene.core.web import signed_in_user


def your_conferences(request: HttpRequest) -> HttpResponse:
    """Anyone signed in may open it: it lists only what is theirs, and may be empty."""
    user, on = signed_in_user(request), today()
    context = {
        "invited_to": selectors.invited_to(user, today=on),
        "reports": selectors.reports_owed(user, today=on, profile=authority_procedures()),
        "today": on,
    }
    return render(request, "conferences/yours/list.html", context)


urlpatterns: list[URLPattern] = [
    path("my-conferences/", your_conferences, name="yours"),
]
