"""Conferences: one meeting, often about several children of a household, each with their own
decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from convene.conferences.enums import (
    INITIAL_TYPES,
    AfterPlan,
    Attendance,
    ChildOutcome,
    ConferenceStatus,
    ConferenceType,
    ContributionKind,
    Delivery,
    ExclusionDecision,
    InviteeRole,
    MeetingMode,
    ParticipantGroup,
    PlanNeeded,
    RecordingDecision,
    ReportKind,
    ReportStatus,
    Response,
    Route,
)
from convene.people.models import Adult, Agency, Child, Household, Professional
from convene.plans.enums import Category, PlanEndReason
from convene.referrals.models import Section47Enquiry


class Conference(models.Model):
    type = models.CharField(max_length=20, choices=ConferenceType.choices)
    route = models.CharField(max_length=20, choices=Route.choices, blank=True)
    status = models.CharField(
        max_length=20, choices=ConferenceStatus.choices, default=ConferenceStatus.SCHEDULED
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="conferences", null=True, blank=True
    )
    # The event the statutory deadline counts from, by route: the strategy discussion, the
    # notice of a transfer in, the looked-after review's decision, the expected birth, the end
    # of an emergency protection order, or the deferred conference.
    counts_from = models.DateField(null=True, blank=True)
    # Set once the conference is scheduled (or held, for imported history).
    date = models.DateField(null=True, blank=True)
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    mode = models.CharField(max_length=20, choices=MeetingMode.choices, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    virtual_link = models.URLField(max_length=500, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conferences_chaired",
        null=True,
        blank=True,
    )
    # London CP4 §12.4: a conference reconvened after a complaint has a different chair.
    not_chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # London CP4 §1.10: a date after the statutory deadline needs a recorded reason.
    delay_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conferences_decided",
        null=True,
        blank=True,
        help_text="The children's social care manager who decided to convene it.",
    )
    decided_on = models.DateField(null=True, blank=True)
    quorate = models.BooleanField(null=True, blank=True)
    # London CP4 §3.11 to §3.12: an inquorate conference goes ahead only for a recorded reason.
    inquorate_reason = models.TextField(blank=True)
    ssd_meeting_id = models.CharField(max_length=48, unique=True, null=True, blank=True)
    # Raised on every change, so an edit made from a stale page is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__isnull=False)
                | Q(status__in=[ConferenceStatus.TO_ARRANGE, ConferenceStatus.CANCELLED]),
                name="scheduled_conference_has_date",
            )
        ]
        indexes = [
            # The few conferences being arranged, among every one ever held (issue 16).
            models.Index(
                fields=["status"],
                condition=Q(status__in=["to_arrange", "scheduled"]),
                name="conference_being_arranged",
            ),
            # A year's held initial conferences for the national indicator (decision 0032).
            models.Index(
                fields=["date"],
                condition=Q(status=ConferenceStatus.HELD, type__in=INITIAL_TYPES),
                name="held_initial_conference_date",
            ),
        ]

    def __str__(self) -> str:
        when = f" on {self.date:%-d %B %Y}" if self.date else ""
        return f"{self.get_type_display()}{when}"

    def subject_children(self) -> list[Child]:
        """The children this conference is about (not brothers and sisters who were only
        considered, London CP4 §1.5): every event about it goes on each of their audit
        trails (convene.core.services.audit). One query."""
        return [
            subject.child
            for subject in self.subjects.filter(is_subject=True).select_related("child")
        ]


class ConferenceChild(models.Model):
    """A child the conference is about, and the chair's decision for that child."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="subjects")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conferences")
    enquiry = models.ForeignKey(
        Section47Enquiry,
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
        help_text="The section 47 enquiry an initial conference follows.",
    )
    # The enquiry's `icpc_indicator_due`, copied so a year's initial conferences are counted
    # without reading their enquiries (decision 0032); kept by `returns.indicator_facts`.
    icpc_indicator_due = models.DateField(null=True, blank=True, editable=False)
    # London CP4 §1.5: every child of the household is considered; not all are subjects.
    is_subject = models.BooleanField(default=True)
    not_subject_reason = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=20, choices=ChildOutcome.choices, blank=True)
    # The chair's decision (London CP4 §9.5 to §9.6, §10.1 to §10.4; Register R:19 to R:21),
    # made once, at a held conference (convene.conferences.decision).
    category = models.CharField(
        max_length=3,
        choices=Category.choices,
        blank=True,
        help_text="The category of abuse, for a child protection plan (DfE codes).",
    )
    reasons = models.TextField(blank=True, help_text="Why the chair decided so, in plain words.")
    recommendations = models.TextField(blank=True)
    deferral_reasons = models.TextField(blank=True)
    interim_plan = models.TextField(blank=True)
    # A plan ending at a review: why, and what follows (§10.3, §10.10).
    plan_end_reason = models.CharField(max_length=20, choices=PlanEndReason.choices, blank=True)
    after_plan = models.CharField(max_length=10, choices=AfterPlan.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Raised on every change, so a decision made from a stale page is refused.
    version = models.PositiveIntegerField(default=1)
    # The SSD row this came from: "icpc:<icpc_icpc_id>" or "review:<cppr_cp_review_id>".
    ssd_id = models.CharField(max_length=48, null=True, blank=True)  # noqa: DJ001 (unique when set)

    class Meta:
        ordering = ["conference__date", "child__last_name"]
        verbose_name = "child at a conference"
        verbose_name_plural = "children at conferences"
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "child"], name="child_once_per_conference"
            ),
            models.UniqueConstraint(
                fields=["ssd_id"], condition=Q(ssd_id__isnull=False), name="conference_child_ssd_id"
            ),
        ]
        indexes = [
            # Children whose decision is still to record (issue 16: the conference lists).
            models.Index(
                fields=["conference"],
                condition=Q(is_subject=True, outcome=""),
                name="conference_child_undecided",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} at the {self.conference}"


class Invitation(models.Model):
    """Someone invited to a conference, what they need to take part, and their answer."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=InviteeRole.choices)
    adult = models.ForeignKey(Adult, on_delete=models.PROTECT, null=True, blank=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True)
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    # For supporters, advocates, interpreters and observers not otherwise recorded.
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.EMAIL)
    sent_on = models.DateField(null=True, blank=True)
    # Needs (Derbyshire; London CP4 §14.9).
    interpreter_language = models.CharField(max_length=100, blank=True)
    interpreter_booked = models.BooleanField(default=False)
    sensory_needs = models.CharField(max_length=300, blank=True)
    dyslexia = models.BooleanField(default=False)
    virtual_access = models.BooleanField(default=False)
    other_needs = models.TextField(blank=True)
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)
    # London CP4 §3.3: an observer needs both the chair's and the family's consent.
    chair_consents = models.BooleanField(null=True, blank=True)
    family_consents = models.BooleanField(null=True, blank=True)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    arrived_at = models.TimeField(null=True, blank=True)
    left_at = models.TimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.adult is not None:
            return str(self.adult)
        if self.child is not None:
            return self.child.display_name
        if self.professional is not None:
            return self.professional.name
        return self.name


class RecordingRequest(models.Model):
    """A request to record the meeting (London CP4 §3.8 to §3.9)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="recording_requests"
    )
    requested_by = models.CharField(max_length=200)
    decision = models.CharField(
        max_length=10, choices=RecordingDecision.choices, default=RecordingDecision.PENDING
    )
    limits = models.TextField(blank=True, help_text="What the family agreed may be recorded.")
    reasons = models.TextField(blank=True)
    # Raised on every change, so a decision made from a stale page is refused.
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Request by {self.requested_by} to record the conference"


