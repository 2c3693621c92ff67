"""The daily reminder: one e-mail a day to each person with work due in the next 2 working
days or overdue — reports to write, invitations to answer, decision letters and records to
sign or send, conferences and core groups to book, actions they own. It names no child or
family; the details are behind sign-in."""

from __future__ import annotations

from datetime import date

from convene.access.models import User
from convene.notifications.gateway import gateway
from convene.timescales import Profile

from .rules import Reminder, digest_body, digest_subject, window_ends
from .selectors import Bookings, bookings_to_make, work_for


def reminder_reference(user: User, today: date) -> str:
    return f"daily-reminders-{user.pk}-{today.isoformat()}"


def reminders_for(
    user: User, *, today: date, window_end: date, profile: Profile, bookings: Bookings
) -> list[Reminder]:
    """What today's e-mail lists: the home page's tasks (`work_for`) due in the window."""
    return work_for(user, today=today, window_end=window_end, profile=profile, bookings=bookings)


def daily_reminders_send(*, today: date, profile: Profile) -> int:
    """Queue today's reminder for everyone with something due (one each a day, never two, even
    when two sweeps run at once). Returns how many were queued. Each is written in its own
    short transaction, so a long sweep never holds the database."""
    window_end = window_ends(today, profile.calendar)
    bookings = bookings_to_make(today=today, window_end=window_end, profile=profile)
    queued = 0
    people = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .prefetch_related("role_grants")
        .order_by("pk")
    )
    for user in people:
        reminders = reminders_for(
            user, today=today, window_end=window_end, profile=profile, bookings=bookings
        )
        if not reminders:
            continue
        queued += gateway().send_email(
            to=user.email,
            subject=digest_subject(reminders),
            body=digest_body(reminders),
            reference=reminder_reference(user, today),
            once=True,
        )
    return queued
