"""End to end in a real browser, from the demo: the Fairweather household's two children go
from the strategy discussion to a quorate conference where Ruby gets a child protection plan
(neglect) and Alfie a child in need plan; Ruby's record then shows the plan, its review and
core group deadlines and the chart of safety scores; and the census for the year, with Ruby's
plan in it, passes the DfE validator. Every step is done through the pages by the demo's own
people, as they would: nothing is made for the test that no page can make.

Playwright drives Debian's Chromium (headless). A full-page screenshot of each step is saved
in var/test-artefacts/browser/. Without Chromium or the playwright package the test is skipped,
unless CONVENE_BROWSER_TESTS=required (as in CI), when it fails instead. The census check runs
the validator named by CONVENE_CIN_VALIDATOR (CI installs it in .venv-cin); where CI requires
the browser test, it requires the validator too.

The demo is loaded as at 14 April 2026, as CI's census step loads it, so that at the end of
the 2025-26 year none of the demo's own enquiries is late (DfE query 8675Q stays quiet). The
pages read today's date from the clock, so the test travels in time (time-machine patches the
clock for the whole process, the live server's thread included): the Fairweathers' strategy
discussion is on Monday 16 March 2026, the convening the next day, the conference on Friday
27 March; the census is exported afterwards, as at the year's end.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from convene.access.models import User
from convene.conferences.enums import ChildOutcome, ConferenceStatus
from convene.conferences.models import Conference
from convene.people.demo import DEMO_PASSWORD, load_demo
from convene.people.models import Child
from convene.plans.models import Plan

CHROMIUM = os.environ.get("CONVENE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTEFACTS = Path(settings.BASE_DIR) / "var" / "test-artefacts" / "browser"
LONDON = ZoneInfo("Europe/London")

DEMO_DAY = date(2026, 4, 14)  # as CI's census step loads the demo
STRATEGY_DISCUSSION = date(2026, 3, 16)  # a Monday
CONVENING_DAY = datetime(2026, 3, 17, 9, 0, tzinfo=LONDON)  # the day after
CONFERENCE_DAY = date(2026, 3, 27)  # a Friday, within the 15 working days
ON_THE_DAY = datetime(2026, 3, 27, 12, 5, tzinfo=LONDON)  # just after the meeting
CIN_VALIDATOR = os.environ.get("CONVENE_CIN_VALIDATOR", "")
REQUIRED = os.environ.get("CONVENE_BROWSER_TESTS") == "required"


def _why_no_browser() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (make install)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    why = _why_no_browser()
    if why is not None:
        if REQUIRED:
            pytest.fail(f"The browser test is required here, but {why}")
        pytest.skip(f"Browser test skipped: {why}")
    # Playwright's sync API runs an event loop in this thread; the test's own database reads
    # between steps are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
            # Inside Playwright's sync API the test's database reads get a connection of
            # their own (a context of its own); close it, or PostgreSQL cannot drop the
            # test database at the end of the run.
            connections.close_all()


@pytest.fixture
def screenshots() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob("*.png"):
        old.unlink()
    return ARTEFACTS


@dataclass
class Demo:
    """The demo's people and the household the journey follows."""

    ruby: Child
    alfie: Child
    social_worker: User
    team_manager: User
    administrator: User
    chair: User


@pytest.fixture
def demo() -> Demo:
    load_demo(today=DEMO_DAY)
    person = {u.email.split("@")[0]: u for u in User.objects.all()}
    return Demo(
        ruby=Child.objects.get(first_name="Ruby", last_name="Fairweather"),
        alfie=Child.objects.get(first_name="Alfie", last_name="Fairweather"),
        social_worker=person["sam.okafor"],
        team_manager=person["lena.marsh"],
        administrator=person["dana.whitlock"],
        chair=person["morag.ellison"],
    )


