"""The demo as people would meet it (`make run`): the development database and demo data, but
with the debug pages off (a mistyped address shows the service's own "Page not found"), the
static files collected and served by WhiteNoise, and a real WSGI server (Waitress) in front.
docs/decisions/0026-make-run.md.
"""

from pathlib import Path

from .dev import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", False)
# `make run` collects the static files here (var/static unless set).
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(STATIC_ROOT)))  # noqa: F405
# WhiteNoise serves the collected static files straight after the security middleware, as in
# production.
MIDDLEWARE = [*MIDDLEWARE[:1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
