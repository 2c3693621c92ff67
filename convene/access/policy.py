"""Who may do what: the one module that decides access in Convene.

Access is deny-by-default. Each role grants named capabilities; the fetch-and-authorise
helpers (`child_for`, …) return an object only to someone allowed to see it and raise 404
otherwise, so nobody learns that a record they may not see exists. Views call these helpers
and never decide access themselves.

Access to a child's record is computed from relationships (allocation, team, involvement),
never copied onto the record, so it cannot go stale.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from convene.people.models import Child, worked_with_q

from .enums import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class Capability(enum.StrEnum):
    # Reading children's records
    SEE_ALL_CHILDREN = "see_all_children"
    SEE_ALLOCATED_CHILDREN = "see_allocated_children"
    SEE_TEAM_CHILDREN = "see_team_children"
    SEE_CHILDREN_WORKED_WITH = "see_children_worked_with"
    # Reading audit trails
    READ_ANY_AUDIT_TRAIL = "read_any_audit_trail"
    READ_TEAM_AUDIT_TRAILS = "read_team_audit_trails"
    # The authority's procedure profile, calendar and closure days
    MANAGE_AUTHORITY_SETTINGS = "manage_authority_settings"
    # The national indicators, live (numbers are authority-wide; the children behind them are
    # shown only as far as the person may see them)
    VIEW_PERFORMANCE = "view_performance"
    # The list of open statutory deadlines (only children the person may see)
    VIEW_WORK_LIST = "view_work_list"


# Any of these lets a person open some children's records.
CHILD_RECORD_CAPABILITIES = frozenset(
    {
        Capability.SEE_ALL_CHILDREN,
        Capability.SEE_ALLOCATED_CHILDREN,
        Capability.SEE_TEAM_CHILDREN,
        Capability.SEE_CHILDREN_WORKED_WITH,
    }
)

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    # Administrators, chairs and senior managers work across the whole authority's
    # conferences; data officers need every child for the statutory returns.
    Role.CONFERENCE_ADMINISTRATOR: frozenset(
        {Capability.SEE_ALL_CHILDREN, Capability.VIEW_WORK_LIST}
    ),
    Role.CONFERENCE_CHAIR: frozenset({Capability.SEE_ALL_CHILDREN}),
    Role.SENIOR_MANAGER: frozenset(
        {Capability.SEE_ALL_CHILDREN, Capability.VIEW_PERFORMANCE, Capability.VIEW_WORK_LIST}
    ),
    Role.DATA_OFFICER: frozenset({Capability.SEE_ALL_CHILDREN, Capability.VIEW_PERFORMANCE}),
    Role.SOCIAL_WORKER: frozenset({Capability.SEE_ALLOCATED_CHILDREN}),
    Role.TEAM_MANAGER: frozenset(
        {
            Capability.SEE_TEAM_CHILDREN,
            Capability.READ_TEAM_AUDIT_TRAILS,
            Capability.VIEW_PERFORMANCE,
            Capability.VIEW_WORK_LIST,
        }
    ),
    Role.AGENCY_PROFESSIONAL: frozenset({Capability.SEE_CHILDREN_WORKED_WITH}),
    # System administrators look after accounts and the audit trail, not case work.
    Role.SYSTEM_ADMINISTRATOR: frozenset(
        {Capability.READ_ANY_AUDIT_TRAIL, Capability.MANAGE_AUTHORITY_SETTINGS}
    ),
}


def capabilities(user: User | AnonymousUser) -> frozenset[Capability]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    granted: set[Capability] = set()
    for role in user.roles:
        granted |= ROLE_CAPABILITIES[role]
    return frozenset(granted)


def has(user: User | AnonymousUser, capability: Capability) -> bool:
    return capability in capabilities(user)


# Children ------------------------------------------------------------------------------


def _children_q(user: User, caps: frozenset[Capability], today: date) -> Q | None:
    """The filter for children this user may see; None means every child."""
    if Capability.SEE_ALL_CHILDREN in caps:
        return None
    q = Q(pk__in=[])
    if Capability.SEE_ALLOCATED_CHILDREN in caps:
        q |= Q(social_worker=user)
    if Capability.SEE_TEAM_CHILDREN in caps:
        q |= Q(social_worker__team__manager=user)
    if Capability.SEE_CHILDREN_WORKED_WITH in caps:
        q |= worked_with_q(user, today)
    return q


def visible_children(user: User | AnonymousUser, *, today: date) -> QuerySet[Child]:
    """Every child whose record this user may open."""
    caps = capabilities(user)
    if not caps:
        return Child.objects.none()
    q = _children_q(user, caps, today)  # type: ignore[arg-type]
    children = Child.objects.all()
    return children if q is None else children.filter(q).distinct()


def can_see_all_children(user: User | AnonymousUser) -> bool:
    return has(user, Capability.SEE_ALL_CHILDREN)


def can_view_child(user: User | AnonymousUser, child: Child, *, today: date) -> bool:
    return visible_children(user, today=today).filter(pk=child.pk).exists()


def child_for(user: User | AnonymousUser, pk: int, *, today: date) -> Child:
    """The child with this id if the user may see their record; 404 otherwise."""
    child = (
        visible_children(user, today=today)
        .select_related("household", "social_worker", "social_worker__team")
        .filter(pk=pk)
        .first()
    )
    if child is None:
        raise Http404("No child found")
    return child


# Audit trails --------------------------------------------------------------------------


def can_look_up_any_audit_trail(user: User | AnonymousUser) -> bool:
    return has(user, Capability.READ_ANY_AUDIT_TRAIL)


def _audit_trail_children(user: User | AnonymousUser) -> QuerySet[Child]:
    # System administrators may read any child's trail; team managers the trails of children
    # allocated to their team's social workers.
    caps = capabilities(user)
    if Capability.READ_ANY_AUDIT_TRAIL in caps:
        return Child.objects.all()
    if Capability.READ_TEAM_AUDIT_TRAILS in caps:
        return Child.objects.filter(social_worker__team__manager=user.pk)
    return Child.objects.none()


def can_read_child_audit_trail(user: User | AnonymousUser, child: Child) -> bool:
    return _audit_trail_children(user).filter(pk=child.pk).exists()


def child_audit_trail_for(user: User | AnonymousUser, pk: int) -> Child:
    """The child whose audit trail this user may read; 404 otherwise."""
    child = _audit_trail_children(user).select_related("social_worker").filter(pk=pk).first()
    if child is None:
        raise Http404("No child found")
    return child


# The authority's settings ------------------------------------------------------------


def can_manage_authority_settings(user: User | AnonymousUser) -> bool:
    return has(user, Capability.MANAGE_AUTHORITY_SETTINGS)


# Performance and the work list --------------------------------------------------------


def can_view_performance(user: User | AnonymousUser) -> bool:
    return has(user, Capability.VIEW_PERFORMANCE)


def can_view_work_list(user: User | AnonymousUser) -> bool:
    return has(user, Capability.VIEW_WORK_LIST)


def require(allowed: bool) -> None:
    """Raise 404 unless allowed: pages someone may not use look like pages that do not exist."""
    if not allowed:
        raise Http404("No such page")
