"""Tests: SQLite by default, PostgreSQL when DATABASE_URL is set (as CI does)."""

from .base import *  # noqa: F403

DEBUG = False
# Tests run on one database: with DATABASE_REPLICA_URL set, a test's unsaved transaction would
# be invisible to the replica's connection. The router has its own tests.
DATABASES.pop("replica", None)  # noqa: F405
# Argon2 is deliberately slow; tests that check hashing use the production list explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PRODUCTION_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Messages are sent straight after each commit, so tests see them without a background thread.
NOTIFICATIONS_DISPATCH = env.choice(  # noqa: F405
    "NOTIFICATIONS_DISPATCH",
    "celery" if CELERY_BROKER_URL else "on_commit",  # noqa: F405
    NOTIFICATIONS_DISPATCH_MODES,  # noqa: F405
)
