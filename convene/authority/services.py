"""Changes to the authority's procedure choices. Each is atomic and audited."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from convene.access.audit import audit_record
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.timescales import Nation, profile_names

from .models import AuthoritySettings, ClosureDay


class StaleEdit(Exception):
    """Someone else changed the settings after this form was opened."""


class DuplicateClosureDay(Exception):
    """The day is already a closure day."""


def authority_settings_get() -> AuthoritySettings:
    settings, _ = AuthoritySettings.objects.get_or_create(singleton=True)
    return settings


def authority_settings_update(
    *,
    profile: str,
    nation: Nation,
    version: int,
    by: User,
    request: HttpRequest | None = None,
) -> AuthoritySettings:
    """Choose the authority's procedure profile and nation, unless someone else got there first."""
    if profile not in profile_names():
        raise ValueError(f"Unknown procedure profile {profile!r}")
    with transaction.atomic():
        current = authority_settings_get()
        changed = AuthoritySettings.objects.filter(pk=current.pk, version=version).update(
            profile=profile, nation=nation, version=F("version") + 1
        )
        if not changed:
            raise StaleEdit
        current.refresh_from_db()
        audit_record(
            actor=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            request=request,
            reason=f"Procedure profile {profile}, bank holidays of {nation.label}",
        )
    return current


def closure_day_add(
    *, day: date, description: str, by: User, request: HttpRequest | None = None
) -> ClosureDay:
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(day=day, description=description)
            audit_record(actor=by, verb=AuditVerb.CREATED, obj=closure, request=request)
    except IntegrityError:
        raise DuplicateClosureDay from None
    return closure


def closure_day_remove(
    *, closure: ClosureDay, by: User, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        audit_record(actor=by, verb=AuditVerb.DELETED, obj=closure, request=request)
        closure.delete()
