"""Print the national child protection indicators for a reporting year.

    manage.py kpis --year 2025-26               # for people
    manage.py kpis --year 2025-26 --format json # one JSON object, for other programs

Definitions: shared/standards/kpis.md and `convene.returns.indicators`. A year that is over is
counted at its reference date, 31 March; the year still running is counted as at today. The
numbers are counted by aggregate queries (`convene.returns.indicator_queries`, decision 0029),
as the performance page counts them; `test_indicator_queries.py` holds them equal to the
Python reference.
"""

from __future__ import annotations

import enum
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from convene.core.clock import today
from convene.core.replica import reads_from_replica
from convene.returns.indicator_queries import Figures, Tally, Total, figures_for_years
from convene.returns.indicators import WORDING, Indicator, ReportingYear


class OutputFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


def _fraction(fraction: Tally, things: str) -> str:
    if fraction.percent is None:
        return f"none to count (no {things})"
    return f"{fraction.percent}% ({fraction.numerator:,} of {fraction.denominator:,} {things})"


def as_text(result: Figures) -> str:
    year = result.year
    when = "at" if result.complete else "so far, as at"
    lines = [
        f"Child protection indicators for {year} (1 April {year.start.year} to "
        f"31 March {year.end.year}), {when} {result.on:%-d %B %Y}",
        "",
    ]
    for indicator in Indicator:
        value, wording = result.get(indicator), WORDING[indicator]
        if isinstance(value, Tally):
            lines.append(f"{wording.title}: {_fraction(value, wording.things)}")
        elif isinstance(value, Total):
            rate = value.per_10000
            extra = "" if rate is None else f" ({rate} per 10,000 children)"
            lines.append(f"{wording.title} on {result.on:%-d %B %Y}: {value.count:,}{extra}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the national child protection indicators for a reporting year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", help="the reporting year, for example 2025-26 (default: the current one)"
        )
        parser.add_argument(
            "--format",
            choices=[f.value for f in OutputFormat],
            default=OutputFormat.TEXT.value,
            help="text for people (default) or json for other programs",
        )

    @reads_from_replica
    def handle(self, *args: Any, **options: Any) -> None:
        # A command is an entry point like a view: it reads the clock once and passes it on.
        on = today()
        year = self._year(options["year"], on)
        (result,) = figures_for_years([year], today=on)
        if OutputFormat(options["format"]) is OutputFormat.JSON:
            self.stdout.write(json.dumps(result.as_json(), indent=2))
        else:
            self.stdout.write(as_text(result))

    def _year(self, text: str | None, on: date) -> ReportingYear:
        if text is None:
            return ReportingYear.containing(on)
        try:
            year = ReportingYear.parse(text)
        except ValueError:
            raise CommandError(
                f"{text!r} is not a reporting year. Write the year as 2025-26."
            ) from None
        if year.start > on:
            raise CommandError(f"The {year} reporting year has not started yet.")
        return year
