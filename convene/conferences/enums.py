from django.db import models


class ConferenceType(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"
    PRE_BIRTH = "pre_birth", "Pre-birth conference"
    TRANSFER_IN = "transfer_in", "Transfer-in conference"
    RECONVENED = "reconvened", "Reconvened conference"


# Initial conferences in the national statistics: a pre-birth conference is an initial
# conference about an unborn child; a transfer-in conference is counted apart.
INITIAL_TYPES = (ConferenceType.INITIAL, ConferenceType.PRE_BIRTH)


class ConferenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class ChildOutcome(models.TextChoices):
    """The chair's decision for one child (London CP4 §9.6)."""

    CP_PLAN = "cp_plan", "Child protection plan"
    CIN_PLAN = "cin_plan", "Child in need plan"
    NO_FURTHER_ACTION = "nfa", "No further action"
    DEFERRED = "deferred", "Decision deferred"
    CONTINUE_PLAN = "continue_plan", "Child protection plan continues"
    END_PLAN = "end_plan", "Child protection plan ends"
