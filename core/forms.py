"""Forms: deform rendering in the reader's language, and colander pieces every plugin reuses.

- ``NormalizedString``: a string type that normalizes Persian input (Arabic ي/ك, digits, ZWNJ).
- ``JalaliDate`` with ``JalaliDateWidget``: dates typed and shown in the Jalali calendar.
- ``document``: a file a request form asks for, checked by ``core.uploads``; ``choice``: one of a list.
- validators for the Iranian national code and mobile numbers.
- ``render_form`` / ``validate_form``: one call each from a view.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from numbers import Number

import colander
import deform
from markupsafe import Markup
from pyramid.csrf import get_csrf_token
from pyramid.path import AssetResolver
from pyramid.threadlocal import get_current_request
from translationstring import TranslationString

from core import i18n, uploads
from core.i18n import _
from core.normalize import (
    is_valid_mobile,
    is_valid_national_code,
    normalize_digits,
    normalize_line,
    normalize_mobile,
    normalize_text,
    to_persian_digits,
)


class NormalizedString(colander.String):
    """A string with Persian input normalized; ``multiline`` keeps line breaks."""

    def __init__(self, multiline: bool = False, **kw):
        super().__init__(**kw)
        self.multiline = multiline

    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        if value is colander.null:
            return value
        value = normalize_text(value) if self.multiline else normalize_line(value)
        return value or colander.null


class Digits(colander.String):
    """Digits from any script, stored as Latin digits (national codes, postal codes)."""

    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        return normalize_digits(value) if value is not colander.null else value


class Mobile(colander.String):
    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        return normalize_mobile(value) if value is not colander.null else value


def national_code_validator(node, value):
    if not is_valid_national_code(value):
        raise colander.Invalid(node, _("This national code is not valid (check its 10 digits)."))


def mobile_validator(node, value):
    if not is_valid_mobile(value):
        raise colander.Invalid(node, _("Enter a mobile number like 09121234567."))


class JalaliDate(colander.SchemaType):
    """A ``datetime.date`` typed as a Jalali date: ``۱۴۰۵/۰۹/۰۳``, ``1405/9/3`` or ``1405-09-03``."""

    def serialize(self, node, appstruct):
        if appstruct is colander.null or appstruct is None:
            return colander.null
        if not isinstance(appstruct, date):
            raise colander.Invalid(node, _("Not a date"))
        return i18n.format_jalali_input(appstruct, _readers_language())

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None, ""):
            return colander.null
        try:
            return i18n.parse_jalali_date(str(cstruct))
        except i18n.ImpossibleDate as impossible:
            raise colander.Invalid(node, _in_readers_digits(impossible.message)) from None
        except ValueError:
            raise colander.Invalid(
                node, _("Enter a Jalali date as year/month/day, for example 1405/09/03.")
            ) from None


class JalaliDateWidget(deform.widget.TextInputWidget):
    """A text input for Jalali dates with a small calendar picker (``core/static/jalali.js``)."""

    template = "jalali_date"
    readonly_template = "readonly/textinput"
    example = "1405/09/03"  # the placeholder, in the page's digits
    hint = _("Year/month/day in the Jalali calendar. In the calendar, arrow keys move, Enter picks and "
             "Escape closes.")

    def serialize(self, field, cstruct, **kw):
        # The hint is a translation string of the pishkhan catalog, translated here rather than
        # in the template so that the catalog's extraction (Python and Jinja2) finds it.
        kw.setdefault("hint", _translator(self.hint))
        kw.setdefault("placeholder", to_persian_digits(self.example) if _readers_language() == "fa" else self.example)
        return super().serialize(field, cstruct, **kw)


class Document(colander.SchemaType):
    """An uploaded file. The value is a ``core.uploads.CheckedUpload`` (``filename``,
    ``content_type``, ``size``, ``digest``, ``source``), checked as ``core.uploads.check`` checks
    (kind, size up to ``max_mb``, content matching the name); store it with ``core.uploads.store``.

    The posted value is anything with ``filename`` and ``file`` (a WebOb field storage, or what a
    JSON API builds from its body). A file input cannot be filled again by the server, so a form
    shown again after an error asks for the file again.
    """

    def __init__(self, max_mb: float = 10):
        self.max_mb = max_mb

    def serialize(self, node, appstruct):
        return colander.null

    def deserialize(self, node, cstruct):
        if isinstance(cstruct, uploads.CheckedUpload):
            return cstruct
        if cstruct in (colander.null, None, "", b"") or not getattr(cstruct, "filename", None):
            return colander.null
        try:
            return uploads.check(cstruct, max_mb=self.max_mb, kind_refused=_document_kind_refused)
        except uploads.UploadRefused as refused:
            raise colander.Invalid(node, refused.message) from None


def _document_kind_refused(filename: str):
    return _("«${name}»: this kind of file is not accepted. Send images (JPG, PNG, GIF, WebP), PDF, "
             "plain text, Word, Excel, PowerPoint, OpenDocument text or ZIP files.",
             mapping={"name": filename})


class DocumentWidget(deform.widget.Widget):
    """A file input (``core/templates/deform/document.pt``); the form must be
    ``multipart/form-data`` (deform's forms and the tickets portal are)."""

    template = "document"
    readonly_template = "document"
    accept = ",".join(f".{extension}" for extension in uploads.ALLOWED)
    hint = _("Choose the file again if the form is shown again with an error.")

    def serialize(self, field, cstruct, **kw):
        kw.setdefault("hint", _translator(self.hint))
        values = self.get_template_values(field, cstruct, kw)
        return field.renderer(self.template, **values)

    def deserialize(self, field, pstruct):
        if pstruct in (colander.null, None, "", b""):
            return colander.null
        return pstruct


def document(title: str, description: str = "", missing=colander.required, *, name: str = "",
             max_mb: float = 10) -> colander.SchemaNode:
    """A document a request form requires (or, with ``missing=None``, accepts)."""
    return colander.SchemaNode(
        Document(max_mb), name=name, title=title, description=description, missing=missing,
        widget=DocumentWidget(),
        missing_msg=_("Attach «${title}».", mapping={"title": title}),
    )


def jalali_date(title: str, description: str = "", missing=colander.required, *,
                name: str = "") -> colander.SchemaNode:
    """A Jalali date field with its picker."""
    return colander.SchemaNode(JalaliDate(), name=name, title=title, description=description,
                               missing=missing, widget=JalaliDateWidget())


def choice(title: str, options: Sequence[str], description: str = "", missing=colander.required, *,
           name: str = "") -> colander.SchemaNode:
    """One of ``options`` in a drop-down; the value is the option as written (Persian data)."""
    return colander.SchemaNode(
        colander.String(), name=name, title=title, description=description, missing=missing,
        validator=colander.OneOf(list(options), msg_err=_("Choose one of the listed options.")),
        widget=deform.widget.SelectWidget(values=[("", "—"), *((option, option) for option in options)]),
        missing_msg=_("This field is required."),
    )


def _readers_language() -> str:
    """The page's language; Persian when there is no request."""
    return getattr(get_current_request(), "locale_name", None) or i18n.DEFAULT_LANGUAGE


def _in_readers_digits(message: TranslationString) -> TranslationString:
    """The message with the numbers of its mapping in the digits of the page's language
    (Persian digits in Persian, the default when there is no request)."""
    if _readers_language() != "fa" or not message.mapping:
        return message
    return TranslationString(message, mapping={key: to_persian_digits(str(value))
                                               for key, value in message.mapping.items()})


def _translator(term):
    """Translate for deform in the reader's language; the numbers a message carries (colander's
    "Longer than maximum length ${max}", "Task ${number}") in Persian digits in Persian."""
    request = get_current_request()
    if request is None or not isinstance(term, TranslationString):
        return term
    if term.mapping and request.locale_name == "fa":
        term = TranslationString(term, mapping={
            key: to_persian_digits(str(value)) if isinstance(value, Number) and not isinstance(value, bool) else value
            for key, value in term.mapping.items()})
    return request.localizer.translate(term)


def render_form(form: deform.Form, appstruct=colander.null) -> Markup:
    return Markup(form.render(appstruct))


def validate_form(form: deform.Form, request) -> tuple[dict | None, Markup]:
    """Validate the posted controls; return ``(appstruct, html)``, ``appstruct`` ``None`` on errors.

    On errors the HTML keeps everything that was typed, with a message beside each bad field.
    """
    try:
        appstruct = form.validate(list(request.POST.items()))
    except deform.ValidationFailure as failure:
        return None, Markup(failure.render())
    return appstruct, Markup("")


def csrf_form(schema: colander.Schema, request, buttons=(), bindings: dict | None = None, **kw) -> deform.Form:
    """A deform form carrying the CSRF token as a hidden field; the schema is bound to the
    request and ``bindings``."""
    schema = schema.bind(request=request, **(bindings or {}))
    schema.add(
        colander.SchemaNode(
            colander.String(),
            name="csrf_token",
            widget=deform.widget.HiddenWidget(),
            default=get_csrf_token(request),
            missing=colander.null,
        )
    )
    return deform.Form(schema, buttons=buttons, **kw)


def includeme(config):
    config.add_translation_dirs("colander:locale/", "deform:locale/")
    deform.Form.set_default_renderer(_renderer())
    config.add_static_view("static/deform", "deform:static", cache_max_age=86400)


@lru_cache(maxsize=1)
def _renderer() -> deform.ZPTRendererFactory:
    """One renderer per process: it keeps the compiled templates, which take seconds to compile
    (every app made in a test run would compile them again)."""
    return deform.ZPTRendererFactory(
        [
            _asset_path("core:templates/deform"),
            _asset_path("deform:templates"),
        ],
        translator=_translator,
    )


def _asset_path(spec: str) -> str:
    return AssetResolver().resolve(spec).abspath()
