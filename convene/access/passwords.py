"""Passwords of local accounts (docs/decisions/0022-account-management.md): changing one's own,
and setting one through a link sent by e-mail (a new account, or a forgotten password).

The link carries Django's password reset token: it is signed with the secret key over the
account's current password and last sign-in, so it stops working as soon as it is used (the
password changes) and after PASSWORD_RESET_TIMEOUT seconds. The e-mail goes through the outbox
(convene.notifications), in the same transaction as its audit row."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from convene.core.services import Actor, audit
from convene.notifications.gateway import gateway

from .enums import AuditVerb
from .models import User
from .services import end_every_session


def link_hours() -> int:
    from django.conf import settings

    return int(settings.PASSWORD_RESET_TIMEOUT // 3600)


def password_link(user: User, site: str) -> str:
    """The address of the page that sets this person's password, valid once."""
    path = reverse(
        "access:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site.rstrip("/") + path


def send_password_link(
    *, user: User, site: str, welcome: bool, by: Actor | None, once_per: str = ""
) -> None:
    """E-mail the link (inside the caller's transaction, with its audit row). With `once_per`,
    one e-mail at most under that reference: repeated requests do not flood an inbox."""
    link = password_link(user, site)
    hours = link_hours()
    if welcome:
        subject = "Your Convene account: set your password"
        opening = (
            f"Dear {user.get_full_name()},\n\nAn account has been opened for you on Convene, "
            "the service for child protection conferences. To start, set your password:"
        )
    else:
        subject = "Convene: set a new password"
        opening = (
            f"Dear {user.get_full_name()},\n\nSomeone asked to set a new password for your "
            "Convene account. If it was you, set your new password here:"
        )
    body = (
        f"{opening}\n\n{link}\n\nThe link works once, for {hours} hours. After you set "
        "your password you will set up an authenticator app on your phone.\n\n"
        "If you did not expect this e-mail, tell your system administrator. Nobody from "
        "the service will ever ask you for your password."
    )
    if once_per:
        queued = gateway().send_email(
            to=user.email, subject=subject, body=body, reference=once_per, once=True
        )
        if not queued:
            return
    else:
        gateway().send_email(to=user.email, subject=subject, body=body)
    audit(by=by, verb=AuditVerb.PASSWORD_LINK_SENT, obj=user, reason=subject)


# Asked for from the sign-in page: one e-mail per account in each window of this many seconds.
REQUEST_WINDOW_SECONDS = 5 * 60


def password_reset_request(*, email: str, site: str, ip: str | None, now: datetime) -> None:
    """Someone who cannot sign in asks for a link. It is sent only to an open account with this
    address, once in each five-minute window; whether one exists is never shown to whoever
    asked (the page says the same either way)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    with transaction.atomic():
        window = int(now.timestamp()) // REQUEST_WINDOW_SECONDS
        send_password_link(
            user=user,
            site=site,
            welcome=False,
            by=Actor(user=user, ip=ip),
            once_per=f"password-link-{user.pk}-{window}",
        )


def password_reset_complete(*, user: User, password: str, by: Actor) -> None:
    """Set the password chosen through the link (already validated); every session the person
    had ends, so whoever may have had their old password is signed out everywhere."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        end_every_session(user)
        audit(by=by, verb=AuditVerb.PASSWORD_RESET, obj=user, reason="Every other session ended")
    user.refresh_from_db()


def password_change(*, user: User, password: str, by: Actor) -> None:
    """A signed-in person changes their own password (the current one already checked). Their
    other sessions end with it (the session hash covers the password); the view keeps the
    session they are using."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit(by=by, verb=AuditVerb.PASSWORD_CHANGED, obj=user, reason="Every other session ended")
