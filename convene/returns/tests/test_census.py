"""The children in need census export (shared/standards/cin-census.md), read back as XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.authority.models import ClosureDay
from convene.conferences.enums import ChildOutcome, ConferenceStatus, ConferenceType
from convene.people.demo import load_demo
from convene.people.enums import DisabilityCode, Ethnicity, Sex, UPNUnknown
from convene.people.models import Disability
from convene.plans.enums import Category
from convene.plans.models import Plan
from convene.referrals.enums import ClosureReason, PrimaryNeed
from convene.referrals.models import Section47Enquiry
from convene.returns.census import census_year, export_cin_census
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    EnquiryFactory,
    EpisodeFactory,
    PlanFactory,
    PlanReviewFactory,
)

pytestmark = pytest.mark.django_db

GENERATED_AT = datetime(2026, 5, 6, 9, 30, tzinfo=UTC)


def export(year: str = "2025-26") -> ET.Element:
    result = export_cin_census(year=census_year(year), la_code="999", generated_at=GENERATED_AT)
    return ET.fromstring(result.to_bytes())


def child_in(root: ET.Element, la_child_id: str) -> ET.Element:
    for child in root.iterfind("Children/Child"):
        if child.findtext("ChildIdentifiers/LAchildID") == la_child_id:
            return child
    raise AssertionError(f"{la_child_id} is not in the census")


def ids(root: ET.Element) -> list[str | None]:
    return [c.findtext("ChildIdentifiers/LAchildID") for c in root.iterfind("Children/Child")]


def held_initial_conference(enquiry, day: date, kind=ConferenceType.INITIAL):
    return ConferenceChildFactory.create(
        conference__type=kind,
        conference__date=day,
        child=enquiry.child,
        enquiry=enquiry,
        outcome=ChildOutcome.CP_PLAN,
    )


# The order of cin-census.md's "Shape", element by element.
SCHEMA_ORDER = {
    "Message": ["Header", "Children"],
    "Header": ["CollectionDetails", "Source"],
    "Children": ["Child"],
    "CollectionDetails": ["Collection", "Year", "ReferenceDate"],
    "Source": ["SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"],
    "Child": ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"],
    "ChildIdentifiers": [
        "LAchildID",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "Sex",
        "PersonDeathDate",
    ],
    "ChildCharacteristics": ["Ethnicity", "Disabilities"],
    "Disabilities": ["Disability"],
    "CINdetails": [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ],
    "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
    "ChildProtectionPlans": [
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
        "Reviews",
    ],
    "Reviews": ["CPPreviewDate"],
}
REQUIRED = {
    "ChildIdentifiers": {"LAchildID", "Sex"},
    "CINdetails": {"CINreferralDate", "ReferralSource", "ReferralNFA"},
    "Section47": {"S47ActualStartDate", "ICPCnotRequired"},
    "ChildProtectionPlans": {
        "CPPstartDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
    },
}


def test_every_element_comes_in_the_schema_order():
    child = ChildFactory.create(
        la_child_id="NM100300",
        upn_unknown=UPNUnknown.UN5,
        date_of_birth=date(2015, 3, 1),
        date_of_death=date(2026, 2, 1),
        ethnicity=Ethnicity.MWBC,
    )
    Disability.objects.create(child=child, code=DisabilityCode.VIS)
    Disability.objects.create(child=child, code=DisabilityCode.HEAR)
    episode = EpisodeFactory.create(
        child=child,
        referral_date=date(2025, 5, 1),
        primary_need=PrimaryNeed.N1,
        closure_date=date(2026, 2, 1),
        closure_reason=ClosureReason.RC2,
    )
    enquiry = EnquiryFactory.create(episode=episode, strategy_discussion_date=date(2025, 6, 2))
    held_initial_conference(enquiry, date(2025, 6, 20))
    plan = PlanFactory.create(child=child, start_date=date(2025, 6, 20), end_date=date(2026, 2, 1))
    PlanReviewFactory.create(plan=plan, date=date(2025, 9, 15))

    root = export()

    seen = set()
    for element in root.iter():
        order = SCHEMA_ORDER.get(element.tag)
        if order is None:
            assert len(element) == 0, f"{element.tag} has unexpected children"
            continue
        tags = [sub.tag for sub in element]
        assert set(tags) <= set(order), f"{element.tag}: {tags}"
        positions = [order.index(tag) for tag in tags]
        assert positions == sorted(positions), f"{element.tag}: {tags} is out of order"
        assert REQUIRED.get(element.tag, set()) <= set(tags)
        seen.add(element.tag)
    assert {"Section47", "ChildProtectionPlans", "Reviews", "Disabilities"} <= seen
    record = child_in(root, "NM100300")
    assert [d.text for d in record.iterfind("ChildCharacteristics/Disabilities/Disability")] == [
        "HEAR",
        "VIS",
    ]
    assert record.findtext("ChildIdentifiers/PersonDeathDate") == "2026-02-01"
    assert record.findtext("ChildIdentifiers/UPNunknown") == "UN5"


def test_the_header_names_the_collection_the_authority_and_the_software():
    root = ET.fromstring(
        export_cin_census(
            year=census_year("2025-26"), la_code="123", generated_at=GENERATED_AT, serial_no=7
        ).to_bytes()
    )
    assert root.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    source = root.find("Header/Source")
    assert source is not None
    assert source.findtext("SourceLevel") == "L"
    assert source.findtext("LEA") == "123"
    assert source.findtext("SoftwareCode") == "Convene"
    assert source.findtext("Release") == "0.1.0"
    assert source.findtext("SerialNo") == "007"
    assert source.findtext("DateTime") == "2026-05-06T09:30:00"


@pytest.mark.parametrize(
    ("strategy", "closures", "target"),
    [
        # 25, 28 December and 1 January are bank holidays (working-days.md).
        (date(2026, 12, 14), [], date(2027, 1, 7)),
        # With the offices closed from 29 to 31 December, three working days later.
        (date(2026, 12, 14), [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)], None),
        (date(2026, 11, 2), [], date(2026, 11, 23)),
        # A Saturday strategy discussion counts from the Monday.
        (date(2026, 11, 7), [], date(2026, 11, 27)),
    ],
    ids=["christmas", "christmas closure", "plain weeks", "saturday"],
)
def test_the_initial_conference_target_is_15_working_days_on_the_authoritys_calendar(
    strategy, closures, target
):
    for day in closures:
        ClosureDay.objects.create(day=day, description="Christmas closure")
    EnquiryFactory.create(
        episode__referral_date=strategy,
        episode__child__la_child_id="NM100301",
        strategy_discussion_date=strategy,
    )
    section47 = child_in(export("2026-27"), "NM100301").find("CINdetails/Section47")
    assert section47 is not None
    expected = target or date(2027, 1, 12)
    assert section47.findtext("InitialCPCtarget") == expected.isoformat()


def test_previous_plans_count_earlier_own_plans_other_authorities_and_recorded_numbers():
    child = ChildFactory.create(la_child_id="NM100302")
    EpisodeFactory.create(child=child, referral_date=date(2025, 5, 1))
    PlanFactory.create(child=child, start_date=date(2020, 1, 6), end_date=date(2021, 1, 6))
    PlanFactory.create(
        child=child,
        start_date=date(2022, 3, 1),
        end_date=date(2022, 9, 1),
        other_authority=True,
        initial_category=Category.SEXUAL,
    )
    PlanFactory.create(child=child, start_date=date(2025, 6, 20), previous_plans_elsewhere=1)

    plans = child_in(export(), "NM100302").findall("CINdetails/ChildProtectionPlans")

    # Only this authority's plan open in the year is exported; the three before it count.
    assert [p.findtext("CPPstartDate") for p in plans] == ["2025-06-20"]
    assert plans[0].findtext("NumberOfPreviousCPP") == "3"


def test_a_plan_of_another_authority_is_never_exported_even_when_open_in_the_year():
    child = ChildFactory.create(la_child_id="NM100303")
    EpisodeFactory.create(child=child, referral_date=date(2025, 5, 1))
    PlanFactory.create(
        child=child, start_date=date(2025, 1, 6), end_date=date(2025, 9, 1), other_authority=True
    )
    PlanFactory.create(child=child, start_date=date(2025, 9, 1))

    plans = child_in(export(), "NM100303").findall("CINdetails/ChildProtectionPlans")

    assert [p.findtext("CPPstartDate") for p in plans] == ["2025-09-01"]
    assert plans[0].findtext("NumberOfPreviousCPP") == "1"


def test_only_the_reviews_held_in_the_year_are_listed():
    child = ChildFactory.create(la_child_id="NM100304")
    EpisodeFactory.create(child=child, referral_date=date(2024, 10, 1))
    plan = PlanFactory.create(child=child, start_date=date(2024, 11, 1))
    for day in (date(2025, 1, 31), date(2025, 7, 31), date(2026, 1, 30), date(2026, 7, 31)):
        PlanReviewFactory.create(plan=plan, date=day)

    reviews = child_in(export(), "NM100304").findall(
        "CINdetails/ChildProtectionPlans/Reviews/CPPreviewDate"
    )

    assert [r.text for r in reviews] == ["2025-07-31", "2026-01-30"]


def test_a_plan_open_across_the_year_end_has_no_end_date_in_the_census():
    child = ChildFactory.create(la_child_id="NM100305")
    EpisodeFactory.create(child=child, referral_date=date(2024, 10, 1))
    PlanFactory.create(child=child, start_date=date(2024, 11, 1), end_date=date(2026, 5, 1))

    plan = child_in(export(), "NM100305").find("CINdetails/ChildProtectionPlans")

    assert plan is not None
    assert plan.findtext("CPPstartDate") == "2024-11-01"
    # DfE rule 8930: an end date must fall in the census year.
    assert plan.find("CPPendDate") is None


def test_a_plan_ending_in_the_year_has_its_end_date():
    child = ChildFactory.create(la_child_id="NM100306")
    EpisodeFactory.create(child=child, referral_date=date(2024, 10, 1))
    PlanFactory.create(child=child, start_date=date(2024, 11, 1), end_date=date(2025, 10, 1))

    plan = child_in(export(), "NM100306").find("CINdetails/ChildProtectionPlans")

    assert plan is not None
    assert plan.findtext("CPPendDate") == "2025-10-01"


def test_a_plan_that_ended_before_the_year_is_left_out():
    child = ChildFactory.create(la_child_id="NM100307")
    EpisodeFactory.create(child=child, referral_date=date(2024, 10, 1))
    PlanFactory.create(child=child, start_date=date(2024, 11, 1), end_date=date(2025, 3, 31))

    assert child_in(export(), "NM100307").find("CINdetails/ChildProtectionPlans") is None


def test_a_transfer_in_conference_is_the_episodes_own_initial_conference_only():
    child = ChildFactory.create(la_child_id="NM100308")
    episode = EpisodeFactory.create(child=child, referral_date=date(2025, 8, 1))
    # Even if someone linked it to an enquiry, a transfer-in is never an S47 conference.
    enquiry = EnquiryFactory.create(episode=episode, strategy_discussion_date=date(2025, 8, 4))
    held_initial_conference(enquiry, date(2025, 8, 15), kind=ConferenceType.TRANSFER_IN)
    PlanFactory.create(child=child, start_date=date(2025, 8, 15))

    details = child_in(export(), "NM100308").find("CINdetails")

    assert details is not None
    assert details.findtext("DateOfInitialCPC") == "2025-08-15"
    # DfE rule 2884: not at both levels.
    assert details.find("Section47/DateOfInitialCPC") is None


def test_a_transfer_in_conference_held_outside_the_year_is_not_written():
    child = ChildFactory.create(la_child_id="NM100309")
    EpisodeFactory.create(child=child, referral_date=date(2025, 2, 1))
    ConferenceChildFactory.create(
        child=child, conference__type=ConferenceType.TRANSFER_IN, conference__date=date(2025, 3, 3)
    )

    assert child_in(export(), "NM100309").find("CINdetails/DateOfInitialCPC") is None


def test_an_unborn_child_has_sex_u_and_an_expected_date_of_birth():
    child = ChildFactory.create(
        la_child_id="NM100310",
        sex=Sex.FEMALE,  # a scan's guess: the census says U (DfE rule 8750)
        date_of_birth=None,
        expected_date_of_birth=date(2026, 6, 1),
    )
    EpisodeFactory.create(child=child, referral_date=date(2026, 1, 5))

    identifiers = child_in(export(), "NM100310").find("ChildIdentifiers")

    assert identifiers is not None
    assert identifiers.findtext("Sex") == "U"
    assert identifiers.findtext("ExpectedPersonBirthDate") == "2026-06-01"
    assert identifiers.find("PersonBirthDate") is None


def test_a_baby_born_after_the_reference_date_is_still_unborn_in_that_years_census():
    child = ChildFactory.create(
        la_child_id="NM100311",
        sex=Sex.MALE,
        date_of_birth=date(2026, 4, 10),
        expected_date_of_birth=date(2026, 4, 20),
    )
    EpisodeFactory.create(child=child, referral_date=date(2026, 1, 5))

    identifiers = child_in(export(), "NM100311").find("ChildIdentifiers")

    assert identifiers is not None
    assert identifiers.findtext("Sex") == "U"
    assert identifiers.findtext("ExpectedPersonBirthDate") == "2026-04-20"
    assert identifiers.find("PersonBirthDate") is None


def test_episodes_closed_before_the_year_are_left_out():
    gone = ChildFactory.create(la_child_id="NM100312")
    EpisodeFactory.create(
        child=gone,
        referral_date=date(2024, 1, 8),
        closure_date=date(2025, 3, 20),
        closure_reason=ClosureReason.RC7,
    )
    back = ChildFactory.create(la_child_id="NM100313")
    EpisodeFactory.create(
        child=back,
        referral_date=date(2024, 1, 8),
        closure_date=date(2025, 3, 20),
        closure_reason=ClosureReason.RC7,
    )
    EpisodeFactory.create(child=back, referral_date=date(2025, 11, 3))
    ChildFactory.create(la_child_id="NM100314")  # never referred

    root = export()

    assert ids(root) == ["NM100313"]
    details = child_in(root, "NM100313").findall("CINdetails")
    assert [d.findtext("CINreferralDate") for d in details] == ["2025-11-03"]


def test_a_closure_after_the_reference_date_is_not_written():
    child = ChildFactory.create(la_child_id="NM100315")
    EpisodeFactory.create(
        child=child,
        referral_date=date(2025, 11, 3),
        closure_date=date(2026, 4, 20),
        closure_reason=ClosureReason.RC7,
    )

    details = child_in(export(), "NM100315").find("CINdetails")

    assert details is not None
    assert details.find("CINclosureDate") is None
    assert details.find("ReasonForClosure") is None


def test_an_enquiry_ended_with_no_conference_needs_none():
    child = ChildFactory.create(la_child_id="NM100316")
    episode = EpisodeFactory.create(child=child, referral_date=date(2025, 9, 1))
    EnquiryFactory.create(
        episode=episode, strategy_discussion_date=date(2025, 9, 2), end_date=date(2025, 9, 12)
    )

    section47 = child_in(export(), "NM100316").find("CINdetails/Section47")

    assert section47 is not None
    assert section47.findtext("ICPCnotRequired") == "true"
    assert section47.find("DateOfInitialCPC") is None


@pytest.mark.parametrize(
    ("end_date", "flag", "conference", "expected"),
    [
        (None, False, None, "false"),  # still open at the year's end
        (None, True, None, "true"),  # recorded as needing no conference
        (date(2026, 4, 10), True, None, "false"),  # ended only after the year
        (date(2026, 3, 2), False, ConferenceStatus.SCHEDULED, "false"),  # conference booked
        (date(2026, 3, 2), False, ConferenceStatus.CANCELLED, "true"),
    ],
    ids=["open", "flagged", "ended after the year", "booked", "cancelled"],
)
def test_whether_an_enquiry_needed_no_conference(end_date, flag, conference, expected):
    child = ChildFactory.create(la_child_id="NM100317")
    episode = EpisodeFactory.create(child=child, referral_date=date(2026, 2, 2))
    enquiry = EnquiryFactory.create(
        episode=episode,
        strategy_discussion_date=date(2026, 2, 3),
        end_date=end_date,
        conference_not_required=flag,
    )
    if conference:
        ConferenceChildFactory.create(
            child=child,
            enquiry=enquiry,
            conference__date=date(2026, 4, 14),
            conference__status=conference,
        )

    section47 = child_in(export(), "NM100317").find("CINdetails/Section47")

    assert section47 is not None
    assert section47.findtext("ICPCnotRequired") == expected


def test_a_conference_held_in_the_year_is_the_enquirys_and_plans_start_with_it():
    child = ChildFactory.create(la_child_id="NM100318")
    episode = EpisodeFactory.create(child=child, referral_date=date(2025, 5, 1))
    enquiry = EnquiryFactory.create(episode=episode, strategy_discussion_date=date(2025, 6, 2))
    held_initial_conference(enquiry, date(2025, 6, 20))
    PlanFactory.create(child=child, start_date=date(2025, 6, 20))

    details = child_in(export(), "NM100318").find("CINdetails")

    assert details is not None
    assert details.findtext("Section47/DateOfInitialCPC") == "2025-06-20"
    assert details.findtext("Section47/ICPCnotRequired") == "false"
    assert details.find("DateOfInitialCPC") is None
    assert details.findtext("ChildProtectionPlans/CPPstartDate") == "2025-06-20"


def test_an_enquiry_is_in_the_year_it_started_or_had_its_conference():
    child = ChildFactory.create(la_child_id="NM100319")
    episode = EpisodeFactory.create(child=child, referral_date=date(2025, 1, 6))
    before = EnquiryFactory.create(episode=episode, strategy_discussion_date=date(2025, 1, 7))
    held_initial_conference(before, date(2025, 1, 24))
    spanning = EnquiryFactory.create(episode=episode, strategy_discussion_date=date(2025, 3, 24))
    held_initial_conference(spanning, date(2025, 4, 8))
    late = EnquiryFactory.create(episode=episode, strategy_discussion_date=date(2026, 3, 23))
    held_initial_conference(late, date(2026, 4, 9))

    enquiries = child_in(export(), "NM100319").findall("CINdetails/Section47")

    assert [
        (s.findtext("S47ActualStartDate"), s.findtext("DateOfInitialCPC")) for s in enquiries
    ] == [("2025-03-24", "2025-04-08"), ("2026-03-23", None)]


def test_the_export_reads_the_same_number_of_times_however_many_children():
    def make_children(first: int, count: int) -> None:
        for n in range(first, first + count):
            child = ChildFactory.create(la_child_id=f"NM1004{n:02d}")
            Disability.objects.create(child=child, code=DisabilityCode.NONE)
            episode = EpisodeFactory.create(child=child, referral_date=date(2025, 5, 1))
            enquiry = EnquiryFactory.create(episode=episode)
            held_initial_conference(enquiry, date(2025, 6, 20))
            plan = PlanFactory.create(child=child, start_date=date(2025, 6, 20))
            PlanReviewFactory.create(plan=plan)
            ConferenceChildFactory.create(
                child=child,
                conference__type=ConferenceType.TRANSFER_IN,
                conference__date=date(2025, 5, 20),
            )

    make_children(0, 1)
    with CaptureQueriesContext(connection) as one:
        export()
    make_children(1, 5)
    with CaptureQueriesContext(connection) as six:
        root = export()
    assert len(ids(root)) == 6
    assert len(six.captured_queries) == len(one.captured_queries) <= 12


def test_the_export_in_batches_is_the_same_file_with_reads_per_batch(monkeypatch):
    for n in range(5):
        child = ChildFactory.create(la_child_id=f"NM2000{n:02d}")
        Disability.objects.create(child=child, code=DisabilityCode.NONE)
        episode = EpisodeFactory.create(child=child, referral_date=date(2025, 5, 1))
        enquiry = EnquiryFactory.create(episode=episode)
        held_initial_conference(enquiry, date(2025, 6, 20))
        PlanReviewFactory.create(plan=PlanFactory.create(child=child, start_date=date(2025, 6, 20)))
    year = census_year("2025-26")
    whole = export_cin_census(year=year, la_code="999", generated_at=GENERATED_AT).to_bytes()
    with CaptureQueriesContext(connection) as at_once:
        export_cin_census(year=year, la_code="999", generated_at=GENERATED_AT)
    monkeypatch.setattr("convene.returns.census.CHUNK", 2)
    with CaptureQueriesContext(connection) as in_batches:
        batched = export_cin_census(year=year, la_code="999", generated_at=GENERATED_AT)
    assert batched.to_bytes() == whole and batched.children == 5
    # Three batches of at most two children, each with its own prefetches.
    assert len(at_once) < len(in_batches) <= 3 * len(at_once)


def test_a_census_with_no_children_is_still_a_census():
    root = export()
    assert root.find("Children") is not None and ids(root) == []


def test_the_demo_at_the_ci_date_puts_all_its_history_in_2025_26():
    load_demo(today=date(2026, 4, 14))
    result = export_cin_census(
        year=census_year("2025-26"), la_code="999", generated_at=GENERATED_AT
    )
    root = ET.fromstring(result.to_bytes())

    assert result.warnings == []
    assert (
        len(root.findall(".//ChildProtectionPlans"))
        == Plan.objects.filter(other_authority=False).count()
    )
    assert len(root.findall(".//Section47")) == Section47Enquiry.objects.count()
    assert Section47Enquiry.objects.count() >= 8
    # A child on a second plan, and the transfer-in child whose first plan was elsewhere.
    previous = sorted(int(n.text or "") for n in root.iterfind(".//NumberOfPreviousCPP"))
    assert previous.count(1) == 2


# --- the command -----------------------------------------------------------------------------


def run_command(tmp_path: Path, *args: str) -> ET.Element:
    output = tmp_path / "census.xml"
    call_command("export_cin_census", "--output", str(output), *args)
    return ET.parse(output).getroot()


def test_the_command_writes_the_census_with_the_lea_given(tmp_path):
    EpisodeFactory.create(child__la_child_id="NM100320", referral_date=date(2025, 9, 1))

    root = run_command(tmp_path, "--year", "2025-26", "--lea", "316")

    assert root.findtext("Header/Source/LEA") == "316"
    assert ids(root) == ["NM100320"]


def test_a_failed_export_leaves_the_previous_file_and_no_partial_one(tmp_path, monkeypatch):
    EpisodeFactory.create(child__la_child_id="NM100321", referral_date=date(2025, 9, 1))
    output = tmp_path / "census.xml"
    output.write_text("last year's return")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("convene.returns.census._Builder.child", fail)
    with pytest.raises(RuntimeError):
        call_command("export_cin_census", "--output", str(output), "--year", "2025-26")
    assert output.read_text() == "last year's return"
    assert [p.name for p in tmp_path.iterdir()] == ["census.xml"]


def test_the_command_uses_the_authoritys_code_by_default(tmp_path, settings):
    settings.AUTHORITY_LA_CODE = "202"

    root = run_command(tmp_path, "--year", "2025-26")

    assert root.findtext("Header/Source/LEA") == "202"


@pytest.mark.parametrize("lea", ["12", "1234", "abc", "31 6"])
def test_the_command_refuses_an_lea_that_is_not_3_digits(tmp_path, lea):
    with pytest.raises(CommandError, match="3 digits"):
        run_command(tmp_path, "--year", "2025-26", "--lea", lea)


def test_the_command_refuses_a_bad_authority_code_setting(tmp_path, settings):
    settings.AUTHORITY_LA_CODE = "99"
    with pytest.raises(CommandError, match="AUTHORITY_LA_CODE"):
        run_command(tmp_path, "--year", "2025-26")


@pytest.mark.parametrize("year", ["2025-27", "2025", "25-26", "2025/26", "next year"])
def test_the_command_explains_a_bad_year(tmp_path, year):
    with pytest.raises(CommandError, match=r"--year: .* write it as 2025-26"):
        run_command(tmp_path, "--year", year)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025-26", date(2025, 4, 1), date(2026, 3, 31)),
        ("1999-00", date(1999, 4, 1), date(2000, 3, 31)),
    ],
)
def test_a_reporting_year_runs_from_april_to_march(text, start, end):
    year = census_year(text)
    assert (year.start, year.end, year.label) == (start, end, text)
