from datetime import date

import colander
import deform
import pytest
from bs4 import BeautifulSoup
from pyramid.request import Request
from pyramid.threadlocal import RequestContext

from core.forms import JalaliDate, JalaliDateWidget
from core.models import User
from core.schemas import UserSchema, max_length


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
