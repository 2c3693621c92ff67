"""Reads for the decision letter and the copies of letters and records: the letter's facts
from the decision, each recipient with the copy they get, what a person must sign or send
(for the daily digest), and the post room's batch. Constant queries however many children,
invitations and copies there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q

from convene import policy
from convene.access.models import User
from convene.conferences.enums import ChildOutcome, ConferenceStatus, ExclusionDecision
from convene.conferences.letters import rules
from convene.conferences.letters.content import ActionFacts, ChildFacts, LetterFacts
from convene.conferences.letters.enums import Delivery, DocumentKind, DocumentStatus, Reader
from convene.conferences.letters.models import DecisionLetter, DocumentCopy
from convene.conferences.models import Conference, ConferenceChild, Invitation
from convene.conferences.record.models import ConferenceRecord
from convene.conferences.rules import ConferenceAction
from convene.plans.enums import MeetingStatus
from convene.plans.models import Action, CoreGroupMeeting, Plan
from convene.plans.rules import next_review
from convene.timescales import Profile

PLAN_OUTCOMES = (ChildOutcome.CP_PLAN, ChildOutcome.CONTINUE_PLAN)


def _contact(user: User | None) -> str:
    if user is None:
        return ""
    professional = getattr(user, "professional", None)
    phone = professional.phone if professional is not None else ""
    return ", ".join(p for p in (phone, user.email) if p)


def _subjects(conference: Conference) -> list[ConferenceChild]:
    return list(
        conference.subjects.filter(is_subject=True)
        .select_related("child", "child__social_worker", "child__social_worker__professional")
        .order_by("child__date_of_birth", "child__pk")
    )


def letter_facts(conference: Conference, profile: Profile) -> LetterFacts:
    """What the decision letter says, from the decisions as recorded now. Five queries."""
    assert conference.date is not None
    held = conference.date
    subjects = _subjects(conference)
    children = [s.child_id for s in subjects]
    plans = {
        p.child_id: p
        for p in Plan.objects.filter(child__in=children)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=held), start_date__lte=held)
        .select_related("lead_social_worker", "lead_social_worker__professional")
        .prefetch_related(
            "objectives",
            Prefetch("actions", queryset=Action.objects.select_related("owner")),
            Prefetch(
                "core_group_meetings",
                queryset=CoreGroupMeeting.objects.filter(
                    status=MeetingStatus.SCHEDULED, date__gte=held
                ).order_by("date"),
                to_attr="to_come",
            ),
        )
    }
    reviews = dict(
        ConferenceChild.objects.filter(
            child__in=children,
            is_subject=True,
            conference__status__in=[ConferenceStatus.SCHEDULED, ConferenceStatus.TO_ARRANGE],
            conference__date__gt=held,
        )
        .order_by("-conference__date")
        .values_list("child_id", "conference__date")
    )
    return LetterFacts(
        conference_type=str(conference.get_type_display()),
        conference_date=held.isoformat(),
        chair=conference.chair.get_full_name() if conference.chair else "",
        children=[_child_facts(s, plans.get(s.child_id), reviews, profile) for s in subjects],
        appeal_days=profile.timescale("appeal_lodged").amount,
    )


def _child_facts(
    subject: ConferenceChild, plan: Plan | None, reviews: dict[int, Any], profile: Profile
) -> ChildFacts:
    child, held = subject.child, subject.conference.date
    assert held is not None
    worker = plan.lead_social_worker if plan is not None else None
    worker = worker or child.social_worker
    facts: dict[str, Any] = {
        "name": child.display_name,
        "first_name": child.first_name,
        "outcome": subject.outcome,
        "outcome_words": str(subject.get_outcome_display()),
        "category": str(subject.get_category_display()) if subject.category else "",
        "reasons": subject.reasons,
        "recommendations": subject.recommendations,
        "deferral_reasons": subject.deferral_reasons,
        "interim_plan": subject.interim_plan,
        "after_plan": subject.after_plan,
        "social_worker": worker.get_full_name() if worker else "",
        "social_worker_contact": _contact(worker),
    }
    if subject.outcome == ChildOutcome.DEFERRED:
        facts["reconvene_by"] = profile.timescale("reconvene_deferred").due(held).isoformat()
    if subject.outcome in PLAN_OUTCOMES and plan is not None:
        to_come: list[CoreGroupMeeting] = plan.to_come  # type: ignore[attr-defined]
        if to_come:
            facts |= {"core_group": to_come[0].date.isoformat(), "core_group_scheduled": True}
        else:
            key = (
                "core_group_first"
                if plan.started_by_id == subject.conference_id
                else ("core_group_next")
            )
            facts["core_group"] = profile.timescale(key).due(held).isoformat()
        review = reviews.get(child.pk)
        if review is not None:
            facts |= {"review": review.isoformat(), "review_scheduled": True}
        else:
            first = plan.started_by_id == subject.conference_id
            key, _ = next_review(plan.start_date, None if first else held)
            facts["review"] = profile.timescale(key).due(held).isoformat()
        if plan.started_by_id == subject.conference_id:
            facts["objectives"] = [o.text for o in plan.objectives.all()]
            facts["actions"] = [
                ActionFacts(a.text, a.owner.name, a.due.isoformat()) for a in plan.actions.all()
            ]
            facts["contingency"] = plan.contingency_plan
    return ChildFacts(**facts)


def letter_of(conference: Conference) -> DecisionLetter | None:
    return DecisionLetter.objects.filter(conference=conference).select_related("signed_by").first()


def decisions_outstanding(conference: Conference) -> list[str]:
    """The subject children still without a decision: no letter until each has one."""
    return [
        s.child.display_name
        for s in conference.subjects.filter(is_subject=True, outcome="").select_related("child")
    ]


# Recipients ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Someone invited, the copy they read, and whether they already have it."""

    invitation: Invitation
    reader: Reader | None
    excluded: bool
    sent: DocumentCopy | None = None

    @property
    def name(self) -> str:
        return self.invitation.display_name


