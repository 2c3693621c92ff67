"""The letter and record pages make as many queries with more children, recipients, copies,
versions and legal representatives as with few: each page is counted, the data grown, and the
page counted again. (The audit trail is the one exception by design: a read or download of a
conference's document writes one row on each subject child's trail, so the pages that audit
are grown in recipients, copies and versions, not children.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.conferences.enums import ChildOutcome, Delivery, InviteeRole
from convene.conferences.letters import services as letters
from convene.conferences.letters.enums import CopyChoice
from convene.conferences.models import ConferenceChild
from convene.conferences.record import services as records
from convene.conferences.record.models import ConferenceRecord, RecordSection
from convene.notifications import dispatcher
from convene.testing.factories import ChildFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _more_children(demo, n: int) -> None:
    baby = demo.conference.subjects.get(is_subject=True)
    for _ in range(n):
        ConferenceChild.objects.create(
            conference=demo.conference,
            child=ChildFactory.create(household=baby.child.household),
            is_subject=True,
            outcome=ChildOutcome.CP_PLAN,
            category=baby.category,
            reasons="Invented reasons",
            recommendations="Invented recommendation",
            decided_on=baby.decided_on,
        )


def _more_recipients(demo, n: int) -> list:
    made = []
    for i in range(n):
        made.append(
            InvitationFactory.create(
                conference=demo.conference,
                email=f"extra{i}@example.org",
                delivery=Delivery.EMAIL,
            )
        )
        made.append(
            demo.conference.invitations.create(
                role=InviteeRole.SUPPORTER, name=f"Friend {i}", address=f"{i} Lane\nNM1 1AA"
            )
        )
    return made


def _representatives(demo, n: int, start: int = 0) -> list:
    child = demo.conference.subjects.filter(is_subject=True).first()
    assert child is not None
    return [
        records.representative_add(
            conference=demo.conference,
            child_id=child.child_id,
            name=f"Lawyer {i}",
            organisation="Brook and Partners",
            email=f"lawyer{i}@example.org",
            address="",
            choice=CopyChoice.WHOLE,
            with_letter=True,
            reason="Asked for it",
            by=demo.chair,
            today=demo.today,
        )
        for i in range(start, start + n)
    ]


def _send_all(demo, record: ConferenceRecord | None = None, representatives=()) -> None:
    readers = [i for i in demo.conference.invitations.all() if i.role != InviteeRole.CHILD]
    letters.letter_send(
        conference=demo.conference,
        invitations=[i for i in readers if i.role not in ("interpreter", "observer")],
        representatives=list(representatives),
        by=demo.administrator,
        today=demo.today,
    )
    if record is not None:
        latest = record.versions.order_by("-number").first()
        assert latest is not None
        records.record_send(
            record_version=latest,
            invitations=[
                i for i in readers if i.role in (InviteeRole.PROFESSIONAL, InviteeRole.PARENT_CARER)
            ],
            representatives=list(representatives),
            by=demo.administrator,
            today=demo.today,
        )
    dispatcher.dispatch_due()


def _new_version(demo, record: ConferenceRecord) -> None:
    record.refresh_from_db()
    version = records.record_correct(
        record=record, reason="A correction", version=record.version, by=demo.chair
    )
    records.record_sign(
        record_version=version, version=version.version, by=demo.chair, today=demo.today
    )


@pytest.fixture
def signed(demo):
    letters.letter_sign(
        conference=demo.conference, version=1, profile=demo.profile, by=demo.chair, today=demo.today
    )
    record = records.record_start(conference=demo.conference, by=demo.chair, today=demo.today)
    first = record.versions.get()
    records.record_sign(
        record_version=first, version=first.version, by=demo.chair, today=demo.today
    )
    return record


def _grows_not(client, urls: Callable[[], list[str]], grow: Callable[[], None]) -> None:
    before = [(url, _queries(client, url)) for url in urls()]
    grow()
    after = [(url, _queries(client, url)) for url in urls()]
    # The same page (the last version's may have a new number), the same count.
    assert [n for _, n in after] == [n for _, n in before], (before, after)


def test_the_letter_page_and_the_post_room_do_not_grow_with_children_or_recipients(demo, client):
    # The letter page is drawn while the letter is a draft: every child's facts are read.
    client.force_login(demo.administrator.user)
    pk = demo.conference.pk

    def urls() -> list[str]:
        return [reverse("conferences:letters-letter", args=[pk])]

    def grow() -> None:
        _more_children(demo, 3)
        _more_recipients(demo, 3)

    _grows_not(client, urls, grow)


def test_the_signed_letter_its_copies_and_the_post_room_do_not_grow(demo, client, signed):
    client.force_login(demo.administrator.user)
    pk = demo.conference.pk
    _send_all(demo, signed, _representatives(demo, 1))

    def urls() -> list[str]:
        return [
            reverse("conferences:letters-letter", args=[pk]),
            reverse("conferences:letters-post-room"),
            reverse("conferences:letters-post-room-print"),
            reverse("conferences:letters-letter-download", args=[pk]) + "?format=html",
        ]

    def grow() -> None:
        _more_recipients(demo, 3)
        _send_all(demo, signed, _representatives(demo, 2, start=1))

    _grows_not(client, urls, grow)


def test_the_record_pages_do_not_grow_with_recipients_copies_or_versions(demo, client, signed):
    client.force_login(demo.chair.user)
    pk = demo.conference.pk
    _send_all(demo, signed, _representatives(demo, 1))
    copy = signed.versions.get().copies.filter(delivery="email").order_by("pk").first()
    assert copy is not None
    records.amendment_add(
        record=signed,
        copy=copy,
        request="Invented",
        received_on=demo.today,
        profile=demo.profile,
        by=demo.administrator,
        today=demo.today + timedelta(days=1),
    )

    def urls() -> list[str]:
        last = signed.versions.order_by("-number").first()
        assert last is not None
        return [
            reverse("conferences:record", args=[pk]),
            reverse("conferences:record-copies", args=[pk]),
            reverse("conferences:record-amendments", args=[pk]),
            reverse("conferences:record-version", args=[pk, last.number]),
            reverse("conferences:record-download", args=[pk]) + "?format=html",
            reverse("conferences:record-download", args=[pk]) + "?format=html&size=easy_read",
        ]

    def grow() -> None:
        _more_recipients(demo, 3)
        _new_version(demo, signed)
        _new_version(demo, signed)
        _send_all(demo, signed, _representatives(demo, 2, start=1))
        latest = signed.versions.order_by("-number")[0]
        for copy in latest.copies.filter(delivery="email")[:2]:
            records.amendment_add(
                record=signed,
                copy=copy,
                request="Invented",
                received_on=demo.today,
                profile=demo.profile,
                by=demo.administrator,
                today=demo.today + timedelta(days=1),
            )

    _grows_not(client, urls, grow)


def test_the_record_pages_do_not_grow_with_children_or_sections(demo, client, signed):
    client.force_login(demo.chair.user)
    pk = demo.conference.pk

    def grow() -> None:
        _more_children(demo, 3)
        # A longer record, as one drafted for more children would be.
        version = signed.versions.get()
        RecordSection.objects.bulk_create(
            RecordSection(
                record_version=version,
                order=100 + n,
                key=f"extra-{n}",
                heading=f"Extra {n}",
                body="Invented.\n\nMore.",
            )
            for n in range(8)
        )

    def urls() -> list[str]:
        return [
            reverse("conferences:record", args=[pk]),
            reverse("conferences:record-copies", args=[pk]),
        ]

    _grows_not(client, urls, grow)
