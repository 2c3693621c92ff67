"""The daily reminder: one e-mail a day to each person who owes reports for conferences still
to come, listing them, late ones first. It names no child: the e-mail says what is owed and
when; the details are behind sign-in on "Your conferences"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from convene import policy
from convene.access.models import User
from convene.conferences.yours.selectors import Owed, reports_owed
from convene.notifications.gateway import gateway
from convene.notifications.models import OutboundMessage
from convene.timescales import Profile

SUBJECT = "Reports you owe for child protection conferences"


def reminder_reference(user: User, today: date) -> str:
    return f"daily-reminders-{user.pk}-{today.isoformat()}"


def _day(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


def reminder_body(owed: Sequence[Owed]) -> str:
    """Pure: the e-mail's text for these reports (already in the order to show)."""
    late = sum(1 for row in owed if row.late)
    count = f"{len(owed)} report{'s' if len(owed) != 1 else ''}"
    lines = [
        f"You owe {count} for child protection conferences"
        + (f", {late} of them late." if late else "."),
        "",
    ]
    for row in owed:
        conference = row.report.conference
        when = f"on {_day(conference.date)}" if conference.date else "not yet given a date"
        due = f"due to the chair by {_day(row.due)}" if row.due else "due date not known yet"
        lines.append(
            f"- {row.report.get_kind_display()} report for the conference {when}: {due}"
            + (" (late)" if row.late else "")
        )
    lines += ["", "Sign in to Convene and open Your conferences to write them."]
    return "\n".join(lines)


def daily_reminders_send(*, today: date, profile: Profile) -> int:
    """Queue today's reminder for everyone who owes reports and has not had one today (the
    command may run more than once a day). Returns how many were queued."""
    queued = 0
    for user in User.objects.filter(is_active=True).exclude(email="").order_by("pk"):
        if not policy.does_case_work(user):
            continue
        reference = reminder_reference(user, today)
        if OutboundMessage.objects.filter(reference=reference).exists():
            continue
        owed = reports_owed(user, today=today, profile=profile)
        if not owed:
            continue
        gateway().send_email(
            to=user.email, subject=SUBJECT, body=reminder_body(owed), reference=reference
        )
        queued += 1
    return queued
