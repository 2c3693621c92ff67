"""Write the DfE children in need census for a reporting year.

manage.py export_cin_census --year 2025-26 --output cin-2025-26.xml [--lea 123]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from convene.core.replica import reads_from_replica
from convene.returns.census import census_year, check_la_code, write_cin_census


class Command(BaseCommand):
    help = (
        "Write the DfE children in need census (CIN) for a reporting year, 1 April to "
        "31 March, as XML."
    )
    # Django's system checks (URLs, views, templates: 0.8 s of processor time, a sixth of the
    # export at 100,000 children) check the web service, which this command does not use;
    # `manage.py check` and every web and migrate command still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="the reporting year, e.g. 2025-26")
        parser.add_argument("--output", required=True, help="the .xml file to write")
        parser.add_argument(
            "--lea",
            help="the 3-digit local authority code (default: the AUTHORITY_LA_CODE setting)",
        )
        parser.add_argument(
            "--serial-no", type=int, default=1, help="the return's serial number (default 1)"
        )

    @reads_from_replica
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = census_year(options["year"])
        except ValueError as error:
            raise CommandError(f"--year: {error}") from None
        lea = options["lea"] or settings.AUTHORITY_LA_CODE
        source = "--lea" if options["lea"] else "AUTHORITY_LA_CODE"
        try:
            check_la_code(lea)
        except ValueError as error:
            raise CommandError(f"{source}: {error}") from None
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output {output}: there is no folder {output.parent}")
        # Written a child at a time to a file beside the output, which replaces the output
        # only when complete: a failure never leaves half a census where the return should be.
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("wb") as out:
                export = write_cin_census(
                    out,
                    year=year,
                    la_code=lea,
                    generated_at=timezone.localtime(),
                    serial_no=options["serial_no"],
                )
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        for warning in export.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(
            f"Wrote {output}: the {year.label} census for authority {lea}, with "
            f"{export.children} children, {export.episodes} children in need episodes, "
            f"{export.section47} section 47 enquiries and {export.plans} child protection plans."
        )
