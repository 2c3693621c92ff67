"""Reading the audit trail. It is written by `convene.core.services.audit`, inside the service
function whose change it records, in the same database transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator

from .models import AuditEvent

if TYPE_CHECKING:
    from convene.people.models import Child


AUDIT_PAGE_SIZE = 50


def child_audit_page(child: Child, page_number: str | int | None) -> Page[AuditEvent]:
    """One page of a child's audit trail, newest first, with a constant number of queries."""
    events = AuditEvent.objects.filter(child=child).select_related("actor", "actor__agency")
    return Paginator(events, AUDIT_PAGE_SIZE).get_page(page_number)
