"""Pages for the family's and child's own contributions to a conference (London CP4 §4.16 to
§4.17, §7.11): the list, the upload form and downloads.

Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.conferences.contributions import forms, services
from convene.conferences.enums import ContributionKind
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit
from convene.core.web import actor


@require_http_methods(["GET", "POST"])
def contributions(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's and child's own contributions: the list, and the upload form for those who
    may add one."""
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on)
    permitted = policy.permitted(user, conference, today=on)
    if request.method == "POST":
        policy.require(ConferenceAction.UPLOAD_CONTRIBUTION in permitted)
    subjects = conference.subjects.select_related("child").order_by("child__date_of_birth")
    files = request.FILES if request.method == "POST" else None
    form, saved = submit(
        request,
        forms.ContributionForm(posted(request), files, subjects=subjects),
        lambda data: services.contribution_upload(
            conference=conference,
            kind=ContributionKind(data["kind"]),
            from_whom=data["from_whom"],
            child=data["child"].child if data["child"] else None,
            name=data["file"].name or "",
            data=data["file"].read(),
            by=actor(request),
        ),
        success="The contribution has been added",
    )
    if saved:
        return redirect("conferences:contributions", pk=conference.pk)
    context = {
        "conference": conference,
        "form": form,
        "offered": CONFERENCE.offered(conference.status, permitted),
        "contributions": conference.contributions.select_related("child", "uploaded_by").order_by(
            "uploaded_at"
        ),
    }
    return render(request, "conferences/contributions/list.html", context)


@require_http_methods(["GET"])
def contribution_download(request: HttpRequest, pk: int) -> FileResponse:
    user = signed_in_user(request)
    contribution = policy.contribution_for(user, pk, today=today())
    services.contribution_record_download(contribution=contribution, by=actor(request))
    name = (contribution.file.name or "contribution").rsplit("/", 1)[-1]
    return FileResponse(
        contribution.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=contribution.content_type,
    )


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/contributions/", contributions, name="contributions"),
    path("contributions/<id:pk>/download/", contribution_download, name="contribution-download"),
]
