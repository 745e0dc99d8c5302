"""interview/answers.py: answers as people type them, checked against the profile's limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiabo.interview.answers import AnswerError, parse_answer
from xiabo.interview.questions import device_questions, load_questions

Q = {q.id: q for q in load_questions()}
PLATFORMS = ["kuaishou", "douyin", "taobao"]


@pytest.mark.parametrize("qid,text,value", [
    ("platform", "快手", "kuaishou"), ("platform", "2", "douyin"), ("platform", "淘宝直播", "taobao"),
    ("account.status", "正常", "normal"), ("account.status", "封号", "banned"),
    ("followers", "120万", 1200000), ("followers", "3千", 3000), ("followers", "１２０", 120),
    ("money.balance_cny", "￥12,000", "12000"), ("money.balance_cny", "12000元", "12000"),
    ("money.balance_cny", "1.5万", "15000"), ("money.balance_cny", "12.50", "12.5"),
    ("account.bindings", "微信，支付宝", ["wechat", "alipay"]),
    ("channels", "微博、公众号", ["weibo", "wechat_official"]),
    ("delete_account", "是", True), ("delete_account", "y", True), ("delete_account", "对", True),
    ("delete_account", "不是", False), ("delete_account", "no", False),
    ("start", "2026年12月1日", "2026-12-01"), ("start", "2026/12/1", "2026-12-01"),
    ("contract.kind", "劳动合同", "labour"),
])
def test_natural_answers(qid, text, value):
    assert parse_answer(Q[qid], text, PLATFORMS) == value


def test_device_choices_in_chinese():
    by = {q.id: q for q in device_questions()}
    assert parse_answer(by["equipment.type"], "手机") == "phone"
    assert parse_answer(by["equipment.os"], "苹果") == "ios"
    assert parse_answer(by["equipment.disposal"], "卖掉") == "sell"


def test_limits_come_from_the_profile_model():
    from xiabo.roadmap.profile import Contract

    bound = next(m.le for m in Contract.model_fields["non_compete_months"].metadata if hasattr(m, "le"))
    assert parse_answer(Q["contract.non_compete_months"], str(bound)) == bound
    with pytest.raises(AnswerError) as err:
        parse_answer(Q["contract.non_compete_months"], "200000")
    assert str(bound) in err.value.message("zh") and "200000" not in err.value.message("zh")


@pytest.mark.parametrize("qid,text", [("followers", "很多"), ("followers", "-5"),
                                      ("platform", "微视"), ("delete_account", "也许"),
                                      ("start", "2026-13-45")])
def test_bad_answers_say_why(qid, text):
    with pytest.raises(AnswerError) as err:
        parse_answer(Q[qid], text, PLATFORMS)
    assert err.value.message("zh") and "init." not in err.value.message("zh")


@given(st.text(max_size=40))
def test_any_text_parses_or_says_why(text):
    for q in Q.values():
        if q.type == "devices":
            continue
        try:
            parse_answer(q, text, PLATFORMS)
        except AnswerError as err:
            assert err.message("en")
