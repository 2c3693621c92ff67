"""Pages for the decision letter and the post room (issue 12; London CP4 §14.5, §14.13).

Access is decided only by convene.policy; a page someone may not use is a 404. Every download
is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.letters import render as draw
from convene.conferences.letters import rules, selectors, services
from convene.conferences.letters.branding import authority_branding, glossary, word_template
from convene.conferences.letters.document import Document
from convene.conferences.letters.drawing import copy_document
from convene.conferences.letters.enums import CopyChoice, DocumentStatus, Format, Reader
from convene.conferences.letters.forms import PostedForm, RecipientsForm, VersionForm
from convene.conferences.letters.models import DecisionLetter, DocumentCopy
from convene.conferences.letters.rules import LETTER, LetterAction
from convene.conferences.models import Conference
from convene.conferences.record import selectors as record_selectors
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit
from convene.core.web import actor

A = ConferenceAction


def conference_for(request: HttpRequest, pk: int, action: A) -> tuple[User, date, Conference]:
    """The held conference whose letters and record these pages show, if the person may."""
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on, action=action)
    if conference.date is None:
        raise Http404("No letters for a conference without a date")
    return user, on, conference


def file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=draw.EXTENSIONS[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def choice(request: HttpRequest, name: str, allowed: list[str], default: str) -> str:
    value = request.GET.get(name, default)
    if value not in allowed:
        raise Http404(f"No such {name}")
    return value


FAMILY_VARIANTS = [(Format.STANDARD, "Family letter"), (Format.EASY_READ, "Easy read letter")]


@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision letter: each version a reader gets, the plain English check of the
    family's, the chair's signature, and sending it to everyone invited."""
    user, on, conference = conference_for(request, pk, A.SEE_DOCUMENTS)
    offered = selectors.permitted_on(user, conference, today=on)
    profile = authority_procedures()
    letter = selectors.letter_of(conference)
    waiting = selectors.decisions_outstanding(conference)
    copies = selectors.letter_copies(letter)
    people = selectors.recipients(conference, copies)
    status = letter.status if letter else DocumentStatus.DRAFT
    can_sign = A.SIGN_DOCUMENTS in offered and LETTER.allows(LetterAction.SIGN, status)
    can_send = A.SEND_DOCUMENTS in offered and LETTER.allows(LetterAction.SEND, status)
    version = letter.version if letter else 1
    which = request.POST.get("which") if request.method == "POST" else None
    choices = [(str(p.invitation.pk), _label(p)) for p in people if p.reader and not p.sent]
    # Children's legal representatives the chair decided get the letter (London CP4 §14.8).
    sent_to = {c.representative_id for c in copies}
    representatives = {
        f"rep-{r.pk}": r
        for r in record_selectors.representatives(conference)
        if r.with_letter and r.choice != CopyChoice.NONE and r.pk not in sent_to
    }
    choices += [
        (key, f"{r.display_name}, legal representative of {r.child.display_name} (full letter)")
        for key, r in representatives.items()
    ]
    forms = {
        "sign": VersionForm(
            posted(request) if which == "sign" else None,
            prefix="sign",
            initial={"version": version},
        ),
        "send": RecipientsForm(
            posted(request) if which == "send" else None,
            prefix="send",
            choices=choices,
            initial={"recipients": [value for value, _ in choices]},
        ),
    }
    by = actor(request, user)
    if which == "sign" and can_sign:
        form, saved = submit(
            request,
            forms["sign"],
            lambda d: services.letter_sign(
                conference=conference, version=d["version"], profile=profile, by=by, today=on
            ),
            success="You have signed the decision letter",
        )
        if saved:
            return redirect("conferences:letters-letter", pk=conference.pk)
        forms["sign"] = form
    elif which == "send" and can_send:
        by_pk = {str(p.invitation.pk): p.invitation for p in people}
        form, saved = submit(
            request,
            forms["send"],
            lambda d: services.letter_send(
                conference=conference,
                invitations=[by_pk[value] for value in d["recipients"] if value in by_pk],
                representatives=[
                    representatives[value] for value in d["recipients"] if value in representatives
                ],
                by=by,
                today=on,
            ),
            success=lambda sent: (
                f"The decision letter has been sent to {len(sent)} "
                f"{'person' if len(sent) == 1 else 'people'}"
            ),
        )
        if saved:
            return redirect("conferences:letters-letter", pk=conference.pk)
        forms["send"] = form
    branding = authority_branding()
    terms = glossary()
    previews = _previews(letter, conference, branding, profile, waiting)
    checks = [
        (label, rules.plain_english(previews[variant.value].text, terms))
        for variant, label in FAMILY_VARIANTS
        if variant.value in previews
    ]
    assert conference.date is not None
    context = {
        "conference": conference,
        "letter": letter,
        "status": status,
        "waiting": waiting,
        "offered": offered,
        "can_sign": can_sign and not waiting,
        "can_send": can_send,
        "forms": forms,
        "form": forms.get(which or ""),
        "previews": previews,
        "checks": checks,
        "aim": rules.READING_EASE_AIM,
        "people": people,
        "copies": copies,
        "due": rules.letter_due(profile, conference_date=conference.date, today=on),
        "to_parents_due": rules.letter_to_parents_due(profile, conference_date=conference.date),
    }
    return render(request, "conferences/letters/letter.html", context)


