"""Auditing what people read, in one place (issue 14, finding 4).

Every record a page opens comes through one of `convene.policy`'s fetch-and-authorise
functions, which note it here. When a signed-in person's page has been shown, the middleware
writes what they read to the audit trail in one INSERT: one row on each child's trail that
the records are about (or one row with no child, for a list or a search, with what was asked
for), naming the page, from where and when. Pages that audit their own reading (a child's
record, a plan, a download) are not audited twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.http import HttpRequest, HttpResponse

from .enums import AuditVerb

if TYPE_CHECKING:
    from convene.people.models import Child

# What was read during this request; None outside a request.
READ_VERBS = frozenset(
    {
        AuditVerb.VIEWED_CHILD,
        AuditVerb.VIEWED_CHILD_IN_EMERGENCY,
        AuditVerb.VIEWED_AUDIT_TRAIL,
        AuditVerb.DOWNLOADED,
    }
)
# Pages with nothing about any child or family on them.
NOTHING_PERSONAL = frozenset(
    {
        "core:accessibility",
        "core:keep-alive",
        "access:account",
        "access:password-change",
        "access:signed-out",
        "authority:timescales",
        # The emergency access form: what was typed, and nothing about any child.
        "breakglass:start",
        "notifications:healthz",
        "notifications:readyz",
    }
)


@dataclass
class Reads:
    records: list[models.Model] = field(default_factory=list)
    audited: bool = False  # the page wrote its own reading audit row


_reads: ContextVar[Reads | None] = ContextVar("convene_reads", default=None)


def note(record: models.Model) -> None:
    """A record a page fetched (called by the policy's fetch functions)."""
    reads = _reads.get()
    if reads is not None:
        reads.records.append(record)


def note_audited() -> None:
    """The page audited its own reading (called by `audit` for the reading verbs)."""
    reads = _reads.get()
    if reads is not None:
        reads.audited = True


@contextmanager
def collecting() -> Iterator[Reads]:
    token = _reads.set(Reads())
    try:
        yield _reads.get()  # type: ignore[misc]
    finally:
        _reads.reset(token)


def children_of(records: list[models.Model]) -> list[Child]:
    """The children the records are about, each once, in the order met."""
    from convene.core.services import HasSubjects
    from convene.people.models import Child

    found: dict[int, Child] = {}
    for record in records:
        if isinstance(record, Child):
            about: list[Child] = [record]
        elif isinstance(child := getattr(record, "child", None), Child):
            about = [child]
        elif isinstance(record, HasSubjects):
            about = list(record.subject_children())
        elif isinstance(conference := getattr(record, "conference", None), HasSubjects):
            about = list(conference.subject_children())
        else:
            about = []
        for one in about:
            found.setdefault(one.pk, one)
    return list(found.values())


class ReadAuditMiddleware:
    """Writes the audit row(s) for what a signed-in person's page showed them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with collecting() as reads:
            response = self.get_response(request)
        match = request.resolver_match
        if (
            request.method == "GET"
            and response.status_code == 200
            and request.user.is_authenticated
            and match is not None
            and match.view_name not in NOTHING_PERSONAL
            and not reads.audited
        ):
            _write(request, match.view_name, reads.records)
        return response


def _write(request: HttpRequest, page: str, records: list[models.Model]) -> None:
    from convene.access.models import AuditEvent
    from convene.core.web import actor

    by = actor(request)
    first = records[0] if records else None
    children: list[Child | None] = list(children_of(records)) or [None]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=by.user,
            verb=AuditVerb.VIEWED_PAGE,
            object_type=first._meta.label if first is not None else "",
            object_id=str(first.pk) if first is not None else "",
            object_repr=(str(first) if first is not None else page)[:300],
            child=child,
            ip_address=by.ip,
            reason=f"Opened {page}: {request.get_full_path()}"[:2000],
        )
        for child in children
    )
