"""Importing a Standard Safeguarding Dataset extract: mapping, re-import, all-or-nothing."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.db.models import Model

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.enums import ChildOutcome, ConferenceStatus, ConferenceType
from convene.conferences.models import Conference, ConferenceChild
from convene.people.enums import AgencyType, Sex
from convene.people.models import (
    Agency,
    Child,
    Disability,
    Household,
    Involvement,
    Professional,
)
from convene.plans.enums import Category
from convene.plans.models import Plan, PlanReview, Visit
from convene.referrals.models import Episode, Section47Enquiry
from convene.returns.management.commands.import_ssd import Command
from convene.returns.ssd import ImportResult, import_extract
from convene.returns.ssd.writing import Writer
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    UserFactory,
)

from .ssd_extract import Table, base_tables, write_extract, write_table

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "ssd_sample"
MODELS: list[type[Model]] = [
    Household,
    Child,
    Disability,
    Episode,
    Section47Enquiry,
    Conference,
    ConferenceChild,
    Plan,
    PlanReview,
    Visit,
    Agency,
    Professional,
    Involvement,
    AuditEvent,
]


def run(directory: Path, **options: object) -> ImportResult:
    result = import_extract(directory, **options)  # type: ignore[arg-type]
    return result


def imported(tmp_path: Path, tables: dict[str, Table] | None = None) -> ImportResult:
    result = run(write_extract(tmp_path / "extract", tables or base_tables()))
    assert result.ok, [str(p) for p in result.problems]
    return result


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def snapshot() -> dict[str, list[dict[str, object]]]:
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in MODELS}


# --- What an extract becomes ------------------------------------------------------------


def test_each_person_becomes_a_child_with_the_ssd_person_id_as_la_child_id(tmp_path):
    imported(tmp_path)
    kit = Child.objects.get(la_child_id="P1")
    assert (kit.first_name, kit.last_name, kit.sex) == ("Kit", "Ashgrove", Sex.FEMALE)
    assert kit.date_of_birth == date(2018, 6, 1)
    assert (kit.ethnicity, kit.nhs_number) == ("WBRI", "9990000001")
    unborn = Child.objects.get(la_child_id="P3")
    assert unborn.is_unborn and unborn.expected_date_of_birth == date(2026, 3, 1)
    assert unborn.upn_unknown == "UN10"


def test_a_family_becomes_a_household_named_after_its_first_child(tmp_path):
    imported(tmp_path)
    household = Household.objects.get(ssd_family_id="F1")
    assert household.name == "Ashgrove family"
    assert set(household.children.values_list("la_child_id", flat=True)) == {"P1", "P2", "P3"}


def test_disabilities_episodes_and_enquiries_are_imported(tmp_path):
    imported(tmp_path)
    assert list(Disability.objects.values_list("child__la_child_id", "code")) == [("P1", "AUT")]
    episode = Episode.objects.get(ssd_referral_id="R1")
    assert (episode.child.la_child_id, episode.referral_source, episode.primary_need) == (
        "P1",
        "2A",
        "N1",
    )
    enquiry = Section47Enquiry.objects.get(ssd_enquiry_id="S1")
    assert enquiry.episode == episode
    assert enquiry.strategy_discussion_date == date(2025, 5, 6)
    assert enquiry.conference_not_required is False


def test_a_no_further_action_enquiry_needs_no_conference(tmp_path):
    tables = base_tables()
    tables["ssd_s47_enquiry"][0]["s47e_s47_nfa"] = "Y"
    imported(tmp_path, tables)
    assert Section47Enquiry.objects.get(ssd_enquiry_id="S1").conference_not_required is True


def test_children_sharing_a_meeting_id_share_one_initial_conference(tmp_path):
    imported(tmp_path)
    conference = Conference.objects.get(ssd_meeting_id="M1")
    assert (conference.type, conference.status) == (ConferenceType.INITIAL, ConferenceStatus.HELD)
    assert conference.date == date(2025, 5, 22)
    places = conference.subjects.order_by("ssd_id")
    assert [(p.ssd_id, p.child.la_child_id, p.outcome) for p in places] == [
        ("icpc:I1", "P1", ChildOutcome.CP_PLAN),
        ("icpc:I2", "P2", ChildOutcome.CP_PLAN),
    ]
    assert places[0].enquiry == Section47Enquiry.objects.get(ssd_enquiry_id="S1")


def test_a_conference_about_a_child_not_yet_born_is_a_pre_birth_conference(tmp_path):
    imported(tmp_path)
    assert Conference.objects.get(ssd_meeting_id="M2").type == ConferenceType.PRE_BIRTH


def test_a_transfer_in_conference_has_its_own_type(tmp_path):
    tables = base_tables()
    tables["ssd_initial_cp_conference"][2]["icpc_icpc_transfer_in"] = "Y"
    imported(tmp_path, tables)
    assert Conference.objects.get(ssd_meeting_id="M2").type == ConferenceType.TRANSFER_IN


def test_rows_without_a_meeting_id_are_one_conference_each(tmp_path):
    tables = base_tables()
    for row in tables["ssd_initial_cp_conference"]:
        row["icpc_icpc_meeting_id"] = ""
    imported(tmp_path, tables)
    initial = Conference.objects.exclude(type=ConferenceType.REVIEW)
    assert initial.count() == 3
    assert all(c.subjects.count() == 1 and c.ssd_meeting_id is None for c in initial)
    imported(tmp_path, tables)
    assert Conference.objects.exclude(type=ConferenceType.REVIEW).count() == 3


def test_a_conference_without_a_date_is_not_imported_but_counted(tmp_path):
    tables = base_tables()
    tables["ssd_initial_cp_conference"].append(
        {
            "icpc_icpc_id": "I4",
            "icpc_icpc_meeting_id": "M9",
            "icpc_person_id": "P2",
            "icpc_icpc_date": "",
            "icpc_icpc_outcome_cp_flag": "",
        }
    )
    result = imported(tmp_path, tables)
    assert not Conference.objects.filter(ssd_meeting_id="M9").exists()
    assert result.not_held == {"initial conferences": 1, "reviews": 1}


def test_the_target_date_is_never_read(tmp_path):
    tables = base_tables()
    tables["ssd_initial_cp_conference"][0]["icpc_icpc_target_date"] = "soon"
    imported(tmp_path, tables)


def test_plans_are_started_by_their_initial_conference(tmp_path):
    imported(tmp_path)
    kit = Plan.objects.get(ssd_plan_id="C1")
    assert kit.child.la_child_id == "P1" and kit.is_open
    assert kit.started_by == Conference.objects.get(ssd_meeting_id="M1")
    assert (kit.initial_category, kit.other_authority) == (Category.NEGLECT, False)
    assert Plan.objects.get(ssd_plan_id="C2").end_date == date(2025, 8, 21)


def test_a_plan_held_by_another_authority_is_marked_so(tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"].append(
        {
            "cppl_cp_plan_id": "C0",
            "cppl_icpc_id": "",
            "cppl_person_id": "P1",
            "cppl_cp_plan_start_date": "2023-01-10",
            "cppl_cp_plan_end_date": "2023-09-01",
            "cppl_cp_plan_initial_category": "PHY",
            "cppl_cp_plan_latest_category": "",
            "cppl_cp_plan_ola": "Y",
        }
    )
    imported(tmp_path, tables)
    plan = Plan.objects.get(ssd_plan_id="C0")
    assert plan.other_authority and plan.started_by is None
    assert plan.latest_category == Category.PHYSICAL  # empty latest: never changed


def test_held_reviews_become_review_conferences_and_plan_reviews(tmp_path):
    imported(tmp_path)
    conference = Conference.objects.get(ssd_meeting_id="M3")
    assert (conference.type, conference.quorate) == (ConferenceType.REVIEW, True)
    kit = PlanReview.objects.get(ssd_review_id="V1")
    assert (kit.plan.ssd_plan_id, kit.date, kit.plan_continues) == ("C1", date(2025, 8, 21), True)
    assert kit.attendance is not None
    assert kit.attendance.conference == conference
    assert kit.attendance.outcome == ChildOutcome.CONTINUE_PLAN
    rue = PlanReview.objects.get(ssd_review_id="V2")
    assert rue.attendance is not None and rue.attendance.outcome == ChildOutcome.END_PLAN
    assert not PlanReview.objects.filter(ssd_review_id="V3").exists()  # not held yet


def test_visits_professionals_and_involvements_are_imported(tmp_path):
    imported(tmp_path)
    visit = Visit.objects.get(ssd_visit_id="W1")
    assert (visit.seen, visit.seen_alone, visit.bedroom_seen) == (True, True, False)
    assert visit.plan == Plan.objects.get(ssd_plan_id="C1")
    professional = Professional.objects.get(ssd_professional_id="PR1")
    assert professional.agency.type == AgencyType.CHILDRENS_SOCIAL_CARE
    assert professional.registration_number == "SW10001"
    involvement = Involvement.objects.get(ssd_involvement_id="N1")
    assert (involvement.professional, involvement.child.la_child_id) == (professional, "P1")


def test_professionals_join_the_first_childrens_social_care_agency(tmp_path):
    AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    agency = AgencyFactory.create(name="Testshire Children's Services")
    imported(tmp_path)
    assert Professional.objects.get().agency == agency
    assert Agency.objects.count() == 2


def test_the_import_is_audited_once_and_on_each_childs_trail(tmp_path):
    officer = UserFactory.create(email="data.officer@testshire.example")
    result = run(write_extract(tmp_path / "extract-2026-11", base_tables()), by=officer)
    assert result.ok
    summary = AuditEvent.objects.get(child__isnull=True)
    assert (summary.verb, summary.actor) == (AuditVerb.IMPORTED, officer)
    assert "extract-2026-11" in summary.reason and "children 3 created" in summary.reason
    rows = AuditEvent.objects.filter(child__isnull=False)
    assert sorted(rows.values_list("child__la_child_id", flat=True)) == ["P1", "P2", "P3"]
    kit = rows.get(child__la_child_id="P1")
    assert kit.actor == officer and kit.object_type == "people.Child"
    assert "child protection plan created" in kit.reason


# --- Importing again ----------------------------------------------------------------------


def test_importing_the_same_extract_twice_changes_nothing(tmp_path):
    imported(tmp_path)
    before, rows = counts(), snapshot()
    result = imported(tmp_path)
    after = counts()
    assert after == {**before, "AuditEvent": before["AuditEvent"] + 1}  # the summary row only
    rows_after = snapshot()
    rows_after["AuditEvent"] = rows_after["AuditEvent"][:-1]
    assert rows_after == rows
    assert all(t.created == 0 and t.updated == 0 for t in result.tallies.values())


def test_a_newer_extract_updates_records_by_their_ssd_ids(tmp_path):
    imported(tmp_path)
    kit_plan = Plan.objects.get(ssd_plan_id="C1")
    review_conference = Conference.objects.get(ssd_meeting_id="M3")
    tables = base_tables()
    tables["ssd_person"][0]["pers_surname"] = "Ashgrove-Lowther"
    tables["ssd_cp_plans"][0]["cppl_cp_plan_end_date"] = "2026-02-20"
    tables["ssd_cp_plans"][0]["cppl_cp_plan_latest_category"] = "MUL"
    tables["ssd_cp_reviews"][2].update(
        cppr_cp_review_date="2026-02-20", cppr_cp_review_meeting_id="M4",
        cppr_cp_review_outcome_continue_cp="N",
    )  # fmt: skip
    tables["ssd_cp_reviews"][0]["cppr_cp_review_quorate"] = "N"
    tables["ssd_cp_reviews"][1]["cppr_cp_review_quorate"] = "N"
    before = AuditEvent.objects.filter(child__isnull=False).count()

    result = imported(tmp_path, tables)

    kit_plan.refresh_from_db()
    assert Plan.objects.count() == 3 and kit_plan.ssd_plan_id == "C1"
    assert (kit_plan.end_date, kit_plan.latest_category) == (date(2026, 2, 20), Category.MULTIPLE)
    assert Child.objects.get(la_child_id="P1").last_name == "Ashgrove-Lowther"
    assert PlanReview.objects.get(ssd_review_id="V3").plan_continues is False
    review_conference.refresh_from_db()
    assert review_conference.quorate is False and review_conference.version == 2
    assert result.tallies["children"].updated == 1
    assert result.tallies["child protection plans"].updated == 1
    assert result.tallies["plan reviews"].created == 1
    # Kit's and Rue's records changed (Rue's review was not quorate); the baby's did not.
    new_rows = AuditEvent.objects.filter(child__isnull=False).order_by("pk")[before:]
    assert sorted(event.child.la_child_id for event in new_rows if event.child) == ["P1", "P2"]
    rue = next(event for event in new_rows if event.child and event.child.la_child_id == "P2")
    assert rue.reason.endswith(": plan review updated")


def test_a_newer_extract_can_end_a_plan_and_start_another_for_the_same_child(tmp_path):
    imported(tmp_path)
    tables = base_tables()
    tables["ssd_cp_plans"][0]["cppl_cp_plan_end_date"] = "2026-02-20"
    tables["ssd_cp_plans"].append(
        {"cppl_cp_plan_id": "C4", "cppl_icpc_id": "", "cppl_person_id": "P1",
         "cppl_cp_plan_start_date": "2026-02-20", "cppl_cp_plan_end_date": "",
         "cppl_cp_plan_initial_category": "SAB", "cppl_cp_plan_latest_category": "SAB"}
    )  # fmt: skip
    imported(tmp_path, tables)
    assert list(
        Plan.objects.filter(child__la_child_id="P1").values_list("ssd_plan_id", "end_date")
    ) == [("C1", date(2026, 2, 20)), ("C4", None)]


@pytest.mark.parametrize("start", ["2025-08-01", "2025-05-01"], ids=["later", "earlier"])
def test_a_plan_start_can_move_with_its_reviews(tmp_path, start):
    imported(tmp_path)
    tables = base_tables()
    tables["ssd_cp_plans"][0]["cppl_cp_plan_start_date"] = start
    tables["ssd_cp_plans"][0]["cppl_icpc_id"] = ""
    tables["ssd_cp_reviews"][0]["cppr_cp_review_date"] = "2025-08-20"
    tables["ssd_cp_reviews"][0]["cppr_cp_review_meeting_id"] = "M5"
    tables["ssd_cp_visits"][0]["cppv_cp_visit_date"] = "2025-08-04"
    imported(tmp_path, tables)
    plan = Plan.objects.get(ssd_plan_id="C1")
    assert plan.start_date == date.fromisoformat(start)
    assert plan.reviews.get().date == date(2025, 8, 20)


def test_a_child_already_in_convene_can_be_named_by_other_tables(tmp_path):
    ChildFactory.create(la_child_id="P9", date_of_birth=date(2016, 3, 3))
    tables = base_tables()
    tables["ssd_cin_episodes"].append(
        {"cine_referral_id": "R9", "cine_person_id": "P9", "cine_referral_date": "2025-01-02"}
    )
    tables["ssd_family"].append({"fami_family_id": "F1", "fami_person_id": "P9"})
    imported(tmp_path, tables)
    assert Episode.objects.get(ssd_referral_id="R9").child.la_child_id == "P9"
    assert Child.objects.get(la_child_id="P9").household == Household.objects.get(
        ssd_family_id="F1"
    )


# --- All or nothing -----------------------------------------------------------------------


def test_nothing_is_written_when_an_import_fails(tmp_path):
    UserFactory.create()
    before, rows = counts(), snapshot()
    tables = base_tables()
    tables["ssd_cp_reviews"][1]["cppr_cp_plan_id"] = "C99"  # the last table read is fine
    result = run(write_extract(tmp_path / "extract", tables))
    assert not result.ok
    assert counts() == before and snapshot() == rows


def test_a_failed_import_changes_nothing_already_imported(tmp_path):
    imported(tmp_path)
    before, rows = counts(), snapshot()
    tables = base_tables()
    tables["ssd_person"][0]["pers_surname"] = "Changed"
    tables["ssd_cp_plans"][1]["cppl_cp_plan_end_date"] = "2025-05-01"
    assert not run(write_extract(tmp_path / "extract", tables)).ok
    assert counts() == before and snapshot() == rows


def test_anything_the_database_refuses_undoes_the_whole_import(tmp_path, monkeypatch):
    # The checks should leave the database nothing to refuse; if they ever miss something,
    # the import must still save nothing and say why.
    def refuse(writer: Writer) -> None:
        Child.objects.create(la_child_id="PX", last_name="Partial", date_of_birth=date(2020, 1, 1))
        raise IntegrityError("plan_ends_after_it_starts")

    monkeypatch.setattr(Writer, "write_professionals_and_involvements", refuse)
    result = run(write_extract(tmp_path / "extract", base_tables()))
    assert [str(p) for p in result.problems] == [
        "the database: refused the import: plan_ends_after_it_starts"
    ]
    assert all(count == 0 for count in counts().values())


def test_a_dry_run_writes_nothing_but_says_what_it_would_do(tmp_path):
    result = run(write_extract(tmp_path / "extract", base_tables()), dry_run=True)
    assert result.ok and result.dry_run
    assert result.tallies["children"].created == 3
    assert all(count == 0 for count in counts().values())


# --- Files and columns --------------------------------------------------------------------


def test_absent_files_mean_tables_without_rows(tmp_path):
    tables = base_tables()
    directory = tmp_path / "extract"
    write_table(directory, "ssd_person", tables["ssd_person"])
    result = run(directory)
    assert result.ok and Child.objects.count() == 3 and Plan.objects.count() == 0


def test_unknown_files_and_columns_are_ignored(tmp_path):
    tables = base_tables()
    for row in tables["ssd_person"]:
        row["pers_send_flag"] = "nonsense"
    directory = write_extract(tmp_path / "extract", tables)
    write_table(directory, "ssd_cla_episodes", [{"clae_cla_id": "X", "clae_date": "never"}])
    (directory / "notes.txt").write_text("not a table")
    imported(tmp_path, tables)


def test_a_file_name_in_capitals_is_read(tmp_path):
    directory = write_extract(tmp_path / "extract", base_tables())
    (directory / "ssd_person.csv").rename(directory / "SSD_PERSON.CSV")
    assert run(directory).ok and Child.objects.count() == 3


def test_a_missing_required_column_is_an_error(tmp_path):
    tables = base_tables()
    for row in tables["ssd_cp_plans"]:
        del row["cppl_cp_plan_start_date"]
    result = run(write_extract(tmp_path / "extract", tables))
    assert [str(p) for p in result.problems] == [
        "ssd_cp_plans.csv, line 1, cppl_cp_plan_start_date: this required column is missing"
    ]


def test_a_missing_optional_column_leaves_the_field_as_it_is(tmp_path):
    imported(tmp_path)
    tables = base_tables()
    for row in tables["ssd_person"]:
        del row["pers_ethnicity"]
    imported(tmp_path, tables)
    assert Child.objects.get(la_child_id="P1").ethnicity == "WBRI"


def test_an_empty_folder_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(tmp_path / "empty")
    assert not result.ok and "has no SSD tables" in str(result.problems[0])


def test_the_sample_extract_imports_cleanly(tmp_path):
    result = run(SAMPLE)
    assert result.ok, [str(p) for p in result.problems]
    assert Child.objects.count() == 3


# --- The command ---------------------------------------------------------------------------


def test_the_command_prints_a_summary(tmp_path, capsys):
    directory = write_extract(tmp_path / "extract", base_tables())
    call_command("import_ssd", str(directory))
    out, err = capsys.readouterr()
    assert "Imported the SSD extract" in out and "children" in out
    assert "Read ssd_person.csv: 3 rows" in err  # progress goes to stderr


def test_the_command_is_quiet_when_asked(tmp_path, capsys):
    call_command("import_ssd", str(write_extract(tmp_path / "x", base_tables())), "--quiet")
    assert capsys.readouterr().err == ""


def test_the_command_exits_with_status_1_and_prints_every_problem(tmp_path, capsys):
    tables = base_tables()
    tables["ssd_cp_plans"][0]["cppl_person_id"] = "P404"
    tables["ssd_cp_reviews"][0]["cppr_cp_plan_id"] = "C404"
    directory = write_extract(tmp_path / "extract", tables)
    # run_from_argv closes the database connections when it ends, which would end the test's
    # transaction on PostgreSQL; the command line's exit status is what is under test.
    with (
        mock.patch("django.core.management.base.connections.close_all"),
        pytest.raises(SystemExit) as exit_,
    ):
        Command().run_from_argv(["manage.py", "import_ssd", str(directory), "--quiet"])
    assert exit_.value.code == 1
    out, err = capsys.readouterr()
    assert 'ssd_cp_plans.csv, line 2, cppl_person_id: "P404" is not in ssd_person.csv' in out
    assert 'ssd_cp_reviews.csv, line 2, cppr_cp_plan_id: "C404" is not in' in out
    assert "Nothing was imported" in err
    assert Child.objects.count() == 0


def test_the_command_dry_run_saves_nothing(tmp_path, capsys):
    call_command("import_ssd", str(write_extract(tmp_path / "x", base_tables())), "--dry-run")
    out, _ = capsys.readouterr()
    assert "Checked the SSD extract" in out and "nothing was saved" in out
    assert Child.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_the_command_names_the_user_doing_the_import(tmp_path):
    UserFactory.create(email="data.officer@testshire.example")
    directory = write_extract(tmp_path / "x", base_tables())
    call_command("import_ssd", str(directory), "--by", "Data.Officer@testshire.example")
    assert AuditEvent.objects.filter(actor__isnull=False).count() == 4
    with pytest.raises(CommandError, match="No user"):
        call_command("import_ssd", str(directory), "--by", "nobody@testshire.example")


# --- Normalising ---------------------------------------------------------------------------


def test_a_byte_order_mark_windows_line_endings_and_padding_are_read(tmp_path):
    tables = base_tables()
    tables["ssd_person"][0].update(
        pers_surname="Ashgrove   ", pers_sex=" f ", pers_ethnicity="wbri"
    )
    tables["ssd_person"][1]["pers_person_id"] = "  P2 "
    directory = tmp_path / "extract"
    for table, rows in tables.items():
        write_table(directory, table, rows, encoding="utf-8-sig", line_end="\r\n")
    # Padded column names too, as fixed-width exports write them.
    path = directory / "ssd_cp_plans.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",", " , ", 3), encoding="utf-8")
    assert run(directory).ok
    kit = Child.objects.get(la_child_id="P1")
    assert (kit.last_name, kit.sex, kit.ethnicity) == ("Ashgrove", Sex.FEMALE, "WBRI")
    assert Child.objects.filter(la_child_id="P2").exists()
    assert Plan.objects.count() == 3


@pytest.mark.parametrize("day", ["2025-06-02", "2025-06-02 00:00:00.000", "02/06/2025"])
def test_each_date_format_is_imported(tmp_path, day):
    tables = base_tables()
    tables["ssd_cp_visits"][0]["cppv_cp_visit_date"] = day
    imported(tmp_path, tables)
    assert Visit.objects.get().date == date(2025, 6, 2)


@pytest.mark.parametrize(
    ("seen", "expected"),
    [("Y", True), ("n", False), ("1", True), ("0", False), ("True", True), ("false", False),
     ("", None)],
)  # fmt: skip
def test_each_flag_spelling_is_imported(tmp_path, seen, expected):
    tables = base_tables()
    tables["ssd_cp_visits"][0]["cppv_cp_visit_seen"] = seen
    imported(tmp_path, tables)
    assert Visit.objects.get().seen is expected


@pytest.mark.parametrize(
    ("spelling", "category"),
    [("Neg", Category.NEGLECT), ("Physical abuse", Category.PHYSICAL),
     ("emotional", Category.EMOTIONAL), ("Sexual", Category.SEXUAL), ("MUL", Category.MULTIPLE)],
)  # fmt: skip
def test_category_spellings_are_imported_as_codes(tmp_path, spelling, category):
    tables = base_tables()
    tables["ssd_cp_plans"][0]["cppl_cp_plan_initial_category"] = spelling
    imported(tmp_path, tables)
    assert Plan.objects.get(ssd_plan_id="C1").initial_category == category


def test_null_means_empty_except_in_names(tmp_path):
    tables = base_tables()
    tables["ssd_person"][0].update(pers_death_date="NULL", pers_forename="NULL")
    tables["ssd_cp_plans"][0]["cppl_cp_plan_end_date"] = "NULL"
    imported(tmp_path, tables)
    kit = Child.objects.get(la_child_id="P1")
    assert kit.date_of_death is None and kit.first_name == "NULL"
    assert Plan.objects.get(ssd_plan_id="C1").is_open


# --- A realistic history, extract after extract -----------------------------------------


def load_generator():
    path = Path(__file__).resolve().parents[3] / "bench" / "ssd_generator.py"
    spec = importlib.util.spec_from_file_location("ssd_generator", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("ssd_generator", module)
    spec.loader.exec_module(module)
    return module


def test_successive_extracts_of_one_history_end_as_a_fresh_import_of_the_last(tmp_path):
    generate = load_generator().generate
    today = date(2026, 11, 24)
    for months in (12, 6, 0):
        as_of = today - timedelta(days=30 * months)
        generate(tmp_path / f"extract-{months}", 150, 11, today=today, as_of=as_of)
    with transaction.atomic():
        for months in (12, 6, 0):
            result = run(tmp_path / f"extract-{months}")
            assert result.ok, [str(p) for p in result.problems[:5]]
        assert result.tallies["child protection plans"].updated > 0  # plans ended since
        after_updates = snapshot_by_ssd_id()
        transaction.set_rollback(True)  # start again from an empty database
    assert Child.objects.count() == 0
    assert run(tmp_path / "extract-0").ok
    assert snapshot_by_ssd_id() == after_updates


def snapshot_by_ssd_id() -> dict[str, list[tuple[object, ...]]]:
    """The imported records without their database ids, which differ between databases."""
    return {
        "plans": sorted(Plan.objects.values_list("ssd_plan_id", "child__la_child_id",
                        "start_date", "end_date", "latest_category", "started_by__date")),
        "reviews": sorted(PlanReview.objects.values_list("ssd_review_id", "plan__ssd_plan_id",
                          "date", "plan_continues", "attendance__outcome")),
        "children": sorted(Child.objects.values_list("la_child_id", "first_name", "sex",
                           "date_of_birth", "ethnicity", "household__ssd_family_id")),
        "episodes": sorted(Episode.objects.values_list("ssd_referral_id", "closure_date",
                           "closure_reason")),
        "places": sorted(ConferenceChild.objects.values_list("ssd_id", "outcome",
                         "conference__type", "conference__date")),
        "visits": sorted(Visit.objects.values_list("ssd_visit_id", "date", "seen")),
    }  # fmt: skip
