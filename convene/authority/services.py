"""Changes to the authority's procedure choices. Each is atomic and audited."""

from __future__ import annotations

import enum
from datetime import date
from typing import Literal

from django.db import IntegrityError, transaction

from convene.access.enums import AuditVerb
from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.returns.indicator_facts import enquiries_refresh, enquiries_refresh_around
from convene.timescales import Nation, profile_names

from .models import AuthoritySettings, ClosureDay, GlossaryTerm


class DuplicateClosureDay(ServiceError):
    """The day is already a closure day."""

    def __init__(self) -> None:
        super().__init__("That day is already a closure day", field="day")


class _Keep(enum.Enum):
    """A value not given: keep what is stored (None already means "not set")."""

    KEEP = enum.auto()


KEEP = _Keep.KEEP


def authority_settings_get() -> AuthoritySettings:
    settings, _ = AuthoritySettings.objects.get_or_create(singleton=True)
    return settings


def authority_settings_update(
    *,
    profile: str,
    nation: Nation,
    version: int,
    by: Actor,
    child_population: int | Literal[_Keep.KEEP] | None = KEEP,
) -> AuthoritySettings:
    """Choose the authority's procedure profile and nation, and the number of children in its
    area (None: not known), unless someone else got there first."""
    if profile not in profile_names():
        raise ValueError(f"Unknown procedure profile {profile!r}")
    if child_population is not KEEP and child_population is not None and child_population < 1:
        raise ValueError(f"A child population must be 1 or more, not {child_population}")
    with transaction.atomic():
        current = authority_settings_get()
        moved = current.nation != nation
        population = current.child_population if child_population is KEEP else child_population
        versioned_update(
            current,
            version=version,
            profile=profile,
            nation=nation,
            child_population=population,
        )
        children = f"{population:,}" if population else "not set"
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            reason=f"Procedure profile {profile}, bank holidays of {nation.label}, "
            f"child population {children}",
        )
        if moved:
            # Other bank holidays move every initial conference's due date (decision 0032).
            enquiries_refresh()
    return current


def closure_day_add(*, day: date, description: str, by: Actor) -> ClosureDay:
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(day=day, description=description)
            audit(by=by, verb=AuditVerb.CREATED, obj=closure, reason=f"Closure day: {description}")
            enquiries_refresh_around(day)  # due dates it moves (decision 0032)
    except IntegrityError:
        raise DuplicateClosureDay from None
    return closure


def closure_day_remove(*, closure: ClosureDay, by: Actor) -> None:
    with transaction.atomic():
        audit(by=by, verb=AuditVerb.DELETED, obj=closure, reason="Closure day removed")
        closure.delete()
        enquiries_refresh_around(closure.day)  # due dates it moves (decision 0032)


LETTER_FIELDS = (
    "letter_name",
    "letter_address",
    "letter_phone",
    "letter_email",
    "signature_block",
    "complaints_contact",
    "complaints_email",
    "appeals_contact",
)
MAX_LOGO_BYTES = 1_000_000


def letters_settings_update(
    *,
    values: dict[str, str],
    logo: tuple[str, bytes] | None,
    word_template: tuple[str, bytes] | None,
    version: int,
    by: Actor,
) -> AuthoritySettings:
    """The letterhead, signature and contacts; a logo (PNG or JPEG) and a Word template are
    checked before they are kept, so a letter can always be drawn."""
    from django.core.files.base import ContentFile

    from convene.core.uploads import JPEG, PNG, sniff_content_type

    problems = {}
    if logo is not None:
        data = logo[1]
        if sniff_content_type(data) not in (PNG, JPEG) or len(data) > MAX_LOGO_BYTES:
            problems["logo"] = "The logo must be a PNG or JPEG image of 1 MB or less"
    if word_template is not None and _template_problem(word_template[1]):
        problems["word_template"] = (
            "The Word template must be a .docx file made from the default template"
        )
    if problems:
        raise ServiceError("The letter settings were not saved", problems=problems)
    with transaction.atomic():
        current = authority_settings_get()
        cleaned = {name: values.get(name, "").strip() for name in LETTER_FIELDS}
        versioned_update(current, version=version, **cleaned)
        if logo is not None:
            current.logo.save(f"logo-{logo[0][-40:]}", ContentFile(logo[1]), save=True)
        if word_template is not None:
            current.word_template.save("letters.docx", ContentFile(word_template[1]), save=True)
        audit(by=by, verb=AuditVerb.CHANGED, obj=current, reason="Letterhead and contacts changed")
    return current


def _template_problem(data: bytes) -> bool:
    """Whether this Word template cannot draw a letter (tried on a sample)."""
    from convene.conferences.letters.document import Branding, Document, Section
    from convene.conferences.letters.render import render_docx

    sample = Document(
        title="Sample",
        branding=Branding(name="Sample"),
        dated="1 January 2026",
        sections=[Section("Sample", ["Sample"])],
    )
    try:
        render_docx(sample, data)
    except Exception:  # noqa: BLE001 (any failure means the template cannot be used)
        return True
    return False


def glossary_term_add(*, term: str, meaning: str, avoid: bool, by: Actor) -> GlossaryTerm:
    try:
        with transaction.atomic():
            entry = GlossaryTerm.objects.create(
                term=term.strip(), meaning=meaning.strip(), avoid=avoid
            )
            audit(by=by, verb=AuditVerb.CREATED, obj=entry, reason=f"Glossary: {entry.term} added")
    except IntegrityError:
        raise ServiceError("That word is in the glossary already", field="term") from None
    return entry


def glossary_term_remove(*, entry: GlossaryTerm, by: Actor) -> None:
    with transaction.atomic():
        audit(by=by, verb=AuditVerb.DELETED, obj=entry, reason=f"Glossary: {entry.term} removed")
        entry.delete()
