"""Reads for ending a plan and for child in need plans: who is told the plan has ended, and
the child in need plan a person may open (access decided by convene.policy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from convene import policy
from convene.conferences.enums import Delivery
from convene.conferences.models import Invitation
from convene.plans.ending import rules
from convene.plans.enums import CoreGroupKind
from convene.plans.models import ChildInNeedPlan, CoreGroupMember, Plan
from convene.plans.rules import PlanAction
from convene.policy import ChildAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from convene.access.models import User


@dataclass(frozen=True)
class Recipient:
    """Someone told the plan has ended (London CP4 §10.9)."""

    name: str
    why: str  # "Invited to the initial conference: parent or carer", "Core group: midwife"
    email: str = ""
    address: str = ""
    prefers_letter: bool = False

    @property
    def channel(self) -> str | None:
        return rules.channel(
            email=self.email, address=self.address, prefers_letter=self.prefers_letter
        )

    @property
    def key(self) -> tuple[str, ...]:
        """The same person reached the same way is told once."""
        if self.channel == "email":
            return ("email", self.email.strip().lower())
        return ("letter", self.name.strip().lower(), " ".join(self.address.lower().split()))


def _household_address(household: object) -> str:
    if household is None:
        return ""
    parts = (getattr(household, "address", ""), getattr(household, "postcode", ""))
    return "\n".join(part for part in parts if part)


def _invited(plan: Plan, reason: str) -> list[Recipient]:
    if plan.started_by_id is None:
        return []
    invitations = Invitation.objects.filter(conference_id=plan.started_by_id).select_related(
        "adult", "child", "professional"
    )
    if not rules.tells_the_child(reason):
        invitations = invitations.exclude(child_id=plan.child_id)
    return [
        Recipient(
            name=invitation.display_name,
            why=f"Invited to the initial conference: {invitation.get_role_display().lower()}",
            email=invitation.email
            or (invitation.professional.email if invitation.professional else ""),
            address=invitation.address,
            prefers_letter=invitation.delivery == Delivery.LETTER,
        )
        for invitation in invitations.order_by("role", "pk")
    ]


def _core_group(plan: Plan, on: date, reason: str) -> list[Recipient]:
    members = (
        CoreGroupMember.objects.filter(plan=plan)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("professional", "adult", "adult__household")
    )
    if not rules.tells_the_child(reason):
        members = members.exclude(kind=CoreGroupKind.CHILD)
    found = []
    for member in members:
        email, address = "", ""
        if member.professional is not None:
            email = member.professional.email
        elif member.adult is not None:
            email = member.adult.email
            address = _household_address(member.adult.household)
        found.append(
            Recipient(
                name=member.name, why=f"Core group: {member.role}", email=email, address=address
            )
        )
    return found


def recipients(plan: Plan, *, on: date, reason: str) -> list[Recipient]:
    """Everyone invited to the conference that started the plan, and the core group as it is
    on the day the plan ends, each once (London CP4 §10.9)."""
    seen: set[tuple[str, ...]] = set()
    found = []
    for recipient in [*_invited(plan, reason), *_core_group(plan, on, reason)]:
        if recipient.channel is not None:
            if recipient.key in seen:
                continue
            seen.add(recipient.key)
        found.append(recipient)
    return found


# Child in need plans -------------------------------------------------------------------------


def cin_plan_for(
    user: User | AnonymousUser, pk: int, *, today: date, write: bool = False
) -> ChildInNeedPlan:
    """The child in need plan, if the user may see it (or, with `write`, keep it); 404
    otherwise. Decided by convene.policy: one that follows a child protection plan as that plan
    (VIEW, or EDIT: the lead social worker and their manager); one decided at a conference
    without a child protection plan as the child (VIEW, or RECORD_ENQUIRY: the social workers
    and team managers who may record enquiries for the child)."""
    cin_plan = (
        ChildInNeedPlan.objects.select_related("child", "follows", "decided_at__conference")
        .filter(pk=pk)
        .first()
    )
    if cin_plan is None:
        raise Http404("No child in need plan found")
    if cin_plan.follows_id is not None:
        action = PlanAction.EDIT if write else PlanAction.VIEW
        policy.plan_for(user, cin_plan.follows_id, today=today, action=action)
    else:
        child_action = ChildAction.RECORD_ENQUIRY if write else ChildAction.VIEW
        policy.child_for(user, cin_plan.child_id, today=today, action=child_action)
    return cin_plan


def may_keep(user: User | AnonymousUser, cin_plan: ChildInNeedPlan, *, today: date) -> bool:
    """Whether this person may record the plan's reviews and end it (as `cin_plan_for` with
    `write`), for the links a page offers."""
    if cin_plan.follows is not None:
        return PlanAction.EDIT in policy.permitted(user, cin_plan.follows, today=today)
    return ChildAction.RECORD_ENQUIRY in policy.permitted(user, cin_plan.child, today=today)


def open_cin_plan(child_id: int) -> ChildInNeedPlan | None:
    return ChildInNeedPlan.objects.filter(child_id=child_id, end_date__isnull=True).first()


def review_dates(cin_plan: ChildInNeedPlan) -> list[date]:
    return list(cin_plan.reviews.order_by("date").values_list("date", flat=True))
