"""The portal as a visitor sees it: Persian, right to left, Vazirmatn, Jalali dates; English on request."""
import re

import pytest

from tests.browser.support import expect, jalali_today, persian_digits

pytestmark = pytest.mark.browser


def stylesheet_rule_counts(page, fragment: str) -> list[int]:
    """Rules of each loaded stylesheet whose URL contains ``fragment`` (0 when it did not load)."""
    return page.evaluate(
        """fragment => [...document.styleSheets]
             .filter(sheet => sheet.href && sheet.href.includes(fragment))
             .map(sheet => sheet.cssRules.length)""",
        fragment,
    )


def brand_is_on_the_right(page) -> bool:
    box = page.locator(".navbar-brand").bounding_box()
    return box["x"] + box["width"] / 2 > page.viewport_size["width"] / 2


def test_home_page_is_persian_right_to_left_with_vazirmatn_and_a_jalali_date(page):
    broken_assets = []
    page.on("response", lambda r: broken_assets.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    before = jalali_today()
    page.goto("/")
    after = jalali_today()

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")

    stylesheets = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(link => link.href)")
    assert any("bootstrap.rtl" in href for href in stylesheets), stylesheets
    rule_counts = stylesheet_rule_counts(page, "bootstrap.rtl")
    assert rule_counts and all(count > 0 for count in rule_counts), "bootstrap.rtl.css did not load"
    assert brand_is_on_the_right(page), "right to left: the site name starts the navigation bar on the right"

    assert "Vazirmatn" in page.evaluate("getComputedStyle(document.body).fontFamily")
    vazirmatn_faces_loaded = page.evaluate(
        """async () => {
             await document.fonts.ready;
             return [...document.fonts].filter(face => face.family.replace(/["']/g, "") === "Vazirmatn"
                                                       && face.status === "loaded").length;
           }"""
    )
    assert vazirmatn_faces_loaded >= 1, "the Vazirmatn font file was not downloaded"

    today = page.get_by_test_id("jalali-today")
    expect(today).to_be_visible()
    text = today.inner_text()
    assert re.search("[۰-۹]", text) and not re.search("[0-9]", text), f"not Persian digits: {text!r}"
    assert any(persian_digits(day.year) in text for day in (before, after)), text
    assert any(day.j_months_fa[day.month - 1] in text for day in (before, after)), text

    static_failures = [line for line in broken_assets if "/static/" in line]
    assert not static_failures, static_failures


def test_language_button_switches_to_english_left_to_right_and_back(page):
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")

    page.get_by_test_id("language-en").click()
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    stylesheets = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(link => link.href)")
    assert not any("bootstrap.rtl" in href for href in stylesheets), stylesheets
    assert not brand_is_on_the_right(page), "left to right: the site name starts the navigation bar on the left"
    assert re.search("[0-9]", page.get_by_test_id("jalali-today").inner_text()), "English dates use Latin digits"

    page.reload()  # the choice is remembered, not a one-page effect
    expect(html).to_have_attribute("lang", "en")

    page.get_by_test_id("language-fa").click()
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    assert brand_is_on_the_right(page)


def off_screen(page, selector: str) -> list[str]:
    """Texts of the visible elements matching ``selector`` that do not lie wholly inside the window."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
             .filter(element => element.offsetParent !== null)
             .filter(element => {
               const box = element.getBoundingClientRect();
               return box.left < 0 || box.right > window.innerWidth;
             })
             .map(element => element.textContent.trim())""",
        selector,
    )


@pytest.mark.parametrize(("username", "path"), [(None, "/track"), ("student", "/requests"), ("agent", "/desk/tickets")])
def test_on_a_phone_the_navigation_wraps_instead_of_running_off_the_screen(browser, live_server, username, path):
    context = browser.new_context(locale="fa-IR", base_url=live_server, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        if username:
            page.goto("/login")
            page.locator("#username").fill(username)
            page.locator("#password").fill("pishkhan123")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page is wider than the phone"
        assert off_screen(page, "nav .nav-link, nav .btn, nav .navbar-brand") == []
        # The workspace's menu sits above the page: not a whole empty screen of it.
        assert page.locator("main h1").bounding_box()["y"] < 844
    finally:
        context.close()


def test_the_empty_search_box_shows_its_persian_placeholder_right_to_left(page):
    """``dir="auto"`` lets a query typed in English run left to right, but an empty box is left to
    right too: its Persian placeholder lost its closing quote to the wrong end and, on a phone, its
    beginning."""
    page.goto("/kb")
    box = page.locator("#kb-q")
    assert box.evaluate("element => getComputedStyle(element).direction") == "rtl"
    box.fill("outlook")
    assert box.evaluate("element => getComputedStyle(element).direction") == "ltr"
