"""Who may do what: the one module that decides access in Convene
(docs/decisions/0004-access-policy-and-audit.md, 0013-access-by-relationship.md).

Two layers, both tables:

1. **Roles grant capabilities** (`convene.access.capabilities`): what a person's job lets them
   do at all (arrange conferences, write reports, see every child…).
2. **Relationships decide each record.** `Relation` names how a person stands to a record —
   the conference's chair, an administrator who arranges it, the allocated social worker of a
   child at it, the agency whose report it is, someone invited to it… — computed from the
   records every time, never copied onto them (so it cannot go stale). For each kind of
   record, `ACCESS` maps every action to the relationships that allow it (and, where the job
   matters too, the capability it needs).

Every page fetches through one function per resource with the action as an argument
(`conference_for(user, pk, action=ConferenceAction.MARK_HELD, today=…)`), which returns the
record or raises 404 — never 403, so nobody learns that a record they may not see exists.
Pages that offer links ask `permitted(user, record, today=…)`. A new kind of user (a parent in
the portal, an API client) is new relations and new rows here, not new functions.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from convene.access import reading
from convene.access.capabilities import (
    CHILD_RECORD_CAPABILITIES as CHILD_RECORD_CAPABILITIES,
)
from convene.access.capabilities import ROLE_CAPABILITIES, Capability, capabilities, has
from convene.access.enums import Role
from convene.breakglass.models import EmergencyAccess
from convene.challenge.models import Appeal, Complaint
from convene.conferences.enums import InviteeRole, ReportKind, Route
from convene.conferences.exclusions.rules import ExclusionAction
from convene.conferences.models import (
    Conference,
    Contribution,
    ExclusionRequest,
    Invitation,
    RecordingRequest,
    Report,
)
from convene.conferences.reports.rules import ReportAction
from convene.conferences.rules import ConferenceAction
from convene.people.models import Child
from convene.plans.models import Plan
from convene.plans.rules import PlanAction
from convene.register.models import RegisterEnquiry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from convene.access.models import User


class Relation(enum.StrEnum):
    """How a person stands to a record. Each is computed from the records (and, where it says,
    needs the capability that goes with it)."""

    # Works across the whole authority's children (SEE_ALL_CHILDREN: administrators, chairs,
    # senior managers, data officers).
    AUTHORITY_WIDE = "authority_wide"
    # The allocated social worker of a child the record is about (SEE_ALLOCATED_CHILDREN).
    ALLOCATED_WORKER = "allocated_worker"
    # The manager of that social worker's team (SEE_TEAM_CHILDREN).
    TEAM_MANAGER = "team_manager"
    # A professional working with the child now (SEE_CHILDREN_WORKED_WITH).
    WORKS_WITH = "works_with"
    # A professional invited to the conference, signed in as themselves: invited as their own
    # professional record, or as a professional of their agency at their sign-in address.
    INVITEE = "invitee"
    # Arranges the authority's conferences (ARRANGE_CONFERENCES).
    ARRANGER = "arranger"
    # This conference's chair (CHAIR_CONFERENCES).
    CHAIR = "chair"
    # Takes the minutes of the authority's conferences for their chairs (TAKE_MINUTES).
    MINUTE_TAKER = "minute_taker"
    # Writes reports for the agency whose report this is (WRITE_REPORTS).
    REPORT_AGENCY = "report_agency"
    # Wrote this report (WRITE_REPORTS).
    REPORT_AUTHOR = "report_author"
    # Writes reports for the report's agency and is invited to its conference (WRITE_REPORTS):
    # the police officer the administrators asked, not every officer of the force.
    INVITED_FOR_AGENCY = "invited_for_agency"
    # Asked for this exclusion.
    REQUESTER = "requester"
    # Reads any child's audit trail (READ_ANY_AUDIT_TRAIL).
    AUDITOR = "auditor"
    # Holds an unexpired emergency ("break-glass") grant for this child, made with a recorded
    # reason (convene.breakglass), and still holds one of EMERGENCY_ACCESS_ROLES. Only the
    # child's record page asks for it (it alone passes the time, `now`): lists, searches and
    # every other page never show what a grant opens.
    BREAK_GLASS = "break_glass"


R = Relation
# Who may read a child's record: the child's own relationships, or authority-wide work.
CHILD_READERS = frozenset({R.AUTHORITY_WIDE, R.ALLOCATED_WORKER, R.TEAM_MANAGER, R.WORKS_WITH})
# Who may see a conference: whoever may see a child at it, and the professionals invited.
CONFERENCE_READERS = CHILD_READERS | {R.INVITEE}
# Who writes a police report: its author, and the officers invited to the conference.
POLICE_REPORT_WRITERS = (R.REPORT_AUTHOR, R.INVITED_FOR_AGENCY)


@dataclass(frozen=True)
class Rule:
    """An action is allowed to someone with any of `relations` (and `needs`, if set)."""

    relations: frozenset[Relation]
    needs: Capability | None = None


def rule(*relations: Relation, needs: Capability | None = None) -> tuple[Rule, ...]:
    return (Rule(frozenset(relations), needs),)


def either(*rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(r for group in rules for r in group)


# The actions on each kind of record -----------------------------------------------------


class ChildAction(enum.StrEnum):
    VIEW = "view"
    READ_AUDIT_TRAIL = "read_audit_trail"
    RECORD_ENQUIRY = "record_enquiry"
    DECIDE_TO_CONVENE = "decide_to_convene"
    # Any route other than a section 47 enquiry: pre-birth, transfer in, after an order…
    START_CONFERENCE = "start_conference"
    # A review, or a conference reconvened after a deferred decision.
    START_FOLLOW_ON_CONFERENCE = "start_follow_on_conference"
    # Choose the child's allocated social worker.
    ALLOCATE = "allocate"


class ContributionAction(enum.StrEnum):
    DOWNLOAD = "download"


def start_conference_action(route: str) -> ChildAction:
    """Which action starting a conference on this route is: a review, or a conference
    reconvened after a deferred decision, follows an earlier one (administrators may start
    those too)."""
    if route in (Route.REVIEW, Route.RECONVENED):
        return ChildAction.START_FOLLOW_ON_CONFERENCE
    return ChildAction.START_CONFERENCE


C = ConferenceAction
Cap = Capability

ACCESS: Mapping[str, Mapping[str, tuple[Rule, ...]]] = {
    "child": {
        # An emergency grant opens the record to read, and nothing else: every other action
        # needs a relationship to the child (docs/decisions/0023-break-glass.md).
        ChildAction.VIEW: rule(*CHILD_READERS, R.BREAK_GLASS),
        # System administrators any child's; team managers their team's children's.
        ChildAction.READ_AUDIT_TRAIL: either(
            rule(R.AUDITOR), rule(R.TEAM_MANAGER, needs=Cap.READ_TEAM_AUDIT_TRAILS)
        ),
        # London CP4 §1.6: a social worker or their manager records the strategy discussion
        # and the enquiry; a children's social care manager decides whether to convene.
        ChildAction.RECORD_ENQUIRY: rule(*CHILD_READERS, needs=Cap.RECORD_ENQUIRIES),
        ChildAction.DECIDE_TO_CONVENE: rule(*CHILD_READERS, needs=Cap.DECIDE_TO_CONVENE),
        ChildAction.START_CONFERENCE: rule(*CHILD_READERS, needs=Cap.DECIDE_TO_CONVENE),
        # Administrators may also start what follows an earlier conference.
        ChildAction.START_FOLLOW_ON_CONFERENCE: either(
            rule(*CHILD_READERS, needs=Cap.DECIDE_TO_CONVENE), rule(R.ARRANGER)
        ),
        # Issue 15: the team manager reallocates their team's children; the conference service
        # allocates any child, one with no social worker too, so no child is a dead end.
        ChildAction.ALLOCATE: rule(R.TEAM_MANAGER, R.ARRANGER),
    },
    "conference": {
        C.VIEW: rule(*CONFERENCE_READERS, R.MINUTE_TAKER),
        # The conference service's administrators arrange it and choose its chair (§1.6).
        C.SCHEDULE: rule(R.ARRANGER),
        C.CANCEL: rule(R.ARRANGER),
        # Administrators invite and send; the chair sees who is invited (§3.1 to §3.4).
        C.SEE_INVITATIONS: rule(R.ARRANGER, R.CHAIR),
        C.INVITE: rule(R.ARRANGER),
        C.UPDATE_INVITATION: rule(R.ARRANGER),
        C.RECORD_RESPONSE: rule(R.ARRANGER),
        C.SEND_INVITATIONS: rule(R.ARRANGER),
        # §3.3: an observer needs the family's consent (recorded by the administrators) and
        # the chair's (given by the chair alone); §3.9: the chair decides on recording.
        C.RECORD_CONSENT: rule(R.ARRANGER, R.CHAIR),
        C.RECORD_CHAIR_CONSENT: rule(R.CHAIR),
        C.ADD_RECORDING_REQUEST: rule(R.ARRANGER, R.CHAIR),
        C.DECIDE_RECORDING_REQUEST: rule(R.CHAIR),
        # §7.2: administrators ask every invited agency for its report.
        C.REQUEST_REPORTS: rule(R.ARRANGER),
        # §4.16 to §4.17, §7.11: the family's contributions are brought in by administrators,
        # the chair and the professionals who work with the family.
        C.UPLOAD_CONTRIBUTION: either(
            rule(R.ARRANGER, R.CHAIR), rule(*CONFERENCE_READERS, needs=Cap.WRITE_REPORTS)
        ),
        C.SEE_CONTRIBUTIONS: rule(*CONFERENCE_READERS),
        # §5.2 to §5.3: an agency asks the chair to exclude someone; requests are for the
        # chair, the administrators and whoever asked.
        C.REQUEST_EXCLUSION: rule(*CONFERENCE_READERS, needs=Cap.REQUEST_EXCLUSIONS),
        C.SEE_EXCLUSIONS: rule(R.ARRANGER, R.CHAIR),
        # §3.10 to §3.12: the register is kept by administrators and the chair; the chair
        # alone marks the conference held.
        C.TAKE_ATTENDANCE: rule(R.ARRANGER, R.CHAIR, R.MINUTE_TAKER),
        C.MARK_HELD: rule(R.CHAIR),
        # §9.5 to §9.9, §11.1: the four questions, the scores, the views, dissent and the
        # outline plan are written by the chair or a minute-taker on the chair's behalf; the
        # decision for each child is the chair's alone.
        C.RECORD_MEETING: rule(R.CHAIR, R.MINUTE_TAKER),
        C.DECIDE: rule(R.CHAIR),
        C.RECORD_DISSENT: rule(R.CHAIR, R.MINUTE_TAKER),
        C.DRAFT_OUTLINE_PLAN: rule(R.CHAIR, R.MINUTE_TAKER),
        # §14.4 to §14.13: the chair signs the letter and the record and decides who gets a
        # copy; a minute-taker drafts the record with the chair; the administrators send them.
        # Whoever may see the conference reads the signed letter and record.
        C.SEE_DOCUMENTS: rule(R.ARRANGER, R.CHAIR, R.MINUTE_TAKER),
        C.READ_RECORD: rule(*CONFERENCE_READERS, R.MINUTE_TAKER),
        C.WRITE_RECORD: rule(R.CHAIR, R.MINUTE_TAKER),
        C.SIGN_DOCUMENTS: rule(R.CHAIR),
        C.SEND_DOCUMENTS: rule(R.ARRANGER),
        # Register R:20 and London CP4 §12.2: the social worker helps a parent or child appeal
        # and the administrators log what comes by post; a complaint is made to the chair.
        # The head of service (who answers appeals) and the chair's manager (who decides
        # complaints) are let in by `holds_escalation_step`.
        C.SEE_CHALLENGES: either(
            rule(R.ARRANGER, R.CHAIR, R.ALLOCATED_WORKER, R.TEAM_MANAGER),
            rule(R.AUTHORITY_WIDE, needs=Cap.ANSWER_DISSENT_AS_HEAD_OF_SERVICE),
        ),
        C.RECORD_APPEAL: rule(R.ARRANGER, R.CHAIR, R.ALLOCATED_WORKER, R.TEAM_MANAGER),
        C.RECORD_COMPLAINT: rule(R.ARRANGER, R.CHAIR),
        # Register guidance: the chair refers to the children's reporter; the administrators
        # send the minutes.
        C.REFER_TO_REPORTER: rule(R.ARRANGER, R.CHAIR),
    },
    "report": {
        ReportAction.VIEW: rule(*CONFERENCE_READERS),
        ReportAction.READ_DRAFT: rule(R.REPORT_AGENCY),
        # §7.9: each agency writes and signs its own report.
        ReportAction.SAVE_DRAFT: rule(R.REPORT_AGENCY),
        ReportAction.ADD_CHILD_SEEN: rule(R.REPORT_AGENCY),
        ReportAction.SUBMIT: rule(R.REPORT_AGENCY),
        # §7.7, §7.9: shared with the family by the administrators or the report's agency.
        ReportAction.SHARE_WITH_FAMILY: rule(R.ARRANGER, R.REPORT_AGENCY),
        ReportAction.RECORD_FAMILY_COMMENTS: rule(R.ARRANGER, R.REPORT_AGENCY),
        ReportAction.RECORD_CHAIR_SUMMARY: rule(),
    },
    # London CP4 §7.10: the police report is for the chair alone (and the police who wrote
    # it), never shared with the family; the chair summarises it for the others. Within the
    # police, only its author and the officers invited to the conference may open it: being
    # in the force, or working with the child, is not enough.
    "police_report": {
        ReportAction.VIEW: rule(R.CHAIR, *POLICE_REPORT_WRITERS),
        ReportAction.READ_DRAFT: rule(*POLICE_REPORT_WRITERS),
        ReportAction.SAVE_DRAFT: rule(*POLICE_REPORT_WRITERS),
        ReportAction.ADD_CHILD_SEEN: rule(*POLICE_REPORT_WRITERS),
        ReportAction.SUBMIT: rule(*POLICE_REPORT_WRITERS),
        ReportAction.SHARE_WITH_FAMILY: rule(),
        ReportAction.RECORD_FAMILY_COMMENTS: rule(),
        ReportAction.RECORD_CHAIR_SUMMARY: rule(R.CHAIR),
    },
    "exclusion": {
        ExclusionAction.VIEW: rule(R.ARRANGER, R.CHAIR, R.REQUESTER),
        # §5.1, §5.8: the chair decides, and the decision is final.
        ExclusionAction.DECIDE: rule(R.CHAIR),
        # §5.9 to §5.10: the letter and the excluded person's views are handled by the chair
        # and the administrators.
        ExclusionAction.RECORD_VIEWS: rule(R.ARRANGER, R.CHAIR),
        ExclusionAction.WRITE_LETTER: rule(R.ARRANGER, R.CHAIR),
    },
    "contribution": {
        ContributionAction.DOWNLOAD: rule(*CONFERENCE_READERS),
    },
    # A child protection plan: read by whoever may read the child's record; kept up to date
    # between conferences by the lead (allocated) social worker and their team manager
    # (London CP4 §9.7 to §9.9, §14.3); a review brought forward by them or the conference
    # service (§1.23); ended without a conference only by a senior manager (§10.5 to §10.6).
    "plan": {
        PlanAction.VIEW: rule(*CHILD_READERS),
        PlanAction.EDIT: rule(R.ALLOCATED_WORKER, R.TEAM_MANAGER),
        PlanAction.UPDATE_ACTIONS: rule(R.ALLOCATED_WORKER, R.TEAM_MANAGER),
        PlanAction.SCHEDULE_CORE_GROUP: rule(R.ALLOCATED_WORKER, R.TEAM_MANAGER),
        PlanAction.RECORD_CORE_GROUP: rule(R.ALLOCATED_WORKER, R.TEAM_MANAGER),
        PlanAction.BRING_REVIEW_FORWARD: rule(R.ALLOCATED_WORKER, R.TEAM_MANAGER, R.ARRANGER),
        PlanAction.RECORD_BIRTH: rule(R.ALLOCATED_WORKER, R.TEAM_MANAGER),
        PlanAction.END_WITHOUT_CONFERENCE: rule(
            R.AUTHORITY_WIDE, needs=Cap.END_PLANS_WITHOUT_CONFERENCE
        ),
    },
}


# Relationships as filters ---------------------------------------------------------------

# Filters that match no record and every record. Django drops an empty Q() from an OR, so
# "every record" is written as a condition that always holds.
NOBODY = Q(pk__in=[])
EVERYONE = Q(pk__isnull=False)


@dataclass(frozen=True)
class Resource:
    """How to reach, from one kind of record, the children and the conference it is about."""

    model: type[models.Model]
    to_child: str  # the path from this record to a child it is about ("" for a child)
    to_conference: str | None  # the path to its conference ("" for one); None: no conference
    # The action everything else also needs: to open a report you must see its conference.
    base: str | None = None


RESOURCES: Mapping[str, Resource] = {
    "child": Resource(Child, to_child="", to_conference=None),
    "conference": Resource(Conference, to_child="subjects__child__", to_conference=""),
    "report": Resource(Report, "conference__subjects__child__", "conference__", C.VIEW),
    "exclusion": Resource(
        ExclusionRequest, "conference__subjects__child__", "conference__", C.VIEW
    ),
    "contribution": Resource(Contribution, "conference__subjects__child__", "conference__"),
    "plan": Resource(Plan, to_child="child__", to_conference=None),
}


def _relation_q(
    relation: Relation,
    user: User,
    caps: frozenset[Capability],
    res: Resource,
    today: date,
    now: datetime | None = None,
) -> Q:
    """The records to which this user stands in this relation."""
    child, conf = res.to_child, res.to_conference
    if relation == R.BREAK_GLASS:
        return _break_glass_q(res, user, now)
    if relation == R.AUTHORITY_WIDE:
        return EVERYONE if Cap.SEE_ALL_CHILDREN in caps else NOBODY
    if relation == R.AUDITOR:
        return EVERYONE if Cap.READ_ANY_AUDIT_TRAIL in caps else NOBODY
    if relation == R.ALLOCATED_WORKER and Cap.SEE_ALLOCATED_CHILDREN in caps:
        return Q(**{f"{child}social_worker": user})
    if relation == R.TEAM_MANAGER and Cap.SEE_TEAM_CHILDREN in caps:
        return Q(**{f"{child}social_worker__team__manager": user})
    if relation == R.WORKS_WITH and Cap.SEE_CHILDREN_WORKED_WITH in caps:
        # In one filter: the same involvement is the user's and has not ended.
        return Q(**{f"{child}involvements__professional__user": user}) & (
            Q(**{f"{child}involvements__ended__isnull": True})
            | Q(**{f"{child}involvements__ended__gte": today})
        )
    if relation == R.ARRANGER:
        # Administrators arrange every conference, and start those that follow one (§1.20).
        return EVERYONE if Cap.ARRANGE_CONFERENCES in caps else NOBODY
    if relation == R.MINUTE_TAKER:
        return EVERYONE if Cap.TAKE_MINUTES in caps and conf is not None else NOBODY
    if conf is None:
        return NOBODY
    if relation == R.CHAIR and Cap.CHAIR_CONFERENCES in caps:
        return Q(**{f"{conf}chair": user})
    if relation == R.INVITEE:
        return _invited_q(conf, user)
    if res.model is Report and Cap.WRITE_REPORTS in caps:
        if relation == R.REPORT_AGENCY:
            return Q(agency_id=user.agency_id)
        if relation == R.REPORT_AUTHOR:
            return Q(author=user)
        if relation == R.INVITED_FOR_AGENCY:
            return Q(agency_id=user.agency_id) & _invited_q(conf, user)
    if relation == R.REQUESTER and res.model is ExclusionRequest:
        return Q(requested_by=user)
    return NOBODY


def _invited_q(conf: str, user: User) -> Q:
    """Conferences (through the path `conf`) to which this person is invited as a professional
    (`own_invitations_q`)."""
    return _invitation_q(f"{conf}invitations__", user)


def _invitation_q(to: str, user: User) -> Q:
    """Invitations (through the path `to`) of this person as a professional: as their own
    professional record, or, where the record is not linked to their account (an imported
    one, say), as a professional of their own agency at their own sign-in address."""
    own_record = Q(**{f"{to}professional__user": user})
    if not user.email:
        return own_record
    # In one Q, so that the role, the address and the agency are those of the same invitation.
    at_their_address = Q(
        **{
            f"{to}role": InviteeRole.PROFESSIONAL,
            f"{to}email__iexact": user.email,
            f"{to}agency_id": user.agency_id,
        }
    )
    return own_record | at_their_address


def _break_glass_q(res: Resource, user: User, now: datetime | None) -> Q:
    """Children for whom this user holds an unexpired emergency grant: only a child's own
    record, only when the page passes the time, only while the user may still ask for one."""
    if now is None or res.model is not Child or not may_use_emergency_access(user):
        return NOBODY
    # In one filter: the same grant is the user's and has not expired.
    return Q(emergency_accesses__user=user, emergency_accesses__expires_at__gt=now)


def _rules_q(
    rules: tuple[Rule, ...],
    user: User,
    caps: frozenset[Capability],
    res: Resource,
    today: date,
    now: datetime | None = None,
) -> Q:
    """The records on which the rules allow this user the action."""
    found = [
        _relation_q(relation, user, caps, res, today, now)
        for one in rules
        if one.needs is None or one.needs in caps
        for relation in sorted(one.relations)
    ]
    if EVERYONE in found:
        return EVERYONE
    return _any_of([q for q in found if q != NOBODY])


def _any_of(filters: list[Q]) -> Q:
    if not filters:
        return NOBODY
    combined = filters[0]
    for q in filters[1:]:
        combined |= q
    return combined


def _signed_in(user: User | AnonymousUser) -> User | None:
    from convene.access.models import User

    if not isinstance(user, User) or not user.is_active:
        return None
    return user


def allowed_q(
    resource: str,
    user: User | AnonymousUser,
    action: str,
    *,
    today: date,
    now: datetime | None = None,
) -> Q:
    """A filter for the records of this kind on which the user may take the action. Given
    `now`, an unexpired emergency grant counts too (Relation.BREAK_GLASS)."""
    person = _signed_in(user)
    if person is None:
        return NOBODY
    caps = capabilities(person)
    res = RESOURCES[resource]
    if resource == "report":
        # A police report has its own table (§7.10).
        other = _rules_q(ACCESS["report"][action], person, caps, res, today)
        police = _rules_q(ACCESS["police_report"][action], person, caps, res, today)
        q = _any_of(
            [
                f & kind
                for f, kind in (
                    (other, ~Q(kind=ReportKind.POLICE)),
                    (police, Q(kind=ReportKind.POLICE)),
                )
                if f != NOBODY
            ]
        )
    else:
        q = _rules_q(ACCESS[resource][action], person, caps, res, today, now)
    if res.base is not None and q != NOBODY:
        conference = RESOURCES["conference"]
        base = _rules_q(ACCESS["conference"][res.base], person, caps, conference, today)
        if base != EVERYONE:
            ids = Conference.objects.filter(base).values("pk")
            q &= Q(**{f"{res.to_conference}in": ids})
    return q


M = TypeVar("M", bound=models.Model)


def _fetch(
    queryset: QuerySet[M],
    resource: str,
    user: Any,
    pk: int,
    action: str,
    today: date,
    now: datetime | None = None,
) -> M:
    allowed = allowed_q(resource, user, action, today=today, now=now)
    found = queryset.filter(pk=pk).filter(allowed).first()
    if found is None:
        raise Http404(f"No {resource.replace('_', ' ')} found")
    reading.note(found)  # the page's read goes on the audit trail (convene.access.reading)
    return found


# One fetch-and-authorise function per resource --------------------------------------------


def child_for(
    user: User | AnonymousUser,
    pk: int,
    *,
    today: date,
    action: str = ChildAction.VIEW,
    now: datetime | None = None,
) -> Child:
    """The child, if the user may take the action on their record; 404 otherwise. Given
    `now` (the child's record page alone), an unexpired emergency grant lets its holder read."""
    children = Child.objects.select_related(
        "household", "social_worker", "social_worker__team"
    ).filter(allowed_q("child", user, ChildAction.VIEW, today=today, now=now))
    return _fetch(children, "child", user, pk, action, today, now)


def plan_for(
    user: User | AnonymousUser, pk: int, *, today: date, action: str = PlanAction.VIEW
) -> Plan:
    """The child protection plan, if the user may see the child's record and take the
    action; 404 otherwise (a plan another authority held is never Convene's to change)."""
    plans = Plan.objects.select_related(
        "child", "child__household", "lead_social_worker", "started_by"
    ).filter(allowed_q("plan", user, PlanAction.VIEW, today=today))
    return _fetch(plans, "plan", user, pk, action, today)


def conference_for(
    user: User | AnonymousUser, pk: int, *, today: date, action: str = C.VIEW
) -> Conference:
    """The conference, if the user may see it and take the action; 404 otherwise."""
    conferences = Conference.objects.select_related(
        "chair", "household", "decided_by", "not_chaired_by"
    ).filter(allowed_q("conference", user, C.VIEW, today=today))
    return _fetch(conferences, "conference", user, pk, action, today)


def report_for(
    user: User | AnonymousUser, pk: int, *, today: date, action: str = ReportAction.VIEW
) -> Report:
    """The report, if the user may take the action on it; 404 otherwise, so a police report's
    existence is hidden from other agencies (§7.10)."""
    reports = Report.objects.select_related("conference", "conference__chair", "agency", "author")
    return _fetch(reports, "report", user, pk, action, today)


def exclusion_for(
    user: User | AnonymousUser, pk: int, *, today: date, action: str = ExclusionAction.VIEW
) -> ExclusionRequest:
    """A request to exclude someone (§5), for those it allows; 404 otherwise."""
    exclusions = ExclusionRequest.objects.select_related(
        "conference",
        "conference__chair",
        "conference__household",
        "invitation",
        "invitation__adult",
        "invitation__child",
        "requested_by",
    )
    return _fetch(exclusions, "exclusion", user, pk, action, today)


def contribution_for(
    user: User | AnonymousUser,
    pk: int,
    *,
    today: date,
    action: str = ContributionAction.DOWNLOAD,
) -> Contribution:
    """A family's contribution, for anyone who may see its conference; 404 otherwise."""
    contributions = Contribution.objects.select_related("conference", "child")
    return _fetch(contributions, "contribution", user, pk, action, today)


def invitation_for(conference: Conference, pk: int) -> Invitation:
    """An invitation to this conference (the conference already authorised); 404 for any
    other."""
    invitation = (
        Invitation.objects.select_related("conference", "adult", "child", "professional", "agency")
        .filter(conference=conference, pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404("No invitation found")
    return invitation


def recording_request_for(conference: Conference, pk: int) -> RecordingRequest:
    """A request to record this conference (the conference already authorised); 404 for any
    other."""
    recording = RecordingRequest.objects.filter(conference=conference, pk=pk).first()
    if recording is None:
        raise Http404("No request found")
    return recording


# What pages offer ---------------------------------------------------------------------------


def resource_of(record: models.Model) -> str:
    if isinstance(record, Report):
        return "police_report" if record.kind == ReportKind.POLICE else "report"
    for name, res in RESOURCES.items():
        if isinstance(record, res.model):
            return name
    raise TypeError(f"No access table for {type(record).__name__}")


def relations(
    user: User | AnonymousUser,
    record: models.Model,
    *,
    today: date,
    now: datetime | None = None,
) -> frozenset[Relation]:
    """How this user stands to the record: one query, however many relations there are."""
    person = _signed_in(user)
    if person is None:
        return frozenset()
    caps = capabilities(person)
    res = RESOURCES["report" if isinstance(record, Report) else resource_of(record)]
    found: set[Relation] = set()
    checks: dict[str, Exists] = {}
    for relation in Relation:
        q = _relation_q(relation, person, caps, res, today, now)
        if q == EVERYONE:
            found.add(relation)
        elif q != NOBODY:
            matching = res.model._default_manager.filter(pk=OuterRef("pk")).filter(q)
            checks[f"is_{relation.value}"] = Exists(matching)
    if checks:
        row = res.model._default_manager.filter(pk=record.pk).values(**checks).first() or {}
        found |= {Relation(name.removeprefix("is_")) for name, holds in row.items() if holds}
    return frozenset(found)


def permitted(
    user: User | AnonymousUser,
    record: models.Model,
    *,
    today: date,
    now: datetime | None = None,
) -> frozenset[str]:
    """Every action this user may take on the record (the page then offers those that its
    state allows too). For a record under a conference, the caller has already fetched it
    through its `<resource>_for`, which checked the conference."""
    person = _signed_in(user)
    if person is None:
        return frozenset()
    caps = capabilities(person)
    held = relations(person, record, today=today, now=now)
    table = ACCESS[resource_of(record)]
    return frozenset(
        action
        for action, rules in table.items()
        if any((r.needs is None or r.needs in caps) and r.relations & held for r in rules)
    )


def require(allowed: bool) -> None:
    """Raise 404 unless allowed: pages someone may not use look like pages that do not exist."""
    if not allowed:
        raise Http404("No such page")


# Lists -----------------------------------------------------------------------------------


def visible_children(user: User | AnonymousUser, *, today: date) -> QuerySet[Child]:
    """Every child whose record this user may open."""
    q = allowed_q("child", user, ChildAction.VIEW, today=today)
    if q == NOBODY:
        return Child.objects.none()
    children = Child.objects.all()
    return (
        children if q == EVERYONE else children.filter(pk__in=Child.objects.filter(q).values("pk"))
    )


def sees_every_child(user: User | AnonymousUser, *, today: date) -> bool:
    """Whether `visible_children` is every child: a list may then take its count from
    elsewhere instead of counting the children again."""
    return allowed_q("child", user, ChildAction.VIEW, today=today) == EVERYONE


def visible_conferences(user: User | AnonymousUser, *, today: date) -> QuerySet[Conference]:
    q = allowed_q("conference", user, C.VIEW, today=today)
    if q == NOBODY:
        return Conference.objects.none()
    conferences = Conference.objects.all()
    if q == EVERYONE:
        return conferences
    return conferences.filter(pk__in=Conference.objects.filter(q).values("pk"))


def allowed_pks(
    user: User | AnonymousUser, resource: str, action: str, pks: Iterable[int], *, today: date
) -> set[int]:
    """Of these records, the ones on which the user may take the action: for a list that
    offers the action row by row. One query at most, however many rows."""
    wanted = set(pks)
    q = allowed_q(resource, user, action, today=today)
    if q == NOBODY or not wanted:
        return set()
    if q == EVERYONE:
        return wanted
    model = RESOURCES[resource].model
    return set(model._default_manager.filter(q, pk__in=wanted).values_list("pk", flat=True))


def own_invitations_q(user: User | AnonymousUser) -> Q:
    """A filter for the invitations that make this person an invitee (`Relation.INVITEE`)."""
    person = _signed_in(user)
    return NOBODY if person is None else _invitation_q("", person)


def can_read_child_audit_trail(user: User | AnonymousUser, child: Child, *, today: date) -> bool:
    return ChildAction.READ_AUDIT_TRAIL in permitted(user, child, today=today)


def can_see_all_children(user: User | AnonymousUser) -> bool:
    return has(user, Cap.SEE_ALL_CHILDREN)


def child_audit_trail_for(user: User | AnonymousUser, pk: int, *, today: date) -> Child:
    """The child whose audit trail this user may read (not their record: a system
    administrator reads trails, not case files); 404 otherwise."""
    children = Child.objects.select_related("social_worker")
    return _fetch(children, "child", user, pk, ChildAction.READ_AUDIT_TRAIL, today)


# Capabilities that are not about one record -----------------------------------------------


def can_look_up_any_audit_trail(user: User | AnonymousUser) -> bool:
    return has(user, Cap.READ_ANY_AUDIT_TRAIL)


def can_manage_authority_settings(user: User | AnonymousUser) -> bool:
    return has(user, Cap.MANAGE_AUTHORITY_SETTINGS)


def can_manage_accounts(user: User | AnonymousUser) -> bool:
    """People's accounts are looked after by system administrators alone."""
    return has(user, Cap.MANAGE_ACCOUNTS)


def account_for(user: User | AnonymousUser, pk: int) -> User:
    """Someone's account, for a person who manages accounts; 404 otherwise (and for an
    account that does not exist)."""
    from convene.access.models import User

    if not can_manage_accounts(user):
        raise Http404("No such account")
    found = User.objects.select_related("agency", "team").filter(pk=pk).first()
    if found is None:
        raise Http404("No such account")
    reading.note(found)  # the page's read names the account on the audit trail
    return found


def can_manage_single_sign_on(user: User | AnonymousUser) -> bool:
    """Which of the identity provider's groups give which roles: the system administrator."""
    return has(user, Cap.MANAGE_AUTHORITY_SETTINGS)


def can_manage_retention(user: User | AnonymousUser) -> bool:
    """The retention schedule and legal holds on children's records: the system
    administrator, who looks after the records, not the case work."""
    return has(user, Cap.MANAGE_AUTHORITY_SETTINGS)


def can_view_performance(user: User | AnonymousUser) -> bool:
    return has(user, Cap.VIEW_PERFORMANCE)


def can_view_work_list(user: User | AnonymousUser) -> bool:
    return has(user, Cap.VIEW_WORK_LIST)


def can_make_register_enquiries(user: User | AnonymousUser) -> bool:
    return has(user, Cap.MAKE_REGISTER_ENQUIRIES)


def can_keep_register(user: User | AnonymousUser) -> bool:
    """The list of children subject to a plan and every enquiry about it (§14.14)."""
    return has(user, Cap.KEEP_REGISTER)


def register_enquiry_for(user: User | AnonymousUser, pk: int) -> RegisterEnquiry:
    """An enquiry about the list: its enquirer's own, or any for the designated manager; 404
    otherwise, so one enquirer never learns of another's enquiries."""
    person = _signed_in(user)
    enquiries = RegisterEnquiry.objects.select_related("enquirer", "child", "plan")
    if person is None:
        raise Http404("No such enquiry")
    if not has(person, Cap.KEEP_REGISTER):
        if not has(person, Cap.MAKE_REGISTER_ENQUIRIES):
            raise Http404("No such enquiry")
        enquiries = enquiries.filter(enquirer=person)
    found = enquiries.filter(pk=pk).first()
    if found is None:
        raise Http404("No such enquiry")
    return found


def holds_escalation_step(user: User | AnonymousUser, holder: str, conference: Conference) -> bool:
    """Who answers a stage of an escalation of dissent (London CP4 §11): the conference's chair;
    the chair's manager (their team's manager, or a senior manager when the chair has none);
    the head of service (a senior manager, safeguarding)."""
    person = _signed_in(user)
    if person is None:
        return False
    chair = conference.chair
    if holder == "chair":
        return chair is not None and chair.pk == person.pk
    senior = has(person, Cap.ANSWER_DISSENT_AS_HEAD_OF_SERVICE)
    if holder == "chairs_manager":
        manager = chair.team.manager if chair is not None and chair.team else None
        return person.pk == manager.pk if manager is not None else senior
    return senior


def _users_with(capability: Capability) -> QuerySet[User]:
    from convene.access.models import User

    roles = [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]
    return User.objects.filter(is_active=True, role_grants__role__in=roles).distinct()


def holders_of(holder: str, conference: Conference) -> QuerySet[User]:
    """Everyone `holds_escalation_step` says holds this stage, as one query (to tell them)."""
    from convene.access.models import User

    chair = conference.chair
    active = User.objects.filter(is_active=True)
    if holder == "chair":
        return active.filter(pk=chair.pk) if chair is not None else active.none()
    if holder == "chairs_manager":
        manager = chair.team.manager if chair is not None and chair.team else None
        if manager is not None:
            return active.filter(pk=manager.pk)
    return _users_with(Cap.ANSWER_DISSENT_AS_HEAD_OF_SERVICE)


def may_answer_appeal(user: User | AnonymousUser, conference: Conference) -> bool:
    """Register R:20: the head of service answers an appeal in writing."""
    return holds_escalation_step(user, "head_of_service", conference)


def may_decide_complaint(user: User | AnonymousUser, conference: Conference) -> bool:
    """London CP4 §12.2: a complaint passes to the chair's manager (or the head of service
    above them), who decides its outcome."""
    return holds_escalation_step(user, "chairs_manager", conference) or may_answer_appeal(
        user, conference
    )


def may_see_challenges(user: User | AnonymousUser, conference: Conference, *, today: date) -> bool:
    """The appeals and complaints about a conference: for those the table lets see them, and
    for whoever answers or decides them."""
    return C.SEE_CHALLENGES in permitted(user, conference, today=today) or may_decide_complaint(
        user, conference
    )


def challenge_conference_for(user: User | AnonymousUser, pk: int, *, today: date) -> Conference:
    """A conference's appeals and complaints page; 404 for anyone else."""
    conference = (
        Conference.objects.select_related("chair__team__manager", "household").filter(pk=pk).first()
    )
    if conference is None or not may_see_challenges(user, conference, today=today):
        raise Http404("No conference found")
    reading.note(conference)
    return conference


def appeal_for(user: User | AnonymousUser, pk: int, *, today: date) -> Appeal:
    found = (
        Appeal.objects.select_related(
            "decision__conference__chair__team__manager",
            "decision__child",
            "recorded_by",
            "answered_by",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not may_see_challenges(user, found.decision.conference, today=today):
        raise Http404("No appeal found")
    reading.note(found.decision.conference)
    return found


def complaint_for(user: User | AnonymousUser, pk: int, *, today: date) -> Complaint:
    found = (
        Complaint.objects.select_related(
            "conference__chair__team__manager",
            "agency",
            "recorded_by",
            "decided_by",
            "reconvened",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not may_see_challenges(user, found.conference, today=today):
        raise Http404("No complaint found")
    reading.note(found.conference)
    return found


def may_hold_dissent_stages(user: User | AnonymousUser) -> bool:
    """Whether any stage of an escalation could be this person's: chairs, managers of a team
    (a chair's manager) and the head of service."""
    person = _signed_in(user)
    if person is None:
        return False
    return (
        has(person, Cap.CHAIR_CONFERENCES)
        or has(person, Cap.ANSWER_DISSENT_AS_HEAD_OF_SERVICE)
        or person.managed_teams.exists()
    )


def can_list_conferences(user: User | AnonymousUser) -> bool:
    """The conferences list is for those who arrange and chair them."""
    return has(user, Cap.ARRANGE_CONFERENCES) or has(user, Cap.CHAIR_CONFERENCES)


def has_arrange(user: User | AnonymousUser) -> bool:
    """Whether this person arranges conferences (and sends their letters and records)."""
    return has(user, Cap.ARRANGE_CONFERENCES)


def can_run_post_room(user: User | AnonymousUser) -> bool:
    """The post room's printed letters and records are posted by the conference service."""
    return has(user, Cap.ARRANGE_CONFERENCES)


def can_chair(user: User) -> bool:
    return has(user, Cap.CHAIR_CONFERENCES)


# Working on children's cases: recording enquiries, deciding to convene or writing reports.
CASE_WORK = frozenset({Cap.RECORD_ENQUIRIES, Cap.DECIDE_TO_CONVENE, Cap.WRITE_REPORTS})


def case_work_roles() -> frozenset[Any]:
    """The roles whose holders work on children's cases and may be invited to a conference as
    professionals."""
    return frozenset(role for role, caps in ROLE_CAPABILITIES.items() if caps & CASE_WORK)


def does_case_work(user: User | AnonymousUser) -> bool:
    """Whether this person works on children's cases (and so is invited and owes reports)."""
    return bool(capabilities(user) & CASE_WORK)


def chair_roles() -> frozenset[Any]:
    """The roles whose holders may chair a conference (London CP4 §8.1)."""
    return frozenset(
        role for role, caps in ROLE_CAPABILITIES.items() if Cap.CHAIR_CONFERENCES in caps
    )


# Emergency ("break-glass") access (docs/decisions/0023-break-glass.md) --------------------

# Who may open a child's record they have no relationship to, by giving a reason: the people
# whose job is children's cases (social workers, team managers, senior managers, agency
# professionals such as police officers and health visitors) and conference chairs. Not
# families, nor the legitimate enquirers of the list of children subject to a plan (they ask
# whether a child has a plan, London CP4 §14.15, and learn nothing more), nor minute-takers,
# data officers, the register's manager, conference administrators or system administrators
# (their work is not a child's case: a system administrator reads audit trails, not records).
# Chairs and senior managers already see every child; the page tells them so.
EMERGENCY_ACCESS_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.SENIOR_MANAGER,
        Role.AGENCY_PROFESSIONAL,
        Role.CONFERENCE_CHAIR,
    }
)
# Who reviews every emergency access: the system administrator (who keeps the audit trail)
# and senior managers. A team manager reviews those of their own team's members and those to
# their own team's children.
EMERGENCY_ACCESS_REVIEWERS = frozenset({Role.SYSTEM_ADMINISTRATOR, Role.SENIOR_MANAGER})


def may_use_emergency_access(user: User | AnonymousUser) -> bool:
    person = _signed_in(user)
    return person is not None and bool(person.roles & EMERGENCY_ACCESS_ROLES)


def can_review_emergency_access(user: User | AnonymousUser) -> bool:
    """Whether this person has a list of emergency accesses to review (all, or their teams')."""
    person = _signed_in(user)
    if person is None:
        return False
    return bool(person.roles & EMERGENCY_ACCESS_REVIEWERS) or has(
        person, Cap.READ_TEAM_AUDIT_TRAILS
    )


def emergency_access_review_q(user: User | AnonymousUser) -> Q:
    """A filter for the emergency accesses this person reviews."""
    person = _signed_in(user)
    if person is None:
        return NOBODY
    if person.roles & EMERGENCY_ACCESS_REVIEWERS:
        return EVERYONE
    if not has(person, Cap.READ_TEAM_AUDIT_TRAILS):
        return NOBODY
    return Q(user__team__manager=person) | Q(child__social_worker__team__manager=person)


def emergency_access_for(user: User | AnonymousUser, pk: int) -> EmergencyAccess:
    """One's own emergency access request (what it matched, and until when); 404 for anyone
    else's, so nobody learns of another's request from its address."""
    person = _signed_in(user)
    found = (
        EmergencyAccess.objects.select_related("child").filter(pk=pk, user=person).first()
        if person is not None and may_use_emergency_access(person)
        else None
    )
    if found is None:
        raise Http404("No such request")
    reading.note(found)
    return found


def reads_only_by_emergency_access(
    user: User | AnonymousUser, child: Child, *, today: date, now: datetime
) -> bool:
    """Whether this person reads the child's record through an emergency grant alone (so the
    page says so, and its reading is marked as emergency access on the audit trail)."""
    held = relations(user, child, today=today, now=now)
    return R.BREAK_GLASS in held and not held & CHILD_READERS
