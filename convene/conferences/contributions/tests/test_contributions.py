"""The family's and child's own contributions (London CP4 §4.16 to §4.17, §7.11)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.enums import ConferenceStatus
from convene.conferences.models import Conference, Contribution
from convene.conferences.tests.helpers import BEFORE, conference_with_reports
from convene.core.uploads import MAX_UPLOAD_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(child_known_to_police, chair, police, social_worker):
    return conference_with_reports(
        child=child_known_to_police, chair=chair, police=police, social_worker=social_worker
    ).conference


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


def _post(client, conference, name: str, data: bytes):
    return client.post(
        reverse("conferences:contributions", args=[conference.pk]),
        {
            "kind": "drawing",
            "from_whom": "Mina (the child)",
            "file": SimpleUploadedFile(name, data),
        },
    )


def test_a_childs_drawing_is_added_and_listed(conference, social_worker, as_user):
    client = as_user(social_worker)
    response = _post(client, conference, "my-house.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.content_type == "image/png"
    page = client.get(reverse("conferences:contributions", args=[conference.pk]))
    assert "Drawing or picture from Mina (the child)" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "drawing.png",
            b"MZ\x90\x00 a program pretending to be a picture",
            "The selected file must be a PDF, Word document, picture or sound recording",
        ),
        (
            "statement.pdf",
            b"%PDF-" + b"0" * MAX_UPLOAD_BYTES,
            "The selected file must be smaller than 10MB",
        ),
        ("statement.pdf", b"", "The selected file is empty"),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_nothing_saved(
    name, data, message, conference, social_worker, as_user
):
    response = _post(as_user(social_worker), conference, name, data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert message in text
    assert not Contribution.objects.exists()


def test_downloading_is_for_people_who_see_the_conference_and_is_audited(
    conference, social_worker, police_officer, outsider, as_user
):
    _post(as_user(social_worker), conference, "statement.txt", b"I miss my dad.\n")
    contribution = Contribution.objects.get()
    url = reverse("conferences:contribution-download", args=[contribution.pk])
    assert as_user(outsider).get(url).status_code == 404
    response = as_user(police_officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"I miss my dad.\n"
    assert response["Content-Type"] == "text/plain"
    assert AuditEvent.objects.filter(
        actor=police_officer, verb=AuditVerb.DOWNLOADED, object_type="conferences.Contribution"
    ).exists()


def test_someone_who_cannot_see_the_conference_cannot_upload(conference, outsider, as_user):
    response = _post(as_user(outsider), conference, "statement.txt", b"Hello\n")
    assert response.status_code == 404
    assert not Contribution.objects.exists()


def test_nothing_can_be_added_to_a_cancelled_conference(conference, social_worker, as_user):
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.CANCELLED)
    response = _post(as_user(social_worker), conference, "statement.txt", b"Hello\n")
    assert response.status_code == 200
    assert "has been held or cancelled" in response.content.decode()
    assert not Contribution.objects.exists()
