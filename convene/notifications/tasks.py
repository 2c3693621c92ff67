"""Celery tasks for the outbox (convene/celery.py schedules `dispatch_due` every minute)."""

from __future__ import annotations

from celery import shared_task

from . import dispatcher


@shared_task(name="convene.notifications.tasks.dispatch_due", ignore_result=True)
def dispatch_due() -> dict[str, int]:
    outcome = dispatcher.dispatch_due()
    return {"sent": outcome.sent, "retried": outcome.retried, "dead": outcome.dead}
