"""The Celery app: sends the outbox from a worker when CELERY_BROKER_URL is set (Redis in
production). Without a broker nothing here runs: the outbox is sent in-process after each
commit (docs/decisions/0016-outbox-and-dispatcher.md).

Run a worker and beat (the every-minute dispatch, the 7am reminders) beside the web processes:

    celery -A convene worker --loglevel=INFO
    celery -A convene beat --loglevel=INFO
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

from convene.reminders.rules import SEND_AT

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings.production")

app = Celery("convene")
# Celery's own settings are the Django settings that start CELERY_ (CELERY_BROKER_URL, …).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["convene.notifications", "convene.reminders"])
# The authority's clock: "7am" is 7am in England and Wales, in summer time too.
app.conf.timezone = "Europe/London"
app.conf.beat_schedule = {
    # Sends what is due, and the retries whose backoff has passed.
    "send-notifications-every-minute": {
        "task": "convene.notifications.tasks.dispatch_due",
        "schedule": 60.0,
    },
    # Each person's reminder of what they owe, at 7am (once a day, however often it runs).
    "daily-reminders-at-7am": {
        "task": "convene.reminders.tasks.send_daily_reminders",
        "schedule": crontab(hour=SEND_AT.hour, minute=SEND_AT.minute),
    },
}
