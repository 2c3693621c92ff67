"""Pure rules for emergency (break-glass) access: what a reason and an identifier must be, how
long a grant lasts and how many requests an hour a person may make. No clock is read here: the
time is always an argument."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from .models import IdentifierKind

# A grant lasts one working shift from the moment it is made: long enough to deal with the
# emergency (a night on duty, a day in an emergency department), short enough that it is
# never a standing right. After it, a new request, with a new reason, alerts the managers
# again.
GRANT_LENGTH = timedelta(hours=8)
# A reason must say what the emergency is: more than a word or two.
SHORTEST_REASON = 20
LONGEST_REASON = 2000
# Requests an hour: enough for a real emergency and a typing mistake or two, too few to try
# identifiers one after another.
REQUESTS_PER_HOUR = 5
REQUEST_WINDOW = timedelta(hours=1)

# A local authority child ID: letters, digits and the separators IDs use; no wildcards.
LA_CHILD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/\-.]{0,39}$")
NHS_NUMBER_LENGTH = 10


def reason_problem(reason: str) -> str | None:
    """Why the reason given cannot be accepted, or None."""
    text = " ".join(reason.split())
    if not text:
        return "Enter why you need to open this child's record now"
    if len(text) < SHORTEST_REASON:
        return (
            f"Say more about why you need to open this child's record now: at least "
            f"{SHORTEST_REASON} characters"
        )
    if len(text) > LONGEST_REASON:
        return f"The reason must be {LONGEST_REASON} characters or fewer"
    return None


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's own check (its tenth digit is a modulus 11 check of the first nine)."""
    if len(digits) != NHS_NUMBER_LENGTH or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def normalise_identifier(kind: str, typed: str) -> str | None:
    """The identifier as the records hold it, or None when what was typed cannot be one (so
    nothing is looked up). An NHS number may be typed with spaces ("943 476 5919")."""
    value = typed.strip()
    if kind == IdentifierKind.NHS_NUMBER:
        digits = re.sub(r"[\s-]", "", value)
        return digits if nhs_number_is_valid(digits) else None
    if kind == IdentifierKind.LA_CHILD_ID:
        return value if LA_CHILD_ID.match(value) else None
    return None


IDENTIFIER_PROBLEMS = {
    IdentifierKind.NHS_NUMBER: "Enter a 10-digit NHS number, like 943 476 5919",
    IdentifierKind.LA_CHILD_ID: (
        "Enter the local authority child ID exactly, using only letters, numbers, hyphens, "
        "full stops and slashes"
    ),
}


def expiry(requested_at: datetime) -> datetime:
    """When a grant made at `requested_at` ends."""
    return requested_at + GRANT_LENGTH


def is_active(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and now < expires_at


def requests_left(times: Sequence[datetime], now: datetime) -> int:
    """How many more requests may be made now, given the times of earlier ones."""
    recent = [t for t in times if now - REQUEST_WINDOW < t <= now]
    return max(0, REQUESTS_PER_HOUR - len(recent))


def next_request_at(times: Sequence[datetime], now: datetime) -> datetime:
    """When the next request may be made (now, if one may be made now)."""
    recent = sorted(t for t in times if now - REQUEST_WINDOW < t <= now)
    if len(recent) < REQUESTS_PER_HOUR:
        return now
    return recent[len(recent) - REQUESTS_PER_HOUR] + REQUEST_WINDOW
