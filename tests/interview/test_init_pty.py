"""``xiabo init`` driven through a pseudo-terminal, as a person types it."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest
import yaml

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
XIABO = str(Path(sys.executable).with_name("xiabo"))


def _spawn(tmp_path, *extra):
    child = pexpect.spawn(XIABO, ["init", "--out", "p.yaml", "--today", "2026-11-30", *extra],
                          cwd=str(tmp_path), encoding="utf-8", timeout=20,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "XIABO_LANG": "zh"})
    return child


def _at(child, prompt: str) -> None:
    """Wait until ``prompt`` is asked and the cursor waits after it."""
    child.expect(prompt)
    child.expect("> ")


def _answer(child, prompt: str, text: str) -> None:
    _at(child, prompt)
    child.sendline(text)


def _answer_all(child, pairs: list[tuple[str, str]]) -> None:
    for prompt, text in pairs:
        _answer(child, prompt, text)


def test_natural_chinese_answers_back_and_limits(tmp_path):
    child = _spawn(tmp_path)
    _answer_all(child, [
        ("叫什么", "小美的直播间"), ("哪个平台", "快手"), ("哪天开始", ""), ("多少粉丝", "120万"),
        ("注销账号", "是"), ("什么状态", "正常"), ("违规处罚", "0"),
        ("第三方账号", "微信，支付宝"), ("余额", "￥12,000"), ("钻石", "5万"), ("礼物订单", "2"),
        ("小店", "否"), ("签了合约", "对"), ("全称", "星光文化传媒"), ("哪一种", "1"),
        ("签订日期", ""), ("提前几天", ""), ("竞业限制是几个月", "200000")])
    child.expect("太大了")  # re-asked at once, not at the end
    _at(child, "竞业限制是几个月")
    child.sendline("上一题")  # back to the notice days
    _answer_all(child, [
        ("提前几天", "45"), ("竞业限制是几个月", "12"), ("违约金", "20万"), ("加入了公会", "否"), ("设备", "是"),
        ("设备名称", "iPhone 15"), ("类型", "手机"), ("系统", "苹果"), ("怎么处理", "卖掉"),
        ("设备名称", ""), ("告别公告", "微博、公众号"), ("还打算直播", "1")])
    child.expect("已写入")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    assert data["platform"] == "kuaishou" and data["followers"] == 1200000
    assert data["money"]["balance_cny"] == "12000" and data["money"]["diamonds"] == 50000
    assert data["account"]["bindings"] == ["wechat", "alipay"]
    assert data["contract"]["notice_days"] == 45 and data["contract"]["non_compete_months"] == 12
    assert data["contract"]["penalty_cny"] == "200000"
    assert data["equipment"] == [{"name": "iPhone 15", "type": "phone", "os": "ios", "disposal": "sell"}]
    assert data["channels"] == ["weibo", "wechat_official"]
    assert not (tmp_path / "p.partial.yaml").exists()


def test_interrupted_interview_resumes_with_every_answer(tmp_path):
    child = _spawn(tmp_path)
    _answer_all(child, [("叫什么", "小美"), ("哪个平台", "抖音"), ("哪天开始", "2026-12-05"),
                        ("多少粉丝", "3千")])
    _at(child, "注销账号")
    child.sendintr()  # Ctrl-C
    child.expect("--resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus not in (0, None)
    partial = yaml.safe_load((tmp_path / "p.partial.yaml").read_text(encoding="utf-8"))
    assert partial["answers"] == {"name": "小美", "platform": "douyin", "start": "2026-12-05",
                                  "followers": 3000}
    child = _spawn(tmp_path, "--resume")
    child.expect("4 个答案")
    _at(child, "注销账号")  # continues where it stopped
    child.sendline("上一题")  # and can still go back into the earlier answers
    child.expect("多少粉丝")
    child.expect("上次答的是「3000」")  # the old answer is shown, and Enter keeps it
    child.expect("> ")
    child.sendline("")
    answers = ["否", "", "0", "", "0", "0", "0", "否", "否", "", "否", "", ""]  # "": no guild
    for text in answers:
        child.expect("> ")
        child.sendline(text)
    child.expect("已写入")
    child.expect(pexpect.EOF)
    data = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    assert data["name"] == "小美" and data["platform"] == "douyin" and data["start"] == "2026-12-05"
    assert data["followers"] == 3000 and data["delete_account"] is False


def test_everyday_answers_one_hint_and_no_jumps(tmp_path):
    """「12月8号」, 「没有」 for a count, 「鸿蒙」, 抖音 as a channel; 上一题 shows the old answer;
    each hint once; question numbers go up one by one."""

    child = _spawn(tmp_path)
    _answer_all(child, [("叫什么", "小美"), ("哪个平台", "快手"), ("哪天开始", "12月8号"),
                        ("多少粉丝", "没有"), ("注销账号", "是"), ("什么状态", "正常"),
                        ("违规处罚", "没有"), ("第三方账号", ""), ("余额", "0"), ("钻石", "没有"),
                        ("礼物订单", "没有"), ("小店", "否"), ("签了合约", "是"),
                        ("全称", "星光文化"), ("哪一种", "1"), ("签订日期", "3月1号")])
    _at(child, "提前几天")
    child.sendline("上一题")
    child.expect("签订日期")
    child.expect("上次答的是「2026-03-01」")
    child.expect("> ")
    child.sendline("")
    _answer_all(child, [("提前几天", ""), ("竞业限制是几个月", "没有"),
                        ("违约金", ""), ("加入了公会", "否"), ("设备", "是"),
                        ("设备名称", "华为 Mate"), ("类型", "手机"),
                        ("系统", "鸿蒙"), ("怎么处理", "留着"), ("设备名称", ""),
                        ("告别公告", "抖音、小红书"), ("还打算直播", "1")])
    child.expect("已写入")
    child.expect(pexpect.EOF)
    seen = child.before or ""
    child.close()
    assert child.exitstatus == 0
    data = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    assert data["start"] == "2026-12-08" and data["followers"] == 0
    assert data["contract"]["signed_on"] == "2026-03-01"
    assert data["contract"]["non_compete_months"] == 0
    assert data["equipment"] == [{"name": "华为 Mate", "type": "phone", "os": "other",
                                  "disposal": "keep"}]
    assert data["channels"] == ["douyin", "xiaohongshu"]
    del seen


def test_numbers_rise_one_by_one_and_hints_are_said_once(tmp_path):
    import re

    child = _spawn(tmp_path)
    log = []
    answers = ["小美", "快手", "", "1000", "是", "", "", "", "0", "0", "0", "否", "是", "某传媒",
               "1", "", "", "", "", "", "否", "", ""]  # the guild question: Enter (no)
    for text in answers:
        child.expect("> ")
        log.append(child.before)
        child.sendline(text)
    child.expect("已写入")
    child.expect(pexpect.EOF)
    text = "".join(log)
    numbers = [int(n) for n in re.findall(r"第 (\d+) / \d+ 题", text)]
    assert numbers == sorted(numbers) and all(b - a in (0, 1) for a, b in zip(numbers, numbers[1:]))
    for block in text.split("题　")[1:]:
        lines = [line.strip() for line in block.splitlines()[1:] if line.strip()]
        assert len(lines) == len(set(lines)), block  # nothing said twice
    assert "竞业限制" in text and "没有填 0" in text and "没有竞业限制填 0" not in text


def test_guild_questions_only_where_the_procedure_needs_them(tmp_path):
    """虎牙: the guild's level in 虎牙's own words (白金公会), whether it lost it; no join date
    (虎牙's exit has no tenure). 斗鱼: the join date, the last broadcast, the monthly quota."""
    child = _spawn(tmp_path)
    _answer_all(child, [("叫什么", "小虎"), ("哪个平台", "huya"), ("哪天开始", ""), ("多少粉丝", "500"),
                        ("注销账号", "是")])
    prompts = []
    while True:
        child.expect("> ")
        prompts.append(child.before)
        if "加入了公会" in child.before:
            child.sendline("是")
            break
        child.sendline("")
    _answer(child, "公会叫什么", "虎虎公会")
    _at(child, "公会是哪一级")
    assert "白金公会" in child.before and "其他公会" in child.before
    child.sendline("白金公会")
    _answer(child, "失去这个等级", "是")
    child.expect("> ")
    assert "哪天加入" not in child.before and "最后一次开播" not in child.before
    assert "设备" in child.before
    child.sendline("否")
    _answer_all(child, [("告别公告", ""), ("还打算直播", "1")])
    child.expect("已写入")
    child.expect(pexpect.EOF)
    data = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    assert data["platform"] == "huya"
    assert data["guild"] == {"bound": True, "name": "虎虎公会", "level": "platinum",
                             "level_lost": True}

    (tmp_path / "p.yaml").unlink()
    child = _spawn(tmp_path)
    _answer_all(child, [("叫什么", "小鱼"), ("哪个平台", "douyu"), ("哪天开始", ""), ("多少粉丝", "500"),
                        ("注销账号", "是")])
    while True:
        child.expect("> ")
        if "加入了公会" in child.before:
            child.sendline("是")
            break
        child.sendline("")
    _answer_all(child, [("公会叫什么", ""), ("哪天加入", "11月10号"), ("最后一次开播", ""),
                        ("名额已经满", "是")])
    child.expect("> ")
    assert "公会是哪一级" not in child.before and "设备" in child.before
    child.sendline("否")
    _answer_all(child, [("告别公告", ""), ("还打算直播", "1")])
    child.expect("已写入")
    child.expect(pexpect.EOF)
    data = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    assert data["guild"] == {"bound": True, "joined_on": "2026-11-10",
                             "quota_full_this_month": True}
