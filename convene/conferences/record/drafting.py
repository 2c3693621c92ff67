"""The first draft of the record, written from what the meeting itself recorded: who came and
who sent apologies, quorum, the reports, exclusions and their duration, the police's summary,
the four questions, the scores, the views, each child's decision with dissent, and the outline
plan (London CP4 §3.10 to §3.12, §5.5, §5.11, §7, §9.5 to §9.9, §11.1; Cornwall). The chair or
a minute-taker then edits it before the chair signs it."""

from __future__ import annotations

from dataclasses import dataclass

from convene.conferences.decision.selectors import ChildRecord, meeting_record
from convene.conferences.enums import ExclusionDecision, ReportKind
from convene.conferences.models import Assessment, Conference, Report
from convene.conferences.selectors import attendance_register, invitee_agency
from convene.plans.models import Plan

POLICE_CONFIDENTIAL = "Police information (London CP4 §7.10)"


@dataclass(frozen=True)
class Draft:
    key: str
    heading: str
    body: str
    confidential: bool = False
    confidential_reason: str = ""


def _lines(rows: list[str], empty: str) -> str:
    return "\n".join(f"- {row}" for row in rows) if rows else empty


def _attendance(conference: Conference) -> Draft:
    came, apologies, absent = [], [], []
    for invitation in attendance_register(conference):
        agency = invitee_agency(invitation)
        who = f"{invitation.display_name} ({invitation.get_role_display()}"
        who += f", {agency.name})" if agency else ")"
        if invitation.attendance == "apologies":
            apologies.append(who)
        elif invitation.attendance in ("present", "part", "virtual"):
            how = {"part": ", for part", "virtual": ", online"}.get(invitation.attendance, "")
            came.append(who.rstrip(")") + how + ")")
        elif invitation.attendance == "absent":
            absent.append(who)
    body = "Present:\n" + _lines(came, "No attendance was recorded.")
    if apologies:
        body += "\n\nApologies:\n" + _lines(apologies, "")
    if absent:
        body += "\n\nDid not attend:\n" + _lines(absent, "")
    return Draft("attendance", "Who was there", body)


def _quorum(conference: Conference) -> Draft:
    if conference.quorate is None:
        body = "Quorum was not recorded."
    elif conference.quorate:
        body = (
            "The conference was quorate: children's social care and at least two other agencies "
            "with direct contact with each child were there (London CP4 §3.10)."
        )
    else:
        body = (
            "The conference was not quorate. It went ahead because: "
            f"{conference.inquorate_reason or 'no reason recorded'}. An early review follows "
            "(§3.12)."
        )
    return Draft("quorum", "Quorum", body)


def _reports(reports: list[Report]) -> Draft:
    rows = [
        f"{report.get_kind_display()} from {report.agency.name}: "
        + (f"received {report.submitted_on:%-d %B %Y}" if report.submitted_on else "not received")
        for report in reports
    ]
    return Draft("reports", "Reports to the conference", _lines(rows, "No reports were asked for."))


def _exclusions(conference: Conference) -> Draft | None:
    decided = [
        e
        for e in conference.exclusions.select_related("invitation__adult", "invitation__child")
        if e.decision in (ExclusionDecision.WHOLE, ExclusionDecision.PART)
    ]
    if not decided:
        return None
    rows = []
    for exclusion in decided:
        how_long = (
            "the whole conference"
            if exclusion.decision == ExclusionDecision.WHOLE
            else f"part of the conference: {exclusion.parts or 'parts not recorded'}"
        )
        rows.append(
            f"{exclusion.invitation.display_name} was excluded from {how_long}. "
            f"Reasons: {exclusion.reasons or 'not recorded'}."
            + (f" Their views were presented: {exclusion.views}" if exclusion.views else "")
        )
    return Draft("exclusions", "Exclusions (London CP4 §5.5, §5.11)", _lines(rows, ""))


