"""The daily reminders as a Celery task, for beat (convene/celery.py): the same as
`manage.py send_daily_reminders`, safe to run more than once a day."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from convene.authority.selectors import authority_procedures
from convene.conferences.yours.reminders import daily_reminders_send
from convene.core.clock import today


@shared_task(name="convene.conferences.yours.tasks.send_daily_reminders", ignore_result=True)
def send_daily_reminders() -> int:
    """Works out today once, then queues each person's reminder (one a day, never two)."""
    with transaction.atomic():
        return daily_reminders_send(today=today(), profile=authority_procedures())
