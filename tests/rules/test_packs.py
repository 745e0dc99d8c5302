"""Every number and rule of the guide (reference/guide.zh.txt) is in a pack, sourced as 'guide';
every fact of FACTS.md is its own law/practice rule."""

from datetime import date

import pytest

from xiabo.rules import load_rulebook

BOOK = load_rulebook()
ON = date(2026, 12, 1)


def text(value):
    return value["zh"] if isinstance(value, dict) and "zh" in value else value


GUIDE = [
    # §一 and 表一
    ("kuaishou.deletion.review_days", 7),
    ("douyin.deletion.review_days", 3),
    ("taobao.deletion.review_days", 15),
    ("kuaishou.deletion.balance_requirement", "需清空余额"),
    ("douyin.deletion.balance_requirement", "允许提现后注销"),
    ("taobao.deletion.balance_requirement", "需完成佣金结算"),
    ("kuaishou.deletion.identity_verification", "人脸识别+手机验证"),
    ("douyin.deletion.identity_verification", "短信验证+实名认证"),
    ("taobao.deletion.identity_verification", "邮箱验证+营业执照核验"),
    ("kuaishou.deletion.terminated_by_open_items", True),
    ("common.deletion.requires_normal_status", True),
    ("common.deletion.requires_no_violations", True),
    # §二 and 表二
    ("common.data.classes", ["recordings", "fan_profile", "sales"]),
    ("taobao.data.recordings.cloud_retention_months", 6),
    # §三
    ("common.contract.notice_days", 30),
    ("common.contract.non_compete_years", {"min": 1, "max": 2}),
    ("common.contract.legal_review", True),
    # §四
    ("common.fans.transition_days", 15),
    ("common.fans.opinion_monitoring_followers", 1_000_000),
    ("kuaishou.fans.customer_service_account", "@快手客服"),
    ("common.fans.announce_channels", ["last_live", "pinned_video", "external"]),
    # §五
    ("common.equipment.keep_types", ["light", "audio", "stand"]),
    ("common.equipment.donation_deduction", True),
    # §六
    ("common.finance.withholding_rate", "0.20"),
    ("common.finance.gift_share_rate", "0.40"),
    ("common.finance.record_keeping_years", 3),
    ("common.finance.clearing_items", ["withdraw", "settle_gifts", "process_gift_orders", "tax_declaration"]),
    # §七
    ("kuaishou.comeback.recertification_after_days", 90),
    ("common.comeback.other_platform_gap_months", {"min": 6, "max": 12}),
    ("common.comeback.rest_period", True),
    ("common.fans.wind_down_video_interval_days", 7),
    # §八
    ("common.legal.remove_unlicensed_media", True),
    ("common.legal.process_unshipped_orders", True),
    ("common.legal.delete_fan_contacts", True),
    ("common.legal.record_evidence", True),
    # 结语
    ("common.fans.wind_down_followers", 500_000),
    ("common.fans.wind_down_days", 45),
    ("common.comeback.new_account", True),
]

GUIDE_TEXTS = [
    ("kuaishou.deletion.path", "账号与安全"),
    ("kuaishou.data.recordings.method", "直播回放"),
    ("kuaishou.data.fan_profile.method", "创作者服务中心"),
    ("kuaishou.data.sales.method", "快手小店"),
    ("douyin.data.recordings.method", "创作中心"),
    ("douyin.data.fan_profile.method", "企业版"),
    ("douyin.data.sales.method", "巨量引擎"),
    ("taobao.data.recordings.method", "6个月"),
    ("taobao.data.fan_profile.method", "阿里妈妈"),
    ("taobao.data.sales.method", "阿里云数据银行"),
    ("common.data.backup_media", "百度网盘"),
    ("common.contract.settle_items", "流量扶持资源"),
    ("kuaishou.contract.creator_protection_plan", "创作者保障计划"),
    ("common.equipment.wipe_android", "双清"),
    ("common.equipment.wipe_ios", "iCloud"),
    ("common.equipment.disposal_paths", "捐赠"),
    ("kuaishou.finance.tax_system", "快手主播税务管理"),
    ("common.legal.mediation", "12315"),
]

FACTS = [
    ("common.law.period_start_next_day", "law", True),
    ("common.law.period_end_holiday_extends", "law", True),
    ("common.law.labour_notice_days", "law", 30),
    ("common.law.labour_non_compete_max_months", "law", 24),
    ("common.law.non_compete_unpaid_months", "law", 3),
    ("common.law.penalty_excessive_ratio", "law", "0.30"),
    ("common.law.accounting_records_years", "law", 10),
    ("common.law.platform_records_years", "law", 3),
    ("common.law.platform_income_reporting", "law", "quarterly"),
    ("common.law.shop_close_notice_days", "law", 30),
    ("common.law.consumer_return_days", "law", 7),
    ("common.law.pipl_delete", "law", True),
    ("common.law.electronic_evidence", "law", True),
    ("common.law.blockchain_evidence", "law", True),
    ("kuaishou.deletion.freeze_days", "practice", 15),
    ("douyin.deletion.cooling_off_days", "practice", 7),
    ("common.other.xiaohongshu_cooling_off_days", "practice", 7),
]


@pytest.mark.parametrize("rule_id,expected", GUIDE, ids=[g[0] for g in GUIDE])
def test_guide_numbers(rule_id, expected):
    rule = BOOK.rule(rule_id)
    assert rule.source == "guide" and not rule.verified
    value = rule.value_at(ON)
    if isinstance(expected, str) and isinstance(value, dict):
        assert expected in text(value)
    else:
        assert value == expected


@pytest.mark.parametrize("rule_id,needle", GUIDE_TEXTS, ids=[g[0] for g in GUIDE_TEXTS])
def test_guide_texts(rule_id, needle):
    rule = BOOK.rule(rule_id)
    assert needle in text(rule.value_at(ON))
    assert rule.title["en"] and text(rule.value_at(ON))


@pytest.mark.parametrize("rule_id,source,expected", FACTS, ids=[f[0] for f in FACTS])
def test_facts_are_their_own_rules(rule_id, source, expected):
    rule = BOOK.rule(rule_id)
    assert rule.source == source and rule.value_at(ON) == expected
    if source == "practice":
        assert not rule.verified


def test_law_rules_contrast_the_guide_where_they_differ():
    contrasted = {t for r in BOOK.rules.values() for t in r.contrasts}
    for guide_rule in ("common.contract.notice_days", "common.finance.record_keeping_years",
                       "common.finance.withholding_rate", "kuaishou.deletion.review_days",
                       "douyin.deletion.review_days", "common.contract.non_compete_years"):
        assert guide_rule in contrasted, guide_rule


def test_wechat_freeze_table():
    table = BOOK.value("common.other.wechat_freeze_days_by_followers", ON)
    assert [row["days"] for row in table] == [7, 15, 30, 60]
