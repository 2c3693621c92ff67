"""Production: secrets and hosts must come from the environment; HTTPS everywhere."""

from pathlib import Path

from .base import *  # noqa: F403
from .env import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "The environment variable SECRET_KEY must be a random value of at least 50 characters."
    )

# Every account signs in with a second factor (issue 14); set false only for a trial.
CONVENE_REQUIRE_MFA = env.bool("CONVENE_REQUIRE_MFA", True)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000  # two years
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# WhiteNoise serves the built static files straight after the security middleware.
MIDDLEWARE = [*MIDDLEWARE[:1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Collected by `manage.py collectstatic` on each web machine (var/static unless set).
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(STATIC_ROOT)))  # noqa: F405
# A file whose name carries its content's hash (every file the pages link to, through the
# manifest) is sent with "max-age=315360000, public, immutable": browsers and caches keep it
# for ever, and a new version has a new name. WhiteNoise does this by itself; what is left,
# a file asked for by its plain name, is cached for a minute only.
WHITENOISE_MAX_AGE = 60

# Messages are sent by a Celery worker on Redis (README: Running it in production); set
# NOTIFICATIONS_DISPATCH=embedded to run without one on a single small server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
NOTIFICATIONS_DISPATCH = env.choice(
    "NOTIFICATIONS_DISPATCH",
    "celery",
    NOTIFICATIONS_DISPATCH_MODES,  # noqa: F405
)
