"""Pure rules for inviting people to a conference. Dates are passed in; nothing reads the clock.

Sources: London CP4 §3.1 to §3.4 (membership, observers, apologies), §3.8 to §3.9 (recording),
§4 (children and family members); Cornwall "Can my child attend?"; Medway and Cornwall (police
at every initial conference); Derbyshire and London §14.9 (needs).

Which conference states allow each invitations action (inviting, answers, consent, sending,
requests to record) is in the one conference transition table, `convene.conferences.rules`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from convene.conferences.enums import INITIAL_TYPES, Delivery, InviteeRole, Response
from convene.people.enums import AgencyType

# Cornwall "Can my child attend?": children of 12 and over are welcome to attend at least part
# of the conference if they want to; the views of younger children are gathered, usually by the
# social worker, and given to the meeting (London CP4 §4.5, §4.11, §4.16 to §4.18).
CHILD_ATTENDANCE_AGE = 12


class ChildGuidance(enum.StrEnum):
    MAY_ATTEND = "may_attend"
    VIEWS_GATHERED = "views_gathered"
    UNBORN = "unborn"


CHILD_GUIDANCE_TEXT = {
    ChildGuidance.MAY_ATTEND: (
        "Aged 12 or over: may attend at least part of the conference if they wish and it is "
        "appropriate. The social worker discusses this with the child and family first."
    ),
    ChildGuidance.VIEWS_GATHERED: (
        "Under 12: their views are gathered, usually by the social worker, and given to the "
        "meeting — for example in their own words, a drawing or through an advocate."
    ),
    ChildGuidance.UNBORN: "Not born yet.",
}


def child_attendance_guidance(
    date_of_birth: date | None, conference_date: date, *, age: int = CHILD_ATTENDANCE_AGE
) -> ChildGuidance:
    """Whether a child may attend or has their views gathered, by their age on the day of the
    conference."""
    if date_of_birth is None:
        return ChildGuidance.UNBORN
    years = conference_date.year - date_of_birth.year
    if (conference_date.month, conference_date.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return ChildGuidance.MAY_ATTEND if years >= age else ChildGuidance.VIEWS_GATHERED


def police_required(conference_type: str) -> bool:
    """Medway; Cornwall: the police are invited to every initial conference (a pre-birth
    conference is an initial conference about an unborn child)."""
    return conference_type in INITIAL_TYPES


def police_missing(conference_type: str, invited_agency_types: Iterable[str]) -> bool:
    return police_required(conference_type) and AgencyType.POLICE not in set(invited_agency_types)


def needs_observer_consent(role: str) -> bool:
    return role == InviteeRole.OBSERVER


def observer_consent_complete(
    role: str, chair_consents: bool | None, family_consents: bool | None
) -> bool:
    """London CP4 §3.3: a professional observer attends only with the prior consent of the chair
    and of the family. Anyone else needs no consent."""
    if not needs_observer_consent(role):
        return True
    return chair_consents is True and family_consents is True


class _Answerable(Protocol):
    @property
    def response(self) -> str: ...

    @property
    def sent_on(self) -> date | None: ...


def is_awaiting_answer(response: str, sent_on: date | None) -> bool:
    """Sent, and no answer recorded yet."""
    return sent_on is not None and response == Response.AWAITING


_A = TypeVar("_A", bound=_Answerable)


def awaiting_answers(invitations: Iterable[_A]) -> list[_A]:
    return [i for i in invitations if is_awaiting_answer(i.response, i.sent_on)]


def interpreter_not_booked(language: str, booked: bool) -> bool:
    return bool(language.strip()) and not booked


# London CP4 §3.4: a professional who cannot attend sends apologies with a report.
APOLOGY_RESPONSES = frozenset({Response.APOLOGIES_WITH_REPORT, Response.DECLINED})


@dataclass(frozen=True)
class SendCheck:
    ok: bool
    reason: str = ""


def can_send(
    *,
    role: str,
    delivery: str,
    email: str,
    address: str,
    chair_consents: bool | None,
    family_consents: bool | None,
) -> SendCheck:
    """Whether one invitation can go out, and if not, why (in words for the page)."""
    if not observer_consent_complete(role, chair_consents, family_consents):
        return SendCheck(False, "needs the chair's and the family's consent first")
    if delivery == Delivery.EMAIL and not email.strip():
        return SendCheck(False, "has no e-mail address")
    if delivery == Delivery.LETTER and not address.strip():
        return SendCheck(False, "has no postal address")
    return SendCheck(True)
