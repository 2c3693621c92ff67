"""What only views know: the HTTP request. Views turn it into the signed-in user and the
`Actor` that services take (services never see the request)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from convene.access.models import User

from .services import Actor


def signed_in_user(request: HttpRequest) -> User:
    """The person making the request; every page but sign-in needs it (the middleware)."""
    assert isinstance(request.user, User)
    return request.user


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. With TRUSTED_PROXY_COUNT proxies in front of the
    service, the one the outermost trusted proxy saw: each proxy appends the address it was
    called from to X-Forwarded-For, so that is the entry that many from the right; anything
    further left was written by the client and proves nothing. Also used by django-axes."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def actor(request: HttpRequest, user: User | None = None) -> Actor:
    """Who is acting in this request, for the services and their audit rows."""
    return Actor(user=user or signed_in_user(request), ip=client_ip(request))
