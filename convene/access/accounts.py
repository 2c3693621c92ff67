"""Looking after people's accounts, for a system administrator (issue 14,
docs/decisions/0022-account-management.md). Each change is one transaction with its audit row;
an administrator can never lock themselves out (close their own account, or take away their
own system administrator role), so the service always keeps someone who can manage accounts.
"""

from __future__ import annotations

from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.db import IntegrityError, transaction

from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.people.models import Agency, Team

from .enums import AuditVerb, Role
from .models import RoleGrant, User
from .passwords import send_password_link
from .services import end_every_session


def _check_team(agency: Agency, team: Team | None) -> None:
    if team is not None and team.agency_id != agency.pk:
        raise ServiceError(f"{team.name} is not a team of {agency.name}", field="team")


def _describe(roles: Iterable[str], agency: Agency, team: Team | None) -> str:
    named = ", ".join(sorted(Role(role).label for role in roles)) or "no roles"
    return f"{named}; {agency.name}; {team.name if team else 'no team'}"


def account_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str,
    agency: Agency,
    team: Team | None,
    roles: Iterable[Role],
    site: str,
    by: Actor,
) -> User:
    """Open an account. It has no password: the new person is e-mailed a link to set their
    own (an administrator never knows anyone's password)."""
    _check_team(agency, team)
    roles = sorted(set(roles))
    email = User.objects.normalize_email(email.strip())
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError("There is already an account with this email address", field="email")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                None,  # an unusable password until they set one
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                job_title=job_title.strip(),
                agency=agency,
                team=team,
            )
            RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
            audit(
                by=by,
                verb=AuditVerb.ACCOUNT_CREATED,
                obj=user,
                reason=_describe(roles, agency, team),
            )
            send_password_link(user=user, site=site, welcome=True, by=by)
    except IntegrityError:
        # Another administrator opened the same account a moment ago.
        raise ServiceError(
            "There is already an account with this email address", field="email"
        ) from None
    return user


def account_change(
    *,
    user: User,
    version: int,
    job_title: str,
    agency: Agency,
    team: Team | None,
    roles: Iterable[Role],
    by: Actor,
) -> User:
    """Change someone's roles, team, agency or job title. Refused if someone else changed the
    account since the page was opened (StaleEdit), and refused for an administrator taking
    their own administrator role away."""
    _check_team(agency, team)
    roles = sorted(set(roles))
    if user.pk == by.user.pk and Role.SYSTEM_ADMINISTRATOR not in roles:
        raise ServiceError(
            "You cannot take away your own system administrator role. "
            "Ask another system administrator to do it",
            field="roles",
        )
    before = _describe(user.role_grants.values_list("role", flat=True), user.agency, user.team)
    with transaction.atomic():
        versioned_update(
            user, version=version, job_title=job_title.strip(), agency=agency, team=team
        )
        user.role_grants.exclude(role__in=roles).delete()
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=user, role=role) for role in roles], ignore_conflicts=True
        )
        user.__dict__.pop("roles", None)  # the cached roles are out of date
        after = _describe(roles, agency, team)
        audit(by=by, verb=AuditVerb.ACCOUNT_CHANGED, obj=user, reason=f"From {before} to {after}")
    return user


def account_deactivate(*, user: User, by: Actor) -> None:
    """Close a leaver's account: they cannot sign in, and every session they have open ends at
    its next request (Django signs out an inactive user; the session generation is raised too,
    so nothing cached survives). The account and its audit trail are kept."""
    if user.pk == by.user.pk:
        raise ServiceError("You cannot close your own account")
    with transaction.atomic():
        closed = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False)
        if not closed:
            raise ServiceError("This account is already closed")
        end_every_session(user)
        audit(by=by, verb=AuditVerb.ACCOUNT_DEACTIVATED, obj=user, reason="Every session ended")
    user.refresh_from_db()


def account_reactivate(*, user: User, by: Actor) -> None:
    """Open a closed account again (someone who came back, or an account closed by mistake).
    Their roles are as they were: check them afterwards."""
    with transaction.atomic():
        opened = User.objects.filter(pk=user.pk, is_active=False).update(is_active=True)
        if not opened:
            raise ServiceError("This account is already open")
        audit(by=by, verb=AuditVerb.ACCOUNT_REACTIVATED, obj=user, reason="Roles kept as they were")
    user.refresh_from_db()


def account_unlock(*, user: User, by: Actor) -> None:
    """Lift a lockout after repeated wrong passwords, from every address."""
    with transaction.atomic():
        axes_reset(username=user.email)
        audit(by=by, verb=AuditVerb.ACCOUNT_UNLOCKED, obj=user, reason="From every address")


def account_send_password_link(*, user: User, site: str, by: Actor) -> None:
    """E-mail someone a link to set a new password (a lost welcome e-mail, a forgotten
    password). The administrator never sees the link."""
    if not user.is_active:
        raise ServiceError("This account is closed. Open it again first")
    with transaction.atomic():
        send_password_link(user=user, site=site, welcome=not user.has_usable_password(), by=by)
