"""Files attached to tickets: checked on upload, stored by content, sent back as downloads.

The portal and the agent workspace use the same five calls::

    uploads = [validate_upload(field, settings) for field in uploaded_files(request, "attachments")]
    ...                                   # AttachmentError(message) refuses the whole form
    save(dbsession, settings, upload, ticket, comment=comment, uploaded_by=request.user)
    ...                                   # later, once the caller may see ``attachment``:
    return download_response(request, attachment)

The checks and the storage by SHA-256 digest are ``core.uploads``; files live under the
``tickets.attachments_dir`` setting (relative to the current directory).
"""
from __future__ import annotations

import os
from typing import BinaryIO

from pyramid.response import Response

from core import uploads
from core.db import utcnow
from core.i18n import _
from core.uploads import CHUNK, clean_filename  # noqa: F401 - part of this module's interface
from plugins.tickets.models import Attachment, Comment, Ticket

MAX_FILES = 10
AttachmentError = uploads.UploadRefused
ValidatedFile = uploads.CheckedUpload


def uploaded_files(request, name: str) -> list:
    """The files posted in the form field ``name`` (an empty file input posts nothing usable)."""
    return [item for item in request.POST.getall(name) if getattr(item, "filename", None)]


def validate_uploads(fields: list, settings) -> list[ValidatedFile]:
    """``validate_upload`` for each file of one form, at most ``MAX_FILES`` of them."""
    if len(fields) > MAX_FILES:
        raise AttachmentError(_("Attach at most ${max} files at a time.", mapping={"max": MAX_FILES}))
    return [validate_upload(field, settings) for field in fields]


def validate_upload(field_storage, settings) -> ValidatedFile:
    """Check one uploaded file (see ``core.uploads.check``); raises ``AttachmentError``."""
    return uploads.check(field_storage, max_mb=settings.get("tickets.max_attachment_mb", 10),
                         kind_refused=_kind_refused)


def _kind_refused(filename: str):
    return _("«${name}»: this kind of file cannot be attached. Attach images (JPG, PNG, GIF, "
             "WebP), PDF, plain text, Word, Excel, PowerPoint, OpenDocument text or ZIP files.",
             mapping={"name": filename})


def storage_dir(settings) -> str:
    return os.path.abspath(settings.get("tickets.attachments_dir", "var/attachments"))


def save(dbsession, settings, upload: ValidatedFile, ticket: Ticket, *, comment: Comment | None = None,
         internal: bool = False, uploaded_by=None, label: str | None = None) -> Attachment:
    """Store ``upload`` (once per content) and attach it to ``ticket``, or to ``comment`` of it.

    An attachment of an internal note is internal too: requesters never see it. ``label`` is
    the title of the request form's field the file answers.
    """
    uploads.store(storage_dir(settings), upload)
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
        label=label,
    )
    dbsession.add(attachment)
    return attachment


def open_for_download(settings, attachment: Attachment) -> BinaryIO:
    """The stored content of ``attachment``; ``HTTPNotFound`` if the file is gone from disk."""
    return uploads.open_stored(storage_dir(settings), attachment.digest)


def download_response(request, attachment: Attachment) -> Response:
    """Send ``attachment`` as a download under its original name. The caller checks first that
    the person may see it (requesters: their ticket's public attachments only)."""
    return uploads.file_response(storage_dir(request.registry.settings), digest=attachment.digest,
                                 filename=attachment.filename, content_type=attachment.content_type,
                                 size=attachment.size)
