"""Changes made at the meeting and after it: the four questions, the safety scores, each
agency's and the family's views, the chair's decision for each child with what it sets going
(a plan, a review, its end), dissent, and the outline plan.

Each checks the conference's status against the one transition table
(`convene.conferences.rules.CONFERENCE`), refuses a stale edit (`versioned_update`), and is
audited on the child's trail (or each subject child's, for the conference) in the same
transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from django.db import IntegrityError, transaction

from convene import policy
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.challenge.models import StageHolder
from convene.challenge.services import escalation_start, tell
from convene.conferences.decision.rules import (
    ALREADY_DECIDED,
    SCORE_MAX,
    SCORE_MIN,
    DecisionEntry,
    decision_problems,
)
from convene.conferences.enums import AfterPlan, ChildOutcome, ParticipantGroup, PlanNeeded
from convene.conferences.models import (
    Assessment,
    Conference,
    ConferenceChild,
    Dissent,
    Invitation,
    ParticipantView,
    SafetyScore,
)
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError, StaleEdit, audit, versioned_update
from convene.people.models import Agency, Child
from convene.plans.enums import Category, CoreGroupKind, PlanEndReason
from convene.plans.models import (
    Action,
    ChildInNeedPlan,
    CoreGroupMeeting,
    CoreGroupMember,
    Objective,
    Plan,
    PlanReview,
)
from convene.plans.plan_page import services as plan_page
from convene.register.services import register_changed
from convene.returns.indicator_facts import plan_refresh

A = ConferenceAction
ASSESSMENT_FIELDS = (
    "working_well",
    "worries_harm",
    "worries_complicating",
    "lived_experience",
    "needs_to_happen",
    "danger_statement",
    "safety_goal",
)


def _subject(conference: Conference, child: Child | None) -> None:
    if child is not None and not conference.subjects.filter(child=child, is_subject=True).exists():
        raise ServiceError("Select a child this conference is about", field="child")


# The four questions ---------------------------------------------------------------------


def assessment_save(
    *,
    conference: Conference,
    child: Child | None,
    values: dict[str, str],
    version: int | None,
    by: Actor,
) -> Assessment:
    """The four questions for the household (no child) or one child: created the first time,
    then changed only from the version last read."""
    CONFERENCE.check(A.RECORD_MEETING, conference.status)
    _subject(conference, child)
    cleaned = {name: values.get(name, "").strip() for name in ASSESSMENT_FIELDS}
    with transaction.atomic():
        existing = Assessment.objects.filter(conference=conference, child=child).first()
        if existing is None:
            try:
                with transaction.atomic():
                    assessment = Assessment.objects.create(
                        conference=conference, child=child, **cleaned
                    )
            except IntegrityError as error:
                # Someone else saved the first version while this page was open.
                raise StaleEdit from error
        else:
            if version is None:
                raise StaleEdit
            assessment = versioned_update(existing, version=version, **cleaned)
        about = child.display_name if child else "the household"
        audit(
            by=by,
            verb=AuditVerb.CHANGED if existing else AuditVerb.CREATED,
            obj=assessment,
            about=child if child is not None else conference,
            reason=f"Recorded the four questions for {about}",
        )
    return assessment


# Safety scores ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreGiven:
    invitation: Invitation
    child: Child
    score: int | None  # None: no score given
    group: ParticipantGroup
    role: str


def scores_record(
    *, conference: Conference, scores: Sequence[ScoreGiven], version: int, by: Actor
) -> Conference:
    """Every participant's 0 to 10 score for each child, by name and role (Cornwall C:113),
    replacing what was recorded before. Refused once a decision is recorded for that child:
    the decision was made on those scores."""
    CONFERENCE.check(A.RECORD_MEETING, conference.status)
    decided = set(conference.subjects.exclude(outcome="").values_list("child_id", flat=True))
    for given in scores:
        if given.invitation.conference_id != conference.pk:
            raise ServiceError("Give scores only for people invited to this conference")
        if given.score is not None and not SCORE_MIN <= given.score <= SCORE_MAX:
            raise ServiceError("A safety score is a whole number from 0 to 10")
    with transaction.atomic():
        versioned_update(conference, version=version)
        recorded = {(s.invitation_id, s.child_id): s for s in conference.safety_scores.all()}
        for given in scores:
            key = (given.invitation.pk, given.child.pk)
            before = recorded.get(key)
            if given.child.pk in decided:
                if (before.score if before else None) != given.score:
                    raise ServiceError(
                        f"The decision for {given.child.display_name} is recorded: "
                        "the scores it was made on can no longer change"
                    )
                continue
            if given.score is None:
                if before is not None:
                    before.delete()
                continue
            SafetyScore.objects.update_or_create(
                conference=conference,
                child=given.child,
                invitation=given.invitation,
                defaults={
                    "name": given.invitation.display_name,
                    "role": given.role,
                    "group": given.group,
                    "score": given.score,
                },
            )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=conference,
            about=conference,
            reason="Recorded the safety scores",
        )
    return conference


# Views -------------------------------------------------------------------------------------


def view_add(
    *,
    conference: Conference,
    child: Child,
    group: ParticipantGroup,
    agency: Agency | None,
    name: str,
    plan_needed: str,
    category: str,
    view: str,
    brought_by_social_worker: bool,
    by: Actor,
) -> ParticipantView:
    """An agency's view on whether a plan is needed with its rationale, or a parent's or the
    child's own view (Register R:17 to R:18; London CP4 §6.1)."""
    CONFERENCE.check(A.RECORD_MEETING, conference.status)
    _subject(conference, child)
    problems = {}
    if not name.strip():
        problems["name"] = "Enter whose view this is"
    if not view.strip():
        problems["view"] = "Enter the view, in plain words"
    if group.is_agency:
        if agency is None:
            problems["agency"] = "Select the agency"
        if plan_needed not in PlanNeeded.values:
            problems["plan_needed"] = "Select whether the agency thinks a plan is needed"
    if category and (category not in Category.values or plan_needed != PlanNeeded.YES):
        problems["category"] = "A category goes with the view that a plan is needed"
    if problems:
        raise ServiceError("The view is not complete", problems=problems)
    with transaction.atomic():
        recorded = ParticipantView.objects.create(
            conference=conference,
            child=child,
            group=group,
            agency=agency if group.is_agency else None,
            name=name.strip(),
            plan_needed=plan_needed if plan_needed in PlanNeeded.values else "",
            category=category,
            view=view.strip(),
            brought_by_social_worker=brought_by_social_worker,
            recorded_by=by.user,
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=recorded,
            about=child,
            reason=f"Recorded the view of {recorded.name} ({group.label})",
        )
    return recorded


