"""What an invitation says: the subject and plain-English body of the letter or e-mail, the
meeting's time and place in words, and the calendar entry (iCalendar, RFC 5545) sent with an
e-mailed invitation (London CP4 §3.1 to §3.2).

Pure reads of a conference and its invitation; sending them is
`convene.conferences.invitations.services.invitations_send`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from convene.conferences.enums import MeetingMode
from convene.conferences.models import Conference, Invitation

LONDON = ZoneInfo("Europe/London")
# Used for the calendar entry when the conference has no end time.
DEFAULT_LENGTH = timedelta(hours=2)


def place_text(conference: Conference) -> str:
    """Where the meeting is, in words for a letter or e-mail."""
    parts = []
    if conference.mode != MeetingMode.VIRTUAL and conference.venue:
        parts.append(conference.venue)
    if conference.mode in (MeetingMode.VIRTUAL, MeetingMode.HYBRID) and conference.virtual_link:
        parts.append(f"online: {conference.virtual_link}")
    return "; ".join(parts) or "to be confirmed"


def _start_end(conference: Conference) -> tuple[datetime | date, datetime | date]:
    assert conference.date is not None
    if conference.starts_at is None:
        return conference.date, conference.date + timedelta(days=1)
    start = datetime.combine(conference.date, conference.starts_at, tzinfo=LONDON)
    if conference.ends_at is not None:
        end = datetime.combine(conference.date, conference.ends_at, tzinfo=LONDON)
    else:
        end = start + DEFAULT_LENGTH
    return start, end


def clock_text(value: time) -> str:
    """A time as GOV.UK writes it: 10am, 2:30pm, midday."""
    if value == time(12, 0):
        return "midday"
    return f"{value:%-I:%M%p}".lower().replace(":00", "")


def time_text(conference: Conference) -> str:
    """When the meeting starts and ends, in words."""
    if conference.starts_at is None:
        return "to be confirmed"
    if conference.ends_at is None:
        return clock_text(conference.starts_at)
    return f"{clock_text(conference.starts_at)} to {clock_text(conference.ends_at)}"


def invitation_uid(invitation: Invitation) -> str:
    """Stable per invitation, so sending again updates the entry in the person's calendar."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "convene.example"
    return f"conference-{invitation.conference_id}-invitation-{invitation.pk}@{domain}"


def invitation_ics(invitation: Invitation, *, stamp: datetime) -> bytes:
    """The calendar entry (iCalendar, RFC 5545) sent with an e-mailed invitation."""
    conference = invitation.conference
    calendar = Calendar()
    calendar.add("prodid", "-//Convene//Child protection conferences//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", invitation_uid(invitation))
    # The conference's version rises with every change, so a re-sent entry replaces the old.
    event.add("sequence", conference.version)
    event.add("dtstamp", stamp)
    start, end = _start_end(conference)
    event.add("dtstart", start)
    event.add("dtend", end)
    # No child's or family's name: calendars are often shared or seen by others.
    event.add("summary", "Child protection conference")
    event.add("location", vText(place_text(conference)))
    if conference.virtual_link:
        event.add("url", conference.virtual_link)
    organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = vText(f"{settings.AUTHORITY_NAME} child protection conferences")
    event.add("organizer", organiser)
    if invitation.email:
        attendee = vCalAddress(f"mailto:{invitation.email}")
        attendee.params["cn"] = vText(invitation.display_name)
        event.add("attendee", attendee)
    event.add("description", f"Chair: {chair_name(conference)}. Place: {place_text(conference)}")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def chair_name(conference: Conference) -> str:
    if conference.chair is None:
        return "to be confirmed"
    return conference.chair.get_full_name() or "to be confirmed"


NEEDS_OFFER = (
    "Tell us if you need an interpreter, have a sensory disability or dyslexia, need help to "
    "join online, or need anything else to take part. You can bring a supporter, such as a "
    "friend or relative, or an advocate."
)


def with_article(words: str) -> str:
    """ "a" or "an" before words, as they are said: "an initial child protection conference"."""
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}"


def reply_text(*, phone: str, address: str, email: str) -> str:
    """How to answer: by phone, by post or by e-mail, whichever suits the person."""
    ways = []
    if phone:
        ways.append(f"phone us on {phone}")
    if address.strip():
        ways.append(
            "write to us at "
            + ", ".join(line.strip() for line in address.splitlines() if line.strip())
        )
    if email:
        ways.append(f"email {email}")
    if not ways:
        return ""
    return (
        "You can " + (", ".join(ways[:-1]) + " or " + ways[-1] if len(ways) > 1 else ways[0]) + "."
    )


def invitation_message(invitation: Invitation) -> tuple[str, str]:
    """The subject and plain-English body of an invitation."""
    conference = invitation.conference
    assert conference.date is not None
    when = f"{conference.date:%A %-d %B %Y}, {time_text(conference)}"
    subject = f"Invitation to a child protection conference on {conference.date:%-d %B %Y}"
    body = "\n\n".join(
        [
            f"Dear {invitation.display_name},",
            f"You are invited to {with_article(conference.get_type_display().lower())}.",
            f"When: {when}",
            f"Where: {place_text(conference)}",
            f"Chair: {chair_name(conference)}, an independent chair who runs the meeting.",
            "At the meeting, everyone talks about what is working well, what we are worried "
            "about, what life is like for the child, and what needs to happen next.",
            NEEDS_OFFER,
            "Please tell us whether you can come. If you cannot, send your apologies and your "
            "report before the meeting.",
            replies(),
            f"{settings.AUTHORITY_NAME} conference team",
        ]
    )
    return subject, body


def replies() -> str:
    from convene.authority.selectors import authority_settings

    chosen = authority_settings()
    return reply_text(
        phone=chosen.letter_phone,
        address=chosen.letter_address,
        email=chosen.letter_email or settings.DEFAULT_FROM_EMAIL,
    )


def message_reference(invitation: Invitation) -> str:
    return f"conference-{invitation.conference_id}-invitation-{invitation.pk}"
