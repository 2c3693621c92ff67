"""Roles people hold in Convene and the verbs of the audit trail."""

from django.db import models


class Role(models.TextChoices):
    CONFERENCE_ADMINISTRATOR = "conference_administrator", "Conference administrator"
    CONFERENCE_CHAIR = "conference_chair", "Conference chair"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SENIOR_MANAGER = "senior_manager", "Senior manager (safeguarding)"
    AGENCY_PROFESSIONAL = "agency_professional", "Agency professional"
    MINUTE_TAKER = "minute_taker", "Minute-taker"
    DATA_OFFICER = "data_officer", "Data officer"
    # London CP4 §14.14: the experienced manager responsible for the list of children subject
    # to a plan and its enquiries.
    REGISTER_MANAGER = "register_manager", "Designated manager for children subject to a plan"
    # §14.15: out-of-hours duty, an emergency department, a GP, a police control room.
    LEGITIMATE_ENQUIRER = "legitimate_enquirer", "Enquirer (out of hours, hospital, GP, police)"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


class AuditVerb(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGNED_OUT = "signed_out", "Signed out"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
    VIEWED_CHILD = "viewed_child", "Viewed the child's record"
    VIEWED_AUDIT_TRAIL = "viewed_audit_trail", "Viewed the child's audit trail"
    VIEWED_PAGE = "viewed_page", "Viewed a page"
    MFA_SET_UP = "mfa_set_up", "Set up an authenticator app"
    MFA_VERIFIED = "mfa_verified", "Gave a code from their authenticator app"
    MFA_FAILED = "mfa_failed", "Gave a wrong authenticator code"
    MFA_RESET = "mfa_reset", "Had their authenticator app reset"
    ACCOUNT_CREATED = "account_created", "Created an account"
    ACCOUNT_CHANGED = "account_changed", "Changed an account"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Closed an account"
    ACCOUNT_UNLOCKED = "account_unlocked", "Unlocked an account"
    ACCOUNT_REACTIVATED = "account_reactivated", "Opened a closed account again"
    PASSWORD_CHANGED = "password_changed", "Changed their password"
    PASSWORD_LINK_SENT = "password_link_sent", "Was sent a link to set their password"
    PASSWORD_RESET = "password_reset", "Set their password with a link sent by e-mail"
    DOWNLOADED = "downloaded", "Downloaded a document about the child"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    IMPORTED = "imported", "Imported"
    ENQUIRY_ANSWERED = "enquiry_answered", "Answered an enquiry about whether the child has a plan"
    VIEWED_REGISTER = "viewed_register", "Viewed the list of children subject to a plan"
    SSO_REFUSED = "sso_refused", "Was refused single sign-on"
    LEGAL_HOLD_SET = "legal_hold_set", "Placed a legal hold on the child's records"
    LEGAL_HOLD_LIFTED = "legal_hold_lifted", "Lifted a legal hold on the child's records"
    RETENTION_APPLIED = "retention_applied", "Removed records past their retention period"
    # Emergency ("break-glass") access (convene.breakglass)
    EMERGENCY_ACCESS_GRANTED = (
        "emergency_access_granted",
        "Was given emergency access to the child's record",
    )
    EMERGENCY_ACCESS_REFUSED = (
        "emergency_access_refused",
        "Asked for emergency access: no child matched",
    )
    VIEWED_CHILD_IN_EMERGENCY = (
        "viewed_child_in_emergency",
        "Viewed the child's record under emergency (break-glass) access",
    )
