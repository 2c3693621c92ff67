from datetime import date, datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from convene.conferences.enums import ChildOutcome, ConferenceStatus, ConferenceType
from convene.people.enums import DisabilityCode, Ethnicity, Sex
from convene.people.models import Disability
from convene.plans.enums import Category
from convene.returns.annex_a import enquiries_before_latest, export_annex_a
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
    TeamFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 24)

# Written out from ../shared/standards/annex-a.md, not imported, so a changed header fails.
COMMON = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
]
LIST_5 = [
    *COMMON,
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
    "Allocated Team",
    "Allocated Worker",
]
LIST_7 = [
    *COMMON,
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months "
    "(Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]


def export(as_of=AS_OF):
    stream = BytesIO()
    export_annex_a(as_of, stream)
    stream.seek(0)
    return load_workbook(stream)


def as_date(value):
    # openpyxl reads an Excel date back as a datetime at midnight.
    return value.date() if isinstance(value, datetime) else value


def rows(sheet, columns):
    """The data rows as dicts keyed by header, dates as dates."""
    return [
        dict(zip(columns, map(as_date, row), strict=True))
        for row in sheet.iter_rows(2, values_only=True)
    ]


def list_5(as_of=AS_OF):
    return rows(export(as_of)["List 5"], LIST_5)


def list_7(as_of=AS_OF):
    return rows(export(as_of)["List 7"], LIST_7)


# The workbook --------------------------------------------------------------------------


def test_the_workbook_has_list_5_and_list_7_with_the_annex_a_headers_in_order():
    book = export()
    assert book.sheetnames == ["List 5", "List 7"]
    for name, headers in (("List 5", LIST_5), ("List 7", LIST_7)):
        sheet = book[name]
        assert [cell.value for cell in sheet[1]] == headers
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row == 1  # nothing to list yet


def test_dates_are_real_dates_shown_day_month_year():
    child = ChildFactory.create(date_of_birth=date(2018, 6, 1))
    EnquiryFactory.create(episode__child=child, strategy_discussion_date=date(2026, 11, 2))
    sheet = export()["List 5"]
    born, strategy = sheet.cell(2, 4), sheet.cell(2, 7)
    assert (as_date(born.value), as_date(strategy.value)) == (date(2018, 6, 1), date(2026, 11, 2))
    for cell in (born, strategy):
        assert isinstance(cell.value, datetime)
        assert cell.is_date
        assert cell.number_format == "DD/MM/YYYY"


# List 5 --------------------------------------------------------------------------------


def test_list_5_has_one_row_per_enquiry_in_the_six_months_before_the_date():
    child = ChildFactory.create()
    first = EnquiryFactory.create(episode__child=child, strategy_discussion_date=date(2026, 6, 1))
    EnquiryFactory.create(episode__child=child, strategy_discussion_date=date(2026, 10, 1))
    # Exactly six months before is in; the day before that, and after the date, are out.
    edge = EnquiryFactory.create(strategy_discussion_date=date(2026, 5, 24))
    EnquiryFactory.create(strategy_discussion_date=date(2026, 5, 23))
    EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 25))
    found = [
        (
            row["Child Unique ID"],
            row["Strategy discussion initiating Section 47 Enquiry Start Date"],
        )
        for row in list_5()
    ]
    assert found == [
        (edge.child.la_child_id, date(2026, 5, 24)),
        (child.la_child_id, first.strategy_discussion_date),
        (child.la_child_id, date(2026, 10, 1)),
    ]


def test_list_5_writes_the_child_as_annex_a_codes_them():
    child = ChildFactory.create(
        sex=Sex.MALE, ethnicity=Ethnicity.BAFR, date_of_birth=date(2016, 11, 25)
    )
    Disability.objects.create(child=child, code=DisabilityCode.AUT)
    EnquiryFactory.create(episode__child=child, strategy_discussion_date=date(2026, 11, 2))
    no_disability = ChildFactory.create(sex=Sex.FEMALE, ethnicity="")
    Disability.objects.create(child=no_disability, code=DisabilityCode.NONE)
    EnquiryFactory.create(episode__child=no_disability, strategy_discussion_date=date(2026, 11, 3))
    first, second = list_5()
    assert (first["Gender"], first["Ethnicity"], first["Does the Child have a Disability"]) == (
        "a) Male",
        "o) BAFR",
        "a) Yes",
    )
    # Ten on the 25th: still nine the day before.
    assert first["Age of Child (Years)"] == 9
    assert (second["Gender"], second["Ethnicity"], second["Does the Child have a Disability"]) == (
        "b) Female",
        "u) UNKNOWN",
        "b) No",
    )


