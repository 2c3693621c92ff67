"""Changes to the professionals around children: their records and their work with a child.

Each function runs inside its caller's transaction (or its own) and writes its audit row in
it (convene.core.services.audit). Nothing here reads the clock: callers pass `today`.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.core.services import Actor, ServiceError, StaleEdit, audit

from .models import Agency, Child, Involvement, Professional


def professional_for_user(user: User, *, by: Actor) -> Professional:
    """The professional record of someone who signs in, made the first time it is needed: a
    social worker, say, has none until they are first invited to a conference. Linked to their
    account, so what they are invited to is theirs to see."""
    with transaction.atomic():
        # get_or_create: two invitations made at once still give the account one record.
        professional, made = Professional.objects.select_related("agency").get_or_create(
            user=user,
            defaults={
                "name": user.get_full_name() or user.email,
                "job_title": user.job_title or _role_title(user),
                "agency": user.agency,
                "email": user.email,
            },
        )
        if not made:
            return professional
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=professional,
            reason=f"Professional record made for {professional.name}'s account",
        )
    return professional


def _role_title(user: User) -> str:
    return min((role.label for role in user.roles), default="Professional")


def professional_add(
    *, agency: Agency, name: str, job_title: str, email: str, by: Actor
) -> Professional:
    """A professional not yet known to Convene, from an agency it knows."""
    if not name.strip():
        raise ServiceError("Enter their full name", field="name")
    if not job_title.strip():
        raise ServiceError("Enter their job title", field="job_title")
    with transaction.atomic():
        professional = Professional.objects.create(
            name=name.strip(), job_title=job_title.strip(), agency=agency, email=email.strip()
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=professional,
            reason=f"Professional added: {professional} ({agency.name})",
        )
    return professional


def involvements_start(
    *,
    professional: Professional,
    children: list[Child],
    role: str,
    today: date,
    by: Actor,
    why: str,
) -> list[Involvement]:
    """Record that the professional works with each of these children from today, in the role
    given, unless they already do: each new link is on that child's audit trail."""
    working = set(
        Involvement.objects.filter(
            professional=professional, child__in=children, started__lte=today
        )
        .exclude(ended__lt=today)
        .values_list("child_id", flat=True)
    )
    needed = [child for child in children if child.pk not in working]
    if needed and not role.strip():
        names = " and ".join(child.display_name for child in needed)
        raise ServiceError(
            f"Enter their role with {names}, for example investigating officer", field="role"
        )
    made = []
    with transaction.atomic():
        for child in needed:
            involvement = Involvement.objects.create(
                professional=professional, child=child, role=role.strip(), started=today
            )
            audit(
                by=by,
                verb=AuditVerb.CREATED,
                obj=involvement,
                about=child,
                reason=f"{professional.name} ({professional.agency.name}) linked to "
                f"{child.display_name} as {involvement.role}: {why}",
            )
            made.append(involvement)
    return made


def child_allocate(
    *, child: Child, social_worker: User, was: int | None, allowed: list[User], by: Actor
) -> Child:
    """Allocate the child to a social worker (`allowed`: those this person may choose, from
    `selectors.social_workers_to_allocate`). `was` is the social worker the page showed (None:
    not allocated): if someone else changed the allocation since, the change is refused
    (StaleEdit) and nothing is overwritten. The change goes on the child's audit trail."""
    if social_worker.pk not in {worker.pk for worker in allowed}:
        raise ServiceError("Select a social worker you may allocate", field="social_worker")
    if social_worker.pk == was:
        raise ServiceError(
            f"{child.display_name} is already allocated to {social_worker.get_full_name()}",
            field="social_worker",
        )
    with transaction.atomic():
        changed = Child.objects.filter(pk=child.pk, social_worker_id=was).update(
            social_worker=social_worker
        )
        if not changed:
            raise StaleEdit
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=child,
            about=child,
            reason=f"Allocated to {social_worker.get_full_name()}, social worker",
        )
    child.refresh_from_db()
    return child
