"""The phone face: every page at 390×844 and 1280×800, zh and en, single-user and agency mode.

On every page: nothing scrolls sideways (``scrollWidth <= innerWidth``), axe-core finds no
serious or critical violation (light, and dark on the phone), and a screenshot is written to
``test-artifacts/phone/`` for a person to look at. axe-core comes from the npm registry
(``tests/web/axe``, installed by ``scripts/bootstrap.sh full``).
"""

from __future__ import annotations

import re
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "phone"
TODAY = date(2026, 11, 30)
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
PASSWORD = "Phone-Check-Passw0rd-2026!"
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' '))
      .join(' | '));
}"""


def overdue_profile() -> dict:
    """A case started 2026-10-01 and never touched: on 2026-11-30 most of it is overdue."""
    prof = yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))
    prof.pop("progress", None)
    prof.update(name="逾期很多的主播", start="2026-10-01",
                channels=["weibo", "xiaohongshu", "bilibili", "wechat_official",
                          "wechat_channels"])
    prof["account"] = {"status": "restricted", "pending_violations": 2,
                       "bindings": ["wechat", "alipay", "qq", "weibo", "apple", "taobao"]}
    prof["equipment"] = [{"name": n, "type": t, "os": o, "disposal": "sell"} for n, t, o in (
        ("iPhone 15 Pro", "phone", "ios"), ("红米 K70", "phone", "android"),
        ("直播电脑", "computer", "windows"), ("iPad", "tablet", "ios"),
        ("相机", "camera", "other"), ("移动硬盘", "storage", "other"))]
    return prof


class _Server:
    def __init__(self, app):
        import uvicorn

        from xiabo.store import pgcluster

        port = pgcluster.free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _seed(url: str) -> dict[str, int]:
    from xiabo.cases import stored
    from xiabo.store import cases as repo
    from xiabo.store.db import Database

    db = Database(url)
    db.upgrade()
    ids = {}
    for name in ("kuaishou", "douyin", "taobao", "dormant"):
        prof = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))
        ids[name] = stored.create_case(db, prof, today=TODAY, actor=repo.Actor()).id
    # made on its start day (its baseline then), looked at two months later
    ids["overdue"] = stored.create_case(db, overdue_profile(), today=date(2026, 10, 1),
                                      actor=repo.Actor()).id
    db.dispose()
    return ids


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Two live servers on loopback: single-user and agency, each with the example cases."""
    from xiabo.store.db import Database
    from xiabo.store.users import add_user
    from xiabo.web import WebConfig, create_app

    if not AXE.exists():
        pytest.skip("axe-core not installed (scripts/bootstrap.sh full runs npm ci in tests/web/axe)")
    out, servers = {}, []
    for mode in ("single", "agency"):
        url = f"sqlite:///{tmp_path_factory.mktemp(mode) / 'xiabo.sqlite3'}"
        ids = _seed(url)
        if mode == "agency":
            db = Database(url)
            add_user(db, "admin", "admin", PASSWORD)
            db.dispose()
        srv = _Server(create_app(WebConfig(database_url=url, auth=mode == "agency",
                                           today=lambda: TODAY)))
        servers.append(srv)
        out[mode] = (srv.url, ids)
    yield out
    for srv in servers:
        srv.stop()


def _pages(mode: str, ids: dict[str, int]) -> list[tuple[str, str]]:
    over, ks = ids["overdue"], ids["kuaishou"]
    pages = [("dashboard", "/cases"), ("rules", "/rules"), ("import", "/cases/import"),
             ("wizard", "/cases/new"), ("wizard-contract", "/cases/new?step=contract"),
             ("wizard-devices", "/cases/new?step=goodbye"), ("edit", f"/cases/{ks}/edit"),
             ("error", "/cases/999999")]
    for name, case_id in ids.items():
        pages.append((f"case-{name}", f"/cases/{case_id}"))
    for section in ("timeline", "money", "documents", "rules", "history"):
        pages.append((f"overdue-{section}", f"/cases/{over}?show={section}#{section}"))
    pages.append(("case-task", f"/cases/{ks}?task=mcn-notice#task-mcn-notice"))
    if mode == "agency":
        pages += [("users", "/admin/users"), ("audit", "/admin/audit")]
    return pages


def _with_lang(path: str, lang: str) -> str:
    path, _, frag = path.partition("#")
    path += ("&" if "?" in path else "?") + f"lang={lang}"
    return path + (f"#{frag}" if frag else "")


def _check(page, label: str, problems: list[str], shot: Path | None) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        problems.append(f"{label}: scrolls sideways ({widths[0]} > {widths[1]} px)")
    page.add_script_tag(path=str(AXE))
    for violation in page.evaluate(AXE_RUN):
        problems.append(f"{label}: axe {violation}")
    if shot is not None:
        page.screenshot(path=str(shot), full_page=True)


