"""State changes to conferences, one module per stage. Each service function checks the
conference's status against its module's transition table, runs in one transaction and writes
its audit row in it."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from convene.access.audit import audit_record
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.models import Conference
from convene.people.models import Child


def audit_for_each_child(
    *,
    conference: Conference,
    obj: models.Model,
    verb: AuditVerb,
    by: User,
    reason: str,
    request: HttpRequest | None = None,
) -> None:
    """One audit row on the trail of each child the conference is about, so the change shows
    wherever a child's trail is read (one row without a child if it is about none yet)."""
    children: list[Child | None] = [s.child for s in conference.subjects.select_related("child")]
    for child in children or [None]:
        audit_record(actor=by, verb=verb, obj=obj, child=child, request=request, reason=reason)
