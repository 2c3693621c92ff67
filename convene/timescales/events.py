"""The events a timescale counts from, and the timescales Convene knows by name.

Profiles may only use these: code asks for a timescale by its key, so a misspelt key in a
profile would silently leave the rule it meant to change untouched.
"""

from __future__ import annotations

import enum


class Event(enum.StrEnum):
    STRATEGY_DISCUSSION = "strategy_discussion"
    TRANSFER_NOTIFICATION = "transfer_notification"
    LOOKED_AFTER_REVIEW_DECISION = "looked_after_review_decision"
    EMERGENCY_PROTECTION_ORDER_EXPIRY = "emergency_protection_order_expiry"
    EXPECTED_BIRTH = "expected_birth"
    BIRTH = "birth"
    CONFERENCE = "conference"
    INITIAL_CONFERENCE = "initial_conference"
    REVIEW_CONFERENCE = "review_conference"
    DEFERRED_CONFERENCE = "deferred_conference"
    RECORD_RECEIVED = "record_received"
    CORE_GROUP = "core_group"
    CIN_PLAN_REVIEW = "cin_plan_review"
    APPEAL_RECEIVED = "appeal_received"
    PLAN_START = "plan_start"

    @property
    def phrase(self) -> str:
        """The event as it reads after "3 working days before …"."""
        return EVENT_PHRASES[self]


EVENT_PHRASES = {
    Event.STRATEGY_DISCUSSION: "the strategy discussion",
    Event.TRANSFER_NOTIFICATION: "the notice that the child has moved in on a plan",
    Event.LOOKED_AFTER_REVIEW_DECISION: (
        "the looked-after review's decision to ask for a conference"
    ),
    Event.EMERGENCY_PROTECTION_ORDER_EXPIRY: "the day the emergency protection order ends",
    Event.EXPECTED_BIRTH: "the baby's due date",
    Event.BIRTH: "the baby's birth",
    Event.CONFERENCE: "the conference",
    Event.INITIAL_CONFERENCE: "the initial conference",
    Event.REVIEW_CONFERENCE: "the review conference",
    Event.DEFERRED_CONFERENCE: "the conference that put off its decision",
    Event.RECORD_RECEIVED: "receiving the conference record",
    Event.CORE_GROUP: "the last core group meeting",
    Event.CIN_PLAN_REVIEW: "the last child in need plan review",
    Event.APPEAL_RECEIVED: "receiving the appeal",
    Event.PLAN_START: "the start of the child protection plan",
}

# An initial or review conference is also a conference: what is due after "the conference"
# is due after either.
EVENT_IMPLIES = {
    Event.INITIAL_CONFERENCE: (Event.CONFERENCE,),
    Event.REVIEW_CONFERENCE: (Event.CONFERENCE,),
}


# Every timescale Convene uses, with what it is called on a page. Each profile must have every
# one (a profile inherits what its seed does not say from the profile it names).
TIMESCALE_TITLES = {
    "icpc": "Initial child protection conference (ICPC)",
    "transfer_in_conference": "Transfer-in conference",
    "icpc_after_looked_after_review": "Initial conference before a looked-after child goes home",
    "emergency_protection_order_conference": "Conference after an emergency protection order",
    "prebirth_conference": "Pre-birth conference",
    "first_review": "First review conference",
    "next_review": "Next review conference",
    "post_birth_review": "Review or core group after the birth",
    "post_birth_review_mother_unwell": "Review or core group after the birth, mother not well",
    "reconvene_deferred": "Reconvened conference after a deferred decision",
    "early_review": "Early review after a conference that was not quorate",
    "reports_to_parents_initial": "Reports to parents, initial conference",
    "reports_to_parents_review": "Reports to parents, review conference",
    "reports_to_chair_initial": "Reports to the chair, initial conference",
    "reports_to_chair_review": "Reports to the chair, review conference",
    "exclusion_request": "Asking the chair to exclude someone",
    "decision_letter": "Decision letter and outline plan",
    "decision_letter_to_parents": "Decision letter to parents",
    "record": "Conference record",
    "record_to_parents": "Conference record given to parents",
    "record_amendments": "Amendments to the record",
    "core_group_first": "First core group meeting",
    "core_group_next": "Next core group meeting",
    "cin_plan_review": "Child in need plan review",
    "appeal_lodged": "Appeal against the decision",
    "appeal_response": "Answer to an appeal",
    "long_plan_review": "Plan lasting 2 years",
}
