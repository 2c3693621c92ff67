"""What may be done to a conference in each of its states: one transition table for every
stage (convening, invitations, reports, exclusions, the meeting), asked by the services before
a change and by the pages to decide what to offer (convene.core.services.Transitions).

Who may do each action is decided in `convene.policy`, with the same action names.
"""

from __future__ import annotations

import enum

from convene.core.services import Transition, Transitions

from .enums import ConferenceStatus


class ConferenceAction(enum.StrEnum):
    VIEW = "view"
    # Convening (London CP4 §1, §3.6, §8.1)
    SCHEDULE = "schedule"
    CANCEL = "cancel"
    # Invitations (§3.1 to §3.4, §3.8 to §3.9, §4)
    SEE_INVITATIONS = "see_invitations"
    INVITE = "invite"
    UPDATE_INVITATION = "update_invitation"
    RECORD_RESPONSE = "record_response"
    RECORD_CONSENT = "record_consent"
    RECORD_CHAIR_CONSENT = "record_chair_consent"
    SEND_INVITATIONS = "send_invitations"
    ADD_RECORDING_REQUEST = "add_recording_request"
    DECIDE_RECORDING_REQUEST = "decide_recording_request"
    # Reports, contributions and exclusions (§4.16 to §4.17, §5, §7)
    REQUEST_REPORTS = "request_reports"
    UPLOAD_CONTRIBUTION = "upload_contribution"
    SEE_CONTRIBUTIONS = "see_contributions"
    REQUEST_EXCLUSION = "request_exclusion"
    SEE_EXCLUSIONS = "see_exclusions"
    # On the day (§3.10 to §3.12)
    TAKE_ATTENDANCE = "take_attendance"
    MARK_HELD = "mark_held"
    # At the meeting and after it (§9.5 to §9.9, §10.1 to §10.4, §11; Cornwall; Register)
    RECORD_MEETING = "record_meeting"
    DECIDE = "decide"
    RECORD_DISSENT = "record_dissent"
    DRAFT_OUTLINE_PLAN = "draft_outline_plan"
    # After the conference: the decision letter and the record (§14.4 to §14.13)
    SEE_DOCUMENTS = "see_documents"
    READ_RECORD = "read_record"
    WRITE_RECORD = "write_record"
    SIGN_DOCUMENTS = "sign_documents"
    SEND_DOCUMENTS = "send_documents"
    # Challenge: appeals and complaints (London CP4 §12; Register R:20)
    SEE_CHALLENGES = "see_challenges"
    RECORD_APPEAL = "record_appeal"
    RECORD_COMPLAINT = "record_complaint"
    # Register-based areas: a referral to the children's reporter (Register guidance)
    REFER_TO_REPORTER = "refer_to_reporter"


Status = ConferenceStatus
A = ConferenceAction
BEING_ARRANGED = frozenset({Status.TO_ARRANGE, Status.SCHEDULED})
SCHEDULED = frozenset({Status.SCHEDULED})
HELD = frozenset({Status.HELD})
MEETING = frozenset({Status.SCHEDULED, Status.HELD})
NOT_HELD = "The decision can be recorded only once the conference has been marked held"
# Reports, contributions and exclusion requests are gathered while a conference is being
# prepared: not for one that has been held or cancelled.
AFTER_HELD = "The decision letter and the record come once the conference has been held"
NOT_PREPARING = "This conference has been held or cancelled: nothing more can be added to it"

CONFERENCE: Transitions[ConferenceAction, ConferenceStatus] = Transitions(
    {
        A.SCHEDULE: Transition(
            BEING_ARRANGED,
            "You cannot schedule a conference that has been held or cancelled",
            becomes=Status.SCHEDULED,
        ),
        A.CANCEL: Transition(
            BEING_ARRANGED,
            "You cannot cancel a conference that has been held or cancelled",
            becomes=Status.CANCELLED,
        ),
        # Invitations are prepared while the conference is being arranged, but go out only
        # once it has a date, time and place; answers come back after they went out.
        A.INVITE: Transition(
            BEING_ARRANGED, "People can be invited only to a conference being arranged or scheduled"
        ),
        A.UPDATE_INVITATION: Transition(
            BEING_ARRANGED, "Invitations can be changed only before the conference is held"
        ),
        A.RECORD_RESPONSE: Transition(
            SCHEDULED, "Answers can be recorded only once the conference is scheduled"
        ),
        A.RECORD_CONSENT: Transition(
            BEING_ARRANGED, "Consent can be recorded only before the conference is held"
        ),
        A.RECORD_CHAIR_CONSENT: Transition(
            BEING_ARRANGED, "Consent can be recorded only before the conference is held"
        ),
        A.SEND_INVITATIONS: Transition(
            SCHEDULED,
            "Invitations can be sent only once the conference is scheduled with a date, time "
            "and place",
        ),
        A.ADD_RECORDING_REQUEST: Transition(
            BEING_ARRANGED,
            "Requests to record can be dealt with only before the conference is held",
        ),
        A.DECIDE_RECORDING_REQUEST: Transition(
            BEING_ARRANGED,
            "Requests to record can be dealt with only before the conference is held",
        ),
        A.REQUEST_REPORTS: Transition(BEING_ARRANGED, NOT_PREPARING),
        A.UPLOAD_CONTRIBUTION: Transition(BEING_ARRANGED, NOT_PREPARING),
        A.REQUEST_EXCLUSION: Transition(BEING_ARRANGED, NOT_PREPARING),
        # On the day: the register and marking it held need a scheduled conference (and, in
        # the meeting's own rules, its date to have come).
        A.TAKE_ATTENDANCE: Transition(
            SCHEDULED, "The register can be taken only for a scheduled conference"
        ),
        A.MARK_HELD: Transition(
            SCHEDULED, "Only a scheduled conference can be marked held", becomes=Status.HELD
        ),
        # The four questions, the scores and the views are written during the meeting (on its
        # day) or just after; the chair decides only once the conference is held (§9.6).
        A.RECORD_MEETING: Transition(
            MEETING, "The meeting can be recorded only for a scheduled or held conference"
        ),
        A.DECIDE: Transition(HELD, NOT_HELD),
        A.RECORD_DISSENT: Transition(HELD, NOT_HELD),
        A.DRAFT_OUTLINE_PLAN: Transition(
            HELD, "The outline plan is drafted once the conference has been held"
        ),
        # The letter and the record follow a held conference (§14.4, §14.13).
        A.WRITE_RECORD: Transition(HELD, AFTER_HELD),
        A.SIGN_DOCUMENTS: Transition(HELD, AFTER_HELD),
        A.SEND_DOCUMENTS: Transition(HELD, AFTER_HELD),
        # An appeal is against a decision; a complaint is about a meeting that was held or is
        # being held (London CP4 §12.1).
        A.RECORD_APPEAL: Transition(
            HELD, "An appeal is against a decision: it is recorded once the conference is held"
        ),
        A.REFER_TO_REPORTER: Transition(
            HELD, "A referral to the children's reporter follows a held conference"
        ),
        A.RECORD_COMPLAINT: Transition(
            MEETING, "A complaint is recorded about a conference that is scheduled or held"
        ),
    }
)
