"""People who sign in, the roles they hold, and the append-only audit trail."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import chain
from .enums import AuditVerb, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """Someone who signs in. Every user belongs to an agency and holds one or more roles."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="users")
    team = models.ForeignKey(
        "people.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=200, blank=True)
    # Raised by "sign out everywhere": every session made before it stops being valid.
    session_generation = models.PositiveIntegerField(default=0)
    # Raised by each change a system administrator makes (core.services.versioned_update), so
    # two administrators changing the same account at once cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name", "agency"]

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django checks this hash on every request; mixing in the generation means raising
        # it ends every existing session of this user, on every device.
        return salted_hmac(
            "convene.access.User.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @cached_property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds (one query per request, then cached)."""
        return frozenset(Role(code) for code in self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class SsoGroupMapping(models.Model):
    """A group in the council's identity provider, and what its members are in Convene: a role,
    in an agency, and perhaps a team (convene/access/sso.py). A group with no row gives nothing:
    deny by default. The system administrator keeps these on the single sign-on page."""

    group = models.CharField("group in the identity provider", max_length=200)
    role = models.CharField(max_length=40, choices=Role.choices)
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        "people.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["group", "role"]
        constraints = [
            models.UniqueConstraint(fields=["group", "role"], name="one_mapping_per_group_role")
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_role_display()}"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit records cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records cannot be deleted.")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        """Append the rows, in order, to the chain: one INSERT (per batch), one lock."""
        events = list(objs)
        with transaction.atomic(using=self.db):
            previous = self.model.chain_head()
            for event in events:
                event.prev_hash = previous
                event.hash = previous = chain.row_hash(event.chain_values())
            return super().bulk_create(events, *args, **kwargs)


class AuditEvent(models.Model):
    """One thing someone did. Written in the same transaction as the change it records.

    Append-only and tamper-evident (docs/decisions/0018-tamper-evident-audit.md): the model
    refuses updates and deletes; the database refuses them too (triggers on PostgreSQL and
    SQLite, and the application's database role has no right to them); and each row carries a
    hash chained to the row before it, which `manage.py verify_audit` checks.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    verb = models.CharField(max_length=40, choices=AuditVerb.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # The hash chain: the previous row's hash, and this row's (chain.row_hash).
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"], name="audit_child_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor}: {self.get_verb_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit records cannot be changed.")
        # Inside a transaction (a savepoint of the caller's), so that the lock is held until
        # the caller commits and no other append can chain to the same row meanwhile.
        with transaction.atomic():
            self.prev_hash = self.chain_head()
            self.hash = chain.row_hash(self.chain_values())
            super().save(*args, **kwargs)

    @classmethod
    def chain_head(cls) -> str:
        """The last row's hash, with the lock that keeps it the last until this transaction
        ends (call inside one)."""
        chain.lock_appends(connection)
        last = cls.objects.order_by("-id").values_list("hash", flat=True).first()
        return last or chain.GENESIS

    def chain_values(self) -> dict[str, Any]:
        """What the row's hash covers, as the database will hold it."""
        values = {name: getattr(self, name) for name in chain.HASHED_FIELDS}
        ip_field = AuditEvent._meta.get_field("ip_address")
        assert isinstance(ip_field, models.GenericIPAddressField)
        values["ip_address"] = ip_field.get_prep_value(self.ip_address)
        return values

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records cannot be deleted.")
