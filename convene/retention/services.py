"""Changes the retention schedule makes: legal holds, the schedule itself, and the run that
removes or anonymises what is past its period. Each change is one transaction with its audit
row; the run works in bounded batches, each its own transaction with one audit row, and checks
again inside each batch that no child has since got an open plan, conference, enquiry or hold.

The audit trail is never touched (docs/decisions/0018, 0024): it is append-only and
hash-chained, and a row removed would break the chain that proves nothing else was."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction

from convene.access.enums import AuditVerb
from convene.conferences.models import Contribution
from convene.core.services import Actor, ServiceError, audit, row_updated, versioned_update
from convene.notifications.models import OutboundAttachment, OutboundMessage, SentMessage
from convene.people.models import Adult, Child, Household
from convene.register.models import RegisterEnquiry

from . import selectors
from .models import AnonymisedRecord, LegalHold, RetentionSchedule
from .selectors import REMOVED, Due

BATCH_SIZE = 200
SCHEDULE_FIELDS = (
    "case_record_until_age",
    "case_record_older_at_closure",
    "register_enquiry_months",
    "message_body_months",
    "contribution_months",
)


# The schedule and legal holds -----------------------------------------------------------


def retention_schedule_update(*, values: dict[str, int], version: int, by: Actor) -> None:
    if values["case_record_until_age"] < 18:
        raise ServiceError(
            "Keep a child's case record at least until they are 18", field="case_record_until_age"
        )
    with transaction.atomic():
        current = selectors.schedule()
        before = {name: getattr(current, name) for name in SCHEDULE_FIELDS}
        versioned_update(current, version=version, **{k: values[k] for k in SCHEDULE_FIELDS})
        changes = [
            f"{k} {before[k]} → {values[k]}" for k in SCHEDULE_FIELDS if before[k] != values[k]
        ]
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            reason="Retention schedule: " + ("; ".join(changes) or "no change"),
        )


def legal_hold_place(*, child: Child, reason: str, at: datetime, by: Actor) -> LegalHold:
    """Nothing about the child is removed or anonymised until the hold is lifted."""
    if not reason.strip():
        raise ServiceError("Enter why the records must be kept", field="reason")
    with transaction.atomic():
        if (
            LegalHold.objects.select_for_update()
            .filter(child=child, lifted_at__isnull=True)
            .exists()
        ):
            raise ServiceError("This child's records are already on hold", field="la_child_id")
        hold = LegalHold.objects.create(child=child, reason=reason, placed_by=by.user, placed_at=at)
        audit(by=by, verb=AuditVerb.LEGAL_HOLD_SET, obj=hold, about=child, reason=reason)
    return hold


def legal_hold_lift(*, hold: LegalHold, reason: str, at: datetime, by: Actor) -> LegalHold:
    if not reason.strip():
        raise ServiceError("Enter why the hold can be lifted", field="reason")
    with transaction.atomic():
        changed = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=at, lifted_by=by.user, lift_reason=reason
        )
        if not changed:
            raise ServiceError("This hold has already been lifted")
        hold.refresh_from_db()
        audit(by=by, verb=AuditVerb.LEGAL_HOLD_LIFTED, obj=hold, about=hold.child, reason=reason)
    return hold


# The run --------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One kind of record in a run: what was past its period, kept, and done."""

    title: str
    action: str  # "anonymised", "deleted", "words removed"
    due: int = 0
    kept: dict[int, list[str]] = field(default_factory=dict)
    done: list[int] = field(default_factory=list)
    batches: int = 0


