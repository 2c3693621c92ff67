from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _protect_the_audit_trail(using: str, **kwargs: Any) -> None:
    # Again after every migrate (and every test flush): on SQLite a migration that rebuilds
    # the table would otherwise leave it without its triggers.
    from . import chain

    chain.install_protection(connections[using])


class AccessConfig(AppConfig):
    name = "convene.access"
    verbose_name = "Sign-in, roles, access policy and audit"

    def ready(self) -> None:
        post_migrate.connect(_protect_the_audit_trail, sender=self)
