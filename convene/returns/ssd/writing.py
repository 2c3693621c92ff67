"""Writing a checked extract: create what is new, update what changed, leave the rest alone.

Records are matched by their SSD ids, so importing the same extract twice changes nothing and
a newer extract updates in place. Nothing is ever deleted: a record missing from a newer extract
may simply be outside its date range. Everything goes in with bulk queries (new rows by COPY on
PostgreSQL), a table at a time in dependency order, inside the caller's transaction; each file
is read again for its values, and only SSD id -> primary key maps are kept between tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from itertools import islice
from typing import TypeVar

from django.db import connection
from django.db.models import Model

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent, User
from convene.conferences.enums import ChildOutcome, ConferenceStatus, ConferenceType
from convene.conferences.models import Conference, ConferenceChild
from convene.core.services import Actor, audit
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Disability, Household, Involvement, Professional
from convene.plans.models import Plan, PlanReview, Visit
from convene.referrals.models import Episode, Section47Enquiry

from . import tables
from .checks import Lookup, icpc_place, review_place
from .existing import Existing, PlanFact
from .reading import Problem, Row, TableSpec
from .validation import (
    Cells,
    Extract,
    InitialConferenceRecord,
    PlanRecord,
    R,
    ReviewRecord,
    read_enquiry,
    read_episode,
    read_involvement,
    read_person,
    read_plan,
    read_professional,
    read_review,
    read_visit,
)

M = TypeVar("M", bound=Model)
BATCH = 1000
# The agency professionals from an extract belong to when Convene has no social care agency.
DEFAULT_AGENCY = "Children's social care"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


Values = dict[str, object]


def changed_fields(obj: Model, values: Values) -> list[str]:
    return [name for name, value in values.items() if getattr(obj, name) != value]


def meeting_key(meeting_id: str, place: str) -> str:
    """Children sharing a meeting id share a conference; a row without one is its own."""
    return f"meeting:{meeting_id}" if meeting_id else place


class Writer:
    """Writes a checked extract table by table, reading each file again as it goes.

    Only ids are kept between tables (SSD id -> primary key, a few ints each); the records a
    batch updates are found a batch at a time, so memory does not grow with the database.
    """

    def __init__(
        self,
        extract: Extract,
        existing: Existing,
        *,
        by: User | None,
        label: str,
        progress: Callable[[str], None],
        rows: Callable[[TableSpec], Iterable[Row]],
    ) -> None:
        self.extract = extract
        self.existing = existing
        self.lookup = Lookup(extract, existing)
        self.by = by
        self.label = label
        self.say = progress
        self.rows = rows
        self.tallies: dict[str, Tally] = {}
        self.touched: dict[int, Counter[str]] = {}  # child pk -> "plan created": count
        self.children: dict[str, int] = {key: child.pk for key, child in existing.children.items()}

    def write(self) -> None:
        self.write_households_and_children()
        self.write_disabilities()
        episodes = self.write_episodes()
        enquiries = self.write_enquiries(episodes)
        del episodes
        places = self.write_conferences(enquiries)
        del enquiries
        plans = self.write_plans_and_reviews(places)
        del places
        self.write_visits(plans)
        del plans
        self.write_professionals_and_involvements()

    def records(self, spec: TableSpec, read: Callable[[Cells], R]) -> Iterator[R]:
        """The table's records read again from its file (it was checked: nothing is wrong)."""
        ignored: list[Problem] = []
        for row in self.rows(spec):
            yield read(Cells(row, ignored))

    # --- The generic part ---------------------------------------------------------------

    def sync(
        self,
        model: type[M],
        key_field: str,
        wanted: Iterable[tuple[str, Values]],
        make: Callable[[str, Values], M],
        *,
        find: Callable[[list[str]], dict[str, M]] | None = None,
        child_of: Callable[[M], int | None] | None = None,
        keep: bool = True,
        plain: bool = False,
    ) -> dict[str, int]:
        """Create the wanted records that do not exist; update those whose values differ.

        Taken BATCH at a time: the batch's existing records are found by `key_field` (or by
        `find`), and the batch is written and dropped. With `keep`, the primary key of every
        wanted record is returned by key, for the records that link to them.
        """
        result: dict[str, int] = {}
        seen = 0
        totals = Tally()
        # With `plain` (`make` sets only the key besides `values`, and nothing links to the
        # records), new records go in by COPY from their values, with no model objects.
        fast = plain and not keep and find is None and connection.vendor == "postgresql"
        # Into a table with no imported records (a first import), nothing can match.
        first = (
            find is None
            and not model._default_manager.filter(**{f"{key_field}__isnull": False}).exists()
        )
        for batch in batches(wanted, BATCH):
            keys = [key for key, _ in batch]
            if find is not None:
                existing = find(keys)
            elif first:
                existing = {}
            else:
                existing = {
                    getattr(obj, key_field): obj
                    for obj in model._default_manager.filter(**{f"{key_field}__in": keys})
                }
            created: list[M] = []
            updated: list[M] = []
            fields: set[str] = set()
            objs: list[tuple[str, M]] = []
            rows: list[tuple[str, Values]] = []  # new records going straight in by COPY
            for key, values in batch:
                seen += 1
                obj = existing.get(key)
                if obj is None and fast:
                    rows.append((key, values))
                    continue
                if obj is None:
                    obj = make(key, values)
                    created.append(obj)
                elif diff := changed_fields(obj, values):
                    for name in diff:
                        setattr(obj, name, values[name])
                    if isinstance(obj, Conference):
                        # A conference edited from a page opened before the import is then
                        # refused.
                        obj.version += 1
                        diff.append("version")
                    updated.append(obj)
                    fields.update(diff)
                objs.append((key, obj))
            if rows:
                self.copy_new(model, key_field, rows, make, child_of, totals)
            copy = key_field if find is None and connection.vendor == "postgresql" else None
            self.flush(model, created, updated, fields, child_of, totals, copy=copy, keep=keep)
            if keep:
                result.update((key, obj.pk) for key, obj in objs)
        self.tally(model).unchanged += seen - totals.created - totals.updated
        self.say(
            f"  {model._meta.verbose_name_plural}: {totals.created:,} created, "
            f"{totals.updated:,} updated"
        )
        return result

    def flush(
        self,
        model: type[M],
        created: list[M],
        updated: list[M],
        fields: set[str],
        child_of: Callable[[M], int | None] | None,
        totals: Tally,
        *,
        copy: str | None = None,
        keep: bool = True,
    ) -> None:
        """Write one batch of `sync`, and count it. With `copy` (the key field, on PostgreSQL)
        new records go in by COPY, several times faster than INSERT, and with `keep` their
        primary keys are read back by key."""
        if copy is not None and created:
            copy_rows(model, created)
            if keep:
                pks = dict(
                    model._default_manager.filter(
                        **{f"{copy}__in": [getattr(obj, copy) for obj in created]}
                    ).values_list(copy, "pk")
                )
                for obj in created:
                    obj.pk = pks[getattr(obj, copy)]
        else:
            model._default_manager.bulk_create(created, batch_size=BATCH)
        if updated:
            model._default_manager.bulk_update(updated, sorted(fields), batch_size=BATCH)
        self.count(model, created, updated, len(created) + len(updated), child_of, quiet=True)
        totals.created += len(created)
        totals.updated += len(updated)

    def copy_new(
        self,
        model: type[M],
        key_field: str,
        rows: list[tuple[str, Values]],
        make: Callable[[str, Values], M],
        child_of: Callable[[M], int | None] | None,
        totals: Tally,
    ) -> None:
        """Insert new records from their values by COPY (PostgreSQL), and count them."""
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        defaults = {f.attname: f.get_default() for f in fields}
        copy_values(model, ({**defaults, **values, key_field: key} for key, values in rows))
        what = f"{model._meta.verbose_name} created"
        for key, values in rows:
            child = values.get("child_id")
            if child is None and child_of is not None:
                child = child_of(make(key, values))
            if isinstance(child, int):
                self.touched.setdefault(child, Counter())[what] += 1
        self.tally(model).created += len(rows)
        totals.created += len(rows)

    def tally(self, model: type[Model]) -> Tally:
        return self.tallies.setdefault(str(model._meta.verbose_name_plural), Tally())

    def count(
        self,
        model: type[Model],
        created: list[M],
        updated: list[M],
        wanted: int,
        child_of: Callable[[M], int | None] | None = None,
        *,
        quiet: bool = False,
    ) -> None:
        name = str(model._meta.verbose_name_plural)
        tally = self.tallies.setdefault(name, Tally())
        tally.created += len(created)
        tally.updated += len(updated)
        tally.unchanged += wanted - len(created) - len(updated)
        noun = str(model._meta.verbose_name)
        for action, objs in (("created", created), ("updated", updated)):
            for obj in objs:
                child_id = child_of(obj) if child_of else _child_id(obj)
                if child_id is not None:
                    self.touched.setdefault(child_id, Counter())[f"{noun} {action}"] += 1
        if not quiet:
            self.say(f"  {name}: {len(created):,} created, {len(updated):,} updated")

    def child_pk(self, person_id: str) -> int:
        return self.children[person_id]

    # --- People -------------------------------------------------------------------------

    def write_households_and_children(self) -> None:
        families: dict[str, str] = {}  # family id -> surname of its first child
        household_of: dict[str, str] = {}  # person id -> family id
        for record in self.extract.families:
            families.setdefault(record.family_id, self.lookup.surname(record.person_id))
            household_of.setdefault(record.person_id, record.family_id)
        # Only a new household is named: staff may rename one, and the extract has no name.
        households = self.sync(
            Household,
            "ssd_family_id",
            ((family_id, {}) for family_id in families),
            lambda key, _: Household(
                ssd_family_id=key, name=f"{families[key]} family" if families[key] else key
            ),
        )

        def wanted() -> Iterator[tuple[str, Values]]:
            for record in self.records(tables.PERSON, read_person):
                values = dict(record.values)
                if (family_id := household_of.get(record.person_id)) is not None:
                    values["household_id"] = households[family_id]
                yield record.person_id, values
            # Children already in Convene that the family file puts in a household.
            for person_id, family_id in household_of.items():
                if person_id not in self.extract.persons:
                    yield person_id, {"household_id": households[family_id]}

        self.children.update(
            self.sync(
                Child,
                "la_child_id",
                wanted(),
                lambda key, values: Child(la_child_id=key, **values),
            )
        )

    def write_disabilities(self) -> None:
        wanted = {
            (self.child_pk(record.person_id), str(record.code))
            for record in self.extract.disabilities
        }
        new = [
            Disability(child_id=child_id, code=code)
            for child_id, code in sorted(wanted - self.existing.disabilities)
        ]
        Disability.objects.bulk_create(new, batch_size=BATCH)
        self.count(Disability, new, [], len(wanted))

    # --- Episodes and enquiries ---------------------------------------------------------

    def write_episodes(self) -> dict[str, int]:
        wanted = (
            (record.ssd_id, {**record.values, "child_id": self.child_pk(record.person_id)})
            for record in self.records(tables.EPISODES, read_episode)
        )
        written = self.sync(
            Episode,
            "ssd_referral_id",
            wanted,
            lambda key, values: Episode(ssd_referral_id=key, **values),
        )
        return written

    def write_enquiries(self, episodes: dict[str, int]) -> dict[str, int]:
        def wanted() -> Iterator[tuple[str, Values]]:
            for record in self.records(tables.ENQUIRIES, read_enquiry):
                values = {**record.values, "child_id": self.child_pk(record.person_id)}
                if record.referral_id is not None:
                    values["episode_id"] = self.link(episodes, Episode, "ssd_referral_id",
                                                     record.referral_id)  # fmt: skip
                yield record.ssd_id, values

        return self.sync(
            Section47Enquiry,
            "ssd_enquiry_id",
            wanted(),
            lambda key, values: Section47Enquiry(ssd_enquiry_id=key, **values),
        )

    @staticmethod
    def link(written: dict[str, int], model: type[Model], key_field: str, key: str) -> int | None:
        """The primary key of a linked record: written by this import, or already in Convene
        (a query, but only for a link to a record the extract does not have), or None."""
        if not key:
            return None
        if (pk := written.get(key)) is not None:
            return pk
        found: int | None = (
            model._default_manager.filter(**{key_field: key}).values_list("pk", flat=True).first()
        )
        return found

    # --- Conferences --------------------------------------------------------------------

    def write_conferences(self, enquiries: dict[str, int]) -> Places:
        """Conferences held (initial and review), and each child's place at them."""
        groups: dict[str, list[InitialConferenceRecord | ReviewRecord]] = {}
        for icpc in self.extract.initial_conferences.values():
            if icpc.held_on is not None:
                key = meeting_key(icpc.meeting_id, icpc_place(icpc.ssd_id))
                groups.setdefault(key, []).append(icpc)
        for review in self.extract.reviews.values():
            if review.held_on is not None:
                key = meeting_key(review.meeting_id, review_place(review.ssd_id))
                groups.setdefault(key, []).append(review)
        conferences = self.sync(
            Conference,
            "ssd_meeting_id",
            ((key, self.conference_values(records)) for key, records in groups.items()),
            lambda key, values: Conference(
                ssd_meeting_id=key.removeprefix("meeting:") if key.startswith("meeting:") else None,
                **values,
            ),
            find=self.existing_conferences,
        )
        places = Places()

        def wanted() -> Iterator[tuple[str, Values]]:
            for key, records in groups.items():
                for record in records:
                    place, values = self.place_values(record, enquiries)
                    if isinstance(record, InitialConferenceRecord):
                        places.conferences[place] = conferences[key]
                    yield place, {**values, "conference_id": conferences[key]}

        places.pks = self.sync(
            ConferenceChild,
            "ssd_id",
            wanted(),
            lambda key, values: ConferenceChild(ssd_id=key, **values),
        )
        return places

    @staticmethod
    def existing_conferences(keys: list[str]) -> dict[str, Conference]:
        """Conferences an earlier import made for these groups: by meeting id, or through the
        place of a row that had none."""
        meetings = [key.removeprefix("meeting:") for key in keys if key.startswith("meeting:")]
        found = {
            f"meeting:{conference.ssd_meeting_id}": conference
            for conference in Conference.objects.filter(ssd_meeting_id__in=meetings)
        }
        alone = [key for key in keys if not key.startswith("meeting:")]
        for place in ConferenceChild.objects.filter(ssd_id__in=alone).select_related("conference"):
            if not place.conference.ssd_meeting_id:  # else the row had a meeting id before:
                found[place.ssd_id or ""] = place.conference  # leave that meeting alone
        return found

    def conference_values(self, records: list[InitialConferenceRecord | ReviewRecord]) -> Values:
        held_on = records[0].held_on
        assert held_on is not None  # only held conferences are grouped
        initial = [r for r in records if isinstance(r, InitialConferenceRecord)]
        reviews = [r for r in records if isinstance(r, ReviewRecord)]
        values: Values = {"date": held_on, "status": ConferenceStatus.HELD}
        if initial:
            values["type"] = self.initial_type(initial, held_on)
        else:
            values["type"] = ConferenceType.REVIEW
            values["quorate"] = next((r.quorate for r in reviews if r.quorate is not None), None)
        return values

    def initial_type(self, records: list[InitialConferenceRecord], held_on: date) -> str:
        if any(record.transfer_in for record in records):
            return ConferenceType.TRANSFER_IN
        # A pre-birth conference is about a child not yet born on the day.
        unborn = all(
            (born := self.lookup.birth(record.person_id)[0]) is None or born > held_on
            for record in records
        )
        return ConferenceType.PRE_BIRTH if unborn else ConferenceType.INITIAL

    def place_values(
        self, record: InitialConferenceRecord | ReviewRecord, enquiries: dict[str, int]
    ) -> tuple[str, Values]:
        values: Values = {"child_id": self.child_pk(record.person_id)}
        if isinstance(record, InitialConferenceRecord):
            values["outcome"] = ChildOutcome.CP_PLAN if record.plan_decided else ""
            if record.enquiry_id is not None:
                values["enquiry_id"] = self.link(
                    enquiries, Section47Enquiry, "ssd_enquiry_id", record.enquiry_id
                )
            return icpc_place(record.ssd_id), values
        outcome = {True: ChildOutcome.CONTINUE_PLAN, False: ChildOutcome.END_PLAN, None: ""}
        values["outcome"] = outcome[record.continues]
        return review_place(record.ssd_id), values

    # --- Plans, reviews and visits ------------------------------------------------------

    def plan_values(self, record: PlanRecord, places: Places) -> Values:
        values = {**record.values, "child_id": self.child_pk(record.person_id)}
        if record.icpc_id is not None:
            values["started_by_id"] = (
                places.conference_of(icpc_place(record.icpc_id)) if record.icpc_id else None
            )
        return values

    def write_plans_and_reviews(self, places: Places) -> dict[str, PlanFact]:
        """Plans, then their reviews, in an order the database's checks accept (see
        `stage_plans`). Returns every plan with an SSD id, for the visits."""
        self.tally(Plan)  # report order
        existing = self.existing.plans_by_ssd
        # Only the plans that change are held, with their new values, until the reviews are in.
        changed: list[tuple[Plan, Values]] = []
        total = 0
        for batch in batches(self.records(tables.PLANS, read_plan), BATCH):
            total += len(batch)
            found = Plan.objects.in_bulk(
                [existing[r.ssd_id].pk for r in batch if r.ssd_id in existing]
            )
            for record in batch:
                if record.ssd_id in existing:
                    plan = found[existing[record.ssd_id].pk]
                    values = self.plan_values(record, places)
                    if changed_fields(plan, values):
                        changed.append((plan, values))
        created = self.stage_plans(changed, places)
        plans = dict(existing)
        plans.update(created)
        self.write_reviews(plans, places)
        # Only now can a start move later: the reviews it must precede are in place.
        fields: set[str] = set()
        for plan, values in changed:
            fields.update(self.assign(plan, values))
        updated = [plan for plan, _ in changed]
        if fields:
            Plan.objects.bulk_update(updated, sorted(fields), batch_size=BATCH)
        self.count(Plan, [], updated, total - len(created), quiet=True)
        self.say(f"  plans: {len(created):,} created, {len(updated):,} updated")
        return plans

    @staticmethod
    def assign(plan: Plan, values: Values, names: Iterable[str] | None = None) -> list[str]:
        diff = changed_fields(plan, values)
        if names is not None:
            diff = [name for name in diff if name in names]
        for name in diff:
            setattr(plan, name, values[name])
        return diff

    def stage_plans(
        self, changed: list[tuple[Plan, Values]], places: Places
    ) -> dict[str, PlanFact]:
        """Move dates in an order the database accepts, then create the new plans.

        The database checks each row as it is written: one open plan per child, an end after
        the start, and (by trigger) every review after its plan's start. So starts that move
        earlier go first, then ends that are set, then plans reopened, then new plans; starts
        that move later wait until the reviews are written."""

        def apply(names: list[str], which: list[tuple[Plan, Values]]) -> None:
            for plan, values in which:
                self.assign(plan, values, names)
            if which:
                Plan.objects.bulk_update([plan for plan, _ in which], names, batch_size=BATCH)

        def final(values: Values, name: str) -> date | None:
            value = values[name]
            assert value is None or isinstance(value, date)
            return value

        apply(
            ["start_date"],
            [(p, v) for p, v in changed if (final(v, "start_date") or date.max) < p.start_date],
        )
        apply(["end_date"], [(p, v) for p, v in changed if final(v, "end_date") is not None])
        reopened = [(p, v) for p, v in changed if final(v, "end_date") is None]
        apply(["end_date", "child_id"], reopened)
        created: dict[str, PlanFact] = {}
        new = (
            (record.ssd_id, self.plan_values(record, places))
            for record in self.records(tables.PLANS, read_plan)
            if record.ssd_id not in self.existing.plans_by_ssd
        )
        for batch in batches(new, BATCH):
            plans = [Plan(ssd_plan_id=key, **values) for key, values in batch]
            Plan.objects.bulk_create(plans, batch_size=BATCH)
            self.count(Plan, plans, [], len(plans), quiet=True)
            for plan in plans:
                key = plan.ssd_plan_id or ""
                created[key] = PlanFact(plan.pk, key, plan.child_id, plan.start_date, None)
        return created

    def write_reviews(self, plans: dict[str, PlanFact], places: Places) -> None:
        children_of_plans = {plan.pk: plan.child_id for plan in plans.values()}

        def wanted() -> Iterator[tuple[str, Values]]:
            for record in self.records(tables.REVIEWS, read_review):
                if record.held_on is None:
                    continue  # not held yet
                values = {**record.values, "plan_id": plans[record.plan_id].pk}
                values["attendance_id"] = places.pks[review_place(record.ssd_id)]
                yield record.ssd_id, values

        self.sync(
            PlanReview,
            "ssd_review_id",
            wanted(),
            lambda key, values: PlanReview(ssd_review_id=key, **values),
            child_of=lambda review: children_of_plans.get(review.plan_id),
            keep=False,
            plain=True,
        )

    def write_visits(self, plans: dict[str, PlanFact]) -> None:
        def wanted() -> Iterator[tuple[str, Values]]:
            for record in self.records(tables.VISITS, read_visit):
                values = {**record.values, "child_id": self.child_pk(record.person_id)}
                if record.plan_id is not None:
                    plan = plans.get(record.plan_id)
                    values["plan_id"] = plan.pk if plan else None
                yield record.ssd_id, values

        self.sync(
            Visit,
            "ssd_visit_id",
            wanted(),
            lambda key, values: Visit(ssd_visit_id=key, **values),
            keep=False,
            plain=True,
        )

    # --- Professionals ------------------------------------------------------------------

    def write_professionals_and_involvements(self) -> None:
        new = [p for p in self.extract.professionals if p not in self.existing.professionals]
        agency = self.existing.csc_agency
        if new and agency is None:
            agency = Agency.objects.get_or_create(
                name=DEFAULT_AGENCY, defaults={"type": AgencyType.CHILDRENS_SOCIAL_CARE}
            )[0].pk

        def make_professional(key: str, values: Values) -> Professional:
            assert agency is not None  # found or created above when any is new
            # A professional's agency is set once: staff may correct it in Convene.
            return Professional(ssd_professional_id=key, agency_id=agency, **values)

        self.sync(
            Professional,
            "ssd_professional_id",
            (
                (record.ssd_id, record.values)
                for record in self.records(tables.PROFESSIONALS, read_professional)
            ),
            make_professional,
            keep=False,
        )
        professionals = dict(
            Professional.objects.filter(ssd_professional_id__isnull=False).values_list(
                "ssd_professional_id", "pk"
            )
        )
        wanted = (
            (
                record.ssd_id,
                {
                    **record.values,
                    "child_id": self.child_pk(record.person_id),
                    "professional_id": professionals[record.professional_id],
                },
            )
            for record in self.records(tables.INVOLVEMENTS, read_involvement)
        )
        self.sync(
            Involvement,
            "ssd_involvement_id",
            wanted,
            lambda key, values: Involvement(ssd_involvement_id=key, **values),
            keep=False,
            plain=True,
        )

    # --- The audit trail ----------------------------------------------------------------

    def write_audit(self, summary: str) -> None:
        """One row for the import, and one on each child's trail saying what changed."""
        audit(by=Actor(self.by) if self.by else None, verb=AuditVerb.IMPORTED, reason=summary)
        written = 0
        for batch in batches(self.touched.items(), BATCH):
            children = Child.objects.in_bulk([child_pk for child_pk, _ in batch])
            events = [
                AuditEvent(
                    actor=self.by,
                    verb=AuditVerb.IMPORTED,
                    object_type=Child._meta.label,
                    object_id=str(child_pk),
                    object_repr=str(children[child_pk])[:300],
                    child_id=child_pk,
                    reason=f"Imported from the SSD extract {self.label}: "
                    + "; ".join(
                        f"{what} ({n})" if n > 1 else what for what, n in sorted(done.items())
                    ),
                )
                for child_pk, done in batch
            ]
            AuditEvent.objects.bulk_create(events, batch_size=BATCH)
            written += len(events)
        self.say(f"  audit trail: {written:,} children's records noted")


