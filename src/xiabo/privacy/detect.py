"""Find mainland-China personal identifiers in text: ID, mobile, bank card, e-mail, WeChat, QQ,
street address.

Why this shape: fan exports run to hundreds of megabytes, so the text is read in two compiled
passes, each led by a first-character set the regex engine skips through in C: one for digit
runs (ID, mobile, bank card) and one combined alternation for everything found by a label or
anchor (e-mail '@', WeChat/QQ keywords, road and estate words). Merging the digit pass into the
second measured 5x slower (digits are half the characters of a typical export, and every
digit would try every branch). Checksums (GB 11643, Luhn) run in Python only on candidates.
WeChat IDs and QQ numbers look like ordinary words and numbers, so they count only next to a
keyword (微信, VX, QQ, 扣扣 …) or under such a column header (see ``engine``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from operator import gt, itemgetter, mul

from .mask import mask

__all__ = [
    "TYPES",
    "Finding",
    "find",
    "find_spans",
    "id_card_valid",
    "luhn_valid",
    "mobile_valid",
    "normalise_types",
]

TYPES = ("id_card", "mobile", "bank_card", "email", "wechat", "qq", "address")
DIGIT_TYPES = frozenset({"id_card", "mobile", "bank_card"})
# When two candidates cover the same text, the longer wins; on a tie, the lower rank.
_RANK = {"id_card": 0, "bank_card": 1, "email": 2, "qq": 3, "wechat": 4, "mobile": 5, "address": 6}


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier in a text: its type, where it is (``text[start:end]``) and a safe mask."""

    type: str
    start: int
    end: int
    masked: str


# --- checksums --------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def id_card_valid(value: str, today: date | None = None) -> bool:
    """GB 11643 resident ID: 17 digits + check char, a real birth date not in the future.

    The region code is not checked: region tables are incomplete and codes get retired.
    """
    if len(value) != 18 or not value[:17].isascii() or not value[:17].isdigit():
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    if year < 1900 or not 1 <= month <= 12 or not 1 <= day <= _DAYS[month]:
        return False
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return False
    today = today or date.today()
    if (year, month, day) > (today.year, today.month, today.day):
        return False
    total = sum(map(mul, map(int, value[:17]), _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17].upper()


_DOUBLED = {str(d): (2 * d if d < 5 else 2 * d - 9) for d in range(10)}


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812 (Luhn) check digit."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = sum(map(int, digits[-1::-2])) + sum(map(_DOUBLED.__getitem__, digits[-2::-2]))
    return total % 10 == 0


def mobile_valid(digits: str) -> bool:
    """Mainland mobile: 11 digits, 1 then 3–9."""
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" and digits.isdigit()


# Card-network first digits (UnionPay 62/60/9xx domestic, Visa 4, Mastercard 5, JCB/Amex 3).
# Order and waybill numbers (often starting with 1, 2 or 7) would otherwise pass Luhn 1 in 10.
_CARD_FIRST = frozenset("345689")

# --- patterns ---------------------------------------------------------------------------------

# A digit not preceded by a digit, then: a run of 11+ digits (optionally ending in X),
# 3-4-4 mobile groups, or 4-4-4-4(-1..3) card groups.
_DIGITS = re.compile(
    r"[0-9](?<![0-9][0-9])[0-9]{2}(?:[0-9]{8,}+[Xx]?"
    r"|[ -][0-9]{4}[ -][0-9]{4}"
    r"|[0-9](?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)"
)
_COUNTRY = re.compile(r"(?:\+|00)?86[ -]?$")
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}$")
_SP = r"[ \t\u3000]*"
WECHAT_KEYWORDS = ("微信", "VX", "vx", "Vx", "vX", "WX", "wx", "Wx", "wX", "V信", "v信", "威信", "薇信",
                   "weixin", "Weixin", "WeiXin", "WeChat", "Wechat", "wechat", "WECHAT")
QQ_KEYWORDS = ("QQ", "qq", "Qq", "qQ", "扣扣", "企鹅号", "企鹅")
# Not a bare 道: 知道 / 频道 / 味道 + "5号" is ordinary speech far more often than a road.
ROAD_WORDS = ("路", "街", "大街", "大道", "巷", "弄", "胡同")
ESTATE_WORDS = ("小区", "花园", "公寓", "大厦", "家园", "新村", "社区", "苑")


