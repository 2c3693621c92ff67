"""The easy read record is its own variant, not large print: plain headings, one short
sentence to a line, the glossary's plain words, larger type and more space; it reads more
easily than the record it comes from."""

from __future__ import annotations

import io

import docx
import pytest

from convene.conferences.letters.branding import authority_branding, glossary
from convene.conferences.letters.document import Section
from convene.conferences.letters.enums import Format, Scope
from convene.conferences.letters.render import EASY_READ_PT, render_docx, render_html
from convene.conferences.letters.rules import READING_EASE_AIM, Term, plain_english
from convene.conferences.record import services
from convene.conferences.record.easy_read import easy_read_sections, heading_for, sentences

pytestmark = pytest.mark.django_db


def _signed(demo):
    record = services.record_start(conference=demo.conference, by=demo.chair, today=demo.today)
    first = record.versions.get()
    quorum = first.sections.get(key="quorum")
    services.section_update(
        section=quorum,
        body=(
            "The ICPC was quorate (London CP4 §3.2); the core group will meet within 10 working "
            "days, and the threshold for a plan was met because of neglect."
        ),
        confidential=False,
        confidential_reason="",
        during_exclusion=False,
        version=quorum.version,
        by=demo.chair,
    )
    services.record_sign(
        record_version=first, version=first.version, by=demo.chair, today=demo.today
    )
    return first


def _documents(version):
    branding = authority_branding()
    return {
        fmt: services.record_document(
            version, scope=Scope.WITHOUT_CONFIDENTIAL, branding=branding, format=fmt
        )
        for fmt in (Format.LARGE_PRINT, Format.EASY_READ)
    }


def test_the_easy_read_record_differs_from_large_print(demo):
    documents = _documents(_signed(demo))
    large, easy = documents[Format.LARGE_PRINT], documents[Format.EASY_READ]
    assert easy.format == Format.EASY_READ and large.format == Format.LARGE_PRINT
    assert easy.title.startswith("What happened at the meeting")
    assert large.title.startswith("Record of the")
    headings = [s.heading for s in easy.sections]
    assert headings[:3] == [
        "About this record",
        "Who came to the meeting",
        "Did enough people come",
    ]
    assert any(h.endswith("what we decided") for h in headings)
    assert not any("§" in h or "London CP4" in h for h in headings)
    # One idea to a line: more, shorter lines.
    easy_lines = [p for s in easy.sections for p in s.paragraphs]
    large_lines = [p for s in large.sections for p in s.paragraphs]
    assert len(easy_lines) > len(large_lines)
    quorum = next(s for s in easy.sections if s.heading == "Did enough people come")
    text = " ".join(quorum.paragraphs).lower()
    # The glossary's plain words, and no references to the procedures.
    assert "icpc" not in text and "the first child protection conference" in text
    assert "the small group of people who meet to make the plan work" in text
    assert "threshold" not in text and "§" not in text
    words = [len(line.split()) for line in easy_lines]
    assert max(words) <= 25 and sum(words) / len(words) < 10
    # Drawn larger and with more space than large print, on the page and in Word.
    assert "letter--easy" in render_html(easy) and "letter--easy" not in render_html(large)
    word = docx.Document(io.BytesIO(render_docx(easy)))
    assert word.styles["Normal"].font.size.pt == EASY_READ_PT


def test_the_easy_read_record_scores_well_on_readability(demo):
    documents = _documents(_signed(demo))
    terms = glossary()
    large = plain_english(documents[Format.LARGE_PRINT].text, terms)
    easy = plain_english(documents[Format.EASY_READ].text, terms)
    assert easy.reading_ease >= READING_EASE_AIM
    assert easy.reading_ease > large.reading_ease
    assert easy.grade < large.grade


def test_sentences_are_one_to_a_line_and_long_ones_break_where_they_pause():
    lines = sentences(
        "Present: Kerry. Apologies: none.\n"
        "- Mum said the flat is cold; the boiler has been broken since October and the "
        "landlord has not come to fix it"
    )
    assert lines == [
        "Present: Kerry.",
        "Apologies: none.",
        "Mum said the flat is cold.",
        "The boiler has been broken since October and the landlord has not come to fix it.",
    ]


def test_plain_headings_and_words():
    assert heading_for("child-7-decision", "Ruby Fairweather: the decision") == (
        "Ruby Fairweather: what we decided"
    )
    assert heading_for("custom", "Exclusions (London CP4 §5.5, §5.11)") == "Exclusions"
    (intro, section) = easy_read_sections(
        [("other", Section("Next steps", ["The RCPC is in March."]))],
        [Term("RCPC", "the review child protection conference")],
    )
    assert intro.heading == "About this record"
    assert section.paragraphs == ["The review child protection conference is in March."]
