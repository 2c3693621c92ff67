"""Reports to a conference and the family's own contributions (London CP4 §4.16 to §4.17, §7).

Each function checks the report's status against TRANSITIONS, runs in one transaction and
writes its audit row in it. Access is decided before these are called (convene.access.policy).
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from convene.access.audit import audit_record
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.enums import ContributionKind, ReportKind, ReportStatus
from convene.conferences.models import ChildSeen, Conference, Contribution, Report
from convene.conferences.reports import rules as rules_reports
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child


class ReportError(Exception):
    """A change the report's state does not allow, or input a rule refuses."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


class StaleEdit(ReportError):
    """Someone else changed the report after this form was opened."""

    def __init__(self) -> None:
        super().__init__("This changed since you opened it")


class UploadRefused(ReportError):
    """The file is empty, too big, or not a kind we accept."""


# What each action needs the report's status to be, and what it becomes.
TRANSITIONS: dict[str, tuple[frozenset[ReportStatus], ReportStatus | None]] = {
    "save_draft": (frozenset({ReportStatus.REQUESTED}), None),
    "child_seen_add": (frozenset({ReportStatus.REQUESTED}), None),
    "submit": (frozenset({ReportStatus.REQUESTED}), ReportStatus.SUBMITTED),
    "share_with_family": (frozenset({ReportStatus.SUBMITTED}), ReportStatus.SHARED),
    "record_family_comments": (
        frozenset({ReportStatus.SHARED, ReportStatus.COMMENTS_RECEIVED}),
        ReportStatus.COMMENTS_RECEIVED,
    ),
    "record_chair_summary": (
        frozenset({ReportStatus.SUBMITTED}),
        None,
    ),
}

_REFUSALS = {
    "save_draft": "This report has been submitted and can no longer be changed",
    "child_seen_add": "This report has been submitted and can no longer be changed",
    "submit": "This report has already been submitted",
    "share_with_family": "Only a submitted report that has not been shared can be shared",
    "record_family_comments": "Share the report with the family before recording comments",
    "record_chair_summary": "The police report must be submitted before you summarise it",
}


def _check(report: Report, action: str) -> ReportStatus | None:
    allowed, becomes = TRANSITIONS[action]
    if report.status not in allowed:
        raise ReportError(_REFUSALS[action])
    return becomes


def _locked(report: Report, *, version: int | None, action: str) -> Report:
    """The report's row, locked for this transaction, after the status and version checks."""
    current = Report.objects.select_for_update().get(pk=report.pk)
    _check(current, action)
    if version is not None and current.version != version:
        raise StaleEdit
    return current


def _first_child(conference: Conference) -> Child | None:
    subject = conference.subjects.select_related("child").order_by("child__date_of_birth").first()
    return subject.child if subject else None


def _kind_for(agency: Agency) -> ReportKind:
    if agency.type == AgencyType.POLICE:
        return ReportKind.POLICE
    if agency.type == AgencyType.CHILDRENS_SOCIAL_CARE:
        return ReportKind.CHILDRENS_SOCIAL_CARE
    return ReportKind.AGENCY


def report_request(
    *, conference: Conference, by: User, request: HttpRequest | None = None
) -> list[Report]:
    """Ask every agency invited, and the social workers' own service, for one report each
    (London CP4 §7.2, §7.9; Medway and Cornwall: the police at every initial conference are
    among the invited). Agencies already asked are not asked again. Returns the new reports."""
    if not rules_reports.is_preparing(conference.status):
        raise ReportError(rules_reports.NOT_PREPARING)
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
        child = _first_child(conference)
        for report in created:
            audit_record(
                actor=by,
                verb=AuditVerb.CREATED,
                obj=report,
                child=child,
                request=request,
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
    by: User,
    request: HttpRequest | None = None,
) -> Report:
    """Save the agency's pro forma (§7.1: facts, allegations and opinions kept apart; Medway:
    fact, assessment and opinion) while it is still a draft."""
    with transaction.atomic():
        current = _locked(report, version=version, action="save_draft")
        Report.objects.filter(pk=current.pk).update(
            facts=facts,
            allegations=allegations,
            opinions=opinions,
            worries=worries,
            working_well=working_well,
            recommendation=recommendation,
            author=by,
            version=F("version") + 1,
        )
        current.refresh_from_db()
        audit_record(
            actor=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            child=_first_child(current.conference),
            request=request,
            reason="Report draft saved",
        )
    return current


def report_submit(
    *,
    report: Report,
    version: int,
    signed_by: str,
    today: date,
    by: User,
    request: HttpRequest | None = None,
) -> Report:
    """Sign (name typed as the signature, dated today) and submit; read-only from then on."""
    with transaction.atomic():
        current = _locked(report, version=version, action="submit")
        seen = set(current.children_seen.values_list("child_id", flat=True))
        not_seen = [
            subject.child.display_name
            for subject in current.conference.subjects.select_related("child")
            if subject.is_subject and subject.child_id not in seen
        ]
        problems = rules_reports.report_submit_problems(
            kind=current.kind,
            facts=current.facts,
            opinions=current.opinions,
            recommendation=current.recommendation,
            signed_by=signed_by,
            children_not_seen=not_seen,
        )
        if problems:
            raise ReportError("The report is not ready to submit", problems)
        _, becomes = TRANSITIONS["submit"]
        Report.objects.filter(pk=current.pk).update(
            status=becomes,
            signed_by=signed_by.strip(),
            submitted_on=today,
            author=by,
            version=F("version") + 1,
        )
        current.refresh_from_db()
        audit_record(
            actor=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            child=_first_child(current.conference),
            request=request,
            reason=f"Report signed by {current.signed_by} and submitted",
        )
    return current


