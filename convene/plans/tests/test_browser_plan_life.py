"""End to end in a real browser, from the demo: Ruby Fairweather's plan from the decision to its
end (issue 10). Her first core group meets within 10 working days with two actions, one done
and one left overdue; a new incident brings her review forward; the review continues the plan;
a later review ends it with a child in need plan. The reviews indicator counts her review, and
the census for the year validates with the DfE tool. Every step is done through the pages by
the demo's own people (convene/testing/journeys.py, convene/testing/browser.py).

The demo is loaded as at 14 April 2027, so that at the end of the 2026-27 year none of the
demo's own enquiries is late (as CI loads it as at 14 April 2026 for 2025-26). The test travels
in time through the autumn and winter of 2026-27.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from convene.conferences.enums import ChildOutcome
from convene.conferences.models import Conference
from convene.plans.enums import ActionStatus, PlanEndReason
from convene.plans.models import ChildInNeedPlan, Plan
from convene.testing.browser import LONDON, Journey, validate_census
from convene.testing.journeys import (
    Days,
    Fairweathers,
    arrange_and_invite,
    convene,
    fairweathers,
    meeting_and_decisions,
    on_the_day,
    outline_plan,
)

DEMO_DAY = date(2027, 4, 14)
DAYS = Days(
    strategy=date(2026, 9, 21),  # a Monday
    conference=date(2026, 10, 2),  # a Friday, within the 15 working days
    action_due=date(2026, 10, 20),
)
CORE_GROUP = date(2026, 10, 13)  # within 10 working days of the conference (due 16 October)
SECOND_ACTION_DUE = date(2026, 10, 27)
BROUGHT_FORWARD_TO = date(2026, 11, 13)  # from 2 January 2027, 3 months after the conference
REVIEW = date(2026, 11, 12)
LATER_REVIEW = date(2027, 2, 10)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.mark.django_db(transaction=True)
def test_from_the_demo_a_plan_goes_from_its_first_core_group_to_its_end(
    browser, live_server, screenshots, tmp_path
):
    d = fairweathers(DEMO_DAY)
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(at(DAYS.strategy, 15), tick=True) as traveller:
            convene(journey, d, DAYS)
            conference = Conference.objects.get(subjects__child=d.ruby)
            arrange_and_invite(journey, d, conference, DAYS)
            traveller.move_to(at(DAYS.conference, 12, 5))
            on_the_day(journey, d, conference)
            meeting_and_decisions(journey, d, conference)
            outline_plan(journey, d, conference, DAYS)
            plan = Plan.objects.get(child=d.ruby)

            traveller.move_to(at(date(2026, 10, 5)))
            _arrange_the_first_core_group(journey, d)
            traveller.move_to(at(CORE_GROUP, 12))
            _record_the_core_group(journey, d)
            traveller.move_to(at(date(2026, 10, 21)))
            _one_action_done(journey, d)
            traveller.move_to(at(date(2026, 10, 29)))
            _a_new_incident_brings_the_review_forward(journey, d)

            traveller.move_to(at(date(2026, 10, 30)))
            review = _book_the_review(journey, d, on=REVIEW, last=DAYS.conference)
            traveller.move_to(at(REVIEW, 12, 5))
            _hold_the_review(journey, d, review, "Child protection plan continues")

            traveller.move_to(at(date(2027, 2, 1)))
            later = _book_the_review(journey, d, on=LATER_REVIEW, last=REVIEW)
            traveller.move_to(at(date(2027, 2, 9)))
            _the_reviews_indicator_counts_rubys_plan(journey, d)
            traveller.move_to(at(LATER_REVIEW, 12, 5))
            _hold_the_review(journey, d, later, "Child protection plan ends")
            _rubys_record_after_the_plan(journey, d)
    finally:
        journey.close()

    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason) == (LATER_REVIEW, PlanEndReason.NO_LONGER_AT_RISK)
    assert list(plan.reviews.values_list("date", "plan_continues")) == [
        (REVIEW, True),
        (LATER_REVIEW, False),
    ]
    assert sorted(plan.actions.values_list("status", flat=True)) == [
        ActionStatus.DONE,
        ActionStatus.NOT_STARTED,
    ]
    assert ChildInNeedPlan.objects.filter(child=d.ruby, follows=plan, start_date=LATER_REVIEW)
    assert later.subjects.get(child=d.ruby).outcome == ChildOutcome.END_PLAN
    with time_machine.travel(at(DEMO_DAY), tick=False):
        _the_census_validates(d, tmp_path)


def _to_rubys_plan(journey: Journey, d: Fairweathers) -> None:
    page = journey.page
    page.goto(reverse("people:child-detail", args=[d.ruby.pk]))
    page.get_by_role("link", name=re.compile("^2 Oct 2026")).click()
    assert journey.heading() == "Ruby Fairweather"


def _arrange_the_first_core_group(journey: Journey, d: Fairweathers) -> None:
    # The lead social worker arranges the first core group within its 10 working days.
    journey.sign_in(d.social_worker)
    _to_rubys_plan(journey, d)
    page = journey.page
    assert "First core group meeting: due by 16 October 2026" in page.inner_text("main")
    page.get_by_role("link", name="Arrange a core group meeting").click()
    journey.fill_date("Date of the meeting", CORE_GROUP)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Where is the meeting?").fill("Northmoor Family Centre")
    journey.shot("lead-social-worker-arranges-core-group")
    page.get_by_role("button", name="Arrange the meeting").click()
    assert journey.banner() == "The core group meeting has been arranged"


def _record_the_core_group(journey: Journey, d: Fairweathers) -> None:
    journey.sign_in(d.social_worker)
    _to_rubys_plan(journey, d)
    page = journey.page
    page.get_by_role("link", name="Record the meeting").first.click()
    assert journey.heading() == "Record the core group meeting on 13 October 2026"
    journey.choose("Did Sam Okafor (Lead social worker) come?", "Yes")
    journey.choose("Did Lauren Fairweather (Mother) come?", "Yes")
    page.get_by_label("Decisions and agreements").fill(
        "Ruby goes to breakfast club; Lauren registers her with a dentist."
    )
    page.get_by_label("Progress discussed at the meeting").first.fill(
        "Ruby has been twice this week."
    )
    page.get_by_label("Where is it up to?").first.select_option(label="In progress")
    journey.shot("core-group-recorded")
    page.get_by_role("button", name="Save the record").click()
    assert journey.banner() == "The record of the core group meeting has been saved"

    # A second action, agreed at the meeting.
    page.get_by_role("link", name="Add an action agreed at this meeting").click()
    page.get_by_label("What is to be done").fill("Register Ruby with a dentist.")
    page.get_by_label("Who will do it").select_option(label="Lauren Fairweather (Mother)")
    journey.fill_date("Due by", SECOND_ACTION_DUE)
    page.get_by_role("button", name=re.compile("Add|Save")).last.click()
    assert journey.banner() == "The action has been added"
    journey.shot("second-action-agreed")


def _one_action_done(journey: Journey, d: Fairweathers) -> None:
    journey.sign_in(d.social_worker)
    _to_rubys_plan(journey, d)
    page = journey.page
    page.get_by_role("link", name=re.compile("^Update progress on: Go with Ruby")).click()
    journey.choose("Where is the action up to?", "Done")
    page.get_by_label("Progress made").fill("Ruby went every school day; the school confirms.")
    page.get_by_role("button", name="Record the progress").click()
    assert journey.banner() == "The progress has been recorded"
    journey.shot("one-action-done")


def _a_new_incident_brings_the_review_forward(journey: Journey, d: Fairweathers) -> None:
    # A week later the dentist action is overdue, on the lead social worker's home page too.
    page = journey.sign_in(d.social_worker)
    assert "1 action overdue" in page.inner_text("main")
    _to_rubys_plan(journey, d)
    assert "1 action is overdue" in page.inner_text("main")
    page.get_by_role("link", name="Bring the review forward").click()
    journey.choose("Why is the review brought forward?", "A new incident")
    page.get_by_label("What has happened?").fill(
        "Ruby came to school hungry and with a bruise; she said there was no food at home."
    )
    journey.fill_date("Date the review is now due by", BROUGHT_FORWARD_TO)
    journey.shot("review-brought-forward")
    page.get_by_role("button", name="Bring the review forward").click()
    assert journey.banner() == "The review is brought forward: it is now due by 13 November 2026"


def _book_the_review(journey: Journey, d: Fairweathers, *, on: date, last: date) -> Conference:
    # The conference service books the review from the plan, with the same chair.
    journey.sign_in(d.administrator)
    _to_rubys_plan(journey, d)
    page = journey.page
    page.get_by_role("link", name="Reviews").click()
    page.get_by_role("button", name="Book the review conference").click()
    journey.choose("Is the conference about Ruby Fairweather?", "Yes")
    journey.choose("Is the conference about Alfie Fairweather?", "No")
    page.get_by_label("If not, why is Alfie Fairweather not a subject of the conference?").fill(
        "Alfie has a child in need plan, not a child protection plan."
    )
    page.get_by_role("button", name="Start conference").click()
    review = Conference.objects.filter(subjects__child=d.ruby).latest("pk")
    assert review.counts_from == last
    page.goto(reverse("conferences:detail", args=[review.pk]))
    page.get_by_role("link", name="Arrange the conference").click()
    journey.fill_date("Date of the conference", on)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    journey.choose("How will people take part?", "In person")
    page.get_by_label("Venue (in person or hybrid)").fill("Northmoor Civic Centre, Room 2")
    chairs = page.get_by_role("group", name="Who will chair the conference?")
    # The same chair, offered first (London CP4 §8.1).
    assert chairs.locator(".govuk-radios__label").first.inner_text().startswith("Morag Ellison")
    chairs.get_by_label(re.compile("^Morag Ellison")).check()
    page.get_by_role("button", name="Continue").click()
    if journey.heading() == "Check the date and time":
        page.get_by_role("button", name="Continue with this date and time").click()
    assert journey.banner() == "The conference has been arranged"
    page.get_by_role("link", name="Manage invitations").click()
    page.get_by_role("link", name="Invite people linked to the children").click()
    who = page.get_by_role("group", name="Who do you want to invite?")
    for name in ("Lauren Fairweather", "Owen Carter", "Jordan Blake"):
        who.get_by_label(re.compile(f"^{name}")).check()
    page.get_by_role("button", name="Invite the people selected").click()
    page.get_by_role("link", name="Send invitations").click()
    journey.choose("Which invitations do you want to send?", "Only those not sent yet")
    page.get_by_role("button", name="Send invitations").click()
    journey.shot(f"review-booked-for-{on.isoformat()}")
    return review


def _hold_the_review(journey: Journey, d: Fairweathers, review: Conference, outcome: str) -> None:
    review.refresh_from_db()
    page = journey.sign_in(d.chair)
    page.goto(reverse("conferences:detail", args=[review.pk]))
    page.get_by_role("link", name="Take the attendance register").click()
    for name in ("Lauren Fairweather", "Sam Okafor", "Owen Carter", "Jordan Blake"):
        journey.choose(re.compile(f"^{name} "), "Present")
    page.get_by_role("button", name="Save the register").click()
    page.get_by_role("link", name="Mark the conference as held").click()
    page.get_by_role("button", name="Mark as held").click()
    assert journey.banner() == "The conference has been marked as held"
    page.get_by_role("link", name="Record the decision for Ruby Fairweather").click()
    journey.choose("What is the decision?", outcome)
    if outcome == "Child protection plan continues":
        page.get_by_label("Category of abuse").select_option(label="Neglect")
        page.get_by_label("Reasons for the decision").fill(
            "Ruby is still going hungry at times; the plan must continue."
        )
    else:
        page.get_by_label("Reasons for the decision").fill(
            "Ruby is fed and cared for and goes to school every day; she is safe now."
        )
        page.get_by_label("Why does the plan end?").select_option(
            label="No longer at continuing risk of significant harm"
        )
        journey.choose("What follows the plan?", "A child in need plan")
    journey.shot(f"chair-decides-at-the-review-of-{review.date}")
    page.get_by_role("button", name="Record the decision").click()
    assert journey.banner() == "The decision for Ruby Fairweather has been recorded"


def _the_reviews_indicator_counts_rubys_plan(journey: Journey, d: Fairweathers) -> None:
    page = journey.sign_in(d.team_manager)
    page.goto(reverse("returns:performance"))
    section = page.locator("section", has=page.locator("h2#reviews-within-timescale"))
    section.get_by_role("link", name=re.compile("plan was reviewed on time, 2026-27")).click()
    assert page.get_by_role("link", name="Ruby Fairweather").count() == 1
    journey.shot("reviews-indicator-counts-ruby")


def _rubys_record_after_the_plan(journey: Journey, d: Fairweathers) -> None:
    page = journey.sign_in(d.social_worker)
    page.goto(reverse("people:child-detail", args=[d.ruby.pk]))
    text = page.inner_text("main")
    assert "Child in need plan review: due by 5 May 2027" in text
    journey.shot("rubys-record-after-the-plan")


def _the_census_validates(d: Fairweathers, folder: Path) -> None:
    """The census for 2026-27, as at its end: Ruby's plan with its two reviews and its end."""
    xml = folder / "census.xml"
    call_command("export_cin_census", "--year", "2026-27", "--output", str(xml))
    [ruby] = [
        child
        for child in ET.parse(xml).getroot().iter("Child")
        if child.findtext("ChildIdentifiers/LAchildID") == d.ruby.la_child_id
    ]
    plan = ruby.find(".//ChildProtectionPlans")
    assert plan is not None
    assert plan.findtext("CPPstartDate") == DAYS.conference.isoformat()
    assert plan.findtext("CPPendDate") == LATER_REVIEW.isoformat()
    assert [r.text for r in plan.iter("CPPreviewDate")] == [
        REVIEW.isoformat(),
        LATER_REVIEW.isoformat(),
    ]
    plans = Plan.objects.filter(other_authority=False).count()
    validate_census(xml, ruleset="cin2026_27", min_plans=plans)
