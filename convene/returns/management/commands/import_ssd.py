"""Import an authority's Standard Safeguarding Dataset extract (a folder of CSV files).

    manage.py import_ssd path/to/extract --dry-run
    manage.py import_ssd path/to/extract --by data.officer@authority.example

Everything or nothing: any bad row prints a report of every problem (file, line, field,
reason) and exits with status 1, having saved nothing. Importing the same extract again
changes nothing; a newer extract updates records by their SSD ids.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from convene.access.models import User
from convene.returns.ssd import ImportResult, import_extract


class Command(BaseCommand):
    help = "Import a Standard Safeguarding Dataset extract: a folder with one CSV per table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the folder holding the CSV files")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but save nothing"
        )
        parser.add_argument("--by", metavar="EMAIL", help="the user doing the import (audit)")
        parser.add_argument("--quiet", action="store_true", help="no progress messages")

    def handle(self, *args: Any, **options: Any) -> None:
        by = self._user(options["by"])
        quiet = options["quiet"] or options["verbosity"] == 0
        result = import_extract(
            options["directory"],
            dry_run=options["dry_run"],
            by=by,
            progress=None if quiet else self._progress,
        )
        if not result.ok:
            self._report(result)
            raise CommandError(
                f"{len(result.problems):,} problem{'s' if len(result.problems) != 1 else ''} "
                "in the extract. Nothing was imported: fix them and run the import again."
            )
        self._summary(result)

    def _user(self, email: str | None) -> User | None:
        if not email:
            return None
        try:
            return User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise CommandError(f"No user has the email address {email}.") from None

    def _progress(self, message: str) -> None:
        # Progress goes to stderr, so the summary on stdout can be kept or piped.
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def _report(self, result: ImportResult) -> None:
        self.stdout.write(f"Problems in the SSD extract in {result.directory}:\n")
        for problem in result.problems:
            self.stdout.write(f"  {problem}")

    def _summary(self, result: ImportResult) -> None:
        verb = "Checked" if result.dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} the SSD extract in {result.directory}")
            + f" ({result.seconds:.1f} s)"
        )
        if result.dry_run:
            self.stdout.write(
                "No problems. Dry run: nothing was saved. Importing it would do this:"
            )
        width = max((len(name) for name in result.tallies), default=0)
        for name, tally in result.tallies.items():
            self.stdout.write(
                f"  {name:<{width}}  {tally.created:>8,} created  {tally.updated:>8,} updated"
                f"  {tally.unchanged:>8,} unchanged"
            )
        for name, count in result.not_held.items():
            if count:
                self.stdout.write(f"  {name} not yet held, so not imported: {count:,}")
