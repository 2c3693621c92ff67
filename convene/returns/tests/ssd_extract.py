"""A small fictional SSD extract for tests, and helpers to write one as CSV files.

The family: Kit (P1) and Rue (P2) Ashgrove, conferenced together at meeting M1 after section
47 enquiries; Rue's plan ended at the three-month review (meeting M3), Kit's continues; an
unborn baby (P3) had a pre-birth conference at meeting M2. All invented.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

Table = list[dict[str, str]]

BASE: dict[str, Table] = {
    "ssd_person": [
        {"pers_person_id": "P1", "pers_forename": "Kit", "pers_surname": "Ashgrove",
         "pers_sex": "F", "pers_ethnicity": "WBRI", "pers_dob": "2018-06-01",
         "pers_expected_dob": "", "pers_death_date": "", "pers_common_child_id": "9990000001",
         "pers_upn_unknown": ""},
        {"pers_person_id": "P2", "pers_forename": "Rue", "pers_surname": "Ashgrove",
         "pers_sex": "M", "pers_ethnicity": "WBRI", "pers_dob": "2020-02-10",
         "pers_expected_dob": "", "pers_death_date": "", "pers_common_child_id": "",
         "pers_upn_unknown": ""},
        {"pers_person_id": "P3", "pers_forename": "", "pers_surname": "Ashgrove",
         "pers_sex": "U", "pers_ethnicity": "", "pers_dob": "",
         "pers_expected_dob": "2026-03-01", "pers_death_date": "", "pers_common_child_id": "",
         "pers_upn_unknown": "UN10"},
    ],
    "ssd_family": [
        {"fami_table_id": "FT1", "fami_family_id": "F1", "fami_person_id": "P1"},
        {"fami_table_id": "FT2", "fami_family_id": "F1", "fami_person_id": "P2"},
        {"fami_table_id": "FT3", "fami_family_id": "F1", "fami_person_id": "P3"},
    ],
    "ssd_disability": [
        {"disa_table_id": "D1", "disa_person_id": "P1", "disa_disability_code": "AUT"},
    ],
    "ssd_cin_episodes": [
        {"cine_referral_id": f"R{n}", "cine_person_id": f"P{n}",
         "cine_referral_date": "2025-05-01", "cine_cin_primary_need_code": "N1",
         "cine_referral_source_code": "2A", "cine_referral_nfa": "N", "cine_close_reason": "",
         "cine_close_date": "", "cine_referral_team": "Assessment Team A",
         "cine_referral_worker_id": "W100"}
        for n in (1, 2, 3)
    ],
    "ssd_s47_enquiry": [
        {"s47e_s47_enquiry_id": f"S{n}", "s47e_referral_id": f"R{n}", "s47e_person_id": f"P{n}",
         "s47e_s47_start_date": "2025-05-06", "s47e_s47_end_date": "2025-05-20",
         "s47e_s47_nfa": "N", "s47e_s47_completed_by_worker_id": "W100",
         "s47e_s47_completed_by_team": "Assessment Team A"}
        for n in (1, 2, 3)
    ],
    "ssd_initial_cp_conference": [
        {"icpc_icpc_id": "I1", "icpc_icpc_meeting_id": "M1", "icpc_s47_enquiry_id": "S1",
         "icpc_person_id": "P1", "icpc_icpc_transfer_in": "N",
         "icpc_icpc_target_date": "2025-05-28", "icpc_icpc_date": "2025-05-22",
         "icpc_icpc_outcome_cp_flag": "Y"},
        {"icpc_icpc_id": "I2", "icpc_icpc_meeting_id": "M1", "icpc_s47_enquiry_id": "S2",
         "icpc_person_id": "P2", "icpc_icpc_transfer_in": "N",
         "icpc_icpc_target_date": "2025-05-28", "icpc_icpc_date": "2025-05-22",
         "icpc_icpc_outcome_cp_flag": "Y"},
        {"icpc_icpc_id": "I3", "icpc_icpc_meeting_id": "M2", "icpc_s47_enquiry_id": "S3",
         "icpc_person_id": "P3", "icpc_icpc_transfer_in": "N",
         "icpc_icpc_target_date": "", "icpc_icpc_date": "2025-11-20",
         "icpc_icpc_outcome_cp_flag": "Y"},
    ],
    "ssd_cp_plans": [
        {"cppl_cp_plan_id": "C1", "cppl_icpc_id": "I1", "cppl_person_id": "P1",
         "cppl_cp_plan_start_date": "2025-05-22", "cppl_cp_plan_end_date": "",
         "cppl_cp_plan_initial_category": "NEG", "cppl_cp_plan_latest_category": "NEG",
         "cppl_cp_plan_ola": "N"},
        {"cppl_cp_plan_id": "C2", "cppl_icpc_id": "I2", "cppl_person_id": "P2",
         "cppl_cp_plan_start_date": "2025-05-22", "cppl_cp_plan_end_date": "2025-08-21",
         "cppl_cp_plan_initial_category": "EMO", "cppl_cp_plan_latest_category": "EMO",
         "cppl_cp_plan_ola": "N"},
        {"cppl_cp_plan_id": "C3", "cppl_icpc_id": "I3", "cppl_person_id": "P3",
         "cppl_cp_plan_start_date": "2025-11-20", "cppl_cp_plan_end_date": "",
         "cppl_cp_plan_initial_category": "NEG", "cppl_cp_plan_latest_category": "NEG",
         "cppl_cp_plan_ola": "N"},
    ],
    "ssd_cp_reviews": [
        {"cppr_cp_review_id": "V1", "cppr_person_id": "P1", "cppr_cp_plan_id": "C1",
         "cppr_cp_review_due": "2025-08-21", "cppr_cp_review_date": "2025-08-21",
         "cppr_cp_review_meeting_id": "M3", "cppr_cp_review_outcome_continue_cp": "Y",
         "cppr_cp_review_quorate": "Y", "cppr_cp_review_participation": "PN1"},
        {"cppr_cp_review_id": "V2", "cppr_person_id": "P2", "cppr_cp_plan_id": "C2",
         "cppr_cp_review_due": "2025-08-21", "cppr_cp_review_date": "2025-08-21",
         "cppr_cp_review_meeting_id": "M3", "cppr_cp_review_outcome_continue_cp": "N",
         "cppr_cp_review_quorate": "Y", "cppr_cp_review_participation": "PN2"},
        {"cppr_cp_review_id": "V3", "cppr_person_id": "P1", "cppr_cp_plan_id": "C1",
         "cppr_cp_review_due": "2026-02-20", "cppr_cp_review_date": "",
         "cppr_cp_review_meeting_id": "", "cppr_cp_review_outcome_continue_cp": "",
         "cppr_cp_review_quorate": "", "cppr_cp_review_participation": ""},
    ],
    "ssd_cp_visits": [
        {"cppv_cp_visit_id": "W1", "cppv_person_id": "P1", "cppv_cp_plan_id": "C1",
         "cppv_cp_visit_date": "2025-06-02", "cppv_cp_visit_seen": "Y",
         "cppv_cp_visit_seen_alone": "Y", "cppv_cp_visit_bedroom": "N"},
    ],
    "ssd_professionals": [
        {"prof_professional_id": "PR1", "prof_staff_id": "S-1",
         "prof_professional_name": "Sol Fenwright", "prof_social_worker_registration_no": "SW10001",
         "prof_professional_job_title": "Social worker",
         "prof_professional_department": "Assessment"},
    ],
    "ssd_involvements": [
        {"invo_involvements_id": "N1", "invo_professional_id": "PR1",
         "invo_professional_role_id": "Allocated social worker",
         "invo_professional_team": "Assessment Team A",
         "invo_involvement_start_date": "2025-05-01", "invo_involvement_end_date": "",
         "invo_person_id": "P1", "invo_referral_id": "R1"},
    ],
}  # fmt: skip


def base_tables() -> dict[str, Table]:
    return copy.deepcopy(BASE)


def write_table(
    directory: Path,
    table: str,
    rows: Table,
    *,
    columns: list[str] | None = None,
    encoding: str = "utf-8",
    line_end: str = "\n",
) -> Path:
    """Write one table as `<table>.csv`; columns default to those of the first row."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{table}.csv"
    names = columns or (list(rows[0]) if rows else [])
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator=line_end)
        writer.writeheader()
        writer.writerows({name: row.get(name, "") for name in names} for row in rows)
    return path


def write_extract(directory: Path, tables: dict[str, Table]) -> Path:
    for table, rows in tables.items():
        write_table(directory, table, rows)
    return directory
