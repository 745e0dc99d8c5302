"""The payouts page and POST /api/cases/{id}/payouts: the same figures as the CLI, the
statements logged as evidence, errors in words, the month table as cards at 390 px."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from xiabo.cases import stored
from xiabo.store import cases as repo

FIXTURES = Path(__file__).parents[2] / "fixtures" / "payouts"
STATEMENT = (FIXTURES / "agency_2025h2.csv").read_bytes()
FORM = {"split": "2025-07 50%, 2025-10 60%", "guarantee": "3000", "start": "2025-07",
        "end": "2025-12", "pay_day": "15", "rate": "0.05%", "rate_per": "day"}


def _case(web, profile):
    return stored.create_case(web.db, profile, today=web.today, actor=repo.Actor())


def _post(web, case, files, **fields):
    token = web.form_csrf(f"/cases/{case.id}/payouts")
    return web.client.post(f"/cases/{case.id}/payouts", data={"csrf": token, **fields},
                           files=[("files", f) for f in files])


def _evidence(case):
    from xiabo.evidence.log import EvidenceLog
    from xiabo.web.tools.evidence import evidence_folder

    log = EvidenceLog.open(evidence_folder(case))
    return [json.loads(p) for i, p in log.entries() if i]


def test_page_reconciles_and_logs_the_statements(web, profile):
    case = _case(web, profile)
    r = web.client.get(f"/cases/{case.id}/payouts")
    assert r.status_code == 200 and "结算单对账" in r.text
    r = _post(web, case, [("结算单.csv", STATEMENT, "text/csv")], **FORM)
    assert r.status_code == 200, r.text
    text = re.sub(r"<[^>]+>", " ", r.text)
    # the web case is computed on its own today (2026-11-25): every month is due by then;
    # the shortfalls are the CLI's (6,000: Aug 1,000, Sep 3,000 missing, Oct 1,000, Nov 1,000,
    # and December's 4,800 due, nothing paid → 10,800)
    assert "欠付 ¥10,800.00（5 个月）" in text
    assert "缺结算单" in text and "500.00 *" in text
    entries = _evidence(case)
    assert any(e.get("file") == "结算单.csv" and e.get("task") == "payouts" for e in entries)
    # the terms are kept for next time
    again = web.client.get(f"/cases/{case.id}/payouts").text
    assert 'value="2025-07 50%, 2025-10 60%"' in again
    # the result is kept for the exposure and shown next time
    from xiabo.dispute.payouts.kept import kept_shortfall
    from xiabo.paths import case_dir

    assert kept_shortfall(case_dir(case.folder) / "payouts") == Decimal("10800.00")
    assert "欠付 ¥10,800.00" in again and "结算单.csv" in again


def test_page_errors_in_words(web, profile):
    case = _case(web, profile)
    r = _post(web, case, [("odd.csv", "期间,主播收入,发放\n2025-07,1000,500\n".encode(), "text/csv")],
              split="50%")
    assert r.status_code == 422
    assert "期间" in r.text and "Traceback" not in r.text
    assert "结算期=month" in r.text and "--map" not in r.text  # the page names its own box
    r = _post(web, case, [("odd.csv", "期间,主播收入,发放\n2025-07,1000,500\n".encode(), "text/csv")],
              split="50%", map="期间=month\n主播收入=turnover\n发放=paid")
    assert r.status_code == 200, r.text
    r = _post(web, case, [("a.csv", STATEMENT, "text/csv")], split="fifty")
    assert r.status_code == 422 and "fifty" in r.text
    r = _post(web, case, [("a.csv", STATEMENT, "text/csv")], split="50%", start="2025-13")
    assert r.status_code == 422 and "合同开始的月份" in r.text and "2025-13" in r.text
    assert "「start」" not in r.text


def test_api_returns_the_reconciliation(web, profile):
    case = _case(web, profile)
    terms = (FIXTURES / "terms.yaml").read_text("utf-8")
    r = web.client.post(f"/api/cases/{case.id}/payouts", data={"terms": terms},
                        files=[("files", ("s.csv", STATEMENT, "text/csv"))])
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["schema"] == "xiabo.payouts/1" and data["shortfall_total"] == "10800.00"
    assert data["evidence_logged"] == 1 and data["columns"]["s.csv"]["paid"] == "实发金额"
    r = web.client.post(f"/api/cases/{case.id}/payouts", data={"terms": "split: [oops"},
                        files=[("files", ("s.csv", STATEMENT, "text/csv"))])
    assert r.status_code == 422
    r = web.client.post("/api/cases/9999/payouts", data={"terms": terms},
                        files=[("files", ("s.csv", STATEMENT, "text/csv"))])
    assert r.status_code == 404


def _axe(page) -> list[str]:
    """Serious or critical axe-core violations (none when axe-core is not installed)."""
    from tests.web.test_reach_browser import AXE, AXE_RUN

    if not AXE.exists():
        return []
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def test_phone_cards_without_sideways_scroll(web, profile, browser, live_server, artifacts):
    case = _case(web, profile)
    server = live_server(web.app)
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()  # bypass_csp: only so that axe-core's script can be injected
    try:
        page.goto(f"{server.url}/cases/{case.id}/payouts")
        page.set_input_files("#pay-files", files=[{"name": "结算单.csv", "mimeType": "text/csv",
                                                   "buffer": STATEMENT}])
        for name, value in FORM.items():
            if name != "rate_per":
                page.fill(f"input[name={name}]", value)
        page.click("button.primary")
        page.wait_for_selector("#pay-total-h")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        assert _axe(page) == []
        page.screenshot(path=str(artifacts / "payouts-390.png"), full_page=True)
        cards = page.locator("table.stack tbody tr")
        assert cards.count() == 6
        assert page.locator("table.stack thead").bounding_box()["width"] <= 1
        page.set_viewport_size({"width": 1280, "height": 800})  # a desktop: a plain table
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        page.screenshot(path=str(artifacts / "payouts-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        # a layout xiabo does not know: the message and the open column box, still 390 wide
        page.set_input_files("#pay-files", files=[{"name": "odd.csv", "mimeType": "text/csv",
                                                   "buffer": "期间,主播收入,发放\n2025-07,1,1\n".encode()}])
        page.click("button.primary")
        page.wait_for_selector("[role=alert]")
        assert page.locator("#pay-map").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert _axe(page) == []
        page.screenshot(path=str(artifacts / "payouts-390-error.png"), full_page=True)
    finally:
        context.close()


def test_case_page_links_the_payouts_page_when_there_is_a_contract(web, profile):
    case = _case(web, {**profile, "contract": {"signed": True, "agency": "星光文化传媒"}})
    assert f'href="/cases/{case.id}/payouts"' in web.client.get(f"/cases/{case.id}?show=documents").text
    other = _case(web, {**profile, "contract": {"signed": False}})
    assert f'href="/cases/{other.id}/payouts"' not in web.client.get(f"/cases/{other.id}").text


def test_the_amounts_go_into_a_drafted_settlement_demand(web, profile):
    from xiabo.cases import letters

    case = _case(web, {**profile, "contract": {"signed": True, "agency": "星光文化传媒"}})
    letter = letters.draft(web.db, case, "settlement", today=web.today, lang="zh",
                           actor=repo.Actor())
    r = _post(web, case, [("结算单.csv", STATEMENT, "text/csv")], **FORM)
    assert r.status_code == 200 and f'name="letter" value="{letter.id}"' in r.text
    token = web.form_csrf(f"/cases/{case.id}/payouts")
    r = web.client.post(f"/cases/{case.id}/payouts/letter",
                        data={"csrf": token, "letter": letter.id})
    assert r.status_code == 303 and r.headers["location"].endswith(f"/letters/{letter.id}")
    with letters.letter_store(web.db, case.id) as store:
        text = store.read_doc(store.load(letter.id), "letter.md").decode("utf-8")
    # as of 2026-11-25 December is due too: its 4,800 share is gift share owed
    assert "直播打赏分成：¥5,800.00（2025-10 ¥1,000.00、2025-12 ¥4,800.00）" in text
    assert "保底收入或报酬：¥5,000.00（2025-08 ¥1,000.00、2025-09 ¥3,000.00、2025-11 ¥1,000.00）" \
        in text


def test_the_shortfall_feeds_the_dispute_exposure(web, profile):
    """The agency's unpaid money is set off in the exposure the dispute page and API show."""
    case = _case(web, profile)
    dispute = {"contract": {"type": "brokerage", "penalty": {"kind": "fixed", "fixed_cny": "100000"}},
               "agency": {"claim_cny": "50000"}}
    assert web.client.put(f"/api/cases/{case.id}/dispute",
                          json={"profile": dispute}).status_code == 200
    before = web.client.get(f"/api/cases/{case.id}/dispute").json()["report"]["exposure"]
    terms = (FIXTURES / "terms.yaml").read_text("utf-8")
    assert web.client.post(f"/api/cases/{case.id}/payouts", data={"terms": terms},
                           files=[("files", ("s.csv", STATEMENT, "text/csv"))]).status_code == 200
    after = web.client.get(f"/api/cases/{case.id}/dispute").json()["report"]["exposure"]
    assert Decimal(after["owed_to_streamer"]) - Decimal(before["owed_to_streamer"]) \
        == Decimal("10800.00")
