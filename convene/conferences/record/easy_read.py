"""The easy read record (Derbyshire D:21 to D:22; Cornwall C:151 to C:155; London CP4 §14.9):
the same sections as the record, rewritten mechanically for a reader who needs easy read.
Plain headings, one short sentence to a line, the glossary's plain words instead of jargon,
and no references to the procedures. Pure: built from the sections' text and the glossary.

It changes the form, never the facts: every sentence of the record is kept, in order, so the
social worker going through it with the family (§14.7, §14.9) reads the same record."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from convene.conferences.letters.document import Section
from convene.conferences.letters.rules import Term

INTRO = Section(
    "About this record",
    [
        "This is the record of the meeting about your children.",
        "It says who came.",
        "It says what people said.",
        "It says what we decided.",
        "Your social worker will read it with you.",
        "You can ask them about any part of it.",
    ],
)

# Plain headings for the sections Convene drafts (record/drafting.py), by key.
HEADINGS = {
    "attendance": "Who came to the meeting",
    "quorum": "Did enough people come",
    "reports": "Reports for the meeting",
    "exclusions": "When someone had to leave the room",
    "police": "What the police told us",
    "household": "Your family: what is good and what worries us",
}
CHILD_HEADINGS = {
    "questions": "{name}: what is good and what worries us",
    "scores": "{name}: how safe people think {name} is",
    "views": "{name}: what people think",
    "decision": "{name}: what we decided",
    "plan": "{name}: the plan",
}
# Labels in the drafted text, said plainly.
PLAIN_LABELS = {
    "What is working well": "What is going well",
    "What we are worried about: the harm": "What we are worried about",
    "What we are worried about: complicating factors": "Other worries",
    "What life is like for the child": "What life is like for the child",
    "What needs to happen": "What needs to happen",
    "Danger statement": "What could happen if nothing changes",
    "Safety goal": "What safe looks like",
    "Recommendations": "What we asked for",
    "Contingency plan": "If things do not get better",
    "Interim plan": "Until we meet again",
    "Dissent": "Who did not agree",
}
# References to the procedures: "(London CP4 §5.5, §5.11)", "§14.4", "(§11.1)".
REFERENCE = re.compile(r"\s*\((?:London CP4\s*)?§[^)]*\)|\s*London CP4\s*§[\d.,\s§to]+|\s*§[\d.]+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“])")
# A long sentence is broken where it already pauses: a semicolon, a colon before a new clause,
# or a comma before "and", "but", "so" or "because".
BREAKS = re.compile(r"(;|:|,)\s+(?:(?<=:\s)(?=[A-Z])|(?<=;\s)|(?=(?:and|but|so|because)\s))")
LONG = 15  # words


def heading_for(key: str, heading: str) -> str:
    """A plain heading for a drafted section; the chair's own heading otherwise."""
    if key in HEADINGS:
        return HEADINGS[key]
    match = re.fullmatch(r"child-\d+-(\w+)", key)
    if match and match.group(1) in CHILD_HEADINGS:
        name = heading.split(":", 1)[0].strip()
        return CHILD_HEADINGS[match.group(1)].format(name=name)
    return REFERENCE.sub("", heading).strip()


def plain_words(text: str, glossary: Iterable[Term]) -> str:
    """Each glossary term replaced by its plain meaning (longest terms first, so "section 47"
    goes before "s47"); abbreviations in capitals only in capitals."""
    for term in sorted(glossary, key=lambda t: len(t.term), reverse=True):
        if not term.term.strip() or not term.meaning.strip():
            continue
        flags = 0 if term.term.isupper() else re.IGNORECASE
        pattern = re.compile(rf"(?<![\w-]){re.escape(term.term)}(?![\w-])", flags)
        # A function, not a string: the meaning is inserted as written (no group references).
        text = pattern.sub(_literal(term.meaning), text)
    return DOUBLED_ARTICLE.sub(_one_article, text)


def _literal(words: str) -> Callable[[re.Match[str]], str]:
    return lambda _: words


# "The ICPC" becomes "The the first …": keep the meaning's own article.
DOUBLED_ARTICLE = re.compile(r"\b(the|a|an)\s+(the|a|an)\b", re.IGNORECASE)


def _one_article(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    return second[0].upper() + second[1:] if first[0].isupper() else second


def sentences(text: str) -> list[str]:
    """One idea to a line: each line of the text split into sentences, and a long sentence
    split again where it already pauses (a semicolon, or a colon before a new clause)."""
    found: list[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•").strip()
        if not line:
            continue
        for sentence in SENTENCE_END.split(line):
            found += _short(sentence)
    return found


def _short(sentence: str) -> list[str]:
    """A sentence as one line, or a long one as several; a part before a colon keeps it."""
    pieces = BREAKS.split(sentence) if len(sentence.split()) > LONG else [sentence]
    # split() with a group gives [text, mark, text, mark, text …].
    lines = []
    for n in range(0, len(pieces), 2):
        part = pieces[n].strip()
        mark = pieces[n + 1] if n + 1 < len(pieces) else ""
        if not part:
            continue
        part = part[0].upper() + part[1:]
        if mark == ":":
            part += ":"
        elif part[-1] not in ".!?:":
            part += "."
        lines.append(part)
    return lines


def _labels(text: str) -> str:
    for label, plain in PLAIN_LABELS.items():
        text = re.sub(rf"(?m)^{re.escape(label)}(?=[:\s(])", plain, text)
    return text


def easy_read_sections(
    sections: Sequence[tuple[str, Section]], glossary: Iterable[Term]
) -> list[Section]:
    """The record's sections (each with its drafting key) as easy read, after a short
    introduction."""
    terms = list(glossary)
    easy = [INTRO]
    for key, section in sections:
        text = "\n".join(section.paragraphs)
        text = plain_words(_labels(REFERENCE.sub("", text)), terms)
        easy.append(
            Section(
                heading=plain_words(heading_for(key, section.heading), terms),
                paragraphs=sentences(text) or ["Nothing was written here."],
                confidential=section.confidential,
            )
        )
    return easy
