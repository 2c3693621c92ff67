"""Children, their households and the adults around them, agencies and professionals.

Episodes and enquiries are in `convene.referrals`, conferences in `convene.conferences`, plans
and visits in `convene.plans`. Fields named `ssd_*_id` hold the id a record had in the
authority's Standard Safeguarding Dataset extract, so a newer extract updates it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import AgencyType, DisabilityCode, Ethnicity, RelationshipKind, Sex, UPNUnknown


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=20, choices=AgencyType.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    name = models.CharField(max_length=200, help_text="How staff refer to the family.")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    ssd_family_id = models.CharField(max_length=48, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    la_child_id = models.CharField("local authority child ID", max_length=40, unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    upn_unknown = models.CharField(
        "why there is no unique pupil number", max_length=4, choices=UPNUnknown.choices, blank=True
    )
    first_language = models.CharField(max_length=100, blank=True)
    communication_needs = models.TextField(
        blank=True, help_text="For example: uses British Sign Language; needs easy read."
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="children", null=True, blank=True
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="allocated_children",
        help_text="The allocated (lead) social worker.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            # The children list in name order, a page at a time, without sorting every child.
            # The trigram indexes for searching names are PostgreSQL's own (migration 0005).
            models.Index(fields=["last_name", "first_name", "id"], name="child_name_order"),
        ]
        constraints = [
            # A child is either born (date of birth) or unborn (expected date of birth).
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
            ),
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=models.F("date_of_birth")),
                name="child_dies_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    @property
    def display_name(self) -> str:
        if self.is_unborn and not self.first_name:
            return f"Unborn baby {self.last_name}"
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, today: date) -> int | None:
        """Age in whole years on `today`, or None for an unborn child."""
        born = self.date_of_birth
        if born is None:
            return None
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Disability(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, choices=DisabilityCode.choices)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "disabilities"
        constraints = [
            models.UniqueConstraint(fields=["child", "code"], name="one_disability_code_per_child")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class Adult(models.Model):
    """A parent, carer or other adult in a child's life."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="adults", null=True, blank=True
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Relationship(models.Model):
    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="relationships")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    parental_responsibility = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["adult", "child"], name="one_relationship_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.adult} is {self.get_kind_display().lower()} of {self.child}"


class Professional(models.Model):
    """Someone from an agency who works with children; may or may not sign in to Convene."""

    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="professionals")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="professional",
    )
    department = models.CharField(max_length=200, blank=True)
    registration_number = models.CharField(
        "Social Work England registration number", max_length=40, blank=True
    )
    ssd_professional_id = models.CharField(max_length=48, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}"


class Involvement(models.Model):
    """A professional's direct work with a child, from `started` until `ended`."""

    professional = models.ForeignKey(
        Professional, on_delete=models.CASCADE, related_name="involvements"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    role = models.CharField(max_length=200, help_text="For example: health visitor, class teacher.")
    team = models.CharField(max_length=200, blank=True)
    started = models.DateField()
    ended = models.DateField(null=True, blank=True)
    ssd_involvement_id = models.CharField(max_length=48, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["started"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("started")),
                name="involvement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.professional} with {self.child}"


def worked_with_q(user: object, today: date) -> Q:
    """Children a user currently works with as a professional (involvement not ended)."""
    current = Q(involvements__ended__isnull=True) | Q(involvements__ended__gte=today)
    return Q(involvements__professional__user=user) & current
