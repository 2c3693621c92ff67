"""A letter or a record as plain values, before it is drawn as HTML, PDF or Word: a title,
who it is to, its sections and its signature, in the authority's branding. Every format is
drawn from the same `Document`, so the PDF, the Word file and the page say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

from convene.conferences.letters.enums import Format


@dataclass(frozen=True)
class Branding:
    """The letterhead and signature an authority sets on its letters page."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    signature: str = ""
    complaints: str = ""
    appeals: str = ""
    logo: bytes = b""
    logo_type: str = ""  # image/png or image/jpeg

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def contact_line(self) -> str:
        """How to reach the conference team: phone, post and e-mail."""
        parts = []
        if self.phone:
            parts.append(f"phone {self.phone}")
        if self.address_lines:
            parts.append(f"write to {', '.join(self.address_lines)}")
        if self.email:
            parts.append(f"email {self.email}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    confidential: bool = False


@dataclass(frozen=True)
class Document:
    title: str
    branding: Branding
    dated: str  # "3 October 2026"
    sections: list[Section]
    to_name: str = ""
    to_address: list[str] = field(default_factory=list)
    greeting: str = ""
    signature: list[str] = field(default_factory=list)
    format: Format = Format.STANDARD
    notice: str = ""  # e.g. "Confidential" or "Version 2, corrected because…"
    translate_into: str = ""

    @property
    def text(self) -> str:
        """The words a reader reads, for the plain English check (no letterhead or address)."""
        parts = [self.title, self.greeting]
        for section in self.sections:
            parts.append(section.heading)
            parts += section.paragraphs
            parts += [f"{bullet}." for bullet in section.bullets]
        return "\n".join(p.strip() for p in parts if p.strip())
