"""WSGI entry point. Production runs with DJANGO_SETTINGS_MODULE=convene.settings.production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings.production")
application = get_wsgi_application()

# Without a broker (NOTIFICATIONS_DISPATCH=embedded), each web process sends the outbox from a
# background thread: convene/notifications/embedded.py.
from convene.notifications import embedded  # noqa: E402

embedded.start()