class Journey:
    """One browser, a fresh context (so a fresh sign-in) for each person."""

    def __init__(self, browser: Any, base_url: str, folder: Path) -> None:
        self.browser = browser
        self.base_url = base_url
        self.folder = folder
        self.step = 0
        self.context: Any = None
        self.page: Any = None

    def sign_in(self, user: User) -> Any:
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context(
            base_url=self.base_url, viewport={"width": 1200, "height": 900}
        )
        self.context.set_default_timeout(10_000)
        page = self.context.new_page()
        page.goto(reverse("access:sign-in"))
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert page.get_by_text(f"Signed in as {user.get_full_name()}").is_visible()
        self.page = page
        return page

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(path=self.folder / f"{self.step:02d}-{name}.png", full_page=True)

    def heading(self) -> str:
        return str(self.page.locator("h1").inner_text()).strip()

    def banner(self) -> str:
        return str(self.page.locator(".govuk-notification-banner__heading").inner_text()).strip()

    def summary(self, key: str) -> str:
        """The value in the first summary-list row with this key, as the page shows it."""
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.locator("dt", has_text=re.compile(f"^{re.escape(key)}$"))
        )
        return str(row.first.locator("dd").inner_text()).strip()

    def fill_date(self, legend: str, day: date) -> None:
        group = self.page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def choose(self, question: str | re.Pattern[str], answer: str) -> None:
        self.page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()

    def close(self) -> None:
        if self.context is not None:
            self.context.close()


@pytest.mark.django_db(transaction=True)
def test_from_the_demo_a_household_of_two_goes_from_strategy_discussion_to_a_decision_each(
    browser, live_server, screenshots, demo, tmp_path
):
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(CONVENING_DAY, tick=True) as traveller:
            _convene(journey, demo)
            conference = Conference.objects.get(subjects__child=demo.ruby)
            _arrange_and_invite(journey, demo, conference)
            traveller.move_to(ON_THE_DAY)
            _on_the_day(journey, demo, conference)
            _the_meeting_and_the_decisions(journey, demo, conference)
            _the_outline_plan(journey, demo, conference)
            _rubys_record(journey, demo)
    finally:
        journey.close()

    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD and conference.quorate is True
    assert conference.date == CONFERENCE_DAY and conference.chair == demo.chair
    outcomes = dict(conference.subjects.values_list("child__first_name", "outcome"))
    assert outcomes == {"Ruby": ChildOutcome.CP_PLAN, "Alfie": ChildOutcome.CIN_PLAN}
    plan = Plan.objects.get(child=demo.ruby)
    assert (plan.start_date, plan.initial_category, plan.end_date) == (CONFERENCE_DAY, "NEG", None)
    assert not Plan.objects.filter(child=demo.alfie).exists()
    assert len(list(screenshots.glob("*.png"))) == journey.step
    _the_census_validates_with_rubys_plan(demo, tmp_path)


def _convene(journey: Journey, d: Demo) -> None:
    # The social worker records the strategy discussion for both children.
    page = journey.sign_in(d.social_worker)
    page.goto(reverse("people:child-detail", args=[d.ruby.pk]))
    page.get_by_role("link", name="Record a strategy discussion").click()
    assert journey.heading() == "Record a strategy discussion"
    page.get_by_label("Ruby Fairweather").check()
    page.get_by_label("Alfie Fairweather").check()
    journey.fill_date("Date of the strategy discussion", STRATEGY_DISCUSSION)
    page.get_by_label("Outcome of the enquiry (if known)").fill(
        "Enquiries continue; both children are likely to suffer significant harm."
    )
    journey.shot("social-worker-records-strategy-discussion")
    page.get_by_role("button", name="Save strategy discussion").click()
    assert journey.banner() == "Strategy discussion recorded"
    journey.shot("strategy-discussion-recorded")

    # The team manager decides to convene an initial conference about both children.
    page = journey.sign_in(d.team_manager)
    page.goto(reverse("people:child-detail", args=[d.ruby.pk]))
    page.get_by_role("link", name="Decide whether to convene").click()
    assert journey.heading() == "Decide whether to convene an initial child protection conference"
    enquiries = page.get_by_role("group", name="Which enquiries are you deciding on?")
    assert enquiries.get_by_label(re.compile("Ruby Fairweather")).is_checked()
    assert enquiries.get_by_label(re.compile("Alfie Fairweather")).is_checked()
    journey.choose(
        "Do you decide to convene an initial child protection conference?",
        "Yes: the child is suffering, or likely to suffer, significant harm",
    )
    journey.choose("Is the conference about Ruby Fairweather?", "Yes")
    journey.choose("Is the conference about Alfie Fairweather?", "Yes")
    journey.shot("team-manager-decides-to-convene")
    page.get_by_role("button", name="Record decision").click()
    assert journey.banner() == "Decision recorded: the conference is ready to arrange"
    assert journey.heading() == "Initial child protection conference"
    journey.shot("conference-ready-to-arrange")


