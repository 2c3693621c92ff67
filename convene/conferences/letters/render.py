"""A `Document` drawn as a web page (with print styles), a PDF (WeasyPrint, from the same page)
or a Word file (docxtpl, from a template the authority may brand in Word without code:
docs/decisions/0017-letters-and-records.md)."""

from __future__ import annotations

import base64
import io
from typing import Any

import docx
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from convene.conferences.letters.document import Document
from convene.conferences.letters.enums import Format

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
EXTENSIONS = {"pdf": PDF, "docx": DOCX, "html": HTML}
# Large print: 16 point at least (RNIB's clear print guidance), headings larger.
LARGE_PRINT_PT = 16
# Easy read: larger again, with space between each line's one idea (Mencap's easy read
# guidance: 16 point or more, short lines, white space).
EASY_READ_PT = 18


def _context(document: Document) -> dict[str, Any]:
    logo = ""
    if document.branding.logo:
        encoded = base64.b64encode(document.branding.logo).decode()
        logo = f"data:{document.branding.logo_type};base64,{encoded}"
    return {"document": document, "logo": logo}


def render_html(document: Document) -> str:
    """A page of its own: the letter alone, readable on screen and printed."""
    return render_to_string("conferences/letters/document.html", _context(document))


# The letter's own style sheet: linked from the HTML page (no inline styles: the service's
# Content-Security-Policy refuses them), and given to WeasyPrint directly for the PDF.
STYLE_SHEET = "convene/letter-document.css"


def render_pdf(document: Document) -> bytes:
    from weasyprint import CSS
    from weasyprint import HTML as WeasyHTML

    style = finders.find(STYLE_SHEET)
    assert isinstance(style, str), STYLE_SHEET
    html = WeasyHTML(string=render_html(document))
    return bytes(html.write_pdf(stylesheets=[CSS(filename=style)]))


# Word ----------------------------------------------------------------------------------------

# The default template's paragraphs: (style, text). docxtpl fills the Jinja tags; an authority
# may open the file in Word, add its logo, colours and fonts, keep the tags, and upload it.
TEMPLATE_PARAGRAPHS = [
    ("Normal", "{{ name }}"),
    ("Normal", "{%p if logo %}"),
    ("Normal", "{{ logo }}"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p for line in letterhead %}"),
    ("Normal", "{{ line }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p if notice %}"),
    ("Intense Quote", "{{ notice }}"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p for line in to %}"),
    ("Normal", "{{ line }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{{ dated }}"),
    ("Title", "{{ title }}"),
    ("Normal", "{{ greeting }}"),
    ("Normal", "{%p for section in sections %}"),
    ("Heading 1", "{{ section.heading }}"),
    ("Normal", "{%p for paragraph in section.paragraphs %}"),
    ("Normal", "{{ paragraph }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p for bullet in section.bullets %}"),
    ("List Bullet", "{{ bullet }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "Yours sincerely,"),
    ("Normal", "{%p for line in signature %}"),
    ("Normal", "{{ line }}"),
    ("Normal", "{%p endfor %}"),
]


def default_word_template() -> bytes:
    """The Word template Convene ships, made here so it always matches the tags it fills."""
    template = docx.Document()
    template.styles["Normal"].font.name = "Arial"
    template.styles["Normal"].font.size = Pt(12)
    for style, text in TEMPLATE_PARAGRAPHS:
        template.add_paragraph(text, style=style)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_docx(document: Document, template: bytes | None = None) -> bytes:
    """The document in Word, from the authority's template (or the default)."""
    tpl = DocxTemplate(io.BytesIO(template or default_word_template()))
    branding = document.branding
    logo: Any = ""
    if branding.logo:
        logo = InlineImage(tpl, io.BytesIO(branding.logo), width=Mm(40))
    notice = document.notice
    if document.translate_into:
        notice = f"{notice} To be translated into {document.translate_into}.".strip()
    tpl.render(
        {
            "name": branding.name,
            "logo": logo,
            "letterhead": [*branding.address_lines, branding.phone, branding.email],
            "notice": notice,
            "to": [document.to_name, *document.to_address] if document.to_name else [],
            "dated": document.dated,
            "title": document.title,
            "greeting": document.greeting,
            "sections": [
                {
                    "heading": s.heading + (" (confidential)" if s.confidential else ""),
                    "paragraphs": s.paragraphs,
                    "bullets": s.bullets,
                }
                for s in document.sections
            ],
            "signature": document.signature,
        },
        autoescape=True,
    )
    if document.format == Format.EASY_READ:
        _easy_read(tpl.docx)
    elif document.format != Format.STANDARD:
        _large_print(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _large_print(word: Any) -> None:
    for name in ("Normal", "List Bullet"):
        if name in [s.name for s in word.styles]:
            word.styles[name].font.size = Pt(LARGE_PRINT_PT)
    for name, size in (("Title", 28), ("Heading 1", 22)):
        if name in [s.name for s in word.styles]:
            word.styles[name].font.size = Pt(size)


def _easy_read(word: Any) -> None:
    names = [s.name for s in word.styles]
    for name in ("Normal", "List Bullet"):
        if name in names:
            style = word.styles[name]
            style.font.size = Pt(EASY_READ_PT)
            style.paragraph_format.space_after = Pt(12)
            style.paragraph_format.line_spacing = 1.5
    for name, size in (("Title", 30), ("Heading 1", 24)):
        if name in names:
            word.styles[name].font.size = Pt(size)
            word.styles[name].paragraph_format.space_before = Pt(24)


def render(document: Document, fmt: str, *, word_template: bytes | None = None) -> bytes:
    """The document's bytes in one of EXTENSIONS."""
    if fmt == "pdf":
        return render_pdf(document)
    if fmt == "docx":
        return render_docx(document, word_template)
    return render_html(document).encode()
