"""Request forms: a service's own fields (``pishkhan_request_form``) under the subject and the
description, validated against the schema and stored with the ticket as they read.

The fields are posted inside a ``form`` mapping (deform's ``__start__ form:mapping`` markers), so
their names never clash with the portal's own fields. What is stored is, for each field, its
name, its title and its value as the requester saw them (``Ticket.form_values``): the ticket
stays readable when the plugin that provides the form is disabled later. Documents
(``core.forms.document``) become the ticket's attachments, labelled with the field's title.

Every reader sees the answers in their own language (``answer``): numbers in that language's
digits (input is stored with Latin digits), a date in its calendar. So a stored answer may say
what its value is besides the text: ``date`` (ISO) for a date, ``file`` for a document's name,
shown as named.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace

import colander
import deform
import peppercorn
from markupsafe import Markup

from core import i18n
from core.forms import Document
from core.i18n import _
from core.uploads import CheckedUpload

FORM = "form"


class FormRefused(Exception):
    """The request form's values are not acceptable: ``errors`` maps a field's name to its
    translated message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class SubmittedForm:
    """What the ticket keeps: the values as read (``Ticket.form_values``) and the documents to
    attach, each with the title of its field."""

    values: list[dict] = field(default_factory=list)
    documents: list[tuple[str, CheckedUpload]] = field(default_factory=list)


def schema_for(request, service_key: str | None) -> colander.SchemaNode | None:
    """The service's request form, or ``None`` when it has none."""
    if not service_key:
        return None
    schema = request.registry.pluginmanager.hook.pishkhan_request_form(request=request, service_key=service_key)
    return schema.clone() if schema is not None else None


def has_documents(schema: colander.SchemaNode | None) -> bool:
    return schema is not None and any(isinstance(node.typ, Document) for node in schema.children)


REFUSED = _("Some details this service needs are missing or not valid: see the marked fields below.")
FILES_AGAIN = _("Nothing was sent. What you typed is kept below, but browsers do not keep chosen files: "
                "choose your files again.")


def refusal(request, schema: colander.SchemaNode) -> str:
    """What a page says above a refused service form (the portal's and the front desk's)."""
    translate = request.localizer.translate
    message = translate(REFUSED)
    return f"{message} {translate(FILES_AGAIN)}" if has_documents(schema) else message


class RequestForm:
    """The fields of one service's form on the portal's page, as deform renders them."""

    def __init__(self, request, schema: colander.SchemaNode, title: str = ""):
        self.request = request
        self.schema = schema
        inner = schema.clone()
        inner.name = FORM
        inner.title = title
        outer = colander.SchemaNode(colander.Mapping())
        outer.add(inner)
        # The page's own fields come first: deform must not move the focus into the service's.
        self.form = deform.Form(outer.bind(request=request), formid="request-form", focus="off")
        self.field = self.form[FORM]

    def html(self) -> Markup:
        return Markup(self.field.serialize())

    def validate(self) -> SubmittedForm:
        """The posted values; ``FormRefused`` for a missing, bad or unknown field (the fields are
        then shown again as typed, with the messages beside them)."""
        posted = peppercorn.parse(list(self.request.POST.items())).get(FORM, {})
        if not isinstance(posted, dict):
            posted = {}
        unknown = sorted(set(posted) - {node.name for node in self.schema.children})
        try:
            appstruct = self.form.validate_pstruct({FORM: posted})[FORM]
        except deform.ValidationFailure as failure:
            raise FormRefused(_messages(self.request, failure.error, FORM)) from None
        if unknown:
            raise FormRefused({unknown[0]: self.request.localizer.translate(_("This form has no such field."))})
        return submitted(self.request, self.schema, appstruct)


