"""Uploads are checked by their content, not only their name."""

from __future__ import annotations

import io
import zipfile

import pytest

from convene.core import uploads as rules


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "error"),
    [
        ("statement.pdf", b"%PDF-1.7\n...", rules.PDF, None),
        ("statement.docx", _docx(), rules.DOCX, None),
        ("statement.txt", "I want to stay with Nan — she is kind.\n".encode(), rules.TEXT, None),
        ("drawing.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", rules.JPEG, None),
        ("drawing.PNG", b"\x89PNG\r\n\x1a\n\x00\x00", rules.PNG, None),
        ("voice.mp3", b"ID3\x04\x00\x00", rules.MP3, None),
        ("voice.m4a", b"\x00\x00\x00\x20ftypM4A \x00\x00", rules.M4A, None),
        ("voice.wav", b"RIFF\x24\x00\x00\x00WAVEfmt ", rules.WAV, None),
        # The name says PDF, the content is a program: refused by content.
        ("statement.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", None, rules.WRONG_TYPE),
        # A zip that is not a Word document.
        ("statement.docx", _zip(), None, rules.WRONG_TYPE),
        # A real PDF with a name that does not agree.
        ("statement.exe", b"%PDF-1.7\n...", None, rules.WRONG_TYPE),
        ("page.html", b"<html><script>alert(1)</script></html>", None, rules.WRONG_TYPE),
        ("empty.pdf", b"", None, rules.EMPTY),
    ],
)
def test_an_upload_is_checked_by_its_content(name, data, content_type, error):
    check = rules.upload_check(name=name, size=len(data), data=data)
    assert (check.content_type, check.error) == (content_type, error)


def test_an_upload_of_10mb_or_more_is_refused():
    check = rules.upload_check(name="big.pdf", size=rules.MAX_UPLOAD_BYTES, data=b"%PDF-")
    assert check.error == "The selected file must be smaller than 10MB"


def _bomb(opened: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>" + b" " * opened)
    return buffer.getvalue()


def test_a_word_document_that_opens_to_more_than_50mb_is_refused():
    data = _bomb(200 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # small on the way in
    check = rules.upload_check(name="statement.docx", size=len(data), data=data)
    assert check.error == rules.TOO_BIG_OPENED


def test_a_word_document_that_opens_to_less_is_accepted():
    data = _bomb(1024 * 1024)
    assert rules.upload_check(name="statement.docx", size=len(data), data=data).error is None
