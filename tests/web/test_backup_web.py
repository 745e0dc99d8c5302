"""Backups from the web page: typed paths are checked, the job bags and verifies in the
background, the page follows it, the originals are untouched and the 3-2-1 status updates."""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import pytest

from xiabo.cases import stored
from xiabo.store import cases as repo

LOCAL = repo.Actor()
NAMES = ["中文文件名.txt", "有 空格 的 文件.mp4", "表情😀🎉.json", "子文件夹 二/深处 的 录像.flv",
         "子文件夹 二/ascii.bin"]


def _snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        out[path.relative_to(root).as_posix()] = (digest, st.st_mtime_ns, st.st_mode)
    return out


@pytest.fixture
def source(tmp_path) -> Path:
    root = tmp_path / "直播 录像 🎬"
    for i, name in enumerate(NAMES):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(1000 * (i + 1)) + name.encode("utf-8"))
    os.utime(root / NAMES[0], ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return root


def _case(web, profile):
    return stored.create_case(web.db, profile, today=web.today, actor=LOCAL)


def _token(web, case):
    html = web.client.get(f"/cases/{case.id}/backup").text
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _wait(web, case, location, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        web.run_jobs()  # a worker (a thread of ``xiabo serve``, or ``xiabo worker``) runs it
        page = web.client.get(location)
        assert page.status_code == 200
        if 'http-equiv="refresh"' not in page.text:
            return page
        assert time.monotonic() < deadline, "backup did not finish"
        time.sleep(0.05)


def test_backup_from_the_web_bags_verifies_and_leaves_originals_alone(web, profile, source,
                                                                      tmp_path):
    from xiabo.backup import verify_bag

    case = _case(web, profile)
    disk_a, disk_b = tmp_path / "移动硬盘 A", tmp_path / "NAS 备份"
    disk_a.mkdir()
    disk_b.mkdir()
    before = _snapshot(source)
    form = {"csrf": _token(web, case), "sources": f"{source}\n",
            "dests": f"{disk_a}\r\n{disk_b}", "data_class": "recordings", "media": "local"}
    r = web.client.post(f"/cases/{case.id}/backup", data=form)
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    job_id = location.rsplit("/", 1)[1]
    page = _wait(web, case, location)
    assert "完成，校验通过" in page.text, page.text
    assert page.text.count("完整校验通过（5 个文件）") == 2
    # the originals: same bytes, same times, same modes
    assert _snapshot(source) == before
    # a bag at each destination, each verifying on its own, with the non-ASCII names inside
    for disk in (disk_a, disk_b):
        bags = [p for p in disk.iterdir() if p.is_dir()]
        assert len(bags) == 1
        result = verify_bag(bags[0])
        assert result.ok and result.files == len(NAMES)
        payload = {p.relative_to(bags[0] / "data").as_posix()
                   for p in (bags[0] / "data").rglob("*") if p.is_file()}
        assert {f"{source.name}/{n}" for n in NAMES} == payload
    # the 3-2-1 status counts the new copies (two verified copies of the recordings)
    status = web.client.get(f"/cases/{case.id}/backup").text
    row = re.search(r"直播录像与互动记录</th>\s*<td>([^<]*)</td>", status)
    assert row and "2" in row.group(1), status
    assert f"/cases/{case.id}/backup/jobs/{job_id}" in status
    progress = web.client.get(f"{location}/progress.json").json()
    assert progress["state"] == "done" and progress["percent"] == 100
    assert "sources" not in progress  # no computer paths in the JSON


def test_the_job_survives_in_the_store(web, profile, source, tmp_path):
    from xiabo.web import WebConfig, create_app

    case = _case(web, profile)
    dest = tmp_path / "dest"
    dest.mkdir()
    r = web.client.post(f"/cases/{case.id}/backup", data={
        "csrf": _token(web, case), "sources": str(source), "dests": str(dest),
        "data_class": "other"})
    location = r.headers["location"]
    _wait(web, case, location)
    # another web process (or this one after a restart) reads the job from the store
    from fastapi.testclient import TestClient

    other = create_app(WebConfig(database_url=str(web.db.url), today=lambda: web.today))
    page = TestClient(other, base_url="http://testserver").get(location)
    assert page.status_code == 200 and "完成，校验通过" in page.text


@pytest.mark.parametrize("field, value, words", [
    ("sources", "", "还没有写要备份的文件夹"),
    ("sources", "relative/path", "不是完整路径"),
    ("sources", "/no/such/文件夹", "找不到"),
    ("dests", "", "还没有写备份存到哪里"),
    ("dests", "/no/such/disk", "不存在或不是文件夹"),
    ("dests", "INSIDE", "在要备份的"),
    ("data_class", "photos", "请选择这是什么数据"),
])
def test_bad_paths_are_refused_before_anything_starts(web, profile, source, tmp_path, field,
                                                      value, words):
    case = _case(web, profile)
    dest = tmp_path / "dest"
    dest.mkdir()
    inside = source / "子文件夹 二"
    form = {"csrf": _token(web, case), "sources": str(source), "dests": str(dest),
            "data_class": "recordings"}
    form[field] = str(inside) if value == "INSIDE" else value
    before = _snapshot(source)
    r = web.client.post(f"/cases/{case.id}/backup", data=form)
    assert r.status_code == 422 and words in r.text
    assert 'role="alert"' in r.text
    assert form["sources"] in r.text  # the typed values are kept
    assert list(dest.iterdir()) == [] and _snapshot(source) == before


def test_unreadable_source_is_refused(web, profile, source, tmp_path, monkeypatch):
    case = _case(web, profile)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    if os.geteuid() == 0:  # root reads everything: let the folder answer as it would a user
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False
                            if str(path) == str(locked) else real_access(path, mode, *a, **k))
    dest = tmp_path / "dest"
    dest.mkdir()
    try:
        r = web.client.post(f"/cases/{case.id}/backup", data={
            "csrf": _token(web, case), "sources": str(locked), "dests": str(dest),
            "data_class": "other"})
        assert r.status_code == 422 and "读不了" in r.text
    finally:
        locked.chmod(0o700)


def test_backup_form_needs_its_token(web, profile, source, tmp_path):
    case = _case(web, profile)
    r = web.client.post(f"/cases/{case.id}/backup", data={
        "csrf": "forged", "sources": str(source), "dests": str(tmp_path), "data_class": "other"})
    assert r.status_code == 403


def test_agency_mode_shows_status_but_no_folder_form(make_web, sqlite_url, profile,
                                                     cheap_argon2):
    from xiabo.store.users import add_user

    w = make_web(sqlite_url, auth=True)
    case = stored.create_case(w.db, profile, today=w.today, actor=LOCAL)
    add_user(w.db, "boss", "admin", "correct horse battery staple 9")
    assert w.login("boss", "correct horse battery staple 9").status_code == 303
    page = w.client.get(f"/cases/{case.id}/backup")
    assert page.status_code == 200 and 'name="sources"' not in page.text
    token = re.search(r'name="csrf" value="([^"]+)"', w.client.get(f"/cases/{case.id}").text)
    r = w.client.post(f"/cases/{case.id}/backup", data={
        "csrf": token.group(1), "sources": "/etc", "dests": "/tmp", "data_class": "other"})
    assert r.status_code == 403
