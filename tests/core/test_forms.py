import io
from datetime import date
from types import SimpleNamespace

import colander
import deform
import pytest
from bs4 import BeautifulSoup
from pyramid.request import Request
from pyramid.threadlocal import RequestContext

from core.forms import JalaliDate, JalaliDateWidget, choice, document, jalali_date
from core.models import User
from core.schemas import UserSchema, max_length
from core.uploads import CheckedUpload


class Appointment(colander.Schema):
    when = colander.SchemaNode(JalaliDate(), widget=JalaliDateWidget(), title="When")


def test_jalali_date_widget_renders_through_deform(app):
    # ``app`` configures deform's renderer with core/templates/deform before deform:templates.
    html = deform.Form(Appointment()).render({"when": date(2026, 11, 24)})
    field = _input(html, "when")
    assert field.has_attr("data-jalali-date")
    assert field["value"] == "۱۴۰۵/۰۹/۰۳"
    assert field["dir"] == "ltr"
    assert field["inputmode"] == "numeric"
    assert field["placeholder"] == "۱۴۰۵/۰۹/۰۳"
    hint_id = field["aria-describedby"]
    assert _soup(html).find(id=hint_id).text.strip()


def test_jalali_date_hint_is_shown_in_persian(app):
    request = Request.blank("/")
    request.registry = app.registry
    with RequestContext(request):
        html = deform.Form(Appointment()).render({"when": date(2026, 11, 24)})
    hint = _soup(html).find(id=_input(html, "when")["aria-describedby"]).text
    assert "تقویم شمسی" in hint


def test_jalali_date_field_on_an_english_page_is_jalali_in_latin_digits(app):
    """Date fields read Jalali dates in both languages: English shows 1405/09/03, never 2026-11-24."""
    request = Request.blank("/", cookies={"_LOCALE_": "en"})
    request.registry = app.registry
    with RequestContext(request):
        html = deform.Form(Appointment()).render({"when": date(2026, 11, 24)})
    field = _input(html, "when")
    assert (field["value"], field["placeholder"]) == ("1405/09/03", "1405/09/03")


class Named(colander.Schema):
    name = colander.SchemaNode(colander.String(), validator=colander.Length(max=5), title="Name")


@pytest.mark.parametrize(("language", "expected"), [("fa", "(۵ نویسه)"), ("en", "maximum length 5")])
def test_numbers_in_validation_messages_are_in_the_readers_digits(app, language, expected):
    """colander's "Longer than maximum length ${max}" in Persian carries ۵, not 5."""
    request = Request.blank("/", cookies={"_LOCALE_": language})
    request.registry = app.registry
    with RequestContext(request), pytest.raises(deform.ValidationFailure) as failure:
        deform.Form(Named()).validate([("name", "abcdefgh")])
    with RequestContext(request):
        html = failure.value.render()
    assert expected in _soup(html).find(class_="invalid-feedback").text


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۰۳", "1405-9-3", "١٤٠٥/٠٩/٠٣", " 1405/09/03 "])
def test_jalali_date_reads_any_digits(typed):
    assert Appointment().deserialize({"when": typed}) == {"when": date(2026, 11, 24)}


@pytest.mark.parametrize("typed", ["1405/13/40", "1404/12/30", "۱۴۰۵", "tomorrow"])
def test_jalali_date_refuses_what_is_not_a_date(typed):
    with pytest.raises(colander.Invalid) as refused:
        Appointment().deserialize({"when": typed})
    assert "when" in refused.value.asdict()


def test_a_leap_esfand_has_thirty_days():
    assert Appointment().deserialize({"when": "1403/12/30"}) == {"when": date(2025, 3, 20)}


