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

from convene.conferences.enums import ReportKind, ReportStatus
from convene.conferences.models import Conference, Contribution, ExclusionRequest, Report
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


# Reports and exclusions ----------------------------------------------------------------
# London CP4 §5 and §7. Reports are read through `report_for`; these add what each person may
# do with a report, a contribution and a request to exclude someone.


def is_report_writer(user: User | AnonymousUser, report: Report) -> bool:
    """Someone in the report's own agency who writes reports (§7.9: each agency's report)."""
    return bool(
        user.is_authenticated
        and can_write_reports(user)
        and getattr(user, "agency_id", None) == report.agency_id
    )


def can_read_report_content(user: User | AnonymousUser, report: Report) -> bool:
    """A report not yet submitted is its agency's draft: others see only that it is awaited."""
    return report.status != ReportStatus.REQUESTED or is_report_writer(user, report)


def can_request_reports(user: User | AnonymousUser) -> bool:
    return can_arrange_conferences(user)


def can_share_report(user: User | AnonymousUser, report: Report) -> bool:
    """Sharing with the family, and recording their comments (§7.7, §7.9), is for the
    conference administrators and the report's agency; never a police report (§7.10)."""
    if report.kind == ReportKind.POLICE:
        return False
    return can_arrange_conferences(user) or is_report_writer(user, report)


def can_record_chair_summary(user: User | AnonymousUser, report: Report) -> bool:
    """§7.10: the chair summarises the police report for the others."""
    return report.kind == ReportKind.POLICE and is_chair_of(user, report.conference)


def can_upload_contributions(user: User | AnonymousUser, conference: Conference) -> bool:
    """The family's and child's contributions (§4.16 to §4.17, §7.11) are brought in by the
    conference administrators, the chair and the professionals who work with the family."""
    return can_arrange_conferences(user) or is_chair_of(user, conference) or can_write_reports(user)


def contribution_for(user: User | AnonymousUser, pk: int, *, today: date) -> Contribution:
    """A contribution, for anyone who may see its conference; 404 otherwise."""
    contribution = (
        Contribution.objects.filter(conference__in=visible_conferences(user, today=today))
        .select_related("conference", "child")
        .filter(pk=pk)
        .first()
    )
    if contribution is None:
        raise Http404("No contribution found")
    return contribution


def can_see_exclusion(user: User | AnonymousUser, exclusion: ExclusionRequest) -> bool:
    """A request to exclude someone, with its grounds and evidence, is for the chair, the
    conference administrators and whoever asked (§5.2 to §5.3)."""
    return (
        is_chair_of(user, exclusion.conference)
        or can_arrange_conferences(user)
        or exclusion.requested_by_id == user.pk
    )


def can_decide_exclusion(user: User | AnonymousUser, exclusion: ExclusionRequest) -> bool:
    """§5.1, §5.8: the chair decides, and the decision is final."""
    return is_chair_of(user, exclusion.conference)


def can_write_exclusion_letters(user: User | AnonymousUser, conference: Conference) -> bool:
    """§5.9 to §5.10: the letter to the excluded person, and their views, are handled by the
    chair and the conference administrators."""
    return can_arrange_conferences(user) or is_chair_of(user, conference)


def exclusion_for(user: User | AnonymousUser, pk: int, *, today: date) -> ExclusionRequest:
    """A request to exclude someone, for those who may see it; 404 otherwise."""
    exclusion = (
        ExclusionRequest.objects.filter(conference__in=visible_conferences(user, today=today))
        .select_related(
            "conference",
            "conference__chair",
            "conference__household",
            "invitation",
            "invitation__adult",
            "invitation__child",
            "requested_by",
        )
        .filter(pk=pk)
        .first()
    )
    if exclusion is None or not can_see_exclusion(user, exclusion):
        raise Http404("No exclusion request found")
    return exclusion


# Convening -----------------------------------------------------------------------------
# London CP4 §1.6: a social worker or their manager records the strategy discussion and the
# section 47 enquiry; a children's social care manager decides whether to convene; the
# conference service's administrators arrange the conference and choose its chair.


