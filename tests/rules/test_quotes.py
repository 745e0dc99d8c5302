"""Every legal quote is found in the statute: the rule packs' citations against the bundled
texts (src/xiabo/rules/laws/, copied from the official texts with their provenance README).

A quote that is not verbatim (whitespace aside) in the article it names fails; a rule from a
text that is not bundled names title, issuer, date, number and where it was read, and is never
verified without a quote.
"""

from __future__ import annotations

import dataclasses

import pytest

from xiabo.rules import load_rulebook
from xiabo.rules.quotes import (
    LAWS_DIR,
    STATUTE_KINDS,
    article_text,
    audit,
    bundled,
    check_citation,
    cn_number,
    problems,
)


@pytest.fixture(scope="module")
def book():
    return load_rulebook(use_cache=False, use_env=False)


def test_every_quote_in_every_pack_is_found_in_its_article(book):
    assert problems(book) == []


def test_every_statute_rule_carries_an_article_and_a_checked_quote(book):
    checked = 0
    for rule in book.rules.values():
        for cite in rule.citations:
            if cite["kind"] in STATUTE_KINDS and bundled(cite["title"]):
                assert cite.get("article") and cite.get("quote"), rule.id
                assert check_citation(cite).status == "found", (rule.id, cite)
                checked += 1
        if rule.source == "law":
            assert rule.citations, f"{rule.id}: a rule from the law names its text"
    assert checked >= 40


def test_texts_not_bundled_say_where_they_come_from_and_are_verified_only_with_a_quote(book):
    for rule in book.rules.values():
        for cite in rule.citations:
            if bundled(cite["title"]) or cite["kind"] == "xiabo":
                continue
            for key in ("title", "issuer", "date", "number", "read_at"):
                assert cite.get(key), (rule.id, key)
            if rule.verified:
                assert cite.get("quote"), f"{rule.id} is verified without a quote of {cite['title']}"


def test_the_bundled_copies_are_the_reference_texts():
    # the texts ship with xiabo (CI on a fresh clone), with their provenance
    assert (LAWS_DIR / "README.md").is_file()
    assert "LawRefBook" in (LAWS_DIR / "README.md").read_text(encoding="utf-8")
    assert bundled("民法典") and bundled("市场监督管理投诉举报处理暂行办法")
    assert article_text("民法典", 203).startswith("第二百零三条 期间的最后一日是法定休假日的")


def test_the_findings_are_fixed(book):
    # 12315's 7 working days: Art. 14 (Art. 20 is about testing)
    rule = book.rule("common.letters.reply_days.complaint_12315")
    assert "第14条" in rule.reference and rule.verified
    assert [c["article"] for c in rule.citations] == [14]
    # unreasonable conditions on deleting an account: 条例 Art. 23, not 25
    arts = {c["article"] for c in book.rule("common.letters.basis.transfer_conditions").citations}
    assert arts == {23, 25}
    # the announcement counts *consecutive* months
    rule = book.rule("common.tax.cumulative_monthly_deduction_cny")
    assert "连续" in rule.reference and "连续" in rule.citations[0]["quote"]


@pytest.mark.parametrize("cite, status", [
    # the old, wrong article for 12315's seven working days
    ({"kind": "department_rule", "title": "市场监督管理投诉举报处理暂行办法", "article": 20,
      "quote": "应当自收到投诉之日起七个工作日内作出受理或者不予受理的决定"}, "not_found"),
    ({"kind": "department_rule", "title": "市场监督管理投诉举报处理暂行办法", "article": 14,
      "quote": "应当自收到投诉之日起七个工作日内作出受理或者不予受理的决定"}, "found"),
    # the deletion clause filed under Art. 25
    ({"kind": "regulation", "title": "网络数据安全管理条例", "article": 25,
      "quote": "不得设置不合理条件限制个人的合理请求"}, "not_found"),
    # whitespace aside
    ({"kind": "regulation", "title": "网络数据安全管理条例", "article": 23,
      "quote": "不得设置不合理条件\n限制个人的 合理请求"}, "found"),
    # a paraphrase is not a quote
    ({"kind": "law", "title": "民法典", "article": 201, "quote": "事件发生的当天不算"}, "not_found"),
    # the announcement without 「连续」 would be a paraphrase too, but it is not bundled:
    # its quote cannot be checked here, so it needs its issuer, date, number and where it was read
    ({"kind": "announcement", "title": "国家税务总局公告2025年第16号", "quote": "月份数"},
     "unsourced"),
    ({"kind": "law", "title": "民法典", "quote": "开始的当日不计入"}, "no_article"),
    ({"kind": "law", "title": "民法典", "article": 1261, "quote": "x"}, "no_article"),
])
def test_check_citation(cite, status):
    assert check_citation(cite).status == status


def test_a_verified_rule_without_a_quote_is_a_problem(book):
    rule = book.rule("common.tax.reconciliation_exempt_topup_cny")
    assert not rule.verified  # its announcements are not bundled and not quoted
    fake = dataclasses.replace(rule, verified=True)
    rows = audit(type(book)(rules={fake.id: fake}, platforms={}))
    assert any("verified without a quote" in p for p in rows[0].problems)
    wrong = dataclasses.replace(book.rule("common.law.period_start_next_day"), citations=(
        {"kind": "law", "title": "民法典", "article": 202, "quote": "开始的当日不计入"},))
    rows = audit(type(book)(rules={wrong.id: wrong}, platforms={}))
    assert rows[0].quote == "not_found" and rows[0].problems


@pytest.mark.parametrize("text, n", [("一", 1), ("十", 10), ("十四", 14), ("二十三", 23),
                                     ("一百八十八", 188), ("二百零一", 201), ("五百八十五", 585),
                                     ("一千二百六十", 1260)])
def test_cn_number(text, n):
    assert cn_number(text) == n


def test_audit_cli_lists_every_rule_and_the_counts(book):
    import json

    from tests.conftest import run_cli

    r = run_cli("rules", "audit", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["counts"]["rules"] == len(book.rules) and data["counts"]["problems"] == 0
    row = next(x for x in data["rules"] if x["id"] == "common.letters.reply_days.complaint_12315")
    assert row["quote"] == "found" and row["kinds"] == ["department_rule"] and row["verified"]
    assert row["last_verified"] == book.rule(row["id"]).last_verified.isoformat()
    r = run_cli("rules", "audit", "--lang", "zh")
    assert r.code == 0 and "已在附带的法条原文中找到" in r.out and "部门规章" in r.out
    assert f"共 {len(book.rules)} 条规则" in r.out
