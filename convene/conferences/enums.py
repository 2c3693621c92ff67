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
    # Decided on, not yet given a date, time and chair.
    TO_ARRANGE = "to_arrange", "To arrange"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Route(models.TextChoices):
    """How a conference came to be called (London CP4 §1.6 to §2.2; Register guidance)."""

    SECTION_47 = "section_47", "After a section 47 enquiry"
    PRE_BIRTH = "pre_birth", "About an unborn baby"
    TRANSFER_IN = "transfer_in", "A child on a plan moving in from another authority"
    EMERGENCY_PROTECTION_ORDER = "epo", "After an emergency protection order"
    CHILD_ASSESSMENT_ORDER = "cao", "After a child assessment order"
    LOOKED_AFTER_RETURNING_HOME = "looked_after", "A looked-after child returning home"
    REVIEW = "review", "Review of a child protection plan"
    RECONVENED = "reconvened", "Reconvened after a deferred decision"
    # London CP4 §12.4: the outcome of a complaint (started by convene.challenge, never chosen).
    AFTER_COMPLAINT = "after_complaint", "Reconvened under a different chair after a complaint"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Online"
    HYBRID = "hybrid", "In person and online (hybrid)"


class InviteeRole(models.TextChoices):
    PARENT_CARER = "parent_carer", "Parent or carer"
    CHILD = "child", "The child or young person"
    SUPPORTER = "supporter", "Supporter or friend"
    ADVOCATE = "advocate", "Advocate"
    INTERPRETER = "interpreter", "Interpreter"
    PROFESSIONAL = "professional", "Professional"
    OBSERVER = "observer", "Professional observer"


class Delivery(models.TextChoices):
    EMAIL = "email", "Email with a calendar invitation"
    LETTER = "letter", "Printed letter"


class Response(models.TextChoices):
    AWAITING = "awaiting", "Not answered yet"
    ATTENDING = "attending", "Attending"
    ATTENDING_PART = "attending_part", "Attending part"
    APOLOGIES_WITH_REPORT = "apologies_report", "Apologies, sending a report"
    DECLINED = "declined", "Declined"


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    PART = "part", "Present for part"
    VIRTUAL = "virtual", "Joined online"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Did not attend"


class ReportKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care report"
    AGENCY = "agency", "Agency report"
    POLICE = "police", "Police report"


class ReportStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SUBMITTED = "submitted", "Submitted"
    SHARED = "shared", "Shared with the family"
    COMMENTS_RECEIVED = "comments", "Family's comments received"


class ContributionKind(models.TextChoices):
    STATEMENT = "statement", "Written statement"
    DRAWING = "drawing", "Drawing or picture"
    AUDIO = "audio", "Audio recording"
    ADVOCATE_NOTES = "advocate_notes", "Advocate's notes"


class ExclusionDecision(models.TextChoices):
    PENDING = "pending", "Waiting for the chair"
    WHOLE = "whole", "Excluded from the whole conference"
    PART = "part", "Excluded from part of the conference"
    REFUSED = "refused", "Not excluded"


class RecordingDecision(models.TextChoices):
    PENDING = "pending", "Waiting for the chair"
    AGREED = "agreed", "Agreed, with limits"
    REFUSED = "refused", "Refused"


class ChildOutcome(models.TextChoices):
    """The chair's decision for one child (London CP4 §9.6)."""

    CP_PLAN = "cp_plan", "Child protection plan"
    CIN_PLAN = "cin_plan", "Child in need plan"
    NO_FURTHER_ACTION = "nfa", "No further action"
    DEFERRED = "deferred", "Decision deferred"
    CONTINUE_PLAN = "continue_plan", "Child protection plan continues"
    END_PLAN = "end_plan", "Child protection plan ends"


class ParticipantGroup(models.TextChoices):
    """Who gave a safety score, a view or a dissent, grouped as the chart of scores over time
    and the record show them (Cornwall: parents and professionals each score)."""

    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    OTHER_AGENCY = "other_agency", "Other agency"
    PARENT_CARER = "parent_carer", "Parent or carer"
    CHILD = "child", "The child or young person"
    FAMILY_FRIEND = "family_friend", "Family member, friend or supporter"

    @property
    def is_agency(self) -> bool:
        return self not in FAMILY_GROUPS


FAMILY_GROUPS = frozenset(
    {ParticipantGroup.PARENT_CARER, ParticipantGroup.CHILD, ParticipantGroup.FAMILY_FRIEND}
)


class PlanNeeded(models.TextChoices):
    """An agency's view on whether the child needs a child protection plan (Register R:17)."""

    YES = "yes", "A child protection plan is needed"
    NO = "no", "A child protection plan is not needed"
    UNSURE = "unsure", "Not sure"


class AfterPlan(models.TextChoices):
    """What follows when a child protection plan ends at a review (London CP4 §10.10)."""

    CIN_PLAN = "cin_plan", "A child in need plan"
    NO_FURTHER_ACTION = "nfa", "No further action by children's social care"
