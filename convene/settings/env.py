"""The one place Convene reads its configuration from the environment.

Every value is checked when settings load, and a bad one stops the service with a message
that names the variable, shows what was given and says what is expected.
"""

import builtins
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# The embedded database serves several threads at once (the web server's, the background
# dispatcher's): writers queue for up to 20 seconds instead of failing with "database is
# locked"; a transaction takes the write lock when it begins (so two cannot deadlock upgrading
# a read lock); write-ahead logging lets readers carry on while one writes.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
# PostgreSQL compiles a query it estimates as costly to machine code first (JIT). Convene's
# queries are short: the compiling took longer than the queries then ran (550 ms of a 600 ms
# query on the home page, 15 to 150 ms on the performance page's; decisions 0030 and 0032).
POSTGRESQL_OPTIONS = {"options": "-c jit=off"}
_DATABASE_SCHEMES = ("postgres", "postgresql", "pgsql", "sqlite")


class Env:
    """Typed reads of environment variables that fail loudly on a bad value."""

    def __init__(self, environ: Mapping[builtins.str, builtins.str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def _fail(
        self, name: builtins.str, value: builtins.str, expected: builtins.str
    ) -> ImproperlyConfigured:
        return ImproperlyConfigured(
            f"The environment variable {name} has a value Convene cannot use: {value!r}. "
            f"Expected {expected}."
        )

    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str:
        value = self._environ.get(name)
        if value is None or value == "":
            if default is None:
                raise ImproperlyConfigured(f"The environment variable {name} must be set.")
            return default
        return value

    def choice(
        self, name: builtins.str, default: builtins.str, choices: tuple[builtins.str, ...]
    ) -> builtins.str:
        value = self.str(name, default)
        if value not in choices:
            raise self._fail(name, value, "one of " + ", ".join(choices))
        return value

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise self._fail(name, value, "true or false (also 1/0, yes/no, on/off)")

    def int(self, name: builtins.str, default: builtins.int) -> builtins.int:
        value = self._environ.get(name)
        if value is None or value.strip() == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise self._fail(name, value, "a whole number") from None

    def list(
        self, name: builtins.str, default: builtins.list[builtins.str] | None = None
    ) -> builtins.list[builtins.str]:
        value = self._environ.get(name)
        if value is None:
            if default is None:
                raise ImproperlyConfigured(f"The environment variable {name} must be set.")
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def database(self, name: builtins.str, default: builtins.str) -> dict[builtins.str, Any]:
        value = self._environ.get(name) or default
        scheme = value.split("://", 1)[0] if "://" in value else ""
        expected = (
            "a database address such as postgres://user@127.0.0.1:5432/convene "
            "or sqlite:///var/convene.sqlite3"
        )
        if scheme not in _DATABASE_SCHEMES:
            raise self._fail(name, value, expected)
        try:
            # Each process keeps its connection for a minute (not one per request), and checks
            # it still works before reusing it after a request (docs/decisions/0031).
            config: dict[builtins.str, Any] = dict(
                dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
            )
        except ValueError:
            raise self._fail(name, value, expected) from None
        if not config.get("NAME"):
            raise self._fail(name, value, expected + " (the address names no database)")
        if config["ENGINE"].endswith("sqlite3"):
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
            config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        elif "postgresql" in config["ENGINE"]:
            config["OPTIONS"] = {**POSTGRESQL_OPTIONS, **config.get("OPTIONS", {})}
        return config

    def optional_database(self, name: builtins.str) -> dict[builtins.str, Any] | None:
        """A database address that may be left unset (None then)."""
        if not self._environ.get(name):
            return None
        return self.database(name, "")


env = Env()