# The decision ------------------------------------------------------------------------------


def decision_record(
    *, subject: ConferenceChild, entry: DecisionEntry, version: int, by: Actor, today: date
) -> ConferenceChild:
    """The chair's decision for one child, once, at a held conference (London CP4 §9.6), and
    what it sets going:

    - a child protection plan opens on the conference date with its category and the child's
      lead social worker (its first review and first core group then fall due);
    - at a review, the review the census and the indicators count is written, and the plan
      continues (its latest category may change) or ends with its reason (§10.3);
    - a deferral keeps its reasons and interim plan; the reconvened conference falls due.
    """
    conference = subject.conference
    CONFERENCE.check(A.DECIDE, conference.status)
    child = subject.child
    if not subject.is_subject:
        raise ServiceError(f"{child.display_name} was considered, not a subject of the conference")
    if subject.outcome:
        raise ServiceError(ALREADY_DECIDED.format(child=child.display_name))
    if conference.date is None:
        raise ServiceError("The conference has no date")
    open_plan = Plan.objects.filter(child=child, end_date__isnull=True).first()
    problems = decision_problems(
        entry,
        conference_type=conference.type,
        child=child.display_name,
        has_open_plan=open_plan is not None,
        open_plan_is_ours=open_plan is None or not open_plan.other_authority,
    )
    if problems:
        raise ServiceError("The decision cannot be recorded yet", problems=problems)
    outcome = ChildOutcome(entry.outcome)
    values = {k: v.strip() if isinstance(v, str) else v for k, v in asdict(entry).items()}
    with transaction.atomic():
        versioned_update(subject, version=version, decided_on=today, decided_by=by.user, **values)
        register_profile = authority_procedures().name
        if outcome == ChildOutcome.CP_PLAN:
            plan = _plan_start(subject, open_plan, Category(entry.category), by=by)
            register_changed(
                plan,
                placed=True,
                on=conference.date,
                conference=conference,
                profile_name=register_profile,
            )
        elif outcome in (ChildOutcome.CONTINUE_PLAN, ChildOutcome.END_PLAN):
            assert open_plan is not None
            _plan_review(subject, open_plan, entry, by=by)
            if outcome == ChildOutcome.END_PLAN:
                register_changed(
                    open_plan,
                    placed=False,
                    on=conference.date,
                    conference=conference,
                    profile_name=register_profile,
                )
        # A child in need plan, decided now or following the plan that ends (§10.10).
        if outcome == ChildOutcome.CIN_PLAN or entry.after_plan == AfterPlan.CIN_PLAN:
            _cin_plan_start(
                subject, follows=open_plan if outcome == ChildOutcome.END_PLAN else None, by=by
            )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=subject,
            about=child,
            reason=f"Decision recorded: {_decision_words(subject)}",
        )
    return subject


