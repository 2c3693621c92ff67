"""Pages for the convening stage of a conference."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import URLPattern

from convene.access.models import User
from convene.conferences.models import Conference

urlpatterns: list[URLPattern] = []


def overview_context(conference: Conference, user: User, today: date) -> dict[str, Any]:
    """What the conference's overview page shows for this stage."""
    return {}
