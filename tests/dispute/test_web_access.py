"""The dispute on the web and the API, and who may read it: once a case is marked "the agency
is the counter-party", the agency's admin and operators get 404 on the page, the lawyer's page,
the PDF and the API (read and write); the streamer and their adviser read it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiabo.cases import stored
from xiabo.store import cases as repo
from xiabo.store.disputes import load_dispute_doc
from xiabo.store.users import add_user

LOCAL = repo.Actor()
PROFILE = {"contract": {"type": "brokerage", "penalty": {"kind": "fixed", "fixed_cny": "1000000"},
                        "guarantee_monthly_cny": "3000"},
           "agency": {"claim_cny": "35000", "guarantee_unpaid_months": 2},
           "streamer": {"student": True}}
ROUTES = ("/cases/{id}/dispute", "/cases/{id}/dispute/lawyer", "/cases/{id}/dispute/bundle.pdf",
          "/api/cases/{id}/dispute", "/cases/{id}/evidence", "/cases/{id}/payouts")


@pytest.fixture
def agency(make_web, sqlite_url, profile):
    """One case (the operator's), its streamer and the streamer's adviser, the agency's admin."""
    web = make_web(sqlite_url, auth=True)
    case = stored.create_case(web.db, dict(profile, name="甲主播"), today=web.today, actor=LOCAL)
    add_user(web.db, "boss", "admin", "boss-password")
    add_user(web.db, "op", "operator", "op-tea-kettle", case_ids=[case.id])
    add_user(web.db, "amy", "streamer", "amy-password", case_ids=[case.id])
    add_user(web.db, "lawyer", "adviser", "lawyer-password", case_ids=[case.id])
    web.case = case.id
    return web


def _as(web, name, password):
    web.client.cookies.clear()
    assert web.login(name, password).status_code == 303


def test_the_streamer_fills_the_dispute_by_api_and_marks_the_agency(agency):
    _as(agency, "amy", "amy-password")
    c, cid = agency.client, agency.case
    r = c.put(f"/api/cases/{cid}/dispute", json={"profile": PROFILE, "counterparty": True})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["counterparty"] is True
    assert body["report"]["exposure"]["as_written"] == "1000000.00"
    assert body["report"]["exposure"]["owed_to_streamer"] == "6000.00"
    assert "common.dispute.cases.guizhou_huang" in [m["case"] for m in body["report"]["exposure"]["closest"]]
    assert load_dispute_doc(agency.db, cid)[0] is True
    for path in ROUTES:
        r = c.get(path.format(id=cid))
        assert r.status_code == 200, path
    page = c.get(f"/cases/{cid}/dispute").text
    assert "违约金" in page and "不是法律意见" in page
    assert c.get(f"/cases/{cid}/dispute/bundle.pdf").content.startswith(b"%PDF")
    # the lawyer's page: the contract timeline and the letters with their clocks
    letter = c.post(f"/api/cases/{cid}/letters", json={"kind": "penalty"}).json()
    assert c.post(f"/api/cases/{cid}/letters/{letter['id']}/sent", json={}).status_code == 200
    lawyer = c.get(f"/cases/{cid}/dispute/lawyer").text
    assert "违约金回复函" in lawyer.split("信件和期限")[1].split("违约金风险")[0]
    assert "小店" not in lawyer.split("时间线")[1].split("信件和期限")[0]  # the shop is not the dispute
    # the case page shows the section to the streamer
    assert 'id="dispute"' in c.get(f"/cases/{cid}?show=documents").text


@pytest.mark.parametrize("who", [("op", "op-tea-kettle"), ("boss", "boss-password")])
def test_the_agencys_staff_cannot_read_a_marked_dispute(agency, who):
    _as(agency, "amy", "amy-password")
    agency.client.put(f"/api/cases/{agency.case}/dispute", json={"profile": PROFILE, "counterparty": True})
    _as(agency, *who)
    c, cid = agency.client, agency.case
    assert c.get(f"/cases/{cid}").status_code == 200  # the case itself stays theirs
    for path in ROUTES:
        r = c.get(path.format(id=cid))
        assert r.status_code == 404, (who, path)
        assert "1,000,000" not in r.text and "35000" not in r.text
    assert c.put(f"/api/cases/{cid}/dispute", json={"profile": {}}).status_code == 404
    # what the agency paid is the dispute's proof too: no reconciling it behind the streamer
    assert c.post(f"/api/cases/{cid}/payouts", files={"files": ("s.csv", b"x")},
                  data={"terms": "split: 0.5"}).status_code == 404
    # the case's evidence log holds the dispute's proof: its bundle is refused too
    assert c.get(f"/cases/{cid}/evidence/bundle.zip").status_code == 404
    token = agency.form_csrf(f"/cases/{cid}")
    assert c.post(f"/cases/{cid}/dispute", data={"csrf": token}).status_code == 404
    for step in ("verify", "checkpoint", "init", "bundle.zip"):  # the log's own steps too
        assert c.post(f"/cases/{cid}/evidence/{step}", data={"csrf": token}).status_code == 404
    assert 'id="dispute"' not in c.get(f"/cases/{cid}?show=documents").text  # no section, no link
    assert load_dispute_doc(agency.db, cid)[1]["agency"]["claim_cny"] == "35000"  # untouched


def test_the_adviser_reads_it_and_the_operator_reads_an_unmarked_one(agency):
    _as(agency, "amy", "amy-password")
    agency.client.put(f"/api/cases/{agency.case}/dispute", json={"profile": PROFILE})
    _as(agency, "op", "op-tea-kettle")
    assert agency.client.get(f"/api/cases/{agency.case}/dispute").status_code == 200
    # the operator may not set the mark (nor clear it)
    r = agency.client.put(f"/api/cases/{agency.case}/dispute",
                          json={"profile": PROFILE, "counterparty": False})
    assert r.status_code == 422
    _as(agency, "amy", "amy-password")
    agency.client.put(f"/api/cases/{agency.case}/dispute", json={"profile": PROFILE, "counterparty": True})
    _as(agency, "lawyer", "lawyer-password")
    for path in ROUTES:
        assert agency.client.get(path.format(id=agency.case)).status_code == 200, path


def test_a_bad_profile_names_the_field_and_changes_nothing(agency):
    _as(agency, "amy", "amy-password")
    c, cid = agency.client, agency.case
    c.put(f"/api/cases/{cid}/dispute", json={"profile": PROFILE})
    r = c.put(f"/api/cases/{cid}/dispute", json={"profile": {"contract": {"streamer_share": "1.5"}}})
    assert r.status_code == 422
    assert "contract.streamer_share" in r.text
    assert load_dispute_doc(agency.db, cid)[1]["contract"]["guarantee_monthly_cny"] == "3000"


def test_the_form_saves_and_shows_the_report(agency):
    _as(agency, "amy", "amy-password")
    c, cid = agency.client, agency.case
    token = agency.form_csrf(f"/cases/{cid}/dispute")
    r = c.post(f"/cases/{cid}/dispute", data={
        "csrf": token, "contract__type": "brokerage", "contract__penalty__kind": "fixed",
        "contract__penalty__fixed_cny": "50万", "agency__claim_cny": "3万",
        "streamer__student": "yes", "counterparty": "1"})
    assert r.status_code == 303, r.text
    marked, data = load_dispute_doc(agency.db, cid)
    assert marked and Decimal(data["contract"]["penalty"]["fixed_cny"]) == 500000
    page = c.get(f"/cases/{cid}/dispute").text
    assert "500,000.00" in page
    bad = c.post(f"/cases/{cid}/dispute", data={"csrf": token, "agency__claim_cny": "很多"})
    assert bad.status_code == 422 and "role=\"alert\"" in bad.text


def test_the_exports_carry_no_dispute_data(agency):
    import io
    import zipfile

    from xiabo.i18n import t

    _as(agency, "amy", "amy-password")
    agency.client.put(f"/api/cases/{agency.case}/dispute", json={"profile": PROFILE, "counterparty": True})
    _as(agency, "op", "op-tea-kettle")
    r = agency.client.get(f"/cases/{agency.case}/export/all")
    assert r.status_code == 200
    marks = [t("dispute.h.exposure", "zh"), t("dispute.item.contract", "zh"), "dispute.contract",
             t("dispute.not_advice", "zh")]
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        texts = [z.read(n).decode("utf-8", "replace") for n in z.namelist()
                 if n.rsplit(".", 1)[-1] in ("ics", "md", "txt", "csv", "html", "json")]
    assert texts  # the text exports are there to read
    assert not [m for m in marks for text in texts if m in text]
