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

from convene.conferences.enums import ReportKind
from convene.conferences.models import Conference, Report
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
    # Conferences (London CP4 §1, §3 to §8)
    RECORD_ENQUIRIES = "record_enquiries"
    DECIDE_TO_CONVENE = "decide_to_convene"
    ARRANGE_CONFERENCES = "arrange_conferences"
    CHAIR_CONFERENCES = "chair_conferences"
    WRITE_REPORTS = "write_reports"
    REQUEST_EXCLUSIONS = "request_exclusions"


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
        {Capability.SEE_ALL_CHILDREN, Capability.VIEW_WORK_LIST, Capability.ARRANGE_CONFERENCES}
    ),
    Role.CONFERENCE_CHAIR: frozenset({Capability.SEE_ALL_CHILDREN, Capability.CHAIR_CONFERENCES}),
    Role.SENIOR_MANAGER: frozenset(
        {
            Capability.SEE_ALL_CHILDREN,
            Capability.VIEW_PERFORMANCE,
            Capability.VIEW_WORK_LIST,
            Capability.DECIDE_TO_CONVENE,
        }
    ),
    Role.DATA_OFFICER: frozenset({Capability.SEE_ALL_CHILDREN, Capability.VIEW_PERFORMANCE}),
    Role.SOCIAL_WORKER: frozenset(
        {
            Capability.SEE_ALLOCATED_CHILDREN,
            Capability.RECORD_ENQUIRIES,
            Capability.WRITE_REPORTS,
            Capability.REQUEST_EXCLUSIONS,
        }
    ),
    Role.TEAM_MANAGER: frozenset(
        {
            Capability.SEE_TEAM_CHILDREN,
            Capability.READ_TEAM_AUDIT_TRAILS,
            Capability.VIEW_PERFORMANCE,
            Capability.VIEW_WORK_LIST,
            Capability.RECORD_ENQUIRIES,
            Capability.DECIDE_TO_CONVENE,
        }
    ),
    Role.AGENCY_PROFESSIONAL: frozenset(
        {
            Capability.SEE_CHILDREN_WORKED_WITH,
            Capability.WRITE_REPORTS,
            Capability.REQUEST_EXCLUSIONS,
        }
    ),
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


# Conferences ---------------------------------------------------------------------------
# A conference is visible to whoever may see one of the children it concerns. Changing it is
# for conference administrators, and for its chair the parts the chair decides.


def visible_conferences(user: User | AnonymousUser, *, today: date) -> QuerySet[Conference]:
    children = visible_children(user, today=today)
    return Conference.objects.filter(subjects__child__in=children).distinct()


def can_arrange_conferences(user: User | AnonymousUser) -> bool:
    return has(user, Capability.ARRANGE_CONFERENCES)


def can_record_enquiries(user: User | AnonymousUser) -> bool:
    return has(user, Capability.RECORD_ENQUIRIES)


def can_decide_to_convene(user: User | AnonymousUser) -> bool:
    return has(user, Capability.DECIDE_TO_CONVENE)


def can_write_reports(user: User | AnonymousUser) -> bool:
    return has(user, Capability.WRITE_REPORTS)


def can_request_exclusions(user: User | AnonymousUser) -> bool:
    return has(user, Capability.REQUEST_EXCLUSIONS)


def is_chair_of(user: User | AnonymousUser, conference: Conference) -> bool:
    return (
        has(user, Capability.CHAIR_CONFERENCES)
        and conference.chair_id is not None
        and conference.chair_id == user.pk
    )


def conference_for(
    user: User | AnonymousUser, pk: int, *, today: date, for_write: bool = False
) -> Conference:
    """The conference if the user may see it (and, with for_write, arrange it or chair it);
    404 otherwise."""
    conference = (
        visible_conferences(user, today=today)
        .select_related("chair", "household", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if conference is None:
        raise Http404("No conference found")
    if for_write and not (can_arrange_conferences(user) or is_chair_of(user, conference)):
        raise Http404("No conference found")
    return conference


def can_see_report(user: User | AnonymousUser, report: Report) -> bool:
    """London CP4 §7.10: a police report is for the chair alone (and the police who wrote it).
    Other reports are open to anyone who may see the conference."""
    if report.kind != ReportKind.POLICE:
        return True
    if is_chair_of(user, report.conference):
        return True
    return bool(
        user.is_authenticated
        and has(user, Capability.WRITE_REPORTS)
        and getattr(user, "agency_id", None) == report.agency_id
    )


def report_for(
    user: User | AnonymousUser, pk: int, *, today: date, for_write: bool = False
) -> Report:
    """The report if the user may read it (with for_write: write it — its agency's report
    writers, before it is submitted); 404 otherwise, so a police report's existence is hidden
    from other agencies."""
    report = (
        Report.objects.filter(conference__in=visible_conferences(user, today=today))
        .select_related("conference", "conference__chair", "agency", "author")
        .filter(pk=pk)
        .first()
    )
    if report is None or not can_see_report(user, report):
        raise Http404("No report found")
    if for_write and not (
        can_write_reports(user) and getattr(user, "agency_id", None) == report.agency_id
    ):
        raise Http404("No report found")
    return report


def require(allowed: bool) -> None:
    """Raise 404 unless allowed: pages someone may not use look like pages that do not exist."""
    if not allowed:
        raise Http404("No such page")