class Report(models.Model):
    """A report to the conference: children's social care's, an agency's or the police's."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.REQUESTED
    )
    # The agreed pro forma (London CP4 §7.1, §7.9; Medway): facts, allegations and opinions apart.
    facts = models.TextField(blank=True)
    allegations = models.TextField(blank=True)
    opinions = models.TextField(blank=True)
    worries = models.TextField(blank=True)
    working_well = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    signed_by = models.CharField(max_length=200, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    shared_on = models.DateField(null=True, blank=True)
    family_comments = models.TextField(blank=True)
    # London CP4 §7.10: the police report is for the chair; others see only this summary.
    chair_summary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "agency__name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.agency}"


class ChildSeen(models.Model):
    """When the child was seen during the enquiry, for the social care report (§7.2 to §7.5)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="children_seen")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="times_seen")
    date = models.DateField()
    seen_alone = models.BooleanField()
    who_was_there = models.CharField(max_length=300, blank=True)
    why_not_alone = models.TextField(blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seen_alone=True) | ~Q(why_not_alone=""),
                name="not_seen_alone_says_why",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} seen on {self.date:%-d %B %Y}"


class Contribution(models.Model):
    """The family's or the child's own words, drawing or recording (§4.16 to §4.17, §7.11)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="contributions"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=ContributionKind.choices)
    from_whom = models.CharField(max_length=200)
    file = models.FileField(upload_to="contributions/%Y/%m/")
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.from_whom}"


class ExclusionRequest(models.Model):
    """An agency's request to exclude someone, and the chair's final decision (§5)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="exclusions")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="exclusion_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField()
    grounds = models.TextField()
    evidence = models.TextField()
    decision = models.CharField(
        max_length=10, choices=ExclusionDecision.choices, default=ExclusionDecision.PENDING
    )
    parts = models.TextField(blank=True, help_text="The parts of the meeting, when not all.")
    reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    # The excluded person's views, to be presented at the conference (§5.7).
    views = models.TextField(blank=True)
    # Raised on every change, so an edit made from a stale page is refused.
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Request to exclude {self.invitation} from the {self.conference}"


