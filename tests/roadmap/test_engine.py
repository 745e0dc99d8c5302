"""The guide's logic, checked on plans (every number comes from the rule packs)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from xiabo.rules import load_rulebook

from ..helpers import TODAY, base_profile, make_plan

BOOK = load_rulebook()


def deps_due(plan, task_id):
    task = plan.task(task_id)
    return {d: plan.task(d).due for d in task.depends_on}


@pytest.mark.parametrize("platform,days", [("kuaishou", 7), ("douyin", 3), ("taobao", 15)])
def test_deletion_complete_is_apply_plus_review(platform, days):
    plan = make_plan(platform=platform)
    assert (plan.milestones["deletion_complete"] - plan.milestones["deletion_apply"]).days == days
    review = plan.task("deletion-review")
    assert f"{platform}.deletion.review_days" in review.rules


def test_deletion_waits_for_every_precondition():
    plan = make_plan()
    apply = plan.milestones["deletion_apply"]
    must_finish_before = ["unbind-wechat", "unbind-alipay", "withdraw", "settle-gifts",
                          "gift-orders", "ship-orders", "returns-window", "backup-recordings",
                          "backup-fan_profile", "backup-sales", "backup-final", "auto-reply",
                          "mcn-termination", "delete-fan-contacts", "remove-media"]
    for tid in must_finish_before:
        assert plan.task(tid).due < apply, tid
    assert plan.milestones["transition_end"] < apply
    assert plan.milestones["mcn_termination"] < apply


def test_transition_is_15_days_after_last_live():
    plan = make_plan()
    assert (plan.milestones["transition_end"] - plan.milestones["last_live"]).days == 15
    auto = plan.task("auto-reply")
    assert auto.kind == "auto_reply" and (auto.due - auto.start).days == 14


def test_mcn_notice_on_start_and_termination_by_notice_days():
    plan = make_plan(start="2026-11-02", today=date(2026, 11, 2))
    assert plan.milestones["mcn_notice"] == date(2026, 11, 2)
    assert plan.milestones["mcn_termination"] == date(2026, 12, 2)
    assert plan.milestones["non_compete_end"] == date(2027, 12, 2)


def test_notice_period_ending_on_holiday_is_extended():
    plan = make_plan(start="2026-09-01", today=date(2026, 9, 1))
    end = plan.milestones["mcn_termination"]
    assert end > date(2026, 10, 1)  # Art. 203: 10-01 is National Day
    assert "common.law.period_end_holiday_extends" in plan.task("mcn-termination").rules


def test_non_normal_account_is_a_blocker_but_plan_is_made():
    plan = make_plan(account={"status": "banned", "pending_violations": 2, "bindings": []})
    ids = {b.id for b in plan.blockers}
    assert {"account-status", "violations"} <= ids
    assert plan.task("account-status").due < plan.milestones["deletion_apply"]
    assert plan.milestones["deletion_complete"] is not None


def test_nothing_blocks_when_everything_is_done_already():
    profile = base_profile(account={"bindings": []}, money={"balance_cny": "0"}, shop=None,
                           contract={"signed": False}, data={"backed_up": ["recordings", "fan_profile"]},
                           start="2026-01-05", last_live_on="2026-02-01")
    import xiabo

    plan = xiabo.plan(profile, today=date(2026, 11, 25))
    assert plan.blockers == []


@pytest.mark.parametrize("followers,wind", [(499_999, False), (500_000, True), (2_000_000, True)])
def test_wind_down_from_500k(followers, wind):
    plan = make_plan(followers=followers)
    gap = (plan.milestones["last_live"] - plan.milestones["start"]).days
    has = any(t.kind == "wind_down" for t in plan.tasks)
    assert has is wind
    if wind:
        assert gap >= 45
        assert "common.fans.wind_down_days" in plan.task("wind-down").rules
    else:
        assert gap == 7  # practice: a week's notice before the farewell live


@pytest.mark.parametrize("followers,monitor", [(999_999, False), (1_000_000, True)])
def test_opinion_monitoring_from_one_million(followers, monitor):
    plan = make_plan(followers=followers)
    assert any(t.kind == "opinion_monitoring" for t in plan.tasks) is monitor


def test_announcements_on_every_channel_plus_last_live_and_pinned_video():
    plan = make_plan(channels=["weibo", "wechat_official", "xiaohongshu"])
    announce = {t.id for t in plan.tasks if t.kind == "announce"}
    assert {"last-live", "pinned-video", "announce-weibo", "announce-wechat_official",
            "announce-xiaohongshu"} <= announce
    assert "@快手客服" in plan.task("pinned-video").title
    assert any(t.kind == "auto_reply" for t in plan.tasks)


def test_devices_are_wiped_before_disposal_with_os_steps():
    plan = make_plan()
    ios, android = plan.task("wipe-1"), plan.task("wipe-2")
    ios_text = " ".join(ios.steps)
    assert ios_text.index("iCloud") < ios_text.index("恢复出厂设置")
    assert "双清" in " ".join(android.steps)
    assert plan.task("dispose-1").start > ios.due and "wipe-1" in plan.task("dispose-1").depends_on
    assert plan.task("dispose-2").start > android.due
    assert not any(t.id.endswith("-3") for t in plan.tasks)  # a kept light needs nothing
    assert "common.equipment.donation_deduction" in plan.task("dispose-2").rules


def test_kept_electronics_are_wiped_but_not_disposed():
    plan = make_plan(equipment=[{"name": "MacBook", "type": "computer", "os": "macos", "disposal": "keep"}])
    assert plan.task("wipe-1").kind == "wipe_device"
    assert not any(t.kind == "dispose_device" for t in plan.tasks)


def test_recertification_after_90_days_on_kuaishou_only():
    plan = make_plan()
    assert plan.milestones["recertification_needed_after"] == plan.milestones["last_live"] + timedelta(days=90)
    assert make_plan(platform="douyin").milestones["recertification_needed_after"] is None


def test_guide_figures_20_and_40_percent():
    plan = make_plan(money={"balance_cny": "12000", "diamonds": 50000, "pending_gift_orders": 2})
    f = plan.figures
    assert f["balance_cny"] == "12000.00"
    assert f["withdrawal_tax_cny"] == "2400.00" and f["net_withdrawal_cny"] == "9600.00"
    value = Decimal(f["diamond_value_cny"])
    assert Decimal(f["gift_share_cny"]) == (value * Decimal("0.40")).quantize(Decimal("0.01"))
    assert "common.finance.withholding_rate" in plan.figure_rules["withdrawal_tax_cny"]
    assert "common.finance.gift_share_rate" in plan.figure_rules["gift_share_cny"]


def test_dormant_plan_has_no_deletion():
    plan = make_plan(delete_account=False)
    for key in ("deletion_apply", "deletion_complete", "mcn_notice", "mcn_termination"):
        assert plan.milestones[key] is None
    kinds = {t.kind for t in plan.tasks}
    assert "apply_deletion" not in kinds and "negotiate_rest_period" in kinds
    assert "keep_active" in kinds


def test_marking_a_task_done_late_moves_downstream():
    base = make_plan(start="2026-11-02", today=date(2026, 11, 2))
    late = make_plan(start="2026-11-02", today=date(2026, 11, 9), progress={"mcn-notice": {"done": "2026-11-09", "note": "迟了"}})
    assert late.task("mcn-notice").done == date(2026, 11, 9)
    assert late.milestones["mcn_termination"] >= base.milestones["mcn_termination"] + timedelta(days=7)
    assert late.milestones["deletion_apply"] >= base.milestones["deletion_apply"]


def test_contrast_warnings_name_both_rules():
    plan = make_plan()
    w = {w.id: w for w in plan.warnings}
    freeze = w["contrast:kuaishou.deletion.freeze_days"]
    assert set(freeze.rules) == {"kuaishou.deletion.review_days", "kuaishou.deletion.freeze_days"}
    assert "7" in freeze.message and "15" in freeze.message
    records = w["contrast:common.law.accounting_records_years"]
    assert "3" in records.message and "10" in records.message
    assert "penalty" in w


def test_labour_contract_does_not_warn_about_labour_notice():
    plan = make_plan(contract={"signed": True, "agency": "A", "kind": "labour", "notice_days": 30})
    assert "contrast:common.law.labour_notice_days" not in {w.id for w in plan.warnings}
    assert "common.law.labour_notice_days" in plan.task("mcn-notice").rules


def test_every_rule_reference_resolves():
    plan = make_plan(followers=1_500_000)
    used = {r.id for r in plan.rules_used}
    for task in plan.tasks:
        assert task.rules, task.id
        for rid in task.rules:
            assert rid in used and rid in BOOK.rules, (task.id, rid)
    for blocker in plan.blockers:
        assert blocker.rule in used


REQUIRED_KINDS = {"unbind", "verify_identity", "withdraw", "settle_gifts", "process_gift_orders",
                  "process_orders", "backup", "mcn_notice", "announce", "auto_reply",
                  "opinion_monitoring", "wipe_device", "dispose_device", "tax_declaration",
                  "apply_deletion", "evidence", "remove_unlicensed_media", "delete_fan_contacts"}


def test_kind_vocabulary():
    plan = make_plan(followers=1_200_000)
    assert REQUIRED_KINDS <= {t.kind for t in plan.tasks}


def test_tax_declaration_window_is_next_spring():
    plan = make_plan(start="2026-03-02")
    task = plan.task("tax-declaration")
    assert task.start == date(2027, 3, 1) and task.due == date(2027, 6, 30)
    assert not task.critical


def test_same_inputs_same_bytes():
    import json

    a = json.dumps(make_plan().to_dict(), ensure_ascii=False)
    b = json.dumps(make_plan().to_dict(), ensure_ascii=False)
    assert a == b


def test_english_plan():
    plan = make_plan(lang="en")
    assert plan.task("last-live").title == "The farewell live"
    assert all("tasks." not in s for t in plan.tasks for s in t.steps + [t.title])


def test_texts_have_no_unfilled_placeholders():
    for lang in ("zh", "en"):
        plan = make_plan(lang=lang, followers=1_200_000, account={"status": "frozen", "pending_violations": 1,
                                                                   "bindings": ["wechat", "qq", "custom_x"]})
        for task in plan.tasks:
            for text in [task.title, *task.steps]:
                assert "{" not in text and "tasks." not in text, (lang, task.id, text)
        for item in plan.blockers + plan.warnings:
            assert "{" not in item.message and not item.message.startswith(("blockers.", "warnings."))


def test_backup_tasks_read_the_backup_status():
    import xiabo
    from xiabo.roadmap.assemble import build_plan
    from xiabo.roadmap.profile import profile_from_dict

    status = {"recordings": {"copies": 2, "media": 1, "offsite": 0, "has_verified": True, "ok": False,
                             "last_verified": date(2026, 12, 3)},
              "sales": {"copies": 1, "media": 1, "offsite": 0, "has_verified": False, "ok": False,
                        "last_verified": None}}
    plan = build_plan(profile_from_dict(base_profile()), xiabo.load_rulebook(), today=TODAY,
                      backups=status)
    ids = {b.id for b in plan.blockers}
    assert "backup:recordings" not in ids and {"backup:sales", "backup:fan_profile"} <= ids
    rec = plan.task("backup-recordings")
    assert rec.done == date(2026, 12, 3)
    assert any("已校验副本 2 份" in s and "3 份" in s for s in rec.steps)
    assert "common.practice.backup_offsite" in rec.rules


def test_orders_export_moves_shop_closing():
    import xiabo
    from xiabo.roadmap.assemble import build_plan
    from xiabo.roadmap.profile import profile_from_dict

    prof = profile_from_dict(base_profile())
    book = xiabo.load_rulebook()
    base = build_plan(prof, book, today=TODAY)
    later = build_plan(prof, book, today=TODAY, orders_earliest_close=date(2027, 2, 20))
    assert later.task("close-shop").due == date(2027, 2, 20) > base.task("close-shop").due
    assert later.milestones["deletion_apply"] > later.task("returns-window").due


def test_working_day_dependency_skips_the_holiday():
    from xiabo.roadmap import calendar as cal

    plan = make_plan(start="2026-09-15", followers=1000, today=date(2026, 9, 15))  # the withdrawal ends just before National Day
    withdraw, records = plan.task("withdraw"), plan.task("tax-records")
    assert withdraw.due == date(2026, 9, 30) and records.start == date(2026, 10, 8)
    assert records.start == cal.add_working_days(withdraw.due, 1)
    assert cal.is_workday(records.start)
