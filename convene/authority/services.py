"""Changes to the authority's procedure choices. Each is atomic and audited."""

from __future__ import annotations

import enum
from datetime import date
from typing import Literal

from django.db import IntegrityError, transaction

from convene.access.enums import AuditVerb
from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.timescales import Nation, profile_names

from .models import AuthoritySettings, ClosureDay


class DuplicateClosureDay(ServiceError):
    """The day is already a closure day."""

    def __init__(self) -> None:
        super().__init__("That day is already a closure day", field="day")


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
    by: Actor,
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
        versioned_update(
            current,
            version=version,
            profile=profile,
            nation=nation,
            child_population=population,
        )
        children = f"{population:,}" if population else "not set"
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            reason=f"Procedure profile {profile}, bank holidays of {nation.label}, "
            f"child population {children}",
        )
    return current


def closure_day_add(*, day: date, description: str, by: Actor) -> ClosureDay:
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(day=day, description=description)
            audit(by=by, verb=AuditVerb.CREATED, obj=closure, reason=f"Closure day: {description}")
    except IntegrityError:
        raise DuplicateClosureDay from None
    return closure


def closure_day_remove(*, closure: ClosureDay, by: Actor) -> None:
    with transaction.atomic():
        audit(by=by, verb=AuditVerb.DELETED, obj=closure, reason="Closure day removed")
        closure.delete()