@pytest.mark.parametrize(("typed", "reason"), [
    ("1404/12/30", "There is no ۱۴۰۴/۱۲/۳۰: that month has ۲۹ days."),
    ("۱۴۰۳/۷/۳۱", "There is no ۱۴۰۳/۰۷/۳۱: that month has ۳۰ days."),
    ("1404/13/1", "There is no month ۱۳: months go from 1 to 12."),
    ("04/12/1", "Write the year with four digits."),
])
def test_an_impossible_date_says_what_is_wrong(typed, reason):
    """Written as year/month/day but no such day: the message says why, not how to write a date."""
    with pytest.raises(colander.Invalid) as refused:
        Appointment().deserialize({"when": typed})
    assert refused.value.asdict()["when"] == f"Enter a Jalali date as year/month/day, for example 1405/09/03. {reason}"


def test_form_lengths_follow_the_columns():
    assert max_length(User.__table__.c.full_name).max == 200
    node = UserSchema()["full_name"]
    with pytest.raises(colander.Invalid) as refused:
        node.deserialize("ب" * 201)
    assert refused.value.asdict()["full_name"] == "At most 200 characters."


def _soup(html):
    return BeautifulSoup(html, "html.parser")


def _input(html, name):
    return _soup(html).find("input", {"name": name})


class CertificateRequest(colander.Schema):
    needed_by = jalali_date("Needed by")
    language = colander.SchemaNode(colander.String(), title="Language",
                                   validator=colander.OneOf(["fa", "en"]),
                                   widget=deform.widget.SelectWidget(values=[("fa", "Persian"), ("en", "English")]))
    student_card = document("Student card", "A scan of both sides")


def _posted_file(filename, content):
    return SimpleNamespace(filename=filename, file=io.BytesIO(content))


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_document_field_renders_a_file_input_in_a_deform_form(app):
    html = deform.Form(CertificateRequest()).render()
    field = _input(html, "student_card")
    assert field["type"] == "file"
    assert ".pdf" in field["accept"]
    assert field.has_attr("required")
    assert _input(html, "needed_by").has_attr("data-jalali-date")
    assert 'enctype="multipart/form-data"' in html


def test_a_document_is_checked_by_core_uploads(app):
    controls = [("needed_by", "۱۴۰۵/۰۹/۰۳"), ("language", "fa"),
                ("student_card", _posted_file("کارت.pdf", PDF))]
    appstruct = deform.Form(CertificateRequest()).validate(controls)
    upload = appstruct["student_card"]
    assert isinstance(upload, CheckedUpload)
    assert (upload.filename, upload.content_type, upload.size) == ("کارت.pdf", "application/pdf", len(PDF))
    assert appstruct["needed_by"] == date(2026, 11, 24)


def test_a_required_document_left_out_or_not_what_it_says_is_refused(app):
    form = deform.Form(CertificateRequest())
    with pytest.raises(deform.ValidationFailure) as refused:
        form.validate([("needed_by", "1405/13/01"), ("language", "fa")])
    errors = refused.value.error.asdict()
    assert errors["student_card"] == "Attach «Student card»."
    assert "needed_by" in errors
    with pytest.raises(deform.ValidationFailure) as refused:
        form.validate([("needed_by", "1405/09/03"), ("language", "fa"),
                       ("student_card", _posted_file("card.pdf", b"MZ\x90\x00 a program"))])
    assert "not a real .pdf" in refused.value.error.asdict()["student_card"]


def test_an_optional_document_may_be_left_out():
    node = document("Photo", missing=None, name="photo")
    assert node.deserialize(colander.null) is None


def test_a_choice_keeps_the_option_as_written_and_refuses_others():
    node = choice("Addressed to", ["نظام وظیفه", "بانک"], name="addressed_to")
    assert node.deserialize("بانک") == "بانک"
    with pytest.raises(colander.Invalid) as refused:
        node.deserialize("سفارت")
    assert refused.value.asdict()["addressed_to"] == "Choose one of the listed options."
    with pytest.raises(colander.Invalid) as refused:
        node.deserialize(colander.null)
    assert refused.value.asdict()["addressed_to"] == "This field is required."
    assert ("", "—") in node.widget.values
