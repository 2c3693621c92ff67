"""What every form page of a conference's stages does with a valid POST: call the service; if
someone else saved first, refuse with the latest version and keep what can be kept (STYLE.md:
"This changed since you opened it" and nothing is lost); if the service refuses, say why on the
form; otherwise say it is done. Each view keeps what differs: who may, the form, the service
call, the message and where to go next."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, QueryDict

from convene.access.models import User

F = TypeVar("F", bound=forms.Form)
M = TypeVar("M", bound=Model)
R = TypeVar("R")

Errors = type[Exception] | tuple[type[Exception], ...]


def signed_in_user(request: HttpRequest) -> User:
    """The person making the request; every conference page needs sign-in (the middleware)."""
    assert isinstance(request.user, User)
    return request.user


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a form, or None on a GET so the form is unbound."""
    return request.POST if request.method == "POST" else None


def latest(record: M) -> M:
    """The record as now saved, after someone else's change."""
    record.refresh_from_db()
    return record


def error_on_form(form: forms.Form, error: Exception) -> None:
    form.add_error(None, str(error))


@dataclasses.dataclass(frozen=True)
class Stale(Generic[F]):
    """How to refuse an edit made from a stale page: the service's exception, what to tell the
    person, and the form bound again against the latest saved version."""

    error: type[Exception]
    message: str
    reload: Callable[[], F]


def submit(
    request: HttpRequest,
    form: F,
    save: Callable[[dict[str, Any]], R],
    *,
    success: str | Callable[[R], str],
    refused: Errors,
    show: Callable[[F, Exception], None] = error_on_form,
    stale: Stale[F] | None = None,
) -> tuple[F, bool]:
    """Save a valid POST with `save(cleaned_data)`. Returns the form to show again (a new one
    after a stale edit) and whether it was saved, so the view can redirect."""
    if request.method != "POST" or not form.is_valid():
        return form, False
    stale_errors: Errors = (stale.error,) if stale else ()
    try:
        result = save(form.cleaned_data)
    except stale_errors:
        assert stale is not None
        form = stale.reload()
        form.is_valid()
        form.add_error(None, stale.message)
        return form, False
    except refused as error:
        show(form, error)
        return form, False
    messages.success(request, success(result) if callable(success) else success)
    return form, True
