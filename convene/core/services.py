"""The service kernel every stage shares (docs/decisions/0012-service-kernel.md).

A stage's service function, whatever it changes, is the same short shape:

    def report_submit(*, report, version, signed_by, today, by: Actor) -> Report:
        REPORT.check(Action.SUBMIT, report.status)        # the transition table
        ...rules on plain values; ServiceError(message, field=…) if refused...
        with transaction.atomic():
            versioned_update(report, version=version, status=…)   # StaleEdit if changed
            audit(by=by, verb=…, obj=report, about=report.conference, reason=…)

- `ServiceError` is the one refusal (a message for the page, and the field it is about, or
  several `problems` by field); `StaleEdit` is the one "someone else changed it first".
- `Transitions` is the one shape of transition table: each action with the statuses it may
  start from, the status it leaves, and the words of its refusal. Services check it; views and
  templates ask it which actions are available, so nothing compares raw statuses.
- `versioned_update` is the one concurrency strategy: a conditional UPDATE on the row's
  `version` (compare and swap), raising it by one.
- `audit` is the one audit helper: it writes the event, in the caller's transaction, on the
  trail of the child it is about or of every subject child of the conference it is about.
- `Actor` is who acts (user, address, reason): services never see the HTTP request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, runtime_checkable

from django.db import models
from django.db.models import F
from django.dispatch import Signal

from convene.access import reading
from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent

if TYPE_CHECKING:
    from convene.access.models import User
    from convene.people.models import Child


class ServiceError(Exception):
    """A change refused, with words to show the person who asked for it.

    `field` names the form field the refusal is about (None: the whole form); `problems` holds
    several refusals by field, for a form with more than one thing wrong."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        problems: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems: dict[str, str] = dict(problems or {})
        if field is not None and field not in self.problems:
            self.problems[field] = message


class StaleEdit(ServiceError):
    """Someone else saved a change after this page was opened: refused, nothing overwritten."""

    MESSAGE = (
        "This changed since you opened it. Check the details below and make your change again."
    )

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


# Transition tables ---------------------------------------------------------------------

S = TypeVar("S", bound=str)
A = TypeVar("A", bound=str)


@dataclass(frozen=True)
class Transition(Generic[S]):
    """An action: the statuses it may start from, the status it leaves (None: unchanged), and
    what to say when it is tried from any other status."""

    allowed_from: frozenset[S]
    refusal: str
    becomes: S | None = None


class Transitions(Generic[A, S]):
    """One object's state machine: {action: Transition}. Asked by services (`check`) and by
    pages (`available`, `allows`), so both always agree."""

    def __init__(self, table: Mapping[A, Transition[S]]) -> None:
        self.table: Mapping[A, Transition[S]] = dict(table)

    def allows(self, action: A, status: str) -> bool:
        return status in self.table[action].allowed_from

    def available(self, status: str) -> frozenset[A]:
        """Every action that may be taken from this status."""
        return frozenset(action for action, t in self.table.items() if status in t.allowed_from)

    def offered(self, status: str, permitted: Iterable[str]) -> frozenset[str]:
        """Of the actions someone is permitted (convene.policy.permitted), those this status
        allows now; an action with no transition here is not limited by status."""
        return frozenset(
            action
            for action in permitted
            if action not in self.table or status in self.table[action].allowed_from  # type: ignore[index]
        )

    def check(self, action: A, status: str) -> S:
        """The status after the action, or ServiceError with the action's refusal."""
        transition = self.table[action]
        if status not in transition.allowed_from:
            raise ServiceError(transition.refusal)
        return transition.becomes if transition.becomes is not None else status  # type: ignore[return-value,unused-ignore]


# Versioned update ----------------------------------------------------------------------


M = TypeVar("M", bound=models.Model)


# A row changed by a conditional UPDATE, which sends no post_save: sent with the model as
# sender, `instance` (refreshed) and `fields` (the names written). Kept derived data listens
# (the open deadlines, returns.deadline_store).
row_updated = Signal()


def versioned_update(obj: M, *, version: int, **values: Any) -> M:
    """Save `values` only if the row is still at `version`, raising its version by one; then
    refresh `obj`. StaleEdit if someone else changed it since that version was read.

    One conditional UPDATE: no lock is held while the person reads the page, and two saves from
    the same version cannot both succeed (the second matches no row)."""
    manager = type(obj)._default_manager
    changed = manager.filter(pk=obj.pk, version=version).update(**values, version=F("version") + 1)
    if not changed:
        raise StaleEdit
    obj.refresh_from_db()
    row_updated.send(type(obj), instance=obj, fields=sorted(values))
    return obj


# Who acts, and the audit trail ---------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who is making a change: the signed-in user, the address they came from (None for a
    command or a background job) and, when they gave one, why (it goes on every audit row)."""

    user: User
    ip: str | None = None
    reason: str = ""


@runtime_checkable
class HasSubjects(Protocol):
    """Something about children, such as a conference: its events go on each subject's trail."""

    def subject_children(self) -> Sequence[Child]: ...


def audit(
    *,
    by: Actor | None,
    verb: AuditVerb,
    reason: str,
    obj: models.Model | None = None,
    about: Child | HasSubjects | None = None,
) -> list[AuditEvent]:
    """Append the event to the audit trail, inside the caller's transaction: once on the trail
    of the child it is `about`, or once on each subject child's trail when it is about a
    conference (and on no other child's); once with no child when it is about none."""
    children: Sequence[Child | None]
    if about is None:
        children = [None]
    elif isinstance(about, HasSubjects):
        children = list(about.subject_children()) or [None]
    else:
        children = [about]
    why = reason if by is None or not by.reason else f"{reason} (reason given: {by.reason})"
    if verb in reading.READ_VERBS:
        reading.note_audited()
    return [
        AuditEvent.objects.create(
            actor=by.user if by else None,
            verb=verb,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:300] if obj is not None else "",
            child=child,
            ip_address=by.ip if by else None,
            reason=why,
        )
        for child in children
    ]
