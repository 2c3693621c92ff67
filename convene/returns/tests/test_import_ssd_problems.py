"""Bad input in an SSD extract: each problem is reported at its file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from convene.returns.ssd import import_extract
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    PlanFactory,
    PlanReviewFactory,
)

from .ssd_extract import Table, base_tables, write_extract

pytestmark = pytest.mark.django_db


def problems(tmp_path: Path, tables: dict[str, Table]) -> list[str]:
    result = import_extract(write_extract(tmp_path / "extract", tables))
    assert not result.ok, "the import should have failed"
    return [str(problem) for problem in result.problems]


def test_a_missing_id_is_reported_with_its_line(tmp_path):
    tables = base_tables()
    tables["ssd_cp_visits"][0]["cppv_cp_visit_id"] = ""
    assert problems(tmp_path, tables) == [
        "ssd_cp_visits.csv, line 2, cppv_cp_visit_id: the id is missing"
    ]


def test_a_duplicate_id_within_a_file_is_reported_with_both_lines(tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"][2]["cppl_cp_plan_id"] = "C1"
    assert 'ssd_cp_plans.csv, line 4, cppl_cp_plan_id: "C1" is a duplicate id (also on line 2)' in (
        problems(tmp_path, tables)
    )


def test_duplicate_ids_in_the_tables_read_without_being_held_are_reported(tmp_path):
    # Visits and involvements are checked as they are read and not kept: their repeated ids are
    # found from hashes, then their lines by reading the file again.
    tables = base_tables()
    visit = tables["ssd_cp_visits"][0]
    tables["ssd_cp_visits"] += [
        {**visit, "cppv_cp_visit_id": "W2", "cppv_cp_visit_date": "2025-06-09"},
        {**visit, "cppv_cp_visit_date": "2025-06-16"},
        {**visit, "cppv_cp_visit_id": "W2", "cppv_cp_visit_date": "2025-06-23"},
        {**visit, "cppv_cp_visit_date": "2025-06-30"},
    ]
    involvement = tables["ssd_involvements"][0]
    tables["ssd_involvements"] += [{**involvement, "invo_professional_team": "Team B"}]
    assert problems(tmp_path, tables) == [
        'ssd_cp_visits.csv, line 4, cppv_cp_visit_id: "W1" is a duplicate id (also on line 2)',
        'ssd_cp_visits.csv, line 5, cppv_cp_visit_id: "W2" is a duplicate id (also on line 3)',
        'ssd_cp_visits.csv, line 6, cppv_cp_visit_id: "W1" is a duplicate id (also on line 2)',
        'ssd_involvements.csv, line 3, invo_involvements_id: "N1" is a duplicate id (also on '
        "line 2)",
    ]


def test_a_plan_whose_person_is_not_in_ssd_person_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"][1]["cppl_person_id"] = "P77"
    assert problems(tmp_path, tables) == [
        'ssd_cp_plans.csv, line 3, cppl_person_id: "P77" is not in ssd_person.csv, nor a child '
        "already in Convene"
    ]


@pytest.mark.parametrize(
    ("table", "column", "line"),
    [
        ("ssd_family", "fami_person_id", 2),
        ("ssd_disability", "disa_person_id", 2),
        ("ssd_cin_episodes", "cine_person_id", 2),
        ("ssd_cp_visits", "cppv_person_id", 2),
        ("ssd_involvements", "invo_person_id", 2),
    ],
)
def test_any_row_whose_person_is_unknown_is_reported(tmp_path, table, column, line):
    tables = base_tables()
    tables[table][0][column] = "P77"
    found = problems(tmp_path, tables)
    assert f'{table}.csv, line {line}, {column}: "P77" is not in ssd_person.csv' in found[0]


def test_a_person_already_in_convene_is_known(tmp_path):
    ChildFactory.create(la_child_id="P77")
    tables = base_tables()
    tables["ssd_cp_visits"][0].update(cppv_person_id="P77", cppv_cp_plan_id="")
    assert import_extract(write_extract(tmp_path / "extract", tables)).ok


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "reason"),
    [
        ("ssd_cp_plans", 1, "cppl_cp_plan_end_date", "2025-05-01",
         "the plan ends before it starts (2025-05-22)"),
        ("ssd_cin_episodes", 0, "cine_close_date", "2025-04-30",
         "the close date 2025-04-30 is before the start, 2025-05-01"),
        ("ssd_s47_enquiry", 0, "s47e_s47_end_date", "2025-05-05",
         "the end date 2025-05-05 is before the start, 2025-05-06"),
        ("ssd_involvements", 0, "invo_involvement_end_date", "2025-04-01",
         "the end date 2025-04-01 is before the start, 2025-05-01"),
        ("ssd_person", 0, "pers_death_date", "2018-05-31",
         "the date of death 2018-05-31 is before the start, 2018-06-01"),
    ],
)  # fmt: skip
def test_an_end_before_its_start_is_reported(tmp_path, table, row, column, value, reason):
    tables = base_tables()
    tables[table][row][column] = value
    assert f"{table}.csv, line {row + 2}, {column}: {reason}" in problems(tmp_path, tables)


def test_a_plan_that_ends_on_its_start_day_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"][2]["cppl_cp_plan_end_date"] = "2025-11-20"
    assert problems(tmp_path, tables) == [
        "ssd_cp_plans.csv, line 4, cppl_cp_plan_end_date: the plan ends on the day it starts"
    ]


def test_two_open_plans_for_one_child_are_reported(tmp_path):
    tables = base_tables()
    second = {"cppl_cp_plan_id": "C5", "cppl_icpc_id": "", "cppl_cp_plan_start_date": "2025-09-01"}
    tables["ssd_cp_plans"].append({**tables["ssd_cp_plans"][0], **second})
    assert problems(tmp_path, tables) == [
        "ssd_cp_plans.csv, line 5, cppl_cp_plan_start_date: a second open plan for this child: "
        "the plan from 2025-05-22 still open (line 2) is open too"
    ]


def test_overlapping_plans_for_a_child_are_reported(tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"].append({**tables["ssd_cp_plans"][1], "cppl_cp_plan_id": "C5",
                                   "cppl_icpc_id": "", "cppl_cp_plan_start_date": "2025-03-01",
                                   "cppl_cp_plan_end_date": "2025-06-01"})  # fmt: skip
    assert problems(tmp_path, tables) == [
        "ssd_cp_plans.csv, line 3, cppl_cp_plan_start_date: this plan overlaps the plan from "
        "2025-03-01 to 2025-06-01 (line 5)"
    ]


def test_a_plan_may_start_on_the_day_the_previous_one_ended(tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"].append({**tables["ssd_cp_plans"][1], "cppl_cp_plan_id": "C5",
                                   "cppl_icpc_id": "", "cppl_cp_plan_start_date": "2025-08-21",
                                   "cppl_cp_plan_end_date": ""})  # fmt: skip
    assert import_extract(write_extract(tmp_path / "extract", tables)).ok


def test_an_open_plan_already_in_convene_counts(tmp_path):
    child = ChildFactory.create(la_child_id="P1", date_of_birth=date(2018, 6, 1))
    PlanFactory.create(child=child, start_date=date(2024, 1, 8))
    assert problems(tmp_path, base_tables()) == [
        "ssd_cp_plans.csv, line 2, cppl_cp_plan_start_date: a second open plan for this child: "
        "the plan from 2024-01-08 still open (already in Convene) is open too"
    ]


@pytest.mark.parametrize("spelling", ["Negligence", "CAT2", "Physical harm"])
def test_an_unknown_category_spelling_is_reported(tmp_path, spelling):
    tables = base_tables()
    tables["ssd_cp_plans"][0]["cppl_cp_plan_latest_category"] = spelling
    assert problems(tmp_path, tables) == [
        f'ssd_cp_plans.csv, line 2, cppl_cp_plan_latest_category: "{spelling}" is not a category '
        "of abuse: write NEG, PHY, EMO, SAB or MUL"
    ]


def test_a_missing_initial_category_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"][0]["cppl_cp_plan_initial_category"] = ""
    assert problems(tmp_path, tables) == [
        "ssd_cp_plans.csv, line 2, cppl_cp_plan_initial_category: the category is missing"
    ]


def test_a_review_for_an_unknown_plan_is_reported_with_its_line(tmp_path):
    tables = base_tables()
    tables["ssd_cp_reviews"][1]["cppr_cp_plan_id"] = "C404"
    assert problems(tmp_path, tables) == [
        'ssd_cp_reviews.csv, line 3, cppr_cp_plan_id: "C404" is not in ssd_cp_plans.csv, nor a '
        "plan already in Convene"
    ]


def test_a_review_not_yet_held_must_still_name_a_known_plan(tmp_path):
    tables = base_tables()
    tables["ssd_cp_reviews"][2]["cppr_cp_plan_id"] = "C404"
    assert problems(tmp_path, tables)[0].startswith("ssd_cp_reviews.csv, line 4, cppr_cp_plan_id")


@pytest.mark.parametrize("day", ["2025-05-22", "2025-05-01"], ids=["on", "before"])
def test_a_review_on_or_before_its_plans_start_is_reported(tmp_path, day):
    tables = base_tables()
    tables["ssd_cp_reviews"][0].update(cppr_cp_review_date=day, cppr_cp_review_meeting_id="M7")
    assert problems(tmp_path, tables) == [
        f"ssd_cp_reviews.csv, line 2, cppr_cp_review_date: the review on {day} is on or before "
        "its plan's start, 2025-05-22; a review must be after its plan starts"
    ]


def test_a_review_of_a_plan_already_in_convene_is_checked_against_its_start(tmp_path):
    child = ChildFactory.create(la_child_id="P8", date_of_birth=date(2017, 1, 1))
    PlanFactory.create(child=child, start_date=date(2025, 6, 2), ssd_plan_id="C8")
    tables = base_tables()
    tables["ssd_cp_reviews"].append({**tables["ssd_cp_reviews"][0], "cppr_cp_review_id": "V8",
                                     "cppr_person_id": "P8", "cppr_cp_plan_id": "C8",
                                     "cppr_cp_review_date": "01/06/2025",
                                     "cppr_cp_review_meeting_id": ""})  # fmt: skip
    assert problems(tmp_path, tables) == [
        "ssd_cp_reviews.csv, line 5, cppr_cp_review_date: the review on 2025-06-01 is on or "
        "before its plan's start, 2025-06-02; a review must be after its plan starts"
    ]


def test_moving_a_plan_start_past_a_review_in_convene_is_reported(tmp_path):
    child = ChildFactory.create(la_child_id="P1", date_of_birth=date(2018, 6, 1))
    plan = PlanFactory.create(child=child, start_date=date(2025, 5, 22), ssd_plan_id="C1")
    PlanReviewFactory.create(plan=plan, date=date(2025, 7, 1))
    tables = base_tables()
    tables["ssd_cp_plans"][0].update(cppl_cp_plan_start_date="2025-07-01", cppl_icpc_id="")
    del tables["ssd_cp_reviews"], tables["ssd_cp_visits"]
    assert problems(tmp_path, tables) == [
        "ssd_cp_plans.csv, line 2, cppl_cp_plan_start_date: a review already in Convene, on "
        "2025-07-01, is on or before this start; a review must be after its plan starts"
    ]


def test_two_reviews_of_a_plan_on_one_day_are_reported(tmp_path):
    tables = base_tables()
    tables["ssd_cp_reviews"][2].update(cppr_cp_review_date="2025-08-21")
    assert problems(tmp_path, tables) == [
        "ssd_cp_reviews.csv, line 4, cppr_cp_review_date: the plan already has a review on "
        "2025-08-21 (line 2)"
    ]


@pytest.mark.parametrize("value", ["2025-02-30", "31-01-2025", "2025/01/31", "yesterday"])
def test_a_bad_date_is_reported(tmp_path, value):
    tables = base_tables()
    tables["ssd_cp_visits"][0]["cppv_cp_visit_date"] = value
    found = problems(tmp_path, tables)
    assert len(found) == 1
    assert found[0].startswith(f'ssd_cp_visits.csv, line 2, cppv_cp_visit_date: "{value}" is not')


@pytest.mark.parametrize("value", ["maybe", "2", "Yep"])
def test_a_bad_flag_is_reported(tmp_path, value):
    tables = base_tables()
    tables["ssd_cp_visits"][0]["cppv_cp_visit_seen_alone"] = value
    assert problems(tmp_path, tables) == [
        f'ssd_cp_visits.csv, line 2, cppv_cp_visit_seen_alone: "{value}" is not a flag: write Y '
        "or N"
    ]


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("ssd_person", "pers_sex"),
        ("ssd_person", "pers_ethnicity"),
        ("ssd_person", "pers_upn_unknown"),
        ("ssd_disability", "disa_disability_code"),
        ("ssd_cin_episodes", "cine_referral_source_code"),
        ("ssd_cin_episodes", "cine_cin_primary_need_code"),
        ("ssd_cin_episodes", "cine_close_reason"),
    ],
)
def test_an_unknown_code_is_reported(tmp_path, table, column):
    tables = base_tables()
    tables[table][0][column] = "ZZ9"
    found = problems(tmp_path, tables)
    assert len(found) == 1
    assert found[0].startswith(f'{table}.csv, line 2, {column}: "ZZ9" is not a known code')


def test_a_child_with_neither_birth_date_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_person"][2]["pers_expected_dob"] = ""
    assert problems(tmp_path, tables) == [
        "ssd_person.csv, line 4, pers_dob: the child has neither a date of birth nor an expected "
        "date of birth (pers_expected_dob)"
    ]


def test_a_bad_nhs_number_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_person"][0]["pers_common_child_id"] = "12345"
    assert problems(tmp_path, tables) == [
        'ssd_person.csv, line 2, pers_common_child_id: "12345" is not an NHS number (10 digits)'
    ]


def test_a_child_in_two_families_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_family"].append({"fami_table_id": "FT4", "fami_family_id": "F2",
                                 "fami_person_id": "P1"})  # fmt: skip
    assert problems(tmp_path, tables) == [
        'ssd_family.csv, line 5, fami_family_id: the child is also in family "F1" (line 2); a '
        "child belongs to one household"
    ]


def test_a_meeting_held_on_two_days_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_initial_cp_conference"][1]["icpc_icpc_date"] = "2025-05-23"
    tables["ssd_cp_plans"][1]["cppl_cp_plan_start_date"] = "2025-05-23"
    assert problems(tmp_path, tables) == [
        'ssd_initial_cp_conference.csv, line 3, icpc_icpc_date: meeting "M1" was held on '
        "2025-05-22 (ssd_initial_cp_conference.csv line 2), not on 2025-05-23"
    ]


def test_a_child_twice_at_one_meeting_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_initial_cp_conference"][1].update(icpc_person_id="P1", icpc_s47_enquiry_id="S1")
    tables["ssd_cp_plans"][1]["cppl_icpc_id"] = ""
    assert problems(tmp_path, tables) == [
        "ssd_initial_cp_conference.csv, line 3, icpc_person_id: the child is already at meeting "
        '"M1" (ssd_initial_cp_conference.csv line 2)'
    ]


def test_a_child_already_at_a_meeting_in_convene_is_reported(tmp_path):
    child = ChildFactory.create(la_child_id="P1", date_of_birth=date(2018, 6, 1))
    ConferenceChildFactory.create(
        child=child, conference=ConferenceFactory.create(ssd_meeting_id="M1")
    )
    assert problems(tmp_path, base_tables()) == [
        "ssd_initial_cp_conference.csv, line 2, icpc_person_id: the child is already at meeting "
        '"M1" in Convene'
    ]


def test_a_plan_started_by_an_unknown_or_unheld_conference_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"][0]["cppl_icpc_id"] = "I404"
    tables["ssd_initial_cp_conference"][2]["icpc_icpc_date"] = ""
    assert problems(tmp_path, tables) == [
        'ssd_cp_plans.csv, line 2, cppl_icpc_id: "I404" is not in ssd_initial_cp_conference.csv, '
        "nor an initial conference already in Convene",
        "ssd_cp_plans.csv, line 4, cppl_icpc_id: the initial conference on line 4 of "
        "ssd_initial_cp_conference.csv has no date, so it has not been held and cannot have "
        "started this plan",
    ]


def test_links_to_another_childs_records_are_reported(tmp_path):
    tables = base_tables()
    tables["ssd_s47_enquiry"][0]["s47e_referral_id"] = "R2"
    tables["ssd_cp_visits"][0]["cppv_cp_plan_id"] = "C2"
    assert problems(tmp_path, tables) == [
        'ssd_s47_enquiry.csv, line 2, s47e_referral_id: the referral is about person "P2", not '
        '"P1"',
        'ssd_cp_visits.csv, line 2, cppv_cp_plan_id: the plan is about person "P2", not "P1"',
    ]


def test_an_unknown_professional_is_reported(tmp_path):
    tables = base_tables()
    tables["ssd_involvements"][0]["invo_professional_id"] = "PR9"
    assert problems(tmp_path, tables) == [
        'ssd_involvements.csv, line 2, invo_professional_id: "PR9" is not in '
        "ssd_professionals.csv, nor a professional already in Convene"
    ]


def test_a_row_with_too_many_values_is_reported(tmp_path):
    directory = write_extract(tmp_path / "extract", base_tables())
    path = directory / "ssd_disability.csv"
    path.write_text(path.read_text() + "D2,P2,AUT,extra\n")
    result = import_extract(directory)
    assert [str(p) for p in result.problems] == [
        "ssd_disability.csv, line 3: has 4 values but the header has 3 columns (is a comma "
        "inside an unquoted value?)"
    ]


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    directory = write_extract(tmp_path / "extract", base_tables())
    (directory / "ssd_professionals.csv").write_bytes(
        b"prof_professional_id,prof_professional_name\r\nPR1,Ren\xe9e Stonebridge\r\n"
    )
    result = import_extract(directory)
    assert [str(p) for p in result.problems] == [
        "ssd_professionals.csv: is not UTF-8 text: save it as CSV UTF-8 and retry"
    ]


def test_every_problem_is_reported_at_once_in_file_order(tmp_path):
    tables = base_tables()
    tables["ssd_cp_reviews"][0]["cppr_cp_plan_id"] = "C404"
    tables["ssd_person"][1]["pers_dob"] = "30/02/2020"
    tables["ssd_cp_plans"][2]["cppl_cp_plan_initial_category"] = "Abuse"
    tables["ssd_cin_episodes"][2]["cine_referral_nfa"] = "perhaps"
    found = problems(tmp_path, tables)
    assert [line.split(":")[0] for line in found] == [
        "ssd_person.csv, line 3, pers_dob",
        "ssd_cin_episodes.csv, line 4, cine_referral_nfa",
        "ssd_cp_plans.csv, line 4, cppl_cp_plan_initial_category",
        "ssd_cp_reviews.csv, line 2, cppr_cp_plan_id",
    ]


def _second_enquiry(**cells: str) -> dict[str, str]:
    """A second enquiry for P1 (whose first, S1, started on 6 May 2025 and whose initial
    conference was held on 22 May 2025)."""
    row = {
        "s47e_s47_enquiry_id": "S9",
        "s47e_referral_id": "R1",
        "s47e_person_id": "P1",
        "s47e_s47_start_date": "2025-05-12",
        "s47e_s47_end_date": "",
        "s47e_s47_nfa": "N",
        "s47e_s47_completed_by_worker_id": "W100",
        "s47e_s47_completed_by_team": "Assessment Team A",
    }
    row.update(cells)
    return row


def test_an_enquiry_starting_while_another_is_open_is_reported(tmp_path):
    """DfE census rule 8890: S1 is open until its conference on 22 May 2025."""
    tables = base_tables()
    tables["ssd_s47_enquiry"].append(_second_enquiry())
    line = len(tables["ssd_s47_enquiry"]) + 1
    assert problems(tmp_path, tables) == [
        f"ssd_s47_enquiry.csv, line {line}, s47e_s47_start_date: the enquiry starts while the "
        "enquiry on line 2, from 2025-05-06, is still open (DfE census rule 8890): give that one "
        "an end date or its initial conference"
    ]


@pytest.mark.parametrize(
    "cells",
    [
        # After the first enquiry's conference: a new enquiry may start.
        {"s47e_s47_start_date": "2025-05-23"},
        # The child's earlier enquiry ended with no conference needed.
        {"s47e_s47_start_date": "2025-05-02", "s47e_s47_end_date": "2025-05-04",
         "s47e_s47_nfa": "Y"},
    ],
)  # fmt: skip
def test_enquiries_one_after_another_are_not_reported(tmp_path, cells):
    tables = base_tables()
    tables["ssd_s47_enquiry"].append(_second_enquiry(**cells))
    result = import_extract(write_extract(tmp_path / "extract", tables))
    assert result.ok, [str(p) for p in result.problems]
