"""Keeping the open deadlines as rows (`OpenDeadline`, decision 0030).

Every deadline depends only on one child's own record (their enquiries, conferences, plans,
reviews, core group meetings, reviews brought forward, child in need plans, letters and records,
and their date of birth) and on the authority's procedures and calendar. So:

- when a row any rule reads is saved, deleted or changed by a conditional UPDATE
  (`core.services.row_updated`), that child's rows are worked out again by the rules in
  `returns.deadlines` and replaced, in the same transaction;
- when the procedures, the nation or the closure days change, every row is rebuilt (each due
  date may move);
- bulk writers (the SSD import, the demo) pause the signals and rebuild once at the end;
- `manage.py deadlines --rebuild` rebuilds them by hand (after an upgrade, or to repair).

The rows hold what everything recorded so far leaves open: the rules are asked as at
`HORIZON`, so no fact is ignored for being later than some day; whether a deadline is overdue
is worked out when it is read. A test run checks, after every test that touches the database,
that the rows equal what the rules compute (convene/conftest.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from convene.authority.models import AuthoritySettings, ClosureDay
from convene.core.services import row_updated
from convene.people.models import Child, Household
from convene.timescales import Profile

from .models import OpenDeadline

# Every fact recorded, however late its date, counts (see the module's docstring).
HORIZON = date(9999, 12, 31)
# Children worked out at once by a rebuild: the memory it needs stays flat as data grows.
REBUILD_BATCH = 5_000
# The authority's settings that move due dates; the others (letters) do not.
PROCEDURE_FIELDS = frozenset({"profile", "nation"})

_paused = threading.local()


def _procedures() -> Profile:
    from convene.authority.selectors import authority_procedures

    return authority_procedures()


def computed(children: QuerySet[Child] | None, procedures: Profile) -> list[OpenDeadline]:
    """What the rules say is open for these children (all, for None), as unsaved rows."""
    from .deadlines import deadlines_as_of

    return [
        OpenDeadline(
            child_id=deadline.child_pk or 0,  # the selectors give every deadline its child
            kind=deadline.kind,
            due=deadline.due,
            counts_from=deadline.counts_from,
            event=deadline.event,
            explanation=deadline.explanation,
        )
        for deadline in deadlines_as_of(as_of=HORIZON, procedures=procedures, children=children)
    ]


def refresh(child_pks: Iterable[int], *, procedures: Profile | None = None) -> None:
    """Work out these children's open deadlines again and replace their rows."""
    pks = sorted({pk for pk in child_pks if pk is not None})
    if not pks or is_paused():
        return
    with transaction.atomic():
        OpenDeadline.objects.filter(child_id__in=pks).delete()
        children = Child.objects.filter(pk__in=pks)
        OpenDeadline.objects.bulk_create(computed(children, procedures or _procedures()))


def refresh_for(*instances: Model) -> None:
    """Work out again the deadlines of the children these rows are about: for a writer that
    changed them with a plain UPDATE (which sends no signal)."""
    refresh(pk for instance in instances for pk in _children_of(instance))


def rebuild(*, procedures: Profile | None = None) -> int:
    """Replace every row, a batch of children at a time. Returns how many rows there are."""
    procedures = procedures or _procedures()
    written = 0
    with transaction.atomic():
        OpenDeadline.objects.all().delete()
        for low, high in _pk_ranges():
            children = Child.objects.filter(pk__gte=low, pk__lt=high)
            rows = computed(children, procedures)
            OpenDeadline.objects.bulk_create(rows, batch_size=1_000)
            written += len(rows)
    return written


def _pk_ranges() -> Iterator[tuple[int, int]]:
    """Ranges of child ids [low, high) holding REBUILD_BATCH children each (the last fewer)."""
    pks = Child.objects.order_by("pk").values_list("pk", flat=True)
    firsts = [pk for index, pk in enumerate(pks.iterator()) if index % REBUILD_BATCH == 0]
    yield from zip(firsts, [*firsts[1:], LAST_PK][: len(firsts)], strict=True)


LAST_PK = 2**63 - 1


def differences(*, procedures: Profile | None = None) -> list[str]:
    """How the stored rows differ from what the rules compute now (empty when current)."""

    def key(row: OpenDeadline) -> tuple[Any, ...]:
        return (row.child_id, row.kind, row.due, row.counts_from, row.event, row.explanation)

    stored = {key(row) for row in OpenDeadline.objects.all()}
    wanted = {key(row) for row in computed(None, procedures or _procedures())}
    return [f"stored, not open: {row}" for row in sorted(stored - wanted, key=str)] + [
        f"open, not stored: {row}" for row in sorted(wanted - stored, key=str)
    ]


@contextmanager
def paused() -> Iterator[None]:
    """For bulk writers that rebuild once at the end: no row is worked out meanwhile."""
    before = getattr(_paused, "on", False)
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = before


