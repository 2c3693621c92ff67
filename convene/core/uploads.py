"""Checks on uploaded files, by their content and not only their name: not empty, under 10MB,
one of the kinds we accept (London CP4 §4.16 to §4.17, §7.11: a written statement, a drawing, a
recording). Plain values in and out; used by every stage that takes a file."""

from __future__ import annotations

import dataclasses
import io
import zipfile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
WRONG_TYPE = "The selected file must be a PDF, Word document, picture or sound recording"
TOO_BIG = "The selected file must be smaller than 10MB"
EMPTY = "The selected file is empty"
TOO_BIG_OPENED = "The selected file must be smaller than 50MB when opened"
# A Word document is a zip: what it holds once opened, and how many parts, are limited too
# (issue 14, finding 3: a 204KB .docx that opened to 200MB was accepted).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 2000

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
JPEG = "image/jpeg"
PNG = "image/png"
MP3 = "audio/mpeg"
M4A = "audio/mp4"
WAV = "audio/wav"

# Which file name endings each content type may have: the name must agree with the content.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    TEXT: (".txt",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    MP3: (".mp3",),
    M4A: (".m4a", ".mp4"),
    WAV: (".wav",),
}
_M4A_BRANDS = (b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2")


def sniff_content_type(data: bytes) -> str | None:
    """The content type the file's own bytes show, or None when not one we accept."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return WAV
    if data[4:8] == b"ftyp" and data[8:12] in _M4A_BRANDS:
        return M4A
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return MP3
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_word_document(data) else None
    if _is_plain_text(data):
        return TEXT
    return None


def _is_word_document(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def opened_size(data: bytes) -> int:
    """What a zip-based file (a Word document) holds once opened, from its directory (each
    entry's declared size; the zip module refuses to read past it). Too many entries count as
    too big."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        return MAX_UNCOMPRESSED_BYTES + 1
    return sum(info.file_size for info in infos)


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclasses.dataclass(frozen=True)
class UploadCheck:
    content_type: str | None
    error: str | None


def upload_check(*, name: str, size: int, data: bytes) -> UploadCheck:
    """Whether an upload may be kept: not empty, under 10MB, and its content one of the kinds
    we accept, with a name that agrees (London CP4 §4.16 to §4.17, §7.11: a written statement,
    a drawing, a recording)."""
    if size == 0:
        return UploadCheck(None, EMPTY)
    if size >= MAX_UPLOAD_BYTES:
        return UploadCheck(None, TOO_BIG)
    content_type = sniff_content_type(data)
    if content_type is None or not name.lower().endswith(EXTENSIONS[content_type]):
        return UploadCheck(None, WRONG_TYPE)
    if content_type == DOCX and opened_size(data) > MAX_UNCOMPRESSED_BYTES:
        return UploadCheck(None, TOO_BIG_OPENED)
    return UploadCheck(content_type, None)
