"""Reading an SSD extract's CSV files and normalising what real extracts contain.

Extracts come from Liquidlogic, Mosaic, Eclipse and SystemC through SQL Server or Excel, so the
same fact arrives spelt many ways: a UTF-8 byte order mark, Windows line endings, padded
values, `NULL` for empty, three date formats, six flag spellings and several names for each
category of abuse. Everything here turns those into one value or says exactly why it cannot.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TypeVar

from django.db import models

from convene.plans.enums import Category


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an extract, pointing at the file, line and field to fix."""

    file: str
    line: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        return f"{where}, {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass(frozen=True)
class TableSpec:
    """The columns Convene reads from one SSD table. A file without a required column is
    refused; an optional column that is absent leaves the matching field as it is."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


@dataclass
class Row:
    """One data row: its line in the file and its values by column (trimmed, lower-case
    column names). `columns` is the set of columns the file has."""

    table: str
    line: int
    values: dict[str, str]
    columns: frozenset[str]

    @property
    def filename(self) -> str:
        return f"{self.table}.csv"

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def has(self, column: str) -> bool:
        return column in self.columns


# SQL Server exports write NULL for an empty value; names are exempt, as Null is a surname.
NULL = "NULL"
NAME_COLUMNS = frozenset({"pers_forename", "pers_surname", "prof_professional_name"})
PROGRESS_EVERY = 50_000


def read_table(
    directory: Path,
    spec: TableSpec,
    problems: list[Problem],
    progress: Callable[[str], None] | None = None,
) -> Iterator[Row]:
    """The rows of one table, one at a time as the file is read (so an extract is never held
    whole as text); an absent file is a table with no rows. A file that cannot be read stops
    with a problem saying so."""
    path = _find_file(directory, spec.filename)
    if path is None:
        return
    try:
        yield from _rows(path, spec, problems, progress)
    except UnicodeDecodeError:
        problems.append(
            Problem(spec.filename, None, "", "is not UTF-8 text: save it as CSV UTF-8 and retry")
        )
    except csv.Error as error:
        problems.append(Problem(spec.filename, None, "", f"is not a readable CSV file ({error})"))


def _find_file(directory: Path, filename: str) -> Path | None:
    # Extracts made on Windows may have upper-case names (SSD_PERSON.CSV).
    for path in directory.iterdir():
        if path.is_file() and path.name.lower() == filename:
            return path
    return None


def _rows(
    path: Path,
    spec: TableSpec,
    problems: list[Problem],
    progress: Callable[[str], None] | None,
) -> Iterator[Row]:
    # utf-8-sig drops a byte order mark; newline="" lets csv handle CRLF and quoted newlines.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        names = [name.strip().lower() for name in header]
        columns = frozenset(names)
        missing = [column for column in spec.required if column not in columns]
        for column in missing:
            problems.append(Problem(spec.filename, 1, column, "this required column is missing"))
        if missing:
            return
        wanted = [(i, n) for i, n in enumerate(names) if n in spec.required or n in spec.optional]
        for count, cells in enumerate(reader, start=1):
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(f"  {spec.filename}: {count:,} rows read")
            if not "".join(cells).strip():
                continue  # blank lines, often at the end of an export
            if len(cells) != len(names):
                problems.append(
                    Problem(
                        spec.filename,
                        reader.line_num,
                        "",
                        f"has {len(cells)} values but the header has {len(names)} columns "
                        "(is a comma inside an unquoted value?)",
                    )
                )
                continue
            values: dict[str, str] = {}
            for i, name in wanted:  # run for every cell of an extract: kept plain
                value = cells[i].strip()
                values[name] = "" if value == NULL and name not in NAME_COLUMNS else value
            yield Row(spec.name, reader.line_num, values, columns)


# --- Normalising values -------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
DATE_FORMATS = "YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or DD/MM/YYYY"


C = TypeVar("C", bound=models.TextChoices)


class BadValue(ValueError):
    """A value that cannot be read; the message says why, in words for the person fixing it."""


def parse_date(text: str) -> date | None:
    """A date from ISO, ISO date-time or UK day/month/year; None when empty."""
    if not text:
        return None
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise BadValue(f'"{text}" is not a date: write it as {DATE_FORMATS}')
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(f'"{text}" is not a real date') from None


_TRUE = frozenset({"y", "yes", "1", "true"})
_FALSE = frozenset({"n", "no", "0", "false"})


def parse_flag(text: str) -> bool | None:
    """Y/N, 1/0, true/false (any case); None when empty."""
    if not text:
        return None
    folded = text.lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise BadValue(f'"{text}" is not a flag: write Y or N')


def _squash(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


# Spellings seen in extracts, squashed to letters only: "Physical abuse" -> "physicalabuse".
_CATEGORY_SPELLINGS: dict[str, Category] = {}
for _category, _spellings in {
    Category.NEGLECT: ("neg", "neglect"),
    Category.PHYSICAL: ("phy", "physical", "physicalabuse"),
    Category.EMOTIONAL: ("emo", "emotional", "emotionalabuse"),
    Category.SEXUAL: ("sab", "sexual", "sexualabuse"),
    Category.MULTIPLE: ("mul", "multiple", "multiplecategories", "multiplecategory"),
}.items():
    for _spelling in _spellings:
        _CATEGORY_SPELLINGS[_spelling] = _category


def parse_category(text: str) -> Category | None:
    """A category of abuse from its code or name in any case; None when empty."""
    if not text:
        return None
    try:
        return _CATEGORY_SPELLINGS[_squash(text)]
    except KeyError:
        raise BadValue(
            f'"{text}" is not a category of abuse: write NEG, PHY, EMO, SAB or MUL'
        ) from None


def parse_code(text: str, codes: type[C]) -> C | None:
    """A DfE code in any case, or its full name; None when empty."""
    if not text:
        return None
    if (code := _code_spellings(codes).get(text.casefold())) is not None:
        return code
    known = ", ".join(str(code.value) for code in codes if code.value)
    raise BadValue(f'"{text}" is not a known code (the codes are {known})')


@cache
def _code_spellings(codes: type[C]) -> dict[str, C]:
    """Each code by its value and its name, folded (the first code wins a clash, as when they
    were compared one by one): a code is read for most rows of an extract."""
    spellings: dict[str, C] = {}
    for code in codes:
        spellings.setdefault(str(code.value).casefold(), code)
        spellings.setdefault(str(code.label).casefold(), code)
    return spellings
