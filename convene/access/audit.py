"""Writing and reading the audit trail.

`audit_record` is called inside the service function (or view) whose change it records, in the
same database transaction, so a change and its audit row are saved together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db import models
from django.http import HttpRequest

from .enums import AuditVerb
from .models import AuditEvent

if TYPE_CHECKING:
    from convene.people.models import Child

    from .models import User

AUDIT_PAGE_SIZE = 50


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the web server saw it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: User | None,
    verb: AuditVerb,
    obj: models.Model | None = None,
    child: Child | None = None,
    request: HttpRequest | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one row to the audit trail."""
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        child=child,
        ip_address=client_ip(request),
        reason=reason,
    )


def child_audit_page(child: Child, page_number: str | int | None) -> Page[AuditEvent]:
    """One page of a child's audit trail, newest first, with a constant number of queries."""
    events = AuditEvent.objects.filter(child=child).select_related("actor", "actor__agency")
    return Paginator(events, AUDIT_PAGE_SIZE).get_page(page_number)
