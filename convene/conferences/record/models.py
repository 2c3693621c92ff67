"""The conference record (the minutes): versions, each a list of sections, signed by the
chair; requests to amend it; the chair's decisions on who gets a copy (London CP4 §14.4 to
§14.8, §4.1, §5.10). Loaded with the conferences app's models (app label "conferences")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from convene.conferences.letters.enums import AmendmentStatus, CopyChoice, DocumentStatus
from convene.conferences.models import Conference, Invitation


class ConferenceRecord(models.Model):
    """One conference's record. Its text lives in its versions: a correction after sign-off is
    a new version, never a change to a signed one."""

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="record")
    started_on = models.DateField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The first day a signed version went to its readers: the record is no longer due.
    first_sent_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Record of the {self.conference}"


class RecordVersion(models.Model):
    record = models.ForeignKey(ConferenceRecord, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    # Why this version corrects the one before (every version after the first has one).
    reason = models.TextField(blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="record_version_number"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="a_correction_says_why"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of the record of the {self.record.conference}"


class RecordSection(models.Model):
    """A part of the record. A confidential section (third-party or police information) is
    left out of the family's copies (§14.5); a section discussed while someone was excluded is
    left out of the copy of the part they attended (§4.1)."""

    record_version = models.ForeignKey(
        RecordVersion, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField()
    key = models.CharField(max_length=40)
    heading = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    confidential = models.BooleanField(default=False)
    confidential_reason = models.CharField(max_length=300, blank=True)
    during_exclusion = models.BooleanField(
        default=False, help_text="Discussed while someone was excluded from the meeting."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["record_version", "order"]

    def __str__(self) -> str:
        return self.heading


class CopyDecision(models.Model):
    """The chair's decision on whether, and how much of, the record someone gets: a person
    excluded from the meeting (§5.10), the child (§14.8), the child's legal representative
    (§14.7)."""

    record = models.ForeignKey(
        ConferenceRecord, on_delete=models.CASCADE, related_name="copy_decisions"
    )
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=CopyChoice.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "invitation"], name="one_copy_decision")
        ]

    def __str__(self) -> str:
        return f"{self.get_choice_display()} for {self.invitation}"


class LegalRepresentative(models.Model):
    """A child's legal representative who was not invited to the conference and asked for the
    record (London CP4 §14.8: "the record may be supplied to a child's legal representative on
    request"), with the chair's decision: the record without its confidential sections, or no
    copy; and whether they also get the decision letter. Their copies are `DocumentCopy` rows
    like anyone else's."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="legal_representatives"
    )
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    choice = models.CharField(max_length=10, choices=CopyChoice.choices)
    with_letter = models.BooleanField(default=False)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()

    class Meta:
        ordering = ["conference", "pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}"

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.organisation}"


class AmendmentRequest(models.Model):
    """Someone who received the record asks for a change, within a week of receiving it
    (§14.4); the chair accepts (and then corrects the record) or refuses, with a reason."""

    record = models.ForeignKey(
        ConferenceRecord, on_delete=models.CASCADE, related_name="amendments"
    )
    copy = models.ForeignKey(
        "conferences.DocumentCopy", on_delete=models.PROTECT, related_name="amendments"
    )
    received_on = models.DateField()
    request = models.TextField()
    status = models.CharField(
        max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["record", "received_on", "pk"]

    def __str__(self) -> str:
        return f"Request from {self.copy.name} to amend the record"
