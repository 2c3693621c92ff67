"""Queue the daily e-mail reminding each person of the work due in the next 2 working days or
overdue. Celery beat (or, without a broker, the web server's dispatcher) runs it at 7am;
running it again the same day sends nothing more."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from convene.reminders.tasks import send_daily_reminders


class Command(BaseCommand):
    help = "Queue today's e-mail reminders of work due or overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = send_daily_reminders()
        self.stdout.write(f"Queued {queued} reminder{'s' if queued != 1 else ''}.")
