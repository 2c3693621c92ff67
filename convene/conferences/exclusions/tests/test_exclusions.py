"""Excluding a family member from a conference (London CP4 §5)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.enums import (
    ConferenceStatus,
    ConferenceType,
    ExclusionDecision,
    InviteeRole,
)
from convene.conferences.exclusions import selectors, services
from convene.conferences.models import Conference, ExclusionRequest
from convene.conferences.tests.helpers import BEFORE, conference_with_reports, health_visitor
from convene.core.services import Actor, ServiceError
from convene.testing.factories import (
    AdultFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(child_known_to_police, chair, police, social_worker):
    return conference_with_reports(
        child=child_known_to_police, chair=chair, police=police, social_worker=social_worker
    ).conference


@pytest.fixture
def father(child_known_to_police):
    return AdultFactory.create(
        first_name="Dale", last_name="Example", household=child_known_to_police.household
    )


@pytest.fixture
def invitation(conference, father):
    return InvitationFactory.create(
        conference=conference,
        role=InviteeRole.PARENT_CARER,
        adult=father,
        professional=None,
        agency=None,
    )


def _ask(invitation, by, on=date(2026, 12, 1)) -> ExclusionRequest:
    return services.exclusion_request(
        conference=invitation.conference,
        invitation=invitation,
        grounds="Violence towards professionals at the last meeting.",
        evidence="Police log of 3 November 2026.",
        today=on,
        by=Actor(by),
    )


def _decide(exclusion, chair, decision=ExclusionDecision.PART) -> ExclusionRequest:
    return services.exclusion_decide(
        exclusion=exclusion,
        version=exclusion.version,
        decision=decision,
        parts="While the police share their information.",
        reasons="The police need to share information about an open investigation.",
        today=date(2026, 12, 10),
        by=Actor(chair),
    )


# Asking (§5.2 to §5.3) -------------------------------------------------------------------


def test_an_agency_asks_the_chair_to_exclude_a_parent(
    conference, invitation, police_officer, as_user
):
    with time_machine.travel(BEFORE, tick=False):
        response = as_user(police_officer).post(
            reverse("conferences:exclusion-new", args=[conference.pk]),
            {
                "invitation": invitation.pk,
                "grounds": "Risk of violence.",
                "evidence": "Incident log.",
            },
        )
    assert response.status_code == 302
    exclusion = ExclusionRequest.objects.get()
    assert (exclusion.requested_on, exclusion.decision) == (
        date(2026, 12, 1),
        ExclusionDecision.PENDING,
    )


def test_a_request_without_grounds_or_evidence_is_refused(
    conference, invitation, social_worker, as_user
):
    with time_machine.travel(BEFORE, tick=False):
        response = as_user(social_worker).post(
            reverse("conferences:exclusion-new", args=[conference.pk]),
            {"invitation": invitation.pk},
        )
    text = response.content.decode()
    assert "Enter the grounds you believe are met" in text
    assert "Enter the information or evidence the request is based on" in text
    assert not ExclusionRequest.objects.exists()


def test_a_request_less_than_3_working_days_before_is_recorded_and_flagged_late(
    conference, invitation, social_worker, chair, as_user
):
    # Thursday 10 December: after Wednesday 9 December, 3 working days before Monday 14.
    with time_machine.travel("2026-12-10 10:00 +0000", tick=False):
        form = as_user(social_worker).get(
            reverse("conferences:exclusion-new", args=[conference.pk])
        )
        assert "This request is late" in form.content.decode()
        exclusion = _ask(invitation, social_worker, on=date(2026, 12, 10))
        page = as_user(chair).get(reverse("conferences:exclusion-detail", args=[exclusion.pk]))
    assert ">Late<" in page.content.decode()


def test_a_request_in_time_is_not_flagged(conference, invitation, social_worker, chair, as_user):
    exclusion = _ask(invitation, social_worker, on=date(2026, 12, 9))
    with time_machine.travel("2026-12-10 10:00 +0000", tick=False):
        page = as_user(chair).get(reverse("conferences:exclusion-detail", args=[exclusion.pk]))
    assert ">Late<" not in page.content.decode()


def test_a_professional_cannot_be_excluded(conference, social_worker):
    professional = InvitationFactory.create(conference=conference)
    with pytest.raises(ServiceError):
        _ask(professional, social_worker)


# The chair's decision (§5.5, §5.8) ----------------------------------------------------------


def test_the_chairs_decision_is_final(conference, invitation, social_worker, chair, as_user):
    exclusion = _ask(invitation, social_worker)
    with time_machine.travel(BEFORE, tick=False):
        response = as_user(chair).post(
            reverse("conferences:exclusion-decide", args=[exclusion.pk]),
            {
                "decision": "whole",
                "reasons": "Threats made to the social worker.",
                "version": exclusion.version,
            },
        )
        assert response.status_code == 302
        exclusion.refresh_from_db()
        assert exclusion.decision == ExclusionDecision.WHOLE
        url = reverse("conferences:exclusion-decide", args=[exclusion.pk])
        assert as_user(chair).get(url).status_code == 404
    with pytest.raises(ServiceError, match="final"):
        _decide(exclusion, chair, ExclusionDecision.REFUSED)
    exclusion.refresh_from_db()
    assert exclusion.decision == ExclusionDecision.WHOLE


def test_a_part_exclusion_names_the_parts(conference, invitation, social_worker, chair):
    exclusion = _ask(invitation, social_worker)
    with pytest.raises(ServiceError) as refused:
        services.exclusion_decide(
            exclusion=exclusion,
            version=exclusion.version,
            decision=ExclusionDecision.PART,
            parts="",
            reasons="Reasons",
            today=date(2026, 12, 10),
            by=Actor(chair),
        )
    assert "parts" in refused.value.problems


@pytest.mark.parametrize("persona", ["administrator", "social_worker", "police_officer"])
def test_only_the_chair_may_decide(
    persona, conference, invitation, social_worker, as_user, request
):
    exclusion = _ask(invitation, social_worker)
    with time_machine.travel(BEFORE, tick=False):
        url = reverse("conferences:exclusion-decide", args=[exclusion.pk])
        assert as_user(request.getfixturevalue(persona)).get(url).status_code == 404


# It never carries over (§5.11) ---------------------------------------------------------------


def test_an_exclusion_does_not_carry_over_to_the_next_conference(
    conference, invitation, father, social_worker, chair, child_known_to_police
):
    _decide(_ask(invitation, social_worker), chair, ExclusionDecision.WHOLE)
    review = ConferenceFactory.create(
        type=ConferenceType.REVIEW,
        date=date(2027, 3, 8),
        status=ConferenceStatus.SCHEDULED,
        chair=chair,
        household=child_known_to_police.household,
    )
    ConferenceChildFactory.create(conference=review, child=child_known_to_police)
    InvitationFactory.create(
        conference=review,
        role=InviteeRole.PARENT_CARER,
        adult=father,
        professional=None,
        agency=None,
    )
    assert selectors.is_excluded(conference=conference, adult=father) is True
    assert selectors.is_excluded(conference=review, adult=father) is False


def test_a_refused_request_does_not_exclude(conference, invitation, father, social_worker, chair):
    _decide(_ask(invitation, social_worker), chair, ExclusionDecision.REFUSED)
    assert selectors.is_excluded(conference=conference, adult=father) is False


# The letter and their views (§5.9 to §5.10) ---------------------------------------------------


def test_the_letter_says_what_was_decided_and_how_to_give_views_and_complain(
    conference, invitation, social_worker, chair, administrator, as_user
):
    exclusion = _decide(_ask(invitation, social_worker), chair)
    with time_machine.travel(BEFORE, tick=False):
        response = as_user(administrator).get(
            reverse("conferences:exclusion-letter", args=[exclusion.pk])
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Dear Dale Example" in text
    assert "While the police share their information." in text
    assert "an open investigation" in text
    assert "How you can tell the conference what you think" in text
    assert "tell your social worker" in text
    assert "advocate" in text
    assert "If you are unhappy with this decision" in text
    assert "complain" in text


@pytest.mark.parametrize("persona", ["social_worker", "police_officer", "outsider"])
def test_the_letter_is_not_found_for_others(
    persona, conference, invitation, social_worker, chair, as_user, request
):
    exclusion = _decide(_ask(invitation, social_worker), chair)
    with time_machine.travel(BEFORE, tick=False):
        url = reverse("conferences:exclusion-letter", args=[exclusion.pk])
        assert as_user(request.getfixturevalue(persona)).get(url).status_code == 404


def test_there_is_no_letter_when_the_request_was_refused(
    conference, invitation, social_worker, chair, as_user
):
    exclusion = _decide(_ask(invitation, social_worker), chair, ExclusionDecision.REFUSED)
    with time_machine.travel(BEFORE, tick=False):
        url = reverse("conferences:exclusion-letter", args=[exclusion.pk])
        assert as_user(chair).get(url).status_code == 404


def test_their_views_are_attached_and_a_stale_edit_is_refused(
    conference, invitation, social_worker, chair, administrator, as_user
):
    exclusion = _decide(_ask(invitation, social_worker), chair)
    url = reverse("conferences:exclusion-views", args=[exclusion.pk])
    with time_machine.travel(BEFORE, tick=False):
        client = as_user(administrator)
        opened = exclusion.version
        response = client.post(url, {"views": "I love my children.", "version": opened})
        assert response.status_code == 302
        stale = client.post(url, {"views": "Something else.", "version": opened})
    assert "This changed since you opened it" in stale.content.decode()
    exclusion.refresh_from_db()
    assert exclusion.views == "I love my children."


def test_a_request_is_not_found_for_an_agency_that_did_not_make_it(
    conference, invitation, social_worker, as_user, child_known_to_police
):
    exclusion = _ask(invitation, social_worker)
    with time_machine.travel(BEFORE, tick=False):
        url = reverse("conferences:exclusion-detail", args=[exclusion.pk])
        assert as_user(social_worker).get(url).status_code == 200
        assert as_user(health_visitor(child_known_to_police)).get(url).status_code == 404


def test_an_administrator_cannot_ask_for_an_exclusion(conference, administrator, as_user):
    with time_machine.travel(BEFORE, tick=False):
        url = reverse("conferences:exclusion-new", args=[conference.pk])
        assert as_user(administrator).get(url).status_code == 404


def test_the_overview_shows_requests_waiting_for_the_chair(
    conference, invitation, social_worker, chair, as_user
):
    _ask(invitation, social_worker)
    with time_machine.travel(BEFORE, tick=False):
        page = as_user(chair).get(reverse("conferences:detail", args=[conference.pk]))
    assert "1 waiting for the chair's decision" in page.content.decode()


def test_the_chairs_pages_open(conference, invitation, social_worker, chair, as_user):
    exclusion = _ask(invitation, social_worker)
    with time_machine.travel(BEFORE, tick=False):
        client = as_user(chair)
        assert (
            client.get(reverse("conferences:exclusion-decide", args=[exclusion.pk])).status_code
            == 200
        )
        _decide(exclusion, chair)
        assert (
            client.get(reverse("conferences:exclusion-views", args=[exclusion.pk])).status_code
            == 200
        )
        assert (
            client.get(reverse("conferences:exclusion-detail", args=[exclusion.pk])).status_code
            == 200
        )


def test_a_parents_exclusion_is_on_the_childs_audit_trail(
    conference, invitation, social_worker, chair, child_known_to_police
):
    # The excluded person is an adult; the request and the decision belong on the trail of the
    # child the conference is about, where a manager reading that trail will look.
    exclusion = _ask(invitation, social_worker)
    _decide(exclusion, chair, ExclusionDecision.WHOLE)
    rows = AuditEvent.objects.filter(
        child=child_known_to_police, object_type="conferences.ExclusionRequest"
    )
    assert sorted(rows.values_list("verb", flat=True)) == [AuditVerb.CHANGED, AuditVerb.CREATED]


def test_no_exclusion_is_asked_for_once_the_conference_is_held(
    conference, invitation, social_worker
):
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.HELD)
    invitation.conference.refresh_from_db()
    with pytest.raises(ServiceError, match="held or cancelled"):
        _ask(invitation, social_worker)
    assert not ExclusionRequest.objects.exists()


def test_a_double_submitted_request_is_saved_once(conference, invitation, police_officer, as_user):
    """Issue 14, finding 7: the same form sent twice (a double click) makes one request."""
    url = reverse("conferences:exclusion-new", args=[conference.pk])
    with time_machine.travel(BEFORE, tick=False):
        client = as_user(police_officer)
        page = client.get(url).content.decode()
        token = re.search(r'name="once" value="([^"]+)"', page)
        assert token, "the form carries a one-time token"
        data = {
            "invitation": invitation.pk,
            "grounds": "Risk.",
            "evidence": "Log.",
            "once": token[1],
        }
        first, second = client.post(url, data), client.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"]
    assert ExclusionRequest.objects.count() == 1


def test_a_request_of_100000_characters_is_refused(conference, invitation, police_officer, as_user):
    """Issue 14, finding 9: free text has a limit."""
    with time_machine.travel(BEFORE, tick=False):
        response = as_user(police_officer).post(
            reverse("conferences:exclusion-new", args=[conference.pk]),
            {"invitation": invitation.pk, "grounds": "x" * 100_000, "evidence": "Log."},
        )
    assert response.status_code == 200
    assert "characters or fewer" in response.content.decode()
    assert not ExclusionRequest.objects.exists()
