"""Pure rules for a plan's review conferences (London CP4 §1.20 to §1.23): when the next review
is due, bringing it forward, the birth after a pre-birth conference, and plans open 2 years or
more. Dates are passed in; nothing reads the clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from convene.plans.rules import next_review
from convene.timescales import Profile

# The procedure profile's timescale for a plan open long enough to be looked at again (§1.22).
LONG_PLAN = "long_plan_review"
# London CP4 §1.22: under-fives come first when long plans are looked at again.
UNDER_FIVE = 5


@dataclass(frozen=True)
class BroughtForward:
    """What the rules need of one `ReviewBroughtForward`."""

    recorded_on: date
    due: date


@dataclass(frozen=True)
class ReviewDue:
    """When the next review conference is due, and why."""

    due: date
    # The date the procedures give (§1.20), before anything brought it forward.
    normal_due: date
    # "3 months after the initial conference (London CP4 §1.20)"
    explanation: str
    counts_from: date
    first: bool

    @property
    def brought_forward(self) -> bool:
        return self.due < self.normal_due


def normal_review_due(profile: Profile, *, start: date, last_review: date | None) -> ReviewDue:
    """London CP4 §1.20: the first review within 3 months of the plan's start, each later one
    within 6 months of the last (as the profile says)."""
    key, counts_from = next_review(start, last_review)
    timescale = profile.timescale(key)
    due = timescale.due(counts_from)
    return ReviewDue(
        due=due,
        normal_due=due,
        explanation=timescale.explain(),
        counts_from=counts_from,
        first=last_review is None,
    )


def still_applies(recorded_on: date, last_review: date | None) -> bool:
    """A review brought forward holds until a review conference is held after it was recorded.
    One recorded on the day of the last review was recorded at or after it (nobody brings
    forward a review that is being held that day), so it still holds."""
    return last_review is None or recorded_on >= last_review


def review_due(
    profile: Profile,
    *,
    start: date,
    last_review: date | None,
    brought_forward: Iterable[BroughtForward] = (),
) -> ReviewDue:
    """The day the next review conference is due by: the procedures' date, or the earliest
    date it was brought forward to since the last review (London CP4 §1.23)."""
    normal = normal_review_due(profile, start=start, last_review=last_review)
    earlier = [b.due for b in brought_forward if still_applies(b.recorded_on, last_review)]
    if not earlier or min(earlier) >= normal.due:
        return normal
    return ReviewDue(
        due=min(earlier),
        normal_due=normal.due,
        explanation=normal.explanation,
        counts_from=normal.counts_from,
        first=normal.first,
    )


def bring_forward_problems(
    new_due: date | None, *, today: date, now_due: ReviewDue, last_held: date
) -> dict[str, str]:
    """Why a review cannot be brought forward to `new_due` (empty if it can): it must be before
    the day the review is due now, not in the past, and after the last review (or the plan's
    start: a review is held after the plan starts, DfE rule 8841). An overdue review cannot come
    any sooner: it is booked."""
    if now_due.due < today:
        return {
            "due": f"The review is already overdue: it was due by {now_due.due:%-d %B %Y}. "
            "Book it now instead"
        }
    if new_due is None:
        return {"due": "Enter the date the review is now due by"}
    if new_due < today:
        return {"due": "The date the review is now due by must be today or in the future"}
    if new_due <= last_held:
        return {"due": f"The date the review is now due by must be after {last_held:%-d %B %Y}"}
    if new_due >= now_due.due:
        already = " (it is already brought forward)" if now_due.brought_forward else ""
        return {
            "due": f"The date the review is now due by must be before {now_due.due:%-d %B %Y}, "
            f"the date it is due by now{already}"
        }
    return {}


# The birth after a pre-birth conference (§1.21) --------------------------------------------


def awaits_birth(date_of_birth: date | None, expected_date_of_birth: date | None) -> bool:
    """An unborn child, known by the date they are expected."""
    return date_of_birth is None and expected_date_of_birth is not None


def birth_problems(born: date | None, *, today: date) -> dict[str, str]:
    if born is None:
        return {"date_of_birth": "Enter the baby's date of birth"}
    if born > today:
        return {"date_of_birth": "The date of birth must be today or in the past"}
    return {}


# Plans open 2 years or more (§1.22) --------------------------------------------------------


def plan_is_long(start_date: date, today: date, profile: Profile) -> bool:
    """London CP4 §1.22: a plan open 2 years or more (the profile's `long_plan_review`, counted
    from the start of the plan) is looked at again carefully, especially for a child under 5.
    Long from the day the timescale falls due: 2 years to the day."""
    return today >= profile.timescale(LONG_PLAN).due(start_date)


def is_under_five(date_of_birth: date | None, today: date) -> bool:
    """Under 5 on `today`. An unborn child counts as under 5."""
    if date_of_birth is None:
        return True
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years < UNDER_FIVE


def months_between(start: date, today: date) -> int:
    """Whole months from `start` to `today` (for "2 years and 3 months")."""
    months = (today.year - start.year) * 12 + today.month - start.month
    if today.day < start.day:
        months -= 1
    return max(months, 0)


def length_in_words(start: date, today: date) -> str:
    months = months_between(start, today)
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " and ".join(parts)
