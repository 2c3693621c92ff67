"""Reads for inviting professionals: the children's lead social workers, the agencies, and who
in one of them may be invited to a conference. A constant number of queries however many
professionals there are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from convene import policy
from convene.access.models import User
from convene.conferences.models import Conference
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Professional

# How many people a page lists before asking for a search.
SHOWN = 50
# The choice for someone the agency has who is not in Convene yet.
SOMEONE_NEW = "new"


def lead_social_workers(conference: Conference) -> list[tuple[User, list[Child]]]:
    """Each active allocated (lead) social worker of the children the conference is about,
    with those children, eldest first. One query."""
    subjects = (
        conference.subjects.filter(is_subject=True, child__social_worker__is_active=True)
        .select_related("child", "child__social_worker", "child__social_worker__agency")
        .order_by("child__date_of_birth", "child__pk")
    )
    found: dict[int, tuple[User, list[Child]]] = {}
    for subject in subjects:
        worker = subject.child.social_worker
        assert worker is not None
        found.setdefault(worker.pk, (worker, []))[1].append(subject.child)
    return list(found.values())


def names(children: Sequence[Child]) -> str:
    names = [child.display_name for child in children]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def agencies(agency_type: str = "") -> list[Agency]:
    """Every agency (or those of one type), in the order of the kinds of agency, then by
    name."""
    found = Agency.objects.all()
    if agency_type in AgencyType.values:
        found = found.filter(type=agency_type)
    order = {kind: n for n, kind in enumerate(AgencyType.values)}
    return sorted(found, key=lambda a: (order.get(a.type, len(order)), a.name))


@dataclass(frozen=True)
class Invitable:
    """Someone from the agency who could be invited: a professional record, or someone who
    signs in to Convene and has no professional record yet (one is made when they are
    invited)."""

    key: str
    label: str
    professional: Professional | None = None
    user: User | None = None


@dataclass(frozen=True)
class InvitableList:
    people: list[Invitable]
    # More matched than are listed: the page asks for a search.
    more: bool


def invitable(conference: Conference, agency: Agency, text: str = "") -> InvitableList:
    """The agency's professionals not yet invited to the conference, and the people of the
    agency who sign in to do case work and have no professional record yet, by name,
    optionally those whose name or job title has every word of `text`. Two queries."""
    invited = conference.invitations.filter(professional__isnull=False).values("professional_id")
    professionals = Professional.objects.filter(agency=agency).exclude(pk__in=invited)
    users = User.objects.filter(
        agency=agency,
        is_active=True,
        professional__isnull=True,
        role_grants__role__in=policy.case_work_roles(),
    ).distinct()
    for word in text.split():
        professionals = professionals.filter(Q(name__icontains=word) | Q(job_title__icontains=word))
        users = users.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(job_title__icontains=word)
        )
    people = [
        Invitable(f"professional-{p.pk}", f"{p.name}, {p.job_title}", professional=p)
        for p in professionals.order_by("name", "pk")[: SHOWN + 1]
    ] + [
        Invitable(f"user-{u.pk}", f"{u.get_full_name() or u.email}, {_title(u)}", user=u)
        for u in users.prefetch_related("role_grants").order_by("first_name", "last_name", "pk")[
            : SHOWN + 1
        ]
    ]
    people.sort(key=lambda person: person.label.lower())
    return InvitableList(people=people[:SHOWN], more=len(people) > SHOWN)


def _title(user: User) -> str:
    if user.job_title:
        return user.job_title
    return ", ".join(sorted(grant.get_role_display() for grant in user.role_grants.all()))


def chosen(people: Sequence[Invitable], key: str) -> Invitable | None:
    return next((person for person in people if person.key == key), None)