def excluded_invitations(conference: Conference) -> set[int]:
    """The invitations of people the chair excluded, in whole or in part (§5). One query."""
    return set(
        conference.exclusions.filter(
            decision__in=[ExclusionDecision.WHOLE, ExclusionDecision.PART]
        ).values_list("invitation_id", flat=True)
    )


def recipients(conference: Conference, copies: list[DocumentCopy]) -> list[Recipient]:
    """Everyone invited, in the register's order, with the copy already sent to them. Two
    queries."""
    excluded = excluded_invitations(conference)
    sent = {c.invitation_id: c for c in copies}
    return [
        Recipient(i, rules.reader_for(i.role), i.pk in excluded, sent.get(i.pk))
        for i in conference.invitations.select_related(
            "adult", "child", "professional", "agency"
        ).order_by("role", "pk")
    ]


def letter_copies(letter: DecisionLetter | None) -> list[DocumentCopy]:
    if letter is None:
        return []
    return list(letter.copies.select_related("sent_by", "posted_by").order_by("pk"))


# What someone must sign or send (for the daily digest) -----------------------------------


@dataclass(frozen=True)
class ToSend:
    """A decision letter or a record a person must sign (the chair) or send (the conference
    service), with its due date."""

    conference: Conference
    kind: DocumentKind
    action: str  # "sign", "send", or "chase" (the chair has not signed yet)
    due: date
    late: bool


def documents_to_send(user: User, *, today: date, profile: Profile) -> list[ToSend]:
    """The letters and records this person must sign or send: the chair of a held conference
    whose decisions are recorded, until the chair has signed; the administrators until sent
    (to chase the chair's signature, then to send). Late first, then soonest due. Three
    queries at most."""
    chairs = policy.can_chair(user)
    sends = policy.has_arrange(user)
    if not (chairs or sends):
        return []
    letters = DecisionLetter.objects.filter(conference=OuterRef("pk"))
    records = ConferenceRecord.objects.filter(conference=OuterRef("pk"))
    signed_record = records.filter(versions__status=DocumentStatus.SIGNED)
    conferences = (
        Conference.objects.filter(status=ConferenceStatus.HELD, date__isnull=False)
        .filter(
            Exists(
                ConferenceChild.objects.filter(conference=OuterRef("pk"), decided_on__isnull=False)
            )
        )
        .annotate(
            letter_signed=Exists(letters.filter(status=DocumentStatus.SIGNED)),
            letter_sent=Exists(letters.filter(first_sent_on__isnull=False)),
            record_signed=Exists(signed_record),
            record_sent=Exists(records.filter(first_sent_on__isnull=False)),
        )
        .filter(Q(letter_sent=False) | Q(record_sent=False))
        .select_related("household")
        .order_by("date", "pk")
    )
    if not sends:
        conferences = conferences.filter(chair=user)
    found: list[ToSend] = []
    for conference in conferences:
        assert conference.date is not None
        for kind, signed, sent, due_rule in (
            (DocumentKind.LETTER, "letter_signed", "letter_sent", rules.letter_due),
            (DocumentKind.RECORD, "record_signed", "record_sent", rules.record_due),
        ):
            if getattr(conference, sent):
                continue
            due = due_rule(profile, conference_date=conference.date, today=today)
            is_signed = getattr(conference, signed)
            if chairs and conference.chair_id == user.pk and not is_signed:
                found.append(ToSend(conference, kind, "sign", due.due, due.late))
            elif sends and is_signed:
                found.append(ToSend(conference, kind, "send", due.due, due.late))
            elif sends:
                # The conference stays on the administrators' list until it is sent: before
                # the chair signs, theirs is to chase the signature.
                found.append(ToSend(conference, kind, "chase", due.due, due.late))
    found.sort(key=lambda row: (not row.late, row.due, row.conference.pk, row.kind))
    return found


# The post room ---------------------------------------------------------------------------


def waiting_to_post() -> list[DocumentCopy]:
    """Printed copies drawn by the dispatcher and not yet posted, oldest first. One query."""
    return list(
        DocumentCopy.objects.filter(
            delivery=Delivery.POST, posted_on__isnull=True, drawn_at__isnull=False
        )
        .select_related(
            "letter__conference",
            "record_version__record__conference",
            "record_version__signed_by",
            "sent_by",
        )
        .prefetch_related("record_version__sections")
        .order_by("sent_on", "pk")
    )


def permitted_on(user: User, conference: Conference, *, today: date) -> frozenset[str]:
    """What this person may do here now (the policy's actions the conference's state allows)."""
    from convene.conferences.rules import CONFERENCE

    return CONFERENCE.offered(conference.status, policy.permitted(user, conference, today=today))


__all__ = ["ConferenceAction", "ToSend", "documents_to_send"]