def test_an_unborn_child_has_age_minus_one_and_no_date_of_birth():
    unborn = ChildFactory.create(date_of_birth=None, expected_date_of_birth=date(2027, 1, 10))
    EnquiryFactory.create(episode__child=unborn, strategy_discussion_date=date(2026, 11, 2))
    [row] = list_5()
    assert (row["Date of Birth"], row["Age of Child (Years)"]) == (None, -1)


def test_list_5_gives_the_initial_conference_and_its_decision():
    with_plan = EnquiryFactory.create(strategy_discussion_date=date(2026, 10, 1))
    ConferenceChildFactory.create(
        child=with_plan.child,
        enquiry=with_plan,
        outcome=ChildOutcome.CP_PLAN,
        conference=ConferenceFactory.create(date=date(2026, 10, 20)),
    )
    nfa = EnquiryFactory.create(
        strategy_discussion_date=date(2026, 10, 2),
        end_date=date(2026, 10, 16),
        conference_not_required=True,
    )
    open_enquiry = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 20))
    ConferenceChildFactory.create(
        child=open_enquiry.child,
        enquiry=open_enquiry,
        conference=ConferenceFactory.create(
            date=date(2026, 12, 8), status=ConferenceStatus.SCHEDULED
        ),
    )
    by_child = {row["Child Unique ID"]: row for row in list_5()}
    columns = [
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    ]
    assert [by_child[with_plan.child.la_child_id][c] for c in columns] == [
        "b) No",
        date(2026, 10, 20),
        "a) Yes",
    ]
    assert [by_child[nfa.child.la_child_id][c] for c in columns] == ["a) Yes", None, None]
    # Still open with the conference only scheduled: nothing decided yet.
    assert [by_child[open_enquiry.child.la_child_id][c] for c in columns] == [None, None, None]


def test_a_conference_that_made_a_child_in_need_plan_did_not_result_in_a_plan():
    enquiry = EnquiryFactory.create(strategy_discussion_date=date(2026, 10, 1))
    ConferenceChildFactory.create(
        child=enquiry.child,
        enquiry=enquiry,
        outcome=ChildOutcome.CIN_PLAN,
        conference=ConferenceFactory.create(date=date(2026, 10, 20)),
    )
    [row] = list_5()
    assert row["Did the Initial Child Protection Conference Result in a Child Protection Plan"] == (
        "b) No"
    )


def test_list_5_counts_enquiries_and_icpcs_in_the_12_months_before_the_latest_enquiry():
    # Annex A counts, for each child, what came in the 12 months before their latest
    # section 47 enquiry (here 1 October 2026), not counting that enquiry itself.
    child = ChildFactory.create()
    for day in (date(2025, 9, 30), date(2025, 10, 1), date(2026, 6, 2), date(2026, 10, 1)):
        EnquiryFactory.create(episode__child=child, strategy_discussion_date=day)
    for day, kind in (
        (date(2025, 9, 30), ConferenceType.INITIAL),  # more than 12 months before
        (date(2026, 3, 20), ConferenceType.INITIAL),
        (date(2026, 4, 20), ConferenceType.REVIEW),  # not an initial conference
        (date(2026, 9, 30), ConferenceType.PRE_BIRTH),
        (date(2026, 10, 20), ConferenceType.INITIAL),  # after the latest enquiry
    ):
        conference = ConferenceFactory.create(date=day, type=kind)
        ConferenceChildFactory.create(child=child, conference=conference)
    cancelled = ConferenceFactory.create(date=date(2026, 9, 1), status=ConferenceStatus.CANCELLED)
    ConferenceChildFactory.create(child=child, conference=cancelled)
    only_one = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    found = list_5()
    assert [row["Child Unique ID"] for row in found] == [
        child.la_child_id,  # June and October are in the six months' list
        child.la_child_id,
        only_one.child.la_child_id,
    ]
    counts = [
        (
            row["Number of Section 47 Enquiries in the last 12 months"],
            row["Number of ICPCs in the last 12 months"],
        )
        for row in found
    ]
    assert counts == [(2, 2), (2, 2), (0, 0)]


