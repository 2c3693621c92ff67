"""The authority's letterhead, signature, contacts, Word template and glossary, as the letters
use them (set by the system administrator on the letters page, convene.authority)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage

from convene.authority.models import GlossaryTerm
from convene.authority.selectors import authority_settings
from convene.conferences.letters.document import Branding
from convene.conferences.letters.rules import Term
from convene.core.uploads import sniff_content_type


def _read(name: str) -> bytes:
    if not name or not default_storage.exists(name):
        return b""
    with default_storage.open(name, "rb") as stored:
        return bytes(stored.read())


def authority_branding() -> Branding:
    """The letterhead and contacts, with Convene's defaults for what is not set. One query."""
    chosen = authority_settings()
    logo = _read(chosen.logo.name or "") if chosen.logo else b""
    return Branding(
        name=chosen.letter_name or settings.AUTHORITY_NAME,
        address=chosen.letter_address,
        phone=chosen.letter_phone,
        email=chosen.letter_email or settings.DEFAULT_FROM_EMAIL,
        signature=chosen.signature_block,
        complaints=chosen.complaints_contact,
        appeals=chosen.appeals_contact,
        logo=logo,
        logo_type=sniff_content_type(logo) or "" if logo else "",
    )


def word_template() -> bytes | None:
    """The authority's own Word template, or None for the default. One query."""
    chosen = authority_settings()
    return _read(chosen.word_template.name or "") or None if chosen.word_template else None


def glossary() -> list[Term]:
    """The jargon a family's letter must explain or avoid. One query."""
    return [Term(t.term, t.meaning, t.avoid) for t in GlossaryTerm.objects.all()]
