"""WSGI entry point. Production runs with DJANGO_SETTINGS_MODULE=convene.settings.production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings.production")
application = get_wsgi_application()
