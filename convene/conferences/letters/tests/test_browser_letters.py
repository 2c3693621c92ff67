"""End to end in a real browser, from the demo (issue 12): the Fairweathers' conference is
convened, held and decided through the pages (convene/testing/journeys.py); then the chair
signs the decision letter, the administrator sends it (the PDF and the Word file hold each
child's decision), the work list shows the record due, the chair drafts the record, marks a
section confidential and signs it, the family's copy leaves that section out, the chair
decides that Ruby's solicitor (not invited) may have it, the administrator sends it, a request
to amend it is answered, the chair corrects it as version 2 with its reason, and the work list
no longer shows the record."""

from __future__ import annotations

import io
import re
from datetime import datetime

import docx
import pypdf
import pytest
import time_machine
from django.urls import reverse

from convene.conferences.models import Conference
from convene.testing.browser import LONDON, Journey
from convene.testing.journeys import (
    CONVENING_DAY,
    DEMO_DAY,
    fairweathers,
    to_the_decisions,
)

NEXT_WEEK = datetime(2026, 4, 1, 10, 0, tzinfo=LONDON)
SENDING = 120_000  # milliseconds
SECRET = "Police intelligence about a visitor to the home"


def _download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).first.click()
    return info.value.path().read_bytes()


def _pdf(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def _word(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _work_list(journey: Journey, d) -> str:
    page = journey.sign_in(d.administrator)
    page.goto(reverse("returns:work-list"))
    # The Fairweathers' rows, not the filter (whose choices name every kind of deadline) nor
    # the demo's own conferences.
    rows = page.locator("main table tbody tr").all_inner_texts()
    return "\n".join(row for row in rows if "Fairweather" in row)


@pytest.mark.django_db(transaction=True)
def test_after_a_decision_the_letter_and_the_record_are_signed_sent_and_corrected(
    browser, live_server, screenshots
):
    d = fairweathers(DEMO_DAY)
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(CONVENING_DAY, tick=True) as traveller:
            conference = to_the_decisions(journey, d, traveller)
            _the_letter(journey, d, conference)
            due = _work_list(journey, d)
            assert "Conference record" in due
            journey.shot("work-list-record-due")
            _the_record(journey, d, conference)
            traveller.move_to(NEXT_WEEK)
            _amend_and_correct(journey, d, conference)
            assert "Conference record" not in _work_list(journey, d)
            journey.shot("work-list-record-sent")
    finally:
        journey.close()


def _the_letter(journey: Journey, d, conference: Conference) -> None:
    page = journey.sign_in(d.chair)
    page.goto(reverse("conferences:detail", args=[conference.pk]))
    page.get_by_role("link", name="Decision letter").first.click()
    assert journey.heading() == "Decision letter"
    assert "Plain English" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign the decision letter").click()
    assert journey.banner() == "You have signed the decision letter"
    journey.shot("chair-signs-letter")

    page = journey.sign_in(d.administrator)
    page.goto(reverse("conferences:letters-letter", args=[conference.pk]))
    # Tests dispatch straight after the commit (on_commit), so the copies are drawn before the
    # page answers here: give it time. In service they are drawn by the dispatcher (0025).
    page.get_by_role("button", name="Send the decision letter").click(timeout=SENDING)
    assert re.match(r"The decision letter has been sent to \d+ people", journey.banner())
    journey.shot("administrator-sends-letter")
    pdf = _pdf(_download(page, "a[href*='reader=professional'][href*='format=pdf']"))
    word = _word(_download(page, "a[href*='reader=professional'][href*='format=docx']"))
    for text in (pdf, word):
        assert "Ruby Fairweather" in text and "Alfie Fairweather" in text
        assert "Decision: Child protection plan (category: Neglect)" in text
        assert "Decision: Child in need plan" in text
    family = _pdf(_download(page, "a[href*='reader=family'][href*='format=pdf']"))
    assert "Ruby will have a child protection plan" in family


def _the_record(journey: Journey, d, conference: Conference) -> None:
    page = journey.sign_in(d.chair)
    page.goto(reverse("conferences:record", args=[conference.pk]))
    page.get_by_role("button", name="Draft the record from the meeting").click()
    assert "drafted from the meeting" in journey.banner()
    page.get_by_role("link", name="Edit Quorum").click()
    page.get_by_label("What the record says").fill(f"The conference was quorate. {SECRET}.")
    page.get_by_label("Confidential: leave this section out of the family's copies").check()
    page.get_by_label("Why it is confidential").fill("Police information")
    page.get_by_role("button", name="Save the section").click()
    journey.shot("chair-marks-section-confidential")
    page.get_by_role("button", name="Sign version 1 of the record").click()
    assert journey.banner() == "You have signed version 1 of the record"
    whole = _pdf(_download(page, "a[href*='version=1'][href*='format=pdf']:not([href*='scope'])"))
    families = _pdf(_download(page, "a[href*='version=1'][href*='scope=family']"))
    assert SECRET in whole.replace("\n", " ")
    assert SECRET not in families.replace("\n", " ") and "Ruby Fairweather" in families
    journey.shot("chair-signs-record")

    # Ruby's solicitor, who was not invited, asks for the record (London CP4 §14.8).
    page.goto(reverse("conferences:record-copies", args=[conference.pk]))
    page.get_by_text("Decide a request from a child's legal representative").click()
    form = page.locator("form", has=page.locator("input[name=which][value=representative]"))
    form.get_by_role("group", name="Which child do they represent?").get_by_label(
        "Ruby Fairweather", exact=True
    ).check()
    form.get_by_label("Their name", exact=True).fill("Lena Brook")
    form.get_by_label("Their firm or organisation", exact=True).fill("Brook and Partners")
    form.get_by_label("Email address", exact=True).fill("lena.brook@example.org")
    form.get_by_role("group", name="Should they get the record?").get_by_label(
        "Yes, send them the record without its confidential sections", exact=True
    ).check()
    form.get_by_label("Reason", exact=True).fill("She acts for Ruby in the care proceedings")
    form.get_by_role("button", name="Record your decision on the request").click()
    assert "request from Lena Brook, Brook and Partners has been recorded" in journey.banner()
    journey.shot("chair-decides-legal-representative")

    page = journey.sign_in(d.administrator)
    page.goto(reverse("conferences:record-copies", args=[conference.pk]))
    assert page.get_by_label(
        re.compile("^Lena Brook, Brook and Partners, legal representative")
    ).is_checked()
    page.get_by_role("button", name="Send the record").click(timeout=SENDING)
    assert "Version 1 of the record has been sent" in journey.banner()
    representatives = page.get_by_role(
        "table", name="Legal representatives who asked for the record"
    ).inner_text()
    assert "Conference record version 1" in representatives
    journey.shot("administrator-sends-record")


def _amend_and_correct(journey: Journey, d, conference: Conference) -> None:
    page = journey.sign_in(d.administrator)
    page.goto(reverse("conferences:record-amendments", args=[conference.pk]))
    asking = page.get_by_label("Who is asking?")
    asking.select_option(index=1)
    page.get_by_label("What do they want changed?").fill("Ruby's school is spelt wrong")
    page.get_by_role("button", name="Record the request").click()
    assert journey.banner() == "The request has been recorded for the chair"

    page = journey.sign_in(d.chair)
    page.goto(reverse("conferences:record-amendments", args=[conference.pk]))
    page.get_by_role("link", name=re.compile("Answer")).first.click()
    journey.choose("Will you change the record?", "Yes, accept the amendment")
    page.get_by_label("Your answer and the reason for it").fill("Agreed: corrected in version 2")
    page.get_by_role("button", name="Send your answer").click()
    assert "accepted" in journey.banner()
    page.get_by_label("Why does the record need correcting?").fill("Ruby's school was misspelt")
    page.get_by_role("button", name="Start a corrected version").click()
    assert journey.banner() == "Version 2 has been started: edit it, then sign it"
    page.get_by_role("button", name="Sign version 2 of the record").click()
    assert journey.banner() == "You have signed version 2 of the record"
    versions = str(page.get_by_role("table", name="Versions of the record").inner_text())
    assert "Version 1" in versions and "Version 2" in versions
    assert "Ruby's school was misspelt" in versions
    journey.shot("chair-signs-version-2")
