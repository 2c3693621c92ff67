"""End to end in a real browser, from the demo (issue 13): an out-of-hours social worker must
record who is asking before learning that Callum Brennan is subject to a plan; a second
enquiry about him, for someone else, alerts his lead social worker and her team manager, who
sees both enquiries on his record. Every step is done through the pages by the demo's people.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from convene.access.models import User
from convene.notifications.models import SentMessage
from convene.people.demo import load_demo
from convene.people.models import Child
from convene.register.models import RegisterEnquiry
from convene.testing.browser import Journey

DEMO_DAY = date(2026, 12, 1)


def _who_is_asking(journey: Journey, name: str, organisation: str, role: str) -> None:
    page = journey.page
    page.get_by_label("Their full name", exact=True).fill(name)
    page.get_by_label("Their organisation", exact=True).fill(organisation)
    page.get_by_label("Their job title or role", exact=True).fill(role)
    page.get_by_label("Their contact telephone number", exact=True).fill("01632 960 555")
    page.get_by_label("Why are they asking?", exact=True).fill("A child has come in with an injury")
    journey.choose(
        "How did you check who they are?",
        "I called them back on their organisation's main number",
    )
    page.get_by_role("button", name="Continue").click()


def _search(journey: Journey, child: Child) -> None:
    assert child.date_of_birth is not None
    page = journey.page
    page.get_by_label("Child's first name", exact=True).fill(child.first_name)
    page.get_by_label("Child's last name", exact=True).fill(child.last_name)
    journey.fill_date("Child's date of birth", child.date_of_birth)
    page.get_by_role("button", name="Search").click()


@pytest.mark.django_db(transaction=True)
def test_an_enquirer_records_who_asks_before_the_answer_and_a_repeat_alerts_the_social_worker(
    browser, live_server, screenshots, settings
):
    settings.NOTIFICATIONS_DISPATCH = "on_commit"
    load_demo(today=DEMO_DAY)
    person = {u.email.split("@")[0]: u for u in User.objects.all()}
    callum = Child.objects.get(first_name="Callum", last_name="Brennan")
    worker = callum.social_worker
    assert worker is not None and worker.team is not None and worker.team.manager is not None
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(DEMO_DAY.isoformat() + " 23:10", tick=True):
            page = journey.sign_in(person["felix.moreau"])
            page.get_by_role("link", name="Check whether a child has a plan").first.click()
            assert journey.heading() == "Who is asking?"
            # Nothing can be searched before who is asking is recorded.
            page.get_by_role("button", name="Continue").click()
            assert (
                "Enter the full name of the person asking"
                in page.locator(".govuk-error-summary").inner_text()
            )
            assert not RegisterEnquiry.objects.exists()
            journey.shot("who-is-asking-refused")
            _who_is_asking(
                journey, "Priya Example", "Northmoor General Hospital", "Nurse in charge"
            )
            assert journey.heading() == "The child's details"
            _search(journey, callum)
            assert journey.heading() == ("Callum Brennan is subject to a child protection plan")
            assert journey.summary("Category of abuse or neglect") == "Neglect"
            assert worker.get_full_name() in journey.summary("Lead social worker")
            journey.shot("answer")
            assert not SentMessage.objects.filter(to=worker.email).exists()

            # A police control room asks about Callum too, the same night.
            page.get_by_role("link", name="A new enquiry for someone else").click()
            _who_is_asking(journey, "PC Lee Example", "Northmoor Police", "Control room")
            _search(journey, callum)
            assert "has been told" in page.locator("main").inner_text() or (
                "have been told" in page.locator("main").inner_text()
            )
            journey.shot("repeat")
            told = set(SentMessage.objects.values_list("to", flat=True))
            assert {worker.email, worker.team.manager.email} <= told

            # The team manager opens Callum's record and sees who asked.
            page = journey.sign_in(worker.team.manager)
            page.goto(f"/children/{callum.pk}/")
            enquiries = page.locator("table", has_text="Who asked").inner_text()
            assert "PC Lee Example" in enquiries and "Priya Example" in enquiries
            assert "Repeat enquiry" in enquiries
            journey.shot("on-the-record")
    finally:
        journey.close()
