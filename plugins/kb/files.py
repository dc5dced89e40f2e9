"""Images and attachments of articles: checked on upload, stored by content, served back.

The checks and the storage by SHA-256 digest are ``core.uploads``; files live under
``kb.files_dir``, so the same image used twice is stored once. Only images are shown inline;
everything else is a download, and every answer says ``nosniff``.
"""
from __future__ import annotations

import os
import re
from urllib.parse import quote, unquote

from pyramid.response import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import uploads
from core.db import utcnow
from core.i18n import _
from core.uploads import ALLOWED  # noqa: F401 - part of this module's interface
from plugins.kb.models import Article, ArticleFile, Audience, State

MAX_FILES_PER_ARTICLE = 50
# Characters that would end a Markdown image's text or address early.
_MARKDOWN_TEXT = re.compile(r"([\\\[\]])")
_MARKDOWN_ADDRESS = re.compile(r"[\s()<>\\%?#]")
FileRefused = uploads.UploadRefused
CheckedFile = uploads.CheckedUpload


def check(field_storage, settings) -> CheckedFile:
    """Check one uploaded file (see ``core.uploads.check``); raises ``FileRefused``."""
    return uploads.check(field_storage, max_mb=settings.get("kb.max_file_mb", 5), kind_refused=_kind_refused,
                         name_length=200)


def _kind_refused(filename: str):
    return _("«${name}»: this kind of file cannot be added. Add images (JPG, PNG, GIF, WebP), PDF, "
             "plain text, Word, Excel, PowerPoint, OpenDocument text or ZIP files.", mapping={"name": filename})


def files_dir(settings) -> str:
    return settings.get("kb.files_dir", "var/kb-files")


def save(dbsession: Session, settings, upload: CheckedFile, article: Article, uploaded_by=None) -> ArticleFile:
    """Store ``upload`` (once per content) and add it to ``article``."""
    count = len(files_of(dbsession, article.id))
    if count >= MAX_FILES_PER_ARTICLE:
        raise FileRefused(_("An article has at most ${max} files; remove one first.",
                            mapping={"max": MAX_FILES_PER_ARTICLE}))
    uploads.store(files_dir(settings), upload)
    row = ArticleFile(article_id=article.id, filename=upload.filename, content_type=upload.content_type,
                      size=upload.size, digest=upload.digest, created_at=utcnow(),
                      uploaded_by_id=uploaded_by.id if uploaded_by is not None else None)
    dbsession.add(row)
    dbsession.flush()
    return row


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
    everyone = article.state == State.published.value and article.audience == Audience.public.value
    return uploads.file_response(files_dir(request.registry.settings), digest=row.digest, filename=row.filename,
                                 content_type=row.content_type, size=row.size, inline=is_image(row),
                                 cache_control="public, max-age=3600" if everyone else "private, no-store")
