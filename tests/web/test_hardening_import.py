"""Findings 5 and 13: the import goes on after a bad row, with a report; NUL is refused."""

from __future__ import annotations

import re

import sqlalchemy.exc

from xiabo.store import cases as repo

CSV = """name,platform,followers,account.bindings
一号,kuaishou,10,"wechat, wechat"
二号,douyin,10,qq
三\x00号,douyin,10,
四号,douyin,10,qq
"""


def _upload(web, data: bytes):
    """The import queued, run, and its job page (the report) read."""
    return web.after_jobs(web.client.post("/cases/import", data={"csrf": web.csrf()},
                                          files={"file": ("list.csv", data, "text/csv")}))


def _names(web) -> set[str]:
    rows, _ = repo.list_cases(web.db, repo.Actor(), repo.CaseFilter(), today=web.today)
    return {r.name for r in rows}


def test_a_row_that_breaks_a_constraint_does_not_stop_the_import(web, monkeypatch):
    from xiabo.store import cases as store

    real = store.insert_cases

    def flaky(db, cases, **kwargs):
        if any(case.name == "二号" for case, _, _ in cases):  # hits a unique constraint
            raise sqlalchemy.exc.IntegrityError("INSERT", {}, Exception("UNIQUE constraint"))
        return real(db, cases, **kwargs)

    monkeypatch.setattr(store, "insert_cases", flaky)
    r = _upload(web, CSV.encode("utf-8"))
    assert r.status_code == 200, r.text[:300]
    report = r.text[r.text.index('id="report"'):]
    assert "冲突" in report  # the conflict row is reported …
    assert {"一号", "四号"} <= _names(web)  # … and the rows after it were still created
    assert "二号" not in _names(web)


def test_duplicate_bindings_are_never_a_500(web):
    r = _upload(web, CSV.encode("utf-8"))
    assert r.status_code == 200
    r = web.client.post("/api/cases", json={"profile": {
        "name": "五号", "platform": "kuaishou", "account": {"bindings": ["wechat", "wechat"]}}})
    assert r.status_code in (201, 422), r.text[:300]


def test_a_nul_byte_in_a_name_is_refused_and_never_echoed(web):
    r = _upload(web, CSV.encode("utf-8"))
    assert r.status_code == 200
    assert "\x00" not in r.text and "&#0;" not in r.text
    bad = re.findall(r'<tr class="bad"><td[^>]*>(\d+)</td>', r.text)
    assert "4" in bad
    assert "控制字符" in r.text
    assert not any("\x00" in n for n in _names(web))
    assert "三号" not in _names(web)
