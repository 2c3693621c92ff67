"""Issue 12, item 7: the invitation letter prints alone, says "an initial…", and can be
answered by phone and by post as well as by e-mail."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from convene.authority.models import AuthoritySettings
from convene.conferences.enums import ConferenceStatus, Delivery, InviteeRole
from convene.conferences.invitations.messages import invitation_message, reply_text, with_article
from convene.testing.factories import ConferenceFactory, InvitationFactory


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("initial child protection conference", "an initial child protection conference"),
        ("review child protection conference", "a review child protection conference"),
        ("pre-birth conference", "a pre-birth conference"),
    ],
)
def test_the_article_fits_the_words(words, said):
    assert with_article(words) == said


def test_replies_by_phone_post_and_email():
    assert reply_text(phone="01234 567890", address="Civic Centre\nNM1 1AA", email="c@x.org") == (
        "You can phone us on 01234 567890, write to us at Civic Centre, NM1 1AA or email c@x.org."
    )


@pytest.mark.django_db
def test_the_printed_letter_shows_only_the_letter_with_every_way_to_reply(client, administrator):
    AuthoritySettings.objects.create(letter_phone="01234 567890", letter_address="Civic Centre")
    conference = ConferenceFactory.create(
        status=ConferenceStatus.SCHEDULED, date=date(2026, 12, 1), starts_at=time(10, 0)
    )
    invitation = InvitationFactory.create(
        conference=conference,
        role=InviteeRole.PARENT_CARER,
        professional=None,
        agency=None,
        name="Pat Parent",
        address="1 Road",
        delivery=Delivery.LETTER,
    )
    _, body = invitation_message(invitation)
    assert "invited to an initial child protection conference" in body
    assert "phone us on 01234 567890" in body and "Civic Centre" in body
    client.force_login(administrator)
    page = client.get(
        reverse("conferences:invitation-letter", args=[conference.pk, invitation.pk])
    ).content.decode()
    assert "It is called an initial child protection conference" in page
    assert "phone us on 01234 567890" in page
    assert 'class="govuk-template__header govuk-!-display-none-print"' in page
    assert 'class="govuk-footer govuk-!-display-none-print"' in page