@pytest.mark.parametrize(
    ("days", "count"),
    [
        ([date(2026, 10, 1)], 0),
        ([date(2025, 10, 1), date(2026, 10, 1)], 1),  # exactly 12 months before
        ([date(2025, 9, 30), date(2026, 10, 1)], 0),
        ([date(2026, 10, 1), date(2026, 10, 1)], 1),  # two on the same day
    ],
)
def test_enquiries_before_the_latest(days, count):
    assert enquiries_before_latest(list(enumerate(days))) == count


def test_the_allocated_team_and_worker_are_the_social_workers_else_the_enquirys():
    team = TeamFactory.create(name="Safeguarding Team North")
    worker = UserFactory.create(first_name="Sam", last_name="Worker", team=team)
    allocated = ChildFactory.create(social_worker=worker)
    EnquiryFactory.create(
        episode__child=allocated,
        strategy_discussion_date=date(2026, 11, 2),
        team="Old team",
        worker="Old worker",
    )
    EnquiryFactory.create(
        strategy_discussion_date=date(2026, 11, 3), team="Duty Team", worker="Dee Duty"
    )
    first, second = list_5()
    assert (first["Allocated Team"], first["Allocated Worker"]) == (
        "Safeguarding Team North",
        "Sam Worker",
    )
    assert (second["Allocated Team"], second["Allocated Worker"]) == ("Duty Team", "Dee Duty")


# List 7 --------------------------------------------------------------------------------


def test_list_7_has_children_on_a_plan_and_those_whose_plan_ended_in_the_six_months():
    open_plan = PlanFactory.create(start_date=date(2026, 3, 2))
    ended = PlanFactory.create(start_date=date(2025, 9, 1), end_date=date(2026, 6, 24))
    PlanFactory.create(start_date=date(2025, 9, 1), end_date=date(2026, 4, 24))  # 7 months
    PlanFactory.create(start_date=date(2026, 9, 1), other_authority=True)
    PlanFactory.create(start_date=date(2026, 11, 25))  # starts after the date
    ends_later = PlanFactory.create(start_date=date(2026, 1, 5), end_date=date(2026, 12, 1))
    found = {row["Child Unique ID"]: row["Child Protection Plan End Date"] for row in list_7()}
    assert found == {
        open_plan.child.la_child_id: None,
        ended.child.la_child_id: date(2026, 6, 24),
        # On a plan at the date: the end that came later is not yet known then.
        ends_later.child.la_child_id: None,
    }


def test_list_7_has_one_row_per_child_for_their_latest_plan():
    child = ChildFactory.create()
    PlanFactory.create(child=child, start_date=date(2025, 1, 6), end_date=date(2026, 7, 1))
    PlanFactory.create(child=child, start_date=date(2026, 9, 1))
    [row] = list_7()
    assert row["Child Protection Plan Start Date"] == date(2026, 9, 1)
    assert row["Number of Previous Child Protection Plans"] == 1


def test_list_7_writes_the_categories_as_annex_a_letters_them():
    PlanFactory.create(
        start_date=date(2026, 3, 2),
        initial_category=Category.SEXUAL,
        latest_category=Category.MULTIPLE,
    )
    PlanFactory.create(
        start_date=date(2026, 3, 3),
        initial_category=Category.EMOTIONAL,
        latest_category=Category.PHYSICAL,
    )
    PlanFactory.create(start_date=date(2026, 3, 4))  # neglect
    found = [(r["Initial Category of Abuse"], r["Latest Category of Abuse"]) for r in list_7()]
    assert found == [
        ("d) Sexual abuse", "e) Multiple/not recommended"),
        ("c) Emotional abuse", "b) Physical abuse"),
        ("a) Neglect", "a) Neglect"),
    ]


def test_previous_plans_count_plans_here_and_elsewhere():
    child = ChildFactory.create()
    PlanFactory.create(child=child, start_date=date(2019, 1, 7), end_date=date(2019, 9, 2))
    PlanFactory.create(
        child=child, start_date=date(2021, 2, 1), end_date=date(2021, 8, 2), other_authority=True
    )
    PlanFactory.create(child=child, start_date=date(2026, 3, 2), previous_plans_elsewhere=1)
    [row] = list_7()
    assert row["Number of Previous Child Protection Plans"] == 3


