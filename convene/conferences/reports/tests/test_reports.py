"""Reports to a conference: who sees them, writing and signing, sharing, lateness."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.enums import (
    ConferenceStatus,
    ConferenceType,
    InviteeRole,
    ReportKind,
    ReportStatus,
)
from convene.conferences.models import ChildSeen, Conference, Report
from convene.conferences.reports import services
from convene.conferences.reports.views import _report_rows
from convene.conferences.tests.helpers import (
    BEFORE,
    conference_with_reports,
    health_visitor,
    use_profile,
)
from convene.core.services import Actor, ServiceError
from convene.testing.factories import InvitationFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(child_known_to_police, chair, police, social_worker):
    return conference_with_reports(
        child=child_known_to_police, chair=chair, police=police, social_worker=social_worker
    )


@pytest.fixture
def clock():
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


def _fill(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(
        facts="Seen with a bruise on 20 November 2026.",
        opinions="The explanation does not fit the injury.",
        recommendation="A child protection plan.",
    )
    report.refresh_from_db()


def _submit(report: Report, user, on=date(2026, 12, 1)) -> Report:
    _fill(report)
    return services.report_submit(
        report=report, version=report.version, signed_by="Pip Officer", today=on, by=Actor(user)
    )


# The police report (London CP4 §7.10) ------------------------------------------------


@pytest.mark.parametrize("persona", ["administrator", "social_worker", "health"])
def test_a_police_report_is_not_found_for_anyone_but_the_chair_and_police(
    persona, setting, as_user, clock, request, child_known_to_police
):
    user = (
        health_visitor(child_known_to_police)
        if persona == "health"
        else request.getfixturevalue(persona)
    )
    url = reverse("conferences:report-detail", args=[setting.police_report.pk])
    assert as_user(user).get(url).status_code == 404


@pytest.mark.parametrize("persona", ["chair", "police_officer"])
def test_the_chair_and_the_police_author_can_read_the_police_report(
    persona, setting, as_user, clock, request
):
    url = reverse("conferences:report-detail", args=[setting.police_report.pk])
    response = as_user(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 200
    assert "for the conference chair only" in response.content.decode()


def test_the_chairs_summary_is_seen_by_others_on_the_overview(
    setting, chair, police_officer, as_user, clock, child_known_to_police
):
    report = _submit(setting.police_report, police_officer)
    report.facts = "Confidential: a third party's record."
    Report.objects.filter(pk=report.pk).update(facts=report.facts)
    url = reverse("conferences:report-chair-summary", args=[report.pk])
    response = as_user(chair).post(
        url, {"summary": "Police are investigating an assault.", "version": report.version + 0}
    )
    assert response.status_code == 302
    page = as_user(health_visitor(child_known_to_police)).get(
        reverse("conferences:detail", args=[setting.conference.pk])
    )
    text = page.content.decode()
    assert "Police are investigating an assault." in text
    assert "a third party" not in text


def test_only_the_chair_may_summarise_the_police_report(setting, police_officer, as_user, clock):
    report = _submit(setting.police_report, police_officer)
    url = reverse("conferences:report-chair-summary", args=[report.pk])
    assert as_user(police_officer).get(url).status_code == 404


def test_a_police_report_cannot_be_shared_with_the_family(setting, police_officer, administrator):
    report = _submit(setting.police_report, police_officer)
    with pytest.raises(ServiceError):
        services.report_share_with_family(
            report=report, version=report.version, today=date(2026, 12, 2), by=Actor(administrator)
        )


# Writing, signing, submitting -----------------------------------------------------------


def test_an_agency_writes_signs_and_submits_its_report(
    setting, as_user, clock, child_known_to_police
):
    writer = health_visitor(child_known_to_police)
    report = setting.health_report
    client = as_user(writer)
    response = client.post(
        reverse("conferences:report-edit", args=[report.pk]),
        {
            "facts": "Missed three appointments.",
            "allegations": "A neighbour says the child is left alone.",
            "opinions": "Neglect is likely.",
            "worries": "Weight falling.",
            "working_well": "Nursery attendance.",
            "recommendation": "A child protection plan.",
            "version": report.version,
            "sign": "1",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.allegations == "A neighbour says the child is left alone."
    response = client.post(
        reverse("conferences:report-sign", args=[report.pk]),
        {"signed_by": "Hana Visitor", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert (report.signed_by, report.submitted_on) == ("Hana Visitor", date(2026, 12, 1))
    assert report.author == writer


def test_a_report_cannot_be_signed_without_facts(setting, as_user, clock, child_known_to_police):
    report = setting.health_report
    response = as_user(health_visitor(child_known_to_police)).post(
        reverse("conferences:report-sign", args=[report.pk]),
        {"signed_by": "Hana Visitor", "version": report.version},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.REQUESTED


def test_a_submitted_report_cannot_be_edited(setting, police_officer, as_user, clock):
    report = _submit(setting.police_report, police_officer)
    with pytest.raises(ServiceError, match="can no longer be changed"):
        services.report_save_draft(
            report=report,
            version=report.version,
            facts="Changed",
            allegations="",
            opinions="",
            worries="",
            working_well="",
            recommendation="",
            by=Actor(police_officer),
        )
    url = reverse("conferences:report-edit", args=[report.pk])
    assert as_user(police_officer).get(url).status_code == 404
    report.refresh_from_db()
    assert report.facts != "Changed"


def test_a_stale_edit_is_refused_and_what_was_typed_is_kept(
    setting, as_user, clock, child_known_to_police
):
    writer = health_visitor(child_known_to_police)
    report = setting.health_report
    opened_at = report.version
    services.report_save_draft(
        report=report,
        version=opened_at,
        facts="A colleague's facts.",
        allegations="",
        opinions="",
        worries="",
        working_well="",
        recommendation="",
        by=Actor(writer),
    )
    response = as_user(writer).post(
        reverse("conferences:report-edit", args=[report.pk]),
        {"facts": "My facts.", "version": opened_at},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "This changed since you opened it" in text
    assert "My facts." in text
    report.refresh_from_db()
    assert report.facts == "A colleague's facts."


def test_another_agency_cannot_write_a_report(setting, as_user, clock, child_known_to_police):
    url = reverse("conferences:report-edit", args=[setting.csc_report.pk])
    assert as_user(health_visitor(child_known_to_police)).get(url).status_code == 404


def test_a_draft_is_not_shown_to_others(setting, social_worker, administrator, as_user, clock):
    _fill(setting.csc_report)
    url = reverse("conferences:report-detail", args=[setting.csc_report.pk])
    assert "The explanation does not fit" in as_user(social_worker).get(url).content.decode()
    text = as_user(administrator).get(url).content.decode()
    assert "has not submitted this report yet" in text
    assert "The explanation does not fit" not in text


# The children's social care report: when each child was seen (§7.5) ---------------------


def test_a_child_not_seen_alone_needs_who_was_there_and_why(setting, social_worker, as_user, clock):
    subject = setting.conference.subjects.get()
    response = as_user(social_worker).post(
        reverse("conferences:report-child-seen-add", args=[setting.csc_report.pk]),
        {
            "child": subject.pk,
            "date_day": "20",
            "date_month": "11",
            "date_year": "2026",
            "seen_alone": "no",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter who was there when the child was seen" in text
    assert "Enter why the child was not seen alone" in text
    assert not ChildSeen.objects.exists()


def test_the_social_care_report_records_when_each_child_was_seen(
    setting, social_worker, as_user, clock
):
    subject = setting.conference.subjects.get()
    response = as_user(social_worker).post(
        reverse("conferences:report-child-seen-add", args=[setting.csc_report.pk]),
        {
            "child": subject.pk,
            "date_day": "20",
            "date_month": "11",
            "date_year": "2026",
            "seen_alone": "no",
            "who_was_there": "Her grandmother",
            "why_not_alone": "She was frightened and asked for her Nan.",
        },
    )
    assert response.status_code == 302
    seen = ChildSeen.objects.get()
    assert (seen.child, seen.date, seen.seen_alone) == (subject.child, date(2026, 11, 20), False)


def test_the_social_care_report_cannot_be_submitted_until_each_child_has_been_seen(
    setting, social_worker
):
    _fill(setting.csc_report)
    with pytest.raises(ServiceError) as refused:
        services.report_submit(
            report=setting.csc_report,
            version=setting.csc_report.version,
            signed_by="Sol Tester",
            today=date(2026, 12, 1),
            by=Actor(social_worker),
        )
    assert any("was seen during the enquiry" in p for p in refused.value.problems.values())


# Sharing with the family (§7.7, §7.9) -------------------------------------------------------


def test_a_report_is_shared_and_the_familys_comments_recorded(
    setting, administrator, as_user, clock, child_known_to_police
):
    report = _submit(setting.health_report, health_visitor(child_known_to_police))
    client = as_user(administrator)
    assert client.post(reverse("conferences:report-share", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.shared_on) == (ReportStatus.SHARED, date(2026, 12, 1))
    response = client.post(
        reverse("conferences:report-family-comments", args=[report.pk]),
        {
            "comments": "The appointments were missed because the bus was cancelled.",
            "version": report.version,
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.COMMENTS_RECEIVED
    assert "bus was cancelled" in report.family_comments


def test_comments_cannot_be_recorded_before_the_report_is_shared(
    setting, administrator, as_user, clock
):
    url = reverse("conferences:report-family-comments", args=[setting.health_report.pk])
    assert as_user(administrator).get(url).status_code == 404


# Asking for reports and what is late ------------------------------------------------------


def test_the_administrator_asks_each_invited_agency_once(
    setting, administrator, police, as_user, clock
):
    Report.objects.all().delete()
    InvitationFactory.create(conference=setting.conference)  # health
    police_officer_invited = ProfessionalFactory.create(name="DC Test", agency=police)
    InvitationFactory.create(conference=setting.conference, professional=police_officer_invited)
    InvitationFactory.create(
        conference=setting.conference,
        professional=None,
        agency=None,
        role=InviteeRole.PARENT_CARER,
        name="A parent",
    )
    url = reverse("conferences:reports-request", args=[setting.conference.pk])
    assert as_user(administrator).post(url).status_code == 302
    as_user(administrator).post(url)
    kinds = sorted(setting.conference.reports.values_list("kind", flat=True))
    assert kinds == sorted([ReportKind.POLICE, ReportKind.AGENCY, ReportKind.CHILDRENS_SOCIAL_CARE])
    assert (
        AuditEvent.objects.filter(verb=AuditVerb.CREATED, object_type="conferences.Report").count()
        == 3
    )


def test_only_the_administrator_may_ask_for_reports(setting, social_worker, as_user, clock):
    url = reverse("conferences:reports-request", args=[setting.conference.pk])
    assert as_user(social_worker).post(url).status_code == 404


def test_the_reports_page_shows_what_is_late(
    setting, administrator, police_officer, as_user, child_known_to_police
):
    _submit(setting.police_report, police_officer, on=date(2026, 12, 10))
    with time_machine.travel("2026-12-11 10:00 +0000", tick=False):
        response = as_user(administrator).get(
            reverse("conferences:reports", args=[setting.conference.pk])
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert "10 December 2026" in text
    # Health and social care have not reported; the police report came on the due day.
    assert text.count(">Late<") == 4  # two reports, each late to the chair and the family


@pytest.mark.parametrize(
    ("profile", "conference_type", "on", "late"),
    [
        ("london", ConferenceType.INITIAL, date(2026, 12, 10), False),
        ("london", ConferenceType.INITIAL, date(2026, 12, 11), True),
        ("london", ConferenceType.REVIEW, date(2026, 12, 7), False),
        ("london", ConferenceType.REVIEW, date(2026, 12, 8), True),
        # Medway: 24 hours before an initial conference.
        ("medway", ConferenceType.INITIAL, date(2026, 12, 13), False),
        ("medway", ConferenceType.INITIAL, date(2026, 12, 14), True),
    ],
)
def test_a_report_not_submitted_is_late_after_the_profiles_deadline(
    profile,
    conference_type,
    on,
    late,
    child_known_to_police,
    chair,
    police,
    social_worker,
    administrator,
):
    use_profile(profile)
    setting = conference_with_reports(
        child=child_known_to_police,
        chair=chair,
        police=police,
        social_worker=social_worker,
        conference_type=conference_type,
    )
    rows = {row.report.pk: row for row in _report_rows(setting.conference, administrator, on)}
    assert rows[setting.police_report.pk].late_to_chair is late


def test_the_reports_page_is_not_found_for_someone_who_cannot_see_the_conference(
    setting, outsider, as_user, clock
):
    url = reverse("conferences:reports", args=[setting.conference.pk])
    assert as_user(outsider).get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["report-detail", "report-edit", "report-sign", "report-child-seen-add"]
)
def test_the_social_workers_pages_for_their_report_open(
    name, setting, social_worker, as_user, clock
):
    url = reverse(f"conferences:{name}", args=[setting.csc_report.pk])
    assert as_user(social_worker).get(url).status_code == 200


def test_a_submitted_reports_sharing_pages_open_for_the_administrator(
    setting, administrator, as_user, clock, child_known_to_police
):
    report = _submit(setting.health_report, health_visitor(child_known_to_police))
    client = as_user(administrator)
    assert client.get(reverse("conferences:report-share", args=[report.pk])).status_code == 200
    assert client.get(reverse("conferences:report-sign", args=[report.pk])).status_code == 404


def test_reports_are_not_asked_for_once_the_conference_is_held(setting, administrator, as_user):
    Conference.objects.filter(pk=setting.conference.pk).update(status=ConferenceStatus.HELD)
    before = setting.conference.reports.count()
    url = reverse("conferences:reports-request", args=[setting.conference.pk])
    response = as_user(administrator).post(url, follow=True)
    assert response.status_code == 200
    assert "has been held or cancelled" in response.content.decode()
    assert setting.conference.reports.count() == before
