"""The pure rules for reports, uploads and exclusion requests, table by table."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from convene.conferences.enums import ConferenceType, ReportKind
from convene.conferences.reports import rules
from convene.timescales import get_profile

# Monday 14 December 2026; no bank holidays in the fortnight before.
CONFERENCE = date(2026, 12, 14)


@pytest.mark.parametrize(
    ("profile", "conference_type", "kind", "to_chair", "to_family"),
    [
        # London CP4 §7.7 to §7.9: 2 working days before an initial conference, 5 before a review.
        (
            "london",
            ConferenceType.INITIAL,
            ReportKind.AGENCY,
            date(2026, 12, 10),
            date(2026, 12, 10),
        ),
        ("london", ConferenceType.REVIEW, ReportKind.AGENCY, date(2026, 12, 7), date(2026, 12, 7)),
        (
            "london",
            ConferenceType.PRE_BIRTH,
            ReportKind.CHILDRENS_SOCIAL_CARE,
            date(2026, 12, 10),
            date(2026, 12, 10),
        ),
        # §7.10: the police report never goes to the family.
        ("london", ConferenceType.INITIAL, ReportKind.POLICE, date(2026, 12, 10), None),
        # Medway: reports to the chair 24 hours before an initial conference.
        (
            "medway",
            ConferenceType.INITIAL,
            ReportKind.AGENCY,
            date(2026, 12, 13),
            date(2026, 12, 10),
        ),
        ("medway", ConferenceType.REVIEW, ReportKind.AGENCY, date(2026, 12, 9), date(2026, 12, 7)),
    ],
)
def test_the_profile_sets_when_reports_are_due(profile, conference_type, kind, to_chair, to_family):
    due = rules.report_deadlines(
        get_profile(profile), conference_type=conference_type, conference_date=CONFERENCE, kind=kind
    )
    assert (due.to_chair, due.to_family) == (to_chair, to_family)


def test_the_rule_is_explained_with_its_paragraph():
    due = rules.report_deadlines(
        get_profile("london"),
        conference_type=ConferenceType.REVIEW,
        conference_date=CONFERENCE,
        kind=ReportKind.AGENCY,
    )
    assert "5 working days before the review conference" in due.to_chair_rule


@pytest.mark.parametrize(
    ("due", "done_on", "today", "late"),
    [
        (date(2026, 12, 10), None, date(2026, 12, 10), False),  # due today: not late yet
        (date(2026, 12, 10), None, date(2026, 12, 11), True),
        (date(2026, 12, 10), date(2026, 12, 10), date(2026, 12, 20), False),
        (date(2026, 12, 10), date(2026, 12, 11), date(2026, 12, 20), True),
        (None, None, date(2026, 12, 20), False),  # nothing due (a police report to the family)
    ],
)
def test_late_means_after_the_due_date(due, done_on, today, late):
    assert rules.is_late(due=due, done_on=done_on, today=today) is late


TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("seen_on", "alone", "who", "why", "fields"),
    [
        (date(2026, 11, 20), True, "", "", set()),
        (date(2026, 11, 20), False, "Mother", "The child asked for her", set()),
        (date(2026, 11, 20), False, "", "", {"who_was_there", "why_not_alone"}),
        (date(2026, 11, 20), False, "Mother", "  ", {"why_not_alone"}),
        (date(2026, 12, 2), True, "", "", {"date"}),
        (None, None, "", "", {"date", "seen_alone"}),
    ],
)
def test_a_child_not_seen_alone_needs_who_and_why(seen_on, alone, who, why, fields):
    problems = rules.child_seen_problems(
        seen_on=seen_on, seen_alone=alone, who_was_there=who, why_not_alone=why, today=TODAY
    )
    assert set(problems) == fields


def test_a_report_needs_facts_opinion_recommendation_and_a_signature():
    problems = rules.report_submit_problems(
        kind=ReportKind.AGENCY,
        facts="",
        opinions="",
        recommendation="",
        signed_by=" ",
        children_not_seen=[],
    )
    assert set(problems) == {"facts", "opinions", "recommendation", "signed_by"}


def test_the_social_care_report_needs_each_child_seen():
    problems = rules.report_submit_problems(
        kind=ReportKind.CHILDRENS_SOCIAL_CARE,
        facts="f",
        opinions="o",
        recommendation="r",
        signed_by="Sol Tester",
        children_not_seen=["Mina Example"],
    )
    assert list(problems.values()) == ["Add when Mina Example was seen during the enquiry"]


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "error"),
    [
        ("statement.pdf", b"%PDF-1.7\n...", rules.PDF, None),
        ("statement.docx", _docx(), rules.DOCX, None),
        ("statement.txt", "I want to stay with Nan — she is kind.\n".encode(), rules.TEXT, None),
        ("drawing.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", rules.JPEG, None),
        ("drawing.PNG", b"\x89PNG\r\n\x1a\n\x00\x00", rules.PNG, None),
        ("voice.mp3", b"ID3\x04\x00\x00", rules.MP3, None),
        ("voice.m4a", b"\x00\x00\x00\x20ftypM4A \x00\x00", rules.M4A, None),
        ("voice.wav", b"RIFF\x24\x00\x00\x00WAVEfmt ", rules.WAV, None),
        # The name says PDF, the content is a program: refused by content.
        ("statement.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", None, rules.WRONG_TYPE),
        # A zip that is not a Word document.
        ("statement.docx", _zip(), None, rules.WRONG_TYPE),
        # A real PDF with a name that does not agree.
        ("statement.exe", b"%PDF-1.7\n...", None, rules.WRONG_TYPE),
        ("page.html", b"<html><script>alert(1)</script></html>", None, rules.WRONG_TYPE),
        ("empty.pdf", b"", None, rules.EMPTY),
    ],
)
def test_an_upload_is_checked_by_its_content(name, data, content_type, error):
    check = rules.upload_check(name=name, size=len(data), data=data)
    assert (check.content_type, check.error) == (content_type, error)


def test_an_upload_of_10mb_or_more_is_refused():
    check = rules.upload_check(name="big.pdf", size=rules.MAX_UPLOAD_BYTES, data=b"%PDF-")
    assert check.error == "The selected file must be smaller than 10MB"


@pytest.mark.parametrize(
    ("requested_on", "late"),
    [
        (date(2026, 12, 8), False),
        (date(2026, 12, 9), False),  # exactly 3 working days before Monday 14 December
        (date(2026, 12, 10), True),
        (date(2026, 12, 14), True),
    ],
)
def test_an_exclusion_request_less_than_3_working_days_before_is_late(requested_on, late):
    due = rules.exclusion_request_due(get_profile("london"), conference_date=CONFERENCE)
    assert due == date(2026, 12, 9)
    assert rules.exclusion_request_is_late(due=due, requested_on=requested_on) is late
