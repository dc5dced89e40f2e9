"""Plugins add sections to the portal's home page, in their declared order, under the page cache."""
from markupsafe import Markup

from core import hookimpl
from core.contracts import PortalSection


class Sections:
    def __init__(self):
        self.renders = 0

    def notice(self, request):
        self.renders += 1
        return Markup('<p data-testid="notice">{}</p>').format("<b>بسته است</b>")

    @hookimpl
    def pishkhan_portal_home_sections(self, request):
        return [
            PortalSection("test.notice", self.notice, after=("test.search",)),
            PortalSection("test.search", lambda request: Markup('<form data-testid="search"></form>')),
        ]


def test_sections_are_rendered_in_order_under_the_greeting(testapp, register_plugin):
    register_plugin(Sections(), "sections")
    html = testapp.get("/").text
    assert html.index("<h1") < html.index('data-testid="search"') < html.index('data-testid="notice"')
    assert "&lt;b&gt;بسته است&lt;/b&gt;" in html


def test_visitors_share_the_rendered_sections(testapp, register_plugin):
    sections = register_plugin(Sections(), "sections")
    first = testapp.get("/")
    assert testapp.get("/").text == first.text
    assert sections.renders == 1


def test_without_sections_the_greeting_stays(testapp):
    page = testapp.get("/")
    assert page.html.find("h1") is not None and page.html.find(attrs={"data-testid": "jalali-today"}) is not None
