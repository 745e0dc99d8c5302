"""The web's exports page offers the same 抖音 / B站 / 视频号 texts as ``xiabo export``."""

from __future__ import annotations

from xiabo.cases import stored
from xiabo.store import cases as repo


def test_exports_page_offers_every_announced_channel(web, profile):
    prof = dict(profile, channels=["douyin", "bilibili", "wechat_channels"])
    case = stored.create_case(web.db, prof, today=web.today, actor=repo.Actor())
    html = web.client.get(f"/cases/{case.id}/exports").text
    for name in ("抖音告别文案（带话题）", "B站动态", "视频号动态"):
        assert name in html, name
    assert 'id="kit-douyin_post"' in html and "#告别直播" in html
    assert html.count("这个平台没有公开字数上限") == 2  # B站 and 视频号, not 抖音
    r = web.client.get(f"/cases/{case.id}/export/kit")
    assert r.status_code == 200
    import io
    import zipfile

    names = {n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(io.BytesIO(r.content)).namelist()}
    assert {"抖音告别文案.txt", "B站动态.txt", "视频号动态.txt"} <= names
