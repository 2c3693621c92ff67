"""factory_boy factories for tests. All names and identifiers are invented."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import factory
from factory.django import DjangoModelFactory

from convene.access.enums import Role
from convene.access.models import RoleGrant, User
from convene.conferences.enums import ConferenceStatus, ConferenceType, InviteeRole, ReportKind
from convene.conferences.models import Conference, ConferenceChild, Invitation, Report
from convene.people.enums import AgencyType, RelationshipKind, Sex
from convene.people.models import (
    Adult,
    Agency,
    Child,
    Household,
    Involvement,
    Professional,
    Relationship,
    Team,
)
from convene.plans.enums import Category, CoreGroupKind, MeetingStatus
from convene.plans.models import (
    Action,
    CoreGroupMeeting,
    CoreGroupMember,
    Objective,
    Plan,
    PlanReview,
    Visit,
)
from convene.referrals.enums import ReferralSource
from convene.referrals.models import Episode, Section47Enquiry
from convene.returns.indicator_facts import (
    conference_children_refresh,
    enquiries_refresh,
    plan_refresh,
)

TEST_PASSWORD = "a-long-test-password"


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = "Testshire Children's Social Care"
    type = AgencyType.CHILDRENS_SOCIAL_CARE


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Assessment Team {n}")
    agency = factory.SubFactory(AgencyFactory)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@testshire.example")
    first_name = factory.Sequence(lambda n: f"Tess{n}")
    last_name = "Tester"
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: Any) -> None:
        # factory_boy passes the created user as `self`.
        user = cast(User, self)
        if create and extracted:
            RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in extracted)


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Household {n}")
    postcode = "TS1 1AA"


class ChildFactory(DjangoModelFactory[Child]):
    class Meta:
        model = Child

    la_child_id = factory.Sequence(lambda n: f"TS-{n:06d}")
    first_name = factory.Sequence(lambda n: f"Kit{n}")
    last_name = "Example"
    sex = Sex.FEMALE
    date_of_birth = date(2018, 6, 1)
    household = factory.SubFactory(HouseholdFactory)


class AdultFactory(DjangoModelFactory[Adult]):
    class Meta:
        model = Adult

    first_name = factory.Sequence(lambda n: f"Parent{n}")
    last_name = "Example"
    household = factory.SubFactory(HouseholdFactory)


class RelationshipFactory(DjangoModelFactory[Relationship]):
    class Meta:
        model = Relationship

    adult = factory.SubFactory(AdultFactory)
    child = factory.SubFactory(ChildFactory)
    kind = RelationshipKind.PARENT
    parental_responsibility = True


class ProfessionalFactory(DjangoModelFactory[Professional]):
    class Meta:
        model = Professional

    name = factory.Sequence(lambda n: f"Pat Professional {n}")
    job_title = "Health visitor"
    agency = factory.SubFactory(AgencyFactory, name="Testshire Health", type=AgencyType.HEALTH)


class InvolvementFactory(DjangoModelFactory[Involvement]):
    class Meta:
        model = Involvement

    professional = factory.SubFactory(ProfessionalFactory)
    child = factory.SubFactory(ChildFactory)
    role = "Health visitor"
    started = date(2026, 1, 5)


class EpisodeFactory(DjangoModelFactory[Episode]):
    class Meta:
        model = Episode

    child = factory.SubFactory(ChildFactory)
    referral_date = date(2025, 5, 1)
    referral_source = ReferralSource.SCHOOLS


class EnquiryFactory(DjangoModelFactory[Section47Enquiry]):
    class Meta:
        model = Section47Enquiry
        skip_postgeneration_save = True

    episode = factory.SubFactory(EpisodeFactory)
    child = factory.SelfAttribute("episode.child")
    strategy_discussion_date = date(2025, 6, 2)

    @factory.post_generation
    def indicator_facts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        # As the service that records a strategy discussion does (decision 0032).
        if create:
            enquiries_refresh(Section47Enquiry.objects.filter(pk=cast(Section47Enquiry, self).pk))


class ConferenceFactory(DjangoModelFactory[Conference]):
    class Meta:
        model = Conference

    type = ConferenceType.INITIAL
    date = date(2025, 6, 20)
    status = ConferenceStatus.HELD


class ConferenceChildFactory(DjangoModelFactory[ConferenceChild]):
    class Meta:
        model = ConferenceChild
        skip_postgeneration_save = True

    conference = factory.SubFactory(ConferenceFactory)
    child = factory.SubFactory(ChildFactory)

    @factory.post_generation
    def indicator_facts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        # As the service that arranges a conference does (decision 0032).
        if create:
            conference_children_refresh(
                ConferenceChild.objects.filter(pk=cast(ConferenceChild, self).pk)
            )


class PlanFactory(DjangoModelFactory[Plan]):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    child = factory.SubFactory(ChildFactory)
    start_date = date(2025, 6, 20)
    initial_category = Category.NEGLECT
    latest_category = Category.NEGLECT

    @factory.post_generation
    def indicator_facts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        # As the service that starts a plan does (decision 0032).
        if create:
            plan_refresh(cast(Plan, self))


class PlanReviewFactory(DjangoModelFactory[PlanReview]):
    class Meta:
        model = PlanReview
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    date = date(2025, 9, 15)
    plan_continues = True

    @factory.post_generation
    def indicator_facts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        # As the service that records a review does (decision 0032).
        if create:
            plan_refresh(cast(PlanReview, self).plan_id)


class ObjectiveFactory(DjangoModelFactory[Objective]):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    text = "Mina goes to school every day, clean and fed"


class CoreGroupMemberFactory(DjangoModelFactory[CoreGroupMember]):
    class Meta:
        model = CoreGroupMember

    plan = factory.SubFactory(PlanFactory)
    kind = CoreGroupKind.PARENT_CARER
    name = factory.Sequence(lambda n: f"Member {n} Example")
    role = "Mother"


class ActionFactory(DjangoModelFactory[Action]):
    class Meta:
        model = Action

    plan = factory.SubFactory(PlanFactory)
    owner = factory.SubFactory(CoreGroupMemberFactory, plan=factory.SelfAttribute("..plan"))
    text = "Walk Mina to school each morning"
    due = date(2025, 8, 1)


class CoreGroupMeetingFactory(DjangoModelFactory[CoreGroupMeeting]):
    class Meta:
        model = CoreGroupMeeting

    plan = factory.SubFactory(PlanFactory)
    date = date(2025, 7, 2)
    status = MeetingStatus.SCHEDULED
    venue = "Family Centre, Room 2"


class VisitFactory(DjangoModelFactory[Visit]):
    class Meta:
        model = Visit

    plan = factory.SubFactory(PlanFactory)
    child = factory.SelfAttribute("plan.child")
    date = date(2025, 7, 1)
    seen = True
    seen_alone = True


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    conference = factory.SubFactory(ConferenceFactory)
    role = InviteeRole.PROFESSIONAL
    professional = factory.SubFactory(ProfessionalFactory)
    agency = factory.SelfAttribute("professional.agency")


class ReportFactory(DjangoModelFactory[Report]):
    class Meta:
        model = Report

    conference = factory.SubFactory(ConferenceFactory)
    kind = ReportKind.AGENCY
    agency = factory.SubFactory(AgencyFactory, name="Testshire Health", type=AgencyType.HEALTH)
