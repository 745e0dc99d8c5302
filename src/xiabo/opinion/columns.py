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

__all__ = ["ROLES", "SOURCES", "TZ", "column_index", "map_columns", "parse_count", "parse_time", "source_of"]

TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
ROLES = ("text", "time", "likes", "replies", "author", "source")
SOURCES = ("comment", "danmaku", "weibo")

# Within a role, an earlier name wins over a later one when a header has both: an export with
# 发送时间 and 时间(s) (B站 danmaku: the second is the video position) takes 发送时间.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("评论内容", "弹幕内容", "留言内容", "微博正文", "微博内容", "评论正文", "消息内容", "内容",
             "评论", "弹幕", "留言", "正文", "文本", "消息", "comment_text", "comments_text",
             "content", "text", "message", "comment", "body", "danmaku", "danmu", "barrage"),
    "time": ("评论时间", "发送时间", "发布时间", "发表时间", "留言时间", "弹幕时间", "创建时间",
             "日期时间", "时间", "日期", "created_at", "create_time", "send_time", "ctime",
             "timestamp", "datetime", "published_at", "published", "created", "time", "date"),
    "likes": ("点赞数", "点赞量", "点赞", "获赞数", "获赞", "赞数", "赞", "喜欢", "like_count",
              "likes_count", "attitudes_count", "digg_count", "likes", "like"),
    "replies": ("回复数", "回复量", "子评论数", "回复", "评论数", "reply_count", "replies_count",
                "rcount", "total_number", "replies", "comments_count", "comment_count"),
    "author": ("用户昵称", "评论者昵称", "粉丝昵称", "昵称", "用户名", "评论者", "评论人", "发送者",
               "发布者", "作者", "用户", "screen_name", "nickname", "uname", "user_name",
               "username", "author", "user", "name"),
    "source": ("来源", "类型", "渠道", "平台", "消息类型", "source", "type", "channel", "platform",
               "kind"),
}
_RANK = {name: (role, rank) for role, names in _SYNONYMS.items()
         for rank, name in enumerate(names)}
_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")


def _clean(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).strip().lower()
    text = _BRACKETS.sub("", text).strip()
    return re.sub(r"[\s\-]+", "_", text).strip("_:：")


def map_columns(header: list[str], given: dict[str, str] | None = None) -> dict[str, int]:
    """Role -> column index for the roles this header has.

    ``given`` (role -> column name, from ``--map``) is taken first; then exact names, the
    earlier synonym winning; then the longest known name a header contains.
    """
    cleaned = [_clean(h) for h in header]
    found: dict[str, int] = {}
    for role, name in (given or {}).items():
        index = column_index(header, name)
        if index is not None:
            found[role] = index
    best_rank: dict[str, int] = {}
    for i, name in enumerate(cleaned):
        role, rank = _RANK.get(name, (None, 0))
        if role and role not in (given or {}) and i not in found.values() \
                and rank < best_rank.get(role, 1 << 30):
            found[role], best_rank[role] = i, rank
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


def column_index(header: list[str], name: str) -> int | None:
    """The column called ``name`` (as written, or after the same cleaning), or None."""
    for i, h in enumerate(header):
        if h.strip() == name.strip():
            return i
    target = _clean(name)
    for i, h in enumerate(header):
        if _clean(h) == target:
            return i
    return None


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
# Weibo's API and the exports made from it: "Sat Dec 05 20:15:03 +0800 2026"
_WEIBO = re.compile(r"^\s*[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+"
                    r"([+-]\d{4})\s+(\d{4})\s*$")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), start=1)}


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
    m = _WEIBO.match(text)
    if m:
        month = _MONTHS.get(m.group(1).lower())
        if month is None:
            return None
        text = (f"{m.group(7)}-{month:02d}-{int(m.group(2)):02d} {m.group(3)}:{m.group(4)}:"
                f"{m.group(5)}{m.group(6)}")
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