def _police(reports: list[Report]) -> Draft | None:
    summaries = [
        r.chair_summary for r in reports if r.kind == ReportKind.POLICE and r.chair_summary
    ]
    if not summaries:
        return None
    return Draft(
        "police",
        "Police information",
        "\n\n".join(summaries),
        confidential=True,
        confidential_reason=POLICE_CONFIDENTIAL,
    )


def _four_questions(assessment: Assessment | None) -> str:
    if assessment is None:
        return "Not recorded."
    parts = [
        ("What is working well", assessment.working_well),
        ("What we are worried about: the harm", assessment.worries_harm),
        ("What we are worried about: complicating factors", assessment.worries_complicating),
        ("What life is like for the child", assessment.lived_experience),
        ("What needs to happen", assessment.needs_to_happen),
        ("Danger statement", assessment.danger_statement),
        ("Safety goal", assessment.safety_goal),
    ]
    return "\n\n".join(f"{title}: {text}" for title, text in parts if text.strip()) or (
        "Not recorded."
    )


def _child(record: ChildRecord) -> list[Draft]:
    child, subject = record.child, record.subject
    name = child.display_name
    key = f"child-{child.pk}"
    scores = _lines([f"{s.name} ({s.role}): {s.score}" for s in record.scores], "None recorded.")
    views = _lines(
        [
            f"{v.name} ({v.get_group_display()})"
            + (f", {v.get_plan_needed_display().lower()}" if v.plan_needed else "")
            + f": {v.view}"
            for v in record.views
        ],
        "None recorded.",
    )
    decision = f"{subject.get_outcome_display()}." if subject.outcome else "Not decided yet."
    if subject.category:
        decision += f" Category: {subject.get_category_display()}."
    for label, text in (
        ("Reasons", subject.reasons),
        ("Recommendations", subject.recommendations),
        ("Why the decision was deferred", subject.deferral_reasons),
        ("Interim plan", subject.interim_plan),
    ):
        if text:
            decision += f"\n\n{label}: {text}"
    dissents = [f"{d.name} ({d.get_group_display()}): {d.reasons}" for d in record.dissents]
    if dissents:
        decision += "\n\nDissent (London CP4 §11.1):\n" + _lines(dissents, "")
    drafts = [
        Draft(
            f"{key}-questions", f"{name}: the four questions", _four_questions(record.assessment)
        ),
        Draft(f"{key}-scores", f"{name}: safety scores (0 to 10)", scores),
        Draft(f"{key}-views", f"{name}: views", views),
        Draft(f"{key}-decision", f"{name}: the decision", decision),
    ]
    if record.plan is not None and record.plan.started_by_id == subject.conference_id:
        drafts.append(Draft(f"{key}-plan", f"{name}: the outline plan", _outline(record.plan)))
    return drafts


def _outline(plan: Plan) -> str:
    objectives = [o.text for o in plan.objectives.all()]
    actions = [
        f"{a.text} ({a.owner.name}, by {a.due:%-d %B %Y})"
        for a in plan.actions.select_related("owner")
    ]
    body = "Objectives:\n" + _lines(objectives, "None recorded.")
    body += "\n\nActions:\n" + _lines(actions, "None recorded.")
    if plan.contingency_plan:
        body += f"\n\nContingency plan: {plan.contingency_plan}"
    if plan.lead_social_worker is not None:
        body += f"\n\nLead social worker: {plan.lead_social_worker.get_full_name()}"
    return body


def draft_sections(conference: Conference) -> list[Draft]:
    """Every section of a first draft, in the order of the meeting."""
    reports = list(conference.reports.select_related("agency"))
    meeting = meeting_record(conference)
    drafts: list[Draft | None] = [
        _attendance(conference),
        _quorum(conference),
        _reports(reports),
        _exclusions(conference),
        _police(reports),
        Draft("household", "The household: the four questions", _four_questions(meeting.household)),
    ]
    for record in meeting.children:
        drafts += _child(record)
    return [d for d in drafts if d is not None]
