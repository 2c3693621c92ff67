"""A child's legal representative who was not invited gets the record, and the decision
letter, at the chair's decision (London CP4 §14.8): recorded among the copies' recipients,
audited; refused for someone the chair excluded, and only the chair decides."""

from __future__ import annotations

import pytest
from django.urls import reverse

from convene.access.models import AuditEvent
from convene.conferences.enums import ExclusionDecision
from convene.conferences.letters import services as letters
from convene.conferences.letters.enums import CopyChoice, Delivery, Reader, Scope
from convene.conferences.letters.models import DocumentCopy
from convene.conferences.letters.selectors import waiting_to_post
from convene.conferences.record import services
from convene.conferences.record.models import LegalRepresentative
from convene.conferences.record.tests.test_record import _start_and_sign
from convene.core.services import ServiceError
from convene.notifications import dispatcher
from convene.notifications.models import SentMessage

pytestmark = pytest.mark.django_db


def _baby(demo) -> int:
    return demo.conference.subjects.get(is_subject=True).child_id


def _add(demo, **given):
    fields = {
        "conference": demo.conference,
        "child_id": _baby(demo),
        "name": "Lena Brook",
        "organisation": "Brook and Partners, solicitors",
        "email": "lena.brook@example.org",
        "address": "",
        "choice": CopyChoice.WHOLE,
        "with_letter": True,
        "reason": "She acts for the baby in the care proceedings",
        "by": demo.chair,
        "today": demo.today,
    }
    return services.representative_add(**(fields | given))


def test_the_chair_adds_a_legal_representative_who_gets_the_record_and_the_letter(demo):
    _, first = _start_and_sign(demo)
    lena = _add(demo)
    assert (lena.choice, lena.with_letter, lena.decided_by) == (
        CopyChoice.WHOLE,
        True,
        demo.chair.user,
    )
    assert AuditEvent.objects.filter(
        reason__contains="Lena Brook, Brook and Partners, solicitors"
    ).exists()
    (record_copy,) = services.record_send(
        record_version=first,
        invitations=[],
        representatives=[lena],
        by=demo.administrator,
        today=demo.today,
    )
    assert (record_copy.representative, record_copy.invitation) == (lena, None)
    assert record_copy.scope == Scope.WITHOUT_CONFIDENTIAL
    assert record_copy.name == "Lena Brook, Brook and Partners, solicitors"
    assert record_copy.delivery == Delivery.EMAIL
    letters.letter_sign(
        conference=demo.conference, version=1, profile=demo.profile, by=demo.chair, today=demo.today
    )
    (letter_copy,) = letters.letter_send(
        conference=demo.conference,
        invitations=[],
        representatives=[lena],
        by=demo.administrator,
        today=demo.today,
    )
    assert letter_copy.reader == Reader.PROFESSIONAL
    # Sending again sends nothing twice.
    assert (
        services.record_send(
            record_version=first,
            invitations=[],
            representatives=[lena],
            by=demo.administrator,
            today=demo.today,
        )
        == []
    )
    dispatcher.dispatch_due()
    sent = SentMessage.objects.filter(to="lena.brook@example.org")
    assert sorted(n for m in sent for n in m.attachment_names) == [
        "conference-record.docx",
        "conference-record.pdf",
        "decision-letter.docx",
        "decision-letter.pdf",
    ]
    # The confidential section (police information) is not in her copy.
    from convene.authority.selectors import authority_procedures
    from convene.conferences.letters.branding import authority_branding
    from convene.conferences.letters.drawing import copy_document

    document = copy_document(record_copy, authority_branding(), authority_procedures())
    assert "Police information discussed in private" not in document.text


def test_a_representative_without_email_is_posted(demo):
    _, first = _start_and_sign(demo)
    lena = _add(demo, email="", address="1 Court Lane\nNorthmoor\nNM1 1AA", with_letter=False)
    (copy,) = services.record_send(
        record_version=first,
        invitations=[],
        representatives=[lena],
        by=demo.administrator,
        today=demo.today,
    )
    assert copy.delivery == Delivery.POST
    dispatcher.dispatch_due()
    assert copy in waiting_to_post()
    # Not chosen for the letter: sending it to her is refused.
    letters.letter_sign(
        conference=demo.conference, version=1, profile=demo.profile, by=demo.chair, today=demo.today
    )
    with pytest.raises(ServiceError, match="did not decide that Lena Brook"):
        letters.letter_send(
            conference=demo.conference,
            invitations=[],
            representatives=[lena],
            by=demo.administrator,
            today=demo.today,
        )


