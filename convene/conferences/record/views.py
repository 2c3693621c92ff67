"""Pages for the conference record: drafting it from the meeting, editing and marking
sections, signing, correcting with a new version, the chair's decisions on copies, sending,
amendments, and reading or downloading any version (London CP4 §4.1, §5.10, §14.4 to §14.8).

Access is decided only by convene.policy; a page someone may not use is a 404. Every download
is audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from convene.authority.selectors import authority_procedures
from convene.conferences.letters import render as draw
from convene.conferences.letters.branding import authority_branding, word_template
from convene.conferences.letters.enums import CopyChoice, DocumentStatus, Format, Scope
from convene.conferences.letters.forms import (
    AmendmentForm,
    AnswerForm,
    CopyDecisionForm,
    CorrectForm,
    RecipientsForm,
    RepresentativeForm,
    SectionForm,
    VersionForm,
)
from convene.conferences.letters.rules import record_due
from convene.conferences.letters.selectors import permitted_on
from convene.conferences.letters.services import document_downloaded
from convene.conferences.letters.views import choice, conference_for, file_response
from convene.conferences.record import selectors, services
from convene.conferences.record.models import (
    AmendmentRequest,
    LegalRepresentative,
    RecordSection,
)
from convene.conferences.record.rules import VERSION, VersionAction
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.forms_flow import posted, submit
from convene.core.web import actor

A = ConferenceAction
V = VersionAction


@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record: its latest version's sections, signing, correcting, and every version."""
    user, on, conference = conference_for(request, pk, A.SEE_DOCUMENTS)
    offered = permitted_on(user, conference, today=on)
    found = selectors.record_of(conference)
    by = actor(request, user)
    which = request.POST.get("which") if request.method == "POST" else None
    latest = selectors.versions(found)[-1] if found else None
    forms = {
        "sign": VersionForm(
            posted(request) if which == "sign" else None,
            prefix="sign",
            initial={"version": latest.version if latest else 1},
        ),
        "correct": CorrectForm(
            posted(request) if which == "correct" else None,
            prefix="correct",
            initial={"version": found.version if found else 1},
        ),
    }
    can = {
        "start": found is None and A.WRITE_RECORD in offered,
        "edit": latest is not None
        and A.WRITE_RECORD in offered
        and VERSION.allows(V.EDIT, latest.status),
        "sign": latest is not None
        and A.SIGN_DOCUMENTS in offered
        and VERSION.allows(V.SIGN, latest.status),
        "correct": latest is not None
        and A.SIGN_DOCUMENTS in offered
        and VERSION.allows(V.CORRECT, latest.status),
    }
    if which == "start" and can["start"]:
        _, saved = submit(
            request,
            VersionForm({"version": 1}),
            lambda d: services.record_start(conference=conference, by=by, today=on),
            success="The record has been drafted from the meeting: check and edit each section",
        )
        if saved:
            return redirect("conferences:record", pk=conference.pk)
    elif which == "sign" and can["sign"] and latest is not None:
        form, saved = submit(
            request,
            forms["sign"],
            lambda d: services.record_sign(
                record_version=latest, version=d["version"], by=by, today=on
            ),
            success=f"You have signed version {latest.number} of the record",
        )
        if saved:
            return redirect("conferences:record", pk=conference.pk)
        forms["sign"] = form
    elif which == "correct" and can["correct"] and found is not None:
        form, saved = submit(
            request,
            forms["correct"],
            lambda d: services.record_correct(
                record=found, reason=d["reason"], version=d["version"], by=by
            ),
            success=lambda v: f"Version {v.number} has been started: edit it, then sign it",
        )
        if saved:
            return redirect("conferences:record", pk=conference.pk)
        forms["correct"] = form
    assert conference.date is not None
    context = {
        "conference": conference,
        "record": found,
        "latest": latest,
        "versions": selectors.versions(found) if found else [],
        "sections": selectors.sections(latest) if latest else [],
        "can": can,
        "offered": offered,
        "forms": forms,
        "form": forms.get(which or ""),
        "due": record_due(authority_procedures(), conference_date=conference.date, today=on),
    }
    return render(request, "conferences/record/record.html", context)


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    user, on, conference = conference_for(request, pk, A.WRITE_RECORD)
    section = get_object_or_404(
        RecordSection.objects.select_related("record_version__record__conference"),
        pk=section_pk,
        record_version__record__conference=conference,
    )
    editable = A.WRITE_RECORD in permitted_on(user, conference, today=on) and VERSION.allows(
        V.EDIT, section.record_version.status
    )
    context = {"conference": conference, "section": section, "editable": editable}
    if not editable:
        return render(request, "conferences/record/section.html", context)
    form, saved = submit(
        request,
        SectionForm(
            posted(request),
            initial={
                "body": section.body,
                "confidential": section.confidential,
                "confidential_reason": section.confidential_reason,
                "during_exclusion": section.during_exclusion,
                "version": section.version,
            },
        ),
        lambda d: services.section_update(
            section=section,
            body=d["body"],
            confidential=d["confidential"],
            confidential_reason=d["confidential_reason"],
            during_exclusion=d["during_exclusion"],
            version=d["version"],
            by=actor(request, user),
        ),
        success=f"“{section.heading}” has been saved",
    )
    if saved:
        return redirect("conferences:record", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/record/section.html", context)


@require_GET
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One version, as signed (drafts only for those preparing the record)."""
    user, on, conference = conference_for(request, pk, A.READ_RECORD)
    found = selectors.record_of(conference)
    version = (
        next((v for v in selectors.versions(found) if v.number == number), None) if found else None
    )
    if version is None:
        raise Http404("No such version")
    offered = permitted_on(user, conference, today=on)
    if version.status != DocumentStatus.SIGNED and A.SEE_DOCUMENTS not in offered:
        raise Http404("No such version")
    document = services.record_document(version, scope=Scope.WHOLE, branding=authority_branding())
    document_downloaded(
        conference=conference,
        what=f"Read version {version.number} of the record",
        by=actor(request, user),
    )
    context = {"conference": conference, "version": version, "document": document}
    return render(request, "conferences/record/version.html", context)


SCOPES = [Scope.WHOLE.value, Scope.WITHOUT_CONFIDENTIAL.value, Scope.PART_ATTENDED.value]


@require_GET
def record_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A version of the record in one scope and format; every download is audited."""
    user, on, conference = conference_for(request, pk, A.READ_RECORD)
    found = selectors.record_of(conference)
    if found is None:
        raise Http404("No record yet")
    offered = permitted_on(user, conference, today=on)
    allowed = [
        v
        for v in selectors.versions(found)
        if v.status == DocumentStatus.SIGNED or A.SEE_DOCUMENTS in offered
    ]
    numbers = [str(v.number) for v in allowed]
    if not numbers:
        raise Http404("No signed record yet")
    number = choice(request, "version", numbers, numbers[-1])
    version = next(v for v in allowed if str(v.number) == number)
    scope = Scope(choice(request, "scope", SCOPES, Scope.WHOLE))
    fmt = choice(request, "format", list(draw.EXTENSIONS), "pdf")
    size = choice(request, "size", [f.value for f in Format], Format.STANDARD)
    document = services.record_document(
        version, scope=scope, branding=authority_branding(), format=size
    )
    content = draw.render(document, fmt, word_template=word_template())
    document_downloaded(
        conference=conference,
        what=f"Downloaded version {version.number} of the record ({scope.label.lower()}, {fmt})",
        by=actor(request, user),
    )
    return file_response(content, fmt, f"conference-record-v{version.number}")


@require_http_methods(["GET", "POST"])
def copies(request: HttpRequest, pk: int) -> HttpResponse:
    """Who gets which copy: the chair's decisions, and sending a signed version."""
    user, on, conference = conference_for(request, pk, A.SEE_DOCUMENTS)
    found = selectors.record_of(conference)
    if found is None:
        raise Http404("No record yet")
    offered = permitted_on(user, conference, today=on)
    rows = selectors.copy_rows(found)
    signed = selectors.signed_versions(found)
    latest_signed = signed[-1] if signed else None
    by = actor(request, user)
    which = request.POST.get("which") if request.method == "POST" else None
    people = [(r.invitation.pk, r.name) for r in rows if r.needs_chair]
    unsent = [
        r
        for r in rows
        if latest_signed is not None
        and not any(c.record_version_id == latest_signed.pk for c in r.copies)
    ]
    ready = [(str(r.invitation.pk), _row_label(r)) for r in unsent]
    representatives = selectors.representatives(conference)
    unsent_representatives = [
        r
        for r in representatives
        if latest_signed is not None
        and r.choice != CopyChoice.NONE
        and not any(c.record_version_id == latest_signed.pk for c in r.sent)  # type: ignore[attr-defined]
    ]
    ready += [(f"rep-{r.pk}", _representative_label(r)) for r in unsent_representatives]
    forms = {
        "decide": CopyDecisionForm(
            posted(request) if which == "decide" else None, prefix="decide", people=people
        ),
        "send": RecipientsForm(
            posted(request) if which == "send" else None,
            prefix="send",
            choices=ready,
            initial={
                "recipients": [
                    str(r.invitation.pk)
                    for r in unsent
                    if r.scope is not None and r.scope != Scope.NONE
                ]
                + [f"rep-{r.pk}" for r in unsent_representatives]
            },
        ),
        "representative": RepresentativeForm(
            posted(request) if which == "representative" else None,
            prefix="representative",
            children=selectors.subject_choices(conference),
        ),
    }
    can_decide = A.SIGN_DOCUMENTS in offered and bool(people)
    can_represent = A.SIGN_DOCUMENTS in offered
    can_send = A.SEND_DOCUMENTS in offered and latest_signed is not None and bool(ready)
    if which == "decide" and can_decide:
        by_pk = {r.invitation.pk: r.invitation for r in rows}
        form, saved = submit(
            request,
            forms["decide"],
            lambda d: services.copy_decide(
                record=found,
                invitation=by_pk[d["invitation"]],
                choice=CopyChoice(d["choice"]),
                reason=d["reason"],
                by=by,
                today=on,
            ),
            success="Your decision on the copy has been recorded",
        )
        if saved:
            return redirect("conferences:record-copies", pk=conference.pk)
        forms["decide"] = form
    elif which == "representative" and can_represent:
        form, saved = submit(
            request,
            forms["representative"],
            lambda d: services.representative_add(
                conference=conference,
                child_id=d["child"],
                name=d["name"],
                organisation=d["organisation"],
                email=d["email"],
                address=d["address"],
                choice=CopyChoice(d["choice"]),
                with_letter=d["with_letter"],
                reason=d["reason"],
                by=by,
                today=on,
            ),
            success=lambda r: (
                f"Your decision on the request from {r.display_name} has been recorded"
            ),
        )
        if saved:
            return redirect("conferences:record-copies", pk=conference.pk)
        forms["representative"] = form
    elif which == "send" and can_send and latest_signed is not None:
        by_key = {str(r.invitation.pk): r.invitation for r in rows}
        by_rep = {f"rep-{r.pk}": r for r in representatives}
        form, saved = submit(
            request,
            forms["send"],
            lambda d: services.record_send(
                record_version=latest_signed,
                invitations=[by_key[k] for k in d["recipients"] if k in by_key],
                representatives=[by_rep[k] for k in d["recipients"] if k in by_rep],
                by=by,
                today=on,
            ),
            success=lambda sent: (
                f"Version {latest_signed.number} of the record has been sent "
                f"to {len(sent)} {'person' if len(sent) == 1 else 'people'}"
            ),
        )
        if saved:
            return redirect("conferences:record-copies", pk=conference.pk)
        forms["send"] = form
    context = {
        "conference": conference,
        "record": found,
        "rows": rows,
        "latest_signed": latest_signed,
        "forms": forms,
        "form": forms.get(which or ""),
        "can_decide": can_decide,
        "can_represent": can_represent,
        "can_send": can_send,
        "representatives": representatives,
    }
    return render(request, "conferences/record/copies.html", context)


def _representative_label(representative: LegalRepresentative) -> str:
    return (
        f"{representative.display_name}, legal representative of "
        f"{representative.child.display_name} (the record without its confidential sections)"
    )


def _row_label(row: selectors.CopyRow) -> str:
    if row.scope is None:
        gets = "waiting for the chair's decision"
    else:
        gets = Scope(row.scope).label.lower()
    return f"{row.name}, {row.invitation.get_role_display().lower()} ({gets})"


@require_http_methods(["GET", "POST"])
def amendments(request: HttpRequest, pk: int) -> HttpResponse:
    """Requests to amend the record, made within a week of receiving it (§14.4)."""
    user, on, conference = conference_for(request, pk, A.SEE_DOCUMENTS)
    found = selectors.record_of(conference)
    if found is None:
        raise Http404("No record yet")
    offered = permitted_on(user, conference, today=on)
    sent = selectors.record_copies(found)
    by_pk = {c.pk: c for c in sent}
    choices = [(c.pk, f"{c.name} (version {c.record_version.number})") for c in sent]  # type: ignore[union-attr]
    can_add = A.SEND_DOCUMENTS in offered and bool(sent)
    form = AmendmentForm(
        posted(request) if can_add else None, copies=choices, initial={"received_on": on}
    )
    if can_add:
        form, saved = submit(
            request,
            form,
            lambda d: services.amendment_add(
                record=found,
                copy=by_pk[d["copy"]],
                request=d["request"],
                received_on=d["received_on"],
                profile=authority_procedures(),
                by=actor(request, user),
                today=on,
            ),
            success="The request has been recorded for the chair",
        )
        if saved:
            return redirect("conferences:record-amendments", pk=conference.pk)
    context = {
        "conference": conference,
        "record": found,
        "amendments": selectors.amendments(found),
        "form": form,
        "can_add": can_add,
        "can_answer": A.SIGN_DOCUMENTS in offered,
    }
    return render(request, "conferences/record/amendments.html", context)


@require_http_methods(["GET", "POST"])
def amendment_answer(request: HttpRequest, pk: int, amendment_pk: int) -> HttpResponse:
    user, on, conference = conference_for(request, pk, A.SIGN_DOCUMENTS)
    amendment = get_object_or_404(
        AmendmentRequest.objects.select_related("record__conference", "copy"),
        pk=amendment_pk,
        record__conference=conference,
    )
    open_ = A.SIGN_DOCUMENTS in permitted_on(user, conference, today=on)
    context = {"conference": conference, "amendment": amendment, "open": open_}
    if not open_ or amendment.status != "pending":
        return render(request, "conferences/record/answer.html", context)
    form, saved = submit(
        request,
        AnswerForm(posted(request), initial={"version": amendment.version}),
        lambda d: services.amendment_answer(
            amendment=amendment,
            accept=d["accept"],
            answer=d["answer"],
            version=d["version"],
            by=actor(request, user),
            today=on,
        ),
        success=lambda a: (
            "The amendment has been accepted: now correct the record with a new version"
            if a.status == "accepted"
            else "The amendment has been refused"
        ),
    )
    if saved:
        return redirect("conferences:record", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/record/answer.html", context)


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/record/", record, name="record"),
    path(
        "conferences/<id:pk>/record/sections/<id:section_pk>/", section_edit, name="record-section"
    ),
    path("conferences/<id:pk>/record/versions/<id:number>/", version_detail, name="record-version"),
    path("conferences/<id:pk>/record/download/", record_download, name="record-download"),
    path("conferences/<id:pk>/record/copies/", copies, name="record-copies"),
    path("conferences/<id:pk>/record/amendments/", amendments, name="record-amendments"),
    path(
        "conferences/<id:pk>/record/amendments/<id:amendment_pk>/",
        amendment_answer,
        name="record-amendment",
    ),
]
