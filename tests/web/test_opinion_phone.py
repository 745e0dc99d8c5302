"""The case page's opinion section on a 390 px phone: cards, no sideways scroll, and a chart
whose axis labels render at 11 px or more, with its legend. A screenshot goes to
test-artifacts/opinion-phone.png for a person to look at."""

from __future__ import annotations

import pytest
from tests.helpers import base_profile
from tests.web.test_opinion_web import _csrf, _export

from xiabo.cases import stored
from xiabo.store import cases as repo

pytestmark = pytest.mark.browser

LABEL_SIZES = """(scope) => Array.from(document.querySelectorAll(scope + ' svg text')).map(t => ({
  text: t.textContent, px: parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a }))"""
NO_SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_opinion_section_reads_on_a_phone(web, browser, live_server, tmp_path, artifacts,
                                          monkeypatch, lang):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    case = stored.create_case(web.db, base_profile(name="头部主播", followers=3_000_000),
                              today=web.today, actor=repo.Actor())
    token = _csrf(web.client.get(f"/cases/{case.id}").text)
    web.client.post(f"/cases/{case.id}/opinion/import", data={"csrf": token},
                    files={"files": ("评论.csv", _export(tmp_path), "text/csv")})
    assert web.run_jobs() == 1  # the import is a job (xiabo.jobs): a worker runs it
    server = live_server(web.app)
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  locale="zh-CN" if lang == "zh" else "en-US")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/cases/{case.id}?show=documents&lang={lang}#opinion")
        assert page.locator("#opinion .op-cards .card").count() == 4
        assert page.locator("#opinion pre").count() == 0
        width = page.evaluate(NO_SIDEWAYS)
        assert width[0] <= width[1], width
        labels = page.evaluate(LABEL_SIZES, "#opinion")
        axis = [x for x in labels if x["text"][:2].isdigit()]
        assert len(axis) >= 6, labels
        assert min(x["px"] for x in labels) >= 11, sorted(labels, key=lambda x: x["px"])[:3]
        texts = {x["text"] for x in labels}
        assert ("负面" if lang == "zh" else "negative") in texts      # the colour legend
        box = page.locator("#opinion svg").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.locator("#opinion").screenshot(path=str(artifacts / f"opinion-phone-{lang}.png"))
        # the full report it links to reads on the phone too
        page.goto(f"{server.url}/cases/{case.id}/opinion/report.html?lang={lang}")
        width = page.evaluate(NO_SIDEWAYS)
        assert width[0] <= width[1], width
        sizes = [x["px"] for x in page.evaluate(LABEL_SIZES, "main")]
        assert len(sizes) > 20 and min(sizes) >= 11, sorted(sizes)[:3]
        page.screenshot(path=str(artifacts / f"opinion-report-phone-{lang}.png"), full_page=True)
    finally:
        context.close()
