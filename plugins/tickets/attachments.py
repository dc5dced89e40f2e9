"""Files attached to tickets: checked on upload, stored by content, sent back as downloads.

The portal and the agent workspace use the same five calls::

    uploads = [validate_upload(field, settings) for field in uploaded_files(request, "attachments")]
    ...                                   # AttachmentError(message) refuses the whole form
    save(dbsession, settings, upload, ticket, comment=comment, uploaded_by=request.user)
    ...                                   # later, once the caller may see ``attachment``:
    return download_response(request, attachment)

A file is accepted only when its extension is one of ``ALLOWED`` and the content that
``filetype`` detects is what the extension promises: a ``.pdf`` that is really a program, an
archive or a web page is refused, and plain text must be UTF-8. Files live under the
``tickets.attachments_dir`` setting (relative to the current directory), named by their SHA-256
digest: the same file attached twice is stored once, and no uploader ever chooses a path on disk.
Files are written before the transaction commits; if it rolls back the file stays unreferenced,
which is harmless (a later upload of the same content reuses it).
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from codecs import getincrementaldecoder
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

import filetype
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import FileIter, Response

from core.db import utcnow
from core.i18n import _
from plugins.tickets.models import Attachment, Comment, Ticket

# extension → the content type stored and served; ``None`` marks plain text (no magic number).
ALLOWED = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "txt": None,
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "zip": "application/zip",
}
TEXT_TYPE = "text/plain"
MAX_FILES = 10
CHUNK = 64 * 1024
HEAD = 8192  # what filetype reads to recognize a format
# Bidirectional overrides make «exe.pdf» look like «fdp.exe»; control characters break headers.
_UNSAFE_NAME_CHARACTERS = re.compile("[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]")


class AttachmentError(Exception):
    """An uploaded file was refused; ``message`` is a translation string naming the file."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class ValidatedFile:
    """An accepted upload, not yet stored: its clean name, type, size, digest and content."""

    filename: str
    content_type: str
    size: int
    digest: str
    source: BinaryIO  # positioned anywhere; ``save`` rewinds it


def uploaded_files(request, name: str) -> list:
    """The files posted in the form field ``name`` (an empty file input posts nothing usable)."""
    return [item for item in request.POST.getall(name) if getattr(item, "filename", None)]


def max_bytes(settings) -> int:
    return int(float(settings.get("tickets.max_attachment_mb", 10)) * 1024 * 1024)


def validate_uploads(fields: list, settings) -> list[ValidatedFile]:
    """``validate_upload`` for each file of one form, at most ``MAX_FILES`` of them."""
    if len(fields) > MAX_FILES:
        raise AttachmentError(_("Attach at most ${max} files at a time.", mapping={"max": MAX_FILES}))
    return [validate_upload(field, settings) for field in fields]


def validate_upload(field_storage, settings) -> ValidatedFile:
    """Check one uploaded file (a WebOb field storage: ``filename`` and ``file``).

    Raises ``AttachmentError`` when it is empty, too large, of a type not allowed, or its content
    is not what its name says.
    """
    filename = clean_filename(field_storage.filename)
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    if extension not in ALLOWED:
        raise AttachmentError(_("«${name}»: this kind of file cannot be attached. Attach images (JPG, PNG, GIF, "
                                "WebP), PDF, plain text, Word, Excel, PowerPoint, OpenDocument text or ZIP files.",
                                mapping={"name": filename}))
    source = field_storage.file
    source.seek(0)
    limit = max_bytes(settings)
    digest, size, head = hashlib.sha256(), 0, b""
    text = getincrementaldecoder("utf-8")() if ALLOWED[extension] is None else None
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise AttachmentError(_("«${name}» is larger than ${max} MB.",
                                    mapping={"name": filename, "max": settings.get("tickets.max_attachment_mb", 10)}))
        digest.update(chunk)
        if len(head) < HEAD:
            head += chunk[:HEAD - len(head)]
        if text is not None:
            _decode(text, chunk, filename)
    if size == 0:
        raise AttachmentError(_("«${name}» is empty.", mapping={"name": filename}))
    if text is not None:
        _decode(text, b"", filename, final=True)
    content_type = _check_content(head, extension, filename)
    return ValidatedFile(filename, content_type, size, digest.hexdigest(), source)


