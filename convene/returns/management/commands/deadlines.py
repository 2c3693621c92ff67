"""Print the open statutory deadlines across the authority as at a date, soonest first.

manage.py deadlines --as-of 2026-11-23 --format json
manage.py deadlines --as-of 2026-11-23 --format text
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from convene.authority.selectors import authority_procedures
from convene.returns.deadlines import Deadline, deadlines_as_of

from .export_annex_a import as_of_date


def as_text(deadline: Deadline) -> str:
    status = "OVERDUE" if deadline.overdue else "due"
    return (
        f"{deadline.due.isoformat()}  {status:<7}  {deadline.child:<12}  "
        f"{deadline.kind.label}: {deadline.explanation}; "
        f"{deadline.event} was on {deadline.counts_from.isoformat()}"
    )


class Command(BaseCommand):
    help = "Print the open statutory deadlines (initial and review conferences) as at a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="the date, e.g. 2026-11-23")
        parser.add_argument(
            "--format", choices=["json", "text"], default="json", help="json (default) or text"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = as_of_date(options["as_of"])
        found = deadlines_as_of(as_of=as_of, procedures=authority_procedures())
        if options["format"] == "json":
            self.stdout.write(json.dumps([d.as_json() for d in found], indent=2))
            return
        if not found:
            self.stdout.write(f"No open deadlines on {as_of.isoformat()}.")
        for deadline in found:
            self.stdout.write(as_text(deadline))
