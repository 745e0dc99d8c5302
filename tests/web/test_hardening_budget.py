"""Budgets of one request (issue 15): the JSON API's body limit and the exports' work limit.

A JSON body above 1 MB is a 413 in the documented ``{error, message, field, fix}`` shape
(uploads keep their own, larger limit); an export of a plan above its task budget is refused
with a message before any drawing starts; every export of the largest case the input domain
allows either finishes within a few seconds or is refused.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from xiabo.cases import stored
from xiabo.store import cases as repo

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 30)
SECONDS = 8.0  # a generous bound on a loaded test machine (measured: ≤ 2.5 s)


def _profile(devices: int) -> dict:
    prof = yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))
    prof.pop("progress", None)
    prof["equipment"] = [{"name": f"设备 {i}", "type": "phone", "os": "android",
                          "disposal": "sell"} for i in range(devices)]
    return prof


def _shape(err: dict) -> None:
    assert set(err) == {"error", "message", "field", "fix"}, err
    assert err["message"] and err["fix"]


def test_a_json_body_over_1_mb_is_a_413_in_the_error_shape(web):
    big = json.dumps({"profile": {"name": "x" * (1100 * 1024)}})
    r = web.client.post("/api/cases", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    err = r.json()
    _shape(err)
    assert err["error"] == "budget.body.too_large" and "1.0 MB" in err["message"]
    # English, and a body streamed without a length is cut off the same way
    def chunks():
        for _ in range(12):
            yield b"[" * (100 * 1024)

    r = web.client.post("/api/cases?lang=en", content=chunks(),
                        headers={"content-type": "application/json"})
    assert r.status_code == 413
    _shape(r.json())
    assert "limit of 1.0 MB" in r.json()["message"]


def test_uploads_keep_their_own_limit(web):
    """A 2 MB import is above the JSON limit but within the upload limit: not a 413."""
    token = web.form_csrf("/cases/import")
    rows = "name,platform\n" + "p,kuaishou\n" * (2 * 1024 * 1024 // 11)
    r = web.client.post("/cases/import", data={"csrf": token},
                        files={"file": ("many.csv", rows.encode(), "text/csv")})
    assert r.status_code != 413


def test_a_case_with_3000_devices_is_refused_with_a_message(web):
    r = web.client.post("/api/cases", json={"profile": json.loads(json.dumps(
        _profile(3000), default=str))})
    assert r.status_code in (413, 422)
    _shape(r.json())
    assert r.json()["field"] in ("equipment", None)


@pytest.mark.parametrize("devices", [500])
def test_every_export_of_the_largest_case_finishes_fast_or_is_refused(web, devices):
    web.today = TODAY
    case = stored.create_case(web.db, _profile(devices), today=TODAY, actor=repo.Actor())
    refused = []
    for path in ("export/ics", "export/xlsx", "export/pdf", "export/docx", "export/kit",
                 "export/all"):
        t0 = time.perf_counter()
        r = web.client.get(f"/cases/{case.id}/{path}")
        took = time.perf_counter() - t0
        assert took < SECONDS, (path, took)
        assert r.status_code in (200, 404, 409, 422), (path, r.status_code)
        if r.status_code == 422:
            refused.append(path)
            assert "超过了一次生成的上限" in r.text and "项任务" in r.text
            assert "设备" in r.text  # what to do
    assert "export/pdf" in refused and "export/all" in refused


def test_the_budget_names_the_limit_in_english(web):
    web.today = TODAY
    case = stored.create_case(web.db, _profile(400), today=TODAY, actor=repo.Actor())
    r = web.client.get(f"/cases/{case.id}/export/pdf?lang=en")
    assert r.status_code == 422
    assert re.search(r"\d+ tasks and 400 devices, above the limit of one export \(600 tasks\)",
                     r.text.replace("&#34;", '"'))


def test_no_termination_letter_link_without_a_contract(web):
    prof = _profile(1)
    prof.pop("contract", None)
    case = stored.create_case(web.db, prof, today=TODAY, actor=repo.Actor())
    html = web.client.get(f"/cases/{case.id}?show=documents").text  # the downloads' fold
    assert f"/cases/{case.id}/export/docx" not in html
    assert f"/cases/{case.id}/export/pdf" in html
    signed = stored.create_case(web.db, _profile(1), today=TODAY, actor=repo.Actor())
    assert f"/cases/{signed.id}/export/docx" in web.client.get(
        f"/cases/{signed.id}/fold/documents").text
