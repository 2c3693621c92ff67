"""End to end in a real browser, from the demo: the Fairweather household's two children go
from the strategy discussion to a quorate conference where Ruby gets a child protection plan
(neglect) and Alfie a child in need plan; Ruby's record then shows the plan, its review and
core group deadlines and the chart of safety scores; and the census for the year, with Ruby's
plan in it, passes the DfE validator. Every step is done through the pages by the demo's own
people, as they would: nothing is made for the test that no page can make
(convene/testing/journeys.py; the browser, screenshots and validator: convene/testing/browser.py).

The demo is loaded as at 14 April 2026, as CI's census step loads it, so that at the end of
the 2025-26 year none of the demo's own enquiries is late (DfE query 8675Q stays quiet). The
pages read today's date from the clock, so the test travels in time (time-machine patches the
clock for the whole process, the live server's thread included): the Fairweathers' strategy
discussion is on Monday 16 March 2026, the convening the next day, the conference on Friday
27 March; the census is exported afterwards, as at the year's end.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from convene.conferences.enums import ChildOutcome, ConferenceStatus
from convene.plans.models import Plan
from convene.testing.browser import Journey, validate_census
from convene.testing.journeys import (
    CONVENING_DAY,
    DAYS,
    DEMO_DAY,
    Fairweathers,
    fairweathers,
    outline_plan,
    to_the_decisions,
)


@pytest.mark.django_db(transaction=True)
def test_from_the_demo_a_household_of_two_goes_from_strategy_discussion_to_a_decision_each(
    browser, live_server, screenshots, tmp_path
):
    d = fairweathers(DEMO_DAY)
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(CONVENING_DAY, tick=True) as traveller:
            conference = to_the_decisions(journey, d, traveller)
            outline_plan(journey, d, conference, DAYS)
            _rubys_record(journey, d)
    finally:
        journey.close()

    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD and conference.quorate is True
    assert conference.date == DAYS.conference and conference.chair == d.chair
    outcomes = dict(conference.subjects.values_list("child__first_name", "outcome"))
    assert outcomes == {"Ruby": ChildOutcome.CP_PLAN, "Alfie": ChildOutcome.CIN_PLAN}
    plan = Plan.objects.get(child=d.ruby)
    assert (plan.start_date, plan.initial_category, plan.end_date) == (DAYS.conference, "NEG", None)
    assert not Plan.objects.filter(child=d.alfie).exists()
    assert len(list(screenshots.glob("*.png"))) == journey.step
    _the_census_validates_with_rubys_plan(d, tmp_path)


def _rubys_record(journey: Journey, d: Fairweathers) -> None:
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


def _the_census_validates_with_rubys_plan(d: Fairweathers, folder: Path) -> None:
    """The census for 2025-26, exported as at the year's end, holds Ruby's plan and passes the
    DfE validator's child protection rules."""
    xml = folder / "census.xml"
    call_command("export_cin_census", "--year", "2025-26", "--output", str(xml))
    rubys = [
        child
        for child in ET.parse(xml).getroot().iter("Child")
        if child.findtext("ChildIdentifiers/LAchildID") == d.ruby.la_child_id
    ]
    assert len(rubys) == 1
    assert rubys[0].findtext(".//ChildProtectionPlans/CPPstartDate") == DAYS.conference.isoformat()
    plans = Plan.objects.filter(other_authority=False).count()
    validate_census(xml, ruleset="cin2025_26", min_plans=plans)