@dataclass
class Places:
    """Children's places at the conferences written: primary keys by place SSD id, and the
    conference of each initial conference place (a plan's `started_by`)."""

    pks: dict[str, int] = field(default_factory=dict)
    conferences: dict[str, int] = field(default_factory=dict)

    def conference_of(self, place: str) -> int | None:
        if (conference := self.conferences.get(place)) is not None:
            return conference
        # An initial conference an earlier import brought in.
        found: int | None = (
            ConferenceChild.objects.filter(ssd_id=place)
            .values_list("conference_id", flat=True)
            .first()
        )
        return found


def copy_values(model: type[Model], rows: Iterable[Values]) -> None:
    """Insert new records from their field values (by attribute name, every field but the
    primary key) with PostgreSQL's COPY; constraints and row triggers apply as for INSERT."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as out:
            for values in rows:
                out.write_row([v.value if isinstance(v := values[n], Enum) else v for n in names])


def copy_rows(model: type[Model], objs: list[M]) -> None:
    """Insert new records with PostgreSQL's COPY (as `copy_values`); the objects' primary keys
    are not set."""
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    copy_values(model, ({name: getattr(obj, name) for name in names} for obj in objs))


T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _child_id(obj: Model) -> int | None:
    """The child a record is about, for the child's audit trail."""
    if isinstance(obj, Child):
        return obj.pk
    child_id: int | None = getattr(obj, "child_id", None)
    return child_id
