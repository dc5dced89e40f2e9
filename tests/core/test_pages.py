from core.testing import log_in


def test_home_is_persian_and_right_to_left(testapp):
    page = testapp.get("/")
    assert '<html lang="fa" dir="rtl">' in page.text


def test_agent_logs_in_and_sees_dashboard(testapp, demo_org):
    log_in(testapp, "agent")
    page = testapp.get("/workspace")
    assert "سارا کریمی" in page.text
