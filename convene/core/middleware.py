"""What every response and every signed-in request gets, whatever the page (issue 14)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

SIGNED_IN_AT = "convene_signed_in_at"

Handler = Callable[[HttpRequest], HttpResponse]


class SessionLifetimeMiddleware:
    """A sign-in lasts a working day at most (SESSION_ABSOLUTE_SECONDS), however busy: then
    the person signs in again. The idle limit is the session cookie's age."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request, "You have been signed out because you signed in over a day ago."
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """No page of the service may be kept by a browser or a proxy (personal data: issue 14,
    finding 5), and the browser features it never uses are switched off (finding 6)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
