"""What every form page does with a valid POST: call the service; if someone else saved first,
refuse with the latest version and keep what can be kept (STYLE.md: "This changed since you
opened it" and nothing is lost); if the service refuses, say why on the form, against the field
it is about; otherwise say it is done. Each view keeps what differs: who may, the form, the
service call, the message and where to go next."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import HttpRequest, QueryDict

from .models import SubmittedForm
from .services import ServiceError, StaleEdit
from .web import signed_in_user

__all__ = ["error_on_form", "latest", "posted", "signed_in_user", "submit", "typed_again"]

F = TypeVar("F", bound=forms.Form)
M = TypeVar("M", bound=Model)
R = TypeVar("R")


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a form, or None on a GET so the form is unbound."""
    return request.POST if request.method == "POST" else None


def latest(record: M) -> M:
    """The record as now saved, after someone else's change."""
    record.refresh_from_db()
    return record


def typed_again(request: HttpRequest, record: Model) -> QueryDict:
    """What was submitted, against the record as now saved: for the form shown after a stale
    edit, so nothing typed is lost and it can be saved again on the latest version."""
    data = request.POST.copy()
    data["version"] = str(latest(record).version)  # type: ignore[attr-defined]
    return data


ONCE = "once"


def _carry_token(form: forms.Form) -> None:
    if ONCE not in form.fields:
        # Never an error on the form (a hidden field's error could not be shown): a token that
        # is not a UUID is no token.
        field = forms.CharField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)
        form.fields[ONCE] = field
        form._errors = None  # type: ignore[attr-defined]  # validated again, with the token


def _token(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _first_time(token: uuid.UUID, request: HttpRequest) -> bool:
    """Claim the token (inside the caller's transaction, so a refused save frees it again)."""
    try:
        with transaction.atomic():
            SubmittedForm.objects.create(token=token, user=signed_in_user(request))
    except IntegrityError:
        return False
    return True


def error_on_form(form: forms.Form, error: ServiceError) -> None:
    """Each problem against its field when the form has it, otherwise at the top."""
    for field, message in error.problems.items():
        form.add_error(field if field in form.fields else None, message)
    if not error.problems:
        form.add_error(None, error.message)


def submit(
    request: HttpRequest,
    form: F,
    save: Callable[[dict[str, Any]], R],
    *,
    success: str | Callable[[R], str],
    reload: Callable[[], F] | None = None,
) -> tuple[F, bool]:
    """Save a valid POST with `save(cleaned_data)`. Returns the form to show again and whether
    it was saved, so the view can redirect.

    Every form shown through here carries a one-time token (`once`): a second submission of
    the same form — a double click, a resent request — saves nothing and goes where the first
    went (issue 14, finding 7).

    A stale edit shows `reload()` (the form bound again against the latest saved version, with
    what they typed) when given, else the same form, with the stale-edit message on top."""
    _carry_token(form)
    if request.method != "POST" or not form.is_valid():
        return form, False
    data = dict(form.cleaned_data)
    token = _token(data.pop(ONCE, ""))
    try:
        with transaction.atomic():
            if token is not None and not _first_time(token, request):
                messages.info(request, "This was already saved. It has not been saved twice.")
                return form, True
            result = save(data)
    except StaleEdit as stale:
        if reload is not None:
            form = reload()
            _carry_token(form)
            form.is_valid()
        form.add_error(None, stale.message)
        return form, False
    except ServiceError as error:
        error_on_form(form, error)
        return form, False
    messages.success(request, success(result) if callable(success) else success)
    return form, True
