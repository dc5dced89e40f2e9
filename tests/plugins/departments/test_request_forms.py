"""Every service's request form builds, renders with deform and accepts a filled-in sample typed
as a person would (Persian digits included); the certificate of enrolment's form refuses what it
must, in the reader's words."""
from __future__ import annotations

import io
import re
from datetime import date
from types import SimpleNamespace

import colander
import deform
import pytest

from core.forms import Document, JalaliDate
from core.uploads import CheckedUpload
from tests.plugins.departments.specs import DEPARTMENT_PLUGINS, services

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
EVERY_SERVICE = [service for code in DEPARTMENT_PLUGINS for service in services(code)]
CERTIFICATE = next(service for service in EVERY_SERVICE if service.title == "گواهی اشتغال به تحصیل")


def posted_pdf(name: str = "مدرک.pdf") -> SimpleNamespace:
    return SimpleNamespace(filename=name, file=io.BytesIO(PDF))


def typed(node: colander.SchemaNode):
    """What a requester would type or choose in ``node``: digits in Persian where digits go."""
    if isinstance(node.typ, Document):
        return posted_pdf()
    if isinstance(node.typ, JalaliDate):
        return "۱۴۰۵/۰۹/۰۳"
    if isinstance(node.widget, deform.widget.SelectWidget):
        return node.widget.values[-1][0]
    pattern = getattr(node.validator, "match_object", None)
    if pattern is not None:
        if ":" in pattern.pattern:
            return "۱۰:۰۰ تا ۱۲:۳۰"
        digits = int(re.search(r"\\d\{(\d+)", pattern.pattern).group(1))
        return ("1234567890" * 3)[:digits].translate(PERSIAN_DIGITS)
    return "متن نمونه"


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda service: service.service_id)
def test_the_form_renders_and_accepts_a_filled_in_sample(app, service):
    schema = service.form()
    html = deform.Form(schema).render()
    assert all(f'name="{node.name}"' in html for node in schema.children)
    values = schema.deserialize({node.name: typed(node) for node in schema.children})
    for node in schema.children:
        if isinstance(node.typ, JalaliDate):
            assert values[node.name] == date(2026, 11, 24)
        elif isinstance(node.typ, Document):
            assert isinstance(values[node.name], CheckedUpload)
    assert len({node.name for node in schema.children}) == len(schema.children)


def test_optional_fields_may_be_left_out():
    for service in EVERY_SERVICE:
        schema = service.form()
        required = {node.name: typed(node) for node in schema.children if node.required}
        values = schema.deserialize(required)
        assert set(values) == {node.name for node in schema.children}, service.title


def test_the_certificate_form_has_a_date_a_choice_of_addressee_and_an_optional_document():
    schema = CERTIFICATE.form()
    assert isinstance(schema["needed_by"].typ, JalaliDate) and schema["needed_by"].required
    options = [value for value, _label in schema["addressed_to"].widget.values]
    assert {"نظام وظیفه", "بانک", "سفارت", "سایر"} <= set(options)
    assert isinstance(schema["student_card"].typ, Document) and not schema["student_card"].required
    values = schema.deserialize({"student_number": "۴۰۱۱۲۳۴۵", "addressed_to": "نظام وظیفه", "language": "فارسی",
                                 "needed_by": "۱۴۰۵/۱۰/۱۵"})
    assert values["student_number"] == "40112345" and values["needed_by"] == date(2027, 1, 5)
    assert values["student_card"] is None and values["addressee"] == ""


def test_the_certificate_form_refuses_what_it_must(app):
    form = deform.Form(CERTIFICATE.form())
    with pytest.raises(deform.ValidationFailure) as refused:
        form.validate([("student_number", "۴۰۱"), ("addressed_to", "دادگاه"), ("language", "فارسی"),
                       ("needed_by", "۱۴۰۵/۱۳/۰۱")])
    errors = refused.value.error.asdict()
    assert errors["student_number"] == "Enter the student number: 8 to 10 digits."
    assert errors["addressed_to"] == "Choose one of the listed options."
    assert errors["needed_by"].startswith("Enter a Jalali date")
    with pytest.raises(deform.ValidationFailure) as refused:
        form.validate([("addressed_to", "بانک"), ("language", "فارسی"), ("needed_by", "")])
    errors = refused.value.error.asdict()
    assert errors["student_number"] == "This field is required."
    assert "needed_by" in errors


def test_a_required_document_left_out_is_refused_with_its_title():
    [transfer] = [service for service in EVERY_SERVICE if service.title == "مهمانی و انتقال دانشجو"]
    schema = transfer.form()
    filled = {node.name: typed(node) for node in schema.children if node.name != "transcript"}
    with pytest.raises(colander.Invalid) as refused:
        schema.deserialize(filled)
    assert refused.value.asdict() == {"transcript": "Attach «کارنامه کل (ریزنمرات)»."}
