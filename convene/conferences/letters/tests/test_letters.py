"""The decision letter: signed by the chair, sent to everyone invited in the form each needs,
in plain English for the family, as PDF and Word that hold each child's decision."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.enums import ConferenceStatus, Delivery, InviteeRole
from convene.conferences.letters import rules, selectors, services
from convene.conferences.letters.branding import authority_branding, glossary
from convene.conferences.letters.content import LetterFacts, letter_document
from convene.conferences.letters.enums import Format, Reader
from convene.conferences.letters.models import DocumentCopy
from convene.conferences.letters.render import render_docx, render_pdf
from convene.core.services import ServiceError, StaleEdit
from convene.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _sign(demo):
    return services.letter_sign(
        conference=demo.conference,
        version=1,
        profile=demo.profile,
        by=demo.chair,
        today=demo.today,
    )


def _send(demo, invitations=None):
    return services.letter_send(
        conference=demo.conference,
        invitations=list(invitations or demo.conference.invitations.all()),
        by=demo.administrator,
        today=demo.today,
    )


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


@pytest.mark.parametrize("variant", [Format.STANDARD, Format.LARGE_PRINT, Format.EASY_READ])
def test_each_family_letter_is_plain_english_on_the_demos_data(demo, variant):
    facts = selectors.letter_facts(demo.conference, demo.profile)
    letter = letter_document(
        facts, reader=Reader.FAMILY, branding=authority_branding(), format=variant
    )
    check = rules.plain_english(letter.text, glossary())
    assert check.reading_ease >= rules.READING_EASE_AIM, letter.text
    assert check.flagged == [], check.flagged


def test_the_check_flags_jargon_that_is_not_explained_and_words_to_avoid():
    terms = [
        rules.Term("ICPC", "the first child protection conference"),
        rules.Term("core group", "the small group of people who meet to make the plan work"),
        rules.Term("threshold", "the point at which the council must act", avoid=True),
    ]
    check = rules.plain_english(
        "The ICPC met. The threshold was met. The core group is the small group of people who "
        "meet to make the plan work.",
        terms,
    )
    assert [(f.term, f.why) for f in check.flagged] == [
        ("ICPC", "Explain it or use other words"),
        ("threshold", "Avoid this word"),
    ]


def test_signing_freezes_the_letter_and_signing_twice_is_refused(demo):
    letter = _sign(demo)
    assert letter.status == "signed" and letter.signed_by == demo.chair.user
    facts = LetterFacts.from_json(letter.facts)
    assert facts.children[0].category == "Neglect"
    demo.conference.subjects.update(recommendations="Changed after signing")
    again = services.letter_for_reader(
        letter, reader=Reader.PROFESSIONAL, branding=authority_branding(), profile=demo.profile
    )
    assert "Changed after signing" not in again.text
    with pytest.raises(ServiceError, match="already signed"):
        services.letter_sign(
            conference=demo.conference,
            version=letter.version,
            profile=demo.profile,
            by=demo.chair,
            today=demo.today,
        )


def test_a_stale_signature_is_refused(demo):
    services.letter_get_or_start(demo.conference)
    with pytest.raises(StaleEdit):
        services.letter_sign(
            conference=demo.conference,
            version=7,
            profile=demo.profile,
            by=demo.chair,
            today=demo.today,
        )


def test_no_letter_is_signed_before_every_child_has_a_decision(demo):
    demo.conference.subjects.update(outcome="")
    with pytest.raises(ServiceError, match="Record the decision for"):
        _sign(demo)


def test_no_letter_before_the_conference_is_held(demo):
    demo.conference.status = ConferenceStatus.SCHEDULED
    with pytest.raises(ServiceError, match="once the conference has been held"):
        _sign(demo)


def test_an_unsigned_letter_is_not_sent(demo):
    with pytest.raises(ServiceError, match="must sign the letter"):
        _send(demo)


def test_the_letter_goes_to_each_reader_in_their_form_and_by_their_route(
    demo, django_capture_on_commit_callbacks
):
    _sign(demo)
    with django_capture_on_commit_callbacks(execute=True):
        copies = _send(demo)
    by_role = {(c.invitation.role, c.delivery) for c in copies}
    assert (InviteeRole.PROFESSIONAL, "email") in by_role
    kerry = next(c for c in copies if c.name == "Kerry Harlow")
    dean = next(c for c in copies if c.name == "Dean Moss")
    assert (kerry.reader, kerry.delivery) == (Reader.FAMILY, "email")
    # Dean Moss has no e-mail address: his letter waits in the post room.
    assert (dean.delivery, dean.posted_on) == ("post", None)
    assert dean in selectors.waiting_to_post()
    emails = OutboundMessage.objects.filter(reference__startswith="decision-letter-copy-")
    assert emails.count() == sum(1 for c in copies if c.delivery == "email")
    for message in emails:
        assert "Harlow" not in message.subject and "Moss" not in message.subject
        names = {a.name for a in message.attachments.all()}
        assert names == {"decision-letter.pdf", "decision-letter.docx"}
    demo.conference.decision_letter.refresh_from_db()
    assert demo.conference.decision_letter.first_sent_on == demo.today
    # Sending again sends nobody a second copy.
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(demo) == []
    assert OutboundMessage.objects.filter(
        reference__startswith="decision-letter-copy-"
    ).count() == (emails.count())


def test_the_pdf_and_the_word_letter_hold_each_childs_decision(demo):
    _sign(demo)
    letter = demo.conference.decision_letter
    for reader in (Reader.PROFESSIONAL, Reader.FAMILY):
        document = services.letter_for_reader(
            letter, reader=reader, branding=authority_branding(), profile=demo.profile
        )
        for text in (_pdf_text(render_pdf(document)), _docx_text(render_docx(document))):
            assert "Baby Harlow" in text or "Harlow" in text
            assert "child protection plan" in text.lower()
            assert "neglect" in text.lower()


def test_an_interpreter_gets_no_letter_and_a_polish_speaker_is_flagged_for_translation(demo):
    _sign(demo)
    interpreter = demo.conference.invitations.create(
        role=InviteeRole.INTERPRETER, name="Ina Terp", email="ina@example.org"
    )
    with pytest.raises(ServiceError, match="do not get the decision letter"):
        _send(demo, [interpreter])
    polish = demo.conference.invitations.create(
        role=InviteeRole.PARENT_CARER,
        name="Ola Nowak",
        email="ola@example.org",
        interpreter_language="Polish",
        sensory_needs="Partially sighted",
        delivery=Delivery.EMAIL,
    )
    (copy,) = _send(demo, [polish])
    assert (copy.translate_into, copy.format) == ("Polish", Format.LARGE_PRINT)


def test_someone_with_no_address_is_refused_with_why(demo):
    _sign(demo)
    nowhere = demo.conference.invitations.create(role=InviteeRole.SUPPORTER, name="No Where")
    with pytest.raises(ServiceError, match="no email or postal address for No Where"):
        _send(demo, [nowhere])


def test_the_post_room_marks_posted_once_and_audits_it(demo, django_capture_on_commit_callbacks):
    _sign(demo)
    with django_capture_on_commit_callbacks(execute=True):
        _send(demo)
    waiting = selectors.waiting_to_post()
    assert services.copies_posted(copies=waiting, by=demo.administrator, today=demo.today) == len(
        waiting
    )
    assert selectors.waiting_to_post() == []
    with pytest.raises(ServiceError, match="not waiting to be posted"):
        services.copies_posted(
            copies=list(DocumentCopy.objects.filter(pk=waiting[0].pk)),
            by=demo.administrator,
            today=demo.today,
        )
    assert AuditEvent.objects.filter(reason__endswith="posted").exists()


def test_the_digest_lists_what_the_chair_must_sign_then_what_the_administrator_must_send(demo):
    chair, admin = demo.chair.user, demo.administrator.user
    rows = selectors.documents_to_send(chair, today=demo.today, profile=demo.profile)
    assert [(r.kind, r.action) for r in rows] == [("letter", "sign"), ("record", "sign")]
    assert all(r.late for r in rows)  # the demo's conference was weeks ago

    def admins() -> list[tuple[str, str]]:
        rows = selectors.documents_to_send(admin, today=demo.today, profile=demo.profile)
        return [(r.kind, r.action) for r in rows]

    # Held with its letter and record unsent, it stays on the administrators' list: first to
    # chase the chair's signature, then to send.
    assert admins() == [("letter", "chase"), ("record", "chase")]
    _sign(demo)
    assert admins() == [("letter", "send"), ("record", "chase")]
    _send(demo)
    assert admins() == [("record", "chase")]


def test_the_digest_selector_makes_the_same_queries_however_many_conferences(
    demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        selectors.documents_to_send(demo.chair.user, today=demo.today, profile=demo.profile)


def test_every_download_is_audited(demo):
    before = AuditEvent.objects.filter(verb=AuditVerb.DOWNLOADED).count()
    services.document_downloaded(
        conference=demo.conference, what="Downloaded the decision letter", by=demo.chair
    )
    assert AuditEvent.objects.filter(verb=AuditVerb.DOWNLOADED).count() == before + 1
