from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convene import policy
from convene.access.models import User
from convene.core.clock import today
from convene.core.forms_flow import submit
from convene.core.services import StaleEdit
from convene.core.web import actor
from convene.timescales import Nation, get_profile
from convene.timescales.rules import add_months

from . import selectors, services
from .forms import AuthoritySettingsForm, ClosureDayForm, GlossaryTermForm, LettersForm
from .models import ClosureDay, GlossaryTerm

STALE = "This changed since you opened it. Check the settings below and make your change again."


def timescales(request: HttpRequest) -> HttpResponse:
    """The authority's timescales, for anyone signed in: what is due when, and why."""
    settings = selectors.authority_settings()
    procedures = selectors.authority_procedures()
    start = today()
    context = {
        "settings": settings,
        "procedures": procedures,
        "parent": get_profile(procedures.inherits) if procedures.inherits else None,
        "groups": selectors.timescale_groups(procedures),
        "days_off": selectors.days_off(procedures, start=start, end=add_months(start, 12)),
        "can_manage": policy.can_manage_authority_settings(request.user),
    }
    return render(request, "authority/timescales.html", context)


@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    policy.require(policy.can_manage_authority_settings(request.user))
    assert isinstance(request.user, User)
    current = selectors.authority_settings()
    initial = {
        "profile": current.profile,
        "nation": current.nation,
        "child_population": current.child_population,
        "version": current.version,
    }
    form = AuthoritySettingsForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.authority_settings_update(
                profile=form.cleaned_data["profile"],
                nation=Nation(form.cleaned_data["nation"]),
                child_population=form.cleaned_data["child_population"],
                version=form.cleaned_data["version"],
                by=actor(request),
            )
        except StaleEdit:
            latest = selectors.authority_settings()
            form = AuthoritySettingsForm(
                {
                    "profile": latest.profile,
                    "nation": latest.nation,
                    "child_population": latest.child_population or "",
                    "version": latest.version,
                }
            )
            form.is_valid()
            form.add_error(None, STALE)
        else:
            messages.success(request, "Your authority's procedures have been changed")
            return redirect("authority:timescales")
    return render(request, "authority/settings_edit.html", {"form": form})


@require_http_methods(["GET", "POST"])
def closure_days(request: HttpRequest) -> HttpResponse:
    policy.require(policy.can_manage_authority_settings(request.user))
    assert isinstance(request.user, User)
    form = ClosureDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.closure_day_add(
                day=form.cleaned_data["date"],
                description=form.cleaned_data["description"],
                by=actor(request),
            )
        except services.DuplicateClosureDay:
            form.add_error("date", "That date is already a closure day")
        else:
            messages.success(request, f"{closure} added as a closure day")
            return redirect("authority:closure-days")
    context = {"form": form, "closures": ClosureDay.objects.all()}
    return render(request, "authority/closure_days.html", context)


@require_POST
def closure_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(policy.can_manage_authority_settings(request.user))
    assert isinstance(request.user, User)
    closure = get_object_or_404(ClosureDay, pk=pk)
    services.closure_day_remove(closure=closure, by=actor(request))
    messages.success(request, f"{closure} is no longer a closure day")
    return redirect("authority:closure-days")


@require_http_methods(["GET", "POST"])
def letters_settings(request: HttpRequest) -> HttpResponse:
    """The letterhead, signature, contacts, logo and Word template of every letter."""
    policy.require(policy.can_manage_authority_settings(request.user))
    current = selectors.authority_settings()
    initial = {name: getattr(current, name) for name in services.LETTER_FIELDS}
    form = LettersForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={**initial, "version": current.version},
    )

    def upload(name: str) -> tuple[str, bytes] | None:
        file = request.FILES.get(name)
        return (file.name or name, file.read()) if file is not None else None

    _, saved = submit(
        request,
        form,
        lambda d: services.letters_settings_update(
            values=d,
            logo=upload("logo"),
            word_template=upload("word_template"),
            version=d["version"],
            by=actor(request),
        ),
        success="The letter settings have been saved",
    )
    if saved:
        return redirect("authority:letters")
    return render(request, "authority/letters.html", {"form": form, "current": current})


@require_GET
def default_word_template(request: HttpRequest) -> HttpResponse:
    """The Word template Convene uses, for the authority to brand in Word."""
    policy.require(policy.can_manage_authority_settings(request.user))
    from convene.conferences.letters.render import DOCX
    from convene.conferences.letters.render import default_word_template as template

    response = HttpResponse(template(), content_type=DOCX)
    response["Content-Disposition"] = 'attachment; filename="convene-letter-template.docx"'
    return response


@require_http_methods(["GET", "POST"])
def glossary(request: HttpRequest) -> HttpResponse:
    """The words a family's letter must explain or avoid."""
    policy.require(policy.can_manage_authority_settings(request.user))
    form, saved = submit(
        request,
        GlossaryTermForm(request.POST if request.method == "POST" else None),
        lambda d: services.glossary_term_add(
            term=d["term"], meaning=d["meaning"], avoid=d["avoid"], by=actor(request)
        ),
        success="The word has been added to the glossary",
    )
    if saved:
        return redirect("authority:glossary")
    context = {"form": form, "terms": GlossaryTerm.objects.all()}
    return render(request, "authority/glossary.html", context)


@require_POST
def glossary_remove(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(policy.can_manage_authority_settings(request.user))
    entry = get_object_or_404(GlossaryTerm, pk=pk)
    services.glossary_term_remove(entry=entry, by=actor(request))
    messages.success(request, f"{entry.term} is no longer in the glossary")
    return redirect("authority:glossary")
