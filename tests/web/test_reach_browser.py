"""The reach pages in Chromium at 390×844 and 1280×800, zh and en: nothing scrolls sideways
and axe-core finds no serious or critical violation (backup form, error and job pages,
evidence log, downloads with the kit, phone pairing pages, privacy, orders and tax pages)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "reach"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@pytest.fixture
def site(tmp_path, live_server):
    from datetime import date

    from xiabo.cases import stored
    from xiabo.store import cases as repo
    from xiabo.store.db import Database
    from xiabo.web import WebConfig, create_app

    if not AXE.exists():
        pytest.skip("axe-core not installed (scripts/bootstrap.sh full runs npm ci in tests/web/axe)")
    home = tmp_path / "home"
    home.mkdir()
    url = f"sqlite:///{home / 'xiabo.sqlite3'}"
    db = Database(url)
    db.upgrade()
    prof = yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))
    case = stored.create_case(db, prof, today=date(2026, 11, 25), actor=repo.Actor())
    db.dispose()
    src = home / "直播 录像 🎬" / "一个很长很长的子文件夹名字用来检查路径会不会把页面撑宽"
    src.mkdir(parents=True)
    (src / "录像 1.flv").write_bytes(b"x" * 5000)
    dest = home / "移动硬盘"
    dest.mkdir()
    app = create_app(WebConfig(database_url=url, today=lambda: date(2026, 11, 25),
                               lan=True, base_url="http://192.168.1.20:8000"))
    srv = live_server(app)
    from xiabo.jobs.inprocess import start_threads

    stop, threads = start_threads(url)  # as ``xiabo serve`` does: the backup job runs
    yield srv.url, case.id, src.parent, dest
    stop.set()
    for thread in threads:
        thread.join(10)


def _check(page, label, problems, shot):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        problems.append(f"{label}: scrolls sideways ({widths[0]} > {widths[1]} px)")
    page.add_script_tag(path=str(AXE))
    problems += [f"{label}: axe {v}" for v in page.evaluate(AXE_RUN)]
    page.screenshot(path=str(shot), full_page=True)


@pytest.mark.parametrize("lang,size", [("zh", "phone"), ("en", "phone"), ("zh", "desktop")])
def test_reach_pages_fit_and_pass_axe(browser, site, lang, size):
    base, cid, src, dest = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    problems: list[str] = []

    def visit(name, path=None):
        if path is not None:
            page.goto(base + path + ("&" if "?" in path else "?") + f"lang={lang}")
            page.wait_for_load_state()
        _check(page, f"{name} {lang} {size}", problems, SHOTS / f"{name}-{lang}-{size}.png")

    visit("exports", f"/cases/{cid}/exports")
    visit("evidence-empty", f"/cases/{cid}/evidence")
    if page.locator("form[action$='/evidence/init'] button").count():
        page.click("form[action$='/evidence/init'] button")
        page.wait_for_load_state()
    page.fill("textarea[name=note]", "和公会的聊天记录，" * 20)
    page.click("form[action$='/evidence/add'] button[type=submit]")
    page.wait_for_load_state()
    visit("evidence")
    page.click("form[action$='/evidence/verify'] button")
    page.wait_for_load_state()
    visit("evidence-verified")
    visit("backup", f"/cases/{cid}/backup")
    page.fill("textarea[name=sources]", "relative/path")
    page.fill("textarea[name=dests]", str(dest))
    page.click("form[action$='/backup'] button[type=submit]")
    page.wait_for_load_state()
    visit("backup-error")
    page.fill("textarea[name=sources]", str(src))
    page.click("form[action$='/backup'] button[type=submit]")
    page.wait_for_load_state()
    deadline = time.monotonic() + 30
    while page.locator('meta[http-equiv="refresh"]').count() and time.monotonic() < deadline:
        time.sleep(0.2)
        page.reload()
    visit("backup-job")
    visit("phone-desk", f"/cases/{cid}/phone")
    page.click("form[action$='/phone'] button[value=link]")
    page.wait_for_load_state()
    visit("phone-qr")
    visit("pair-confirm", "/pair/some-token")
    visit("pair-needed", "/pair")
    _tools(page, visit, cid, dest.parent / "tools")
    context.close()
    assert not problems, "\n".join(problems)


def _job_done(page, visit, tool):
    """An upload's job page, reloaded until the in-process worker has run the job, then the
    tool page it links to (the report)."""
    page.wait_for_load_state()
    deadline = time.monotonic() + 30
    while page.locator('meta[http-equiv="refresh"]').count() and time.monotonic() < deadline:
        time.sleep(0.2)
        page.reload()
    visit(f"{tool}-job")
    page.click(f"a[href*='/{tool}?job=']")
    page.wait_for_load_state()


def _tools(page, visit, cid, folder):
    """The tool pages: privacy (report, cleaned copy), orders (report, list), tax (figures)."""
    folder.mkdir(exist_ok=True)
    fans = folder / "粉丝名单（2026 年 11 月导出，含手机号和身份证号）.csv"
    fans.write_text("昵称,手机,身份证,收货地址\n" + "".join(
        f"粉丝{i},1381234{i:04d},110105199003071239,浙江省杭州市西湖区文三路{i}号\n"
        for i in range(30)), encoding="utf-8")
    orders = folder / "orders.csv"
    orders.write_text("订单编号,订单状态,下单时间,发货时间,签收时间,售后状态,实付金额(元)\n" + "".join(
        f"2026112012345678901234{i:02d},待发货,2026-11-20,,,,1234567.89\n" for i in range(8)),
        encoding="utf-8")
    visit("privacy-empty", f"/cases/{cid}/privacy")
    page.set_input_files("input[name=file]", str(fans))
    page.click("form[action$='/privacy'] button[type=submit]")
    _job_done(page, visit, "privacy")
    visit("privacy-report")
    visit("orders-empty", f"/cases/{cid}/orders")
    page.set_input_files("input[name=file]", str(orders))
    page.click("form[action$='/orders'] button[type=submit]")
    _job_done(page, visit, "orders")
    visit("orders-report")
    visit("tax-empty", f"/cases/{cid}/tax")
    page.fill("input[name=labour]", "1,200,000")
    page.fill("input[name=labour_withheld]", "1.2万")
    page.click("form[action$='/tax#result'] button[type=submit]")
    page.wait_for_load_state()
    visit("tax-result")
    page.fill("input[name=labour]", "十二万八千块钱左右吧大概也许")
    page.click("form[action$='/tax#result'] button[type=submit]")
    page.wait_for_load_state()
    visit("tax-error")