class Assessment(models.Model):
    """The four questions, for the household (no child) or for one child (Cornwall C:102 to
    C:111): only information whose accuracy is agreed goes in the grid."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="assessments")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    working_well = models.TextField("What is working well?", blank=True)
    worries_harm = models.TextField("What are we worried about: the harm", blank=True)
    worries_complicating = models.TextField(
        "What are we worried about: complicating factors", blank=True
    )
    lived_experience = models.TextField("The lived experience of the child", blank=True)
    needs_to_happen = models.TextField("What needs to happen?", blank=True)
    danger_statement = models.TextField(blank=True)
    safety_goal = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["conference", "child"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "child"], name="one_assessment_per_child_per_conference"
            ),
            models.UniqueConstraint(
                fields=["conference"],
                condition=Q(child__isnull=True),
                name="one_household_assessment_per_conference",
            ),
        ]

    def __str__(self) -> str:
        about = self.child.display_name if self.child else "the household"
        return f"The four questions for {about}"


class SafetyScore(models.Model):
    """One participant's 0 to 10 judgement of how safe a child is (Cornwall C:113, C:131):
    0, the child is not safe at all; 10, safe enough for the plan to close."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="safety_scores"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="safety_scores")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="scores"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    group = models.CharField(max_length=20, choices=ParticipantGroup.choices)
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["conference__date", "group", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=10), name="safety_score_0_to_10"),
            models.UniqueConstraint(
                fields=["conference", "child", "invitation"], name="one_score_per_person_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} scored {self.score} for {self.child}"


class ParticipantView(models.Model):
    """An agency's view on whether a plan is needed, with its rationale in plain words, or a
    parent's or the child's own view (Register R:17 to R:18; Derbyshire D:27); the social
    worker brings the views of those who are absent (London CP4 §6.1)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="views")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=20, choices=ParticipantGroup.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=200)
    plan_needed = models.CharField(max_length=10, choices=PlanNeeded.choices, blank=True)
    category = models.CharField(max_length=3, choices=Category.choices, blank=True)
    view = models.TextField()
    brought_by_social_worker = models.BooleanField(
        default=False, help_text="Given by the social worker for someone not at the meeting."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["conference", "child", "group", "id"]

    def __str__(self) -> str:
        return f"View of {self.name} on {self.child}"


class Dissent(models.Model):
    """Disagreement with the decision for a child, by an agency, a parent or the child (London
    CP4 §11.1; Register R:19). Agency dissent starts the escalation protocol."""

    decision = models.ForeignKey(ConferenceChild, on_delete=models.CASCADE, related_name="dissents")
    group = models.CharField(max_length=20, choices=ParticipantGroup.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=200)
    reasons = models.TextField()
    # London CP4 §11.2: dissent from a core group meeting of the plan the decision made (its
    # escalation follows the same stages); empty for dissent at the conference itself.
    core_group_meeting = models.ForeignKey(
        "plans.CoreGroupMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dissents",
    )
    # §11.1: agency dissent is escalated soon after the conference; the stages follow.
    escalation_started_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField()

    class Meta:
        ordering = ["decision", "id"]

    def __str__(self) -> str:
        return f"Dissent of {self.name} from the decision for {self.decision.child}"


# The letters and the record after the conference, in their feature folders, load with the
# app's models (app label "conferences").
from convene.conferences.letters.models import DecisionLetter as DecisionLetter  # noqa: E402
from convene.conferences.letters.models import DocumentCopy as DocumentCopy  # noqa: E402
from convene.conferences.record.models import (  # noqa: E402
    AmendmentRequest as AmendmentRequest,
)
from convene.conferences.record.models import ConferenceRecord as ConferenceRecord  # noqa: E402
from convene.conferences.record.models import CopyDecision as CopyDecision  # noqa: E402
from convene.conferences.record.models import RecordSection as RecordSection  # noqa: E402
from convene.conferences.record.models import RecordVersion as RecordVersion  # noqa: E402
