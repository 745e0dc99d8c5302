"""The rules page with eleven platforms, on a 390 px phone: nothing scrolls sideways, every
platform's cell is there with how sure it is, and a few platforms can be chosen."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _server(sqlite_url, live_server):
    from xiabo.web import WebConfig, create_app

    return live_server(create_app(WebConfig(database_url=sqlite_url, auth=False,
                                            today=lambda: date(2026, 12, 7))))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rules_page_compares_eleven_platforms_on_a_phone(phone, sqlite_url, live_server,
                                                           artifacts, lang):
    server = _server(sqlite_url, live_server)
    phone.goto(server.url + f"/rules?lang={lang}")
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    assert phone.evaluate("document.documentElement.scrollHeight") < 8000  # rows are folds
    first = phone.locator(".compare-rows").first
    assert first.locator("details.cmp-row").count() >= 5
    row = first.locator("details.cmp-row").first
    row.locator("> summary").click()
    assert row.locator("dt").count() == 11  # every platform, each with its cell
    body = first.inner_text()
    unknown = "未知——请在应用里查看" if lang == "zh" else "unknown — check in the app"
    secondary = "二手资料" if lang == "zh" else "secondary source"
    assert unknown in body and secondary in body
    assert "None" not in body and "{'unknown'" not in body and "null" not in body
    phone.screenshot(path=str(artifacts / f"rules-platforms-390-{lang}.png"), full_page=True)
    # choose two platforms: their columns only
    for box in phone.locator('input[name="compare"]').all():
        if box.get_attribute("value") not in ("douyu", "youtube"):
            box.uncheck()
    phone.locator("form.compare-pick button").click()
    phone.wait_for_url("**compare=**")
    assert phone.locator(".compare-rows details.cmp-row").first.locator("dt").count() == 2
    assert phone.locator("table.compare").first.locator("thead th").count() == 3
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    phone.screenshot(path=str(artifacts / f"rules-two-platforms-390-{lang}.png"), full_page=True)

