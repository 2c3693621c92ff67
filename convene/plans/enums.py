from django.db import models


class Category(models.TextChoices):
    """Category of abuse (DfE codes) under which a child is on a plan."""

    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"
    MULTIPLE = "MUL", "Multiple"


class PlanEndReason(models.TextChoices):
    """Why a plan ended (London CP4 §10.3 to §10.6)."""

    NO_LONGER_AT_RISK = "no_longer_at_risk", "No longer at continuing risk of significant harm"
    TRANSFERRED = "transferred", "Moved to another authority, which held its conference"
    TURNED_18 = "turned_18", "Reached 18"
    DIED = "died", "Died"
    LEFT_COUNTRY = "left_country", "Left the country"
    CARE_ORDER = "care_order", "Looked after under a care order"
    OTHER = "other", "Other"
    NOT_RECORDED = "", "Not recorded"


class CoreGroupKind(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    PARENT_CARER = "parent_carer", "Parent or carer"
    FAMILY_FRIEND = "family_friend", "Supportive family member or friend"
    CHILD = "child", "The child or young person"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STOPPED = "stopped", "No longer needed"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class BroughtForwardReason(models.TextChoices):
    """Why a review conference is brought forward (London CP4 §1.23, §3.12, §12.4)."""

    NEW_INCIDENT = "new_incident", "A new incident"
    PLAN_FAILING = "plan_failing", "The plan is not keeping the child safe"
    BIRTH = "birth", "A baby has been born"
    INQUORATE = "inquorate", "The last conference was not quorate"
    COMPLAINT = "complaint", "The outcome of a complaint"
    CORE_GROUP_REQUEST = "core_group", "The core group asked for it"
    OTHER = "other", "Another reason"


# London CP4 §10.5 to §10.6, §2.6: a plan ends without a conference only in these cases.
ENDS_WITHOUT_CONFERENCE = (
    PlanEndReason.TURNED_18,
    PlanEndReason.DIED,
    PlanEndReason.LEFT_COUNTRY,
    PlanEndReason.TRANSFERRED,
    PlanEndReason.CARE_ORDER,
)