def _arrange_and_invite(journey: Journey, d: Demo, conference: Conference) -> None:
    # The administrator arranges it with a chair who has no part in the case.
    page = journey.sign_in(d.administrator)
    page.goto(reverse("conferences:detail", args=[conference.pk]))
    page.get_by_role("link", name="Arrange the conference").click()
    assert journey.heading() == "Arrange the initial child protection conference"
    journey.fill_date("Date of the conference", CONFERENCE_DAY)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    journey.choose("How will people take part?", "In person")
    page.get_by_label("Venue (in person or hybrid)").fill("Northmoor Civic Centre, Room 2")
    chairs = page.get_by_role("group", name="Who will chair the conference?")
    chairs.get_by_label("Morag Ellison").check()
    journey.shot("administrator-arranges-conference")
    page.get_by_role("button", name="Continue").click()
    if journey.heading() == "Check the date and time":
        journey.shot("administrator-checks-warnings")
        page.get_by_role("button", name="Continue with this date and time").click()
    assert journey.banner() == "The conference has been arranged"
    assert journey.summary("Chair") == "Morag Ellison"

    # The lead social worker is already invited. The administrator invites the mother, Ruby's
    # school and Alfie's health visitor, who already work with the children.
    page.get_by_role("link", name="Manage invitations").click()
    assert journey.heading() == "Invitations"
    assert page.get_by_role("cell", name=re.compile("^Sam Okafor")).count() == 1
    page.get_by_role("link", name="Invite people linked to the children").click()
    who = page.get_by_role("group", name="Who do you want to invite?")
    for name in ("Lauren Fairweather", "Owen Carter", "Aisha Rahman"):
        who.get_by_label(re.compile(f"^{name}")).check()
    journey.shot("administrator-chooses-invitees")
    page.get_by_role("button", name="Invite the people selected").click()
    assert journey.banner() == "3 invited"

    # The police are not invited yet: the warning says so, and leads to inviting an officer,
    # who does not work with these children yet and is then linked to both.
    assert page.get_by_text("The police have not been invited").count() == 1
    journey.shot("police-not-invited")
    page.get_by_role("link", name="Invite a police officer").click()
    page.get_by_role("group", name="Who are you inviting?").get_by_label(
        re.compile("^Jordan Blake")
    ).check()
    page.get_by_label("What is their role with the children?").fill("Investigating officer")
    journey.shot("administrator-invites-police")
    page.get_by_role("button", name="Invite", exact=True).click()
    assert page.get_by_text("The police have not been invited").count() == 0

    page.get_by_role("link", name="Send invitations").click()
    journey.choose("Which invitations do you want to send?", "Only those not sent yet")
    journey.shot("administrator-sends-invitations")
    page.get_by_role("button", name="Send invitations").click()
    assert journey.banner() == "5 invitations sent"


