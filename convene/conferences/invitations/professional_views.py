"""The page for inviting a professional from any agency (London CP4 §3.1 to §3.2): two
questions, each a page, so it works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.conferences.invitations import professionals, selectors
from convene.conferences.invitations.forms import AgencyForm, ProfessionalForm
from convene.conferences.models import Conference
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, submit
from convene.core.web import actor, signed_in_user
from convene.people.enums import AgencyType
from convene.people.models import Agency


def _agency_from(value: str) -> Agency | None:
    # Only a number an id column can hold (as `<id:…>` in addresses): anything else is none.
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        return None
    return Agency.objects.filter(pk=int(value)).first()


def _search_text(value: str) -> str:
    # A NUL character cannot be searched for (PostgreSQL refuses it in a query): drop it.
    return value.replace("\x00", "").strip()[:100]


@require_http_methods(["GET", "POST"])
def invitation_add_professional(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a professional from any agency, whether or not they have worked with the children
    yet. Two questions, each a page, so it works without JavaScript: which agency (asked by
    GET; `?agency_type=police` offers only police forces, and goes straight on when there is
    one), then who, and their role with the children."""
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on, action=ConferenceAction.INVITE)
    source = request.POST if request.method == "POST" else request.GET
    agency = _agency_from(str(source.get("agency", "")))
    agency_type = str(request.GET.get("agency_type", ""))
    offered = selectors.agencies(agency_type)
    if agency is None and agency_type and len(offered) == 1 and "agency" not in source:
        agency = offered[0]
    if agency is None:
        return _choose_agency(request, conference, agency_type, offered)
    text = _search_text(str(source.get("q", "")))
    found = selectors.invitable(conference, agency, text)
    form, saved = submit(
        request,
        ProfessionalForm(
            posted(request),
            choices=[(person.key, person.label) for person in found.people],
            initial={"agency": agency.pk, "q": text},
        ),
        lambda data: professionals.invitation_add_professional(
            conference=conference,
            agency=agency,
            who=_who(data, found.people),
            role=data["role"],
            today=on,
            by=actor(request, user),
        ),
        success=lambda invitation: f"{invitation.display_name} invited",
    )
    if saved:
        return redirect("conferences:invitations", pk=conference.pk)
    context = {"conference": conference, "agency": agency, "form": form, "found": found, "q": text}
    return render(request, "conferences/invitations/add_professional.html", context)


def _choose_agency(
    request: HttpRequest, conference: Conference, agency_type: str, offered: list[Agency]
) -> HttpResponse:
    """The first question. Only a given kind of agency when asked for and there is one."""
    kind = AgencyType(agency_type) if agency_type in AgencyType.values else None
    if not offered:
        offered, kind = selectors.agencies(), None
    asked = "agency" in request.GET or request.method == "POST"
    form = AgencyForm(request.GET if asked else None, agencies=offered)
    form.is_valid()
    context = {"conference": conference, "form": form, "kind": kind}
    return render(request, "conferences/invitations/add_professional_agency.html", context)


def _who(data: dict[str, Any], people: list[selectors.Invitable]) -> professionals.Invitee:
    if data["who"] == selectors.SOMEONE_NEW:
        return professionals.NewProfessional(data["name"], data["job_title"], data["email"])
    person = selectors.chosen(people, data["who"])
    who = (person.professional or person.user) if person else None
    assert who is not None  # the form offers only these people
    return who


urlpatterns: list[URLPattern] = [
    path(
        "conferences/<id:pk>/invitations/add-professional/",
        invitation_add_professional,
        name="invitations-add-professional",
    ),
]
