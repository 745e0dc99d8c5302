"""The detector: each identifier type, masks, boundaries, and property tests."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xiabo.privacy import Finding, find, id_card_valid, luhn_valid
from xiabo.privacy.mask import mask

from .ids import CARD, EMAIL, ID, MOBILE, cards, chinese, ids, make_id, mobiles

SAFE_FILLER = chinese.filter(lambda s: "扣" not in s and "鹅" not in s)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.type, text[f.start:f.end]) for f in find(text)]


def test_finding_is_frozen_dataclass():
    f = find(f"电话{MOBILE}")[0]
    assert isinstance(f, Finding)
    with pytest.raises(AttributeError):
        f.type = "x"  # type: ignore[misc]
    assert (f.type, f.start, f.end, f.masked) == ("mobile", 2, 13, "138****5678")


@pytest.mark.parametrize("value, kind, masked", [
    (make_id("110101", date(1949, 12, 31), 2), "id_card", None),
    (ID, "id_card", ID[:4] + "*" * 10 + ID[-4:]),
    ("13812345678", "mobile", "138****5678"),
    ("+8613812345678", "mobile", "+86138****5678"),
    ("+86 138 1234 5678", "mobile", "+86 138 **** 5678"),
    ("138-1234-5678", "mobile", "138-****-5678"),
    (CARD, "bank_card", CARD[:4] + "*" * (len(CARD) - 8) + CARD[-4:]),
    ("a@x.com", "email", "a***@x.com"),
    (EMAIL, "email", "z***@example.com"),
])
def test_each_type_found_and_masked(value, kind, masked):
    text = f"粉丝留言：{value}，谢谢"
    found = find(text)
    assert [(f.type, text[f.start:f.end]) for f in found] == [(kind, value)]
    if masked:
        assert found[0].masked == masked
    assert value not in found[0].masked


def test_id_mask_style():
    assert mask("id_card", "110105199003071234") == "1101**********1234"


def test_spaced_bank_card():
    spaced = " ".join(CARD[i:i + 4] for i in range(0, len(CARD), 4))
    assert kinds(f"卡号：{spaced}") == [("bank_card", spaced)]


@pytest.mark.parametrize("text", [
    "订单号213812345678",      # a mobile inside a longer run
    "13812345678901",          # 14 digits
    "编号0138123456789",
    "12812345678",             # 12x is not a mobile prefix
])
def test_mobile_not_inside_longer_digit_runs(text):
    assert "mobile" not in [k for k, _ in kinds(text)]


def test_id_with_impossible_birth_date_is_not_reported():
    body = "11010519491331002"  # month 13
    assert not id_card_valid(body + "0")
    assert all(k != "id_card" for k, _ in kinds(f"身份证{body}X"))


def test_id_born_in_the_future_is_not_reported():
    future = make_id(born=date(date.today().year + 1, 1, 1))
    assert not id_card_valid(future)


def test_unknown_region_code_is_accepted():
    assert id_card_valid(make_id(region="999999"))


def test_wechat_and_qq_only_next_to_a_keyword():
    assert kinds("随便写的 zhangsan88 和 123456789") == []
    assert kinds("加我微信：zhangsan88") == [("wechat", "zhangsan88")]
    assert kinds("VX zhangsan88") == [("wechat", "zhangsan88")]
    assert kinds("QQ号：123456789") == [("qq", "123456789")]
    assert kinds("扣扣 123456789") == [("qq", "123456789")]
    assert kinds("wxid_abcdefg12345") == [("wechat", "wxid_abcdefg12345")]


def test_ascii_keyword_must_stand_alone():
    assert kinds("mywx: zhangsan88") == []  # "wx" is the tail of a word
    assert kinds("wxzhangsan88") == []      # keyword glued to the value


def test_address_best_effort():
    text = "请寄到浙江省杭州市西湖区文三路123号5栋2单元301室，谢谢"
    found = find(text)
    assert [f.type for f in found] == ["address"]
    assert text[found[0].start:found[0].end] == "浙江省杭州市西湖区文三路123号5栋2单元301室"
    assert found[0].masked == "浙江省杭州市西湖区****"


def test_types_filter():
    text = f"{MOBILE} {EMAIL}"
    assert [f.type for f in find(text, types=["email"])] == ["email"]
    with pytest.raises(ValueError):
        find(text, types=["passport"])


def test_email_beats_mobile_inside_it():
    assert kinds(f"{MOBILE}@163.com") == [("email", f"{MOBILE}@163.com")]


# --- property tests ---------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(value=st.one_of(ids.map(lambda v: ("id_card", v)), cards.map(lambda v: ("bank_card", v)),
                       mobiles.map(lambda v: ("mobile", v))),
       before=SAFE_FILLER, after=SAFE_FILLER)
def test_generated_identifiers_in_chinese_text_are_found_and_masked(value, before, after):
    kind, raw = value
    text = before + raw + after
    found = find(text)
    assert [(f.type, f.start, f.end) for f in found] == [(kind, len(before), len(before) + len(raw))]
    masked = found[0].masked
    assert raw not in masked and masked != raw
    assert masked[:3] == raw[:3] and masked[-4:] == raw[-4:]
    assert "*" in masked


@settings(max_examples=300, deadline=None)
@given(digits=st.integers(16, 19).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)),
    before=SAFE_FILLER, after=SAFE_FILLER)
def test_digit_strings_failing_checksums_are_not_ids_or_cards(digits, before, after):
    assume(not luhn_valid(digits) and not id_card_valid(digits))
    found = find(before + digits + after)
    assert not [f for f in found if f.type in ("id_card", "bank_card")]


@settings(max_examples=200, deadline=None)
@given(body=ids.map(lambda v: v[:17]), wrong=st.sampled_from("0123456789X"))
def test_id_with_a_wrong_check_character_is_not_an_id(body, wrong):
    right = make_id(body[:6], date(int(body[6:10]), int(body[10:12]), int(body[12:14])),
                    int(body[14:17]))[-1]
    assume(wrong != right)
    assert all(f.type != "id_card" for f in find(f"证件：{body}{wrong}。"))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_masks_never_reveal_the_value(text):
    for f in find(text):
        value = text[f.start:f.end]
        assert value not in f.masked
        assert 0 <= f.start < f.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.one_of(ids, cards, mobiles, SAFE_FILLER.filter(bool)), max_size=8))
def test_findings_never_overlap_and_are_ordered(parts):
    text = "，".join(parts)
    found = find(text)
    for a, b in pairwise(found):
        assert a.end <= b.start


@pytest.mark.parametrize("text", ["我知道5号发货", "这个频道12号开播", "味道3号最好"])
def test_everyday_words_before_a_date_are_not_addresses(text):
    assert find(text) == []