def _on_the_day(journey: Journey, d: Demo, conference: Conference) -> None:
    # The chair takes the register: everyone came, the health visitor online.
    page = journey.sign_in(d.chair)
    page.goto(reverse("conferences:detail", args=[conference.pk]))
    page.get_by_role("link", name="Take the attendance register").click()
    assert journey.heading() == "Attendance register"
    attendance = {
        "Lauren Fairweather": "Present",
        "Sam Okafor": "Present",
        "Owen Carter": "Present",
        "Aisha Rahman": "Joined online",
        "Jordan Blake": "Present",
    }
    for name, how in attendance.items():
        journey.choose(re.compile(f"^{name} "), how)
    journey.shot("chair-takes-attendance")
    page.get_by_role("button", name="Save the register").click()
    assert journey.banner() == "The attendance register has been saved"

    # Quorate for each child: children's social care and two agencies with contact with them.
    for child in (d.ruby, d.alfie):
        row = page.locator(".govuk-summary-list__row").filter(
            has=page.locator("dt", has_text=child.display_name)
        )
        assert row.locator(".govuk-tag").inner_text().strip() == "Quorate"
    journey.shot("quorate-for-each-child")
    page.get_by_role("link", name="Mark the conference as held").click()
    page.get_by_role("button", name="Mark as held").click()
    assert journey.banner() == "The conference has been marked as held"
    assert journey.summary("Status") == "Held"
    journey.shot("conference-held")


def _the_meeting_and_the_decisions(journey: Journey, d: Demo, conference: Conference) -> None:
    page = journey.page
    page.get_by_role(
        "link", name="The meeting: the four questions, safety scores, views and decisions"
    ).click()
    assert journey.heading() == "The meeting and the decisions"

    # The four questions for the household.
    page.get_by_role("link", name="record the four questions for the household").click()
    page.get_by_label("What is working well?").fill(
        "Lauren takes Alfie to nursery and asks for help when she needs it."
    )
    page.get_by_label("What are we worried about: the harm").fill(
        "Ruby has often gone to school hungry and in dirty clothes; there is little food."
    )
    page.get_by_label("Danger statement").fill(
        "Everyone is worried that Ruby will go without food and care and become ill."
    )
    journey.shot("chair-records-the-four-questions")
    page.get_by_role("button", name="Save the four questions").click()
    assert journey.banner() == "The four questions have been saved"

    # Everyone scores each child from 0 to 10.
    page.get_by_role("link", name="Safety scores").click()
    scores = {
        "Lauren Fairweather": (6, 8),
        "Sam Okafor": (2, 6),
        "Owen Carter": (3, 7),
        "Aisha Rahman": (4, 6),
        "Jordan Blake": (3, 6),
    }
    for name, (ruby, alfie) in scores.items():
        page.get_by_label(f"{name}'s score for Ruby Fairweather").fill(str(ruby))
        page.get_by_label(f"{name}'s score for Alfie Fairweather").fill(str(alfie))
    journey.shot("chair-records-safety-scores")
    page.get_by_role("button", name="Save the scores").click()
    assert journey.banner() == "The safety scores have been saved"

    # Each agency's view, and the mother's.
    page.get_by_role("link", name="Views of the agencies and the family").click()
    views = [
        ("Ruby Fairweather", "Education", "Northmoor Schools", "Owen Carter", "yes", "Neglect"),
        (
            "Alfie Fairweather",
            "Health",
            "Northmoor Community Health NHS Trust",
            "Aisha Rahman",
            "no",
            "",
        ),
    ]
    for child, group, agency, name, needed, category in views:
        page.get_by_label("Which child is the view about?").select_option(label=child)
        page.get_by_label("Whose view is it?").select_option(label=group)
        page.get_by_label("Agency").select_option(label=agency)
        page.get_by_label("Name").fill(name)
        page.locator(f"input[name=plan_needed][value={needed}]").check()
        if category:
            page.get_by_label("Under which category, if a plan is needed?").select_option(
                label=category
            )
        page.get_by_label("Their view, and why").fill(f"The view of {name}, in plain words.")
        page.get_by_role("button", name="Add the view").click()
        assert journey.banner() == "The view has been recorded"
    journey.shot("views-recorded")

    # The chair decides for each child: Ruby a plan (neglect), Alfie a child in need plan.
    page.goto(reverse("conferences:decision-record", args=[conference.pk]))
    page.get_by_role("link", name="Record the decision for Ruby Fairweather").click()
    assert journey.heading() == "Decision for Ruby Fairweather"
    page.get_by_role("button", name="Record the decision").click()
    # Nothing chosen: the GOV.UK error summary says what to do.
    assert "Select the decision" in page.locator(".govuk-error-summary").inner_text()
    journey.choose("What is the decision?", "Child protection plan")
    page.get_by_label("Category of abuse").select_option(label="Neglect")
    page.get_by_label("Reasons for the decision").fill(
        "Ruby has been going without food and care for months; she needs a plan to keep her safe."
    )
    journey.shot("chair-decides-for-ruby")
    page.get_by_role("button", name="Record the decision").click()
    assert journey.banner() == "The decision for Ruby Fairweather has been recorded"
    page.get_by_role("link", name="Record the decision for Alfie Fairweather").click()
    journey.choose("What is the decision?", "Child in need plan")
    page.get_by_label("Reasons for the decision").fill(
        "Alfie is well cared for at nursery and at home; the family needs support."
    )
    page.get_by_role("button", name="Record the decision").click()
    assert journey.banner() == "The decision for Alfie Fairweather has been recorded"
    journey.shot("decisions-recorded")