def report_share_with_family(
    *, report: Report, today: date, by: User, request: HttpRequest | None = None
) -> Report:
    """§7.7, §7.9: shared with the family before the conference; never a police report
    (§7.10)."""
    if report.kind == ReportKind.POLICE:
        raise ReportError("A police report is for the chair only and is not shared")
    with transaction.atomic():
        current = _locked(report, version=None, action="share_with_family")
        _, becomes = TRANSITIONS["share_with_family"]
        Report.objects.filter(pk=current.pk).update(
            status=becomes, shared_on=today, version=F("version") + 1
        )
        current.refresh_from_db()
        audit_record(
            actor=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            child=_first_child(current.conference),
            request=request,
            reason="Report shared with the family",
        )
    return current


def report_record_family_comments(
    *, report: Report, version: int, comments: str, by: User, request: HttpRequest | None = None
) -> Report:
    """§7.7: the family's comments, so factual errors are corrected and their view heard."""
    if not comments.strip():
        raise ReportError(
            "Enter the family's comments", {"comments": "Enter the family's comments"}
        )
    with transaction.atomic():
        current = _locked(report, version=version, action="record_family_comments")
        _, becomes = TRANSITIONS["record_family_comments"]
        Report.objects.filter(pk=current.pk).update(
            status=becomes, family_comments=comments.strip(), version=F("version") + 1
        )
        current.refresh_from_db()
        audit_record(
            actor=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            child=_first_child(current.conference),
            request=request,
            reason="Family's comments on the report recorded",
        )
    return current


def report_record_chair_summary(
    *, report: Report, version: int, summary: str, by: User, request: HttpRequest | None = None
) -> Report:
    """§7.10: the chair summarises the relevant parts of the police report for the others."""
    if report.kind != ReportKind.POLICE:
        raise ReportError("Only a police report has a chair's summary")
    if not summary.strip():
        raise ReportError("Enter your summary", {"summary": "Enter your summary"})
    with transaction.atomic():
        current = _locked(report, version=version, action="record_chair_summary")
        Report.objects.filter(pk=current.pk).update(
            chair_summary=summary.strip(), version=F("version") + 1
        )
        current.refresh_from_db()
        audit_record(
            actor=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            child=_first_child(current.conference),
            request=request,
            reason="Chair's summary of the police report recorded",
        )
    return current


def child_seen_add(
    *,
    report: Report,
    child: Child,
    seen_on: date | None,
    seen_alone: bool | None,
    who_was_there: str,
    why_not_alone: str,
    today: date,
    by: User,
    request: HttpRequest | None = None,
) -> ChildSeen:
    """§7.5: each date the child was seen during the enquiry; if not alone, who was there and
    why. §7.3, §7.6: any child of the household at the conference, subject or not."""
    if report.kind != ReportKind.CHILDRENS_SOCIAL_CARE:
        raise ReportError("Only the children's social care report records when children were seen")
    if not report.conference.subjects.filter(child=child).exists():
        raise ReportError("That child is not one of the children at this conference")
    problems = rules_reports.child_seen_problems(
        seen_on=seen_on,
        seen_alone=seen_alone,
        who_was_there=who_was_there,
        why_not_alone=why_not_alone,
        today=today,
    )
    if problems:
        raise ReportError("Check when the child was seen", problems)
    assert seen_on is not None and seen_alone is not None
    with transaction.atomic():
        current = _locked(report, version=None, action="child_seen_add")
        entry = ChildSeen.objects.create(
            report=current,
            child=child,
            date=seen_on,
            seen_alone=seen_alone,
            who_was_there="" if seen_alone else who_was_there.strip(),
            why_not_alone="" if seen_alone else why_not_alone.strip(),
        )
        # Anyone holding the report's form open is now out of date.
        Report.objects.filter(pk=current.pk).update(version=F("version") + 1)
        audit_record(
            actor=by,
            verb=AuditVerb.CREATED,
            obj=entry,
            child=child,
            request=request,
            reason="Date the child was seen added to the social care report",
        )
    return entry


def contribution_upload(
    *,
    conference: Conference,
    kind: ContributionKind,
    from_whom: str,
    child: Child | None,
    name: str,
    data: bytes,
    by: User,
    request: HttpRequest | None = None,
) -> Contribution:
    """Keep a family member's or child's own contribution in any form (§4.16 to §4.17, §7.11),
    once its content has been checked: not empty, under 10MB, a kind we accept."""
    if not rules_reports.is_preparing(conference.status):
        raise UploadRefused(rules_reports.NOT_PREPARING)
    check = rules_reports.upload_check(name=name, size=len(data), data=data)
    if check.error is not None or check.content_type is None:
        raise UploadRefused(check.error or rules_reports.WRONG_TYPE, {"file": str(check.error)})
    with transaction.atomic():
        contribution = Contribution(
            conference=conference,
            child=child,
            kind=kind,
            from_whom=from_whom.strip(),
            content_type=check.content_type,
            uploaded_by=by,
        )
        contribution.file.save(name, ContentFile(data), save=False)
        contribution.save()
        audit_record(
            actor=by,
            verb=AuditVerb.CREATED,
            obj=contribution,
            child=child or _first_child(conference),
            request=request,
            reason=f"Contribution uploaded for the {conference}",
        )
    return contribution


def contribution_record_download(
    *, contribution: Contribution, by: User, request: HttpRequest | None = None
) -> None:
    """Who opened a family's contribution is on the child's audit trail."""
    with transaction.atomic():
        audit_record(
            actor=by,
            verb=AuditVerb.DOWNLOADED,
            obj=contribution,
            child=contribution.child or _first_child(contribution.conference),
            request=request,
            reason="Downloaded the family's contribution",
        )