@dataclass
class Report:
    today: date
    dry_run: bool
    outcomes: list[Outcome]
    audit_rows_kept: int = 0

    def lines(self) -> list[str]:
        mode = "Dry run: nothing was changed" if self.dry_run else "Retention run"
        lines = [f"{mode} for {self.today:%-d %B %Y}."]
        for o in self.outcomes:
            verb = f"would be {o.action}" if self.dry_run else o.action
            count = o.due - len(o.kept) if self.dry_run else len(o.done)
            lines.append(
                f"- {o.title}: {o.due} past their period; {count} {verb}"
                + (f" in {o.batches} batch(es)" if not self.dry_run else "")
                + f"; {len(o.kept)} kept."
            )
            for pk, why in sorted(o.kept.items()):
                lines.append(f"    kept: {pk} ({', '.join(why)})")
        lines.append(
            f"- Audit trail: never deleted by this run (append-only and hash-chained, decision "
            f"0018); {self.audit_rows_kept} row(s) on the trails of the children anonymised "
            "are kept as they are."
        )
        return lines


def _in_batches(
    ids: Sequence[int],
    size: int,
    apply: Callable[[list[int]], list[int]],
    describe: Callable[[list[int]], str],
    outcome: Outcome,
) -> None:
    for start in range(0, len(ids), size):
        with transaction.atomic():
            done = apply(list(ids[start : start + size]))
            if done:
                audit(by=None, verb=AuditVerb.RETENTION_APPLIED, reason=describe(done))
        outcome.done.extend(done)
        outcome.batches += 1


def _still_free(child_ids: set[int]) -> set[int]:
    """Inside the batch's transaction: the children nothing now stops us touching."""
    return child_ids - set(selectors.why_kept(child_ids))


def _anonymise_children(ids: list[int], today: date) -> list[int]:
    free = _still_free(set(ids))
    done: list[int] = []
    # Lock the children alone: "anonymised" is a reverse link, joined on its nullable side.
    children = Child.objects.filter(pk__in=free, anonymised__isnull=True)
    for child in children.select_for_update(of=("self",)):
        _anonymise_child(child, today)
        done.append(child.pk)
    return done


def _anonymise_child(child: Child, today: date) -> None:
    """Keep what the statistics need (sex, the year of birth, the history of plans and
    conferences) and remove what identifies the child and their family."""
    household = child.household
    adults = list(Adult.objects.filter(relationships__child=child).distinct())
    child.relationships.all().delete()
    child.disabilities.all().delete()
    for contribution in Contribution.objects.filter(child=child):
        contribution.file.delete(save=False)
        contribution.delete()
    born = child.date_of_birth
    assert born is not None
    Child.objects.filter(pk=child.pk).update(
        la_child_id=f"ANON-{child.pk}",
        first_name="",
        last_name=f"Anonymised record {child.pk}",
        date_of_birth=date(born.year, 1, 1),
        expected_date_of_birth=None,
        date_of_death=None,
        ethnicity="",
        nhs_number="",
        first_language="",
        communication_needs="",
        household=None,
        social_worker=None,
    )
    row_updated.send(Child, instance=child, fields=["date_of_birth"])
    AnonymisedRecord.objects.create(child=child, anonymised_on=today)
    for adult in adults:
        if not adult.relationships.exists():
            _anonymise_adult(adult)
    if household is not None and not household.children.exists():
        for adult in household.adults.filter(relationships__isnull=True):
            _anonymise_adult(adult)
        Household.objects.filter(pk=household.pk).update(
            name=f"Anonymised household {household.pk}", address="", postcode=""
        )


def _anonymise_adult(adult: Adult) -> None:
    Adult.objects.filter(pk=adult.pk).update(
        first_name="", last_name=f"Anonymised adult {adult.pk}", email="", phone=""
    )


def _delete_enquiries(ids: list[int]) -> list[int]:
    rows = list(RegisterEnquiry.objects.filter(pk__in=ids).values_list("pk", "child"))
    free = _still_free({child for _, child in rows if child is not None})
    done = [pk for pk, child in rows if child is None or child in free]
    RegisterEnquiry.objects.filter(pk__in=done).delete()
    return done


