"""``xiabo opinion``: ingest, report (text, JSON, HTML, PDF), watch; bad input exits 2."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import pytest

from .conftest import HEADER, comment_rows, write_csv


def test_ingest_then_report_json(cli, tmp_path):
    a = write_csv(tmp_path / "a.csv", HEADER, comment_rows(300))
    r = cli("opinion", "ingest", str(a), "--dir", str(tmp_path / "case"))
    assert r.code == 0, r.err
    assert "新增 300 条" in r.out and "共存有 300 条留言" in r.out
    r = cli("opinion", "ingest", str(a), "--dir", str(tmp_path / "case"))
    assert "新增 0 条" in r.out and "300 条没有再加" in r.out
    r = cli("opinion", "report", "--dir", str(tmp_path / "case"), "--json", "--today",
            "2026-11-30")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert sum(d["volume"] for d in data["days"]) == 300
    assert {"date", "volume", "negative", "neutral", "positive", "spike"} <= set(data["days"][0])
    assert data["keywords"] and {"term", "count"} <= set(data["keywords"][0])


def test_report_text_and_files(cli, tmp_path):
    write_csv(tmp_path / "a.csv", HEADER, comment_rows(200))
    cli("opinion", "ingest", str(tmp_path / "a.csv"), "--dir", str(tmp_path / "case"))
    r = cli("opinion", "report", "--dir", str(tmp_path / "case"), "--out",
            str(tmp_path / "r.html"), "--last-live", "2026-11-05")
    assert r.code == 0, r.err
    assert "舆情日报" in r.out and "报告已写到" in r.out
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    r = cli("opinion", "report", "--dir", str(tmp_path / "case"), "--lang", "en")
    assert "Opinion report" in r.out
    if shutil.which("fc-list") or True:
        r = cli("opinion", "report", "--dir", str(tmp_path / "case"), "--out",
                str(tmp_path / "r.pdf"))
        assert r.code in (0, 2), r.err            # 2: no Chinese font installed (clear message)
        if r.code == 0:
            assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args,needle", [
    (["report", "--dir", "{tmp}/nothing"], "还没有舆情数据"),
    (["report", "--dir", "{case}", "--since", "2026-13-01"], "--since"),
    (["report", "--dir", "{case}", "--since", "2026-11-10", "--until", "2026-11-01"], "晚于"),
    (["report", "--dir", "{case}", "--out", "{tmp}/r.docx"], ".html 或 .pdf"),
    (["ingest", "{tmp}/missing.csv", "--dir", "{case}"], "missing.csv"),
    (["ingest", "{tmp}/bad.csv", "--dir", "{case}"], "认不出哪一列是时间"),
    (["watch", "{tmp}/nope", "--dir", "{case}", "--once"], "不存在"),
])
def test_bad_input_exits_2_without_traceback(cli, tmp_path, args, needle):
    write_csv(tmp_path / "a.csv", HEADER, comment_rows(10))
    write_csv(tmp_path / "bad.csv", ["评论内容", "点赞"], [["a", 1]])
    cli("opinion", "ingest", str(tmp_path / "a.csv"), "--dir", str(tmp_path / "case"))
    filled = [a.format(tmp=tmp_path, case=tmp_path / "case") for a in args]
    r = cli("opinion", *filled)
    assert r.code == 2, (r.out, r.err)
    assert needle in r.err and "Traceback" not in r.err + r.out


def test_watch_picks_up_new_files_and_reports_spikes_once(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    case = str(tmp_path / "case")
    start = date(2026, 11, 1)
    rows = []
    for d in range(10):
        day = start + timedelta(days=d)
        rows += [[f"谢谢{i}", f"{day} 10:{i:02d}:00", 0, 0, "a"] for i in range(30)]
        rows += [[f"垃圾公司{i}", f"{day} 11:{i % 60:02d}:{i // 60:02d}", 0, 0, "b"]
                 for i in range(30 if d < 9 else 200)]
    write_csv(inbox / "week1.csv", HEADER, rows[: len(rows) // 2])
    r = cli("opinion", "watch", str(inbox), "--dir", case, "--once")
    assert r.code == 0, r.err
    assert "发现新文件 week1.csv" in r.out and "没有新的负面激增" in r.out
    write_csv(inbox / "week2.csv", HEADER, rows[len(rows) // 2:])
    r = cli("opinion", "watch", str(inbox), "--dir", case, "--once", "--interval", "0.5")
    assert "week2.csv" in r.out and "week1.csv" not in r.out
    assert "⚠ 2026-11-10 负面留言 200 条" in r.out
    r = cli("opinion", "watch", str(inbox), "--dir", case, "--once")
    assert "2026-11-10" not in r.out and "week" not in r.out


def test_help_lists_opinion(cli):
    r = cli("--help")
    assert "opinion" in r.out and "舆情监测" in r.out