def _labelled_pattern() -> re.Pattern:
    """Everything found by a label or an anchor, as ONE alternation of literal-led branches.

    Each branch starts with a literal character, so the engine still skips in C to the next
    '@', 微, Q, 路 … (wrapping the branches in a group would lose that). The named group that
    matched says which kind it was: ``email``, ``wechat<i>``, ``wxid``, ``qq<i>``, ``addr<i>``.
    """
    esc = re.escape
    alts = [r"@(?P<email>[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24})(?![A-Za-z0-9-])",
            r"wxid_(?P<wxid>[A-Za-z0-9]{6,32})(?![A-Za-z0-9_])"]
    for i, kw in enumerate(WECHAT_KEYWORDS):
        alts.append(esc(kw) + r"(?:号码|号|ID|id)?" + _SP + "[:：=]?" + _SP +
                    rf"(?P<wechat{i}>[A-Za-z][-_A-Za-z0-9]{{5,19}})(?![-_A-Za-z0-9])")
    for i, kw in enumerate(QQ_KEYWORDS):
        alts.append(esc(kw) + r"(?:号码|号)?" + _SP + "[:：=]?" + _SP +
                    rf"(?P<qq{i}>[1-9][0-9]{{4,10}})(?![0-9])")
    n = 0
    for word in ROAD_WORDS:
        alts.append(esc(word) + rf"(?P<addr{n}>[ ]?[0-9]{{1,5}}(?:-[0-9]{{1,5}})?[ ]?号)")
        n += 1
    for word in ESTATE_WORDS:
        alts.append(esc(word) + rf"(?P<addr{n}>[ ]?[0-9A-Za-z]{{1,5}}(?:栋|幢|号楼|座))")
        n += 1
    return re.compile("|".join(alts))


_LABELLED = _labelled_pattern()
_GROUP_KIND = {name: ("email" if name == "email" else "wechat" if name.startswith(("wechat", "wxid"))
                      else "qq" if name.startswith("qq") else "address")
               for name in _LABELLED.groupindex}
# Best effort: an address is anchored on "<road>NN号" or "<estate>N栋", then widened to the
# place names before it and the building/unit/room after it.
_ADDRESS_TAIL = re.compile(r"(?:[ ]?[-0-9A-Za-z]{1,5}[ ]?(?:栋|幢|号楼|座|单元|层|楼|室|号|户))*")
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_PROVINCE_RE = re.compile("|".join(_PROVINCES))
_LEAD_IN = re.compile(r".*(?:寄到|发到|送到|寄往|地址|住址|住在|位于|[到在是为])")
_BACK_LIMIT = 30


# Read backwards (on the reversed window) over Chinese place words and short alphanumeric
# parts ("3号楼"), stopping at punctuation or at a run of 5+ digits (a phone is not a place).
_PLACE_BACK = re.compile(r"(?:[\u4e00-\u9fff]|[0-9A-Za-z]{1,4}+(?![0-9A-Za-z]))*[\u4e00-\u9fff]")


def _address_start(text: str, anchor: int, floor: int) -> int:
    """Widen back from the road name over Chinese place words; trim a leading '寄到' etc."""
    back = _PLACE_BACK.match(text[max(floor, anchor - _BACK_LIMIT):anchor][::-1])
    if not back:
        return anchor
    i = anchor - back.end()
    window = text[i:anchor]
    found = _PROVINCE_RE.search(window)
    if found:
        return i + found.start()
    lead_in = _LEAD_IN.match(window)
    if lead_in and lead_in.end() < len(window):
        return i + lead_in.end()
    return i


def normalise_types(types: Iterable[str] | None) -> frozenset[str]:
    """The set of wanted types (all when None); unknown names raise ValueError."""
    if types is None:
        return frozenset(TYPES)
    wanted = frozenset(types)
    unknown = wanted - set(TYPES)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    return wanted


