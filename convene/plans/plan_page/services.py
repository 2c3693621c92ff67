"""Changes to a child protection plan between conferences: its lead social worker, contingency
plan and safer-sleeping discussion, its objectives, core group and actions, and progress on
each action (London CP4 §9.7 to §9.9, §14.3; Medway M:58; Derbyshire D:14 to D:17).

The outline plan drafted at the conference uses the same services
(`convene.conferences.decision.services`, which first checks that the conference allows it).

Each service refuses a plan that is not open (`rules.PLAN`), refuses a stale edit
(`versioned_update` on the plan or the action), and writes its audit row on the child's trail
in the same transaction. Objectives and members have no version of their own: changing one
raises the plan's version, so the plan is the record others may be editing at the same time."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.core.services import Actor, ServiceError, StaleEdit, audit, versioned_update
from convene.people.models import Agency, Professional
from convene.plans.enums import ActionStatus, CoreGroupKind
from convene.plans.models import (
    Action,
    ActionUpdate,
    CoreGroupMeeting,
    CoreGroupMember,
    Objective,
    Plan,
)
from convene.plans.rules import PlanAction

from .rules import PLAN, done_on, plan_state, progress_problem


def plan_check(plan: Plan, action: PlanAction = PlanAction.EDIT) -> None:
    """ServiceError unless the plan is open and this authority's."""
    PLAN.check(action, plan_state(end_date=plan.end_date, other_authority=plan.other_authority))


# The plan itself ---------------------------------------------------------------------------


def plan_update(
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
    plan_check(plan)
    if lead_social_worker is None:
        raise ServiceError("Select the lead social worker", field="lead_social_worker")
    with transaction.atomic():
        versioned_update(
            plan,
            version=version,
            lead_social_worker=lead_social_worker,
            contingency_plan=contingency_plan.strip(),
            sudi_discussion=sudi_discussion.strip(),
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=plan,
            about=plan.child,
            reason="Plan changed: lead social worker, contingency plan, SUDI discussion",
        )
    return plan


# Objectives ------------------------------------------------------------------------------


def objective_add(*, plan: Plan, text: str, by: Actor) -> Objective:
    plan_check(plan)
    if not text.strip():
        raise ServiceError("Enter what the plan is to achieve", field="text")
    with transaction.atomic():
        objective = Objective.objects.create(plan=plan, text=text.strip())
        audit(
            by=by, verb=AuditVerb.CREATED, obj=objective, about=plan.child, reason="Objective added"
        )
    return objective


def objective_change(*, objective: Objective, text: str, version: int, by: Actor) -> Objective:
    """New words for an objective, from the plan's version last read."""
    plan = objective.plan
    plan_check(plan)
    if not text.strip():
        raise ServiceError("Enter what the plan is to achieve", field="text")
    with transaction.atomic():
        versioned_update(plan, version=version)
        before = objective.text
        Objective.objects.filter(pk=objective.pk).update(text=text.strip())
        objective.refresh_from_db()
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=objective,
            about=plan.child,
            reason=f"Objective changed (it was: {before[:150]})",
        )
    return objective


# The core group ----------------------------------------------------------------------------


def member_add(
    *,
    plan: Plan,
    kind: CoreGroupKind,
    name: str,
    role: str,
    agency: Agency | None,
    by: Actor,
) -> CoreGroupMember:
    """A member of the core group: professionals, parents, supportive family and friends
    (Cornwall C:115; Derbyshire D:16)."""
    plan_check(plan)
    problems = {}
    if not name.strip():
        problems["name"] = "Enter the member's name"
    if not role.strip():
        problems["role"] = "Enter their role, for example health visitor or mother"
    if kind == CoreGroupKind.PROFESSIONAL and agency is None:
        problems["agency"] = "Select the professional's agency"
    if problems:
        raise ServiceError("The member is not complete", problems=problems)
    professional = None
    if kind == CoreGroupKind.PROFESSIONAL:
        # The professional Convene knows by that name at that agency, so the actions they own
        # are on their own list when they sign in.
        professional = Professional.objects.filter(agency=agency, name__iexact=name.strip()).first()
    with transaction.atomic():
        member = CoreGroupMember.objects.create(
            plan=plan,
            kind=kind,
            name=name.strip(),
            role=role.strip(),
            agency=agency if kind == CoreGroupKind.PROFESSIONAL else None,
            professional=professional,
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=member,
            about=plan.child,
            reason=f"Core group member added: {member}",
        )
    return member


