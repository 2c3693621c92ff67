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
