"""Print the open statutory deadlines across the authority as at a date, soonest first.

manage.py deadlines --as-of 2026-11-23 --format json
manage.py deadlines --as-of 2026-11-23 --format text

The pages read the open deadlines kept as rows (returns.deadline_store). They are kept
current as records change; after restoring a backup or changing records outside Convene:

manage.py deadlines --check      # say whether the rows are what the rules compute
manage.py deadlines --rebuild    # work them all out again
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from convene.authority.selectors import authority_procedures
from convene.returns import deadline_store
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
    help = "Print the open statutory deadlines as at a date, or check or rebuild the stored ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="the date, e.g. 2026-11-23")
        parser.add_argument(
            "--rebuild", action="store_true", help="work out the stored open deadlines again"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the stored open deadlines with the rules (exit 1 if they differ)",
        )
        parser.add_argument(
            "--format", choices=["json", "text"], default="json", help="json (default) or text"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            count = deadline_store.rebuild()
            self.stdout.write(f"{count:,} open deadlines worked out again.")
            return
        if options["check"]:
            differences = deadline_store.differences()
            for difference in differences:
                self.stdout.write(difference)
            if differences:
                count = len(differences)
                raise CommandError(f"{count:,} differences: run manage.py deadlines --rebuild")
            self.stdout.write("The stored open deadlines are what the rules compute.")
            return
        if not options["as_of"]:
            raise CommandError("Give --as-of DATE, --check or --rebuild")
        as_of = as_of_date(options["as_of"])
        found = deadlines_as_of(as_of=as_of, procedures=authority_procedures())
        if options["format"] == "json":
            self.stdout.write(json.dumps([d.as_json() for d in found], indent=2))
            return
        if not found:
            self.stdout.write(f"No open deadlines on {as_of.isoformat()}.")
        for deadline in found:
            self.stdout.write(as_text(deadline))
