"""The SSD tables Convene reads, and which of their columns a file must have.

Required: identifiers, links between tables and the dates a record cannot be understood
without. Optional: descriptive columns; when a file lacks one, the import leaves that field of
existing records as it is rather than wiping it. Field names are those of the
data-to-insight SSD data model.
"""

from __future__ import annotations

from .reading import TableSpec

PERSON = TableSpec(
    "ssd_person",
    required=("pers_person_id", "pers_forename", "pers_surname", "pers_sex", "pers_dob"),
    optional=(
        "pers_ethnicity",
        "pers_expected_dob",
        "pers_death_date",
        "pers_common_child_id",
        "pers_upn_unknown",
    ),
)
FAMILY = TableSpec(
    "ssd_family", required=("fami_family_id", "fami_person_id"), optional=("fami_table_id",)
)
DISABILITY = TableSpec(
    "ssd_disability", required=("disa_table_id", "disa_person_id", "disa_disability_code")
)
EPISODES = TableSpec(
    "ssd_cin_episodes",
    required=("cine_referral_id", "cine_person_id", "cine_referral_date", "cine_close_date"),
    optional=(
        "cine_cin_primary_need_code",
        "cine_referral_source_code",
        "cine_referral_nfa",
        "cine_close_reason",
        "cine_referral_team",
        "cine_referral_worker_id",
    ),
)
ENQUIRIES = TableSpec(
    "ssd_s47_enquiry",
    required=(
        "s47e_s47_enquiry_id",
        "s47e_person_id",
        "s47e_s47_start_date",
        "s47e_s47_end_date",
        "s47e_s47_nfa",
    ),
    optional=("s47e_referral_id", "s47e_s47_completed_by_worker_id", "s47e_s47_completed_by_team"),
)
INITIAL_CONFERENCES = TableSpec(
    "ssd_initial_cp_conference",
    required=("icpc_icpc_id", "icpc_person_id", "icpc_icpc_date", "icpc_icpc_outcome_cp_flag"),
    optional=("icpc_icpc_meeting_id", "icpc_s47_enquiry_id", "icpc_icpc_transfer_in"),
)
PLANS = TableSpec(
    "ssd_cp_plans",
    required=(
        "cppl_cp_plan_id",
        "cppl_person_id",
        "cppl_cp_plan_start_date",
        "cppl_cp_plan_end_date",
        "cppl_cp_plan_initial_category",
        "cppl_cp_plan_latest_category",
    ),
    optional=("cppl_icpc_id", "cppl_cp_plan_ola"),
)
REVIEWS = TableSpec(
    "ssd_cp_reviews",
    required=("cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_date"),
    optional=(
        "cppr_cp_review_meeting_id",
        "cppr_cp_review_outcome_continue_cp",
        "cppr_cp_review_quorate",
        "cppr_cp_review_participation",
    ),
)
VISITS = TableSpec(
    "ssd_cp_visits",
    required=("cppv_cp_visit_id", "cppv_person_id", "cppv_cp_visit_date"),
    optional=(
        "cppv_cp_plan_id",
        "cppv_cp_visit_seen",
        "cppv_cp_visit_seen_alone",
        "cppv_cp_visit_bedroom",
    ),
)
PROFESSIONALS = TableSpec(
    "ssd_professionals",
    required=("prof_professional_id", "prof_professional_name"),
    optional=(
        "prof_professional_job_title",
        "prof_professional_department",
        "prof_social_worker_registration_no",
    ),
)
INVOLVEMENTS = TableSpec(
    "ssd_involvements",
    required=(
        "invo_involvements_id",
        "invo_professional_id",
        "invo_person_id",
        "invo_involvement_start_date",
        "invo_involvement_end_date",
    ),
    optional=("invo_professional_role_id", "invo_professional_team"),
)

# In the order they are read and reported.
TABLES = (
    PERSON,
    FAMILY,
    DISABILITY,
    EPISODES,
    ENQUIRIES,
    INITIAL_CONFERENCES,
    PLANS,
    REVIEWS,
    VISITS,
    PROFESSIONALS,
    INVOLVEMENTS,
)
