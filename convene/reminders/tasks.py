"""The daily reminders as a Celery task, for beat at 7am (convene/celery.py) and for the
embedded dispatcher (convene/notifications/embedded.py): the same as
`manage.py send_daily_reminders`, safe to run more than once a day."""

from __future__ import annotations

from celery import shared_task

from convene.authority.selectors import authority_procedures
from convene.core.clock import today

from .services import daily_reminders_send


@shared_task(name="convene.reminders.tasks.send_daily_reminders", ignore_result=True)
def send_daily_reminders() -> int:
    """Works out today once, then queues each person's reminder (one a day, never two)."""
    return daily_reminders_send(today=today(), profile=authority_procedures())
