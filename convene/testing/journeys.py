"""The journeys a browser test takes through the pages, from the demo: the Fairweather
household from the strategy discussion to the decision for each child. Each step signs in as
the demo's own people and does only what the pages offer (convene/testing/browser.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.urls import reverse

from convene.access.models import User
from convene.conferences.models import Conference
from convene.people.demo import load_demo
from convene.people.models import Child
from convene.testing.browser import LONDON, Journey


@dataclass(frozen=True)
class Fairweathers:
    """The demo's people and the household the journeys follow."""

    ruby: Child
    alfie: Child
    social_worker: User
    team_manager: User
    administrator: User
    chair: User
    senior_manager: User


def fairweathers(demo_day: date) -> Fairweathers:
    """The demo loaded as at `demo_day`, and who the journeys follow in it."""
    load_demo(today=demo_day)
    person = {u.email.split("@")[0]: u for u in User.objects.all()}
    return Fairweathers(
        ruby=Child.objects.get(first_name="Ruby", last_name="Fairweather"),
        alfie=Child.objects.get(first_name="Alfie", last_name="Fairweather"),
        social_worker=person["sam.okafor"],
        team_manager=person["lena.marsh"],
        administrator=person["dana.whitlock"],
        chair=person["morag.ellison"],
        senior_manager=person["gareth.holloway"],
    )


@dataclass(frozen=True)
class Days:
    strategy: date  # the strategy discussion
    conference: date  # the initial conference, within 15 working days
    action_due: date  # the outline plan's first action


# The way to the decision most browser tests share: the demo as at 14 April 2026 (as CI's census
# step loads it), the strategy discussion on Monday 16 March, convened the day after, the
# conference on Friday 27 March, just after the meeting.
DEMO_DAY = date(2026, 4, 14)
DAYS = Days(strategy=date(2026, 3, 16), conference=date(2026, 3, 27), action_due=date(2026, 4, 20))
CONVENING_DAY = datetime(2026, 3, 17, 9, 0, tzinfo=LONDON)
ON_THE_DAY = datetime(2026, 3, 27, 12, 5, tzinfo=LONDON)


def to_the_decisions(journey: Journey, d: Fairweathers, traveller: Any) -> Conference:
    """From the strategy discussion to the decision for each child, the clock moved by
    `traveller` (time_machine) from CONVENING_DAY to ON_THE_DAY: the conference, held."""
    convene(journey, d, DAYS)
    conference = Conference.objects.get(subjects__child=d.ruby)
    arrange_and_invite(journey, d, conference, DAYS)
    traveller.move_to(ON_THE_DAY)
    on_the_day(journey, d, conference)
    meeting_and_decisions(journey, d, conference)
    return conference


def convene(journey: Journey, d: Fairweathers, days: Days) -> None:
    """The social worker records the strategy discussion; the team manager decides to convene."""
    # The social worker records the strategy discussion for both children.
    page = journey.sign_in(d.social_worker)
    page.goto(reverse("people:child-detail", args=[d.ruby.pk]))
    page.get_by_role("link", name="Record a strategy discussion").click()
    assert journey.heading() == "Record a strategy discussion"
    page.get_by_label("Ruby Fairweather").check()
    page.get_by_label("Alfie Fairweather").check()
    journey.fill_date("Date of the strategy discussion", days.strategy)
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


def arrange_and_invite(
    journey: Journey, d: Fairweathers, conference: Conference, days: Days
) -> None:
    """The administrator arranges the conference and invites everyone, the police too."""
    # The administrator arranges it with a chair who has no part in the case.
    page = journey.sign_in(d.administrator)
    page.goto(reverse("conferences:detail", args=[conference.pk]))
    page.get_by_role("link", name="Arrange the conference").click()
    assert journey.heading() == "Arrange the initial child protection conference"
    journey.fill_date("Date of the conference", days.conference)
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


def on_the_day(journey: Journey, d: Fairweathers, conference: Conference) -> None:
    """The chair takes the register, sees each child quorate and marks the conference held."""
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


def meeting_and_decisions(journey: Journey, d: Fairweathers, conference: Conference) -> None:
    """The four questions, scores, views; Ruby a plan (neglect), Alfie a child in need plan."""
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


def outline_plan(journey: Journey, d: Fairweathers, conference: Conference, days: Days) -> None:
    """Ruby's outline plan: an objective, her mother in the core group, an action."""
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
    journey.fill_date("Due by", days.action_due)
    page.get_by_role("button", name="Add the action").click()
    assert journey.banner() == "The action has been added"
    page.get_by_label("Contingency plan").fill(
        "If Ruby goes hungry again, the core group meets within a week."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    assert journey.banner() == "The outline plan has been saved"
    journey.shot("outline-plan")
