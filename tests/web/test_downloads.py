"""The one Content-Disposition writer: a Chinese name survives, the ASCII fallback is optional."""

from __future__ import annotations

from urllib.parse import unquote

from xiabo.web.downloads import NO_STORE, attachment, download_response


def test_attachment_carries_the_chinese_name_and_the_fallback():
    value = attachment("案子 甲.zip", "case-1.zip")
    assert value.startswith('attachment; filename="case-1.zip"; filename*=UTF-8\'\'')
    assert unquote(value.split("UTF-8''", 1)[1]) == "案子 甲.zip"
    assert attachment("x.pdf") == "attachment; filename*=UTF-8''x.pdf"


def test_download_response_bytes_and_file(tmp_path):
    resp = download_response("报告.pdf", b"%PDF", "application/pdf", headers=NO_STORE)
    assert resp.body == b"%PDF" and resp.media_type == "application/pdf"
    assert resp.headers["cache-control"] == "no-store"
    assert "filename*=UTF-8''" in resp.headers["content-disposition"]
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b\n")
    resp = download_response("干净.csv", path, "text/csv", ascii_name="case-2.csv")
    assert resp.path == path and 'filename="case-2.csv"' in resp.headers["content-disposition"]
