"""Importing an authority's Standard Safeguarding Dataset (SSD) extract.

    result = import_extract(Path("extract"), dry_run=False, by=None, progress=print)

All or nothing: every row is read and checked against the rest of the extract and the
database first; any problem means nothing is written and `result.problems` lists each one.
Otherwise the records are created or updated by their SSD ids in one transaction, with an
audit row for the import and one for each child whose records changed.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from time import perf_counter

from django.db import IntegrityError, connection, transaction

from convene.access.models import User
from convene.returns import deadline_store
from convene.returns.indicator_facts import indicator_facts_refresh

from .checks import Checker
from .existing import Existing, load_existing
from .reading import Problem, Row, TableSpec, read_table
from .tables import INVOLVEMENTS, TABLES, VISITS
from .validation import (
    Extract,
    read_extract,
    read_involvement,
    read_visit,
    report_duplicates,
    stream,
)
from .writing import Tally, Writer

__all__ = ["ImportResult", "Problem", "Tally", "import_extract"]

DATABASE = "the database"


@dataclass
class ImportResult:
    directory: Path
    dry_run: bool
    rows: dict[str, int] = field(default_factory=dict)  # rows read, by file
    problems: list[Problem] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)
    not_held: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """What was (or, in a dry run, would be) created and updated, in one paragraph."""
        parts = [
            f"{name} {t.created:,} created, {t.updated:,} updated, {t.unchanged:,} unchanged"
            for name, t in self.tallies.items()
        ]
        parts += [f"{name} not yet held (not imported) {n:,}" for name, n in self.not_held.items()]
        return f"SSD extract {self.directory.name}: " + "; ".join(parts)


def import_extract(
    directory: Path,
    *,
    dry_run: bool = False,
    by: User | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    say = progress or _quiet
    started = perf_counter()
    result = ImportResult(directory=directory, dry_run=dry_run)
    if not directory.is_dir():
        result.problems = [Problem(str(directory), None, "", "is not a folder")]
        return result
    problems: list[Problem] = []
    # Each row is read into its record as the file is read: the text of the extract is never
    # held whole. The tables others link to are held as small records (ids, links, dates);
    # visits and involvements are checked as they are read and not held at all; the writer
    # reads each file again.
    tables = {spec.name: _Table(directory, spec, problems, say) for spec in TABLES}
    say("Reading and checking every row")
    extract = read_extract(tables, problems)
    result.not_held = {
        "initial conferences": sum(
            1 for r in extract.initial_conferences.values() if r.held_on is None
        ),
        "reviews": sum(1 for r in extract.reviews.values() if r.held_on is None),
    }
    # What is held now lives until the import ends: the garbage collector need not keep
    # looking through it (a tenth of the import's time at 10,000 children).
    gc.freeze()
    try:
        with transaction.atomic():
            existing = load_existing()
            # Problems across tables are kept apart: a file that could not be read at all
            # would make every link to it look broken, so then only the file is reported.
            links: list[Problem] = []
            checker = Checker(extract, existing, problems, found=links)
            checker.run()
            _stream(directory, tables, problems, checker)
            result.rows = {spec.filename: tables[spec.name].count for spec in TABLES}
            if not any(result.rows.values()) and not problems:
                names = ", ".join(spec.filename for spec in TABLES[:3])
                problems.append(
                    Problem(
                        directory.name, None, "", f"has no SSD tables with rows (such as {names})"
                    )
                )
            if not any(problem.line in (None, 1) for problem in problems):
                problems.extend(links)
            if problems:
                result.problems = _in_file_order(problems)
                return result
            say("Writing" + (" (dry run: nothing will be saved)" if dry_run else ""))
            # Bulk writes send no signals: the open deadlines are rebuilt once, at the end.
            with deadline_store.paused():
                _write(extract, existing, result, by=by, say=say)
            # The one place where the import has written everything, in its transaction: work
            # that must commit with it (and be undone with it, as in a dry run) goes here.
            if dry_run:
                transaction.set_rollback(True)
            else:
                # Issue 16: what the pages and the indicators read, worked out once for all,
                # on fresh statistics: with none (a new database, autovacuum off or not yet
                # run) PostgreSQL plans these queries as if the tables were empty, and one
                # took minutes. ANALYZE sees this transaction's rows and commits with it.
                if connection.vendor == "postgresql":
                    say("Updating PostgreSQL's statistics (ANALYZE)")
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
                say("Working out the indicators' review standings and initial conference due dates")
                indicator_facts_refresh()
                say("Working out the open deadlines")
                deadline_store.rebuild()
    except IntegrityError as error:
        # A safety net: the checks above should leave the database nothing to refuse.
        result.tallies = {}
        result.problems = [Problem(DATABASE, None, "", f"refused the import: {error}")]
    finally:
        gc.unfreeze()
    result.seconds = perf_counter() - started
    return result


def _stream(
    directory: Path,
    tables: dict[str, _Table],
    problems: list[Problem],
    checker: Checker,
) -> None:
    """Reads and checks visits and involvements a row at a time, then their ids for repeats."""
    hashes = stream(tables[VISITS.name], problems, read_visit, checker.visit)
    again = partial(read_table, directory, VISITS, [])
    report_duplicates(VISITS, "cppv_cp_visit_id", hashes, again, problems)
    hashes = stream(tables[INVOLVEMENTS.name], problems, read_involvement, checker.involvement)
    again = partial(read_table, directory, INVOLVEMENTS, [])
    report_duplicates(INVOLVEMENTS, "invo_involvements_id", hashes, again, problems)


def _quiet(message: str) -> None:
    """Progress goes nowhere unless the caller asks for it."""


class _Table:
    """One table's rows, read once as they are iterated, counting them."""

    def __init__(
        self, directory: Path, spec: TableSpec, problems: list[Problem], say: Callable[[str], None]
    ) -> None:
        self.directory, self.spec, self.problems, self.say = directory, spec, problems, say
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        for row in read_table(self.directory, self.spec, self.problems, self.say):
            self.count += 1
            yield row
        self.say(f"Read {self.spec.filename}: {self.count:,} row{'' if self.count == 1 else 's'}")


def _write(
    extract: Extract,
    existing: Existing,
    result: ImportResult,
    *,
    by: User | None,
    say: Callable[[str], None],
) -> None:
    # The checks are done: the writer reads these tables again and needs none of their records,
    # nor these facts about the database.
    extract.episodes.clear()
    extract.enquiries.clear()
    extract.plans.clear()
    for facts in (
        existing.person_ids,
        existing.episodes,
        existing.enquiries,
        existing.meetings,
        existing.attendances,
        existing.places,
        existing.plans,
        existing.review_days,
    ):
        facts.clear()
    writer = Writer(
        extract,
        existing,
        by=by,
        label=result.directory.name,
        progress=say,
        rows=lambda spec: read_table(result.directory, spec, []),
    )
    writer.write()
    result.tallies = writer.tallies
    writer.write_audit(result.summary())


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    order = {spec.filename: n for n, spec in enumerate(TABLES)}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.line or 0))
