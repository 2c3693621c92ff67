"""What each role may do: the role → capability table (docs/decisions/0004).

Capabilities say what a person's job lets them do at all. Which records they may do it to is
decided from their relationships to each record, in `convene.policy`; this module is the
foundation it stands on and knows nothing of conferences or children.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from .enums import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class Capability(enum.StrEnum):
    # Reading children's records
    SEE_ALL_CHILDREN = "see_all_children"
    SEE_ALLOCATED_CHILDREN = "see_allocated_children"
    SEE_TEAM_CHILDREN = "see_team_children"
    SEE_CHILDREN_WORKED_WITH = "see_children_worked_with"
    # Reading audit trails
    READ_ANY_AUDIT_TRAIL = "read_any_audit_trail"
    READ_TEAM_AUDIT_TRAILS = "read_team_audit_trails"
    # The authority's procedure profile, calendar and closure days
    MANAGE_AUTHORITY_SETTINGS = "manage_authority_settings"
    # People's accounts: create, change roles, team and agency, close, unlock, reset MFA
    MANAGE_ACCOUNTS = "manage_accounts"
    # The national indicators, live (numbers are authority-wide; the children behind them are
    # shown only as far as the person may see them)
    VIEW_PERFORMANCE = "view_performance"
    # The list of open statutory deadlines (only children the person may see)
    VIEW_WORK_LIST = "view_work_list"
    # Conferences (London CP4 §1, §3 to §8)
    RECORD_ENQUIRIES = "record_enquiries"
    DECIDE_TO_CONVENE = "decide_to_convene"
    ARRANGE_CONFERENCES = "arrange_conferences"
    CHAIR_CONFERENCES = "chair_conferences"
    WRITE_REPORTS = "write_reports"
    REQUEST_EXCLUSIONS = "request_exclusions"
    # End a child protection plan without a conference, in the allowed cases (§10.5 to §10.6)
    END_PLANS_WITHOUT_CONFERENCE = "end_plans_without_conference"
    # Write the meeting's four questions, scores, views and outline plan for the chair
    TAKE_MINUTES = "take_minutes"
    # The list of children subject to a plan (London CP4 §14.14 to §14.15): ask whether a
    # child is on it (legitimate enquirers), and keep it and its enquiries (the designated
    # manager).
    MAKE_REGISTER_ENQUIRIES = "make_register_enquiries"
    # The head of service's part in escalating dissent (London CP4 §11; Register R:19).
    ANSWER_DISSENT_AS_HEAD_OF_SERVICE = "answer_dissent_as_head_of_service"
    KEEP_REGISTER = "keep_register"


# Any of these lets a person open some children's records.
CHILD_RECORD_CAPABILITIES = frozenset(
    {
        Capability.SEE_ALL_CHILDREN,
        Capability.SEE_ALLOCATED_CHILDREN,
        Capability.SEE_TEAM_CHILDREN,
        Capability.SEE_CHILDREN_WORKED_WITH,
    }
)

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    # Administrators, chairs and senior managers work across the whole authority's
    # conferences; data officers need every child for the statutory returns.
    Role.CONFERENCE_ADMINISTRATOR: frozenset(
        {Capability.SEE_ALL_CHILDREN, Capability.VIEW_WORK_LIST, Capability.ARRANGE_CONFERENCES}
    ),
    Role.CONFERENCE_CHAIR: frozenset({Capability.SEE_ALL_CHILDREN, Capability.CHAIR_CONFERENCES}),
    Role.SENIOR_MANAGER: frozenset(
        {
            Capability.SEE_ALL_CHILDREN,
            Capability.VIEW_PERFORMANCE,
            Capability.VIEW_WORK_LIST,
            Capability.DECIDE_TO_CONVENE,
            Capability.END_PLANS_WITHOUT_CONFERENCE,
            Capability.ANSWER_DISSENT_AS_HEAD_OF_SERVICE,
        }
    ),
    Role.DATA_OFFICER: frozenset({Capability.SEE_ALL_CHILDREN, Capability.VIEW_PERFORMANCE}),
    Role.SOCIAL_WORKER: frozenset(
        {
            Capability.SEE_ALLOCATED_CHILDREN,
            Capability.RECORD_ENQUIRIES,
            Capability.WRITE_REPORTS,
            Capability.REQUEST_EXCLUSIONS,
        }
    ),
    Role.TEAM_MANAGER: frozenset(
        {
            Capability.SEE_TEAM_CHILDREN,
            Capability.READ_TEAM_AUDIT_TRAILS,
            Capability.VIEW_PERFORMANCE,
            Capability.VIEW_WORK_LIST,
            Capability.RECORD_ENQUIRIES,
            Capability.DECIDE_TO_CONVENE,
        }
    ),
    Role.AGENCY_PROFESSIONAL: frozenset(
        {
            Capability.SEE_CHILDREN_WORKED_WITH,
            Capability.WRITE_REPORTS,
            Capability.REQUEST_EXCLUSIONS,
        }
    ),
    # Minute-takers write what is said at any conference for its chair (Cornwall C:69).
    Role.MINUTE_TAKER: frozenset({Capability.TAKE_MINUTES}),
    Role.REGISTER_MANAGER: frozenset({Capability.SEE_ALL_CHILDREN, Capability.KEEP_REGISTER}),
    # An enquirer sees no record: only the answer to their own enquiry.
    Role.LEGITIMATE_ENQUIRER: frozenset({Capability.MAKE_REGISTER_ENQUIRIES}),
    # System administrators look after accounts and the audit trail, not case work.
    Role.SYSTEM_ADMINISTRATOR: frozenset(
        {
            Capability.READ_ANY_AUDIT_TRAIL,
            Capability.MANAGE_AUTHORITY_SETTINGS,
            Capability.MANAGE_ACCOUNTS,
        }
    ),
}


def capabilities(user: User | AnonymousUser) -> frozenset[Capability]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    granted: set[Capability] = set()
    for role in user.roles:
        granted |= ROLE_CAPABILITIES[role]
    return frozenset(granted)


def has(user: User | AnonymousUser, capability: Capability) -> bool:
    return capability in capabilities(user)
