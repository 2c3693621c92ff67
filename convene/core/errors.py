"""GOV.UK-style error pages. They never need a database query, so they render even when the
database is down."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("404.html", request=request), status=404)


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("403.html", request=request), status=403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the page must not touch the session or the database.
    return HttpResponse(loader.render_to_string("500.html"), status=500)