def _the_outline_plan(journey: Journey, d: Demo, conference: Conference) -> None:
    page = journey.page
    page.get_by_role("link", name="Outline plan for Ruby Fairweather").click()
    assert journey.heading() == "Outline plan for Ruby Fairweather"
    page.get_by_label("What the plan is to achieve").fill("Ruby has breakfast every school day.")
    page.get_by_role("button", name="Add the objective").click()
    assert journey.banner() == "The objective has been added"
    journey.choose("Who are they?", "Parent or carer")
    page.get_by_label("Name").fill("Lauren Fairweather")
    page.get_by_label("Role").fill("Mother")
    page.get_by_role("button", name="Add to the core group").click()
    assert journey.banner() == "The core group member has been added"
    page.get_by_label("What is to be done").fill("Go with Ruby to the school breakfast club.")
    page.get_by_label("Who will do it").select_option(label="Lauren Fairweather (Mother)")
    journey.fill_date("Due by", date(2026, 4, 20))
    page.get_by_role("button", name="Add the action").click()
    assert journey.banner() == "The action has been added"
    page.get_by_label("Contingency plan").fill(
        "If Ruby goes hungry again, the core group meets within a week."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    assert journey.banner() == "The outline plan has been saved"
    journey.shot("outline-plan")


def _rubys_record(journey: Journey, d: Demo) -> None:
    page = journey.page
    page.goto(reverse("people:child-detail", args=[d.ruby.pk]))
    text = page.locator("main").inner_text()
    # The plan, its first review (3 months) and first core group (10 working days, after
    # Easter) are due; the census export's chart of scores is on the record.
    assert "Lead social worker: Sam Okafor" in text
    assert "First review conference: due by 27 June 2026" in text
    assert "First core group meeting: due by 14 April 2026" in text
    assert page.get_by_role("img", name=re.compile("Safety scores at each conference")).count()
    assert page.get_by_role("table", name="Safety scores by conference and group").count()
    journey.shot("rubys-record")


def _the_census_validates_with_rubys_plan(d: Demo, folder: Path) -> None:
    """The census for 2025-26, exported as at the year's end, holds Ruby's plan and passes the
    DfE validator's child protection rules."""
    xml = folder / "census.xml"
    call_command("export_cin_census", "--year", "2025-26", "--output", str(xml))
    root = ET.parse(xml).getroot()
    rubys = [
        child
        for child in root.iter("Child")
        if child.findtext("ChildIdentifiers/LAchildID") == d.ruby.la_child_id
    ]
    assert len(rubys) == 1
    assert rubys[0].findtext(".//ChildProtectionPlans/CPPstartDate") == CONFERENCE_DAY.isoformat()
    if not CIN_VALIDATOR:
        if REQUIRED:
            pytest.fail("The browser test is required here, but CONVENE_CIN_VALIDATOR is not set")
        return
    plans = Plan.objects.filter(other_authority=False).count()
    checked = subprocess.run(
        [
            CIN_VALIDATOR,
            str(Path(settings.BASE_DIR) / ".ci" / "validate_cin.py"),
            str(xml),
            "--ruleset",
            "cin2025_26",
            "--min-plans",
            str(plans),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
