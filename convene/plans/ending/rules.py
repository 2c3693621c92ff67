"""Pure rules for ending a plan without a conference (London CP4 §10.5 to §10.6, §2.6) and for
the child in need plan that may follow (§10.10). Dates are passed in; nothing reads the clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from convene.plans.enums import ENDS_WITHOUT_CONFERENCE, PlanEndReason
from convene.timescales import Profile

ADULT_AGE = 18
CIN_PLAN_REVIEW = "cin_plan_review"

# Why the plan ended, in the plain words of the message to everyone told (no name: e-mails
# and letters never name the child, as with invitations).
IN_WORDS: dict[str, str] = {
    PlanEndReason.TURNED_18: "the young person has turned 18, so they are no longer a child",
    PlanEndReason.DIED: "the child has died",
    PlanEndReason.LEFT_COUNTRY: "the child has left the country to live abroad",
    PlanEndReason.TRANSFERRED: "the child has moved to another area, and the council there has "
    "held its own child protection conference",
    PlanEndReason.CARE_ORDER: "a court has made a care order, so the child is now looked after "
    "by the council and their care plan keeps them safe",
}
assert set(IN_WORDS) == set(ENDS_WITHOUT_CONFERENCE)

# §10.10: a child in need plan is for a child who is still a child, and alive.
NO_CIN_PLAN_AFTER: dict[str, str] = {
    PlanEndReason.DIED: "A child in need plan cannot follow when the child has died",
    PlanEndReason.TURNED_18: "A child in need plan cannot follow: at 18 the young person is no "
    "longer a child",
}


NOT_ALLOWED = (
    "A plan ends without a conference only when the child has turned 18, died, left the "
    "country, moved to an authority that has held its own conference, or is looked after under "
    "a care order. Otherwise it ends at a review conference"
)


def may_end_without_conference(reason: str) -> bool:
    return reason in ENDS_WITHOUT_CONFERENCE


def eighteenth_birthday(date_of_birth: date) -> date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:  # born on 29 February: 18 on 1 March
        return date(date_of_birth.year + ADULT_AGE, 3, 1)


@dataclass(frozen=True)
class EndingFacts:
    """What the rules need to know of an ending asked for."""

    reason: str
    details: str
    consultation: str
    consulted_on: date | None
    ended_on: date | None
    cin_plan_follows: bool = False


def ending_problems(
    facts: EndingFacts, *, start_date: date, date_of_birth: date | None, today: date
) -> dict[str, str]:
    """Why the plan cannot end without a conference as asked, by field (empty if it can)."""
    problems: dict[str, str] = {}
    if not may_end_without_conference(facts.reason):
        problems["reason"] = NOT_ALLOWED
    if not facts.details.strip():
        problems["details"] = "Enter the details of why the plan is ending"
    if not facts.consultation.strip():
        problems["consultation"] = (
            "Record who you consulted (the agencies invited to the initial conference and the "
            "core group) and what they said"
        )
    problems |= _consulted_problems(facts.consulted_on, start_date=start_date, today=today)
    problems |= _ended_problems(
        facts.ended_on, start_date=start_date, consulted_on=facts.consulted_on, today=today
    )
    if facts.reason == PlanEndReason.TURNED_18 and "ended_on" not in problems:
        problems |= _turned_18_problems(date_of_birth, facts.ended_on)
    if facts.cin_plan_follows and facts.reason in NO_CIN_PLAN_AFTER:
        problems["cin_plan_follows"] = NO_CIN_PLAN_AFTER[facts.reason]
    return problems


def _consulted_problems(
    consulted_on: date | None, *, start_date: date, today: date
) -> dict[str, str]:
    if consulted_on is None:
        return {"consulted_on": "Enter the date you consulted the agencies and the core group"}
    if consulted_on > today:
        return {"consulted_on": "The date you consulted them must be today or in the past"}
    if consulted_on < start_date:
        return {
            "consulted_on": "The date you consulted them must be on or after "
            f"{start_date:%-d %B %Y}, when the plan started"
        }
    return {}


def _ended_problems(
    ended_on: date | None, *, start_date: date, consulted_on: date | None, today: date
) -> dict[str, str]:
    if ended_on is None:
        return {"ended_on": "Enter the date the plan ends"}
    if ended_on <= start_date:
        # DfE rule 8840, also refused by the database.
        return {
            "ended_on": f"The date the plan ends must be after {start_date:%-d %B %Y}, when it "
            "started"
        }
    if ended_on > today:
        return {"ended_on": "The date the plan ends must be today or in the past"}
    if consulted_on is not None and ended_on < consulted_on:
        return {"ended_on": "The plan can end only after you have consulted the agencies"}
    return {}


def _turned_18_problems(date_of_birth: date | None, ended_on: date | None) -> dict[str, str]:
    if date_of_birth is None:
        return {"reason": "The child's record has no date of birth, so they cannot have turned 18"}
    birthday = eighteenth_birthday(date_of_birth)
    if ended_on is not None and ended_on < birthday:
        return {
            "ended_on": f"The child turns 18 on {birthday:%-d %B %Y}: the plan cannot end for "
            "that reason before then"
        }
    return {}


def tells_the_child(reason: str) -> bool:
    """Whether the child themself is told the plan has ended (not when they have died)."""
    return reason != PlanEndReason.DIED


# Child in need plans (§10.10) ------------------------------------------------------------------


def cin_review_due(profile: Profile, *, start: date, last_review: date | None) -> date:
    """London CP4 §10.10: a child in need plan is reviewed at least every 12 weeks, the first
    counted from its start."""
    return profile.timescale(CIN_PLAN_REVIEW).due(last_review or start)


def cin_review_problems(
    day: date | None, *, start: date, end: date | None, today: date, held: Iterable[date]
) -> dict[str, str]:
    if day is None:
        return {"date": "Enter the date of the review"}
    if day > today:
        return {"date": "The date of the review must be today or in the past"}
    if day < start:
        return {
            "date": f"The date of the review must be on or after {start:%-d %B %Y}, when the "
            "plan started"
        }
    if end is not None and day > end:
        return {
            "date": f"The date of the review must be on or before {end:%-d %B %Y}, when the "
            "plan ended"
        }
    if day in set(held):
        return {"date": f"A review on {day:%-d %B %Y} is already recorded"}
    return {}


def cin_end_problems(
    day: date | None, *, start: date, today: date, last_review: date | None
) -> dict[str, str]:
    if day is None:
        return {"end_date": "Enter the date the plan ends"}
    if day > today:
        return {"end_date": "The date the plan ends must be today or in the past"}
    if day < start:
        return {
            "end_date": f"The date the plan ends must be on or after {start:%-d %B %Y}, when "
            "it started"
        }
    if last_review is not None and day < last_review:
        return {
            "end_date": f"The date the plan ends must be on or after its last review, on "
            f"{last_review:%-d %B %Y}"
        }
    return {}


# Telling people (§10.9) -----------------------------------------------------------------------


def channel(*, email: str, address: str, prefers_letter: bool = False) -> str | None:
    """How to tell someone: "email", "letter", or None when there is no way to."""
    if email.strip() and not (prefers_letter and address.strip()):
        return "email"
    if address.strip():
        return "letter"
    return None
