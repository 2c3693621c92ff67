from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from convene.conferences.enums import ConferenceStatus, ConferenceType, InviteeRole, Response
from convene.conferences.invitations import rules
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import ServiceError
from convene.people.enums import AgencyType

CONFERENCE_DAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (date(2014, 3, 10), rules.ChildGuidance.MAY_ATTEND),  # 12 on the day
        (date(2014, 3, 11), rules.ChildGuidance.VIEWS_GATHERED),  # 12 the day after: 11
        (date(2010, 1, 1), rules.ChildGuidance.MAY_ATTEND),
        (date(2020, 5, 5), rules.ChildGuidance.VIEWS_GATHERED),
        (None, rules.ChildGuidance.UNBORN),
    ],
)
def test_child_attendance_guidance_goes_by_age_on_the_conference_day(born, expected):
    assert rules.child_attendance_guidance(born, CONFERENCE_DAY) == expected


@pytest.mark.parametrize(
    ("conference_type", "agencies", "missing"),
    [
        (ConferenceType.INITIAL, [], True),
        (ConferenceType.INITIAL, [AgencyType.HEALTH, AgencyType.EDUCATION], True),
        (ConferenceType.INITIAL, [AgencyType.HEALTH, AgencyType.POLICE], False),
        (ConferenceType.PRE_BIRTH, [AgencyType.HEALTH], True),
        (ConferenceType.REVIEW, [], False),
        (ConferenceType.TRANSFER_IN, [AgencyType.HEALTH], False),
    ],
)
def test_police_are_required_at_every_initial_conference(conference_type, agencies, missing):
    assert rules.police_missing(conference_type, agencies) is missing


@pytest.mark.parametrize(
    ("role", "chair", "family", "complete"),
    [
        (InviteeRole.OBSERVER, None, None, False),
        (InviteeRole.OBSERVER, True, None, False),
        (InviteeRole.OBSERVER, None, True, False),
        (InviteeRole.OBSERVER, True, False, False),
        (InviteeRole.OBSERVER, True, True, True),
        (InviteeRole.PROFESSIONAL, None, None, True),
        (InviteeRole.PARENT_CARER, None, None, True),
    ],
)
def test_an_observer_needs_both_consents(role, chair, family, complete):
    assert rules.observer_consent_complete(role, chair, family) is complete


def test_only_sent_invitations_without_an_answer_are_awaiting():
    sent = SimpleNamespace(response=Response.AWAITING, sent_on=date(2026, 3, 1))
    unsent = SimpleNamespace(response=Response.AWAITING, sent_on=None)
    answered = SimpleNamespace(response=Response.ATTENDING, sent_on=date(2026, 3, 1))
    assert rules.awaiting_answers([sent, unsent, answered]) == [sent]


@pytest.mark.parametrize(
    ("language", "booked", "flagged"),
    [("Polish", False, True), ("Polish", True, False), ("", False, False), ("  ", False, False)],
)
def test_an_interpreter_not_booked_is_flagged(language, booked, flagged):
    assert rules.interpreter_not_booked(language, booked) is flagged


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (ConferenceStatus.TO_ARRANGE, False),
        (ConferenceStatus.SCHEDULED, True),
        (ConferenceStatus.HELD, False),
        (ConferenceStatus.CANCELLED, False),
    ],
)
def test_invitations_are_sent_only_for_a_scheduled_conference(status, allowed):
    assert CONFERENCE.allows(ConferenceAction.SEND_INVITATIONS, status) is allowed


BEING_ARRANGED = {ConferenceStatus.TO_ARRANGE, ConferenceStatus.SCHEDULED}


@pytest.mark.parametrize(
    ("action", "allowed_from"),
    [
        # Invitations are prepared while the conference is being arranged ...
        (ConferenceAction.INVITE, BEING_ARRANGED),
        (ConferenceAction.UPDATE_INVITATION, BEING_ARRANGED),
        (ConferenceAction.RECORD_CONSENT, BEING_ARRANGED),
        (ConferenceAction.RECORD_CHAIR_CONSENT, BEING_ARRANGED),
        (ConferenceAction.ADD_RECORDING_REQUEST, BEING_ARRANGED),
        (ConferenceAction.DECIDE_RECORDING_REQUEST, BEING_ARRANGED),
        # ... but go out, and are answered, only once it has a date, time and place.
        (ConferenceAction.SEND_INVITATIONS, {ConferenceStatus.SCHEDULED}),
        (ConferenceAction.RECORD_RESPONSE, {ConferenceStatus.SCHEDULED}),
    ],
)
def test_which_conference_states_allow_each_invitations_action(action, allowed_from):
    for status in ConferenceStatus:
        assert CONFERENCE.allows(action, status) is (status in allowed_from), status
    # None of them changes the conference's status.
    for status in allowed_from:
        assert CONFERENCE.check(action, status) == status


def test_a_held_conference_refuses_invitations_with_words_for_the_page():
    with pytest.raises(ServiceError, match="only to a conference being arranged or scheduled"):
        CONFERENCE.check(ConferenceAction.INVITE, ConferenceStatus.HELD)
    with pytest.raises(ServiceError, match="only once the conference is scheduled"):
        CONFERENCE.check(ConferenceAction.SEND_INVITATIONS, ConferenceStatus.TO_ARRANGE)


@pytest.mark.parametrize(
    ("kwargs", "ok", "reason"),
    [
        ({"delivery": "email", "email": "a@b.example"}, True, ""),
        ({"delivery": "email", "email": ""}, False, "has no e-mail address"),
        ({"delivery": "letter", "address": ""}, False, "has no postal address"),
        (
            {"role": InviteeRole.OBSERVER, "delivery": "email", "email": "a@b.example"},
            False,
            "needs the chair's and the family's consent first",
        ),
    ],
)
def test_can_send_says_why_not(kwargs, ok, reason):
    values = {
        "role": InviteeRole.PROFESSIONAL,
        "email": "",
        "address": "",
        "chair_consents": None,
        "family_consents": None,
        **kwargs,
    }
    check = rules.can_send(**values)
    assert (check.ok, check.reason) == (ok, reason)
