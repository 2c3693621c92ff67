"""The copies' PDF and Word files are drawn by the dispatcher, not while the sender waits
(docs/decisions/0025-letters-drawn-in-background.md): each e-mail is queued once, with its
attachments, and printed copies reach the post room once drawn."""

from __future__ import annotations

import pytest
from django.urls import reverse

from convene.authority.selectors import authority_procedures
from convene.conferences.letters import drawing, selectors, services
from convene.conferences.letters.branding import authority_branding
from convene.conferences.letters.models import DocumentCopy
from convene.conferences.letters.rules import NOT_READERS
from convene.notifications import dispatcher
from convene.notifications.models import OutboundMessage, SentMessage

pytestmark = pytest.mark.django_db


def _sign_and_send(demo):
    services.letter_sign(
        conference=demo.conference, version=1, profile=demo.profile, by=demo.chair, today=demo.today
    )
    return services.letter_send(
        conference=demo.conference,
        invitations=list(demo.conference.invitations.all()),
        by=demo.administrator,
        today=demo.today,
    )


@pytest.fixture
def drawn(monkeypatch):
    """Counts the PDFs drawn."""
    calls: list[str] = []
    real = drawing.render_pdf

    def counting(document):
        calls.append(document.title)
        return real(document)

    monkeypatch.setattr(drawing, "render_pdf", counting)
    return calls


def test_sending_only_records_the_copies_and_the_dispatcher_draws_them(demo, drawn):
    copies = _sign_and_send(demo)
    emailed = [c for c in copies if c.delivery == "email"]
    assert emailed and any(c.delivery == "post" for c in copies)
    # Nothing drawn, nothing queued, nothing in the post room while the sender waits.
    assert drawn == []
    assert not OutboundMessage.objects.filter(reference__startswith="decision-letter-copy-")
    assert selectors.waiting_to_post() == []
    assert all(c.drawn_at is None for c in DocumentCopy.objects.all())

    dispatcher.dispatch_due()

    assert len(drawn) == len(emailed)
    assert all(c.drawn_at is not None for c in DocumentCopy.objects.all())
    sent = SentMessage.objects.filter(reference__startswith="decision-letter-copy-")
    assert sent.count() == len(emailed)
    for message in sent:
        assert set(message.attachment_names) == {"decision-letter.pdf", "decision-letter.docx"}
    assert {c.name for c in selectors.waiting_to_post()} == {
        c.name for c in copies if c.delivery == "post"
    }
    # Another round draws and sends nothing again.
    dispatcher.dispatch_due()
    assert len(drawn) == len(emailed)
    assert SentMessage.objects.filter(reference__startswith="decision-letter-copy-").count() == (
        len(emailed)
    )


def test_a_copy_drawn_twice_at_once_is_queued_once(demo):
    copies = _sign_and_send(demo)
    copy = next(c for c in copies if c.delivery == "email")
    first = DocumentCopy.objects.get(pk=copy.pk)
    second = DocumentCopy.objects.get(pk=copy.pk)  # a second dispatcher read it too
    branding, profile = authority_branding(), authority_procedures()
    assert drawing.draw_one(first, branding=branding, template=None, profile=profile) is True
    assert drawing.draw_one(second, branding=branding, template=None, profile=profile) is False
    assert OutboundMessage.objects.filter(reference=f"decision-letter-copy-{copy.pk}").count() == 1


def test_a_copy_that_cannot_be_drawn_keeps_why_and_is_tried_again(demo, monkeypatch):
    copies = _sign_and_send(demo)
    emailed = [c for c in copies if c.delivery == "email"]
    broken = emailed[0]
    real = drawing.render_pdf

    def failing(document):
        if document.to_name == broken.name:
            raise RuntimeError("No fonts")
        return real(document)

    monkeypatch.setattr(drawing, "render_pdf", failing)
    dispatcher.dispatch_due()
    broken.refresh_from_db()
    assert (broken.drawn_at, broken.draw_error) == (None, "No fonts")
    # The others went.
    assert SentMessage.objects.filter(reference__startswith="decision-letter-copy-").count() == (
        len(emailed) - 1
    )
    monkeypatch.setattr(drawing, "render_pdf", real)
    dispatcher.dispatch_due()
    broken.refresh_from_db()
    assert broken.drawn_at is not None and broken.draw_error == ""
    assert SentMessage.objects.filter(reference=f"decision-letter-copy-{broken.pk}").count() == 1


def test_the_send_page_queues_without_drawing(demo, client, drawn, settings):
    settings.NOTIFICATIONS_DISPATCH = "off"  # no round after the commit: only the request
    services.letter_sign(
        conference=demo.conference, version=1, profile=demo.profile, by=demo.chair, today=demo.today
    )
    client.force_login(demo.administrator.user)
    url = reverse("conferences:letters-letter", args=[demo.conference.pk])
    everyone = [str(pk) for pk in demo.conference.invitations.values_list("pk", flat=True)]
    readers = [str(i.pk) for i in demo.conference.invitations.all() if i.role not in NOT_READERS]
    assert everyone
    response = client.post(url, {"which": "send", "send-recipients": readers})
    assert response.status_code == 302
    assert drawn == []
    assert DocumentCopy.objects.filter(drawn_at__isnull=True).count() == len(readers)
    assert b"Being prepared" in client.get(url).content
    dispatcher.dispatch_due()
    assert DocumentCopy.objects.filter(drawn_at__isnull=True).count() == 0
    assert b"Being prepared" not in client.get(url).content
