"""Reports to a conference (London CP4 §7).

Each function checks the report's status against `rules.REPORT` (and the conference's against
`convene.conferences.rules.CONFERENCE`), runs in one transaction, saves through
`versioned_update` and writes its audit rows on each subject child's trail in it. Access is
decided before these are called (convene.policy).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from convene.access.enums import AuditVerb
from convene.conferences.enums import ReportKind
from convene.conferences.models import ChildSeen, Conference, Report
from convene.conferences.reports import rules
from convene.conferences.reports.rules import REPORT, ReportAction
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child


def _kind_for(agency: Agency) -> ReportKind:
    if agency.type == AgencyType.POLICE:
        return ReportKind.POLICE
    if agency.type == AgencyType.CHILDRENS_SOCIAL_CARE:
        return ReportKind.CHILDRENS_SOCIAL_CARE
    return ReportKind.AGENCY


def _changed(report: Report, *, by: Actor, reason: str) -> None:
    audit(by=by, verb=AuditVerb.CHANGED, obj=report, about=report.conference, reason=reason)


def report_request(*, conference: Conference, by: Actor) -> list[Report]:
    """Ask every agency invited, and the social workers' own service, for one report each
    (London CP4 §7.2, §7.9; Medway and Cornwall: the police at every initial conference are
    among the invited). Agencies already asked are not asked again. Returns the new reports."""
    CONFERENCE.check(ConferenceAction.REQUEST_REPORTS, conference.status)
    agency_ids = set(
        conference.invitations.filter(agency__isnull=False).values_list("agency_id", flat=True)
    )
    # §7.2: children's social care always reports, whether or not its agency was invited.
    agency_ids |= set(
        conference.subjects.filter(child__social_worker__agency__isnull=False).values_list(
            "child__social_worker__agency_id", flat=True
        )
    )
    with transaction.atomic():
        asked = set(conference.reports.values_list("agency_id", flat=True))
        created = [
            Report.objects.create(conference=conference, agency=agency, kind=_kind_for(agency))
            for agency in Agency.objects.filter(pk__in=agency_ids - asked).order_by("name")
        ]
        for report in created:
            audit(
                by=by,
                verb=AuditVerb.CREATED,
                obj=report,
                about=conference,
                reason=f"Report requested for the {conference}",
            )
    return created


def report_save_draft(
    *,
    report: Report,
    version: int,
    facts: str,
    allegations: str,
    opinions: str,
    worries: str,
    working_well: str,
    recommendation: str,
    by: Actor,
) -> Report:
    """Save the agency's pro forma (§7.1: facts, allegations and opinions kept apart; Medway:
    fact, assessment and opinion) while it is still a draft."""
    REPORT.check(ReportAction.SAVE_DRAFT, report.status)
    with transaction.atomic():
        versioned_update(
            report,
            version=version,
            facts=facts,
            allegations=allegations,
            opinions=opinions,
            worries=worries,
            working_well=working_well,
            recommendation=recommendation,
            author=by.user,
        )
        _changed(report, by=by, reason="Report draft saved")
    return report


def report_submit(
    *, report: Report, version: int, signed_by: str, today: date, by: Actor
) -> Report:
    """Sign (name typed as the signature, dated today) and submit; read-only from then on."""
    becomes = REPORT.check(ReportAction.SUBMIT, report.status)
    seen = set(report.children_seen.values_list("child_id", flat=True))
    not_seen = [
        child.display_name for child in report.conference.subject_children() if child.pk not in seen
    ]
    problems = rules.report_submit_problems(
        kind=report.kind,
        facts=report.facts,
        opinions=report.opinions,
        recommendation=report.recommendation,
        signed_by=signed_by,
        children_not_seen=not_seen,
    )
    if problems:
        raise ServiceError("The report is not ready to submit", problems=problems)
    with transaction.atomic():
        versioned_update(
            report,
            version=version,
            status=becomes,
            signed_by=signed_by.strip(),
            submitted_on=today,
            author=by.user,
        )
        _changed(report, by=by, reason=f"Report signed by {report.signed_by} and submitted")
    return report


def report_share_with_family(*, report: Report, version: int, today: date, by: Actor) -> Report:
    """§7.7, §7.9: shared with the family before the conference; never a police report
    (§7.10)."""
    if report.kind == ReportKind.POLICE:
        raise ServiceError("A police report is for the chair only and is not shared")
    becomes = REPORT.check(ReportAction.SHARE_WITH_FAMILY, report.status)
    with transaction.atomic():
        versioned_update(report, version=version, status=becomes, shared_on=today)
        _changed(report, by=by, reason="Report shared with the family")
    return report


def report_record_family_comments(
    *, report: Report, version: int, comments: str, by: Actor
) -> Report:
    """§7.7: the family's comments, so factual errors are corrected and their view heard."""
    becomes = REPORT.check(ReportAction.RECORD_FAMILY_COMMENTS, report.status)
    if not comments.strip():
        raise ServiceError("Enter the family's comments", field="comments")
    with transaction.atomic():
        versioned_update(report, version=version, status=becomes, family_comments=comments.strip())
        _changed(report, by=by, reason="Family's comments on the report recorded")
    return report


def report_record_chair_summary(*, report: Report, version: int, summary: str, by: Actor) -> Report:
    """§7.10: the chair summarises the relevant parts of the police report for the others."""
    if report.kind != ReportKind.POLICE:
        raise ServiceError("Only a police report has a chair's summary")
    REPORT.check(ReportAction.RECORD_CHAIR_SUMMARY, report.status)
    if not summary.strip():
        raise ServiceError("Enter your summary", field="summary")
    with transaction.atomic():
        versioned_update(report, version=version, chair_summary=summary.strip())
        _changed(report, by=by, reason="Chair's summary of the police report recorded")
    return report


def child_seen_add(
    *,
    report: Report,
    child: Child,
    seen_on: date | None,
    seen_alone: bool | None,
    who_was_there: str,
    why_not_alone: str,
    version: int,
    today: date,
    by: Actor,
) -> ChildSeen:
    """§7.5: each date the child was seen during the enquiry; if not alone, who was there and
    why. §7.3, §7.6: any child of the household at the conference, subject or not."""
    if report.kind != ReportKind.CHILDRENS_SOCIAL_CARE:
        raise ServiceError("Only the children's social care report records when children were seen")
    REPORT.check(ReportAction.ADD_CHILD_SEEN, report.status)
    if not report.conference.subjects.filter(child=child).exists():
        raise ServiceError("That child is not one of the children at this conference")
    problems = rules.child_seen_problems(
        seen_on=seen_on,
        seen_alone=seen_alone,
        who_was_there=who_was_there,
        why_not_alone=why_not_alone,
        today=today,
    )
    if problems:
        raise ServiceError("Check when the child was seen", problems=problems)
    assert seen_on is not None and seen_alone is not None
    with transaction.atomic():
        # Anyone holding the report's form open is now out of date.
        versioned_update(report, version=version)
        entry = ChildSeen.objects.create(
            report=report,
            child=child,
            date=seen_on,
            seen_alone=seen_alone,
            who_was_there="" if seen_alone else who_was_there.strip(),
            why_not_alone="" if seen_alone else why_not_alone.strip(),
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=entry,
            about=report.conference,
            reason="Date the child was seen added to the social care report",
        )
    return entry
