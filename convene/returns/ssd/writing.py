"""Writing a checked extract: create what is new, update what changed, leave the rest alone.

Records are matched by their SSD ids, so importing the same extract twice changes nothing and
a newer extract updates in place. Nothing is ever deleted: a record missing from a newer extract
may simply be outside its date range. Everything goes in with bulk queries, in dependency order,
inside the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

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

from .checks import Lookup, icpc_place, review_place
from .existing import Existing
from .validation import Extract, InitialConferenceRecord, ReviewRecord

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
    def __init__(
        self,
        extract: Extract,
        existing: Existing,
        *,
        by: User | None,
        label: str,
        progress: Callable[[str], None],
    ) -> None:
        self.extract = extract
        self.existing = existing
        self.lookup = Lookup(extract, existing)
        self.by = by
        self.label = label
        self.say = progress
        self.tallies: dict[str, Tally] = {}
        self.touched: dict[int, Counter[str]] = {}  # child pk -> "plan created": count
        self.children: dict[str, Child] = dict(existing.children)

    def write(self) -> None:
        self.write_households_and_children()
        self.write_disabilities()
        episodes = self.write_episodes()
        enquiries = self.write_enquiries(episodes)
        places = self.write_conferences(enquiries)
        plans = self.write_plans_and_reviews(places)
        self.write_visits(plans)
        self.write_professionals_and_involvements()

    # --- The generic part ---------------------------------------------------------------

    def sync(
        self,
        model: type[M],
        existing: Mapping[str, M],
        wanted: Mapping[str, Values] | Iterable[tuple[str, Values]],
        make: Callable[[str, Values], M],
        child_of: Callable[[M], int | None] | None = None,
        *,
        keep: bool = True,
    ) -> dict[str, M]:
        """Create the wanted records that do not exist; update those whose values differ.

        Written BATCH at a time. With `keep`, every record is returned by key (for the records
        that link to them); without, each batch is dropped once written, and `wanted` may be a
        generator, so the biggest tables (visits, involvements) never sit in memory whole.
        """
        result: dict[str, M] = {}
        created: list[M] = []
        updated: list[M] = []
        fields: set[str] = set()
        seen = 0
        pairs = wanted.items() if isinstance(wanted, Mapping) else wanted
        totals = Tally()
        for key, values in pairs:
            seen += 1
            obj = existing.get(key)
            if obj is None:
                obj = make(key, values)
                created.append(obj)
            elif diff := changed_fields(obj, values):
                for name in diff:
                    setattr(obj, name, values[name])
                if isinstance(obj, Conference):
                    # A conference edited from a page opened before the import is then refused.
                    obj.version += 1
                    diff.append("version")
                updated.append(obj)
                fields.update(diff)
            if keep:
                result[key] = obj
            if len(created) >= BATCH or len(updated) >= BATCH:
                self.flush(model, created, updated, fields, child_of, totals)
                created, updated, fields = [], [], set()
        self.flush(model, created, updated, fields, child_of, totals)
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
    ) -> None:
        """Write one batch of `sync`, and count it."""
        model._default_manager.bulk_create(created, batch_size=BATCH)
        if updated:
            model._default_manager.bulk_update(updated, sorted(fields), batch_size=BATCH)
        self.count(model, created, updated, len(created) + len(updated), child_of, quiet=True)
        totals.created += len(created)
        totals.updated += len(updated)

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
        return self.children[person_id].pk

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
            self.existing.households,
            {family_id: {} for family_id in families},
            lambda key, _: Household(
                ssd_family_id=key, name=f"{families[key]} family" if families[key] else key
            ),
        )
        wanted: dict[str, Values] = {
            person_id: dict(record.values) for person_id, record in self.extract.persons.items()
        }
        for person_id, family_id in household_of.items():
            wanted.setdefault(person_id, {})["household_id"] = households[family_id].pk
        self.children.update(
            self.sync(
                Child,
                self.existing.children,
                wanted,
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

    def write_episodes(self) -> dict[str, Episode]:
        wanted = {
            ssd_id: {**record.values, "child_id": self.child_pk(record.person_id)}
            for ssd_id, record in self.extract.episodes.items()
        }
        written = self.sync(
            Episode,
            self.existing.episodes,
            wanted,
            lambda key, values: Episode(ssd_referral_id=key, **values),
        )
        return {**self.existing.episodes, **written}

    def write_enquiries(self, episodes: dict[str, Episode]) -> dict[str, Section47Enquiry]:
        wanted: dict[str, Values] = {}
        for ssd_id, record in self.extract.enquiries.items():
            values = {**record.values, "child_id": self.child_pk(record.person_id)}
            if record.referral_id is not None:
                episode = episodes.get(record.referral_id)
                values["episode_id"] = episode.pk if episode else None
            wanted[ssd_id] = values
        written = self.sync(
            Section47Enquiry,
            self.existing.enquiries,
            wanted,
            lambda key, values: Section47Enquiry(ssd_enquiry_id=key, **values),
        )
        return {**self.existing.enquiries, **written}

    # --- Conferences --------------------------------------------------------------------

    def write_conferences(
        self, enquiries: dict[str, Section47Enquiry]
    ) -> dict[str, ConferenceChild]:
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
            self.existing_conferences(groups),
            {key: self.conference_values(records) for key, records in groups.items()},
            lambda key, values: Conference(
                ssd_meeting_id=key.removeprefix("meeting:") if key.startswith("meeting:") else None,
                **values,
            ),
        )
        wanted: dict[str, Values] = {}
        for key, records in groups.items():
            for record in records:
                place, values = self.place_values(record, enquiries)
                wanted[place] = {**values, "conference_id": conferences[key].pk}
        written = self.sync(
            ConferenceChild,
            self.existing.attendances,
            wanted,
            lambda key, values: ConferenceChild(ssd_id=key, **values),
        )
        return {**self.existing.attendances, **written}

    def existing_conferences(self, groups: Iterable[str]) -> dict[str, Conference]:
        found: dict[str, Conference] = {}
        for key in groups:
            if key.startswith("meeting:"):
                conference = self.existing.meetings.get(key.removeprefix("meeting:"))
            else:
                place = self.existing.attendances.get(key)
                conference = self.existing.conferences.get(place.conference_id) if place else None
                if conference is not None and conference.ssd_meeting_id:
                    conference = None  # the row had a meeting id before: leave that meeting
            if conference is not None:
                found[key] = conference
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
        self,
        record: InitialConferenceRecord | ReviewRecord,
        enquiries: dict[str, Section47Enquiry],
    ) -> tuple[str, Values]:
        values: Values = {"child_id": self.child_pk(record.person_id)}
        if isinstance(record, InitialConferenceRecord):
            values["outcome"] = ChildOutcome.CP_PLAN if record.plan_decided else ""
            if record.enquiry_id is not None:
                enquiry = enquiries.get(record.enquiry_id)
                values["enquiry_id"] = enquiry.pk if enquiry else None
            return icpc_place(record.ssd_id), values
        outcome = {True: ChildOutcome.CONTINUE_PLAN, False: ChildOutcome.END_PLAN, None: ""}
        values["outcome"] = outcome[record.continues]
        return review_place(record.ssd_id), values

    # --- Plans, reviews and visits ------------------------------------------------------

    def write_plans_and_reviews(self, places: dict[str, ConferenceChild]) -> dict[str, Plan]:
        wanted: dict[str, Values] = {}
        for ssd_id, record in self.extract.plans.items():
            values = {**record.values, "child_id": self.child_pk(record.person_id)}
            if record.icpc_id is not None:
                place = places.get(icpc_place(record.icpc_id))
                values["started_by_id"] = place.conference_id if place else None
            wanted[ssd_id] = values
        existing = self.existing.plans_by_ssd
        changed = [k for k, v in wanted.items() if k in existing and changed_fields(existing[k], v)]
        self.tallies.setdefault(str(Plan._meta.verbose_name_plural), Tally())  # report order
        new = self.stage_plans(wanted, changed)
        plans = {**existing, **{plan.ssd_plan_id or "": plan for plan in new}}
        self.write_reviews(plans, places)
        # Only now can a start move later: the reviews it must precede are in place.
        updated = [existing[key] for key in changed]
        fields: set[str] = set()
        for plan in updated:
            fields.update(self.assign(plan, wanted[plan.ssd_plan_id or ""]))
        if fields:
            Plan.objects.bulk_update(updated, sorted(fields), batch_size=BATCH)
        self.count(Plan, new, updated, len(wanted))
        return plans

    @staticmethod
    def assign(plan: Plan, values: Values, names: Iterable[str] | None = None) -> list[str]:
        diff = changed_fields(plan, values)
        if names is not None:
            diff = [name for name in diff if name in names]
        for name in diff:
            setattr(plan, name, values[name])
        return diff

    def stage_plans(self, wanted: dict[str, Values], changed: list[str]) -> list[Plan]:
        """Move dates in an order the database accepts, then create the new plans.

        The database checks each row as it is written: one open plan per child, an end after
        the start, and (by trigger) every review after its plan's start. So starts that move
        earlier go first, then ends that are set, then plans reopened, then new plans; starts
        that move later wait until the reviews are written."""
        existing = self.existing.plans_by_ssd

        def apply(names: list[str], keys: Iterable[str]) -> None:
            plans = [existing[key] for key in keys]
            for plan in plans:
                self.assign(plan, wanted[key_of(plan)], names)
            if plans:
                Plan.objects.bulk_update(plans, names, batch_size=BATCH)

        def key_of(plan: Plan) -> str:
            return plan.ssd_plan_id or ""

        def final(key: str, name: str) -> date | None:
            value = wanted[key][name]
            assert value is None or isinstance(value, date)
            return value

        apply(
            ["start_date"],
            [k for k in changed if (final(k, "start_date") or date.max) < existing[k].start_date],
        )
        apply(["end_date"], [k for k in changed if final(k, "end_date") is not None])
        apply(["end_date", "child_id"], [k for k in changed if final(k, "end_date") is None])
        new = [Plan(ssd_plan_id=k, **values) for k, values in wanted.items() if k not in existing]
        Plan.objects.bulk_create(new, batch_size=BATCH)
        return new

    def write_reviews(self, plans: dict[str, Plan], places: dict[str, ConferenceChild]) -> None:
        children_of_plans = {plan.pk: plan.child_id for plan in plans.values()}

        def wanted() -> Iterator[tuple[str, Values]]:
            for ssd_id, record in self.extract.reviews.items():
                if record.held_on is None:
                    continue  # not held yet
                values = {**record.values, "plan_id": plans[record.plan_id].pk}
                values["attendance_id"] = places[review_place(ssd_id)].pk
                yield ssd_id, values

        self.sync(
            PlanReview,
            self.existing.reviews,
            wanted(),
            lambda key, values: PlanReview(ssd_review_id=key, **values),
            child_of=lambda review: children_of_plans.get(review.plan_id),
            keep=False,
        )

    def write_visits(self, plans: dict[str, Plan]) -> None:

        def wanted() -> Iterator[tuple[str, Values]]:
            for ssd_id, record in self.extract.visits.items():
                values = {**record.values, "child_id": self.child_pk(record.person_id)}
                if record.plan_id is not None:
                    plan = plans.get(record.plan_id)
                    values["plan_id"] = plan.pk if plan else None
                yield ssd_id, values

        self.sync(
            Visit,
            self.existing.visits,
            wanted(),
            lambda key, values: Visit(ssd_visit_id=key, **values),
            keep=False,
        )

    # --- Professionals ------------------------------------------------------------------

    def write_professionals_and_involvements(self) -> None:
        new = [p for p in self.extract.professionals if p not in self.existing.professionals]
        agency = self.existing.csc_agency
        if new and agency is None:
            agency, _ = Agency.objects.get_or_create(
                name=DEFAULT_AGENCY, defaults={"type": AgencyType.CHILDRENS_SOCIAL_CARE}
            )
        professionals = self.sync(
            Professional,
            self.existing.professionals,
            {ssd_id: record.values for ssd_id, record in self.extract.professionals.items()},
            # A professional's agency is set once: staff may correct it in Convene.
            lambda key, values: Professional(ssd_professional_id=key, agency=agency, **values),
        )
        professionals = {**self.existing.professionals, **professionals}
        wanted = (
            (
                ssd_id,
                {
                    **record.values,
                    "child_id": self.child_pk(record.person_id),
                    "professional_id": professionals[record.professional_id].pk,
                },
            )
            for ssd_id, record in self.extract.involvements.items()
        )
        self.sync(
            Involvement,
            self.existing.involvements,
            wanted,
            lambda key, values: Involvement(ssd_involvement_id=key, **values),
            keep=False,
        )

    # --- The audit trail ----------------------------------------------------------------

    def write_audit(self, summary: str) -> None:
        """One row for the import, and one on each child's trail saying what changed."""
        audit(by=Actor(self.by) if self.by else None, verb=AuditVerb.IMPORTED, reason=summary)
        by_pk = {child.pk: child for child in self.children.values()}
        events = [
            AuditEvent(
                actor=self.by,
                verb=AuditVerb.IMPORTED,
                object_type=Child._meta.label,
                object_id=str(child_pk),
                object_repr=str(by_pk[child_pk])[:300],
                child_id=child_pk,
                reason=f"Imported from the SSD extract {self.label}: "
                + "; ".join(f"{what} ({n})" if n > 1 else what for what, n in sorted(done.items())),
            )
            for child_pk, done in self.touched.items()
        ]
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
        self.say(f"  audit trail: {len(events):,} children's records noted")


def _child_id(obj: Model) -> int | None:
    """The child a record is about, for the child's audit trail."""
    if isinstance(obj, Child):
        return obj.pk
    child_id: int | None = getattr(obj, "child_id", None)
    return child_id