def test_list_7_gives_the_last_visit_and_review_up_to_the_date():
    plan = PlanFactory.create(start_date=date(2026, 3, 2))
    VisitFactory.create(plan=plan, date=date(2026, 11, 10), seen_alone=False)
    VisitFactory.create(plan=plan, date=date(2026, 10, 27), seen_alone=True)
    VisitFactory.create(plan=plan, date=date(2026, 11, 25), seen_alone=True)  # after the date
    PlanReviewFactory.create(plan=plan, date=date(2026, 6, 1))
    PlanReviewFactory.create(plan=plan, date=date(2026, 11, 23))
    PlanReviewFactory.create(plan=plan, date=date(2026, 12, 1))
    unknown = PlanFactory.create(start_date=date(2026, 3, 3))
    VisitFactory.create(plan=unknown, date=date(2026, 11, 1), seen_alone=None)
    first, second = list_7()
    assert first["Date of the Last Statutory Visit"] == date(2026, 11, 10)
    assert first["Was the Child Seen Alone?"] == "b) No"
    assert first["Date of latest review conference"] == date(2026, 11, 23)
    assert (second["Was the Child Seen Alone?"], second["Date of latest review conference"]) == (
        "c) Unknown",
        None,
    )


def test_emergency_protection_is_left_blank_as_convene_does_not_record_it():
    PlanFactory.create(start_date=date(2026, 3, 2))
    [row] = list_7()
    assert row[LIST_7[13]] is None


def test_list_7_falls_back_to_the_latest_enquirys_team_and_worker():
    child = ChildFactory.create()
    EnquiryFactory.create(
        episode__child=child, strategy_discussion_date=date(2025, 1, 6), team="A", worker="Ann"
    )
    EnquiryFactory.create(
        episode__child=child, strategy_discussion_date=date(2026, 2, 2), team="B", worker="Bo"
    )
    PlanFactory.create(child=child, start_date=date(2026, 3, 2))
    [row] = list_7()
    assert (row["Allocated Team"], row["Allocated Worker"]) == ("B", "Bo")


# Queries and the command ---------------------------------------------------------------


def _make_cases(n):
    team = TeamFactory.create()
    worker = UserFactory.create(team=team)
    for _ in range(n):
        child = ChildFactory.create(social_worker=worker)
        Disability.objects.create(child=child, code=DisabilityCode.LD)
        enquiry = EnquiryFactory.create(episode__child=child, strategy_discussion_date=AS_OF)
        ConferenceChildFactory.create(
            child=child, enquiry=enquiry, conference=ConferenceFactory.create(date=AS_OF)
        )
        plan = PlanFactory.create(child=child, start_date=date(2026, 3, 2))
        VisitFactory.create(plan=plan, date=date(2026, 11, 1))
        PlanReviewFactory.create(plan=plan, date=date(2026, 6, 1))


def test_the_export_takes_the_same_queries_however_many_rows_it_has():
    _make_cases(1)
    with CaptureQueriesContext(connection) as few:
        export_annex_a(AS_OF, BytesIO())
    _make_cases(10)
    with CaptureQueriesContext(connection) as many:
        assert export_annex_a(AS_OF, BytesIO()) == (11, 11)
    assert len(many) == len(few)


def test_the_command_writes_the_workbook(tmp_path):
    EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    output = tmp_path / "annex-a.xlsx"
    out = StringIO()
    call_command("export_annex_a", "--as-of", "2026-11-24", "--output", str(output), stdout=out)
    assert "List 5 has 1 section 47 enquiry, List 7 has 0 children" in out.getvalue()
    book = load_workbook(output)
    assert book["List 5"].max_row == 2


def test_a_failed_export_leaves_the_previous_workbook_and_no_partial_one(tmp_path, monkeypatch):
    EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    output = tmp_path / "annex-a.xlsx"
    output.write_text("last month's lists")

    def fail(as_of):
        yield from ()
        raise RuntimeError("the database went away")

    monkeypatch.setattr("convene.returns.annex_a.list_7_rows", fail)
    with pytest.raises(RuntimeError):
        call_command("export_annex_a", "--as-of", "2026-11-24", "--output", str(output))
    assert output.read_text() == "last month's lists"
    assert [p.name for p in tmp_path.iterdir()] == ["annex-a.xlsx"]


def test_the_command_refuses_a_file_that_is_not_a_workbook(tmp_path):
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("export_annex_a", "--as-of", "2026-11-24", "--output", str(tmp_path / "a.csv"))
