"""Turning each row of an extract into a typed record, noting every value that cannot be read.

This module looks at one row at a time (formats, codes, dates in order, duplicate ids);
`checks.py` looks across rows, tables and the database.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TypeVar

from django.db import models

from convene.people.enums import DisabilityCode, Ethnicity, Sex, UPNUnknown
from convene.plans.enums import Category
from convene.referrals.enums import ClosureReason, PrimaryNeed, ReferralSource

from . import tables
from .reading import (
    BadValue,
    Problem,
    Row,
    TableSpec,
    parse_category,
    parse_code,
    parse_date,
    parse_flag,
)

C = TypeVar("C", bound=models.TextChoices)
T = TypeVar("T")
SSD_ID_LENGTH = 48  # the length of every ssd_*_id field
LA_CHILD_ID_LENGTH = 40


class Cells:
    """Typed values from one row; each value that cannot be read adds a problem at its line."""

    def __init__(self, row: Row, problems: list[Problem]) -> None:
        self.row = row
        self.problems = problems

    def problem(self, column: str, reason: str) -> None:
        self.problems.append(Problem(self.row.filename, self.row.line, column, reason))

    def id(self, column: str, *, needed: bool = True, max_length: int = SSD_ID_LENGTH) -> str:
        value = self.row.get(column)
        if needed and not value:
            self.problem(column, "the id is missing")
        elif len(value) > max_length:
            self.problem(column, f'"{value}" is longer than {max_length} characters')
        return value

    def ref(self, column: str, *, needed: bool = True, max_length: int = SSD_ID_LENGTH) -> str:
        """An id that links rows (a person, plan, meeting…): one string in memory for all the
        rows that name it."""
        return sys.intern(self.id(column, needed=needed, max_length=max_length))

    def link(self, column: str) -> str | None:
        """An optional link to another table: None when the file has no such column."""
        return self.ref(column, needed=False) if self.row.has(column) else None

    def text(self, column: str, max_length: int, *, needed: bool = False) -> str:
        value = self.row.get(column)
        if needed and not value:
            self.problem(column, "is empty")
        elif len(value) > max_length:
            self.problem(column, f"is longer than {max_length} characters")
            return value[:max_length]
        return value

    def date(self, column: str, *, needed: bool = False) -> dt.date | None:
        value = self._parse(column, parse_date)
        if needed and value is None and not self._bad(column):
            self.problem(column, "the date is missing")
        return value

    def flag(self, column: str) -> bool | None:
        return self._parse(column, parse_flag)

    def code(self, column: str, codes: type[C]) -> C | None:
        return self._parse(column, lambda text: parse_code(text, codes))

    def category(self, column: str, *, needed: bool = False) -> Category | None:
        value = self._parse(column, parse_category)
        if needed and value is None and not self._bad(column):
            self.problem(column, "the category is missing")
        return value

    def nhs_number(self, column: str) -> str:
        value = re.sub(r"[\s-]", "", self.row.get(column))
        if value and not re.fullmatch(r"\d{10}", value):
            self.problem(column, f'"{self.row.get(column)}" is not an NHS number (10 digits)')
            return ""
        return value

    def ends_after(
        self, end: dt.date | None, start: dt.date | None, column: str, what: str
    ) -> None:
        if end is not None and start is not None and end < start:
            self.problem(column, f"{what} {end:%Y-%m-%d} is before the start, {start:%Y-%m-%d}")

    def supplied(self, values: dict[str, tuple[str, object]]) -> dict[str, object]:
        """Model field values from the columns this file has, so that an optional column the
        file lacks leaves the field of an existing record alone."""
        return {name: value for name, (column, value) in values.items() if self.row.has(column)}

    def _parse(self, column: str, parse: Callable[[str], T | None]) -> T | None:
        try:
            return parse(self.row.get(column))
        except BadValue as error:
            self.problem(column, str(error))
            return None

    def _bad(self, column: str) -> bool:
        return bool(self.row.get(column))


# --- Records --------------------------------------------------------------------------------


@dataclass(slots=True)
class Record:
    """One row, read. `values` holds the model fields it sets (links are resolved on writing).
    Slotted: an extract holds one per row, millions at 100,000 children."""

    line: int
    ssd_id: str
    person_id: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class PersonRecord(Record):
    pass


@dataclass(slots=True)
class FamilyRecord(Record):
    family_id: str = ""


@dataclass(slots=True)
class DisabilityRecord(Record):
    code: DisabilityCode | None = None


@dataclass(slots=True)
class EpisodeRecord(Record):
    pass


@dataclass(slots=True)
class EnquiryRecord(Record):
    referral_id: str | None = None  # None: the file has no such column, so leave the link


@dataclass(slots=True)
class InitialConferenceRecord(Record):
    meeting_id: str = ""
    enquiry_id: str | None = None
    held_on: dt.date | None = None  # None: not held yet
    transfer_in: bool = False
    plan_decided: bool = False


@dataclass(slots=True)
class PlanRecord(Record):
    icpc_id: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(slots=True)
class ReviewRecord(Record):
    plan_id: str = ""
    meeting_id: str = ""
    held_on: dt.date | None = None  # None: not held yet
    continues: bool | None = None
    quorate: bool | None = None


@dataclass(slots=True)
class VisitRecord(Record):
    plan_id: str | None = None


@dataclass(slots=True)
class ProfessionalRecord(Record):
    pass


@dataclass(slots=True)
class InvolvementRecord(Record):
    professional_id: str = ""


R = TypeVar("R", bound=Record)


@dataclass
class Extract:
    """The records of an extract that other tables link to, by SSD id, in file order.

    Each holds only what the checks across tables need: its ids, links and dates as
    attributes, and in `values` only the fields named in `KEPT_VALUES`; the writer reads each
    file again for the rest. Visits and involvements, which nothing links to, are checked as
    they are read and never held (`stream`).
    """

    persons: dict[str, PersonRecord] = field(default_factory=dict)
    families: list[FamilyRecord] = field(default_factory=list)
    disabilities: list[DisabilityRecord] = field(default_factory=list)
    episodes: dict[str, EpisodeRecord] = field(default_factory=dict)
    enquiries: dict[str, EnquiryRecord] = field(default_factory=dict)
    initial_conferences: dict[str, InitialConferenceRecord] = field(default_factory=dict)
    plans: dict[str, PlanRecord] = field(default_factory=dict)
    reviews: dict[str, ReviewRecord] = field(default_factory=dict)
    visits: dict[str, VisitRecord] = field(default_factory=dict)
    professionals: dict[str, ProfessionalRecord] = field(default_factory=dict)


# The values the checks read from records they hold: a child's birth and surname (for the
# checks on dates of birth, pre-birth conferences and household names) and an enquiry's dates
# (DfE rule 8890). The rest of each record's values are dropped once its row is checked.
KEPT_VALUES = {
    tables.PERSON.name: ("date_of_birth", "expected_date_of_birth", "last_name"),
    tables.ENQUIRIES.name: ("strategy_discussion_date", "end_date", "conference_not_required"),
}


NO_VALUES: dict[str, object] = {}  # shared by every held record that keeps none: never changed


def _trimmed(record: R, table: str) -> R:
    kept = KEPT_VALUES.get(table, ())
    values = {name: record.values[name] for name in kept if name in record.values}
    record.values = values or NO_VALUES
    return record


def by_id(
    rows: Iterable[Row], problems: list[Problem], id_column: str, read: Callable[[Cells], R]
) -> dict[str, R]:
    """Records keyed by their SSD id; a second row with the same id is a problem."""
    records: dict[str, R] = {}
    for row in rows:
        cells = Cells(row, problems)
        record = _trimmed(read(cells), row.table)
        if not record.ssd_id:
            continue  # already reported as a missing id
        if (first := records.get(record.ssd_id)) is not None:
            cells.problem(id_column, f'"{record.ssd_id}" is a duplicate id (also on line '
                          f"{first.line})")  # fmt: skip
            continue
        records[record.ssd_id] = record
    return records


# --- One function per table -----------------------------------------------------------------


def read_person(c: Cells) -> PersonRecord:
    born = c.date("pers_dob")
    died = c.date("pers_death_date")
    c.ends_after(died, born, "pers_death_date", "the date of death")
    sex = c.code("pers_sex", Sex) or Sex.UNKNOWN  # empty means not known (DfE code U)
    values = c.supplied(
        {
            "first_name": ("pers_forename", c.text("pers_forename", 100)),
            "last_name": ("pers_surname", c.text("pers_surname", 100, needed=True)),
            "sex": ("pers_sex", sex),
            "date_of_birth": ("pers_dob", born),
            "expected_date_of_birth": ("pers_expected_dob", c.date("pers_expected_dob")),
            "date_of_death": ("pers_death_date", died),
            "ethnicity": ("pers_ethnicity", c.code("pers_ethnicity", Ethnicity) or ""),
            "nhs_number": ("pers_common_child_id", c.nhs_number("pers_common_child_id")),
            "upn_unknown": ("pers_upn_unknown", c.code("pers_upn_unknown", UPNUnknown) or ""),
        }
    )
    person_id = c.ref("pers_person_id", max_length=LA_CHILD_ID_LENGTH)
    return PersonRecord(c.row.line, person_id, person_id, values)


def read_family(c: Cells) -> FamilyRecord:
    return FamilyRecord(
        c.row.line,
        c.id("fami_table_id", needed=False),
        c.ref("fami_person_id"),
        family_id=c.ref("fami_family_id"),
    )


def read_disability(c: Cells) -> DisabilityRecord:
    code = c.code("disa_disability_code", DisabilityCode)
    if code is None and not c.row.get("disa_disability_code"):
        c.problem("disa_disability_code", "the code is missing")
    return DisabilityRecord(
        c.row.line, c.id("disa_table_id"), c.ref("disa_person_id"), {"code": code}, code=code
    )


def read_episode(c: Cells) -> EpisodeRecord:
    referred = c.date("cine_referral_date", needed=True)
    closed = c.date("cine_close_date")
    c.ends_after(closed, referred, "cine_close_date", "the close date")
    values = c.supplied(
        {
            "referral_date": ("cine_referral_date", referred),
            "closure_date": ("cine_close_date", closed),
            "primary_need": (
                "cine_cin_primary_need_code",
                c.code("cine_cin_primary_need_code", PrimaryNeed) or "",
            ),
            "referral_source": (
                "cine_referral_source_code",
                c.code("cine_referral_source_code", ReferralSource) or "",
            ),
            # The model holds yes or no; an empty flag is taken as "not closed at referral".
            "referral_nfa": ("cine_referral_nfa", c.flag("cine_referral_nfa") or False),
            "closure_reason": (
                "cine_close_reason",
                c.code("cine_close_reason", ClosureReason) or "",
            ),
            "team": ("cine_referral_team", c.text("cine_referral_team", 200)),
            "worker": ("cine_referral_worker_id", c.text("cine_referral_worker_id", 200)),
        }
    )
    return EpisodeRecord(c.row.line, c.id("cine_referral_id"), c.ref("cine_person_id"), values)


def read_enquiry(c: Cells) -> EnquiryRecord:
    started = c.date("s47e_s47_start_date", needed=True)
    ended = c.date("s47e_s47_end_date")
    c.ends_after(ended, started, "s47e_s47_end_date", "the end date")
    values = c.supplied(
        {
            "strategy_discussion_date": ("s47e_s47_start_date", started),
            "end_date": ("s47e_s47_end_date", ended),
            "conference_not_required": ("s47e_s47_nfa", c.flag("s47e_s47_nfa") or False),
            "worker": (
                "s47e_s47_completed_by_worker_id",
                c.text("s47e_s47_completed_by_worker_id", 200),
            ),
            "team": ("s47e_s47_completed_by_team", c.text("s47e_s47_completed_by_team", 200)),
        }
    )
    return EnquiryRecord(
        c.row.line,
        c.id("s47e_s47_enquiry_id"),
        c.ref("s47e_person_id"),
        values,
        referral_id=c.link("s47e_referral_id"),
    )


def read_initial_conference(c: Cells) -> InitialConferenceRecord:
    # icpc_icpc_target_date is never read: Convene computes targets from its own calendar.
    return InitialConferenceRecord(
        c.row.line,
        c.id("icpc_icpc_id"),
        c.ref("icpc_person_id"),
        meeting_id=c.ref("icpc_icpc_meeting_id", needed=False),
        enquiry_id=c.link("icpc_s47_enquiry_id"),
        held_on=c.date("icpc_icpc_date"),
        transfer_in=c.flag("icpc_icpc_transfer_in") or False,
        plan_decided=c.flag("icpc_icpc_outcome_cp_flag") or False,
    )


def read_plan(c: Cells) -> PlanRecord:
    start = c.date("cppl_cp_plan_start_date", needed=True)
    end = c.date("cppl_cp_plan_end_date")
    if end is not None and start is not None and end <= start:
        # DfE rule 8840; the database refuses it too.
        when = "on the day it starts" if end == start else f"before it starts ({start:%Y-%m-%d})"
        c.problem("cppl_cp_plan_end_date", f"the plan ends {when}")
    initial = c.category("cppl_cp_plan_initial_category", needed=True)
    # An empty latest category means it never changed.
    latest = c.category("cppl_cp_plan_latest_category") or initial
    values = c.supplied(
        {
            "start_date": ("cppl_cp_plan_start_date", start),
            "end_date": ("cppl_cp_plan_end_date", end),
            "initial_category": ("cppl_cp_plan_initial_category", initial),
            "latest_category": ("cppl_cp_plan_latest_category", latest),
            "other_authority": ("cppl_cp_plan_ola", c.flag("cppl_cp_plan_ola") or False),
        }
    )
    return PlanRecord(
        c.row.line,
        c.id("cppl_cp_plan_id"),
        c.ref("cppl_person_id"),
        values,
        icpc_id=c.link("cppl_icpc_id"),
        start=start,
        end=end,
    )


def read_review(c: Cells) -> ReviewRecord:
    continues = c.flag("cppr_cp_review_outcome_continue_cp")
    quorate = c.flag("cppr_cp_review_quorate")
    held_on = c.date("cppr_cp_review_date")
    values = c.supplied(
        {
            "date": ("cppr_cp_review_date", held_on),
            "plan_continues": ("cppr_cp_review_outcome_continue_cp", continues),
            "quorate": ("cppr_cp_review_quorate", quorate),
            "participation": (
                "cppr_cp_review_participation",
                c.text("cppr_cp_review_participation", 10),
            ),
        }
    )
    return ReviewRecord(
        c.row.line,
        c.id("cppr_cp_review_id"),
        c.ref("cppr_person_id"),
        values,
        plan_id=c.ref("cppr_cp_plan_id"),
        meeting_id=c.ref("cppr_cp_review_meeting_id", needed=False),
        held_on=held_on,
        continues=continues,
        quorate=quorate,
    )


def read_visit(c: Cells) -> VisitRecord:
    values = c.supplied(
        {
            "date": ("cppv_cp_visit_date", c.date("cppv_cp_visit_date", needed=True)),
            "seen": ("cppv_cp_visit_seen", c.flag("cppv_cp_visit_seen")),
            "seen_alone": ("cppv_cp_visit_seen_alone", c.flag("cppv_cp_visit_seen_alone")),
            "bedroom_seen": ("cppv_cp_visit_bedroom", c.flag("cppv_cp_visit_bedroom")),
        }
    )
    return VisitRecord(
        c.row.line,
        c.id("cppv_cp_visit_id"),
        c.ref("cppv_person_id"),
        values,
        plan_id=c.link("cppv_cp_plan_id"),
    )


def read_professional(c: Cells) -> ProfessionalRecord:
    values = c.supplied(
        {
            "name": ("prof_professional_name", c.text("prof_professional_name", 200, needed=True)),
            "job_title": (
                "prof_professional_job_title",
                c.text("prof_professional_job_title", 200),
            ),
            "department": (
                "prof_professional_department",
                c.text("prof_professional_department", 200),
            ),
            "registration_number": (
                "prof_social_worker_registration_no",
                c.text("prof_social_worker_registration_no", 40),
            ),
        }
    )
    return ProfessionalRecord(c.row.line, c.id("prof_professional_id"), "", values)


def read_involvement(c: Cells) -> InvolvementRecord:
    started = c.date("invo_involvement_start_date", needed=True)
    ended = c.date("invo_involvement_end_date")
    c.ends_after(ended, started, "invo_involvement_end_date", "the end date")
    values = c.supplied(
        {
            "started": ("invo_involvement_start_date", started),
            "ended": ("invo_involvement_end_date", ended),
            "role": ("invo_professional_role_id", c.text("invo_professional_role_id", 200)),
            "team": ("invo_professional_team", c.text("invo_professional_team", 200)),
        }
    )
    return InvolvementRecord(
        c.row.line,
        c.id("invo_involvements_id"),
        c.ref("invo_person_id"),
        values,
        professional_id=c.ref("invo_professional_id"),
    )


def read_extract(rows: Mapping[str, Iterable[Row]], problems: list[Problem]) -> Extract:
    """The rows of the tables others link to as records (all but visits and involvements);
    problems found one row at a time go into `problems`."""
    families = [
        _trimmed(read_family(Cells(row, problems)), row.table) for row in rows[tables.FAMILY.name]
    ]
    disabilities = [
        _trimmed(read_disability(Cells(row, problems)), row.table)
        for row in rows[tables.DISABILITY.name]
    ]
    _duplicates(families, problems, tables.FAMILY.filename, "fami_table_id")
    _duplicates(disabilities, problems, tables.DISABILITY.filename, "disa_table_id")
    return Extract(
        persons=by_id(rows[tables.PERSON.name], problems, "pers_person_id", read_person),
        families=families,
        disabilities=disabilities,
        episodes=by_id(rows[tables.EPISODES.name], problems, "cine_referral_id", read_episode),
        enquiries=by_id(rows[tables.ENQUIRIES.name], problems, "s47e_s47_enquiry_id", read_enquiry),
        initial_conferences=by_id(
            rows[tables.INITIAL_CONFERENCES.name], problems, "icpc_icpc_id", read_initial_conference
        ),
        plans=by_id(rows[tables.PLANS.name], problems, "cppl_cp_plan_id", read_plan),
        reviews=by_id(rows[tables.REVIEWS.name], problems, "cppr_cp_review_id", read_review),
        professionals=by_id(
            rows[tables.PROFESSIONALS.name], problems, "prof_professional_id", read_professional
        ),
    )


def stream(
    rows: Iterable[Row],
    problems: list[Problem],
    read: Callable[[Cells], R],
    check: Callable[[R], None],
) -> array[int]:
    """Reads each row of a table nothing links to (visits, involvements) into its record,
    hands it to `check` and lets it go. Returns the hashes of its ids (8 bytes a row) for
    `report_duplicates`."""
    hashes = array("q")
    for row in rows:
        record = read(Cells(row, problems))
        if record.ssd_id:
            hashes.append(hash(record.ssd_id))
            check(record)
    return hashes


def report_duplicates(
    spec: TableSpec,
    id_column: str,
    hashes: array[int],
    rows: Callable[[], Iterable[Row]],
    problems: list[Problem],
) -> None:
    """Reports ids used twice in a table read by `stream`. Only ids whose hashes repeat are
    looked for when the file is read again (`rows`), so nothing is held per row but the
    hashes."""
    ordered = sorted(hashes)
    repeated = {a for a, b in pairwise(ordered) if a == b}
    del ordered
    if not repeated:
        return
    first: dict[str, int] = {}
    for row in rows():
        ssd_id = row.get(id_column)
        if not ssd_id or hash(ssd_id) not in repeated:
            continue
        if (line := first.setdefault(ssd_id, row.line)) != row.line:
            problems.append(
                Problem(
                    spec.filename,
                    row.line,
                    id_column,
                    f'"{ssd_id}" is a duplicate id (also on line {line})',
                )
            )


def _duplicates(
    records: Iterable[Record], problems: list[Problem], filename: str, id_column: str
) -> None:
    # These tables' ids match nothing in Convene, but a repeated id still means a bad extract.
    seen: dict[str, int] = {}
    for record in records:
        if not record.ssd_id:
            continue
        if record.ssd_id in seen:
            problems.append(
                Problem(
                    filename,
                    record.line,
                    id_column,
                    f'"{record.ssd_id}" is a duplicate id (also on line {seen[record.ssd_id]})',
                )
            )
        else:
            seen[record.ssd_id] = record.line
