"""Real export layouts (fixtures made here, see layouts/README.md), ``--map`` and the message
for a layout nobody knows: it lists the columns found and says how to map them."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiabo.errors import UserError
from xiabo.opinion.ingest import ingest_file, parse_map

LAYOUTS = Path(__file__).parent / "layouts"

CASES = [  # file, messages, an author, the most liked, first day
    ("douyin_comments.csv", 3, "小鱼儿", 12_000, "2026-12-01"),
    ("kuaishou_comments.csv", 2, "老铁", 20, "2026-12-01"),
    ("bilibili_danmaku.csv", 3, "a1b2c3", 0, "2026-12-01"),
    ("bilibili_replies.json", 2, "阿毛", 41, "2025-12-01"),
    ("weibo_comments_api.csv", 2, "微博用户甲", 88, "2026-12-01"),
    ("weibo_comments_zh.csv", 2, "粉丝一号", 9, "2026-12-01"),
]


@pytest.mark.parametrize(("name", "count", "author", "likes", "first"), CASES)
def test_known_layouts_ingest_with_times_authors_and_likes(store, name, count, author, likes,
                                                           first):
    result = ingest_file(store, LAYOUTS / name)
    assert (result.rows, result.added, result.bad_time) == (count, count, 0)
    rows = store.conn.execute("SELECT author, likes, day FROM messages").fetchall()
    assert author in {r[0] for r in rows}
    assert max(r[1] for r in rows) == likes
    assert min(r[2] for r in rows) == first


def test_danmaku_takes_the_send_time_not_the_video_position(store):
    ingest_file(store, LAYOUTS / "bilibili_danmaku.csv")
    hours = {r[0] for r in store.conn.execute("SELECT hour FROM messages")}
    assert hours == {20}


def test_unknown_layout_lists_its_columns_and_says_how_to_map(store):
    with pytest.raises(UserError) as err:
        ingest_file(store, LAYOUTS / "unknown_layout.csv")
    text = err.value.render("zh")
    for column in ("「昵」", "「话」", "「何时」", "--map 内容="):
        assert column in text, text
    assert "--map text=" in err.value.render("en")


def test_map_makes_the_unknown_layout_readable(store):
    columns = parse_map(["内容=话", "时间=何时,作者=昵"])
    assert columns == {"text": "话", "time": "何时", "author": "昵"}
    result = ingest_file(store, LAYOUTS / "unknown_layout.csv", columns=columns)
    assert result.added == 2
    assert {r[0] for r in store.conn.execute("SELECT author FROM messages")} == {"某人", "另一人"}


def test_map_naming_a_missing_column_names_it_and_the_columns_there(store):
    with pytest.raises(UserError) as err:
        ingest_file(store, LAYOUTS / "unknown_layout.csv", columns={"text": "评论", "time": "何时"})
    assert "「评论」" in err.value.render("zh") and "「何时」" in err.value.render("zh")


@pytest.mark.parametrize("bad", ["内容", "颜色=话", "text="])
def test_bad_map_values_are_refused_in_words(bad):
    with pytest.raises(UserError) as err:
        parse_map([bad])
    assert "--map" in err.value.render("zh")


def test_cli_map_option(cli, tmp_path):
    case = tmp_path / "case"
    bad = cli("opinion", "ingest", str(LAYOUTS / "unknown_layout.csv"), "--dir", str(case))
    said = bad.out + bad.err
    assert bad.code == 2 and "「何时」" in said and "Traceback" not in said
    ok = cli("opinion", "ingest", str(LAYOUTS / "unknown_layout.csv"), "--dir", str(case),
              "--map", "内容=话", "--map", "时间=何时")
    assert ok.code == 0, ok.err
    assert "新增 2 条" in ok.out
