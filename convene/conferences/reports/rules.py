"""Pure rules for reports, the family's contributions and exclusion requests.

Plain values in, plain values out: no database, no clock. Callers pass `today`.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date

from convene.conferences.enums import ConferenceType, ReportKind, ReportStatus
from convene.core.services import Transition, Transitions
from convene.timescales import Profile


class ReportAction(enum.StrEnum):
    VIEW = "view"  # open it (a draft shows others only that it is awaited)
    READ_DRAFT = "read_draft"  # read it while it is still its agency's draft
    SAVE_DRAFT = "save_draft"
    ADD_CHILD_SEEN = "add_child_seen"
    SUBMIT = "submit"
    SHARE_WITH_FAMILY = "share_with_family"
    RECORD_FAMILY_COMMENTS = "record_family_comments"
    RECORD_CHAIR_SUMMARY = "record_chair_summary"


Status = ReportStatus
DRAFT = frozenset({Status.REQUESTED})
NOT_CHANGEABLE = "This report has been submitted and can no longer be changed"

# A report is its agency's draft until signed and submitted (§7.9), read-only after; it is
# then shared with the family (§7.7), whose comments may follow.
REPORT: Transitions[ReportAction, ReportStatus] = Transitions(
    {
        ReportAction.SAVE_DRAFT: Transition(DRAFT, NOT_CHANGEABLE),
        ReportAction.ADD_CHILD_SEEN: Transition(DRAFT, NOT_CHANGEABLE),
        ReportAction.SUBMIT: Transition(
            DRAFT, "This report has already been submitted", becomes=Status.SUBMITTED
        ),
        ReportAction.SHARE_WITH_FAMILY: Transition(
            frozenset({Status.SUBMITTED}),
            "Only a submitted report that has not been shared can be shared",
            becomes=Status.SHARED,
        ),
        ReportAction.RECORD_FAMILY_COMMENTS: Transition(
            frozenset({Status.SHARED, Status.COMMENTS_RECEIVED}),
            "Share the report with the family before recording comments",
            becomes=Status.COMMENTS_RECEIVED,
        ),
        ReportAction.RECORD_CHAIR_SUMMARY: Transition(
            frozenset({Status.SUBMITTED}),
            "The police report must be submitted before you summarise it",
        ),
    }
)


def content_visible(status: str, *, may_read_draft: bool) -> bool:
    """A report not yet submitted is its agency's draft: others see only that it is awaited."""
    return status != ReportStatus.REQUESTED or may_read_draft


# Deadlines ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportDeadlines:
    """When a report is due to the chair and to the family, with the rule in words."""

    to_chair: date
    to_chair_rule: str
    # None: not shared with the family (London CP4 §7.10: the police report is the chair's).
    to_family: date | None
    to_family_rule: str


def report_deadline_keys(conference_type: str) -> tuple[str, str]:
    """The profile's timescale keys (to the chair, to the parents) for a type of conference.

    London CP4 §7.7 to §7.9: 2 working days before an initial conference, 5 before a review.
    Every conference that is not a review is an initial one for this purpose (pre-birth,
    transfer-in and reconvened conferences make a first decision about a plan)."""
    if conference_type == ConferenceType.REVIEW:
        return "reports_to_chair_review", "reports_to_parents_review"
    return "reports_to_chair_initial", "reports_to_parents_initial"


def report_deadlines(
    profile: Profile, *, conference_type: str, conference_date: date, kind: str
) -> ReportDeadlines:
    chair_key, family_key = report_deadline_keys(conference_type)
    to_chair = profile.timescale(chair_key)
    to_family = profile.timescale(family_key)
    shared = kind != ReportKind.POLICE
    return ReportDeadlines(
        to_chair=to_chair.due(conference_date),
        to_chair_rule=to_chair.explain(),
        to_family=to_family.due(conference_date) if shared else None,
        to_family_rule=to_family.explain() if shared else "",
    )


def is_late(*, due: date | None, done_on: date | None, today: date) -> bool:
    """Late when done after the due date, or not done and the due date has passed.

    The due date is the last day on which it is still on time, so on the day itself nothing is
    late yet."""
    if due is None:
        return False
    if done_on is not None:
        return done_on > due
    return today > due


def report_late_to_chair(*, due: date, submitted_on: date | None, today: date) -> bool:
    return is_late(due=due, done_on=submitted_on, today=today)


def report_late_to_family(*, due: date | None, shared_on: date | None, today: date) -> bool:
    return is_late(due=due, done_on=shared_on, today=today)


@dataclasses.dataclass(frozen=True)
class Lateness:
    """Whether a report is late to the chair, to the family, or at all."""

    to_chair: bool
    to_family: bool

    @property
    def late(self) -> bool:
        return self.to_chair or self.to_family


def report_lateness(
    profile: Profile,
    *,
    conference_type: str,
    conference_date: date | None,
    kind: str,
    submitted_on: date | None,
    shared_on: date | None,
    today: date,
) -> Lateness:
    """The one answer to "is this report late?" that the conference page, the reports page,
    the work lists and the home pages all give: late to the chair (not submitted by its day)
    or to the family (not shared by its day). Nothing is late before the conference has a
    date."""
    if conference_date is None:
        return Lateness(False, False)
    due = report_deadlines(
        profile, conference_type=conference_type, conference_date=conference_date, kind=kind
    )
    return Lateness(
        to_chair=report_late_to_chair(due=due.to_chair, submitted_on=submitted_on, today=today),
        to_family=report_late_to_family(due=due.to_family, shared_on=shared_on, today=today),
    )


# What a report needs -----------------------------------------------------------------


def child_seen_problems(
    *,
    seen_on: date | None,
    seen_alone: bool | None,
    who_was_there: str,
    why_not_alone: str,
    today: date,
) -> dict[str, str]:
    """What is wrong with an entry of when a child was seen (London CP4 §7.5: if the child was
    not seen alone, who was present and for what reasons). Field name to message."""
    problems: dict[str, str] = {}
    if seen_on is None:
        problems["date"] = "Enter the date the child was seen"
    elif seen_on > today:
        problems["date"] = "The date the child was seen must be today or in the past"
    if seen_alone is None:
        problems["seen_alone"] = "Select whether the child was seen alone"
    elif not seen_alone:
        if not who_was_there.strip():
            problems["who_was_there"] = "Enter who was there when the child was seen"
        if not why_not_alone.strip():
            problems["why_not_alone"] = "Enter why the child was not seen alone"
    return problems


def report_submit_problems(
    *,
    kind: str,
    facts: str,
    opinions: str,
    recommendation: str,
    signed_by: str,
    children_not_seen: list[str],
) -> dict[str, str]:
    """What stops a report being signed and submitted. Field name to message.

    London CP4 §7.1, §7.9: a signed report that distinguishes facts and opinions; §7.5: the
    children's social care report says when each child was seen."""
    problems: dict[str, str] = {}
    if not facts.strip():
        problems["facts"] = "Enter the facts: what you know happened and how you know"
    if not opinions.strip():
        problems["opinions"] = "Enter your professional opinion"
    if not recommendation.strip():
        problems["recommendation"] = "Enter your recommendation to the conference"
    if not signed_by.strip():
        problems["signed_by"] = "Type your full name to sign the report"
    if kind == ReportKind.CHILDRENS_SOCIAL_CARE:
        for name in children_not_seen:
            problems[f"seen_{name}"] = f"Add when {name} was seen during the enquiry"
    return problems
