"""Pages for the invitations stage of a conference: who is invited, their needs and answers,
observers' consent, sending, the printable letter and requests to record the meeting."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.access.models import User
from convene.conferences.enums import (
    ConferenceStatus,
    Delivery,
    InviteeRole,
    RecordingDecision,
    Response,
)
from convene.conferences.invitations import messages, rules, services
from convene.conferences.invitations import recording as recording_services
from convene.conferences.invitations.forms import (
    ConsentForm,
    NeedsForm,
    OtherInviteeForm,
    RecordingDecisionForm,
    RecordingRequestForm,
    ResponseForm,
    SendForm,
    SuggestedInviteesForm,
    from_bool,
    to_bool,
)
from convene.conferences.models import Conference, Invitation
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import latest, posted, submit, typed_again
from convene.core.web import actor, signed_in_user
from convene.notifications.gateway import is_fake
from convene.notifications.models import SentMessage
from convene.people.enums import AgencyType

A = ConferenceAction


def _invitations(conference: Conference) -> list[Invitation]:
    return list(
        conference.invitations.select_related("adult", "child", "professional", "agency").order_by(
            "role", "id"
        )
    )


def _police_missing(conference: Conference, invitations: list[Invitation]) -> bool:
    types = [i.agency.type for i in invitations if i.agency is not None]
    return rules.police_missing(conference.type, types)


def _back(conference: Conference) -> HttpResponse:
    return redirect("conferences:invitations", pk=conference.pk)


def _offered(user: User, conference: Conference, on: date) -> frozenset[str]:
    """The actions this person may take on the conference that its state allows now."""
    return CONFERENCE.offered(conference.status, policy.permitted(user, conference, today=on))


# The list ----------------------------------------------------------------------------------


def invitation_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    on = today()
    conference = policy.conference_for(user, pk, today=on, action=A.SEE_INVITATIONS)
    invitations = _invitations(conference)
    context = {
        "conference": conference,
        "invitations": invitations,
        "police_missing": _police_missing(conference, invitations),
        "offered": _offered(user, conference, on),
        "recording_requests": conference.recording_requests.all(),
        "fake_messages": (
            SentMessage.objects.filter(reference__startswith=f"conference-{conference.pk}-")[:20]
            if is_fake()
            else []
        ),
    }
    return render(request, "conferences/invitations/list.html", context)


# Adding ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    on = today()
    conference = policy.conference_for(user, pk, today=on, action=A.INVITE)
    suggestions = services.invitation_suggestions(conference=conference, today=on)
    choices = [(s.key, f"{s.label} ({s.role.label.lower()})") for s in suggestions]
    form, saved = submit(
        request,
        SuggestedInviteesForm(posted(request), choices=choices),
        lambda data: services.invitations_add_suggested(
            conference=conference, keys=data["invitees"], today=on, by=actor(request, user)
        ),
        success=lambda added: f"{len(added)} invited",
    )
    if saved:
        return _back(conference)
    invitations = _invitations(conference)
    context = {
        "conference": conference,
        "form": form,
        "suggestions": suggestions,
        "children": [s for s in suggestions if s.role == InviteeRole.CHILD],
        "guidance_text": rules.CHILD_GUIDANCE_TEXT,
        "police_missing": _police_missing(conference, invitations),
        "police_agency": AgencyType.POLICE.label,
        "offered": _offered(user, conference, on),
    }
    return render(request, "conferences/invitations/add.html", context)


@require_http_methods(["GET", "POST"])
def invitation_add_other(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    conference = policy.conference_for(user, pk, today=today(), action=A.INVITE)
    form, saved = submit(
        request,
        OtherInviteeForm(posted(request)),
        lambda data: services.invitation_add(
            conference=conference,
            role=InviteeRole(data["role"]),
            name=data["name"],
            email=data["email"],
            address=data["address"],
            delivery=Delivery(data["delivery"]),
            by=actor(request, user),
        ),
        success=lambda invitation: f"{invitation.display_name} added",
    )
    if saved:
        return _back(conference)
    context = {"conference": conference, "form": form}
    return render(request, "conferences/invitations/add_other.html", context)


# One invitation ----------------------------------------------------------------------------


def _needs_initial(invitation: Invitation) -> dict[str, Any]:
    fields = [
        "delivery",
        "email",
        "address",
        "interpreter_language",
        "interpreter_booked",
        "sensory_needs",
        "dyslexia",
        "virtual_access",
        "other_needs",
        "version",
    ]
    return {name: getattr(invitation, name) for name in fields}


@require_http_methods(["GET", "POST"])
def invitation_edit(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    conference = policy.conference_for(user, pk, today=today(), action=A.UPDATE_INVITATION)
    invitation = policy.invitation_for(conference, invitation_pk)
    form, saved = submit(
        request,
        NeedsForm(posted(request), initial=_needs_initial(invitation)),
        lambda data: services.invitation_update_needs(
            invitation=invitation,
            version=data["version"],
            interpreter_language=data["interpreter_language"],
            interpreter_booked=data["interpreter_booked"],
            sensory_needs=data["sensory_needs"],
            dyslexia=data["dyslexia"],
            virtual_access=data["virtual_access"],
            other_needs=data["other_needs"],
            delivery=Delivery(data["delivery"]),
            email=data["email"],
            address=data["address"],
            by=actor(request, user),
        ),
        success=f"Details for {invitation.display_name} saved",
        reload=lambda: NeedsForm(_needs_initial(latest(invitation))),
    )
    if saved:
        return _back(conference)
    context = {"conference": conference, "invitation": invitation, "form": form}
    return render(request, "conferences/invitations/edit.html", context)


@require_http_methods(["GET", "POST"])
def invitation_response(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    conference = policy.conference_for(user, pk, today=today(), action=A.RECORD_RESPONSE)
    invitation = policy.invitation_for(conference, invitation_pk)
    initial: dict[str, Any] = {"version": invitation.version}
    if invitation.response != Response.AWAITING:
        initial["response"] = invitation.response

    def reload() -> ResponseForm:
        now = latest(invitation)
        return ResponseForm({"response": now.response, "version": now.version})

    form, saved = submit(
        request,
        ResponseForm(posted(request), initial=initial),
        lambda data: services.invitation_record_response(
            invitation=invitation,
            version=data["version"],
            response=Response(data["response"]),
            by=actor(request, user),
        ),
        success=f"Answer from {invitation.display_name} recorded",
        reload=reload,
    )
    if saved:
        return _back(conference)
    context = {"conference": conference, "invitation": invitation, "form": form}
    return render(request, "conferences/invitations/response.html", context)


def _consent_data(invitation: Invitation) -> dict[str, Any]:
    return {
        "chair_consents": from_bool(invitation.chair_consents),
        "family_consents": from_bool(invitation.family_consents),
        "version": invitation.version,
    }


@require_http_methods(["GET", "POST"])
def invitation_consent(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """London CP4 §3.3: the chair's and the family's consent to a professional observer."""
    user = signed_in_user(request)
    on = today()
    conference = policy.conference_for(user, pk, today=on, action=A.RECORD_CONSENT)
    invitation = policy.invitation_for(conference, invitation_pk)
    policy.require(invitation.role == InviteeRole.OBSERVER)
    offered = _offered(user, conference, on)
    # Only the chair gives the chair's consent; the administrators record the family's.
    is_chair = A.RECORD_CHAIR_CONSENT in offered
    form, saved = submit(
        request,
        ConsentForm(posted(request), initial=_consent_data(invitation), chair=is_chair),
        lambda data: services.invitation_record_consent(
            invitation=invitation,
            version=data["version"],
            chair_consents=to_bool(data.get("chair_consents", "")),
            family_consents=to_bool(data["family_consents"]),
            record_chair=is_chair,
            by=actor(request, user),
        ),
        success=f"Consent for {invitation.display_name} recorded",
        reload=lambda: ConsentForm(_consent_data(latest(invitation)), chair=is_chair),
    )
    if saved:
        return _back(conference)
    context = {
        "conference": conference,
        "invitation": invitation,
        "form": form,
        "offered": offered,
    }
    return render(request, "conferences/invitations/consent.html", context)


def invitation_letter(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """The printable letter for someone invited by post."""
    user = signed_in_user(request)
    conference = policy.conference_for(user, pk, today=today(), action=A.SEND_INVITATIONS)
    invitation = policy.invitation_for(conference, invitation_pk)
    context = {
        "conference": conference,
        "invitation": invitation,
        "place": messages.place_text(conference),
        "chair_name": messages.chair_name(conference),
        "time": messages.time_text(conference),
        "needs_offer": messages.NEEDS_OFFER,
        "letter_date": invitation.sent_on or today(),
        "contact_email": settings.DEFAULT_FROM_EMAIL,
        "conference_words": messages.with_article(conference.get_type_display().lower()),
        "replies": messages.replies(),
        "authority_name": settings.AUTHORITY_NAME,
    }
    return render(request, "conferences/invitations/letter.html", context)


# Sending -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    on = today()
    conference = policy.conference_for(user, pk, today=on, action=A.SEND_INVITATIONS)
    offered = _offered(user, conference, on)
    form, saved = submit(
        request,
        SendForm(posted(request), initial={"again": "no", "version": conference.version}),
        lambda data: services.invitations_send(
            conference=conference,
            conference_version=data["version"],
            today=on,
            stamp=timezone.now(),
            again=data["again"] == "yes",
            by=actor(request, user),
        ),
        success=_sent_text,
        reload=lambda: SendForm(typed_again(request, conference)),
    )
    if saved:
        return _back(conference)
    invitations = _invitations(conference)
    context = {
        "conference": conference,
        "form": form,
        "offered": offered,
        "checks": services.sendable(invitations),
        "police_missing": _police_missing(conference, invitations),
        "place": messages.place_text(conference),
        "time": messages.time_text(conference),
    }
    return render(request, "conferences/invitations/send.html", context)


def _sent_text(result: services.SendResult) -> str:
    text = f"{len(result.sent)} invitations sent"
    if result.refused:
        text += f"; {len(result.refused)} could not be sent yet"
    return text


# Requests to record the meeting --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def recording_requests(request: HttpRequest, pk: int) -> HttpResponse:
    """London CP4 §3.8 to §3.9: who asked to record the meeting, and the chair's decision."""
    user = signed_in_user(request)
    on = today()
    # Anyone who sees the invitations sees the requests; adding one is the administrators'.
    action = A.ADD_RECORDING_REQUEST if request.method == "POST" else A.SEE_INVITATIONS
    conference = policy.conference_for(user, pk, today=on, action=action)
    form, saved = submit(
        request,
        RecordingRequestForm(posted(request)),
        lambda data: recording_services.recording_request_add(
            conference=conference, requested_by=data["requested_by"], by=actor(request, user)
        ),
        success="Request to record the meeting added",
    )
    if saved:
        return redirect("conferences:recording-requests", pk=conference.pk)
    context = {
        "conference": conference,
        "form": form,
        "requests": conference.recording_requests.all(),
        "offered": _offered(user, conference, on),
        "pending": RecordingDecision.PENDING,
    }
    return render(request, "conferences/invitations/recording_requests.html", context)


