"""Pure rules for excluding a family member from a conference (London CP4 §5). Dates are passed
in; nothing reads the clock."""

from __future__ import annotations

import enum
from datetime import date

from convene.conferences.enums import ExclusionDecision, InviteeRole
from convene.core.services import Transition, Transitions
from convene.timescales import Profile

# Family members an agency may ask to exclude (§5.1: parents; §5.8: parents and children).
EXCLUDABLE_ROLES = frozenset({InviteeRole.PARENT_CARER, InviteeRole.CHILD, InviteeRole.SUPPORTER})
EXCLUDED = frozenset({ExclusionDecision.WHOLE, ExclusionDecision.PART})
DECISIONS = frozenset({ExclusionDecision.WHOLE, ExclusionDecision.PART, ExclusionDecision.REFUSED})


class ExclusionAction(enum.StrEnum):
    VIEW = "view"
    DECIDE = "decide"
    RECORD_VIEWS = "record_views"
    WRITE_LETTER = "write_letter"


# §5.8: the chair's decision is final; views are recorded for someone excluded (§5.10).
EXCLUSION: Transitions[ExclusionAction, ExclusionDecision] = Transitions(
    {
        ExclusionAction.DECIDE: Transition(
            frozenset({ExclusionDecision.PENDING}),
            "The chair has already decided, and the decision is final",
        ),
        ExclusionAction.RECORD_VIEWS: Transition(
            EXCLUDED, "Views are recorded only for someone excluded"
        ),
        ExclusionAction.WRITE_LETTER: Transition(
            EXCLUDED, "A letter is written only to someone excluded"
        ),
    }
)


def exclusion_request_due(profile: Profile, *, conference_date: date) -> date:
    """London CP4 §5.2: asked for, if possible, at least 3 working days before the conference."""
    return profile.timescale("exclusion_request").due(conference_date)


def exclusion_request_is_late(*, due: date, requested_on: date) -> bool:
    """A late request is still recorded (§5.2 says "if possible"); it is flagged for the chair."""
    return requested_on > due
