"""The daily reminder: one e-mail a day to each person with work due in the next 2 working
days or overdue — reports to write, invitations to answer, decision letters and records to
sign or send, conferences and core groups to book, actions they own. It names no child or
family; the details are behind sign-in."""

from __future__ import annotations

from datetime import date

from convene import policy
from convene.access.enums import Role
from convene.access.models import User
from convene.notifications.gateway import gateway
from convene.timescales import Profile

from .rules import Reminder, digest_body, digest_subject, window_ends
from .selectors import (
    Bookings,
    action_reminders,
    bookings_to_make,
    dissent_reminders,
    document_reminders,
    invitation_reminders,
    report_reminders,
)


def reminder_reference(user: User, today: date) -> str:
    return f"daily-reminders-{user.pk}-{today.isoformat()}"


def reminders_for(
    user: User, *, today: date, window_end: date, profile: Profile, bookings: Bookings
) -> list[Reminder]:
    reminders: list[Reminder] = []
    if policy.does_case_work(user):
        reminders += report_reminders(user, today=today, window_end=window_end, profile=profile)
    reminders += invitation_reminders(user, today=today, window_end=window_end)
    reminders += document_reminders(user, today=today, window_end=window_end, profile=profile)
    reminders += dissent_reminders(user, today=today, window_end=window_end)
    reminders += action_reminders(user, today=today, window_end=window_end)
    if Role.CONFERENCE_ADMINISTRATOR in user.roles:
        reminders += bookings.conferences
    reminders += bookings.core_groups.get(user.pk, [])
    return reminders


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
