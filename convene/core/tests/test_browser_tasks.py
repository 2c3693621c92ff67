"""End to end in a real browser, from the demo (issue 15): every role starts from its home
page and reaches each of its tasks by clicking. The administrator allocates a social worker
to a child who had none; the social worker records a strategy discussion, and the team
manager finds the decision to convene on their home page; the social worker records an
appeal, and the head of service finds it on theirs; the chair, the police officer and the
health visitor open each thing they must do."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from convene.access.models import User
from convene.conferences.enums import ConferenceType
from convene.conferences.models import Conference
from convene.people.demo import load_demo
from convene.people.models import Child
from convene.testing.browser import Journey

DEMO_DAY = date(2026, 12, 1)  # a Tuesday
NOON = DEMO_DAY.isoformat() + " 12:00 +0000"
BROKEN = {"Page not found", "Sorry, there is a problem with the service"}

pytestmark = pytest.mark.django_db(transaction=True)


def _people() -> dict[str, User]:
    load_demo(today=DEMO_DAY)
    return {u.email.split("@")[0]: u for u in User.objects.all()}


def _home(journey: Journey) -> None:
    journey.page.get_by_role("link", name="Home", exact=True).click()
    assert journey.heading() == "Your work"


def _tasks(journey: Journey) -> list[str]:
    return [str(text).strip() for text in journey.page.locator("#task-list a").all_inner_texts()]


def _reach_each_task(journey: Journey, expected: list[str]) -> list[str]:
    """From the home page, click each task in turn: each opens a page that works. Returns the
    headings reached, and checks each expected task is listed."""
    _home(journey)
    tasks = _tasks(journey)
    for words in expected:
        assert any(words in task for task in tasks), (words, tasks)
    reached = []
    for index in range(len(tasks)):
        _home(journey)
        journey.page.locator("#task-list a").nth(index).click()
        heading = journey.heading()
        assert heading and heading not in BROKEN, (tasks[index], heading)
        reached.append(heading)
    journey.shot("last-task")
    return reached


def test_the_administrator_reaches_each_task_and_allocates_a_child(
    browser, live_server, screenshots
):
    people = _people()
    arjun = Child.objects.get(first_name="Arjun")
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(NOON, tick=True):
            journey.sign_in(people["dana.whitlock"])
            journey.shot("administrator-home")
            reached = _reach_each_task(
                journey,
                [
                    "Arrange the initial child protection conference, hold by 8 December 2026",
                    "4 reports not submitted yet",
                    "Ask the chair to sign the decision letter",
                    "Allocate a social worker",
                ],
            )
            assert "Allocate a social worker" in reached
            # Arjun has no social worker: the administrator allocates one from the task.
            _home(journey)
            page = journey.page
            task = page.locator("#task-list li", has_text="Arjun Patel")
            task.get_by_role("link", name="Allocate a social worker").click()
            journey.choose("Who is the child's social worker?", "Hannah Pryce, Assessment Team A")
            page.get_by_role("button", name="Allocate").click()
            assert journey.banner() == "Arjun Patel is allocated to Hannah Pryce"
            assert journey.summary("Social worker").startswith("Hannah Pryce")
            journey.shot("allocated")
            _home(journey)
            assert not any("Arjun Patel" in t for t in page.locator("#task-list").all_inner_texts())
            arjun.refresh_from_db()
            assert arjun.social_worker == people["hannah.pryce"]
    finally:
        journey.close()


def test_the_chair_reaches_each_task(browser, live_server, screenshots):
    people = _people()
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(NOON, tick=True):
            journey.sign_in(people["morag.ellison"])
            journey.shot("chair-home")
            reached = _reach_each_task(
                journey,
                [
                    "Sign the decision letter of the pre-birth conference",
                    "Sign the conference record of the pre-birth conference",
                    "Review child protection conference on 28 January 2027",
                ],
            )
            assert "Decision letter" in reached
    finally:
        journey.close()


def test_the_social_worker_records_a_strategy_discussion_and_the_team_manager_decides(
    browser, live_server, screenshots
):
    people = _people()
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(NOON, tick=True):
            page = journey.sign_in(people["sam.okafor"])
            journey.shot("social-worker-home")
            _reach_each_task(
                journey,
                [
                    "Children's social care report for the conference on 14 December 2026",
                    "Next core group meeting",
                ],
            )
            # From the home page to Ruby's record, to record a strategy discussion.
            _home(journey)
            page.get_by_role("link", name="Ruby Fairweather").first.click()
            page.get_by_role("link", name="Record a strategy discussion").click()
            page.get_by_label("Ruby Fairweather").check()
            journey.fill_date("Date of the strategy discussion", DEMO_DAY)
            page.get_by_role("button", name="Save strategy discussion").click()
            assert journey.banner() == "Strategy discussion recorded"

            page = journey.sign_in(people["lena.marsh"])
            journey.shot("team-manager-home")
            reached = _reach_each_task(
                journey, ["Decide whether to convene an initial child protection conference"]
            )
            assert "Decide whether to convene an initial child protection conference" in reached
    finally:
        journey.close()


def test_the_head_of_service_finds_an_appeal_on_their_home_page(browser, live_server, screenshots):
    people = _people()
    pre_birth = Conference.objects.get(type=ConferenceType.PRE_BIRTH)
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(NOON, tick=True):
            page = journey.sign_in(people["gareth.holloway"])
            assert page.get_by_text("You have nothing to do today.").is_visible()

            page = journey.sign_in(people["sam.okafor"])
            page.goto(reverse("conferences:detail", args=[pre_birth.pk]))
            page.get_by_role("link", name="Appeals and complaints").click()
            page.get_by_role("link", name="Record an appeal").click()
            page.get_by_label("Which child's decision is it about?").select_option(
                label="Unborn baby Harlow"
            )
            journey.choose("Who is appealing?", "A parent or carer")
            page.get_by_label("Their name").fill("Kerry Harlow")
            journey.choose("Who helped them appeal?", "Their social worker")
            page.get_by_label("Why they disagree with the decision").fill("We have moved house.")
            journey.fill_date("Date it was received", DEMO_DAY)
            page.get_by_label("Postal address (optional)").fill("2 Elm Row\nNorthmoor")
            page.get_by_role("button", name="Record the appeal").click()
            assert journey.banner().startswith("The appeal is recorded")

            journey.sign_in(people["gareth.holloway"])
            journey.shot("head-of-service-home")
            reached = _reach_each_task(
                journey, ["An appeal against a conference decision: answer in writing by"]
            )
            assert any(re.search("[Aa]ppeal", heading) for heading in reached)
    finally:
        journey.close()


def test_the_police_officer_and_the_health_visitor_reach_their_tasks(
    browser, live_server, screenshots
):
    people = _people()
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(NOON, tick=True):
            journey.sign_in(people["jordan.blake"])
            journey.shot("police-home")
            _reach_each_task(
                journey,
                [
                    "Police report for the conference on 4 December 2026",
                    "Initial child protection conference on 4 December 2026: say whether",
                ],
            )
            journey.sign_in(people["aisha.rahman"])
            journey.shot("health-visitor-home")
            _reach_each_task(journey, ["Agency report for the conference on 14 December 2026"])
    finally:
        journey.close()