def member_leave(
    *, member: CoreGroupMember, left_on: date | None, version: int, by: Actor, today: date
) -> CoreGroupMember:
    """A member leaves the core group. Their open actions go to someone else first, so no
    action is left without an owner."""
    plan = member.plan
    plan_check(plan)
    if member.left_on is not None:
        raise ServiceError(f"{member.name} left the core group on {member.left_on:%-d %B %Y}")
    if left_on is None:
        raise ServiceError("Enter the date they left", field="left_on")
    if left_on > today:
        raise ServiceError("The date they left must be today or in the past", field="left_on")
    if left_on < plan.start_date:
        raise ServiceError(
            f"The date they left must be on or after the plan started "
            f"({plan.start_date:%-d %B %Y})",
            field="left_on",
        )
    owned = member.actions.exclude(status__in=[ActionStatus.DONE, ActionStatus.STOPPED]).count()
    if owned:
        raise ServiceError(
            f"{member.name} owns {owned} open action{'s' if owned != 1 else ''}: give "
            f"{'them' if owned != 1 else 'it'} to another member of the core group first"
        )
    with transaction.atomic():
        versioned_update(plan, version=version)
        if not CoreGroupMember.objects.filter(pk=member.pk, left_on__isnull=True).update(
            left_on=left_on
        ):
            raise StaleEdit
        member.refresh_from_db()
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=member,
            about=plan.child,
            reason=f"Left the core group on {left_on:%-d %B %Y}: {member}",
        )
    return member


# Actions -----------------------------------------------------------------------------------


def _action_problems(
    plan: Plan,
    *,
    text: str,
    owner: CoreGroupMember | None,
    due: date | None,
    objective: Objective | None,
    today: date,
    due_before: date | None = None,
) -> dict[str, str]:
    problems = {}
    if not text.strip():
        problems["text"] = "Enter what is to be done"
    if owner is None or owner.plan_id != plan.pk or owner.left_on is not None:
        problems["owner"] = "Select who will do it, from the core group"
    if due is None:
        problems["due"] = "Enter the date it is due"
    elif due < today and due != due_before:
        # An overdue action may keep its date while its words change; a new date is ahead.
        problems["due"] = "The date it is due must be today or in the future"
    if objective is not None and objective.plan_id != plan.pk:
        problems["objective"] = "Select an objective of this plan"
    return problems


def _meeting_of(plan: Plan, meeting: CoreGroupMeeting | None) -> None:
    if meeting is not None and meeting.plan_id != plan.pk:
        raise ServiceError("That core group meeting is about another plan")


def action_add(
    *,
    plan: Plan,
    text: str,
    owner: CoreGroupMember | None,
    due: date | None,
    objective: Objective | None,
    by: Actor,
    today: date,
    meeting: CoreGroupMeeting | None = None,
) -> Action:
    """An action with its owner in the core group and its due date (Medway M:58). Agreed at a
    core group meeting, it goes in that meeting's record too (London CP4 §14.3)."""
    plan_check(plan)
    _meeting_of(plan, meeting)
    problems = _action_problems(
        plan, text=text, owner=owner, due=due, objective=objective, today=today
    )
    if problems:
        raise ServiceError("The action is not complete", problems=problems)
    assert owner is not None and due is not None
    with transaction.atomic():
        action = Action.objects.create(
            plan=plan, text=text.strip(), owner=owner, due=due, objective=objective
        )
        reason = "Action added"
        if meeting is not None:
            ActionUpdate.objects.create(
                action=action,
                meeting=meeting,
                date=meeting.date,
                status=action.status,
                progress="New action agreed at this meeting",
                recorded_by=by.user,
            )
            reason += f" at the {meeting}"
        audit(by=by, verb=AuditVerb.CREATED, obj=action, about=plan.child, reason=reason)
    return action