@require_http_methods(["GET", "POST"])
def recording_request_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    conference = policy.conference_for(user, pk, today=today(), action=A.DECIDE_RECORDING_REQUEST)
    recording = policy.recording_request_for(conference, request_pk)
    form, saved = submit(
        request,
        RecordingDecisionForm(posted(request), initial={"version": recording.version}),
        lambda data: recording_services.recording_request_decide(
            recording_request=recording,
            version=data["version"],
            decision=RecordingDecision(data["decision"]),
            limits=data["limits"],
            reasons=data["reasons"],
            by=actor(request, user),
        ),
        success="Decision recorded",
        reload=lambda: RecordingDecisionForm(typed_again(request, recording)),
    )
    if saved:
        return redirect("conferences:recording-requests", pk=conference.pk)
    context = {"conference": conference, "recording": recording, "form": form}
    return render(request, "conferences/invitations/recording_decide.html", context)


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/invitations/", invitation_list, name="invitations"),
    path("conferences/<id:pk>/invitations/add/", invitation_add, name="invitations-add"),
    path(
        "conferences/<id:pk>/invitations/add-someone-else/",
        invitation_add_other,
        name="invitations-add-other",
    ),
    path("conferences/<id:pk>/invitations/send/", invitations_send, name="invitations-send"),
    path(
        "conferences/<id:pk>/invitations/<id:invitation_pk>/",
        invitation_edit,
        name="invitation-edit",
    ),
    path(
        "conferences/<id:pk>/invitations/<id:invitation_pk>/answer/",
        invitation_response,
        name="invitation-response",
    ),
    path(
        "conferences/<id:pk>/invitations/<id:invitation_pk>/consent/",
        invitation_consent,
        name="invitation-consent",
    ),
    path(
        "conferences/<id:pk>/invitations/<id:invitation_pk>/letter/",
        invitation_letter,
        name="invitation-letter",
    ),
    path(
        "conferences/<id:pk>/recording-requests/",
        recording_requests,
        name="recording-requests",
    ),
    path(
        "conferences/<id:pk>/recording-requests/<id:request_pk>/decide/",
        recording_request_decide,
        name="recording-request-decide",
    ),
]


