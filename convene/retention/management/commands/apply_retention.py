"""Remove or anonymise what is past its retention period (docs/decisions/0024)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from convene.retention.services import BATCH_SIZE, apply_retention


class Command(BaseCommand):
    help = (
        "Remove or anonymise the records past their period in the retention schedule, on the "
        "day given. Children with an open plan, conference, enquiry or case, or a legal hold, "
        "are left alone. --dry-run only says what would be done."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", required=True, help="The day to apply it on: YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; report")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"])
        except ValueError:
            raise CommandError(
                f"--today must be a date as YYYY-MM-DD, not {options['today']!r}"
            ) from None
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more")
        report = apply_retention(
            today=today, dry_run=options["dry_run"], batch_size=options["batch_size"]
        )
        for line in report.lines():
            self.stdout.write(line)