def action_change(
    *,
    action: Action,
    text: str,
    owner: CoreGroupMember | None,
    due: date | None,
    objective: Objective | None,
    version: int,
    by: Actor,
    today: date,
    meeting: CoreGroupMeeting | None = None,
) -> Action:
    """What is to be done, by whom and by when, changed from the version last read. Changed at
    a core group meeting, the change goes in that meeting's record."""
    plan = action.plan
    plan_check(plan)
    _meeting_of(plan, meeting)
    problems = _action_problems(
        plan,
        text=text,
        owner=owner,
        due=due,
        objective=objective,
        today=today,
        due_before=action.due,
    )
    if owner is not None and owner.pk == action.owner_id and owner.plan_id == plan.pk:
        problems.pop("owner", None)  # a member who has left keeps what they already own
    if problems:
        raise ServiceError("The action is not complete", problems=problems)
    assert owner is not None and due is not None
    changes = _what_changed(action, text=text.strip(), owner=owner, due=due, objective=objective)
    with transaction.atomic():
        versioned_update(
            action, version=version, text=text.strip(), owner=owner, due=due, objective=objective
        )
        reason = f"Action changed: {changes}"
        if meeting is not None:
            ActionUpdate.objects.create(
                action=action,
                meeting=meeting,
                date=meeting.date,
                status=action.status,
                progress=f"Changed at this meeting: {changes}",
                recorded_by=by.user,
            )
            reason += f" at the {meeting}"
        audit(by=by, verb=AuditVerb.CHANGED, obj=action, about=plan.child, reason=reason)
    return action


def _what_changed(
    action: Action,
    *,
    text: str,
    owner: CoreGroupMember,
    due: date,
    objective: Objective | None,
) -> str:
    changes = []
    if text != action.text:
        changes.append("what is to be done")
    if owner.pk != action.owner_id:
        changes.append(f"who does it, from {action.owner.name} to {owner.name}")
    if due != action.due:
        changes.append(f"due by, from {action.due:%-d %B %Y} to {due:%-d %B %Y}")
    if (objective.pk if objective else None) != action.objective_id:
        changes.append("the objective it serves")
    return "; ".join(changes) or "nothing"


def action_progress(
    *,
    action: Action,
    status: ActionStatus,
    progress: str,
    version: int,
    by: Actor,
    today: date,
    meeting: CoreGroupMeeting | None = None,
) -> ActionUpdate:
    """Progress on an action, between meetings or at one: its status and the evidence of
    progress, kept as an update (the action's history) and on the action itself."""
    plan = action.plan
    plan_check(plan, PlanAction.RECORD_CORE_GROUP if meeting else PlanAction.UPDATE_ACTIONS)
    _meeting_of(plan, meeting)
    problem = progress_problem(before=action.status, after=status, progress=progress)
    if status == action.status and not progress.strip():
        problem = "Enter the progress made, or choose where the action is up to now"
    if problem:
        raise ServiceError(problem, field="progress")
    with transaction.atomic():
        return record_progress(
            action=action,
            status=status,
            progress=progress,
            version=version,
            by=by,
            on=meeting.date if meeting is not None else today,
            meeting=meeting,
        )


def record_progress(
    *,
    action: Action,
    status: ActionStatus,
    progress: str,
    version: int,
    by: Actor,
    on: date,
    meeting: CoreGroupMeeting | None,
) -> ActionUpdate:
    """The update row, the action brought up to date from its version last read, and the audit
    row: in the caller's transaction, once the caller has checked the plan and the words."""
    before = action.status
    versioned_update(
        action,
        version=version,
        status=status,
        progress=progress.strip() or action.progress,
        done_on=done_on(before_status=before, before_done_on=action.done_on, after=status, on=on),
    )
    update = ActionUpdate.objects.create(
        action=action,
        meeting=meeting,
        date=on,
        status=status,
        progress=progress.strip(),
        recorded_by=by.user,
    )
    where = f" at the {meeting}" if meeting is not None else ""
    audit(
        by=by,
        verb=AuditVerb.CHANGED,
        obj=action,
        about=action.plan.child,
        reason=f"Progress recorded{where}: {ActionStatus(status).label}",
    )
    return update