def validate_json(request, schema: colander.SchemaNode, data) -> SubmittedForm:
    """The ``form`` object of a JSON body: ``{field name: value}``. A document is
    ``{"filename": ..., "content": <base64>}``. ``FormRefused`` names the bad fields."""
    translate = request.localizer.translate
    if not isinstance(data, dict):
        raise FormRefused({"": translate(_("Give the service's form as an object of field names and values."))})
    names = {node.name for node in schema.children}
    errors = {name: translate(_("This form has no such field.")) for name in sorted(set(data) - names)}
    if errors:
        raise FormRefused(errors)
    values = {}
    for node in schema.children:
        value = data.get(node.name, colander.null)
        if isinstance(node.typ, Document) and value is not colander.null:
            value = _json_document(value)
            if value is None:
                errors[node.name] = translate(_('Send a document as {"filename": …, "content": base64}.'))
        values[node.name] = colander.null if value is None else value
    try:
        appstruct = schema.bind(request=request).deserialize(values)
    except colander.Invalid as invalid:
        errors.update(_messages(request, invalid))
    if errors:
        raise FormRefused(errors)
    return submitted(request, schema, appstruct)


def _json_document(value) -> SimpleNamespace | None:
    if not isinstance(value, dict) or not isinstance(value.get("filename"), str):
        return None
    try:
        content = base64.b64decode(str(value.get("content", "")), validate=True)
    except (binascii.Error, ValueError):
        return None
    return SimpleNamespace(filename=value["filename"], file=io.BytesIO(content))


def _messages(request, invalid: colander.Invalid, prefix: str = "") -> dict[str, str]:
    messages = invalid.asdict(translate=request.localizer.translate)
    start = f"{prefix}." if prefix else ""
    return {key[len(start):] if key.startswith(start) else key: message for key, message in messages.items()}


def submitted(request, schema: colander.SchemaNode, appstruct: dict) -> SubmittedForm:
    translate = request.localizer.translate
    result = SubmittedForm()
    for node in schema.children:
        value = appstruct.get(node.name)
        title = translate(node.title) if node.title else node.name
        item = {"name": node.name, "title": title, "value": displayed(request, node, value)}
        if isinstance(value, CheckedUpload):
            result.documents.append((title, value))
            item["file"] = True
        elif isinstance(value, date):
            day = i18n.to_tehran(value).date() if isinstance(value, datetime) else value
            item["date"] = day.isoformat()
        result.values.append(item)
    return result


def displayed(request, node: colander.SchemaNode, value) -> str:
    """``value`` as the reader of the form sees it: a choice's label, a Jalali date, a file's name."""
    translate = request.localizer.translate
    if value is None or value is colander.null or value == "":
        return ""
    if isinstance(value, CheckedUpload):
        return value.filename
    choices = getattr(node.widget, "values", None)
    if choices:
        labels = {str(option[0]): translate(option[1]) for option in choices if isinstance(option, tuple | list)}
        if isinstance(value, list | tuple | set | frozenset):
            return i18n.list_separator(request.locale_name).join(
                labels.get(str(item), str(item)) for item in sorted(value, key=str))
        return labels.get(str(value), str(value))
    if isinstance(node.typ, colander.Boolean):
        return translate(_("Yes") if value else _("No"))
    if isinstance(value, date):
        return i18n.format_date(value, request.locale_name)
    serialized = node.serialize(value)
    return "" if serialized is colander.null else str(serialized)


# A date a Persian reader submitted before dates were stored apart (``date``): input is stored
# with Latin digits, so nothing else a requester typed reads like this.
_PERSIAN_DATE = re.compile("[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}")


def answer(item: dict, language: str) -> str:
    """A stored answer as a reader of ``language`` reads it: a date in their calendar (Jalali,
    Persian digits in Persian), numbers in their digits; e-mail addresses, URLs and file names as
    written (``core.i18n.text_digits``)."""
    value = str(item.get("value") or "")
    if item.get("file"):
        return value
    day = _day(item, value)
    if day is not None:
        return i18n.format_date(day, language)
    return i18n.text_digits(value, language)


def _day(item: dict, value: str) -> date | None:
    try:
        if item.get("date"):
            return date.fromisoformat(item["date"])
        if _PERSIAN_DATE.fullmatch(value):
            return i18n.parse_jalali_date(value)
    except (TypeError, ValueError):  # not a day after all: shown as the text it is
        pass
    return None