def test_a_refusal_is_recorded_and_nothing_is_sent(demo):
    _, first = _start_and_sign(demo)
    lena = _add(demo, choice=CopyChoice.NONE, reason="The request did not come from the child")
    assert lena.choice == CopyChoice.NONE and lena.with_letter is False
    with pytest.raises(ServiceError, match="does not get a copy: the chair decided so"):
        services.record_send(
            record_version=first,
            invitations=[],
            representatives=[lena],
            by=demo.administrator,
            today=demo.today,
        )
    assert not DocumentCopy.objects.filter(representative=lena).exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"email": "", "address": ""}, "email address or a postal address"),
        ({"name": " "}, "legal representative's name"),
        ({"organisation": ""}, "firm or organisation"),
        ({"reason": ""}, "reason for your decision"),
        ({"choice": CopyChoice.PART_ATTENDED}, "whether they get the record"),
        ({"child_id": 0}, "child this conference was about"),
    ],
)
def test_what_the_chair_must_give(demo, given, message):
    with pytest.raises(ServiceError, match=message):
        _add(demo, **given)
    assert not LegalRepresentative.objects.exists()


def test_someone_excluded_cannot_be_sent_the_record_as_a_representative(demo):
    _, first = _start_and_sign(demo)
    dean = demo.conference.invitations.get(adult__first_name="Dean")
    lena = _add(demo, email="moss.law@example.org")
    # The address turns out to be Dean's, and he is excluded: sending is refused then.
    dean.email = "moss.law@example.org"
    dean.save()
    demo.conference.exclusions.create(
        invitation=dean,
        requested_by=demo.administrator.user,
        requested_on=demo.today,
        grounds="Invented",
        evidence="Invented",
        decision=ExclusionDecision.WHOLE,
        parts="",
    )
    with pytest.raises(ServiceError, match="Dean Moss was excluded from the meeting"):
        _add(demo, name="D. Moss", email="MOSS.LAW@example.org")
    with pytest.raises(ServiceError, match="Dean Moss was excluded from the meeting"):
        services.record_send(
            record_version=first,
            invitations=[],
            representatives=[lena],
            by=demo.administrator,
            today=demo.today,
        )
    kerry = demo.conference.invitations.get(adult__first_name="Kerry")
    with pytest.raises(ServiceError, match="was invited: their copy is decided"):
        _add(demo, name=kerry.display_name.upper(), email="kerry.other@example.org")


def test_only_the_chair_decides_through_the_page(demo, client):
    url = reverse("conferences:record-copies", args=[demo.conference.pk])
    _start_and_sign(demo)
    form = {
        "which": "representative",
        "representative-child": str(_baby(demo)),
        "representative-name": "Lena Brook",
        "representative-organisation": "Brook and Partners",
        "representative-email": "lena.brook@example.org",
        "representative-choice": "whole",
        "representative-with_letter": "on",
        "representative-reason": "She acts for the baby",
    }
    client.force_login(demo.administrator.user)
    page = client.get(url).content.decode()
    assert "Decide a request from a child's legal representative" not in page
    client.post(url, form)
    assert not LegalRepresentative.objects.exists()

    client.force_login(demo.chair.user)
    refused = client.post(url, form | {"representative-email": "", "representative-address": ""})
    assert "Enter an email address or a postal address" in refused.content.decode()
    response = client.post(url, form)
    assert response.status_code == 302
    assert LegalRepresentative.objects.get().decided_by == demo.chair.user

    client.force_login(demo.administrator.user)
    page = client.get(url).content.decode()
    assert "Lena Brook, Brook and Partners" in page
    rep = LegalRepresentative.objects.get()
    response = client.post(url, {"which": "send", "send-recipients": [f"rep-{rep.pk}"]})
    assert response.status_code == 302
    assert DocumentCopy.objects.get(representative=rep).scope == Scope.WITHOUT_CONFIDENTIAL


def test_the_letter_page_offers_the_letter_to_a_representative_the_chair_chose(demo, client):
    letters.letter_sign(
        conference=demo.conference, version=1, profile=demo.profile, by=demo.chair, today=demo.today
    )
    lena = _add(demo)
    _add(demo, name="Otto Refused", email="otto@example.org", choice=CopyChoice.NONE)
    client.force_login(demo.administrator.user)
    url = reverse("conferences:letters-letter", args=[demo.conference.pk])
    page = client.get(url).content.decode()
    assert "Lena Brook, Brook and Partners, solicitors, legal representative of" in page
    assert "Otto Refused" not in page
    response = client.post(url, {"which": "send", "send-recipients": [f"rep-{lena.pk}"]})
    assert response.status_code == 302
    (copy,) = DocumentCopy.objects.filter(representative=lena)
    assert copy.kind == "letter"
    assert "Lena Brook, Brook and Partners, solicitors" in client.get(url).content.decode()