def is_paused() -> bool:
    return getattr(_paused, "on", False)


# Which children a changed row is about ------------------------------------------------------


def _of_conference(conference_id: int) -> list[int]:
    from convene.conferences.models import ConferenceChild

    return list(
        ConferenceChild.objects.filter(conference_id=conference_id).values_list(
            "child_id", flat=True
        )
    )


def _of_plan(plan_id: int) -> list[int]:
    from convene.plans.models import Plan

    return list(Plan.objects.filter(pk=plan_id).values_list("child_id", flat=True))


def _inputs() -> dict[type[Model], Callable[[Any], list[int]]]:
    """Every model a rule reads, with how to find the children a row of it is about."""
    from convene.conferences.models import (
        Conference,
        ConferenceChild,
        ConferenceRecord,
        DecisionLetter,
    )
    from convene.plans.models import (
        ChildInNeedPlan,
        ChildInNeedPlanReview,
        CoreGroupMeeting,
        Plan,
        PlanReview,
        ReviewBroughtForward,
    )
    from convene.referrals.models import Section47Enquiry

    def own(row: Any) -> list[int]:
        return [row.child_id]

    def of_cin_plan(row: ChildInNeedPlanReview) -> list[int]:
        plans = ChildInNeedPlan.objects.filter(pk=row.cin_plan_id)
        return list(plans.values_list("child_id", flat=True))

    return {
        Child: lambda child: [child.pk],
        Section47Enquiry: own,
        Conference: lambda conference: _of_conference(conference.pk),
        ConferenceChild: own,
        DecisionLetter: lambda letter: _of_conference(letter.conference_id),
        ConferenceRecord: lambda record: _of_conference(record.conference_id),
        Plan: own,
        PlanReview: lambda review: _of_plan(review.plan_id),
        CoreGroupMeeting: lambda meeting: _of_plan(meeting.plan_id),
        ReviewBroughtForward: lambda forward: _of_plan(forward.plan_id),
        ChildInNeedPlan: own,
        ChildInNeedPlanReview: of_cin_plan,
    }


def _children_of(instance: Model) -> list[int]:
    """The children whose deadlines this row is an input to, or [] for none."""
    children = _inputs().get(type(instance))
    return children(instance) if children is not None else []


# Signal receivers ---------------------------------------------------------------------------


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or is_paused():  # fixtures loaded as they are; paused writers rebuild
        return
    refresh(_children_of(instance))


def _deleted(sender: type[Model], instance: Model, origin: Any = None, **kwargs: Any) -> None:
    if is_paused() or _deleting_children(origin):
        # A child being deleted takes their rows with them (on delete cascade): working them
        # out again from the half-deleted record would write rows for a child about to go.
        return
    refresh(_children_of(instance))


def _deleting_children(origin: Any) -> bool:
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model in (Child, Household)


def _settings_saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields") or kwargs.get("fields")
    if kwargs.get("raw") or is_paused():
        return
    if fields is not None and not PROCEDURE_FIELDS & set(fields):
        return  # only the letters' settings changed
    rebuild()


def _closure_days_changed(sender: type[Model], **kwargs: Any) -> None:
    if kwargs.get("raw") or is_paused():
        return
    rebuild()


def fill_after_migrating(**kwargs: Any) -> None:
    """After `migrate`: a database that has children but no rows yet (one made before the rows
    existed) gets them, so an upgrade needs no step by hand. Every table is migrated by then."""
    if not OpenDeadline.objects.exists() and Child.objects.exists():
        rebuild()


def connect() -> None:
    """Called once, from the app's ready()."""
    for model in _inputs():
        uid = f"open-deadlines-{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
        row_updated.connect(_saved, sender=model, dispatch_uid=uid)
    post_save.connect(_settings_saved, sender=AuthoritySettings, dispatch_uid="open-deadlines-s")
    row_updated.connect(_settings_saved, sender=AuthoritySettings, dispatch_uid="open-deadlines-s")
    for signal in (post_save, post_delete):
        signal.connect(_closure_days_changed, sender=ClosureDay, dispatch_uid="open-deadlines-c")


# Reading -----------------------------------------------------------------------------------


def open_rows(children: QuerySet[Child] | None = None) -> QuerySet[OpenDeadline]:
    """The stored open deadlines (of `children`), soonest first, with the child and their
    social worker's team for the page."""
    rows = OpenDeadline.objects.select_related(
        "child", "child__social_worker", "child__social_worker__team"
    )
    if children is not None:
        rows = rows.filter(child__in=children.values("pk"))
    return rows.order_by("due", "child__la_child_id", "kind")


def overdue_q(as_of: date) -> Q:
    """is_overdue(due, as_of), in SQL: met on the due date, so overdue from the day after."""
    return Q(due__lt=as_of)
