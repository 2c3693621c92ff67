"""End to end in a real browser: a household of two children goes from the strategy
discussion to a quorate conference marked held, with each person signing in and using the
pages as they would.

Playwright drives Debian's Chromium (headless). A full-page screenshot of each step is saved
in var/test-artefacts/browser/. Without Chromium or the playwright package the test is skipped,
unless CONVENE_BROWSER_TESTS=required (as in CI), when it fails instead.

The pages read today's date from the clock, so the test travels in time (time-machine patches
the clock for the whole process, the live server's thread included): to Tuesday 3 March 2026
for the convening, then to the conference day, Monday 9 March 2026.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django.urls import reverse

from convene.access.enums import Role
from convene.access.models import User
from convene.conferences.enums import ConferenceStatus
from convene.conferences.models import Conference
from convene.people.enums import AgencyType, RelationshipKind, Sex
from convene.people.models import Agency, Child
from convene.testing.factories import (
    TEST_PASSWORD,
    AdultFactory,
    AgencyFactory,
    ChildFactory,
    EpisodeFactory,
    HouseholdFactory,
    InvolvementFactory,
    ProfessionalFactory,
    RelationshipFactory,
    TeamFactory,
    UserFactory,
)

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

STRATEGY_DISCUSSION = date(2026, 3, 2)  # a Monday
CONVENING_DAY = datetime(2026, 3, 3, 9, 0, tzinfo=LONDON)  # the day after
CONFERENCE_DAY = date(2026, 3, 9)  # the next Monday: a working day, within 15 working days
ON_THE_DAY = datetime(2026, 3, 9, 12, 5, tzinfo=LONDON)  # just after the meeting


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
        if os.environ.get("CONVENE_BROWSER_TESTS") == "required":
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
class Household:
    older: Child
    younger: Child
    social_worker: User
    team_manager: User
    administrator: User
    chair: User
    police_officer: User
    health_visitor: User


def _person(first: str, last: str, role: Role, agency: Agency, **extra: Any) -> User:
    return UserFactory.create(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@testshire.example".lower(),
        agency=agency,
        roles=[role],
        **extra,
    )


def _involved(user: User, job: str, role: str, children: list[Child]) -> None:
    """A professional record for this user, working with each of the children since January."""
    professional = ProfessionalFactory.create(
        name=user.get_full_name(), job_title=job, agency=user.agency, email=user.email, user=user
    )
    for child in children:
        InvolvementFactory.create(
            professional=professional, child=child, role=role, started=date(2026, 1, 5)
        )


@pytest.fixture
def household() -> Household:
    """The (fictional) Rowan household: Lily, 8, at primary school, and Theo, 2."""
    csc = AgencyFactory.create(
        name="Testshire Children's Social Care", type=AgencyType.CHILDRENS_SOCIAL_CARE
    )
    police = AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    health = AgencyFactory.create(name="Testshire Community Health", type=AgencyType.HEALTH)
    team = TeamFactory.create(name="Assessment Team North", agency=csc)
    manager = _person("Tamsin", "Hale", Role.TEAM_MANAGER, csc, team=team)
    team.manager = manager
    team.save()
    worker = _person("Sol", "Adeyemi", Role.SOCIAL_WORKER, csc, team=team)
    administrator = _person("Ada", "Price", Role.CONFERENCE_ADMINISTRATOR, csc)
    chair = _person("Chris", "Moreno", Role.CONFERENCE_CHAIR, csc)
    officer = _person("Pip", "Lane", Role.AGENCY_PROFESSIONAL, police)
    visitor = _person("Hana", "Kerr", Role.AGENCY_PROFESSIONAL, health)

    home = HouseholdFactory.create(
        name="Rowan household", address="12 Example Street\nTestbury", postcode="TS1 4AB"
    )
    older = ChildFactory.create(
        first_name="Lily",
        last_name="Rowan",
        sex=Sex.FEMALE,
        date_of_birth=date(2017, 5, 14),
        household=home,
        social_worker=worker,
    )
    younger = ChildFactory.create(
        first_name="Theo",
        last_name="Rowan",
        sex=Sex.MALE,
        date_of_birth=date(2023, 9, 2),
        household=home,
        social_worker=worker,
    )
    children = [older, younger]
    for first in ("Hannah", "Mark"):
        parent = AdultFactory.create(
            first_name=first,
            last_name="Rowan",
            household=home,
            email=f"{first.lower()}.rowan@example.com",
        )
        for child in children:
            RelationshipFactory.create(
                adult=parent,
                child=child,
                kind=RelationshipKind.PARENT,
                parental_responsibility=True,
            )
    for child in children:
        EpisodeFactory.create(child=child, referral_date=date(2026, 2, 20))
    _involved(worker, "Social worker", "Allocated social worker", children)
    _involved(officer, "Detective constable", "Child abuse investigation officer", children)
    _involved(visitor, "Health visitor", "Health visitor", children)
    return Household(older, younger, worker, manager, administrator, chair, officer, visitor)


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
        page.get_by_label("Password").fill(TEST_PASSWORD)
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
def test_a_household_of_two_goes_from_strategy_discussion_to_a_quorate_conference(
    browser, live_server, screenshots, household
):
    h = household
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(CONVENING_DAY, tick=True) as traveller:
            _convene(journey, h)
            conference = Conference.objects.get(subjects__child=h.older)
            _arrange_and_invite(journey, h, conference)
            traveller.move_to(ON_THE_DAY)
            _on_the_day(journey, h, conference)
    finally:
        journey.close()

    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD
    assert conference.quorate is True
    assert conference.date == CONFERENCE_DAY
    assert conference.chair == h.chair
    assert set(conference.subjects.values_list("child__first_name", flat=True)) == {
        "Lily",
        "Theo",
    }
    assert len(list(screenshots.glob("*.png"))) == journey.step


def _convene(journey: Journey, h: Household) -> None:
    # The social worker records the strategy discussion for both children.
    page = journey.sign_in(h.social_worker)
    page.goto(reverse("people:child-detail", args=[h.older.pk]))
    page.get_by_role("link", name="Record a strategy discussion").click()
    assert journey.heading() == "Record a strategy discussion"
    page.get_by_label("Lily Rowan").check()
    page.get_by_label("Theo Rowan").check()
    journey.fill_date("Date of the strategy discussion", STRATEGY_DISCUSSION)
    page.get_by_label("Outcome of the enquiry (if known)").fill(
        "Enquiries continue; both children are likely to suffer significant harm."
    )
    journey.shot("social-worker-records-strategy-discussion")
    page.get_by_role("button", name="Save strategy discussion").click()
    assert journey.banner() == "Strategy discussion recorded"
    journey.shot("strategy-discussion-recorded")

    # The team manager decides to convene an initial conference about both children.
    page = journey.sign_in(h.team_manager)
    page.goto(reverse("people:child-detail", args=[h.older.pk]))
    page.get_by_role("link", name="Decide whether to convene").click()
    assert journey.heading() == "Decide whether to convene an initial child protection conference"
    enquiries = page.get_by_role("group", name="Which enquiries are you deciding on?")
    assert enquiries.get_by_label(re.compile("Lily Rowan")).is_checked()
    assert enquiries.get_by_label(re.compile("Theo Rowan")).is_checked()
    journey.choose(
        "Do you decide to convene an initial child protection conference?",
        "Yes: the child is suffering, or likely to suffer, significant harm",
    )
    journey.choose("Is the conference about Lily Rowan?", "Yes")
    journey.choose("Is the conference about Theo Rowan?", "Yes")
    journey.shot("team-manager-decides-to-convene")
    page.get_by_role("button", name="Record decision").click()
    assert journey.banner() == "Decision recorded: the conference is ready to arrange"
    assert journey.heading() == "Initial child protection conference"
    journey.shot("conference-ready-to-arrange")


def _arrange_and_invite(journey: Journey, h: Household, conference: Conference) -> None:
    # The administrator finds the conference on the list and arranges it with a chair.
    page = journey.sign_in(h.administrator)
    page.goto(reverse("conferences:list"))
    assert page.get_by_text("Lily Rowan").first.is_visible()
    journey.shot("administrator-conferences-list")
    page.goto(reverse("conferences:detail", args=[conference.pk]))
    page.get_by_role("link", name="Arrange the conference").click()
    assert journey.heading() == "Arrange the initial child protection conference"
    journey.fill_date("Date of the conference", CONFERENCE_DAY)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    journey.choose("How will people take part?", "In person")
    page.get_by_label("Venue (in person or hybrid)").fill("Testbury Civic Centre, Room 2")
    chairs = page.get_by_role("group", name="Who will chair the conference?")
    assert chairs.get_by_label("Sol Adeyemi").count() == 0
    chairs.get_by_label("Chris Moreno").check()
    journey.shot("administrator-arranges-conference")
    page.get_by_role("button", name="Continue").click()
    if journey.heading() == "Check the date and time":
        journey.shot("administrator-checks-warnings")
        page.get_by_role("button", name="Continue with this date and time").click()
    assert journey.banner() == "The conference has been arranged"
    assert journey.summary("Date").startswith("Monday 9 March 2026, 10")
    assert journey.summary("Chair") == "Chris Moreno"
    assert journey.summary("Status") == "Scheduled"
    journey.shot("conference-arranged")

    # The lead social worker was invited when the conference was decided on; the administrator
    # invites the parents and the other professionals, then sends the invitations.
    page.get_by_role("link", name="Manage invitations").click()
    assert journey.heading() == "Invitations"
    assert page.get_by_role("cell", name=re.compile("^Sol Adeyemi")).count() == 1
    page.get_by_role("link", name="Invite people linked to the children").click()
    assert journey.heading() == "Invite people linked to the children"
    who = page.get_by_role("group", name="Who do you want to invite?")
    assert who.get_by_label(re.compile("^Sol Adeyemi")).count() == 0
    for name in ("Hannah Rowan", "Mark Rowan", "Pip Lane", "Hana Kerr"):
        who.get_by_label(re.compile(f"^{name}")).check()
    journey.shot("administrator-chooses-invitees")
    page.get_by_role("button", name="Invite the people selected").click()
    assert journey.banner() == "4 invited"
    assert journey.heading() == "Invitations"
    assert page.get_by_text("The police have not been invited").count() == 0
    page.get_by_role("link", name="Send invitations").click()
    assert journey.heading() == "Send invitations"
    assert page.get_by_text("cannot be sent yet").count() == 0
    journey.choose("Which invitations do you want to send?", "Only those not sent yet")
    journey.shot("administrator-sends-invitations")
    page.get_by_role("button", name="Send invitations").click()
    assert journey.banner() == "5 invitations sent"

    # The police officer's answer comes back by email; the administrator records it.
    page.get_by_role("link", name="Record answer from Pip Lane").click()
    assert journey.heading() == "Record their answer"
    journey.choose("What is their answer?", "Attending")
    page.get_by_role("button", name="Save answer").click()
    assert journey.banner() == "Answer from Pip Lane recorded"
    journey.shot("invitations-sent-and-answered")


def _on_the_day(journey: Journey, h: Household, conference: Conference) -> None:
    # The chair takes the register: social care, police and health there, one parent too.
    page = journey.sign_in(h.chair)
    page.goto(reverse("conferences:detail", args=[conference.pk]))
    page.get_by_role("link", name="Take the attendance register").click()
    assert journey.heading() == "Attendance register"
    attendance = {
        "Hannah Rowan": "Present",
        "Mark Rowan": "Sent apologies",
        "Sol Adeyemi": "Present",
        "Pip Lane": "Present",
        "Hana Kerr": "Joined online",
    }
    for name, how in attendance.items():
        journey.choose(re.compile(f"^{name} "), how)
    journey.shot("chair-takes-attendance")
    page.get_by_role("button", name="Save the register").click()
    assert journey.banner() == "The attendance register has been saved"
    assert journey.heading() == "Attendance and quorum"

    # The quorum page shows each child quorate.
    for child in (h.older, h.younger):
        row = page.locator(".govuk-summary-list__row").filter(
            has=page.locator("dt", has_text=child.display_name)
        )
        assert row.locator(".govuk-tag").inner_text().strip() == "Quorate"
        assert "Testshire Community Health, Testshire Police" in row.inner_text()
    journey.shot("quorate-for-each-child")

    # The chair marks it held.
    page.get_by_role("link", name="Mark the conference as held").click()
    assert journey.heading() == "Mark the conference as held"
    assert page.get_by_text("Not quorate").count() == 0
    journey.shot("chair-marks-held")
    page.get_by_role("button", name="Mark as held").click()
    assert journey.banner() == "The conference has been marked as held"
    assert journey.summary("Status") == "Held"
    journey.shot("conference-held")
