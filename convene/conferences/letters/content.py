"""What the decision letter says (London CP4 §14.13, §14.5, §10.2; Register R:20): for each
child the decision and category, the recommendations, the lead social worker and how to reach
them, what happens next (core group, review) and the outline plan; and how to complain or
appeal. Pure: built from `LetterFacts` (plain values, frozen when the chair signs) for one
reader, in one format."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from convene.conferences.enums import AfterPlan, ChildOutcome
from convene.conferences.letters.document import Branding, Document, Section
from convene.conferences.letters.enums import Format, Reader


@dataclass(frozen=True)
class ActionFacts:
    text: str
    owner: str
    due: str  # ISO date


@dataclass(frozen=True)
class ChildFacts:
    name: str
    first_name: str
    outcome: str  # ChildOutcome
    outcome_words: str
    category: str = ""  # in words: "Neglect"
    reasons: str = ""
    recommendations: str = ""
    deferral_reasons: str = ""
    interim_plan: str = ""
    after_plan: str = ""  # AfterPlan, when a plan ends
    social_worker: str = ""
    social_worker_contact: str = ""
    core_group: str = ""  # ISO date
    core_group_scheduled: bool = False
    review: str = ""  # ISO date
    review_scheduled: bool = False
    reconvene_by: str = ""
    objectives: list[str] = field(default_factory=list)
    actions: list[ActionFacts] = field(default_factory=list)
    contingency: str = ""


@dataclass(frozen=True)
class LetterFacts:
    conference_type: str  # in words: "Initial child protection conference"
    conference_date: str  # ISO date
    chair: str
    children: list[ChildFacts]
    appeal_days: int = 5
    signed_on: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LetterFacts:
        children = [
            ChildFacts(
                **{
                    **child,
                    "actions": [ActionFacts(**a) for a in child.get("actions", [])],
                }
            )
            for child in data["children"]
        ]
        return cls(**{**data, "children": children})


def day(iso: str) -> str:
    """An ISO date as GOV.UK writes it: 2 October 2026."""
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def _held(facts: LetterFacts) -> str:
    return day(facts.conference_date)


# For families: short sentences, no jargon (every term is said in plain words) --------------

FAMILY_DECISION = {
    ChildOutcome.CP_PLAN: "{first} will have a child protection plan. This is a plan to keep "
    "{first} safe. The main worry is {category}.",
    ChildOutcome.CONTINUE_PLAN: "{first}'s child protection plan will carry on. The main worry "
    "is {category}.",
    ChildOutcome.END_PLAN: "{first} no longer needs a child protection plan. The plan has ended.",
    ChildOutcome.CIN_PLAN: "{first} does not need a child protection plan. {first} will have a "
    "child in need plan instead. This is a plan to help {first} and your family.",
    ChildOutcome.NO_FURTHER_ACTION: "{first} does not need a child protection plan. Children's "
    "services do not need to do more for {first} after this meeting.",
    ChildOutcome.DEFERRED: "The meeting could not decide yet. It will meet again soon to decide.",
}
EASY_DECISION = {
    ChildOutcome.CP_PLAN: "{first} will have a plan to keep them safe.",
    ChildOutcome.CONTINUE_PLAN: "{first}'s plan to keep them safe will carry on.",
    ChildOutcome.END_PLAN: "{first} does not need the plan now. It has stopped.",
    ChildOutcome.CIN_PLAN: "{first} will have a plan to help your family.",
    ChildOutcome.NO_FURTHER_ACTION: "{first} does not need a plan.",
    ChildOutcome.DEFERRED: "We did not decide yet. We will meet again soon.",
}
PLAN_OUTCOMES = (ChildOutcome.CP_PLAN, ChildOutcome.CONTINUE_PLAN)


def _family_child(child: ChildFacts, *, easy: bool) -> Section:
    words = EASY_DECISION if easy else FAMILY_DECISION
    first = child.first_name or "Your baby"
    paragraphs = [
        words[ChildOutcome(child.outcome)].format(
            first=first, category=(child.category or "").lower()
        )
    ]
    bullets: list[str] = []
    if child.outcome == ChildOutcome.END_PLAN and child.after_plan == AfterPlan.CIN_PLAN:
        paragraphs.append(f"{first} will have a child in need plan to help your family.")
    if child.reasons and not easy:
        paragraphs.append(f"Why: {child.reasons}")
    if child.recommendations:
        paragraphs.append("What the meeting asked for:" if not easy else "We asked for:")
        bullets += [line.strip("-• ").strip() for line in child.recommendations.splitlines()]
    if child.social_worker:
        contact = (
            f" You can call or email them: {child.social_worker_contact}."
            if (child.social_worker_contact)
            else ""
        )
        paragraphs.append(f"{first}'s social worker is {child.social_worker}.{contact}")
    if child.outcome in PLAN_OUTCOMES:
        paragraphs += _family_next(child, first, easy=easy)
    if child.outcome == ChildOutcome.DEFERRED:
        if child.interim_plan:
            paragraphs.append(f"Until then: {child.interim_plan}")
        if child.reconvene_by:
            paragraphs.append(f"We will meet again by {day(child.reconvene_by)}.")
    if child.actions and not easy:
        paragraphs.append("The first steps of the plan are:")
        bullets += [f"{a.text}: {a.owner} will do this by {day(a.due)}" for a in child.actions]
    if child.contingency and not easy:
        paragraphs.append(f"If things do not get better: {child.contingency}")
    return Section(heading=child.name, paragraphs=paragraphs, bullets=[b for b in bullets if b])


def _family_next(child: ChildFacts, first: str, *, easy: bool) -> list[str]:
    found = []
    if child.core_group:
        when = "on" if child.core_group_scheduled else "by"
        found.append(
            f"A small group of people will meet {when} {day(child.core_group)} to make the plan "
            "work. You are part of this group. It is called the core group. The core group is "
            "the small group of people who meet to make the plan work."
            if not easy
            else f"We will meet {when} {day(child.core_group)} to help the plan work. You can come."
        )
    if child.review:
        when = "on" if child.review_scheduled else "by"
        found.append(
            f"There will be another meeting like this one {when} {day(child.review)}. It will "
            f"look at how the plan is going for {first}."
            if not easy
            else f"We will all meet again {when} {day(child.review)}."
        )
    return found


def _family_help(branding: Branding, *, appeal_days: int, easy: bool) -> list[Section]:
    contact = branding.contact_line
    if easy:
        return [
            Section(
                "If you are not happy",
                [
                    "You can tell us. You can ask someone to help you.",
                    f"Tell us in {appeal_days} working days if you do not agree.",
                    f"Contact: {branding.complaints or contact}",
                ],
            )
        ]
    return [
        Section(
            "If you do not agree with the decision",
            [
                f"You can ask for the decision to be looked at again. This is called an appeal. "
                f"Please tell us in writing within {appeal_days} working days. Your social "
                "worker can help you write it.",
                f"Send it to: {branding.appeals or contact}",
            ],
        ),
        Section(
            "If you want to complain",
            [
                "You can complain about how the meeting was run. The decision stays the same "
                "while we look at your complaint.",
                f"Contact: {branding.complaints or contact}",
            ],
        ),
        Section(
            "Help with this letter",
            [
                "You can ask for this letter in large print, in easy read, or in another "
                "language. You can ask for someone to read it with you.",
                f"Contact the conference team: {contact}" if contact else "",
            ],
        ),
    ]


# For professionals: the full decision, category, recommendations and outline plan ---------


def _professional_child(child: ChildFacts) -> Section:
    decision = child.outcome_words + (f" (category: {child.category})" if child.category else "")
    paragraphs = [f"Decision: {decision}."]
    if child.reasons:
        paragraphs.append(f"Reasons: {child.reasons}")
    if child.deferral_reasons:
        paragraphs.append(f"Why the decision was deferred: {child.deferral_reasons}")
    if child.interim_plan:
        paragraphs.append(f"Interim plan: {child.interim_plan}")
    if child.reconvene_by:
        paragraphs.append(f"To reconvene by {day(child.reconvene_by)}.")
    if child.recommendations:
        paragraphs.append(f"Recommendations: {child.recommendations}")
    if child.social_worker:
        contact = f" ({child.social_worker_contact})" if child.social_worker_contact else ""
        paragraphs.append(f"Lead social worker: {child.social_worker}{contact}.")
    if child.core_group:
        verb = "meets on" if child.core_group_scheduled else "to meet by"
        paragraphs.append(f"Core group: {verb} {day(child.core_group)}.")
    if child.review:
        verb = "on" if child.review_scheduled else "due by"
        paragraphs.append(f"Review conference: {verb} {day(child.review)}.")
    bullets = [f"Objective: {o}" for o in child.objectives]
    bullets += [f"Action: {a.text} ({a.owner}, by {day(a.due)})" for a in child.actions]
    if child.contingency:
        paragraphs.append(f"Contingency plan: {child.contingency}")
    return Section(heading=child.name, paragraphs=paragraphs, bullets=bullets)


def letter_document(
    facts: LetterFacts,
    *,
    reader: Reader,
    branding: Branding,
    format: Format = Format.STANDARD,
    to_name: str = "",
    to_address: list[str] | None = None,
    dated: str = "",
    translate_into: str = "",
) -> Document:
    """The decision letter for one reader."""
    held = _held(facts)
    signature = [facts.chair, "Independent chair", *branding.signature.splitlines()]
    if reader == Reader.FAMILY:
        easy = format == Format.EASY_READ
        intro = (
            [
                f"We met on {held} to talk about your children. "
                "This letter tells you what we decided."
            ]
            if easy
            else [
                f"Thank you for your part in the meeting about your children on {held}. The "
                "meeting was a child protection conference. Everyone at the meeting talked about "
                "how to keep your children safe and well.",
                "This letter tells you what was decided for each child and what happens next. "
                "Your social worker will go through it with you.",
            ]
        )
        sections = [
            Section("The meeting", intro),
            *(_family_child(child, easy=easy) for child in facts.children),
            *_family_help(branding, appeal_days=facts.appeal_days, easy=easy),
        ]
        title = "What the meeting decided"
    else:
        sections = [
            Section(
                "The conference",
                [
                    f"{facts.conference_type} held on {held}, chaired by {facts.chair}. The "
                    "decisions for each child and the outline plan are below (London Child "
                    "Protection Procedures §14.13). The record of the conference follows.",
                ],
            ),
            *(_professional_child(child) for child in facts.children),
            Section(
                "Dissent, complaints and appeals",
                [
                    "An agency that disagrees with a decision follows the escalation procedure "
                    "(§11). Parents have been told how to complain or appeal within "
                    f"{facts.appeal_days} working days.",
                    f"Complaints: {branding.complaints or branding.contact_line}",
                ],
            ),
            Section(
                "Confidentiality",
                [
                    "This letter is confidential. Do not share it beyond those invited without "
                    "consent or a court order (§14.10 to §14.12)."
                ],
            ),
        ]
        title = f"Decisions of the {facts.conference_type.lower()} on {held}"
    return Document(
        title=title,
        branding=branding,
        dated=dated or day(facts.signed_on) or held,
        sections=[
            Section(s.heading, [p for p in s.paragraphs if p], s.bullets, s.confidential)
            for s in sections
        ],
        to_name=to_name,
        to_address=to_address or [],
        greeting=f"Dear {to_name}," if to_name else "",
        signature=[line for line in signature if line.strip()],
        format=format,
        translate_into=translate_into,
    )