def _login(browser, base: str) -> dict:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(base + "/login")
    page.fill('input[name="name"]', "admin")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_load_state()
    assert "/login" not in page.url, page.inner_text("main")
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("mode,lang,size,scheme", [
    ("single", "zh", "phone", "light"), ("single", "zh", "phone", "dark"),
    ("single", "en", "phone", "light"), ("single", "zh", "desktop", "light"),
    ("single", "en", "desktop", "light"),
    ("agency", "zh", "phone", "light"), ("agency", "en", "phone", "dark"),
    ("agency", "zh", "desktop", "light"), ("agency", "en", "desktop", "light"),
])
def test_every_page_fits_and_passes_axe(browser, sites, mode, lang, size, scheme):
    base, ids = sites[mode]
    SHOTS.mkdir(parents=True, exist_ok=True)
    state = _login(browser, base) if mode == "agency" else None
    problems: list[str] = []
    if mode == "agency":  # the login page, before logging in
        context = browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True,
                                      color_scheme=scheme)
        page = context.new_page()
        page.goto(base + _with_lang("/login", lang))
        _check(page, "login", problems, SHOTS / f"{mode}-login-{lang}-{size}-{scheme}.png")
        context.close()
    context = browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True,
                                  color_scheme=scheme, storage_state=state)
    page = context.new_page()
    page.set_default_timeout(15000)
    for name, path in _pages(mode, ids):
        page.goto(base + _with_lang(path, lang))
        page.wait_for_load_state()
        shot = SHOTS / f"{mode}-{name}-{lang}-{size}-{scheme}.png"
        _check(page, f"{mode} {name} {lang} {size} {scheme}", problems, shot)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_overdue_case_opens_on_what_to_do_now(phone, sites):
    base, ids = sites["single"]
    phone.goto(base + f"/cases/{ids['overdue']}?lang=zh")
    now = phone.locator("#now")
    overdue = now.locator("li.overdue")
    assert overdue.count() >= 26
    assert "比原计划晚" in overdue.first.inner_text()  # behind plan; no real deadline passed
    assert re.search(r"还有 \d+ 天|就是今天", now.locator(".next-milestone").inner_text())
    # the folded sections are one tap away and closed at first: the page stays short
    assert not phone.locator("#money").evaluate("d => d.open")
    # one tap: done today (offered on started, short tasks)
    first = now.locator("li.overdue:has(button.primary)").first
    title = first.locator("a.t").inner_text()
    first.locator("button.primary").click()
    phone.wait_for_selector(".flash")
    assert "完成，后面的日期已重新排期" in phone.inner_text(".flash")
    assert title not in phone.locator("#now li.overdue a.t").all_inner_texts()
    # another date: one more tap opens the task with its date field
    item = phone.locator("#now li.overdue").first
    target = item.locator("a.other-date").get_attribute("data-open")
    item.locator("a.other-date").click()
    phone.wait_for_url(f"**task={target.removeprefix('task-')}**")  # the server opens it
    assert phone.locator(f'#{target} input[type="date"]').is_visible()


def test_rules_page_is_short_on_a_phone(phone, sites):
    """Comparisons on top; all rules folded by section, closed, each with its counts."""
    base, _ = sites["single"]
    phone.goto(base + "/rules?lang=zh")
    height = phone.evaluate("document.documentElement.scrollHeight")
    folds = phone.locator("details.rule-section")
    assert folds.count() >= 5
    assert not any(folds.evaluate_all("ds => ds.map(d => d.open)"))
    assert re.search(r"\d+ 条", folds.first.locator("> summary").inner_text())
    compare = phone.locator(".compare-rows").first.bounding_box()["y"]  # a fold per row
    assert compare < folds.first.bounding_box()["y"]
    assert height < 8000, height  # was ~44,000 px with every rule listed open (now ~2,700)
    folds.first.locator("> summary").click()
    assert folds.first.locator("tr").nth(1).is_visible()


def test_go_to_task_opens_and_highlights_it(phone, sites):
    base, ids = sites["single"]
    phone.goto(base + f"/cases/{ids['kuaishou']}?lang=zh")
    link = phone.locator("#blockers a").first
    target = link.get_attribute("data-open")
    link.click()  # a folded task is sent opened by the server (?task=), also with JavaScript
    phone.wait_for_url(f"**task={target.removeprefix('task-')}**")
    task = phone.locator(f"#{target}")
    assert task.evaluate("d => d.open")
    assert task.evaluate("d => d.matches(':target')")
    assert task.is_visible()
    # the same without JavaScript: the server opens the task named in ?task=
    context = phone.context.browser.new_context(viewport=VIEWPORTS["phone"],
                                                java_script_enabled=False)
    page = context.new_page()
    page.goto(base + link.get_attribute("href"))
    assert page.locator(f"#{target}").evaluate("d => d.open")
    context.close()


def test_timeline_scrolls_in_its_box_and_starts_near_today(phone, sites):
    base, ids = sites["single"]
    phone.goto(base + f"/cases/{ids['overdue']}?show=timeline&lang=zh#timeline")
    wrap = phone.locator(".gantt-wrap")
    sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth, w.scrollLeft]")
    assert sizes[0] > sizes[1]  # the whole plan is there, sideways
    assert sizes[2] > 0  # opened around today, not at the plan's first day
    today_x = phone.locator("svg.gantt line.today").bounding_box()["x"]
    assert 0 <= today_x <= 390
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "timeline-phone.png"))


def test_wizard_steps_errors_and_draft(browser, sites):
    base, _ = sites["single"]
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(base + "/cases/new?lang=zh")
    assert "第 1 / " in page.inner_text(".step-no")
    page.fill('input[name="followers"]', "很多")
    page.click("#wizard-next")
    errors = page.locator("#form-errors li")
    assert errors.count() == 3  # no name, no platform, and the followers are not a number
    text = page.inner_text("#form-errors")
    assert "followers" not in text and "name" not in text
    page.fill('input[name="name"]', "手机上的主播")
    page.select_option('select[name="platform"]', "kuaishou")
    page.fill('input[name="followers"]', "120万")
    page.click("#wizard-next")
    page.wait_for_url("**step=*")
    assert "第 2 / " in page.inner_text(".step-no")
    context.close()
    # a closed tab: a new one resumes where it stopped
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(base + "/cases/new?lang=zh")
    assert "第 2 / " in page.inner_text(".step-no")
    assert "接着上次" in page.inner_text("main")
    page.click("#wizard-back")
    assert page.input_value('input[name="followers"]') == "1200000" or \
        page.input_value('input[name="followers"]') == "120万"
    context.close()
