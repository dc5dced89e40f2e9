"""Images and attachments of articles: checked on upload, stored by content, served back.

A file is accepted only when its extension is one of ``ALLOWED`` and the content ``filetype``
detects is what the extension promises (plain text must be UTF-8); SVG and HTML are never
accepted, since a browser would run their scripts. Files live under ``kb.files_dir`` named by
their SHA-256 digest, so the same image used twice is stored once and no uploader chooses a path
on disk. Files are written before the transaction commits; if it rolls back the file stays
unreferenced, which is harmless. Only images are shown inline; everything else is a download,
and every answer says ``nosniff``.
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
from urllib.parse import quote, unquote

import filetype
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import FileIter, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.i18n import _
from plugins.kb.models import Article, ArticleFile, Audience, State

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
MAX_FILES_PER_ARTICLE = 50
# Bidirectional overrides make «exe.pdf» look like «fdp.exe»; control characters break headers.
_UNSAFE_NAME_CHARACTERS = re.compile("[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]")
# Characters that would end a Markdown image's text or address early.
_MARKDOWN_TEXT = re.compile(r"([\\\[\]])")
_MARKDOWN_ADDRESS = re.compile(r"[\s()<>\\%?#]")


class FileRefused(Exception):
    """An upload was refused; ``message`` is a translation string naming the file."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    size: int
    digest: str
    source: BinaryIO


def max_bytes(settings) -> int:
    return int(float(settings.get("kb.max_file_mb", 5)) * 1024 * 1024)


def check(field_storage, settings) -> CheckedFile:
    """Check one uploaded file (a WebOb field storage: ``filename`` and ``file``); raises
    ``FileRefused`` when it is empty, too large, of a kind not allowed, or not what its name says."""
    filename = clean_filename(field_storage.filename)
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    if extension not in ALLOWED:
        raise FileRefused(_("«${name}»: this kind of file cannot be added. Add images (JPG, PNG, GIF, WebP), PDF, "
                            "plain text, Word, Excel, PowerPoint, OpenDocument text or ZIP files.",
                            mapping={"name": filename}))
    source = field_storage.file
    source.seek(0)
    limit = max_bytes(settings)
    digest, size, head = hashlib.sha256(), 0, b""
    text = getincrementaldecoder("utf-8")() if ALLOWED[extension] is None else None
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FileRefused(_("«${name}» is larger than ${max} MB.",
                                mapping={"name": filename, "max": settings.get("kb.max_file_mb", 5)}))
        digest.update(chunk)
        if len(head) < HEAD:
            head += chunk[:HEAD - len(head)]
        if text is not None:
            _decode(text, chunk, filename)
    if size == 0:
        raise FileRefused(_("«${name}» is empty.", mapping={"name": filename}))
    if text is not None:
        _decode(text, b"", filename, final=True)
    expected = ALLOWED[extension]
    if filetype.guess_mime(head) != expected:
        raise FileRefused(_("«${name}» does not contain what its name says: it is not a real .${extension} file.",
                            mapping={"name": filename, "extension": extension}))
    return CheckedFile(filename, expected or TEXT_TYPE, size, digest.hexdigest(), source)


def _decode(decoder, chunk: bytes, filename: str, final: bool = False) -> None:
    try:
        decoded = decoder.decode(chunk, final)
    except UnicodeDecodeError:
        decoded = "\0"
    if "\0" in decoded:
        raise FileRefused(_("«${name}» is not a plain text file in UTF-8.", mapping={"name": filename}))


def clean_filename(raw: str) -> str:
    """No folders, no control or direction-override characters, at most 200 characters with the
    extension kept."""
    name = unicodedata.normalize("NFC", str(raw).replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE_NAME_CHARACTERS.sub("", name).strip().rstrip(". ")
    stem, extension = os.path.splitext(name)
    if stem.startswith(".") and not extension:
        stem, extension = "", stem
    stem = stem.strip() or "file"
    return stem[:200 - len(extension)] + extension


def stored_path(settings, digest: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(f"not a SHA-256 digest: {digest!r}")
    return os.path.join(os.path.abspath(settings.get("kb.files_dir", "var/kb-files")), digest[:2], digest)


def save(dbsession: Session, settings, upload: CheckedFile, article: Article, uploaded_by=None) -> ArticleFile:
    """Store ``upload`` (once per content) and add it to ``article``."""
    count = len(files_of(dbsession, article.id))
    if count >= MAX_FILES_PER_ARTICLE:
        raise FileRefused(_("An article has at most ${max} files; remove one first.",
                            mapping={"max": MAX_FILES_PER_ARTICLE}))
    path = stored_path(settings, upload.digest)
    if not os.path.exists(path):
        _write(upload.source, path)
    row = ArticleFile(article_id=article.id, filename=upload.filename, content_type=upload.content_type,
                      size=upload.size, digest=upload.digest, created_at=utcnow(),
                      uploaded_by_id=uploaded_by.id if uploaded_by is not None else None)
    dbsession.add(row)
    dbsession.flush()
    return row


def _write(source: BinaryIO, path: str) -> None:
    """Through a temporary file in the same folder, so a reader never sees half a file."""
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


def files_of(dbsession: Session, article_id: int) -> list[ArticleFile]:
    return list(dbsession.scalars(select(ArticleFile).where(ArticleFile.article_id == article_id)
                                  .order_by(ArticleFile.id)))


def is_image(row: ArticleFile) -> bool:
    return row.content_type.startswith("image/")


def markdown_snippet(row: ArticleFile, address: str) -> str:
    """What an author pastes into the text: an image, or a link to the attachment. The address
    keeps Persian letters readable; only what would end a Markdown address early is escaped."""
    text = _MARKDOWN_TEXT.sub(r"\\\1", os.path.splitext(row.filename)[0] if is_image(row) else row.filename)
    address = _MARKDOWN_ADDRESS.sub(lambda found: quote(found.group()), unquote(address))
    return f"![{text}]({address})" if is_image(row) else f"[{text}]({address})"


def response(request, row: ArticleFile, article: Article) -> Response:
    """The file itself; the caller has checked that the reader may read ``article``."""
    try:
        source = open(stored_path(request.registry.settings, row.digest), "rb")  # noqa: SIM115 - FileIter closes it
    except (OSError, ValueError):
        raise HTTPNotFound() from None
    answer = Response(app_iter=FileIter(source), content_type=row.content_type, content_length=row.size,
                      charset="utf-8" if row.content_type == TEXT_TYPE else None)
    answer.headers["Content-Disposition"] = content_disposition(row.filename, inline=is_image(row))
    answer.headers["X-Content-Type-Options"] = "nosniff"
    everyone = article.state == State.published.value and article.audience == Audience.public.value
    answer.cache_control = "public, max-age=3600" if everyone else "private, no-store"
    return answer


def content_disposition(filename: str, inline: bool) -> str:
    """An ASCII fallback name and the real (often Persian) name per RFC 5987."""
    stem, extension = os.path.splitext(filename)
    fallback_stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_") or "file"
    fallback = fallback_stem + re.sub(r"[^A-Za-z0-9.]", "", extension)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
