"""Checks across rows, tables and what the database already holds.

Each check reports at the row to fix: the file, its line, the column and why. Every problem is
found before anything is written, because an import saves all of an extract or none of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from . import tables
from .enquiries import enquiry_clashes
from .existing import Existing, PlanFact
from .reading import Problem, TableSpec
from .validation import (
    Extract,
    InitialConferenceRecord,
    InvolvementRecord,
    PlanRecord,
    Record,
    ReviewRecord,
    VisitRecord,
)

MISSING_PERSON = '"{}" is not in ssd_person.csv, nor a child already in Convene'


def icpc_place(icpc_id: str) -> str:
    """The SSD id of a child's place at an initial conference (ConferenceChild.ssd_id)."""
    return f"icpc:{icpc_id}"


def review_place(review_id: str) -> str:
    return f"review:{review_id}"


class Lookup:
    """Answers about people and plans from the extract, falling back on the database."""

    def __init__(self, extract: Extract, existing: Existing) -> None:
        self.extract = extract
        self.existing = existing

    def knows_person(self, person_id: str) -> bool:
        return person_id in self.extract.persons or person_id in self.existing.children

    def birth(self, person_id: str) -> tuple[date | None, date | None]:
        """Date of birth and expected date of birth, as they will be after the import."""
        child = self.existing.children.get(person_id)
        born = child.date_of_birth if child else None
        expected = child.expected_date_of_birth if child else None
        if (record := self.extract.persons.get(person_id)) is not None:
            born = _date(record.values.get("date_of_birth", born))
            expected = _date(record.values.get("expected_date_of_birth", expected))
        return born, expected

    def surname(self, person_id: str) -> str:
        if (record := self.extract.persons.get(person_id)) is not None:
            return str(record.values.get("last_name", ""))
        child = self.existing.children.get(person_id)
        return child.last_name if child else ""

    def person_of(self, child_pk: int) -> str:
        """The SSD person id of the child a database record is about."""
        return self.existing.person_of(child_pk)

    def plan(self, plan_id: str) -> tuple[str, date | None] | None:
        """(person id, start) of a plan in the extract or the database; None if unknown."""
        if (record := self.extract.plans.get(plan_id)) is not None:
            return record.person_id, record.start
        if (plan := self.existing.plans_by_ssd.get(plan_id)) is not None:
            return self.person_of(plan.child_id), plan.start_date
        return None


@dataclass(frozen=True)
class Span:
    """A plan on a child's timeline: from the extract (with its line) or from the database."""

    start: date
    end: date | None
    line: int | None  # None: a plan already in Convene that this extract does not replace

    def describe(self) -> str:
        until = f"to {self.end:%Y-%m-%d}" if self.end else "still open"
        where = f"line {self.line}" if self.line is not None else "already in Convene"
        return f"the plan from {self.start:%Y-%m-%d} {until} ({where})"


