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
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


class AuditVerb(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGNED_OUT = "signed_out", "Signed out"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
    VIEWED_CHILD = "viewed_child", "Viewed the child's record"
    VIEWED_AUDIT_TRAIL = "viewed_audit_trail", "Viewed the child's audit trail"
    VIEWED_PAGE = "viewed_page", "Viewed a page"
    DOWNLOADED = "downloaded", "Downloaded a document about the child"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    IMPORTED = "imported", "Imported"
