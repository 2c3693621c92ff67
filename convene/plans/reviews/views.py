"""Pages for this stage of a child protection plan's life (to be built)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
