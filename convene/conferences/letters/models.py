"""The decision letter, and every copy of a letter or a record sent to someone (London CP4
§14.4 to §14.13). Loaded with the conferences app's models (app label "conferences")."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from convene.conferences.letters.enums import (
    Delivery,
    DocumentKind,
    DocumentStatus,
    Format,
    Reader,
    Scope,
)
from convene.conferences.models import Conference, Invitation
from convene.conferences.record.models import LegalRepresentative, RecordVersion


class DecisionLetter(models.Model):
    """The letter with each child's decision and the outline plan, signed by the chair. What
    it says is frozen when it is signed (`facts`), so what was sent is what was signed."""

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="decision_letter"
    )
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    facts = models.JSONField(default=dict, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_on = models.DateField(null=True, blank=True)
    # The first day it went to its readers: the letter is no longer due.
    first_sent_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Decision letter of the {self.conference}"


class DocumentCopy(models.Model):
    """One copy of the decision letter or of a version of the record, for one reader: what it
    holds, in which form, how it went, and when."""

    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    letter = models.ForeignKey(
        DecisionLetter, on_delete=models.CASCADE, null=True, blank=True, related_name="copies"
    )
    record_version = models.ForeignKey(
        RecordVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="copies"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A child's legal representative who was not invited (§14.8), at the chair's decision.
    representative = models.ForeignKey(
        LegalRepresentative, on_delete=models.PROTECT, null=True, blank=True, related_name="copies"
    )
    name = models.CharField(max_length=200)
    reader = models.CharField(max_length=20, choices=Reader.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.WHOLE)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.STANDARD)
    # Another language the reader needs: the copy goes for translation (Cornwall C:151).
    translate_into = models.CharField(max_length=100, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When the dispatcher drew it (its PDF and Word file) and queued its e-mail, or put it in
    # the post room: sending only records the copy (docs/decisions/0025). Empty: being drawn.
    drawn_at = models.DateTimeField(null=True, blank=True)
    # Why the last attempt to draw it failed (it is tried again in the next round).
    draw_error = models.CharField(max_length=500, blank=True)
    # A printed copy waits in the post room until it is posted.
    posted_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["kind", "sent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=DocumentKind.LETTER, letter__isnull=False, record_version__isnull=True)
                    | Q(kind=DocumentKind.RECORD, letter__isnull=True, record_version__isnull=False)
                ),
                name="a_copy_is_of_one_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.name}"

    @property
    def conference(self) -> Conference:
        """The conference whose letter or record this is a copy of."""
        if self.letter is not None:
            return self.letter.conference
        assert self.record_version is not None
        return self.record_version.record.conference

    @property
    def received_on(self) -> date | None:
        """When the reader had it: the day it was e-mailed, or posted (None: not yet)."""
        return self.sent_on if self.delivery == Delivery.EMAIL else self.posted_on
