"""The letters of an appeal and a complaint, as `Document`s drawn in every format the decision
letter has (HTML, PDF, Word: convene.conferences.letters.render):

- the standard appeal letter a parent or child fills in (Register R:20: "a standard letter is
  available from the social worker"), with the conference and the last day to appeal;
- the head of service's written answer to an appeal;
- the answer to a complaint, saying the outcome and what happens now (London CP4 §12.4).

Families read these: short sentences, no jargon (the plain English check applies)."""

from __future__ import annotations

from datetime import date

from convene.conferences.letters.document import Branding, Document, Section
from convene.conferences.models import ConferenceChild

from .models import Appeal, AppealOutcome, Complaint, ComplaintOutcome


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _address(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _meeting(subject: ConferenceChild) -> str:
    conference = subject.conference
    assert conference.date is not None
    return f"the meeting about {subject.child.display_name} on {_day(conference.date)}"


def appeal_form(subject: ConferenceChild, *, in_time_by: date, branding: Branding) -> Document:
    """The standard letter to appeal with: the family writes in the spaces, or says it to their
    social worker, who writes it down for them."""
    send_to = branding.appeals or branding.contact_line
    return Document(
        title="I want to appeal against a decision",
        branding=branding,
        dated="",
        greeting="To the head of service, children and families",
        sections=[
            Section(
                "The decision",
                [
                    f"I do not agree with the decision made at {_meeting(subject)}.",
                    "The decision was: ______________________________________________",
                ],
            ),
            Section(
                "Why I do not agree",
                [
                    "______________________________________________________________",
                    "______________________________________________________________",
                    "______________________________________________________________",
                ],
            ),
            Section(
                "About me",
                [
                    "My name: ____________________________________",
                    "I am the child's: ___________________________",
                    "My address, or my email: ____________________________________",
                    "Who helped me write this (if anyone): ____________________________",
                    "Signed: ______________________   Date: ______________",
                ],
            ),
            Section(
                "When and where to send it",
                [
                    f"Please send this by {_day(in_time_by)}. If it is later, send it anyway. "
                    "We will still look at it.",
                    f"Send it to: {send_to}" if send_to else "Give it to your social worker.",
                    "Your social worker can help you fill it in.",
                    "You will get an answer in writing within 28 days.",
                ],
            ),
        ],
    )


def appeal_answer_letter(appeal: Appeal, *, branding: Branding) -> Document:
    """The head of service's answer, in writing (Register R:20)."""
    assert appeal.answered_on is not None and appeal.answered_by is not None
    upheld = appeal.outcome == AppealOutcome.UPHELD
    what_now = (
        "We agree that the decision should be looked at again. We will write to you soon to "
        "say how and when."
        if upheld
        else "The decision stays the same. Your social worker will talk this letter through "
        "with you."
    )
    sections = [
        Section(
            "Your appeal",
            [
                f"Thank you for your appeal about {_meeting(appeal.decision)}. "
                f"We got it on {_day(appeal.received_on)}.",
                *(
                    [
                        f"It came after {_day(appeal.in_time_by)}, the last day to appeal. "
                        "We have looked at it all the same."
                    ]
                    if appeal.late
                    else []
                ),
            ],
        ),
        Section("My answer", [*_paragraphs(appeal.answer)]),
        Section("What happens now", [what_now]),
        _still_unhappy(branding),
    ]
    return Document(
        title="The answer to your appeal",
        branding=branding,
        dated=_day(appeal.answered_on),
        to_name=appeal.name,
        to_address=_address(appeal.address),
        greeting=f"Dear {appeal.name}",
        sections=sections,
        signature=[appeal.answered_by.get_full_name(), "Head of service, children and families"],
    )


def complaint_answer_letter(complaint: Complaint, *, branding: Branding) -> Document:
    """What was decided about a complaint, and what happens now (London CP4 §12.4 to §12.5)."""
    assert complaint.decided_on is not None and complaint.decided_by is not None
    conference = complaint.conference
    assert conference.date is not None
    outcome = ComplaintOutcome(complaint.outcome)
    what_now = {
        ComplaintOutcome.RECONVENE: (
            "We will hold the meeting again, with a different chair. We will write to you with "
            "the date. It will be held by "
            f"{_day(complaint.reconvened.counts_from)}."
            if complaint.reconvened is not None and complaint.reconvened.counts_from
            else "We will hold the meeting again, with a different chair."
        ),
        ComplaintOutcome.BRING_REVIEW_FORWARD: (
            "We will hold the next review meeting sooner. It will be held by "
            f"{_day(complaint.review_due)}."
            if complaint.review_due
            else "We will hold the next review meeting sooner."
        ),
        ComplaintOutcome.CONFIRM: "The decision made at the meeting stays the same.",
        ComplaintOutcome.REFERRED_TO_AGENCY: (
            f"Your complaint is about {complaint.agency.name}. They have their own way of "
            "dealing with complaints, and they will answer you."
            if complaint.agency is not None
            else "Another organisation will answer your complaint."
        ),
    }[outcome]
    return Document(
        title="The answer to your complaint",
        branding=branding,
        dated=_day(complaint.decided_on),
        to_name=complaint.name,
        to_address=_address(complaint.address),
        greeting=f"Dear {complaint.name}",
        sections=[
            Section(
                "Your complaint",
                [
                    f"Thank you for your complaint about the meeting on {_day(conference.date)}. "
                    f"We got it on {_day(complaint.received_on)}.",
                    "The decision made at the meeting stayed the same while we looked at it.",
                ],
            ),
            Section("What we found", [*_paragraphs(complaint.explanation)]),
            Section("What happens now", [what_now]),
            _still_unhappy(branding),
        ],
        signature=[complaint.decided_by.get_full_name()],
    )


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()] or [text.strip()]


def _still_unhappy(branding: Branding) -> Section:
    contact = branding.complaints or branding.contact_line
    return Section(
        "If you are still not happy",
        [
            "You can ask for help from an advocate or your social worker.",
            f"You can contact us: {contact}" if contact else "You can contact us.",
        ],
    )
