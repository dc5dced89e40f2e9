from core import hookimpl
from core.contracts import NavigationItem
from core.testing import log_in


class CountingNavigation:
    """Counts how often the home page is really rendered (navigation is asked once per render)."""

    def __init__(self):
        self.renders = 0

    @hookimpl
    def pishkhan_navigation_items(self, request):
        self.renders += 1
        return [NavigationItem("test.help", "Help", "core.home", face="portal")]


def test_visitors_share_a_rendered_home_page_per_language(testapp, register_plugin):
    counter = register_plugin(CountingNavigation(), "counter")
    first = testapp.get("/")
    assert testapp.get("/").text == first.text
    assert counter.renders == 1
    english = testapp.get("/", headers={"Cookie": "_LOCALE_=en"})
    assert 'lang="en"' in english.text and counter.renders == 2
    assert 'lang="fa"' in testapp.get("/").text and counter.renders == 2


def test_signed_in_people_always_get_a_fresh_page(testapp, register_plugin, demo_org):
    counter = register_plugin(CountingNavigation(), "counter")
    testapp.get("/")
    log_in(testapp, "agent")
    renders = counter.renders
    page = testapp.get("/")
    assert "سارا کریمی" in page.text
    assert counter.renders == renders + 1


def test_a_forged_host_header_never_reaches_other_visitors(testapp):
    forged = testapp.get("/", headers={"Host": "evil.example"})
    assert "evil.example" not in forged.text  # pages link by path
    assert "evil.example" not in testapp.get("/").text


def test_query_strings_are_not_cached(testapp, register_plugin):
    counter = register_plugin(CountingNavigation(), "counter")
    testapp.get("/?x=1")
    testapp.get("/?x=1")
    assert counter.renders == 2