def can_start_conference(user: User | AnonymousUser, route: str) -> bool:
    """Managers start a conference on any route; administrators may also start the ones that
    follow an earlier conference (a review, or one reconvened after a deferred decision)."""
    from convene.conferences.enums import Route

    if has(user, Capability.DECIDE_TO_CONVENE):
        return True
    follows_a_conference = route in (Route.REVIEW, Route.RECONVENED)
    return follows_a_conference and has(user, Capability.ARRANGE_CONFERENCES)


def can_list_conferences(user: User | AnonymousUser) -> bool:
    """The conferences list is for those who arrange and chair them."""
    return has(user, Capability.ARRANGE_CONFERENCES) or has(user, Capability.CHAIR_CONFERENCES)


def chair_roles() -> frozenset[Role]:
    """The roles whose holders may chair a conference (London CP4 §8.1)."""
    return frozenset(
        role for role, caps in ROLE_CAPABILITIES.items() if Capability.CHAIR_CONFERENCES in caps
    )


def conference_to_arrange_for(user: User | AnonymousUser, pk: int, *, today: date) -> Conference:
    """The conference if this user may arrange it (date, place, chair); 404 otherwise."""
    conference = conference_for(user, pk, today=today, for_write=True)
    if not can_arrange_conferences(user):
        raise Http404("No conference found")
    return conference


# On the day ----------------------------------------------------------------------------
# The attendance register and quorum are kept by the conference administrators and the
# conference's own chair; only the chair marks it held (London CP4 §3.10 to §3.12).


def can_take_attendance(user: User | AnonymousUser, conference: Conference) -> bool:
    return can_arrange_conferences(user) or is_chair_of(user, conference)


def can_mark_held(user: User | AnonymousUser, conference: Conference) -> bool:
    return is_chair_of(user, conference)


def conference_for_meeting(
    user: User | AnonymousUser, pk: int, *, today: date, to_mark_held: bool = False
) -> Conference:
    """The conference if this user may keep its register (with to_mark_held: mark it held);
    404 otherwise."""
    conference = conference_for(user, pk, today=today)
    allowed = can_mark_held if to_mark_held else can_take_attendance
    if not allowed(user, conference):
        raise Http404("No conference found")
    return conference


# Invitations ---------------------------------------------------------------------------
# Conference administrators invite people, record needs and answers and send invitations; the
# conference's chair may see them too, gives the chair's consent to an observer (London CP4
# §3.3) and decides requests to record the meeting (§3.9).

if TYPE_CHECKING:
    from convene.conferences.models import Invitation, RecordingRequest


def can_manage_invitations(user: User | AnonymousUser) -> bool:
    return can_arrange_conferences(user)


def can_see_invitations(user: User | AnonymousUser, conference: Conference) -> bool:
    return can_arrange_conferences(user) or is_chair_of(user, conference)


def can_record_chair_consent(user: User | AnonymousUser, conference: Conference) -> bool:
    return is_chair_of(user, conference)


def can_decide_recording_requests(user: User | AnonymousUser, conference: Conference) -> bool:
    return is_chair_of(user, conference)


def conference_for_invitations(
    user: User | AnonymousUser, pk: int, *, today: date, to_manage: bool = False
) -> Conference:
    """The conference if this user may see its invitations (with to_manage: change them as an
    administrator); 404 otherwise."""
    conference = conference_for(user, pk, today=today)
    allowed = can_manage_invitations(user) if to_manage else can_see_invitations(user, conference)
    if not allowed:
        raise Http404("No conference found")
    return conference


def invitation_for(conference: Conference, pk: int) -> Invitation:
    """An invitation to this conference (already authorised); 404 for any other."""
    from convene.conferences.models import Invitation

    invitation = (
        Invitation.objects.select_related("conference", "adult", "child", "professional", "agency")
        .filter(conference=conference, pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404("No invitation found")
    return invitation


def recording_request_for(conference: Conference, pk: int) -> RecordingRequest:
    """A request to record this conference (already authorised); 404 for any other."""
    from convene.conferences.models import RecordingRequest

    recording = RecordingRequest.objects.filter(conference=conference, pk=pk).first()
    if recording is None:
        raise Http404("No request found")
    return recording
