"""End to end in a real browser, from the demo (issue 14): Hannah Pryce, a social worker, is
asked about Zofia, a child of her colleague's. Zofia's record is "Page not found" for her. She
gets emergency access with Zofia's local authority child ID and a reason, reads the record
(marked as emergency access), and her team manager, who also manages Zofia's social worker, is
e-mailed at once and sees the request on the review page. Every step is through the pages."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent, User
from convene.breakglass.services import ALERT_SUBJECT
from convene.notifications.models import SentMessage
from convene.people.demo import load_demo
from convene.people.models import Child
from convene.testing.browser import Journey

DEMO_DAY = date(2026, 12, 1)
REASON = "Zofia's school called at 17:30: she says she cannot go home tonight"


@pytest.mark.django_db(transaction=True)
def test_a_social_worker_opens_a_record_she_could_not_see_by_giving_a_reason(
    browser, live_server, screenshots, settings
):
    settings.NOTIFICATIONS_DISPATCH = "on_commit"
    load_demo(today=DEMO_DAY)
    person = {u.email.split("@")[0]: u for u in User.objects.all()}
    hannah, lena = person["hannah.pryce"], person["lena.marsh"]
    zofia = Child.objects.get(first_name="Zofia")
    assert zofia.social_worker is not None and zofia.social_worker != hannah
    journey = Journey(browser, live_server.url, screenshots)
    try:
        with time_machine.travel(DEMO_DAY.isoformat() + " 17:40", tick=True):
            page = journey.sign_in(hannah)
            page.goto(f"/children/{zofia.pk}/")
            assert journey.heading() == "Page not found"
            journey.shot("not-found")

            page.goto("/")
            page.get_by_role("link", name="Get emergency access to a child's record").click()
            assert journey.heading() == "Get emergency access to a child's record"
            # No reason: refused, nothing opened.
            journey.choose(
                "Which identifier do you have for the child?", "Local authority child ID"
            )
            page.get_by_label("The child's identifier", exact=True).fill(zofia.la_child_id)
            page.get_by_role("button", name="Open the record").click()
            summary = page.locator(".govuk-error-summary").inner_text()
            assert "Enter why you need to open this child's record now" in summary
            journey.shot("no-reason")

            page.get_by_label("Why do you need to open this child's record now?", exact=True).fill(
                REASON
            )
            page.get_by_role("button", name="Open the record").click()
            assert journey.heading() == (
                f"You have emergency access to {zofia.display_name}'s record"
            )
            assert journey.summary("Told at once") == lena.get_full_name()
            journey.shot("granted")
            page.get_by_role("link", name=f"Open {zofia.display_name}'s record").click()
            assert journey.heading() == zofia.display_name
            assert "under emergency access until 01:40" in page.locator("main").inner_text()
            journey.shot("record-under-emergency-access")

            # Her manager (who also manages Zofia's social worker) is e-mailed at once.
            message = SentMessage.objects.get(to=lena.email)
            assert message.subject == ALERT_SUBJECT and "Zofia" not in message.subject
            assert AuditEvent.objects.filter(
                child=zofia, actor=hannah, verb=AuditVerb.VIEWED_CHILD_IN_EMERGENCY
            ).exists()

            # Lena reviews it.
            page = journey.sign_in(lena)
            page.get_by_role("link", name="Review emergency access to children's records").click()
            table = page.locator("table").inner_text()
            assert hannah.get_full_name() in table and REASON in table
            assert zofia.display_name in table
            journey.shot("review")
            # The child's audit trail marks her reading as emergency access, with her reason.
            page.get_by_role("link", name=f"Audit trail of {zofia.display_name}").click()
            trail = page.locator("table").first.inner_text()
            assert "Viewed the child's record under emergency (break-glass) access" in trail
            assert "Was given emergency access to the child's record" in trail
            assert REASON in trail
            journey.shot("audit-trail")
    finally:
        journey.close()