def _decision_words(subject: ConferenceChild) -> str:
    words = str(subject.get_outcome_display())
    if subject.category:
        words += f" ({subject.get_category_display()})"
    return words


def _plan_start(
    subject: ConferenceChild, open_plan: Plan | None, category: Category, *, by: Actor
) -> Plan:
    conference = subject.conference
    assert conference.date is not None
    if open_plan is not None:
        # A child moving in on another authority's plan (London CP4 §1.17): that plan ends
        # as this authority's starts.
        Plan.objects.filter(pk=open_plan.pk).update(
            end_date=conference.date, end_reason=PlanEndReason.TRANSFERRED
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=open_plan,
            about=subject.child,
            reason="The other authority's plan ended: the child's plan here starts",
        )
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                child=subject.child,
                start_date=conference.date,
                initial_category=category,
                latest_category=category,
                started_by=conference,
                lead_social_worker=subject.child.social_worker,
            )
    except IntegrityError as error:
        raise ServiceError(
            f"A plan cannot start on {conference.date:%-d %B %Y} for "
            f"{subject.child.display_name}: another plan is open or ends after that day"
        ) from error
    plan_refresh(plan)  # the stored review standing (decision 0032)
    worker = subject.child.social_worker
    if worker is not None:
        professional = getattr(worker, "professional", None)
        CoreGroupMember.objects.create(
            plan=plan,
            kind=CoreGroupKind.PROFESSIONAL,
            name=worker.get_full_name(),
            role="Lead social worker",
            professional=professional,
            agency=professional.agency if professional is not None else None,
        )
    audit(
        by=by,
        verb=AuditVerb.CREATED,
        obj=plan,
        about=subject.child,
        reason=f"Child protection plan started ({category.label})",
    )
    return plan


def _cin_plan_start(subject: ConferenceChild, *, follows: Plan | None, by: Actor) -> None:
    """A child in need plan from the conference date, unless one is open already; its reviews
    fall due every 12 weeks (convene.returns.deadlines)."""
    assert subject.conference.date is not None
    if ChildInNeedPlan.objects.filter(child=subject.child, end_date__isnull=True).exists():
        return
    cin_plan = ChildInNeedPlan.objects.create(
        child=subject.child,
        start_date=subject.conference.date,
        decided_at=subject,
        follows=follows,
    )
    audit(
        by=by,
        verb=AuditVerb.CREATED,
        obj=cin_plan,
        about=subject.child,
        reason="Child in need plan started",
    )


def _plan_review(
    subject: ConferenceChild, plan: Plan, entry: DecisionEntry, *, by: Actor
) -> PlanReview:
    conference = subject.conference
    assert conference.date is not None
    continues = entry.outcome == ChildOutcome.CONTINUE_PLAN
    if conference.date <= plan.start_date:
        raise ServiceError("A review must be held after the plan started (DfE rule 8841)")
    if PlanReview.objects.filter(plan=plan, date=conference.date).exists():
        raise ServiceError(f"A review on {conference.date:%-d %B %Y} is already recorded")
    review = PlanReview.objects.create(
        plan=plan,
        date=conference.date,
        attendance=subject,
        plan_continues=continues,
        quorate=conference.quorate,
    )
    plan_refresh(plan)  # the stored review standing (decision 0032)
    if continues:
        Plan.objects.filter(pk=plan.pk).update(latest_category=entry.category)
        words = "continues"
    else:
        Plan.objects.filter(pk=plan.pk).update(
            end_date=conference.date, end_reason=entry.plan_end_reason
        )
        words = f"ends ({PlanEndReason(entry.plan_end_reason).label})"
    audit(
        by=by,
        verb=AuditVerb.CHANGED,
        obj=plan,
        about=subject.child,
        reason=f"Review conference: the child protection plan {words}",
    )
    return review


# Dissent -----------------------------------------------------------------------------------


