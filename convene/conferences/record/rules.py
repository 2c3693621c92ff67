"""Rules for the conference record on plain values: what may be done to a version in each
state, how much of the record each reader gets, and the week for amendments (London CP4 §4.1,
§5.10, §14.4 to §14.8)."""

from __future__ import annotations

import enum
from datetime import date

from convene.conferences.enums import InviteeRole
from convene.conferences.letters.enums import CopyChoice, DocumentStatus, Scope
from convene.conferences.letters.rules import NOT_READERS
from convene.core.services import Transition, Transitions
from convene.timescales import Profile


class VersionAction(enum.StrEnum):
    EDIT = "edit"
    SIGN = "sign"
    CORRECT = "correct"
    SEND = "send"


Status = DocumentStatus
DRAFT = frozenset({Status.DRAFT})
SIGNED = frozenset({Status.SIGNED})
SIGNED_CANNOT_CHANGE = (
    "This version is signed and cannot be changed. To correct it, make a new version and say why"
)
VERSION: Transitions[VersionAction, DocumentStatus] = Transitions(
    {
        VersionAction.EDIT: Transition(DRAFT, SIGNED_CANNOT_CHANGE),
        VersionAction.SIGN: Transition(
            DRAFT, "This version of the record is already signed", becomes=Status.SIGNED
        ),
        VersionAction.CORRECT: Transition(
            SIGNED, "A draft correction is already open: finish it and sign it first"
        ),
        VersionAction.SEND: Transition(SIGNED, "Only a signed version of the record can be sent"),
    }
)

# Whose copy the chair decides: the child (§14.8), supporters and advocates, after the chair
# has checked with the parent (§14.6), and anyone excluded from the meeting (§5.10).
CHAIR_DECIDES = frozenset({InviteeRole.CHILD, InviteeRole.SUPPORTER, InviteeRole.ADVOCATE})
FROM_CHOICE = {
    CopyChoice.WHOLE: Scope.WITHOUT_CONFIDENTIAL,
    CopyChoice.PART_ATTENDED: Scope.PART_ATTENDED,
    CopyChoice.NONE: Scope.NONE,
}


def needs_chair(role: str, *, excluded: bool) -> bool:
    """Whether the chair must decide this person's copy before it is sent."""
    if role in NOT_READERS or role == InviteeRole.PROFESSIONAL:
        return False
    return excluded or role in CHAIR_DECIDES


def record_scope(role: str, *, excluded: bool, choice: str | None) -> Scope | None:
    """How much of the record someone invited as `role` gets; None while the chair has still to
    decide. Professionals get the whole record (§14.4); a parent gets it without what is
    confidential (§14.5); the chair decides for the others (§4.1, §5.10, §14.6 to §14.8)."""
    if role in NOT_READERS:
        return Scope.NONE
    if role == InviteeRole.PROFESSIONAL:
        return Scope.WHOLE
    if not needs_chair(role, excluded=excluded):
        return Scope.WITHOUT_CONFIDENTIAL
    if choice is None:
        return None
    return FROM_CHOICE[CopyChoice(choice)]


def shows(scope: Scope, *, confidential: bool, during_exclusion: bool) -> bool:
    """Whether a section is in a copy of this scope."""
    if scope == Scope.NONE:
        return False
    if scope == Scope.WHOLE:
        return True
    if confidential:
        return False
    return not (scope == Scope.PART_ATTENDED and during_exclusion)


def amendments_close(profile: Profile, *, received_on: date) -> date:
    """The last day to ask for an amendment: a week after receiving the record (§14.4)."""
    return profile.timescale("record_amendments").due(received_on)
