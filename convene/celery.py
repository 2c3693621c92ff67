"""The Celery app: sends the outbox from a worker when CELERY_BROKER_URL is set (Redis in
production). Without a broker nothing here runs: the outbox is sent in-process after each
commit (docs/decisions/0016-outbox-and-dispatcher.md).

Run a worker and beat (the every-minute schedule) beside the web processes:

    celery -A convene worker --loglevel=INFO
    celery -A convene beat --loglevel=INFO
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings.production")

app = Celery("convene")
# Celery's own settings are the Django settings that start CELERY_ (CELERY_BROKER_URL, …).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["convene.notifications"])
app.conf.beat_schedule = {
    # Sends what is due, and the retries whose backoff has passed.
    "send-notifications-every-minute": {
        "task": "convene.notifications.tasks.dispatch_due",
        "schedule": 60.0,
    },
}