def dissent_add(
    *,
    subject: ConferenceChild,
    group: ParticipantGroup,
    agency: Agency | None,
    name: str,
    reasons: str,
    by: Actor,
    today: date,
    core_group_meeting: CoreGroupMeeting | None = None,
) -> Dissent:
    """Disagreement with the decision, recorded with it (London CP4 §11.1; Register R:19).
    An agency's dissent starts the escalation protocol the day it is recorded. Dissent at a
    core group meeting of the plan the decision made (§11.2) follows the same stages."""
    CONFERENCE.check(A.RECORD_DISSENT, subject.conference.status)
    if not subject.outcome:
        raise ServiceError("Record the decision first: dissent is disagreement with it")
    problems = {}
    if group.is_agency and agency is None:
        problems["agency"] = "Select the agency that disagrees"
    if not name.strip():
        problems["name"] = "Enter who disagrees"
    if not reasons.strip():
        problems["reasons"] = "Enter why they disagree"
    if problems:
        raise ServiceError("The dissent is not complete", problems=problems)
    with transaction.atomic():
        dissent = Dissent.objects.create(
            decision=subject,
            group=group,
            agency=agency if group.is_agency else None,
            name=name.strip(),
            reasons=reasons.strip(),
            escalation_started_on=today if group.is_agency else None,
            recorded_by=by.user,
            recorded_on=today,
            core_group_meeting=core_group_meeting,
        )
        escalation = escalation_start(
            dissent=dissent, today=today, profile=authority_procedures(), by=by
        )
        first = escalation.steps.first()
        escalated = f"; escalated to {first.name}" if first else ""
        # R:19: the head of service hears at once, whoever disagrees (unless the escalation's
        # first stage is theirs, which tells them already).
        heads_first = first is not None and first.holder == StageHolder.HEAD_OF_SERVICE
        if core_group_meeting is not None:
            where = f" at the core group meeting on {core_group_meeting.date:%-d %B %Y}"
            then = "the stages follow"
        else:
            told = "" if heads_first else _tell_head_of_service(dissent)
            where = ""
            then = f"head of service told: {told}" if told else "the head of service answers"
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=dissent,
            about=subject.child,
            reason=f"Dissent recorded from {dissent.name} ({group.label}){where}{escalated}; "
            + then,
        )
    return dissent


def _tell_head_of_service(dissent: Dissent) -> str:
    """Register R:19: the chair tells the head of service at once, who answers in writing within
    28 days. The head of service is the senior manager (safeguarding); the e-mail names no
    child. Returns who was told."""
    conference = dissent.decision.conference
    assert conference.date is not None
    told = tell(
        policy.holders_of(StageHolder.HEAD_OF_SERVICE, conference),
        subject="Dissent from a child protection conference decision",
        body=(
            "Dear {name},\n\n"
            f"At the {conference.get_type_display().lower()} on "
            f"{conference.date:%-d %B %Y}, {dissent.name} "
            f"({dissent.get_group_display().lower()}) disagreed with the decision for a "
            "child. The procedures ask the head of service to answer in writing within "
            "28 days.\n\n"
            f"Sign in to Convene and open the conference (number {conference.pk}) to read "
            "the reasons.\n"
        ),
        reference=f"dissent-{dissent.pk}-head-of-service",
    )
    return ", ".join(told)


# The outline plan --------------------------------------------------------------------------
# Drafted at the conference with the plan page's own services (convene.plans.plan_page), once
# the conference allows it; after the conference the plan page keeps the plan up to date.


def _plan_open_at_its_conference(plan: Plan) -> Conference:
    conference = plan.started_by
    if conference is None or plan.end_date is not None:
        raise ServiceError("Only an open plan started at a conference has an outline plan")
    CONFERENCE.check(A.DRAFT_OUTLINE_PLAN, conference.status)
    return conference


def outline_update(
    *,
    plan: Plan,
    lead_social_worker: User | None,
    contingency_plan: str,
    sudi_discussion: str,
    version: int,
    by: Actor,
) -> Plan:
    """The lead social worker, the contingency plan (Derbyshire D:17) and, for unborn children
    and babies, the discussion of sudden unexpected death in infancy (London CP4 §9.9)."""
    _plan_open_at_its_conference(plan)
    return plan_page.plan_update(
        plan=plan,
        lead_social_worker=lead_social_worker,
        contingency_plan=contingency_plan,
        sudi_discussion=sudi_discussion,
        version=version,
        by=by,
    )


def objective_add(*, plan: Plan, text: str, by: Actor) -> Objective:
    _plan_open_at_its_conference(plan)
    return plan_page.objective_add(plan=plan, text=text, by=by)


def member_add(
    *,
    plan: Plan,
    kind: CoreGroupKind,
    name: str,
    role: str,
    agency: Agency | None,
    by: Actor,
) -> CoreGroupMember:
    """A member of the core group: professionals, parents, supportive family and friends."""
    _plan_open_at_its_conference(plan)
    return plan_page.member_add(plan=plan, kind=kind, name=name, role=role, agency=agency, by=by)


def action_add(
    *,
    plan: Plan,
    text: str,
    owner: CoreGroupMember | None,
    due: date | None,
    objective: Objective | None,
    by: Actor,
    today: date,
) -> Action:
    """An action with its owner in the core group and its due date (Medway M:58)."""
    _plan_open_at_its_conference(plan)
    return plan_page.action_add(
        plan=plan, text=text, owner=owner, due=due, objective=objective, by=by, today=today
    )