def overview_context(conference: Conference, user: User, today: date) -> dict[str, Any]:
    """What the conference's overview page shows for this stage: answers counted, who has not
    answered, police missing at an initial conference, interpreters not booked."""
    invitations = _invitations(conference)
    awaiting = rules.awaiting_answers(invitations)
    # "Not answered yet" counts only invitations sent and not answered (the row below names
    # them); one not sent yet cannot have been answered.
    counts = Counter(i.response for i in invitations if i.response != Response.AWAITING)
    by_answer = [(label, counts[value]) for value, label in Response.choices if counts[value]]
    if awaiting:
        held = conference.status == ConferenceStatus.HELD
        by_answer.insert(0, ("Never answered" if held else "Not answered yet", len(awaiting)))
    unsent = sum(1 for i in invitations if not i.sent_on)
    if unsent:
        by_answer.append(("Not sent yet", unsent))
    return {
        "invitations_stage": {
            "total": len(invitations),
            "sent": sum(1 for i in invitations if i.sent_on),
            "by_answer": by_answer,
            "awaiting": awaiting,
            "police_missing": _police_missing(conference, invitations),
            "interpreters_not_booked": [
                i
                for i in invitations
                if rules.interpreter_not_booked(i.interpreter_language, i.interpreter_booked)
            ],
            "observers_without_consent": [
                i
                for i in invitations
                if not rules.observer_consent_complete(i.role, i.chair_consents, i.family_consents)
            ],
            "offered": _offered(user, conference, today),
        }
    }
