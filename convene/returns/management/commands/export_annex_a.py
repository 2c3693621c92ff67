"""Write Ofsted Annex A lists 5 and 7 as at a date to a workbook.

manage.py export_annex_a --as-of 2026-11-23 --output annex-a.xlsx
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from convene.core.replica import reads_from_replica
from convene.returns.annex_a import export_annex_a


def as_of_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--as-of {text!r}: write the date as year-month-day, for example 2026-11-23"
        ) from None


class Command(BaseCommand):
    help = "Write Ofsted Annex A lists 5 and 7 (child protection) as at a date, as a workbook."
    # Django's system checks (URLs, views, templates: 0.8 s of processor time, a sixth of the
    # export at 100,000 children) check the web service, which this command does not use;
    # `manage.py check` and every web and migrate command still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="the inspection date, e.g. 2026-11-23")
        parser.add_argument("--output", required=True, help="the .xlsx file to write")

    @reads_from_replica
    def handle(self, *args: Any, **options: Any) -> None:
        as_of = as_of_date(options["as_of"])
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError(f"--output {output}: the file name must end in .xlsx")
        if not output.parent.is_dir():
            raise CommandError(f"--output {output}: there is no folder {output.parent}")
        # Written a row at a time to a file beside the output, which replaces the output only
        # when complete: a failure never leaves half a workbook where the return should be.
        partial = output.with_name(output.name + ".partial")
        try:
            list_5, list_7 = export_annex_a(as_of, partial)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(
            f"Wrote {output}: List 5 has {list_5} section 47 "
            f"{'enquiry' if list_5 == 1 else 'enquiries'}, List 7 has {list_7} "
            f"{'child' if list_7 == 1 else 'children'}, as at {as_of:%-d %B %Y}."
        )
