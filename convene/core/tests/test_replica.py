"""Reports read from the read replica when there is one; everything else, and every write,
stays on the primary (convene/core/replica.py, docs/decisions/0031)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import router
from django.test import Client
from django.urls import reverse

from convene.access.enums import Role
from convene.core.replica import ReplicaRouter, reports_replica
from convene.people.models import Child
from convene.settings.env import Env
from convene.testing.factories import ChildFactory, UserFactory


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | None]]:
    """A replica configured, and every read's routing recorded. The reads still run on the
    test database (a test's unsaved rows are not on any other connection)."""
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    decided: list[str | None] = []
    route = ReplicaRouter.db_for_read

    def recorded(self: ReplicaRouter, model: type[Any], **hints: Any) -> None:
        decided.append(route(self, model, **hints))

    monkeypatch.setattr(ReplicaRouter, "db_for_read", recorded)
    yield decided


def test_reads_inside_reports_go_to_the_replica_and_nothing_else_does(monkeypatch):
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    assert Child.objects.all().db == "default"
    with reports_replica():
        assert Child.objects.all().db == "replica"
        # Writes, and reads taken to write (row locks), stay on the primary.
        assert router.db_for_write(Child) == "default"
        assert Child.objects.select_for_update().db == "default"
    assert Child.objects.all().db == "default"


def test_without_a_replica_reports_read_from_the_primary():
    assert "replica" not in settings.DATABASES
    with reports_replica():
        assert Child.objects.all().db == "default"


def test_only_the_primary_is_migrated():
    assert ReplicaRouter().allow_migrate("default", "people") is True
    assert ReplicaRouter().allow_migrate("replica", "people") is False


@pytest.mark.django_db
def test_the_performance_page_reads_its_figures_from_the_replica(client: Client, replica):
    client.force_login(UserFactory.create(roles=[Role.SENIOR_MANAGER]))
    assert client.get(reverse("returns:performance")).status_code == 200
    assert "replica" in replica


@pytest.mark.django_db
def test_other_pages_never_read_from_the_replica(client: Client, replica):
    client.force_login(UserFactory.create(roles=[Role.SENIOR_MANAGER]))
    ChildFactory.create()
    assert client.get(reverse("people:child-list")).status_code == 200
    assert client.get(reverse("core:home")).status_code == 200
    assert replica and "replica" not in replica


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    [
        ["kpis", "--year", "2025-26", "--format", "json"],
        ["export_annex_a", "--as-of", "2026-11-24", "--output", "{tmp}/annex-a.xlsx"],
        ["export_cin_census", "--year", "2025-26", "--output", "{tmp}/cin.xml", "--lea", "123"],
    ],
)
def test_the_report_commands_read_only_from_the_replica(command, replica, tmp_path: Path):
    ChildFactory.create(date_of_birth=date(2020, 1, 1))
    replica.clear()
    call_command(*(part.format(tmp=tmp_path) for part in command), stdout=StringIO())
    assert replica and set(replica) == {"replica"}


def test_a_replica_address_is_optional_and_checked_like_the_primary():
    assert Env({}).optional_database("DATABASE_REPLICA_URL") is None
    config = Env(
        {"DATABASE_REPLICA_URL": "postgres://reader@replica.internal:5432/convene"}
    ).optional_database("DATABASE_REPLICA_URL")
    assert config is not None
    assert (config["HOST"], config["NAME"]) == ("replica.internal", "convene")
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True