def _label(person: selectors.Recipient) -> str:
    invitation = person.invitation
    reader = "family letter" if person.reader == Reader.FAMILY else "full letter"
    return f"{invitation.display_name}, {invitation.get_role_display().lower()} ({reader})"


def _previews(
    letter: Any, conference: Conference, branding: Any, profile: Any, waiting: list[str]
) -> dict[str, Document]:
    """Each form of the letter, as signed or as it would be signed today."""
    if waiting:
        return {}
    # Not saved: a preview never starts a letter.
    draft = letter or DecisionLetter(conference=conference)
    found: dict[str, Document] = {
        variant.value: services.letter_for_reader(
            draft, reader=Reader.FAMILY, branding=branding, profile=profile, format=variant
        )
        for variant, _ in FAMILY_VARIANTS
    }
    found["professional"] = services.letter_for_reader(
        draft, reader=Reader.PROFESSIONAL, branding=branding, profile=profile
    )
    return found


READERS = [Reader.FAMILY.value, Reader.PROFESSIONAL.value]
SIZES = [f.value for f in Format]


@require_GET
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as a page, a PDF or a Word file; a draft only for those who prepare it."""
    user, on, conference = conference_for(request, pk, A.READ_RECORD)
    letter = selectors.letter_of(conference)
    if letter is None or selectors.decisions_outstanding(conference):
        raise Http404("No letter yet")
    offered = selectors.permitted_on(user, conference, today=on)
    if letter.status != DocumentStatus.SIGNED and A.SEE_DOCUMENTS not in offered:
        raise Http404("No signed letter yet")
    reader = Reader(choice(request, "reader", READERS, Reader.PROFESSIONAL))
    fmt = choice(request, "format", list(draw.EXTENSIONS), "pdf")
    size = choice(request, "size", SIZES, Format.STANDARD)
    document = services.letter_for_reader(
        letter,
        reader=reader,
        branding=authority_branding(),
        profile=authority_procedures(),
        format=size,
    )
    content = draw.render(document, fmt, word_template=word_template())
    services.document_downloaded(
        conference=conference,
        what=f"Downloaded the decision letter ({reader.label.lower()}, {fmt})",
        by=actor(request, user),
    )
    return file_response(content, fmt, "decision-letter")


# The post room ---------------------------------------------------------------------------


def _post_room_user(request: HttpRequest) -> User:
    user = signed_in_user(request)
    policy.require(policy.can_run_post_room(user))
    return user


@require_http_methods(["GET", "POST"])
def post_room(request: HttpRequest) -> HttpResponse:
    """Letters and records waiting to be printed and posted."""
    user = _post_room_user(request)
    waiting = selectors.waiting_to_post()
    by_pk = {str(c.pk): c for c in waiting}
    form, saved = submit(
        request,
        PostedForm(posted(request), choices=[(k, _copy_label(c)) for k, c in by_pk.items()]),
        lambda d: services.copies_posted(
            copies=[by_pk[k] for k in d["copies"]], by=actor(request, user), today=today()
        ),
        success=lambda n: f"{n} {'letter' if n == 1 else 'letters'} marked as posted",
    )
    if saved:
        return redirect("conferences:letters-post-room")
    return render(request, "conferences/letters/post_room.html", {"form": form, "waiting": waiting})


def _copy_label(copy: DocumentCopy) -> str:
    return f"{copy.get_kind_display()} for {copy.name}"


@require_GET
def post_room_print(request: HttpRequest) -> HttpResponse:
    """Every waiting letter, one to a page, to print in one go (the print is audited)."""
    user = _post_room_user(request)
    waiting = selectors.waiting_to_post()
    branding = authority_branding()
    profile = authority_procedures()
    documents = [copy_document(copy, branding, profile) for copy in waiting]
    by = actor(request, user)
    # One audit event for each conference's copies (on each of its children's trails), naming
    # every copy printed: the queries grow with the conferences, not with the letters.
    printed: dict[int, list[DocumentCopy]] = {}
    for copy in waiting:
        printed.setdefault(copy.conference.pk, []).append(copy)
    for batch in printed.values():
        services.document_downloaded(
            conference=batch[0].conference,
            what="Printed the " + "; the ".join(_copy_label(c).lower() for c in batch),
            by=by,
        )
    return render(request, "conferences/letters/post_room_print.html", {"documents": documents})


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/decision-letter/", letter, name="letters-letter"),
    path(
        "conferences/<id:pk>/decision-letter/download/",
        letter_download,
        name="letters-letter-download",
    ),
    path("post-room/", post_room, name="letters-post-room"),
    path("post-room/print/", post_room_print, name="letters-post-room-print"),
]
