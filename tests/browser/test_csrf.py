"""A POST without the form's CSRF token is refused with the friendly error page, never a traceback."""
import pytest

from tests.browser.support import expect, in_persian

pytestmark = pytest.mark.browser


def test_fetch_post_without_token_is_refused(page, log_in):
    log_in("agent")
    result = page.evaluate(
        """async () => {
             const response = await fetch("/logout", {method: "POST"});
             return {status: response.status, body: await response.text()};
           }"""
    )
    assert result["status"] == 400
    assert 'data-testid="error-page"' in result["body"]
    assert "Traceback" not in result["body"]

    page.goto("/workspace")  # the forged logout did nothing
    expect(page.get_by_test_id("current-user")).to_have_text("سارا کریمی")


def test_form_without_token_shows_the_expired_form_page(page, log_in):
    log_in("agent")
    page.goto("/workspace")
    page.evaluate("""document.querySelectorAll("input[name=csrf_token]").forEach(input => input.remove())""")
    with page.expect_response(lambda r: r.url.endswith("/language") and r.request.method == "POST") as posted:
        page.get_by_test_id("language-en").click()
    assert posted.value.status == 400
    page.wait_for_load_state()

    error_page = page.get_by_test_id("error-page")
    expect(error_page).to_be_visible()
    expect(error_page.locator("h1")).to_have_text(in_persian("The form has expired"))
    expect(page.locator("body")).not_to_contain_text("Traceback")
    expect(page.locator("html")).to_have_attribute("lang", "fa")  # the refused switch changed nothing
