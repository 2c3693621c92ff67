"""Pages for the reports stage of a conference: reports (London CP4 §7), and this stage's part
of the conference's overview (reports, the family's contributions and exclusion requests).

The pages for the family's own contributions (§4.16 to §4.17, §7.11) are in
`convene.conferences.contributions`, and those for exclusion (§5) in
`convene.conferences.exclusions`.

Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ConferenceType, ExclusionDecision, ReportKind
from convene.conferences.exclusions import rules as exclusion_rules
from convene.conferences.models import Conference, Report
from convene.conferences.reports import forms, services
from convene.conferences.reports import rules as rules_reports
from convene.conferences.reports.rules import REPORT, ReportAction
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.services import ServiceError
from convene.core.web import actor
from convene.plans.selectors import progress_for_review
from convene.timescales import Profile

F = TypeVar("F", bound=Form)


def _reload(request: HttpRequest, report: Report, form_class: type[F]) -> Callable[[], F]:
    return lambda: form_class(typed_again(request, report))


def _report_for(request: HttpRequest, pk: int, action: ReportAction) -> Report:
    """The report, if this person may take the action and its state allows it now; 404
    otherwise."""
    report = policy.report_for(signed_in_user(request), pk, today=today(), action=action)
    policy.require(REPORT.allows(action, report.status))
    return report


# Reads --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportRow:
    report: Report
    can_open: bool
    due_to_chair: date | None
    due_to_family: date | None
    late_to_chair: bool
    late_to_family: bool


def _report_rows(
    conference: Conference, user: User, on: date, profile: Profile | None = None
) -> list[ReportRow]:
    """Every report asked for, its state, when it is due and whether it is late. A police
    report's row shows its state (the administrators chase it) but opens only for the chair
    and the police (§7.10)."""
    reports = list(conference.reports.select_related("agency", "conference__chair"))
    openable = set(
        conference.reports.filter(
            policy.allowed_q("report", user, ReportAction.VIEW, today=on)
        ).values_list("pk", flat=True)
    )
    if conference.date is None:
        return [ReportRow(r, r.pk in openable, None, None, False, False) for r in reports]
    profile = profile or authority_procedures()
    rows = []
    for report in reports:
        due = rules_reports.report_deadlines(
            profile,
            conference_type=conference.type,
            conference_date=conference.date,
            kind=report.kind,
        )
        late = rules_reports.report_lateness(
            profile,
            conference_type=conference.type,
            conference_date=conference.date,
            kind=report.kind,
            submitted_on=report.submitted_on,
            shared_on=report.shared_on,
            today=on,
        )
        rows.append(
            ReportRow(
                report=report,
                can_open=report.pk in openable,
                due_to_chair=due.to_chair,
                due_to_family=due.to_family,
                late_to_chair=late.to_chair,
                late_to_family=late.to_family,
            )
        )
    return rows


def _exclusion_rows(conference: Conference, profile: Profile | None) -> list[dict[str, Any]]:
    exclusions = conference.exclusions.select_related(
        "invitation", "invitation__adult", "invitation__child", "invitation__professional"
    ).order_by("requested_on", "pk")
    due = (
        exclusion_rules.exclusion_request_due(profile, conference_date=conference.date)
        if conference.date and profile
        else None
    )
    return [
        {
            "exclusion": e,
            "late": due is not None
            and exclusion_rules.exclusion_request_is_late(due=due, requested_on=e.requested_on),
        }
        for e in exclusions
    ]


def overview_context(conference: Conference, user: User, today: date) -> dict[str, Any]:
    """What the conference's overview page shows for this stage."""
    profile = authority_procedures() if conference.date else None
    rows = _report_rows(conference, user, today, profile)
    police_summaries = [
        row.report
        for row in rows
        if row.report.kind == ReportKind.POLICE and row.report.chair_summary
    ]
    permitted = policy.permitted(user, conference, today=today)
    sees_exclusions = ConferenceAction.SEE_EXCLUSIONS in permitted
    exclusions = _exclusion_rows(conference, profile) if sees_exclusions else []
    return {
        "report_rows": rows,
        "reports_late": [row for row in rows if row.late_to_chair or row.late_to_family],
        "police_summaries": police_summaries,
        "exclusion_rows": exclusions,
        "exclusions_pending": [
            e for e in exclusions if e["exclusion"].decision == ExclusionDecision.PENDING
        ],
        "can_request_exclusions": ConferenceAction.REQUEST_EXCLUSION in permitted,
        "contribution_count": conference.contributions.count(),
    }


# Reports ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on)
    context = {
        "conference": conference,
        "rows": _report_rows(conference, user, on),
        "can_request": ConferenceAction.REQUEST_REPORTS
        in policy.permitted(user, conference, today=on),
        "today": on,
    }
    return render(request, "conferences/reports/list.html", context)


@require_http_methods(["POST"])
def reports_request(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on, action=ConferenceAction.REQUEST_REPORTS)
    try:
        created = services.report_request(conference=conference, by=actor(request))
    except ServiceError as refused:
        messages.error(request, str(refused))
        return redirect("conferences:reports", pk=conference.pk)
    if created:
        messages.success(request, f"Reports requested from {len(created)} agencies")
    else:
        messages.success(request, "Every invited agency has already been asked for a report")
    return redirect("conferences:reports", pk=conference.pk)


