"""End to end in a real browser, from the demo (issue 14): a social worker is signed in (with a
code from the authenticator app) in one browser; the system administrator, in another, finds
her account through the pages and closes it; her next request finds her signed out.
"""

from __future__ import annotations

import pytest

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent, User
from convene.core.clock import today
from convene.people.demo import DEMO_PASSWORD, load_demo
from convene.testing.browser import Journey


@pytest.mark.django_db(transaction=True)
def test_an_administrator_closes_an_account_and_its_open_session_ends_at_the_next_request(
    browser, live_server, screenshots
):
    load_demo(today=today())
    person = {u.email.split("@")[0]: u for u in User.objects.all()}
    sam, colin = person["sam.okafor"], person["colin.avery"]
    journey = Journey(browser, live_server.url, screenshots)
    try:
        # Sam Okafor is at work, signed in with her password and a code from her app.
        sams_page = journey.sign_in(sam)
        assert journey.heading() == "Your work"
        journey.shot("social-worker-signed-in")

        # In another browser, the system administrator finds her account.
        page = journey.sign_in(colin, alongside=True)
        page.get_by_role("link", name="Accounts", exact=True).click()
        assert journey.heading() == "Accounts"
        page.get_by_label("Search by name, email address, job title, team or agency").fill("Okafor")
        page.get_by_role("button", name="Search").click()
        journey.shot("administrator-finds-the-account")
        page.get_by_role("link", name="Sam Okafor").click()
        assert journey.heading() == "Sam Okafor"
        assert journey.summary("Status") == "Open"

        # Closing asks why, for the audit trail.
        page.get_by_role("link", name="Close this account").click()
        assert journey.heading() == "Close this account"
        page.get_by_role("button", name="Close the account").click()
        assert "Enter why, for the audit trail" in page.locator(".govuk-error-summary").inner_text()
        page.get_by_label("Why?", exact=True).fill("Left the authority on Friday")
        journey.shot("administrator-closes-the-account")
        page.get_by_role("button", name="Close the account").click()
        assert journey.banner() == "The account is closed and every session it had is ended"
        assert journey.summary("Status") == "Closed: they cannot sign in"
        journey.shot("account-closed")
        closed = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_DEACTIVATED)
        assert (closed.actor, closed.object_id) == (colin, str(sam.pk))
        assert "Left the authority on Friday" in closed.reason

        # Sam's next request, in her own browser, finds her signed out.
        journey.page = sams_page
        sams_page.get_by_role("link", name="Children", exact=True).click()
        sams_page.wait_for_load_state()
        assert journey.heading() == "Sign in"
        journey.shot("social-worker-signed-out")
        # And she cannot sign in again, even with her right password.
        sams_page.get_by_label("Email address").fill(sam.email)
        sams_page.get_by_label("Password").fill(DEMO_PASSWORD)
        sams_page.get_by_role("button", name="Sign in").click()
        assert journey.heading() == "Sign in"
    finally:
        journey.close()
