"""Rules for the day of a conference and for the conference work lists, as pure functions on
plain values. Nothing here reads the clock or the database: `today` is passed in."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Protocol

from convene.conferences.enums import Attendance, ConferenceStatus
from convene.conferences.rules import ConferenceAction

# Who took part in the meeting: in the room for all or part of it, or online.
ATTENDED = frozenset({Attendance.PRESENT, Attendance.PART, Attendance.VIRTUAL})

# London CP4 §3.10: children's social care plus at least two other agencies.
OTHER_AGENCIES_NEEDED = 2


@dataclass(frozen=True)
class Quorum:
    """Whether the conference was quorate for one child, and why."""

    quorate: bool
    csc_present: bool
    # The other agencies present that have had direct contact with the child, sorted.
    counted: tuple[Hashable, ...]
    # How many more such agencies were needed (0 when enough came).
    agencies_short: int

    @property
    def missing(self) -> list[str]:
        """What was missing, in words; empty when quorate."""
        reasons = []
        if not self.csc_present:
            reasons.append("No one from children's social care was present")
        if self.agencies_short == 1:
            reasons.append("One more agency that has had direct contact with the child was needed")
        elif self.agencies_short > 1:
            reasons.append(
                f"{self.agencies_short} more agencies that have had direct contact with the child "
                "were needed"
            )
        return reasons


def quorum_for_child(
    present_agencies: Iterable[Hashable],
    csc_present: bool,
    agencies_with_contact: Iterable[Hashable],
) -> Quorum:
    """London CP4 §3.10: the minimum quorum is children's social care and at least two other
    agencies which have had direct contact with the child.

    `present_agencies` are the agencies other than children's social care with someone present
    (in the room for all or part, or online); `agencies_with_contact` are the agencies with
    direct contact with this child up to the conference date. An agency present without
    contact with this child does not count for this child."""
    counted = tuple(sorted(set(present_agencies) & set(agencies_with_contact), key=str))
    short = max(0, OTHER_AGENCIES_NEEDED - len(counted))
    return Quorum(
        quorate=csc_present and short == 0,
        csc_present=csc_present,
        counted=counted,
        agencies_short=short,
    )


# What is refused before the day (the statuses these start from are in the one conference
# transition table, convene.conferences.rules.CONFERENCE: TAKE_ATTENDANCE and MARK_HELD).
NOT_YET = "This can only be done on or after the day of the conference"


def meeting_open(conference_date: dt.date | None, today: dt.date) -> bool:
    """The register is taken, and the conference marked held, on or after the day of the
    conference: nobody attends a meeting that has not happened yet."""
    return conference_date is not None and conference_date <= today


# The actions that also wait for the day of the conference.
ON_THE_DAY = frozenset(
    {
        ConferenceAction.TAKE_ATTENDANCE,
        ConferenceAction.MARK_HELD,
        ConferenceAction.RECORD_MEETING,
    }
)


def by_the_day(
    offered: frozenset[str], conference_date: dt.date | None, today: dt.date
) -> frozenset[str]:
    """Of the actions its status offers, those the day allows: the day's own actions wait for
    it (`meeting_open`)."""
    return offered if meeting_open(conference_date, today) else offered - ON_THE_DAY


def attendance_problem(
    attendance: str, arrived_at: time | None, left_at: time | None
) -> tuple[str, str] | None:
    """(field, message) for an attendance entry that cannot be right, or None.

    Someone present for part of the meeting has an arrival and a leaving time, and leaves
    after arriving. Other kinds of attendance carry no times."""
    if attendance not in Attendance.values:
        return ("attendance", "Select how they attended")
    if attendance != Attendance.PART:
        return None
    if arrived_at is None:
        return ("arrived_at", "Enter the time they arrived")
    if left_at is None:
        return ("left_at", "Enter the time they left")
    if left_at <= arrived_at:
        return ("left_at", "The time they left must be after the time they arrived")
    return None


class HeldConference(Protocol):
    @property
    def status(self) -> str: ...

    @property
    def quorate(self) -> bool | None: ...


def early_review_due(conference: HeldConference) -> bool:
    """London CP4 §3.12: where an inquorate conference is held, an early review conference
    should be arranged."""
    return conference.status == ConferenceStatus.HELD and conference.quorate is False


EARLY_REVIEW_MESSAGE = "An early review is due because the conference was not quorate"


# The work lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConferenceFacts:
    """What a work list needs to know about one upcoming conference, as plain values."""

    status: str
    is_initial: bool
    has_chair: bool
    date: dt.date | None
    # The statutory deadline for holding it (for one still to arrange), if known.
    deadline: dt.date | None
    # The day reports are due with the chair (from the profile), if the date is set.
    reports_due: dt.date | None
    # Reports late to the chair or the family (convene.conferences.reports.rules.
    # report_lateness: the conference page counts them the same way), and those asked for,
    # not submitted and not late yet.
    reports_late: int
    reports_waiting: int
    # Invitations sent and not answered (convene.conferences.invitations.rules.
    # awaiting_answers, as the conference page counts them), and those not sent yet.
    unanswered_invitations: int
    exclusions_pending: int
    interpreters_not_booked: int
    police_invited: bool
    # Subject children of a held conference with no decision recorded yet.
    decisions_outstanding: int = 0
    invitations_not_sent: int = 0


class Fix(enum.StrEnum):
    """Something missing that a list can offer to put right, for those who may."""

    INVITE_POLICE = "invite_police"
    RECORD_DECISIONS = "record_decisions"


# What the link that puts it right says.
FIX_TEXT = {Fix.INVITE_POLICE: "Invite the police", Fix.RECORD_DECISIONS: "Record the decisions"}


@dataclass(frozen=True)
class Missing:
    """One thing a conference still needs, in words; with what puts it right, if a list can
    offer it, and (once someone who may do it is looking) where to do it."""

    text: str
    fix: Fix | None = None
    url: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def fix_text(self) -> str:
        return FIX_TEXT[self.fix] if self.fix else ""


def _count(n: int, one: str, many: str) -> str:
    return one if n == 1 else f"{n} {many}"


def what_is_missing(facts: ConferenceFacts, *, today: date) -> list[Missing]:
    """What still needs doing before (or on) the day, most basic first; for a held
    conference, the decisions still to record (London CP4 §9.6)."""
    if facts.status == ConferenceStatus.HELD:
        n = facts.decisions_outstanding
        text = _count(n, "1 decision not recorded", "decisions not recorded")
        return [Missing(text, Fix.RECORD_DECISIONS)] if n else []
    missing = []
    if not facts.has_chair:
        missing.append(Missing("No chair"))
    if facts.date is None:
        missing.append(Missing("No date"))
    if facts.invitations_not_sent:
        n = facts.invitations_not_sent
        missing.append(Missing(_count(n, "1 invitation not sent", "invitations not sent")))
    if facts.unanswered_invitations:
        n = facts.unanswered_invitations
        missing.append(Missing(_count(n, "1 invitation not answered", "invitations not answered")))
    # London CP4 §7.7 to §7.8: reports reach the chair, and the family, a set number of
    # working days before; those not in yet but not late are still outstanding.
    if facts.reports_late:
        n = facts.reports_late
        missing.append(Missing(_count(n, "1 report late", "reports late")))
    waiting = facts.reports_waiting
    if facts.reports_due is not None and waiting:
        when = f"due by {facts.reports_due.day} {facts.reports_due:%b %Y}"
        text = _count(waiting, "1 report not submitted yet", "reports not submitted yet")
        missing.append(Missing(f"{text}, {when}"))
    # London CP4 §5: the chair decides every request to exclude a family member.
    if facts.exclusions_pending:
        n = facts.exclusions_pending
        text = _count(n, "1 exclusion request to decide", "exclusion requests to decide")
        missing.append(Missing(text))
    # Derbyshire; London CP4 §14.9: the family's needs, such as an interpreter, are met.
    if facts.interpreters_not_booked:
        n = facts.interpreters_not_booked
        missing.append(Missing(_count(n, "1 interpreter not booked", "interpreters not booked")))
    # Medway; Cornwall: the police are invited to every initial conference.
    if facts.is_initial and not facts.police_invited:
        missing.append(Missing("Police not invited", Fix.INVITE_POLICE))
    if facts.status == ConferenceStatus.SCHEDULED and facts.date is not None and facts.date < today:
        missing.append(Missing("Not marked as held"))
    return missing


def urgency_date(facts: ConferenceFacts) -> date | None:
    """The date a work list sorts by: the statutory deadline for a conference still to
    arrange, the conference date for a scheduled one."""
    if facts.status == ConferenceStatus.TO_ARRANGE:
        return facts.deadline
    return facts.date


def urgency_key(due: date | None) -> tuple[bool, date]:
    """Earliest due first; those with no known due date last."""
    return (due is None, due or date.max)
