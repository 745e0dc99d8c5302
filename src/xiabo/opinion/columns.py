"""Which column is which in a comment export, and how its times and counts read.

Why synonyms: every back-end names its columns differently (快手 评论内容 / 抖音 弹幕内容 /
微博 微博正文 / an agency's own ``content``). Exact names win; then the longest known name a
header contains (评论内容（已脱敏） is still the text). Times come as 2026-11-20 20:15:03,
2026/11/20 20:15, 2026年11月20日 20时15分, ISO 8601 with a zone, or Unix seconds/milliseconds;
all are turned into Beijing time (China has had no daylight saving since 1991).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["ROLES", "SOURCES", "TZ", "map_columns", "parse_count", "parse_time", "source_of"]

TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
ROLES = ("text", "time", "likes", "replies", "author", "source")
SOURCES = ("comment", "danmaku", "weibo")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("评论内容", "内容", "评论", "弹幕内容", "弹幕", "留言", "留言内容", "正文", "微博正文",
             "微博内容", "评论正文", "文本", "消息", "消息内容", "comment", "comments_text", "content",
             "text", "message", "body", "danmaku", "danmu", "barrage", "comment_text"),
    "time": ("时间", "评论时间", "发布时间", "发送时间", "创建时间", "日期", "日期时间", "弹幕时间",
             "留言时间", "发表时间", "time", "timestamp", "created_at", "create_time", "date",
             "datetime", "created", "published", "published_at", "send_time", "ctime"),
    "likes": ("点赞", "点赞数", "点赞量", "赞", "赞数", "获赞", "获赞数", "喜欢", "likes", "like",
              "like_count", "likes_count", "attitudes_count", "digg_count"),
    "replies": ("回复", "回复数", "回复量", "评论数", "子评论数", "replies", "reply_count",
                "replies_count", "comments_count", "comment_count"),
    "author": ("用户", "用户名", "昵称", "用户昵称", "作者", "发送者", "评论者", "评论人", "粉丝昵称",
               "发布者", "author", "user", "username", "user_name", "nickname", "screen_name",
               "name"),
    "source": ("来源", "类型", "渠道", "平台", "消息类型", "source", "type", "channel", "platform",
               "kind"),
}
_EXACT = {name: role for role, names in _SYNONYMS.items() for name in names}
_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")


def _clean(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).strip().lower()
    text = _BRACKETS.sub("", text).strip()
    return re.sub(r"[\s\-]+", "_", text).strip("_:：")


def map_columns(header: list[str]) -> dict[str, int]:
    """Role -> column index for the roles this header has (first matching column wins)."""
    cleaned = [_clean(h) for h in header]
    found: dict[str, int] = {}
    for i, name in enumerate(cleaned):
        role = _EXACT.get(name)
        if role and role not in found:
            found[role] = i
    taken = set(found.values())
    for role in ROLES:
        if role in found:
            continue
        best, best_len = None, 0
        for i, name in enumerate(cleaned):
            if i in taken or not name:
                continue
            for syn in _SYNONYMS[role]:
                if len(syn) > best_len and len(syn) >= 2 and syn in name:
                    best, best_len = i, len(syn)
        if best is not None:
            found[role] = best
            taken.add(best)
    return found


_SOURCE_WORDS = (("danmaku", ("弹幕", "danmaku", "danmu", "barrage", "bullet")),
                 ("weibo", ("微博", "weibo")),
                 ("comment", ("评论", "留言", "comment", "reply", "回复")))


def source_of(value: str, default: str = "comment") -> str:
    """comment / danmaku / weibo from a cell or a file name; ``default`` when neither says."""
    text = unicodedata.normalize("NFKC", value).lower()
    for source, words in _SOURCE_WORDS:
        if any(w in text for w in words):
            return source
    return default


_DATE_TIME = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]?\s*(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:[.,]\d+)?\s*秒?)?\s*分?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$", re.IGNORECASE)
_EPOCH = re.compile(r"^\s*(\d{10}|\d{13})(?:\.\d+)?\s*$")


def parse_time(value: str) -> datetime | None:
    """A timezone-aware datetime in Beijing time, or None when the cell is not a time we know."""
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value)
    m = _EPOCH.match(text)
    if m:
        digits = m.group(1)
        seconds = int(digits) / (1000 if len(digits) == 13 else 1)
        try:
            return datetime.fromtimestamp(seconds, TZ)
        except (OverflowError, OSError, ValueError):
            return None
    m = _DATE_TIME.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second, zone = m.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0))
    except ValueError:
        return None
    if zone:
        if zone.upper() == "Z":
            tz = UTC
        else:
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            if int(digits[:2]) > 23 or int(digits[2:]) > 59:
                return None
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        try:
            return moment.replace(tzinfo=tz).astimezone(TZ)
        except (OverflowError, ValueError):
            return None
    return moment.replace(tzinfo=TZ)


_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(万|w|k|千|亿)?\s*\+?\s*$", re.IGNORECASE)
_SCALE = {"万": 10_000, "w": 10_000, "k": 1_000, "千": 1_000, "亿": 100_000_000}


def parse_count(value: str) -> int:
    """Likes or replies: '1,234', '1.2万', '3k', '' -> int; anything else counts as 0."""
    if not value:
        return 0
    m = _COUNT.match(unicodedata.normalize("NFKC", value).replace(",", ""))
    if not m:
        return 0
    number = float(m.group(1)) * _SCALE.get((m.group(2) or "").lower(), 1)
    return int(round(number)) if number < 2**62 else 0