def _decode(decoder, chunk: bytes, filename: str, final: bool = False) -> None:
    try:
        decoded = decoder.decode(chunk, final)
    except UnicodeDecodeError:
        decoded = "\0"
    if "\0" in decoded:
        raise AttachmentError(_("«${name}» is not a plain text file in UTF-8.", mapping={"name": filename}))


def _check_content(head: bytes, extension: str, filename: str) -> str:
    detected = filetype.guess_mime(head)
    expected = ALLOWED[extension]
    if detected != expected:
        raise AttachmentError(_("«${name}» does not contain what its name says: it is not a real .${extension} file.",
                                mapping={"name": filename, "extension": extension}))
    return expected or TEXT_TYPE


def clean_filename(raw: str) -> str:
    """The name to show and to send back: no folders, no control or direction-override
    characters, at most 255 characters with the extension kept."""
    name = unicodedata.normalize("NFC", str(raw).replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE_NAME_CHARACTERS.sub("", name).strip().rstrip(". ")
    stem, extension = os.path.splitext(name)
    if stem.startswith(".") and not extension:  # ".pdf": only an extension
        stem, extension = "", stem
    stem = stem.strip() or "file"
    return stem[:255 - len(extension)] + extension


def storage_dir(settings) -> str:
    return os.path.abspath(settings.get("tickets.attachments_dir", "var/attachments"))


def stored_path(settings, digest: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(f"not a SHA-256 digest: {digest!r}")
    return os.path.join(storage_dir(settings), digest[:2], digest)


def save(dbsession, settings, upload: ValidatedFile, ticket: Ticket, *, comment: Comment | None = None,
         internal: bool = False, uploaded_by=None) -> Attachment:
    """Store ``upload`` (once per content) and attach it to ``ticket``, or to ``comment`` of it.

    An attachment of an internal note is internal too: requesters never see it.
    """
    path = stored_path(settings, upload.digest)
    if not os.path.exists(path):
        _write(upload.source, path)
    attachment = Attachment(
        ticket_id=ticket.id,
        comment_id=comment.id if comment is not None else None,
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        digest=upload.digest,
        is_internal=internal or (comment is not None and comment.is_internal),
        uploaded_by_id=uploaded_by.id if uploaded_by is not None else None,
        created_at=utcnow(),
    )
    dbsession.add(attachment)
    return attachment


def _write(source: BinaryIO, path: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a file."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    source.seek(0)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as target:
            while chunk := source.read(CHUNK):
                target.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def open_for_download(settings, attachment: Attachment) -> BinaryIO:
    """The stored content of ``attachment``; ``HTTPNotFound`` if the file is gone from disk."""
    try:
        return open(stored_path(settings, attachment.digest), "rb")  # noqa: SIM115 - closed by FileIter
    except (OSError, ValueError):
        raise HTTPNotFound() from None


def download_response(request, attachment: Attachment) -> Response:
    """Send ``attachment`` as a download under its original name. The caller checks first that
    the person may see it (requesters: their ticket's public attachments only)."""
    response = Response(
        app_iter=FileIter(open_for_download(request.registry.settings, attachment)),
        content_type=attachment.content_type,
        content_length=attachment.size,
        charset="utf-8" if attachment.content_type == TEXT_TYPE else None,
    )
    response.headers["Content-Disposition"] = content_disposition(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control = "private, no-store"
    return response


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the real (often Persian) name per RFC 5987."""
    stem, extension = os.path.splitext(filename)
    fallback_stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_") or "file"
    fallback = fallback_stem + re.sub(r"[^A-Za-z0-9.]", "", extension)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