class Checker:
    def __init__(
        self,
        extract: Extract,
        existing: Existing,
        problems: list[Problem],
        *,
        found: list[Problem] | None = None,
    ) -> None:
        """Reports into `found` (by default `problems`, the problems found reading rows)."""
        self.extract = extract
        self.existing = existing
        self.lookup = Lookup(extract, existing)
        self.problems = problems if found is None else found
        # Values already reported as unreadable, so as not to report them twice.
        self.unreadable = {(p.file, p.line, p.field) for p in problems}

    def run(self) -> None:
        self.persons()
        self.families()
        self.disabilities()
        self.simple_links()
        self.enquiries()
        self.enquiries_one_at_a_time()
        self.initial_conferences()
        self.plans()
        self.reviews()
        self.meetings()

    def report(self, spec: TableSpec, line: int, column: str, reason: str) -> None:
        self.problems.append(Problem(spec.filename, line, column, reason))

    def person(self, spec: TableSpec, record: Record, column: str) -> bool:
        """Whether the record's person is known; reports it if not."""
        if not record.person_id:
            return False
        if self.lookup.knows_person(record.person_id):
            return True
        self.report(spec, record.line, column, MISSING_PERSON.format(record.person_id))
        return False

    def same_person(
        self, spec: TableSpec, record: Record, column: str, other: str, what: str
    ) -> None:
        # A link to a record whose own person is unknown has been reported there already.
        known = self.lookup.knows_person(other)
        if record.person_id and other and other != record.person_id and known:
            self.report(spec, record.line, column, f'{what} is about person "{other}", not '
                        f'"{record.person_id}"')  # fmt: skip

    def persons(self) -> None:
        for person_id, record in self.extract.persons.items():
            born, expected = self.lookup.birth(person_id)
            unreadable = (tables.PERSON.filename, record.line, "pers_dob") in self.unreadable
            if born is None and expected is None and not unreadable:
                self.report(
                    tables.PERSON,
                    record.line,
                    "pers_dob",
                    "the child has neither a date of birth nor an expected date of birth "
                    "(pers_expected_dob)",
                )

    def families(self) -> None:
        family_of: dict[str, tuple[str, int]] = {}
        for record in self.extract.families:
            if not record.family_id or not self.person(tables.FAMILY, record, "fami_person_id"):
                continue
            first = family_of.setdefault(record.person_id, (record.family_id, record.line))
            if first[0] != record.family_id:
                self.report(
                    tables.FAMILY,
                    record.line,
                    "fami_family_id",
                    f'the child is also in family "{first[0]}" (line {first[1]}); a child '
                    "belongs to one household",
                )

    def disabilities(self) -> None:
        seen: dict[tuple[str, str], int] = {}
        for record in self.extract.disabilities:
            if not self.person(tables.DISABILITY, record, "disa_person_id") or not record.code:
                continue
            first = seen.setdefault((record.person_id, record.code), record.line)
            if first != record.line:
                self.report(
                    tables.DISABILITY,
                    record.line,
                    "disa_disability_code",
                    f"the child already has this code on line {first}",
                )

    def simple_links(self) -> None:
        for record in self.extract.episodes.values():
            self.person(tables.EPISODES, record, "cine_person_id")

    def involvement(self, involvement: InvolvementRecord) -> None:
        """Checks one row of ssd_involvements.csv (the file is checked as it is read: nothing
        links to an involvement, so its rows are never held)."""
        self.person(tables.INVOLVEMENTS, involvement, "invo_person_id")
        known = (
            involvement.professional_id in self.extract.professionals
            or involvement.professional_id in self.existing.professionals
        )
        if involvement.professional_id and not known:
            self.report(
                tables.INVOLVEMENTS,
                involvement.line,
                "invo_professional_id",
                f'"{involvement.professional_id}" is not in ssd_professionals.csv, nor a '
                "professional already in Convene",
            )

    def enquiries(self) -> None:
        for record in self.extract.enquiries.values():
            if (
                not self.person(tables.ENQUIRIES, record, "s47e_person_id")
                or not record.referral_id
            ):
                continue
            owner = self._episode_person(record.referral_id)
            if owner is None:
                self.report(
                    tables.ENQUIRIES,
                    record.line,
                    "s47e_referral_id",
                    f'"{record.referral_id}" is not in ssd_cin_episodes.csv, nor a referral '
                    "already in Convene",
                )
            else:
                self.same_person(
                    tables.ENQUIRIES, record, "s47e_referral_id", owner, "the referral"
                )

    def enquiries_one_at_a_time(self) -> None:
        for line, reason in enquiry_clashes(self.extract):
            self.report(tables.ENQUIRIES, line, "s47e_s47_start_date", reason)

    def _episode_person(self, referral_id: str) -> str | None:
        if (episode := self.extract.episodes.get(referral_id)) is not None:
            return episode.person_id
        if (child_pk := self.existing.episodes.get(referral_id)) is not None:
            return self.lookup.person_of(child_pk)
        return None

    def _enquiry_person(self, enquiry_id: str) -> str | None:
        if (enquiry := self.extract.enquiries.get(enquiry_id)) is not None:
            return enquiry.person_id
        if (child_pk := self.existing.enquiries.get(enquiry_id)) is not None:
            return self.lookup.person_of(child_pk)
        return None

    def initial_conferences(self) -> None:
        for record in self.extract.initial_conferences.values():
            if not self.person(tables.INITIAL_CONFERENCES, record, "icpc_person_id"):
                continue
            if record.enquiry_id:
                owner = self._enquiry_person(record.enquiry_id)
                if owner is None:
                    self.report(
                        tables.INITIAL_CONFERENCES,
                        record.line,
                        "icpc_s47_enquiry_id",
                        f'"{record.enquiry_id}" is not in ssd_s47_enquiry.csv, nor an enquiry '
                        "already in Convene",
                    )
                else:
                    self.same_person(
                        tables.INITIAL_CONFERENCES,
                        record,
                        "icpc_s47_enquiry_id",
                        owner,
                        "the enquiry",
                    )

    def plans(self) -> None:
        for record in self.extract.plans.values():
            if self.person(tables.PLANS, record, "cppl_person_id") and record.icpc_id:
                self._plan_conference(record, record.icpc_id)
        for spans in self._timelines().values():
            self._overlaps(spans)
        self._plan_starts_before_reviews()

    def _plan_conference(self, record: PlanRecord, icpc_id: str) -> None:
        icpc = self.extract.initial_conferences.get(icpc_id)
        if icpc is not None:
            if icpc.held_on is None:
                self.report(
                    tables.PLANS,
                    record.line,
                    "cppl_icpc_id",
                    f"the initial conference on line {icpc.line} of "
                    f"{tables.INITIAL_CONFERENCES.filename} has no date, so it has not been "
                    "held and cannot have started this plan",
                )
            self.same_person(tables.PLANS, record, "cppl_icpc_id", icpc.person_id, "the conference")
            return
        child_pk = self.existing.attendances.get(icpc_place(icpc_id))
        if child_pk is None:
            self.report(
                tables.PLANS,
                record.line,
                "cppl_icpc_id",
                f'"{icpc_id}" is not in {tables.INITIAL_CONFERENCES.filename}, nor an '
                "initial conference already in Convene",
            )
        else:
            owner = self.lookup.person_of(child_pk)
            self.same_person(tables.PLANS, record, "cppl_icpc_id", owner, "the conference")

    def _timelines(self) -> dict[str, list[Span]]:
        timelines: dict[str, list[Span]] = {}
        for record in self.extract.plans.values():
            if record.start is not None and self.lookup.knows_person(record.person_id):
                timelines.setdefault(record.person_id, []).append(
                    Span(record.start, record.end, record.line)
                )
        for plan in self._kept_plans():
            person_id = self.lookup.person_of(plan.child_id)
            if person_id in timelines:
                timelines[person_id].append(Span(plan.start_date, plan.end_date, None))
        return timelines

    def _kept_plans(self) -> Iterator[PlanFact]:
        """Plans in the database this extract does not replace (Convene's own, or older)."""
        for plan in self.existing.plans.values():
            if plan.ssd_plan_id not in self.extract.plans:
                yield plan

    def _overlaps(self, spans: list[Span]) -> None:
        # A plan may start on the day the previous one ends (a change of plan at a review).
        spans.sort(key=lambda span: (span.start, span.line or 0))
        latest: Span | None = None  # the earlier plan that runs latest
        for span in spans:
            if latest is not None and (latest.end is None or latest.end > span.start):
                self._overlap(span, latest)
            if latest is None or _runs_later(span, latest):
                latest = span

    def _overlap(self, later: Span, earlier: Span) -> None:
        at, other = (later, earlier) if later.line is not None else (earlier, later)
        if at.line is None:
            return  # both already in Convene: not this extract's doing
        if later.end is None and earlier.end is None:
            reason = f"a second open plan for this child: {other.describe()} is open too"
        else:
            reason = f"this plan overlaps {other.describe()}"
        self.report(tables.PLANS, at.line, "cppl_cp_plan_start_date", reason)

    def _plan_starts_before_reviews(self) -> None:
        # Reviews already in Convene that this extract does not replace must stay after the
        # start of their plan (DfE rule 8841; a database trigger refuses it too).
        held = {r.ssd_id for r in self.extract.reviews.values() if r.held_on is not None}
        starts = {
            plan.pk: record
            for plan in self.existing.plans.values()
            if plan.ssd_plan_id
            and (record := self.extract.plans.get(plan.ssd_plan_id)) is not None
            and record.start is not None
        }
        for (plan_pk, day), ssd_id in self.existing.review_days.items():
            record = starts.get(plan_pk)
            if record is None or ssd_id in held or record.start is None:
                continue
            if day <= record.start:
                self.report(
                    tables.PLANS,
                    record.line,
                    "cppl_cp_plan_start_date",
                    f"a review already in Convene, on {day:%Y-%m-%d}, is on or before this "
                    "start; a review must be after its plan starts",
                )

    def reviews(self) -> None:
        days: dict[tuple[str, date], str] = {}
        for plan_pk, day in self._kept_review_days():
            plan = self.existing.plans[plan_pk]
            days[(plan.ssd_plan_id or f"pk:{plan_pk}", day)] = "already in Convene"
        for record in self.extract.reviews.values():
            self.person(tables.REVIEWS, record, "cppr_person_id")
            found = self.lookup.plan(record.plan_id) if record.plan_id else None
            if found is None:
                if record.plan_id:
                    self.report(
                        tables.REVIEWS,
                        record.line,
                        "cppr_cp_plan_id",
                        f'"{record.plan_id}" is not in {tables.PLANS.filename}, nor a plan '
                        "already in Convene",
                    )
                continue
            owner, start = found
            self.same_person(tables.REVIEWS, record, "cppr_cp_plan_id", owner, "the plan")
            if record.held_on is None:
                continue  # not held yet: not imported, but its plan had to exist
            if start is not None and record.held_on <= start:
                self.report(
                    tables.REVIEWS,
                    record.line,
                    "cppr_cp_review_date",
                    f"the review on {record.held_on:%Y-%m-%d} is on or before its plan's start, "
                    f"{start:%Y-%m-%d}; a review must be after its plan starts",
                )
            first = days.setdefault((record.plan_id, record.held_on), f"line {record.line}")
            if first != f"line {record.line}":
                self.report(
                    tables.REVIEWS,
                    record.line,
                    "cppr_cp_review_date",
                    f"the plan already has a review on {record.held_on:%Y-%m-%d} ({first})",
                )

    def _kept_review_days(self) -> Iterator[tuple[int, date]]:
        held = {r.ssd_id for r in self.extract.reviews.values() if r.held_on is not None}
        for (plan_pk, day), ssd_id in self.existing.review_days.items():
            if ssd_id not in held:
                yield plan_pk, day

    def visit(self, record: VisitRecord) -> None:
        """Checks one row of ssd_cp_visits.csv (checked as it is read, like involvements)."""
        self.person(tables.VISITS, record, "cppv_person_id")
        if not record.plan_id:
            return
        plan = self.lookup.plan(record.plan_id)
        if plan is None:
            self.report(
                tables.VISITS,
                record.line,
                "cppv_cp_plan_id",
                f'"{record.plan_id}" is not in {tables.PLANS.filename}, nor a plan already '
                "in Convene",
            )
        else:
            self.same_person(tables.VISITS, record, "cppv_cp_plan_id", plan[0], "the plan")

    def meetings(self) -> None:
        """Children sharing a meeting id were at one conference: one day, each child once."""
        first_day: dict[str, tuple[date, str]] = {}
        seats: dict[tuple[str, str], str] = {}
        for spec, record, place, meeting_id, held_on in self._held_places():
            where = f"{spec.filename} line {record.line}"
            day, at = first_day.setdefault(meeting_id, (held_on, where))
            if day != held_on:
                column = (
                    "icpc_icpc_date"
                    if spec is tables.INITIAL_CONFERENCES
                    else "cppr_cp_review_date"
                )
                self.report(
                    spec,
                    record.line,
                    column,
                    f'meeting "{meeting_id}" was held on {day:%Y-%m-%d} ({at}), not on '
                    f"{held_on:%Y-%m-%d}",
                )
            person_column = (
                "icpc_person_id" if spec is tables.INITIAL_CONFERENCES else "cppr_person_id"
            )
            seat = seats.setdefault((meeting_id, record.person_id), where)
            if seat != where:
                self.report(
                    spec,
                    record.line,
                    person_column,
                    f'the child is already at meeting "{meeting_id}" ({seat})',
                )
            else:
                self._already_seated(spec, record, person_column, place, meeting_id)

    def _held_places(
        self,
    ) -> Iterator[tuple[TableSpec, InitialConferenceRecord | ReviewRecord, str, str, date]]:
        for icpc in self.extract.initial_conferences.values():
            if icpc.meeting_id and icpc.held_on is not None:
                yield (
                    tables.INITIAL_CONFERENCES,
                    icpc,
                    icpc_place(icpc.ssd_id),
                    icpc.meeting_id,
                    icpc.held_on,
                )
        for review in self.extract.reviews.values():
            if review.meeting_id and review.held_on is not None:
                yield (
                    tables.REVIEWS,
                    review,
                    review_place(review.ssd_id),
                    review.meeting_id,
                    review.held_on,
                )

    def _already_seated(
        self, spec: TableSpec, record: Record, column: str, place: str, meeting_id: str
    ) -> None:
        conference = self.existing.meetings.get(meeting_id)
        child = self.existing.children.get(record.person_id)
        if conference is None or child is None:
            return
        held_by = self.existing.places.get((conference, child.pk), place)
        moving = held_by is not None and self._in_extract(held_by)
        if held_by != place and not moving:
            self.report(
                spec,
                record.line,
                column,
                f'the child is already at meeting "{meeting_id}" in Convene',
            )

    def _in_extract(self, place: str) -> bool:
        kind, _, ssd_id = place.partition(":")
        if kind == "icpc":
            return ssd_id in self.extract.initial_conferences
        return ssd_id in self.extract.reviews


def _runs_later(span: Span, than: Span) -> bool:
    if than.end is None:
        return False
    return span.end is None or span.end > than.end


def _date(value: object) -> date | None:
    assert value is None or isinstance(value, date)
    return value
