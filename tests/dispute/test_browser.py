"""The dispute page, the lawyer's page and the case section in Chromium at 390 px (zh, en):
nothing scrolls sideways, every checklist item and the "not legal advice" line are visible.
Screenshots go to test-artifacts/dispute/ (looked at by a person)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "dispute"
DISPUTE = {"contract": {"type": "brokerage", "ends_on": "2027-12-31",
                        "penalty": {"kind": "higher_of", "fixed_cny": "1000000", "multiple": "5"},
                        "guarantee_monthly_cny": "3000", "streamer_share": "0.6",
                        "non_compete": {"has": True, "months": 12}},
           "work": {"hours_set_by_agency": True, "clock_in": True, "account": {"registered_by": "streamer"}},
           "agency": {"claim_cny": "35000", "guarantee_unpaid_months": 2, "promised_traffic_missing": True},
           "streamer": {"student": True, "monthly_income_cny": "4000", "months_performed": 6}}


@pytest.fixture
def site(tmp_path, live_server, monkeypatch):
    from xiabo.cases import stored
    from xiabo.store import cases as repo
    from xiabo.store.db import Database
    from xiabo.store.disputes import save_dispute_doc
    from xiabo.web import WebConfig, create_app

    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    url = f"sqlite:///{tmp_path / 'xiabo.sqlite3'}"
    db = Database(url)
    db.upgrade()
    prof = yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))
    case = stored.create_case(db, prof, today=date(2026, 12, 7), actor=repo.Actor())
    save_dispute_doc(db, case.id, DISPUTE, counterparty=True)
    db.dispose()
    app = create_app(WebConfig(database_url=url, today=lambda: date(2026, 12, 7)))
    return live_server(app).url, case.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dispute_pages_at_390px(site, browser, lang):
    from xiabo.i18n import t

    base, cid = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    problems = []
    for name, path in (("dispute", f"/cases/{cid}/dispute"), ("lawyer", f"/cases/{cid}/dispute/lawyer"),
                       ("case", f"/cases/{cid}?show=documents")):
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            problems.append(f"{name}: scrolls sideways {width}")
        page.screenshot(path=str(SHOTS / f"{name}-{lang}-390.png"), full_page=True)
        text = page.inner_text("body")
        if name != "case":
            assert t("dispute.not_advice", lang) in text
            for item in ("contract", "payouts", "guarantee", "traffic", "worktime", "account",
                         "exit_chats", "non_compete_pay", "student"):
                assert t(f"dispute.item.{item}", lang) in text, (name, item)
        else:
            assert t("dispute.web.section", lang) in text
    page.close()
    assert problems == []
