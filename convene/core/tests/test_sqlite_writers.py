"""The embedded SQLite database queues writers (issue 14, finding 8: six simultaneous saves
gave five "database is locked" errors). Several threads write at once in `make run`: the web
server's, and the dispatcher's beside it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connections, transaction

from convene.settings.env import Env

ALIAS = "sqlite_writers"


@pytest.fixture
def file_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_db_blocker):
    """A file database configured exactly as DATABASE_URL=sqlite:///… configures one (not the
    test database, which is in memory or on PostgreSQL)."""
    with django_db_blocker.unblock():
        yield from _file_database(tmp_path, monkeypatch)


def _file_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CONVENE_TEST_SQLITE", f"sqlite:///{tmp_path / 'convene.sqlite3'}")
    config = Env().database("CONVENE_TEST_SQLITE", "")
    configured = connections.configure_settings(
        {"default": connections.settings["default"], ALIAS: config}
    )
    connections.settings[ALIAS] = configured[ALIAS]
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("CREATE TABLE record (id INTEGER PRIMARY KEY, version INTEGER)")
        cursor.execute("INSERT INTO record VALUES (1, 1)")
    yield config
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def test_the_file_database_uses_write_ahead_logging_and_waits_for_the_lock(file_database):
    assert file_database["OPTIONS"]["timeout"] >= 5
    assert file_database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_six_saves_at_once_each_wait_their_turn_and_none_fails(file_database):
    """Each save reads the record, then writes it (as a versioned update does): with a deferred
    transaction two readers cannot both become writers, and one fails at once whatever the
    busy timeout. Taken at the start, the write lock makes them queue instead."""
    errors: list[Exception] = []
    start = threading.Barrier(6)

    def save() -> None:
        try:
            start.wait()
            with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT version FROM record WHERE id = 1")
                (version,) = cursor.fetchone()
                time.sleep(0.05)  # the work between reading and writing
                cursor.execute("UPDATE record SET version = %s WHERE id = 1", [version + 1])
        except OperationalError as error:
            errors.append(error)
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=save) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT version FROM record WHERE id = 1")
        assert cursor.fetchone()[0] == 7  # no save lost
