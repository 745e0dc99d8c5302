"""Header synonyms, time and count parsing (property tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from xiabo.opinion.columns import TZ, map_columns, parse_count, parse_time, source_of

moments = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31))
FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日 %H:%M:%S",
           "%Y-%m-%dT%H:%M:%S", "%Y.%m.%d %H:%M:%S", "%Y年%m月%d日 %H时%M分%S秒")


@given(moments, st.sampled_from(FORMATS))
def test_local_formats_round_trip(moment, fmt):
    moment = moment.replace(microsecond=0)
    assert parse_time(moment.strftime(fmt)) == moment.replace(tzinfo=TZ)


@given(moments, st.integers(min_value=-12, max_value=14))
def test_zones_are_converted_to_beijing_time(moment, hours):
    moment = moment.replace(microsecond=0, tzinfo=timezone(timedelta(hours=hours)))
    text = moment.isoformat()
    assert parse_time(text) == moment
    assert parse_time(text).utcoffset() == timedelta(hours=8)


@given(st.integers(min_value=1_000_000_000, max_value=4_000_000_000))
def test_unix_seconds_and_milliseconds(seconds):
    expected = datetime.fromtimestamp(seconds, UTC)
    assert parse_time(str(seconds)) == expected
    assert parse_time(str(seconds * 1000)) == expected


@given(st.text(max_size=30))
def test_any_text_parses_or_is_none(text):
    result = parse_time(text)
    assert result is None or result.utcoffset() == timedelta(hours=8)


def test_dates_without_time_and_impossible_dates():
    assert parse_time("2026-11-20") == datetime(2026, 11, 20, tzinfo=TZ)
    assert parse_time("2026/2/30 10:00") is None
    assert parse_time("3分钟前") is None and parse_time("") is None


TEXT = ["评论内容", "内容", "弹幕内容", "微博正文", "content", "Text", "评论内容（已脱敏）"]
TIME = ["评论时间", "时间", "发送时间", "created_at", "Timestamp", "发布时间 "]
LIKES = ["点赞数", "likes", "attitudes_count", "赞"]
OTHER = ["序号", "ip属地", "备注", "uid"]


@given(st.sampled_from(TEXT), st.sampled_from(TIME), st.sampled_from(LIKES),
       st.lists(st.sampled_from(OTHER), max_size=3), st.randoms())
def test_synonyms_in_any_order(text, time, likes, other, rnd):
    header = [text, time, likes, *other]
    rnd.shuffle(header)
    cols = map_columns(header)
    assert header[cols["text"]] == text
    assert header[cols["time"]] == time
    assert header[cols["likes"]] == likes


def test_replies_count_is_not_the_text_column():
    cols = map_columns(["评论数", "评论", "时间"])
    assert cols == {"replies": 0, "text": 1, "time": 2}


def test_missing_roles_are_absent():
    assert "time" not in map_columns(["评论内容", "点赞"])


@given(st.integers(min_value=0, max_value=10**9))
def test_counts(n):
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}") == n


def test_count_units_and_junk():
    assert parse_count("1.2万") == 12000 and parse_count("3k") == 3000 and parse_count("10w+") == 100000
    assert parse_count("") == 0 and parse_count("很多") == 0


def test_sources():
    assert source_of("抖音弹幕导出.csv") == "danmaku"
    assert source_of("weibo_comments.xlsx") == "weibo"
    assert source_of("export.csv") == "comment"
    assert source_of("", "weibo") == "weibo"
