"""What the retention run would touch, and what stops it: the reads, written once for the
command, its dry run and the retention page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from convene.conferences.enums import ConferenceStatus
from convene.conferences.models import ConferenceChild, Contribution
from convene.notifications.enums import OutboundStatus
from convene.notifications.models import OutboundMessage, SentMessage
from convene.people.models import Child
from convene.plans.models import ChildInNeedPlan, Plan
from convene.referrals.models import Episode, Section47Enquiry
from convene.register.models import RegisterEnquiry

from . import rules
from .models import LegalHold, RetentionSchedule

REMOVED = "[Removed under the retention schedule]"
OPEN_CONFERENCE = (ConferenceStatus.TO_ARRANGE, ConferenceStatus.SCHEDULED)


def schedule() -> RetentionSchedule:
    found, _ = RetentionSchedule.objects.get_or_create(singleton=True)
    return found


def open_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True).select_related("child", "placed_by")


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def why_kept(child_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each of these children that must not be touched, why: an open plan, an open
    conference, an open enquiry or case, or a legal hold. Children not in the answer may be."""
    ids = list(child_ids)
    reasons: dict[int, list[str]] = defaultdict(list)
    checks: list[tuple[str, Iterable[int]]] = [
        (
            "a legal hold",
            LegalHold.objects.filter(child__in=ids, lifted_at__isnull=True).values_list(
                "child", flat=True
            ),
        ),
        (
            "an open child protection plan",
            Plan.objects.filter(child__in=ids, end_date__isnull=True).values_list(
                "child", flat=True
            ),
        ),
        (
            "an open child in need plan",
            ChildInNeedPlan.objects.filter(child__in=ids, end_date__isnull=True).values_list(
                "child", flat=True
            ),
        ),
        (
            "an open conference",
            ConferenceChild.objects.filter(
                child__in=ids, conference__status__in=OPEN_CONFERENCE
            ).values_list("child", flat=True),
        ),
        (
            "an open section 47 enquiry",
            Section47Enquiry.objects.filter(child__in=ids, end_date__isnull=True).values_list(
                "child", flat=True
            ),
        ),
        (
            "an open children in need case",
            Episode.objects.filter(child__in=ids, closure_date__isnull=True).values_list(
                "child", flat=True
            ),
        ),
        (
            "an unanswered enquiry about the list",
            RegisterEnquiry.objects.filter(child__in=ids, searched_at__isnull=True).values_list(
                "child", flat=True
            ),
        ),
    ]
    for why, found in checks:
        for child_id in set(found):
            reasons[child_id].append(why)
    return dict(reasons)


@dataclass(frozen=True)
class Due:
    """Records past their period: those that may go, and those kept (with why)."""

    ready: list[int]
    kept: dict[int, list[str]]  # record id → why


def _closed_on(child_ids: list[int]) -> dict[int, date]:
    """When each child's case last closed: the latest end of a plan, child in need plan,
    section 47 enquiry or children in need case."""
    latest: dict[int, date] = {}
    for model, field in (
        (Plan, "end_date"),
        (ChildInNeedPlan, "end_date"),
        (Section47Enquiry, "end_date"),
        (Episode, "closure_date"),
    ):
        rows = (
            model.objects.filter(child__in=child_ids, **{f"{field}__isnull": False})
            .values("child")
            .annotate(last=Max(field))
        )
        for row in rows:
            if row["child"] not in latest or row["last"] > latest[row["child"]]:
                latest[row["child"]] = row["last"]
    return latest


def case_records_due(today: date, plan: RetentionSchedule) -> Due:
    """Children whose case record is past its period and not yet anonymised."""
    # Nobody can be past their period before their `until_age` birthday: a cheap first sieve.
    born_by = rules.birthday(today, -plan.case_record_until_age)
    children = list(
        Child.objects.filter(date_of_birth__lte=born_by, anonymised__isnull=True)
        .order_by("pk")
        .values_list("pk", "date_of_birth")
    )
    closed = _closed_on([pk for pk, _ in children])
    past = [
        pk
        for pk, born in children
        if born is not None
        and rules.is_past(
            rules.case_record_kept_until(
                born=born,
                closed_on=closed.get(pk),
                until_age=plan.case_record_until_age,
                older_at_closure=plan.case_record_older_at_closure,
            ),
            today,
        )
    ]
    kept = why_kept(past)
    return Due([pk for pk in past if pk not in kept], {pk: kept[pk] for pk in past if pk in kept})


def register_enquiries_due(today: date, plan: RetentionSchedule) -> Due:
    before = start_of(rules.cutoff(today, plan.register_enquiry_months))
    rows = list(
        RegisterEnquiry.objects.filter(recorded_at__lt=before)
        .order_by("pk")
        .values_list("pk", "child")
    )
    kept_children = why_kept({child for _, child in rows if child is not None})
    return _split(rows, kept_children)


def contributions_due(today: date, plan: RetentionSchedule) -> Due:
    before = start_of(rules.cutoff(today, plan.contribution_months))
    rows = list(
        Contribution.objects.filter(uploaded_at__lt=before)
        .order_by("pk")
        .values_list("pk", "child", "conference")
    )
    subjects: dict[int, set[int]] = defaultdict(set)
    for conference, child in ConferenceChild.objects.filter(
        conference__in={conf for _, _, conf in rows}
    ).values_list("conference", "child"):
        subjects[conference].add(child)
    about = [
        (pk, ({child} if child else set()) | subjects[conference]) for pk, child, conference in rows
    ]
    kept_children = why_kept(set().union(*(children for _, children in about)))
    ready, kept = [], {}
    for pk, children in about:
        why = sorted({w for c in children for w in kept_children.get(c, [])})
        if why:
            kept[pk] = why
        else:
            ready.append(pk)
    return Due(ready, kept)


def _split(rows: Sequence[tuple[int, int | None]], kept_children: dict[int, list[str]]) -> Due:
    ready, kept = [], {}
    for pk, child in rows:
        if child is not None and child in kept_children:
            kept[pk] = kept_children[child]
        else:
            ready.append(pk)
    return Due(ready, kept)


def outbox_due(today: date, plan: RetentionSchedule) -> Due:
    """Messages whose words are past their period: sent or given up on (never one still
    waiting to go), not already removed. The outbox holds no link to a child."""
    before = start_of(rules.cutoff(today, plan.message_body_months))
    ready = list(
        OutboundMessage.objects.filter(
            created_at__lt=before, status__in=(OutboundStatus.SENT, OutboundStatus.DEAD)
        )
        .exclude(body=REMOVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Due(ready, {})


def sent_messages_due(today: date, plan: RetentionSchedule) -> Due:
    before = start_of(rules.cutoff(today, plan.message_body_months))
    ready = list(
        SentMessage.objects.filter(sent_at__lt=before)
        .exclude(body=REMOVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Due(ready, {})


def form_tokens_due(today: date) -> Due:
    """One-time form tokens (convene/core/forms_flow.py) only matter for the minutes a double
    submission can arrive in: kept a day (decision 0019), then deleted."""
    from convene.core.models import SubmittedForm

    before = start_of(today - timedelta(days=1))
    ready = list(
        SubmittedForm.objects.filter(at__lt=before).order_by("pk").values_list("pk", flat=True)
    )
    return Due(ready, {})


def audit_rows_about(child_ids: Iterable[int]) -> int:
    from convene.access.models import AuditEvent

    return AuditEvent.objects.filter(Q(child__in=list(child_ids))).count()
