"""Attachments: only allowed types whose content matches their name, stored once by digest,
and sent back as downloads under their original name."""
from __future__ import annotations

import hashlib
import io
import zipfile
from types import SimpleNamespace

import pytest
from pyramid.httpexceptions import HTTPNotFound
from pyramid.testing import DummyRequest

from plugins.tickets import attachments
from plugins.tickets.attachments import AttachmentError
from plugins.tickets.models import Attachment
from tests.plugins.tickets.portal_support import EXE, PDF

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 40
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40


def archive(*entries: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, text in entries:
            zipped.writestr(name, text)
    return buffer.getvalue()


DOCX = archive(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"))
XLSX = archive(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"))
PPTX = archive(("[Content_Types].xml", "<Types/>"), ("ppt/presentation.xml", "<presentation/>"))
ODT = archive(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office/>"))
ZIP = archive(("readme.txt", "سلام"))


@pytest.fixture
def store(tmp_path):
    """Settings with a one-megabyte limit and files in the test's own folder."""
    return {"tickets.attachments_dir": str(tmp_path / "files"), "tickets.max_attachment_mb": "1"}


def field(filename: str, content: bytes):
    """What WebOb gives a view for one uploaded file."""
    return SimpleNamespace(filename=filename, file=io.BytesIO(content), type="application/octet-stream")


def refusal(store, filename: str, content: bytes) -> str:
    with pytest.raises(AttachmentError) as refused:
        attachments.validate_upload(field(filename, content), store)
    return refused.value.message.interpolate()


@pytest.mark.parametrize("filename, content, content_type", [
    ("photo.jpg", JPEG, "image/jpeg"),
    ("PHOTO.JPEG", JPEG, "image/jpeg"),
    ("screen.png", PNG, "image/png"),
    ("anim.gif", GIF, "image/gif"),
    ("pic.webp", WEBP, "image/webp"),
    ("نامه.pdf", PDF, "application/pdf"),
    ("یادداشت.txt", "سلام، این یک متن است.\n".encode(), "text/plain"),
    ("report.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("sheet.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("slides.pptx", PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("text.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ("bundle.zip", ZIP, "application/zip"),
])
def test_allowed_files_are_accepted_with_their_type_size_and_digest(store, filename, content, content_type):
    upload = attachments.validate_upload(field(filename, content), store)
    assert (upload.filename, upload.content_type, upload.size) == (filename, content_type, len(content))
    assert upload.digest == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("filename, content", [
    ("invoice.pdf", EXE),  # a program named .pdf
    ("invoice.pdf", ZIP),
    ("invoice.pdf", b"<!doctype html><script>alert(1)</script>"),
    ("photo.jpg", PNG),
    ("report.docx", ZIP),  # a plain archive is not a Word document
    ("bundle.zip", DOCX),  # nor the other way round
    ("notes.txt", EXE),
])
def test_content_that_does_not_match_the_name_is_refused(store, filename, content):
    message = refusal(store, filename, content)
    assert filename in message
    assert "does not contain what its name says" in message or "not a plain text file" in message


@pytest.mark.parametrize("filename", ["setup.exe", "page.html", "script.js", "noextension", "archive.tar.gz",
                                      "image.svg"])
def test_types_that_are_not_allowed_are_refused(store, filename):
    assert "this kind of file cannot be attached" in refusal(store, filename, b"anything")


def test_text_must_be_utf8(store):
    assert "not a plain text file in UTF-8" in refusal(store, "old.txt", "سلام".encode("cp1256"))
    assert "not a plain text file in UTF-8" in refusal(store, "nul.txt", b"abc\x00def")
    # A Persian letter split across two reads is still text.
    long_text = ("ا" * (attachments.CHUNK // 2 + 1)).encode() + "پایان".encode()
    assert attachments.validate_upload(field("long.txt", long_text), store).size == len(long_text)


def test_empty_and_oversized_files_are_refused(store):
    assert "is empty" in refusal(store, "empty.pdf", b"")
    assert "larger than 1 MB" in refusal(store, "big.pdf", PDF + b"0" * (1024 * 1024))
    just_fits = PDF + b"0" * (1024 * 1024 - len(PDF))
    assert attachments.validate_upload(field("fits.pdf", just_fits), store).size == 1024 * 1024


def test_at_most_ten_files_at_once(store):
    with pytest.raises(AttachmentError):
        attachments.validate_uploads([field(f"{n}.pdf", PDF) for n in range(attachments.MAX_FILES + 1)], store)
    assert len(attachments.validate_uploads([field("a.pdf", PDF)], store)) == 1


@pytest.mark.parametrize("raw, clean", [
    ("C:\\Users\\reza\\Desktop\\نامه اداری.pdf", "نامه اداری.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("invoice\u202egpj.exe.pdf", "invoicegpj.exe.pdf"),  # the right-to-left override is gone
    ("line\r\nbreak.pdf", "linebreak.pdf"),
    ("می‌خواهم.pdf", "می‌خواهم.pdf"),  # the zero-width non-joiner of Persian words stays
    (".pdf", "file.pdf"),
    ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
])
def test_file_names_are_cleaned(raw, clean):
    assert attachments.clean_filename(raw) == clean


def test_the_same_content_is_stored_once(store, tmp_path):
    ticket = SimpleNamespace(id=7)
    first = attachments.validate_upload(field("a.pdf", PDF), store)
    second = attachments.validate_upload(field("b.pdf", PDF), store)
    session = SimpleNamespace(added=[], add=lambda row: session.added.append(row))
    rows = [attachments.save(session, store, upload, ticket) for upload in (first, second)]
    stored = [path for path in (tmp_path / "files").rglob("*") if path.is_file()]
    assert [path.name for path in stored] == [first.digest]
    assert stored[0].read_bytes() == PDF
    assert [(row.ticket_id, row.filename, row.digest, row.is_internal) for row in rows] == [
        (7, "a.pdf", first.digest, False), (7, "b.pdf", first.digest, False)]


def test_a_file_of_an_internal_note_is_internal(store):
    session = SimpleNamespace(add=lambda row: None)
    note = SimpleNamespace(id=3, is_internal=True)
    upload = attachments.validate_upload(field("a.pdf", PDF), store)
    row = attachments.save(session, store, upload, SimpleNamespace(id=7), comment=note)
    assert row.is_internal and row.comment_id == 3


def test_download_sends_the_persian_name_safely(store):
    upload = attachments.validate_upload(field("گزارش «نهایی».pdf", PDF), store)
    row = attachments.save(SimpleNamespace(add=lambda row: None), store, upload, SimpleNamespace(id=1))
    request = DummyRequest()
    request.registry.settings = store
    response = attachments.download_response(request, row)
    assert b"".join(response.app_iter) == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Length"] == str(len(PDF))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"file.pdf\"; filename*=UTF-8''"
        "%DA%AF%D8%B2%D8%A7%D8%B1%D8%B4%20%C2%AB%D9%86%D9%87%D8%A7%DB%8C%DB%8C%C2%BB.pdf")


def test_text_downloads_say_utf8_and_latin_names_keep_their_fallback(store):
    upload = attachments.validate_upload(field("error log.txt", "خطا".encode()), store)
    row = attachments.save(SimpleNamespace(add=lambda row: None), store, upload, SimpleNamespace(id=1))
    request = DummyRequest()
    request.registry.settings = store
    response = attachments.download_response(request, row)
    assert response.headers["Content-Type"].lower() == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="error_log.txt"; ')


def test_a_file_missing_from_disk_is_not_found(store):
    row = Attachment(ticket_id=1, filename="gone.pdf", content_type="application/pdf", size=3, digest="a" * 64)
    with pytest.raises(HTTPNotFound):
        attachments.open_for_download(store, row)
    row.digest = "../../etc/passwd"
    with pytest.raises(HTTPNotFound):
        attachments.open_for_download(store, row)
