"""Ingest of messy exports: encodings, formats, missing columns, duplicates, 100k rows."""

from __future__ import annotations

import json

import pytest

from xiabo.errors import UserError
from xiabo.opinion.ingest import ingest_file

from ..helpers import make_xlsx
from .conftest import HEADER, comment_rows, write_csv


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(tmp_path, store, encoding):
    path = write_csv(tmp_path / "c.csv", HEADER, comment_rows(50), encoding=encoding)
    result = ingest_file(store, path)
    assert result.added == 50
    texts = {r[0] for r in store.conn.execute("SELECT text FROM messages")}
    assert any(t.startswith("主播一路走好") or t.startswith("公会太黑心了") for t in texts)


def test_same_file_twice_adds_nothing(tmp_path, store):
    path = write_csv(tmp_path / "c.csv", HEADER, comment_rows(200))
    assert ingest_file(store, path).added == 200
    again = ingest_file(store, path)
    assert again.added == 0 and again.duplicates == 200
    assert store.count() == 200
    terms = store.conn.execute("SELECT SUM(n) FROM terms").fetchone()[0]
    ingest_file(store, path)
    assert store.conn.execute("SELECT SUM(n) FROM terms").fetchone()[0] == terms


def test_duplicated_rows_inside_a_file_count_once(tmp_path, store):
    rows = comment_rows(20)
    path = write_csv(tmp_path / "c.csv", HEADER, rows + rows[:5] + rows[:5])
    result = ingest_file(store, path)
    assert (result.rows, result.added, result.duplicates) == (30, 20, 10)


def test_missing_text_column_names_file_column_and_fix(tmp_path, store):
    path = write_csv(tmp_path / "导出.csv", ["序号", "评论时间"], [[1, "2026-11-20 10:00"]])
    with pytest.raises(UserError) as err:
        ingest_file(store, path)
    text = err.value.render("zh")
    assert "导出.csv" in text and "留言内容" in text and "评论内容" in text and "怎么改" in text
    assert store.count() == 0


def test_missing_time_column(tmp_path, store):
    path = write_csv(tmp_path / "c.csv", ["content", "likes"], [["hi", 1]])
    with pytest.raises(UserError) as err:
        ingest_file(store, path)
    assert err.value.key == "opinion.err.missing_time"
    assert "content" in err.value.render("en") and "time" in err.value.render("en")


def test_unreadable_times_and_empty_texts_are_counted(tmp_path, store):
    rows = comment_rows(5) + [["有内容", "昨天", 0, 0, "a"], ["", "2026-11-20 10:00", 0, 0, "b"]]
    result = ingest_file(store, write_csv(tmp_path / "c.csv", HEADER, rows))
    assert (result.added, result.bad_time, result.empty) == (5, 1, 1)
    assert result.bad_time_example == (7, "昨天")


def test_no_readable_time_at_all_is_an_error(tmp_path, store):
    path = write_csv(tmp_path / "c.csv", ["评论", "时间"], [["a", "刚刚"], ["b", "3分钟前"]])
    with pytest.raises(UserError) as err:
        ingest_file(store, path)
    assert err.value.key == "opinion.err.no_times" and "刚刚" in err.value.render("zh")
    assert store.count() == 0 and not store.files()   # the whole file rolled back


def test_xlsx_json_jsonl_and_sources(tmp_path, store):
    make_xlsx(tmp_path / "抖音弹幕.xlsx", {"弹幕": [["弹幕内容", "发送时间", "昵称"],
                                                 ["主播加油", "2026-11-20 20:00:01", "甲"]],
                                          "说明": [["这是说明页"]]})
    (tmp_path / "weibo.json").write_text(json.dumps(
        [{"text": "恶心的公司", "created_at": "2026-11-20T12:00:00Z", "attitudes_count": 9}],
        ensure_ascii=False), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        '{"content": "谢谢", "time": 1795000000, "source": "弹幕"}\n', encoding="utf-8")
    for name in ("抖音弹幕.xlsx", "weibo.json", "c.jsonl"):
        assert ingest_file(store, tmp_path / name).added == 1
    rows = sorted(store.conn.execute("SELECT source, text, hour, likes, sentiment FROM messages"))
    assert ("danmaku", "主播加油", 20, 0, 1) in rows
    assert ("weibo", "恶心的公司", 20, 9, -1) in rows   # 12:00 UTC is 20:00 in Beijing
    assert ("danmaku", "谢谢", 19, 0, 1) in rows   # 1795000000 = 2026-11-18 19:06:40 +08:00


def test_text_file_is_refused(tmp_path, store):
    (tmp_path / "notes.txt").write_text("只是文字\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        ingest_file(store, tmp_path / "notes.txt")
    assert err.value.key == "opinion.err.not_a_table"


def test_hundred_thousand_rows(tmp_path, store):
    path = write_csv(tmp_path / "big.csv", HEADER, comment_rows(100_000, days=30))
    result = ingest_file(store, path)
    assert result.rows == 100_000 and result.added + result.duplicates == 100_000
    assert store.count() == result.added > 99_000
    assert ingest_file(store, path).added == 0
