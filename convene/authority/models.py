"""What an authority has chosen: its procedure profile, its nation's calendar and the days its
offices are closed. The rules themselves live in the pure `convene.timescales` package."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from convene.timescales import Nation

NATION_CHOICES = [(nation.value, nation.label) for nation in Nation]

DEFAULT_PROFILE = "london"


class AuthoritySettings(models.Model):
    """The one row of authority-wide choices. A new installation uses London's procedures
    with England and Wales' bank holidays until the system administrator changes them."""

    singleton = models.BooleanField(default=True, editable=False)
    profile = models.CharField(max_length=40, default=DEFAULT_PROFILE)
    nation = models.CharField(
        max_length=20, choices=NATION_CHOICES, default=Nation.ENGLAND_AND_WALES
    )
    # Children under 18 living in the area (ONS mid-year estimate), for the rate of children on
    # a plan per 10,000 children that the DfE publishes (shared/standards/kpis.md).
    child_population = models.PositiveIntegerField(
        "children living in the area", null=True, blank=True
    )
    # What the letters and the record carry (issue 12): the letterhead, the signature, and
    # where a family turns to complain or appeal. Empty: the defaults in
    # convene.conferences.letters.branding.
    letter_name = models.CharField("name on letters", max_length=200, blank=True)
    letter_address = models.TextField("postal address on letters", blank=True)
    letter_phone = models.CharField("phone number on letters", max_length=40, blank=True)
    letter_email = models.EmailField("email address on letters", blank=True)
    logo = models.FileField(upload_to="authority/", blank=True)
    signature_block = models.TextField(blank=True)
    complaints_contact = models.TextField(blank=True)
    # London CP4 §12.2: the complaints manager is told of each complaint about a conference.
    complaints_email = models.EmailField(blank=True)
    appeals_contact = models.TextField(blank=True)
    # A Word template the authority made from the default one (convene/conferences/letters/
    # templates/docx/document.docx); empty: the default.
    word_template = models.FileField(upload_to="authority/", blank=True)
    # Raised on every change, so a form opened before someone else's change is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "authority settings"
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="one_authority_settings_row"),
            models.CheckConstraint(
                condition=Q(singleton=True), name="authority_settings_singleton"
            ),
        ]

    def __str__(self) -> str:
        return f"Procedures: {self.profile}, calendar: {self.get_nation_display()}"


class ClosureDay(models.Model):
    """A day the authority's offices are closed, which does not count as a working day."""

    day = models.DateField(unique=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%-d %B %Y}: {self.description}"


class GlossaryTerm(models.Model):
    """A word families may not know, checked in every letter to a family before it is sent:
    it must be explained (the explanation appears in the letter) or avoided (issue 12)."""

    term = models.CharField(max_length=100, unique=True)
    meaning = models.CharField(
        max_length=300, help_text="The words a family would understand, to use instead."
    )
    # Avoid: never use it in a family's letter, even explained.
    avoid = models.BooleanField(default=False)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
