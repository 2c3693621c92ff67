"""Bookings (issue 15): a chair, a room or a virtual meeting link is in one meeting at a time.

Pure rules on plain values. A booking is a scheduled conference (its chair, venue and link,
from its start to its end time) or a scheduled core group meeting (its venue, which may be a
room or a link to join online). A core group meeting records no end time: for bookings it is
taken to last CORE_GROUP_LENGTH.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

CORE_GROUP_LENGTH = timedelta(hours=1, minutes=30)


@dataclasses.dataclass(frozen=True)
class Booking:
    key: str  # "conference:12", "core_group:5": the same meeting never clashes with itself
    what: str  # how a refusal names it, never naming a child: "conference number 12"
    day: date
    starts_at: time
    ends_at: time | None  # None: not recorded (a core group meeting)
    chair_id: int | None = None
    chair_name: str = ""
    venue: str = ""
    virtual_link: str = ""

    @property
    def until(self) -> time:
        if self.ends_at is not None:
            return self.ends_at
        end = datetime.combine(self.day, self.starts_at) + CORE_GROUP_LENGTH
        return end.time() if end.date() == self.day else time.max


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip("/")


def _same_place(a: str, b: str) -> bool:
    """Venues and links compared as people type them: case, spaces and a final slash ignored."""
    return bool(_plain(a)) and _plain(a) == _plain(b)


def _places(booking: Booking) -> set[str]:
    return {_plain(p) for p in (booking.venue, booking.virtual_link) if _plain(p)}


def booking_clashes(wanted: Booking, others: Iterable[Booking]) -> list[tuple[str, Booking]]:
    """The other bookings that overlap `wanted` in time (on the same day; one may start as the
    other ends) and share its chair, its venue or its meeting link, each with what is shared:
    "chair", "venue" or "virtual_link"."""
    found: list[tuple[str, Booking]] = []
    for other in others:
        if other.key == wanted.key or other.day != wanted.day:
            continue
        if not (other.starts_at < wanted.until and wanted.starts_at < other.until):
            continue
        if wanted.chair_id is not None and other.chair_id == wanted.chair_id:
            found.append(("chair", other))
        elif _plain(wanted.venue) and _plain(wanted.venue) in _places(other):
            found.append(("venue", other))
        elif _plain(wanted.virtual_link) and _plain(wanted.virtual_link) in _places(other):
            found.append(("virtual_link", other))
    return found


def clash_message(shared: str, other: Booking, wanted: Booking) -> str:
    """The refusal, showing the other booking without naming its children (the person
    scheduling may not be allowed to see them)."""
    when = f"on {other.day:%A %-d %B %Y} " + (
        f"from {other.starts_at:%H:%M} to {other.ends_at:%H:%M}"
        if other.ends_at is not None
        else f"at {other.starts_at:%H:%M}"
    )
    if shared == "chair":
        return (
            f"{other.chair_name or 'This chair'} is already chairing {other.what} {when}: "
            "choose another chair or time"
        )
    if shared == "venue":
        return (
            f"{wanted.venue.strip()} is already booked for {other.what} {when}: "
            "choose another venue or time"
        )
    return (
        f"This meeting link is already booked for {other.what} {when}: "
        "use another link or choose another time"
    )
