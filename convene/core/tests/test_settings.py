import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from convene.settings.env import Env

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("value", ["nonsense", "mysql//x", "postgres://host:5432/", "ftp://x/y"])
def test_a_bad_database_url_is_refused_with_a_clear_message(value):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL") as error:
        Env({"DATABASE_URL": value}).database("DATABASE_URL", "sqlite:///x.sqlite3")
    assert "Expected a database address" in str(error.value)


def test_a_postgres_database_url_is_understood():
    config = Env({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/convene"}).database(
        "DATABASE_URL", "sqlite:///x"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "convene"
    # Short queries are not compiled first (decision 0030).
    assert config["OPTIONS"] == {"options": "-c jit=off"}


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("0", False), ("Yes", True)])
def test_booleans_accept_the_usual_spellings(value, expected):
    assert Env({"DEBUG": value}).bool("DEBUG", False) is expected


def test_a_bad_boolean_or_number_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG.*'maybe'"):
        Env({"DEBUG": "maybe"}).bool("DEBUG", False)
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_PORT.*whole number"):
        Env({"EMAIL_PORT": "twenty-five"}).int("EMAIL_PORT", 25)


def test_a_required_variable_that_is_missing_is_named():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        Env({}).str("SECRET_KEY")


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_service_will_not_start_with_database_url_nonsense():
    result = _manage("check", DATABASE_URL="nonsense")
    assert result.returncode != 0
    assert "DATABASE_URL has a value Convene cannot use: 'nonsense'" in result.stderr


def test_production_settings_pass_the_deployment_checks_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="convene.settings.production",
        SECRET_KEY="k" * 30 + "-a-long-random-looking-production-key-0123456789",
        ALLOWED_HOSTS="convene.example",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage(
        "check", DJANGO_SETTINGS_MODULE="convene.settings.production", ALLOWED_HOSTS="x.example"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
