"""What only views know: the HTTP request. Views turn it into the signed-in user and the
`Actor` that services take (services never see the request)."""

from __future__ import annotations

from django.http import HttpRequest

from convene.access.models import User

from .services import Actor


def signed_in_user(request: HttpRequest) -> User:
    """The person making the request; every page but sign-in needs it (the middleware)."""
    assert isinstance(request.user, User)
    return request.user


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the web server saw it."""
    return request.META.get("REMOTE_ADDR") or None


def actor(request: HttpRequest, user: User | None = None) -> Actor:
    """Who is acting in this request, for the services and their audit rows."""
    return Actor(user=user or signed_in_user(request), ip=client_ip(request))
