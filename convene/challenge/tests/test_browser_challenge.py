"""End to end in a real browser, from the demo (issue 13): the Fairweathers' conference is
convened, held and decided through the pages (convene/testing/journeys.py); then the police
disagree with the decision and their dissent climbs from the chair to the chair's manager, who
resolves it; the social worker records Lauren's appeal in time, which the head of service
answers with a letter; Ruby's own appeal, made later, is flagged late; and Lauren's complaint
about the meeting is decided by bringing Ruby's review forward, which moves the review on her
plan."""

from __future__ import annotations

import io
from datetime import date, datetime

import pypdf
import pytest
import time_machine
from django.urls import reverse

from convene.authority.selectors import authority_procedures
from convene.plans.models import Plan
from convene.testing.browser import LONDON, Journey
from convene.testing.journeys import (
    CONVENING_DAY,
    DEMO_DAY,
    fairweathers,
    to_the_decisions,
)

NEXT_WEEK = datetime(2026, 3, 31, 10, 0, tzinfo=LONDON)
LATER = datetime(2026, 4, 14, 10, 0, tzinfo=LONDON)
REVIEW_BY = date(2026, 5, 15)


@pytest.mark.django_db(transaction=True)
def test_dissent_appeals_and_a_complaint_from_the_pages(browser, live_server, screenshots):
    d = fairweathers(DEMO_DAY)
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(CONVENING_DAY, tick=True) as traveller:
            conference = to_the_decisions(journey, d, traveller)
            _police_dissent_escalates_and_is_resolved(journey, d, conference)
            traveller.move_to(NEXT_WEEK)
            _an_appeal_in_time_is_answered_with_a_letter(journey, d, conference)
            _a_complaint_brings_the_review_forward(journey, d, conference)
            traveller.move_to(LATER)
            _a_late_appeal_is_flagged(journey, d, conference)
    finally:
        journey.close()


def _open_waiting(journey: Journey, user) -> None:
    page = journey.sign_in(user)
    page.get_by_role("link", name="Dissent, appeals and complaints to answer").first.click()
    assert journey.heading() == "Dissent, appeals and complaints to answer"


def _police_dissent_escalates_and_is_resolved(journey: Journey, d, conference) -> None:
    page = journey.page  # the chair, after the decisions
    page.goto(reverse("conferences:decision-record", args=[conference.pk]))
    page.get_by_role("link", name="Record dissent from the decision for Ruby Fairweather").click()
    page.get_by_label("Who disagrees?").select_option(label="Police")
    page.get_by_label("Agency").select_option(label="Northmoor Police")
    page.get_by_label("Name", exact=True).fill("Jordan Blake")
    page.get_by_label("Why do they disagree?").fill("Ruby's brother Alfie needs a plan too.")
    page.get_by_role("button", name="Record the dissent").click()
    journey.shot("chair-records-police-dissent")

    # The first stage is the chair's: they talk it through, and pass it on.
    _open_waiting(journey, d.chair)
    page = journey.page
    page.get_by_role("link", name="The conference chair talks it through with the agency").click()
    journey.choose("Is the disagreement resolved?", "No, pass it to the next stage")
    page.get_by_label("Your answer").fill("We spoke; the police still disagree.")
    page.get_by_role("button", name="Record your answer").click()
    assert journey.banner() == "Your answer is recorded"

    # The chair's team has no manager in the demo: the head of service holds that stage.
    _open_waiting(journey, d.senior_manager)
    page = journey.page
    page.get_by_role("link", name="The chair's manager reviews the decision").click()
    journey.choose("Is the disagreement resolved?", "Yes, it is resolved")
    page.get_by_label("Your answer").fill("Alfie's plan is reviewed at the core group in 6 weeks.")
    page.get_by_role("button", name="Record your answer").click()
    assert journey.banner() == "Your answer is recorded"
    assert "Closed on" in journey.summary("Now") and "resolved" in journey.summary("Now")
    journey.shot("dissent-resolved")


def _appeals_page(journey: Journey, user, conference) -> None:
    page = journey.sign_in(user)
    page.goto(reverse("conferences:detail", args=[conference.pk]))
    page.get_by_role("link", name="Appeals and complaints").click()
    assert journey.heading() == "Appeals and complaints"


