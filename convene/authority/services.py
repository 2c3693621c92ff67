"""Changes to the authority's procedure choices. Each is atomic and audited."""

from __future__ import annotations

import enum
from datetime import date
from typing import Literal

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


class _Keep(enum.Enum):
    """A value not given: keep what is stored (None already means "not set")."""

    KEEP = enum.auto()


KEEP = _Keep.KEEP


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
    child_population: int | Literal[_Keep.KEEP] | None = KEEP,
) -> AuthoritySettings:
    """Choose the authority's procedure profile and nation, and the number of children in its
    area (None: not known), unless someone else got there first."""
    if profile not in profile_names():
        raise ValueError(f"Unknown procedure profile {profile!r}")
    if child_population is not KEEP and child_population is not None and child_population < 1:
        raise ValueError(f"A child population must be 1 or more, not {child_population}")
    with transaction.atomic():
        current = authority_settings_get()
        population = current.child_population if child_population is KEEP else child_population
        changed = AuthoritySettings.objects.filter(pk=current.pk, version=version).update(
            profile=profile,
            nation=nation,
            child_population=population,
            version=F("version") + 1,
        )
        if not changed:
            raise StaleEdit
        current.refresh_from_db()
        children = f"{population:,}" if population else "not set"
        audit_record(
            actor=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            request=request,
            reason=f"Procedure profile {profile}, bank holidays of {nation.label}, "
            f"child population {children}",
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
