"""The kinds of open statutory deadline (`returns.deadlines`), apart so that models can name
them without importing the rules."""

from django.db import models


class DeadlineKind(models.TextChoices):
    # The values are the kinds `manage.py deadlines --format json` prints; each is worked out
    # from the timescale of the same key in the authority's procedure profile, except where
    # TIMESCALE_OF says otherwise.
    ICPC = "icpc", "Initial child protection conference (ICPC)"
    FIRST_REVIEW = "first_review", "First review conference"
    NEXT_REVIEW = "next_review", "Next review conference"
    CORE_GROUP_FIRST = "core_group_first", "First core group meeting"
    CORE_GROUP_NEXT = "core_group_next", "Next core group meeting"
    POST_BIRTH = "post_birth", "Review or core group after the birth"
    CIN_REVIEW = "cin_review", "Child in need plan review"
    RECONVENE = "reconvene_deferred", "Reconvened conference after a deferred decision"
    EARLY_REVIEW = "early_review", "Early review after a conference that was not quorate"
    DECISION_LETTER = "decision_letter", "Decision letter"
    RECORD = "record", "Conference record"
