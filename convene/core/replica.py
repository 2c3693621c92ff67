"""Reports read from PostgreSQL's read replica, when there is one (docs/deployment.md).

The performance page and its lists, the children in need census, the Ofsted Annex A lists
and the indicators command read a lot and write nothing: they run inside `reports_replica()`,
and while they do, the router sends every read to the `replica` database (set by
DATABASE_REPLICA_URL). Everything else, and every write wherever it happens (an audit row, a
session), goes to `default`. With no replica configured everything goes to `default`.

A replica lags the primary by a moment: only code that can show figures a second old belongs
inside `reports_replica()` (never a page that reads back what someone has just saved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("reporting", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def reports_replica() -> Iterator[None]:
    """Reads inside this block go to the replica, if one is configured."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reads_from_replica(function: Callable[P, R]) -> Callable[P, R]:
    """A view or command method whose reads go to the replica, if one is configured."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with reports_replica():
            return function(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Reads inside `reports_replica()` to the replica; everything else to `default`."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reporting.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None  # the next router, or default

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        # Also for a record read from the replica and then saved.
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the same database: a record read there may point at one
        # read from default.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica follows the primary's schema by replication; migrate only default.
        return db == "default"
