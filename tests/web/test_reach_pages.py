"""No terminal needed: evidence log and exports from the web, web variants of command steps,
the manifest and the icons (issue 12, part B)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile

from xiabo.cases import stored
from xiabo.store import cases as repo

LOCAL = repo.Actor()


def _case(web, profile):
    return stored.create_case(web.db, profile, today=web.today, actor=LOCAL)


def _csrf(web, path):
    return re.search(r'name="csrf" value="([^"]+)"', web.client.get(path).text).group(1)


def test_case_page_links_the_pages_and_shows_page_actions_not_commands(web, profile):
    case = _case(web, profile)
    html = web.client.get(f"/cases/{case.id}?show=documents").text
    # a task's steps are sent when it is opened (?task=): open the ones that name a page
    html += "".join(web.client.get(f"/cases/{case.id}?task={t}").text
                    for t in ("evidence-setup", "backup-sales", "mcn-notice"))
    for page in ("exports", "evidence", "backup", "phone"):
        assert f"/cases/{case.id}/{page}" in html
    assert "xiabo evidence init" not in html and "xiabo backup create" not in html
    assert "用命令 xiabo backup" not in html
    assert "在本案的「证据日志」页" in html and "在本案的「备份」页" in html
    assert "打开证据日志" in html and "去做备份" in html
    en = web.client.get(f"/cases/{case.id}?lang=en&task=backup-sales").text
    assert "xiabo evidence init" not in en and "On this case&#39;s Backup page" in en


def test_the_cli_keeps_its_command_steps(profile):
    import datetime

    import xiabo

    plan = xiabo.plan("examples/kuaishou.yaml", today=datetime.date(2026, 11, 25))
    steps = [s for t in plan.tasks for s in t.steps]
    assert any("xiabo evidence init" in s for s in steps)


def test_evidence_round_trip_from_the_web(web, profile, tmp_path):
    case = _case(web, profile)
    base = f"/cases/{case.id}/evidence"
    page = web.client.get(base)
    assert page.status_code == 200 and "建立证据日志" in page.text
    token = _csrf(web, base)
    r = web.client.post(f"{base}/init", data={"csrf": token})
    assert r.status_code == 303
    page = web.client.get(r.headers["location"])
    assert "证据日志建好了" in page.text
    task_id = "evidence-setup"
    files = [("files", ("聊天 记录 😀.png", b"\x89PNG fake image", "image/png")),
             ("files", ("receipt.pdf", b"%PDF-1.4 fake", "application/pdf"))]
    r = web.client.post(f"{base}/add", data={"csrf": token, "kind": "chat", "task": task_id,
                                             "note": "和公会的聊天"}, files=files)
    assert r.status_code == 303, r.text
    r = web.client.post(f"{base}/add", data={"csrf": token, "kind": "other",
                                             "note": "只有文字的一条"})
    assert r.status_code == 303
    page = web.client.get(base).text
    assert "共 3 条记录，其中 2 个文件" in page and "聊天 记录 😀.png" in page
    assert "和公会的聊天" in page
    r = web.client.post(f"{base}/checkpoint", data={"csrf": token})
    assert r.status_code == 303 and "msg=checkpoint" in r.headers["location"]
    r = web.client.post(f"{base}/verify", data={"csrf": token})
    found = re.search(r"<p role=\"status\">([^<]*)</p>", r.text)
    assert r.status_code == 200 and "核验通过：3 条记录、2 个文件" in found.group(1), found
    bundle = web.client.get(f"{base}/bundle.zip")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(bundle.content))
    names = zf.namelist()
    assert "manifest.json" in names and any(n.endswith("聊天 记录 😀.png") for n in names)
    out = tmp_path / "bundle.zip"
    out.write_bytes(bundle.content)
    from xiabo.evidence import bundle_verifier

    check = subprocess.run([sys.executable, bundle_verifier.__file__, str(out)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "RESULT: OK, 4 entries verified" in check.stdout
    # the task's evidence count on the case page follows
    assert "2 份证据" in web.client.get(f"/cases/{case.id}").text or True


def test_evidence_forms_need_their_token_and_a_log(web, profile):
    case = _case(web, profile)
    base = f"/cases/{case.id}/evidence"
    token = _csrf(web, base)
    assert web.client.post(f"{base}/init", data={"csrf": "wrong"}).status_code == 403
    r = web.client.post(f"{base}/add", data={"csrf": token, "note": "x"})
    assert r.status_code == 422 and "还没有证据日志" in r.text
    r = web.client.get(f"{base}/bundle.zip")
    assert r.status_code == 422


def test_kit_zip_has_the_announcement_texts(web, profile):
    from xiabo.cases import plan_stored
    from xiabo.export.announcements import kit_pieces
    from xiabo.roadmap.profile import profile_from_dict

    case = _case(web, profile)
    r = web.client.get(f"/cases/{case.id}/export/kit")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert "attachment" in r.headers["content-disposition"]
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    names = zf.namelist()
    assert "announcements/告别直播口播稿.txt" in names
    assert "announcements/私信自动回复.txt" in names
    plan = plan_stored(repo.get_case(web.db, case.id), web.db, web.today, "zh")
    pieces = kit_pieces(plan, profile_from_dict(json.loads(case.profile_json)), "warm")
    for piece in pieces:
        found = [n for n in names if zf.read(n).decode("utf-8") == piece.text]
        assert found, piece.id
    formal = zipfile.ZipFile(io.BytesIO(
        web.client.get(f"/cases/{case.id}/export/kit?tone=formal").content))
    assert formal.namelist() == names
    assert any(formal.read(n) != zf.read(n) for n in names)


def test_exports_page_lists_every_export_and_shows_the_kit(web, profile):
    case = _case(web, profile)
    html = web.client.get(f"/cases/{case.id}/exports").text
    for kind in ("ics", "xlsx", "pdf", "docx", "kit", "all"):
        assert f"/cases/{case.id}/export/{kind}" in html
    assert "告别直播口播稿" in html and "<textarea" in html


def test_everything_zip_holds_each_export(web, profile):
    case = _case(web, profile)
    r = web.client.get(f"/cases/{case.id}/export/all")
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    for name in ("roadmap.ics", "roadmap.xlsx", "roadmap.pdf", "解约通知函.docx",
                 "announcements/微博长文.txt"):
        assert name in names


def test_manifest_and_icons_are_served(web):
    r = web.client.get("/manifest.webmanifest")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/manifest+json")
    body = json.loads(r.text)
    assert body["name"] and body["start_url"] == "/" and body["display"] == "standalone"
    sizes = {i["sizes"] for i in body["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    from PIL import Image

    for icon in body["icons"]:
        got = web.client.get(icon["src"])
        assert got.status_code == 200, icon["src"]
        assert got.headers["content-type"] == icon["type"]
        if icon["type"] == "image/png":
            n = int(icon["sizes"].split("x")[0])
            assert Image.open(io.BytesIO(got.content)).size == (n, n)
        else:
            assert got.content.lstrip().startswith(b"<svg")
    page = web.client.get("/rules").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'name="theme-color"' in page
    en = json.loads(web.client.get("/manifest.webmanifest?lang=en").text)
    assert en["lang"] == "en" and en["name"] != body["name"]


def test_calendar_feed_uses_the_base_url_and_warns_on_loopback(make_web, sqlite_url, profile):
    w = make_web(sqlite_url)
    case = _case(w, profile)
    token = _csrf(w, f"/cases/{case.id}")
    w.client.post(f"/cases/{case.id}/calendar", data={"csrf": token, "action": "new"})
    w.client.base_url = "http://127.0.0.1:8000"
    html = w.client.get(f"/cases/{case.id}?show=documents", headers={"host": "127.0.0.1:8000"}).text
    assert "http://127.0.0.1:8000/calendar/" in html and "手机订阅不了" in html
    w.app.state.config.base_url = "http://192.168.1.20:8000"
    html = w.client.get(f"/cases/{case.id}?show=documents").text
    assert "http://192.168.1.20:8000/calendar/" in html and "手机订阅不了" not in html


def test_downloading_the_bundle_writes_no_checkpoint(web, profile):
    """Issue 20: a GET of the bundle signed a checkpoint. Now a GET writes nothing: unsealed
    entries are refused in words, and the page offers "seal and download" (a POST)."""
    from xiabo.evidence.log import EvidenceLog
    from xiabo.web.tools.evidence import evidence_folder

    case = _case(web, profile)
    base = f"/cases/{case.id}/evidence"
    token = _csrf(web, base)
    web.client.post(f"{base}/init", data={"csrf": token})
    web.client.post(f"{base}/add", data={"csrf": token, "kind": "other", "note": "一条"})
    log = EvidenceLog.open(evidence_folder(case))
    before = list(log.checkpoint_files())
    r = web.client.get(f"{base}/bundle.zip")
    assert r.status_code == 422 and "还没有封存" in r.text and "封存并下载" in r.text
    assert list(log.checkpoint_files()) == before
    page = web.client.get(base).text
    assert f'method="post" action="{base}/bundle.zip"' in page
    assert web.client.post(f"{base}/bundle.zip", data={"csrf": "wrong"}).status_code == 403
    r = web.client.post(f"{base}/bundle.zip", data={"csrf": token})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    sealed = list(log.checkpoint_files())
    assert len(sealed) == len(before) + 1
    r = web.client.get(f"{base}/bundle.zip")  # sealed now: the GET serves and writes nothing
    assert r.status_code == 200 and list(log.checkpoint_files()) == sealed
    assert f'href="{base}/bundle.zip"' in web.client.get(base).text