@require_http_methods(["GET"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    report = policy.report_for(user, pk, today=on)
    permitted = policy.permitted(user, report, today=on)
    context = {
        "report": report,
        "conference": report.conference,
        "can_read": rules_reports.content_visible(
            report.status, may_read_draft=ReportAction.READ_DRAFT in permitted
        ),
        "offered": REPORT.offered(report.status, permitted),
        "children_seen": report.children_seen.select_related("child"),
        # §7.2, §7.5: for a review, social care's report shows progress against the plan.
        "plan_progress": progress_for_review(report.conference)
        if report.kind == ReportKind.CHILDRENS_SOCIAL_CARE
        and report.conference.type == ConferenceType.REVIEW
        else [],
    }
    return render(request, "conferences/reports/detail.html", context)


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Submitted reports are read-only (signed, §7.9).
    report = _report_for(request, pk, ReportAction.SAVE_DRAFT)
    fields = ["facts", "allegations", "opinions", "worries", "working_well", "recommendation"]
    initial = {name: getattr(report, name) for name in fields} | {"version": report.version}
    form, saved = submit(
        request,
        forms.ReportForm(posted(request), initial=initial),
        lambda data: services.report_save_draft(
            report=report,
            version=data["version"],
            by=actor(request),
            **{name: data[name] for name in fields},
        ),
        success="Your report has been saved",
        reload=_reload(request, report, forms.ReportForm),
    )
    if saved:
        next_page = (
            "conferences:report-sign" if "sign" in request.POST else "conferences:report-detail"
        )
        return redirect(next_page, pk=report.pk)
    return render(request, "conferences/reports/edit.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
def report_sign(request: HttpRequest, pk: int) -> HttpResponse:
    on = today()
    report = _report_for(request, pk, ReportAction.SUBMIT)
    form, saved = submit(
        request,
        forms.SignForm(posted(request), initial={"version": report.version}),
        lambda data: services.report_submit(
            report=report,
            version=data["version"],
            signed_by=data["signed_by"],
            today=on,
            by=actor(request),
        ),
        success="Your report has been signed and submitted",
        reload=_reload(request, report, forms.SignForm),
    )
    if saved:
        return redirect("conferences:report-detail", pk=report.pk)
    context = {
        "report": report,
        "form": form,
        "children_seen": report.children_seen.select_related("child"),
    }
    return render(request, "conferences/reports/sign.html", context)


@require_http_methods(["GET", "POST"])
def child_seen_add(request: HttpRequest, pk: int) -> HttpResponse:
    on = today()
    report = _report_for(request, pk, ReportAction.ADD_CHILD_SEEN)
    policy.require(report.kind == ReportKind.CHILDRENS_SOCIAL_CARE)
    subjects = report.conference.subjects.select_related("child").order_by("child__date_of_birth")
    form, saved = submit(
        request,
        forms.ChildSeenForm(posted(request), subjects=subjects),
        lambda data: services.child_seen_add(
            report=report,
            child=data["child"].child,
            seen_on=data["date"],
            seen_alone=data["seen_alone"] == "yes",
            who_was_there=data["who_was_there"],
            why_not_alone=data["why_not_alone"],
            version=report.version,
            today=on,
            by=actor(request),
        ),
        success="The date the child was seen has been added",
    )
    if saved:
        return redirect("conferences:report-detail", pk=report.pk)
    return render(request, "conferences/reports/child_seen.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
def report_share(request: HttpRequest, pk: int) -> HttpResponse:
    on = today()
    report = _report_for(request, pk, ReportAction.SHARE_WITH_FAMILY)
    if request.method == "POST":
        try:
            services.report_share_with_family(
                report=report, version=report.version, today=on, by=actor(request)
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The report has been marked as shared with the family")
        return redirect("conferences:report-detail", pk=report.pk)
    return render(request, "conferences/reports/share.html", {"report": report})


@require_http_methods(["GET", "POST"])
def report_family_comments(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk, ReportAction.RECORD_FAMILY_COMMENTS)
    initial = {"comments": report.family_comments, "version": report.version}
    form, saved = submit(
        request,
        forms.FamilyCommentsForm(posted(request), initial=initial),
        lambda data: services.report_record_family_comments(
            report=report,
            version=data["version"],
            comments=data["comments"],
            by=actor(request),
        ),
        success="The family's comments have been recorded",
        reload=_reload(request, report, forms.FamilyCommentsForm),
    )
    if saved:
        return redirect("conferences:report-detail", pk=report.pk)
    return render(
        request, "conferences/reports/family_comments.html", {"report": report, "form": form}
    )


@require_http_methods(["GET", "POST"])
def report_chair_summary(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk, ReportAction.RECORD_CHAIR_SUMMARY)
    initial = {"summary": report.chair_summary, "version": report.version}
    form, saved = submit(
        request,
        forms.ChairSummaryForm(posted(request), initial=initial),
        lambda data: services.report_record_chair_summary(
            report=report,
            version=data["version"],
            summary=data["summary"],
            by=actor(request),
        ),
        success="Your summary of the police report has been saved",
        reload=_reload(request, report, forms.ChairSummaryForm),
    )
    if saved:
        return redirect("conferences:report-detail", pk=report.pk)
    return render(
        request, "conferences/reports/chair_summary.html", {"report": report, "form": form}
    )


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/reports/", report_list, name="reports"),
    path("conferences/<id:pk>/reports/request/", reports_request, name="reports-request"),
    path("reports/<id:pk>/", report_detail, name="report-detail"),
    path("reports/<id:pk>/edit/", report_edit, name="report-edit"),
    path("reports/<id:pk>/sign/", report_sign, name="report-sign"),
    path("reports/<id:pk>/children-seen/add/", child_seen_add, name="report-child-seen-add"),
    path("reports/<id:pk>/share/", report_share, name="report-share"),
    path("reports/<id:pk>/family-comments/", report_family_comments, name="report-family-comments"),
    path("reports/<id:pk>/chair-summary/", report_chair_summary, name="report-chair-summary"),
]