def _an_appeal_in_time_is_answered_with_a_letter(journey: Journey, d, conference) -> None:
    _appeals_page(journey, d.social_worker, conference)
    page = journey.page
    page.get_by_role("link", name="Record an appeal").click()
    page.get_by_label("Which child's decision is it about?").select_option(label="Ruby Fairweather")
    journey.choose("Who is appealing?", "A parent or carer")
    page.get_by_label("Their name").fill("Lauren Fairweather")
    journey.choose("Who helped them appeal?", "Their social worker")
    page.get_by_label("Why they disagree with the decision").fill(
        "Ruby is fed every day now. A plan is not needed."
    )
    journey.fill_date("Date it was received", date(2026, 3, 30))
    page.get_by_label("Postal address (optional)").fill("14 Larch Way\nNorthmoor")
    page.get_by_role("button", name="Record the appeal").click()
    assert journey.banner() == "The appeal is recorded"
    journey.shot("social-worker-records-appeal")

    _open_waiting(journey, d.senior_manager)
    page = journey.page
    page.get_by_role("link", name="Lauren Fairweather").click()
    assert "The head of service" not in page.locator("main").inner_text()
    journey.choose("Is the appeal upheld?", "Not upheld: the decision stands")
    page.get_by_label("Your answer").fill(
        "I have read the reports. Ruby still needs the plan to keep her safe."
    )
    page.get_by_role("button", name="Record the answer").click()
    assert journey.banner().startswith("Your answer is recorded")
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    pdf = info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "The answer to your appeal" in text and "Ruby still needs the plan" in text
    assert "Lauren Fairweather" in text and "14 Larch Way" in text
    journey.shot("head-of-service-answers-appeal")


def _a_complaint_brings_the_review_forward(journey: Journey, d, conference) -> None:
    plan = Plan.objects.get(child=d.ruby, end_date__isnull=True)
    _appeals_page(journey, d.chair, conference)
    page = journey.page
    page.get_by_role("link", name="Record a complaint").click()
    journey.choose("Who is complaining?", "A parent or carer")
    page.get_by_label("Their name").fill("Lauren Fairweather")
    page.get_by_label("What the complaint is about").fill(
        "I was not given the reports before the meeting."
    )
    journey.fill_date("Date it was received", date(2026, 3, 30))
    page.get_by_label("Email address (optional)").fill("lauren.fairweather@example.com")
    page.get_by_role("button", name="Record the complaint").click()
    assert journey.banner() == "The complaint is recorded and passed to the chair's manager"
    assert "The decision stands meanwhile" in page.locator("main").inner_text()

    _open_waiting(journey, d.senior_manager)
    page = journey.page
    page.get_by_role("row", name="Lauren Fairweather").last.get_by_role("link").click()
    assert journey.heading() == "Complaint of Lauren Fairweather"
    journey.choose("What is the outcome?", "Bring the review conference forward")
    journey.fill_date("Date the conference is to be held by", REVIEW_BY)
    page.get_by_label("Explanation", exact=True).fill(
        "The reports were late. The next review will be sooner, so you can answer them."
    )
    page.get_by_role("button", name="Record the outcome").click()
    assert journey.banner().startswith("The outcome is recorded")
    journey.shot("complaint-brings-review-forward")

    page.goto(reverse("plans:plan", args=[plan.pk]))
    assert "15 May 2026" in page.locator("main").inner_text()
    state_due = _review_due(plan)
    assert state_due == REVIEW_BY


def _review_due(plan: Plan) -> date:
    from convene.plans.reviews.selectors import review_state

    return review_state(plan, authority_procedures()).due.due


def _a_late_appeal_is_flagged(journey: Journey, d, conference) -> None:
    _appeals_page(journey, d.social_worker, conference)
    page = journey.page
    page.get_by_role("link", name="Record an appeal").click()
    page.get_by_label("Which child's decision is it about?").select_option(label="Ruby Fairweather")
    journey.choose("Who is appealing?", "The child")
    page.get_by_label("Their name").fill("Ruby Fairweather")
    journey.choose("Who helped them appeal?", "An advocate")
    page.get_by_label("Name of the advocate or other helper (optional)").fill("Kim Advocate")
    page.get_by_label("Why they disagree with the decision").fill("I want to stay with my mum.")
    journey.fill_date("Date it was received", date(2026, 4, 13))
    page.get_by_label("Email address (optional)").fill("kim.advocate@example.com")
    page.get_by_role("button", name="Record the appeal").click()
    assert journey.banner() == (
        "The appeal is recorded. It came after the last day to appeal, so it is marked late"
    )
    assert "Late" in page.get_by_role("row", name="Ruby Fairweather (The child)").inner_text()
    journey.shot("late-appeal-flagged")