def _delete_contributions(ids: list[int]) -> list[int]:
    done = []
    for contribution in Contribution.objects.filter(pk__in=ids).select_related("conference"):
        children = {c.pk for c in contribution.conference.subject_children()}
        if contribution.child_id is not None:
            children.add(contribution.child_id)
        if _still_free(children) != children:
            continue
        pk = contribution.pk
        contribution.file.delete(save=False)
        contribution.delete()
        done.append(pk)
    return done


def _remove_outbox_words(ids: list[int]) -> list[int]:
    done = list(OutboundMessage.objects.filter(pk__in=ids).values_list("pk", flat=True))
    OutboundAttachment.objects.filter(message__in=done).delete()
    OutboundMessage.objects.filter(pk__in=done).update(body=REMOVED, subject=REMOVED, to=REMOVED)
    return done


def _remove_sent_words(ids: list[int]) -> list[int]:
    done = list(SentMessage.objects.filter(pk__in=ids).values_list("pk", flat=True))
    SentMessage.objects.filter(pk__in=done).update(body=REMOVED, subject=REMOVED, to=REMOVED)
    return done


def _delete_form_tokens(ids: list[int]) -> list[int]:
    from convene.core.models import SubmittedForm

    SubmittedForm.objects.filter(pk__in=ids).delete()
    return ids


def apply_retention(*, today: date, dry_run: bool, batch_size: int = BATCH_SIZE) -> Report:
    """Remove or anonymise everything past its period on `today`; with `dry_run`, only say
    what would be done. Children with an open plan, conference, enquiry or case, or a legal
    hold, are kept with all that is about them."""
    if batch_size < 1:
        raise ValueError("A batch holds at least one record")
    plan: RetentionSchedule = selectors.schedule()
    kinds: list[tuple[Outcome, Due, Callable[[list[int]], list[int]], str]] = [
        (
            Outcome("Child protection case records (children)", "anonymised"),
            selectors.case_records_due(today, plan),
            lambda ids: _anonymise_children(ids, today),
            "Anonymised the case records of children {ids} (past the child's "
            f"{plan.case_record_until_age}th birthday, or the next if "
            f"{plan.case_record_older_at_closure} or older when the case closed)",
        ),
        (
            Outcome("Enquiries about the list of children subject to a plan", "deleted"),
            selectors.register_enquiries_due(today, plan),
            _delete_enquiries,
            f"Deleted enquiries {{ids}} (older than {plan.register_enquiry_months} months)",
        ),
        (
            Outcome("Uploaded contributions", "deleted"),
            selectors.contributions_due(today, plan),
            _delete_contributions,
            f"Deleted contributions {{ids}} (older than {plan.contribution_months} months)",
        ),
        (
            Outcome("E-mails and letters in the outbox", "emptied of their words"),
            selectors.outbox_due(today, plan),
            _remove_outbox_words,
            f"Removed the words of outbox messages {{ids}} (older than "
            f"{plan.message_body_months} months)",
        ),
        (
            Outcome("E-mails kept by the development gateway", "emptied of their words"),
            selectors.sent_messages_due(today, plan),
            _remove_sent_words,
            f"Removed the words of sent messages {{ids}} (older than "
            f"{plan.message_body_months} months)",
        ),
        (
            Outcome("One-time form tokens", "deleted"),
            selectors.form_tokens_due(today),
            _delete_form_tokens,
            "Deleted one-time form tokens {ids} (older than a day)",
        ),
    ]
    report = Report(today=today, dry_run=dry_run, outcomes=[])
    for outcome, due, apply, words in kinds:
        outcome.due = len(due.ready) + len(due.kept)
        outcome.kept = due.kept
        report.outcomes.append(outcome)
        if dry_run:
            continue
        _in_batches(
            due.ready,
            batch_size,
            apply,
            lambda done, words=words: words.format(ids=", ".join(map(str, done))),  # type: ignore[misc]
            outcome,
        )
    children = kinds[0][1].ready if dry_run else report.outcomes[0].done
    report.audit_rows_kept = selectors.audit_rows_about(children)
    return report
