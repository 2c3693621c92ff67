"""Send the e-mails and letters waiting in the outbox.

`manage.py send_notifications` sends what is due now (as the Celery task does each minute);
`--drain` sends everything waiting, retrying failures at once up to NOTIFY_MAX_ATTEMPTS, for
use after an outage or before a deployment.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from convene.notifications.dispatcher import dispatch_due, drain


class Command(BaseCommand):
    help = "Send the e-mails and letters waiting in the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--drain",
            action="store_true",
            help="Send everything waiting, retrying failures at once (ignoring the backoff).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = drain() if options["drain"] else dispatch_due()
        self.stdout.write(
            f"Sent {outcome.sent}, retried {outcome.retried}, dead-lettered {outcome.dead}."
        )
