"""Uploaded files: checked as they stream in, stored once by content, sent back with safe headers.

A file is accepted only when its extension is one of ``ALLOWED`` and the content ``filetype``
detects is what the extension promises: a ``.pdf`` that is really a program, an archive or a web
page is refused, and plain text must be UTF-8. SVG and HTML are never accepted, since a browser
would run their scripts. Files live under a folder the caller names, by their SHA-256 digest: the
same file uploaded twice is stored once, and no uploader ever chooses a path on disk.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from codecs import getincrementaldecoder
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

import filetype
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import FileIter, Response

from core.i18n import _

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
CHUNK = 64 * 1024
HEAD = 8192  # what filetype reads to recognize a format
# Bidirectional overrides make «exe.pdf» look like «fdp.exe»; control characters break headers.
_UNSAFE_NAME_CHARACTERS = re.compile("[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]")


class UploadRefused(Exception):
    """An upload was refused; ``message`` is a translation string naming the file."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload, not yet stored: its clean name, type, size, digest and content."""

    filename: str
    content_type: str
    size: int
    digest: str
    source: BinaryIO  # positioned anywhere; ``store`` rewinds it


def check(field_storage, *, max_mb, kind_refused: Callable[[str], object], name_length: int = 255) -> CheckedUpload:
    """Check one uploaded file (a WebOb field storage: ``filename`` and ``file``) of at most
    ``max_mb`` megabytes. Raises ``UploadRefused`` when it is empty, too large, of a kind not
    allowed (with the message ``kind_refused(filename)``) or not what its name says."""
    filename = clean_filename(field_storage.filename, name_length)
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    if extension not in ALLOWED:
        raise UploadRefused(kind_refused(filename))
    source = field_storage.file
    source.seek(0)
    limit = int(float(max_mb) * 1024 * 1024)
    digest, size, head = hashlib.sha256(), 0, b""
    text = getincrementaldecoder("utf-8")() if ALLOWED[extension] is None else None
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise UploadRefused(_("«${name}» is larger than ${max} MB.", mapping={"name": filename, "max": max_mb}))
        digest.update(chunk)
        if len(head) < HEAD:
            head += chunk[:HEAD - len(head)]
        if text is not None:
            _decode(text, chunk, filename)
    if size == 0:
        raise UploadRefused(_("«${name}» is empty.", mapping={"name": filename}))
    if text is not None:
        _decode(text, b"", filename, final=True)
    expected = ALLOWED[extension]
    if filetype.guess_mime(head) != expected:
        raise UploadRefused(_("«${name}» does not contain what its name says: it is not a real .${extension} file.",
                              mapping={"name": filename, "extension": extension}))
    return CheckedUpload(filename, expected or TEXT_TYPE, size, digest.hexdigest(), source)


def _decode(decoder, chunk: bytes, filename: str, final: bool = False) -> None:
    try:
        decoded = decoder.decode(chunk, final)
    except UnicodeDecodeError:
        decoded = "\0"
    if "\0" in decoded:
        raise UploadRefused(_("«${name}» is not a plain text file in UTF-8.", mapping={"name": filename}))


def clean_filename(raw: str, length: int = 255) -> str:
    """The name to show and to send back: no folders, no control or direction-override
    characters, at most ``length`` characters with the extension kept."""
    name = unicodedata.normalize("NFC", str(raw).replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE_NAME_CHARACTERS.sub("", name).strip().rstrip(". ")
    stem, extension = os.path.splitext(name)
    if stem.startswith(".") and not extension:  # ".pdf": only an extension
        stem, extension = "", stem
    stem = stem.strip() or "file"
    return stem[:length - len(extension)] + extension


def stored_path(folder: str, digest: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(f"not a SHA-256 digest: {digest!r}")
    return os.path.join(os.path.abspath(folder), digest[:2], digest)


def store(folder: str, upload: CheckedUpload) -> None:
    """Write ``upload`` under ``folder`` unless the same content is there already. Files are
    written before the caller's transaction commits; if it rolls back the file stays unreferenced,
    which is harmless (a later upload of the same content reuses it)."""
    path = stored_path(folder, upload.digest)
    if not os.path.exists(path):
        _write(upload.source, path)


def _write(source: BinaryIO, path: str) -> None:
    """Through a temporary file in the same folder, so a reader never sees half a file."""
    target_folder = os.path.dirname(path)
    os.makedirs(target_folder, exist_ok=True)
    source.seek(0)
    handle, temporary = tempfile.mkstemp(dir=target_folder, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as target:
            while chunk := source.read(CHUNK):
                target.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def open_stored(folder: str, digest: str) -> BinaryIO:
    """The stored content; ``HTTPNotFound`` if the file is gone from disk."""
    try:
        return open(stored_path(folder, digest), "rb")  # noqa: SIM115 - closed by FileIter
    except (OSError, ValueError):
        raise HTTPNotFound() from None


def file_response(folder: str, *, digest: str, filename: str, content_type: str, size: int,
                  inline: bool = False, cache_control: str = "private, no-store") -> Response:
    """The stored file under its original name; the caller has checked that the reader may see it."""
    answer = Response(app_iter=FileIter(open_stored(folder, digest)), content_type=content_type,
                      content_length=size, charset="utf-8" if content_type == TEXT_TYPE else None)
    answer.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    answer.headers["X-Content-Type-Options"] = "nosniff"
    answer.cache_control = cache_control
    return answer


def content_disposition(filename: str, inline: bool = False) -> str:
    """An ASCII fallback name and the real (often Persian) name per RFC 5987."""
    stem, extension = os.path.splitext(filename)
    fallback_stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_") or "file"
    fallback = fallback_stem + re.sub(r"[^A-Za-z0-9.]", "", extension)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