def _digit_spans(text: str, out: list, want: frozenset[str], today: date) -> None:
    """Classify each digit candidate: 18 chars → ID, 11 → mobile, 16–19 → card (Luhn)."""
    n = len(text)
    want_id, want_mobile, want_card = "id_card" in want, "mobile" in want, "bank_card" in want
    append = out.append
    for m in _DIGITS.finditer(text):
        raw = m.group()
        s, e = m.span()
        if raw.isdigit():  # the common case: one unbroken run
            digits = raw
        else:
            if e < n and "0" <= text[e] <= "9":
                continue  # spaced groups that run on into more digits
            digits = raw.replace(" ", "").replace("-", "")
        size = len(digits)
        if size == 11:
            if want_mobile and digits[0] == "1" and digits[1] in "3456789":
                if s and text[s - 1] in " -":  # "+86 138…", "86-138…"
                    cc = _COUNTRY.search(text, max(0, s - 6), s)
                    if cc and (cc.group()[0] in "+0" or cc.start() == 0
                               or not "0" <= text[cc.start() - 1] <= "9"):
                        s = cc.start()
                append((s, e, "mobile"))
            continue
        if size == 18 and want_id and id_card_valid(digits, today):
            append((s, e, "id_card"))
            continue
        if digits[-1] in "Xx":
            digits = digits[:-1]
            size -= 1
            e -= 1
            if size == 11:
                if want_mobile and mobile_valid(digits):
                    append((s, e, "mobile"))
                continue
        if size in (13, 15):
            if want_mobile and digits[:-11] in ("86", "0086") and mobile_valid(digits[-11:]):
                if s > 0 and text[s - 1] == "+":
                    s -= 1
                append((s, e, "mobile"))
            continue
        if 16 <= size <= 19 and want_card and digits[0] in _CARD_FIRST and luhn_valid(digits):
            append((s, e, "bank_card"))


def _keyword_ok(text: str, start: int) -> bool:
    """An ASCII keyword (wx, VX, QQ) must not be the tail of a longer word."""
    if start == 0 or not text[start].isascii():
        return True
    prev = text[start - 1]
    return not (prev.isascii() and prev.isalnum())


def _labelled_spans(text: str, out: list, want: frozenset[str]) -> None:
    """E-mail, WeChat, QQ and address candidates from the one combined pass."""
    append = out.append
    floor = 0  # addresses never reach back into the previous one
    for m in _LABELLED.finditer(text):
        group = m.lastgroup
        kind = _GROUP_KIND[group]
        if kind not in want:
            continue
        if kind == "email":
            at = m.start()
            local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
            if local:
                s = local.start()
                while s < at and text[s] == ".":
                    s += 1
                if s < at and text[at - 1] != ".":
                    append((s, m.end(), "email"))
        elif kind == "address":
            anchor = m.start()
            if anchor < floor:
                continue
            s = _address_start(text, anchor, floor)
            if s >= anchor:
                continue  # "路88号" with no name before it is not an address
            tail = _ADDRESS_TAIL.match(text, m.end())
            e = tail.end() if tail else m.end()
            append((s, e, "address"))
            floor = e
        elif group == "wxid":
            s = m.start()
            if s == 0 or not (text[s - 1].isascii() and text[s - 1].isalnum()):
                append((s, m.end(), "wechat"))
        else:
            if not _keyword_ok(text, m.start()):
                continue
            vs = m.start(group)
            if kind == "wechat" and text[vs - 1].isascii() and text[vs - 1].isalnum():
                continue  # "wxabc123": an ASCII keyword glued to the value is not a label
            append((vs, m.end(group), kind))


def find_spans(text: str, want: frozenset[str] = frozenset(TYPES),
               today: date | None = None) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, type) spans, in order. The engine behind ``find``."""
    spans: list[tuple[int, int, str]] = []
    today = today or date.today()
    if want & DIGIT_TYPES:
        _digit_spans(text, spans, want, today)
    if want - DIGIT_TYPES:
        _labelled_spans(text, spans, want)
    if len(spans) < 2:
        return spans
    spans.sort()  # by start, then end: at one start, a longer candidate comes later
    if not any(map(gt, map(itemgetter(1), spans), map(itemgetter(0), islice(spans, 1, None)))):
        return spans  # the usual case: nothing overlaps (checked in C)
    result = [spans[0]]
    last = spans[0]
    for span in spans:
        if span[0] >= last[1]:
            result.append(span)
            last = span
        elif span[0] == last[0] and span is not last and (
                span[1] > last[1] or _RANK[span[2]] < _RANK[last[2]]):
            result[-1] = last = span
    return result


def find(text: str, types: Iterable[str] | None = None) -> list[Finding]:
    """Every identifier in ``text`` with a masked form that never shows the whole value."""
    want = normalise_types(types)
    return [Finding(kind, s, e, mask(kind, text[s:e])) for s, e, kind in find_spans(text, want)]
