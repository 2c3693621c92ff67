"""The system administrator's letter settings and glossary (issue 12)."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from convene.authority.models import AuthoritySettings, GlossaryTerm
from convene.conferences.letters.branding import authority_branding, word_template

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _post(client, **extra):
    data = {
        "letter_name": "Northmoor Children's Services",
        "letter_address": "Civic Centre\nNM1 1AA",
        "letter_phone": "01234 567890",
        "letter_email": "conferences@northmoor.example",
        "signature_block": "Conference team",
        "complaints_contact": "Complaints team, 01234 000000",
        "appeals_contact": "Head of service",
        "version": "1",
        **extra,
    }
    return client.post(reverse("authority:letters"), data)


def test_the_letterhead_and_contacts_reach_the_letters(client, system_administrator):
    client.force_login(system_administrator)
    response = _post(client, logo=SimpleUploadedFile("logo.png", PNG, "image/png"))
    assert response.status_code == 302
    branding = authority_branding()
    assert branding.name == "Northmoor Children's Services"
    assert branding.contact_line.startswith("phone 01234 567890; write to Civic Centre, NM1 1AA")
    assert branding.logo.startswith(b"\x89PNG") and branding.logo_type == "image/png"


def test_a_logo_that_is_not_an_image_and_a_broken_template_are_refused(
    client, system_administrator
):
    client.force_login(system_administrator)
    response = _post(
        client,
        logo=SimpleUploadedFile("logo.png", b"MZ not an image", "image/png"),
        word_template=SimpleUploadedFile("t.docx", b"not a word file", "application/zip"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image" in page
    assert "The Word template must be a .docx file" in page
    assert not AuthoritySettings.objects.exists() or not word_template()


def test_the_default_template_downloads_and_a_branded_copy_is_used(client, system_administrator):
    client.force_login(system_administrator)
    template = client.get(reverse("authority:letters-template")).content
    document = docx.Document(io.BytesIO(template))
    document.add_paragraph("Branded by Northmoor")
    out = io.BytesIO()
    document.save(out)
    response = _post(client, word_template=SimpleUploadedFile("t.docx", out.getvalue()))
    assert response.status_code == 302
    assert word_template() == out.getvalue()


def test_only_the_system_administrator_edits_letters_and_the_glossary(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("authority:letters")).status_code == 404
    assert client.get(reverse("authority:glossary")).status_code == 404


def test_the_glossary_starts_with_the_issues_jargon_and_can_be_edited(client, system_administrator):
    client.force_login(system_administrator)
    assert {"s47", "ICPC", "core group", "threshold"} <= set(
        GlossaryTerm.objects.values_list("term", flat=True)
    )
    response = client.post(
        reverse("authority:glossary"), {"term": "MASH", "meaning": "the team that first hears"}
    )
    assert response.status_code == 302
    again = client.post(reverse("authority:glossary"), {"term": "MASH", "meaning": "x"})
    assert "That word is in the glossary already" in again.content.decode()
    mash = GlossaryTerm.objects.get(term="MASH")
    client.post(reverse("authority:glossary-remove", args=[mash.pk]))
    assert not GlossaryTerm.objects.filter(term="MASH").exists()
