"""The web's refusals of the second hostile pass (issue 20) are words: a year-1 comment time
names the row and the column (it said 「「-」的值不对。」), a sheet wider than Excel is refused
by the privacy page's job in the catalogue's words (it answered 422 with API-schema
words)."""

from __future__ import annotations

import re

from tests.helpers import base_profile
from tests.hostile.builders import wide_row_xlsx

from xiabo.cases import stored
from xiabo.store import cases as repo


def test_web_refusals_say_it_in_words(web, tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    case = stored.create_case(web.db, base_profile(name="头部主播", followers=3_000_000),
                            today=web.today, actor=repo.Actor())
    year1 = "评论内容,评论时间\n谢谢主播,2026-11-20 20:00:00\n公会黑心,0001-01-01\n".encode()
    wide = wide_row_xlsx(tmp_path / "20k-columns.xlsx", 20_000, refs=True,
                         header=["昵称", "手机"]).read_bytes()

    def post(path, field, name, data):
        page = web.client.get(f"/cases/{case.id}/privacy" if path == "privacy"
                              else f"/cases/{case.id}")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return web.client.post(f"/cases/{case.id}/{path}", data={"csrf": token},
                               files={field: (name, data, "application/octet-stream")})

    r = post("opinion/import", "files", "year1.csv", year1)
    assert r.status_code == 422, r.status_code
    assert "0001-01-01" in r.text and "第 3 行" in r.text and "评论时间" in r.text
    assert "「-」的值不对" not in r.text
    r = post("privacy", "file", "20k-columns.xlsx", wide)
    assert r.status_code == 303, r.status_code  # the scan is a job: it fails, in words
    assert web.run_jobs() == 1
    job = r.headers["location"].rsplit("/", 1)[1]
    for page in (r.headers["location"], f"/cases/{case.id}/privacy?job={job}"):
        r = web.client.get(page)
        assert r.status_code == 200, r.status_code
        assert "20k-columns.xlsx" in r.text and "16384" in r.text and "第 1 行" in r.text
        assert "Invalid column" not in r.text and '"loc"' not in r.text
        assert str(tmp_path) not in r.text  # never the job folder's copy


def test_a_case_import_of_a_wide_workbook_is_refused_in_words(web, tmp_path):
    wide = wide_row_xlsx(tmp_path / "cases.xlsx", 20_000, header=["name", "platform"])
    r = web.client.post("/cases/import", data={"csrf": web.csrf()},
                        files={"file": ("cases.xlsx", wide.read_bytes(),
                                        "application/octet-stream")})
    assert r.status_code == 422, r.status_code
    assert "cases.xlsx" in r.text and "16384" in r.text and "第 1 行" in r.text
