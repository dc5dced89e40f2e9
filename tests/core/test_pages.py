from core.testing import log_in


def test_home_is_persian_and_right_to_left(testapp):
    page = testapp.get("/")
    assert '<html lang="fa" dir="rtl">' in page.text


def test_agent_logs_in_and_sees_dashboard(testapp, demo_org):
    log_in(testapp, "agent")
    page = testapp.get("/workspace")
    assert "سارا کریمی" in page.text


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(testapp):
    icon = testapp.get("/").html.find("link", rel="icon")
    served = testapp.get(icon["href"])
    assert served.content_type == "image/svg+xml" and b"<svg" in served.body
