"""Queue the daily e-mail reminding each person of the reports they owe (run once a day, e.g.
at 7am from cron or Celery beat; running it again the same day sends nothing more)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from convene.authority.selectors import authority_procedures
from convene.conferences.yours.reminders import daily_reminders_send
from convene.core.clock import today


class Command(BaseCommand):
    help = "Queue today's e-mail reminders of reports owed for conferences."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            queued = daily_reminders_send(today=today(), profile=authority_procedures())
        self.stdout.write(f"Queued {queued} reminder{'s' if queued != 1 else ''}.")
