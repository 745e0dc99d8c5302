"""Batch import: one row → one case; bad rows by row number with field and fix."""

from __future__ import annotations

import io
import re

from xiabo.store import cases as repo

CSV = """name,platform,start,followers,contract.signed,contract.agency,money.balance_cny,account.bindings,equipment
主播甲,kuaishou,2026-12-01,1000,true,星光,100,"wechat, alipay",iPhone; 补光灯
主播乙,douyin,2026-13-01,10,false,,0,,
,kuaishou,,5,false,,0,,
主播丙,weibo,,5,false,,0,,
<b>主播丁</b>,taobao,,abc,false,,-3,,

主播戊,taobao,2026-12-05,7,no,,0,qq,
"""


def _upload(web, name, data, ctype="text/csv"):
    """The import queued, run, and its job page (the report) read; or the refusal."""
    return web.after_jobs(web.client.post("/cases/import", data={"csrf": web.csrf()},
                                          files={"file": (name, data, ctype)}))


def test_csv_import_reports_bad_rows_and_creates_good_ones(web):
    r = _upload(web, "主播.csv", CSV.encode("utf-8"))
    assert r.status_code == 200
    html = r.text
    report = html[html.index('id="report"'):]
    assert "建立 2 个，失败 4 行" in report
    bad = {int(m[0]): m[1] for m in __import__("re").findall(
        r'<tr class="bad"><td[^>]*>(\d+)</td><td[^>]*>[^<]*(?:&lt;[^<]*)*</td><td[^>]*><span data-field="([^"]+)">',
        report)}
    assert bad[3] == "start"
    assert '<span data-field="start">开始日期' in report  # the field in words, not its key
    assert bad[4] == "name"
    assert bad[5] == "platform"
    assert bad[6] in ("followers", "money.balance_cny")
    assert "<b>主播丁</b>" not in html and "&lt;b&gt;主播丁&lt;/b&gt;" in html
    rows, total = repo.list_cases(web.db, repo.Actor(), repo.CaseFilter(), today=web.today)
    assert total == 2 and {r.name for r in rows} == {"主播甲", "主播戊"}
    import json

    first = next(r for r in rows if r.name == "主播甲")
    prof = json.loads(repo.get_case(web.db, first.id).profile_json)
    assert prof["account"]["bindings"] == ["wechat", "alipay"]
    assert [d["name"] for d in prof["equipment"]] == ["iPhone", "补光灯"]


def test_xlsx_import_with_question_text_headers(web):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["你的直播间或账号叫什么？", "要离开哪个平台？", "现在大约有多少粉丝？（填数字）"])
    ws.append(["表格主播", "douyin", 300000])
    ws.append(["坏行", "douyin", -1])
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(web, "list.xlsx", buf.getvalue(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert r.status_code == 200 and "建立 1 个，失败 1 行" in r.text
    assert re.search(r'<tr class="bad"><td[^>]*>3</td>', r.text)


def test_gbk_csv_and_template(web):
    data = "name,platform\n老王,kuaishou\n".encode("gb18030")
    r = _upload(web, "gbk.csv", data)
    assert "建立 1 个" in r.text
    tpl = web.client.get("/cases/import/template.csv")
    assert tpl.status_code == 200
    text = tpl.content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:2] == ["name", "platform"] and "contract.agency" in header
    # the template itself imports cleanly
    r = _upload(web, "tpl.csv", tpl.content)
    assert "失败 0 行" in r.text


def test_unusable_files_are_explained(web):
    r = _upload(web, "x.xlsx", b"PK\x03\x04 not a zip")
    assert r.status_code == 422 and "不是有效的 Excel" in r.text
    r = _upload(web, "x.csv", b"foo,bar\n1,2\n")
    assert r.status_code == 422 and "name 和 platform" in r.text
    r = _upload(web, "x.exe", b"MZ")
    assert r.status_code == 422
    r = web.client.post("/cases/import", data={"csrf": web.csrf()})
    assert r.status_code == 422 and "请选择要上传的文件" in r.text


def test_too_many_rows_and_too_large_body(web):
    web.app.state.config.max_import_rows = 3
    rows = "name,platform\n" + "".join(f"p{i},kuaishou\n" for i in range(5))
    r = _upload(web, "many.csv", rows.encode())
    assert r.status_code == 422 and "最多导入 3 行" in r.text
    assert repo.list_cases(web.db, repo.Actor(), repo.CaseFilter(), today=web.today)[1] == 0


def test_upload_size_limit(make_web, sqlite_url):
    from tests.web.conftest import Web  # noqa: F401

    web = make_web(sqlite_url)
    web.app.state.config.max_upload_bytes = 10_000
    # the limit is read when the app is built; rebuild a small-limit app
    from fastapi.testclient import TestClient

    from xiabo.web import WebConfig, create_app

    app = create_app(WebConfig(database_url=sqlite_url, max_upload_bytes=10_000))
    with TestClient(app) as client:
        import re

        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/cases/import").text)[1]
        r = client.post("/cases/import", data={"csrf": token},
                        files={"file": ("big.csv", b"x" * 50_000, "text/csv")})
        assert r.status_code == 413
    app.state.db.dispose()
