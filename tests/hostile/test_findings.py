"""Issue 15, part B: one regression test per finding (each failed on the code before the fix).

Finding 8 (the chart child outliving a killed export) is in test_children.py.
"""

from __future__ import annotations

import json
import time
from datetime import date

import pytest

from tests.conftest import EXAMPLES
from tests.hostile.builders import declared_huge_xlsx, deep_json

TODAY = "2026-11-25"


def write_profile(tmp_path, body: str, name: str = "p.yaml"):
    path = tmp_path / name
    path.write_text("name: 小美\nplatform: kuaishou\n" + body + "\n", encoding="utf-8")
    return path


def assert_clean_refusal(result, *words):
    """Exit 2 with the file, the field and a fix; never a traceback or 'internal error'."""
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err and "内部出错" not in result.err
    for word in words:
        assert word in result.err, (word, result.err)
    assert "怎么改" in result.err


# --- finding 1 (CLI side): a far-future start or done date no longer reaches the charts ------

@pytest.mark.parametrize("body,field", [
    ("start: 2400-01-01", "开始日期"),
    ("start: 9000-01-01", "开始日期"),
    ("contract: {signed: true, notice_sent_on: 2400-01-01}", "解约通知发出日期"),
    ("progress: {backup-recordings: {done: 2400-01-01}}", "任务完成日期"),
])
def test_far_future_dates_are_refused_before_any_work(cli, tmp_path, body, field):
    path = write_profile(tmp_path, body)
    started = time.monotonic()
    for command in (("plan", str(path)), ("export", str(path), "--out", str(tmp_path / "out"))):
        result = cli(*command, "--today", TODAY)
        assert_clean_refusal(result, str(path), field)
    assert time.monotonic() - started < 5
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_the_window_comes_from_the_rules(tmp_path):
    from xiabo.errors import UserError
    from xiabo.roadmap.domain import check_dates
    from xiabo.roadmap.profile import profile_from_dict
    from xiabo.rules import load_rulebook

    book = load_rulebook()
    assert book.value("common.input.start_years_ahead", date(2026, 11, 25)) == 5
    ok = profile_from_dict({"name": "a", "platform": "kuaishou", "start": "2031-11-25"})
    check_dates(ok, book, date(2026, 11, 25))
    late = profile_from_dict({"name": "a", "platform": "kuaishou", "start": "2031-11-26"})
    with pytest.raises(UserError) as exc:
        check_dates(late, book, date(2026, 11, 25))
    assert exc.value.params["latest"] == "2031-11-25" and exc.value.field == "start"


def test_a_done_date_after_today_is_refused(cli, tmp_path):
    path = write_profile(tmp_path, "progress: {mcn-notice: {done: 2026-11-26}}")
    assert_clean_refusal(cli("plan", str(path), "--today", TODAY), "progress.mcn-notice.done")
    assert cli("plan", str(path), "--today", "2026-11-26").code == 0


# --- finding 4: a 1.5 KB .xlsx declaring A1:XFD1048576 ------------------------------------------

def test_declared_dimension_is_never_read(tmp_path):
    from xiabo.web.cases.importer import read_table as import_table

    path = declared_huge_xlsx(tmp_path / "huge.xlsx", {1: ["name", "platform"], 2: ["a", "kuaishou"],
                                                        50_000: ["z", "kuaishou"]})
    assert path.stat().st_size < 3000
    started = time.monotonic()
    header, rows = import_table("huge.xlsx", path.read_bytes(), 100_000)
    assert time.monotonic() - started < 3  # was 31 s: every row padded to 16,384 cells
    assert header == ["name", "platform"] and all(len(cells) <= 2 for _, cells in rows)


def test_tabular_reads_cells_present_not_the_declared_width(tmp_path):
    from xiabo.tabular import read_table

    path = declared_huge_xlsx(tmp_path / "wide.xlsx", {1: ["a", "b"], 20_000: ["c", "d"]})
    started = time.monotonic()
    rows = list(read_table(path))
    assert time.monotonic() - started < 3
    assert max(len(r.cells) for r in rows) == 2


# --- finding 5 (profile level): "wechat, wechat" --------------------------------------------------

def test_duplicate_bindings_are_one_task_with_a_note():
    import xiabo
    from xiabo.roadmap.profile import profile_from_dict

    profile = profile_from_dict({"name": "a", "platform": "kuaishou",
                                 "account": {"bindings": ["wechat", "wechat", " WeChat", "alipay"]},
                                 "channels": ["weibo", "weibo"]})
    assert profile.account.bindings == ("wechat", "alipay") and profile.channels == ("weibo",)
    plan = xiabo.plan(profile, today=date(2026, 11, 25))
    ids = [task.id for task in plan.tasks]
    assert len(ids) == len(set(ids)) and ids.count("unbind-wechat") == 1
    notes = [w.message for w in plan.warnings if w.id == "input-tidied"]
    assert len(notes) == 3 and any("绑定的第三方账号" in n and "wechat" in n for n in notes)


# --- finding 6 (numbers, dates, CSV field) and 7 (exit 70 on bad input) ---------------------------

@pytest.mark.parametrize("body,field,fix", [
    ("start: 2026-13-45", "start", "真实存在"),
    ("start: 2026-02-30", "start", "真实存在"),
    ("start: 9999-12-01", "start", "年份"),
    ("contract: {signed: true, notice_sent_on: 9999-12-31}", "contract.notice_sent_on", "年份"),
    ("money: {diamonds: 1e30}", "money.diamonds", "太大"),
    ("money: {diamonds: 100000000000000000000000000000000}", "money.diamonds", "太大"),
    ("money: {balance_cny: 1e30}", "money.balance_cny", "太大"),
    ("followers: 100000000000000000000", "followers", "太大"),
    ("contract: {signed: true, non_compete_months: 61}", "contract.non_compete_months", "太大"),
    ('name: "a\\0b"', "name", "控制字符"),
    ('account: {bindings: ["we\\u0007chat"]}', "account.bindings[0]", "控制字符"),
])
def test_bad_values_exit_2_naming_field_and_fix(cli, tmp_path, body, field, fix):
    path = tmp_path / "p.yaml"
    lines = body if body.startswith("name:") else "name: 小美\n" + body
    path.write_text(lines + "\nplatform: kuaishou\n", encoding="utf-8")
    result = cli("plan", str(path), "--today", TODAY)
    assert_clean_refusal(result, str(path), field, fix)


def test_lone_surrogate_and_huge_string_in_json(cli, tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"name": "\\ud800", "platform": "kuaishou"}', encoding="utf-8")
    assert_clean_refusal(cli("plan", str(path), "--today", TODAY), "name")
    path.write_text(json.dumps({"name": "x" * 1_000_000, "platform": "kuaishou"}), encoding="utf-8")
    assert_clean_refusal(cli("plan", str(path), "--today", TODAY), "name", "写短一些")


@pytest.mark.parametrize("command", ["plan", "privacy"])
def test_json_nested_100k_deep_is_a_clear_error(cli, tmp_path, command):
    path = tmp_path / "deep.json"
    path.write_text(deep_json(100_000), encoding="utf-8")
    if command == "plan":
        result = cli("plan", str(path), "--today", TODAY)
    else:
        result = cli("privacy", "purge", str(path), "--out", str(tmp_path / "clean.json"))
    assert_clean_refusal(result, str(path), "嵌套太深")


def test_csv_field_over_128_kb_is_a_clear_error(cli, tmp_path):
    from xiabo.errors import UserError
    from xiabo.web.cases.importer import read_table as import_table

    path = tmp_path / "fans.csv"
    path.write_text("昵称,手机\n" + "x" * 200_000 + ",1\n", encoding="utf-8")
    assert_clean_refusal(cli("privacy", "scan", str(path)), str(path), "131072")
    with pytest.raises(UserError) as exc:
        import_table("cases.csv", b"name,platform\n" + b"x" * 200_000 + b",kuaishou\n", 100)
    assert exc.value.key == "inputs.field_too_big"


def test_orders_check_with_a_9999_receipt_date_exits_2(cli, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("订单号,订单状态,下单时间,发货时间,收货时间,实付金额\n"
                    "A1,已收货,2026-11-01,2026-11-02,9999-12-31,10\n", encoding="utf-8")
    result = cli("orders", "check", str(path), "--today", TODAY)
    assert_clean_refusal(result, str(path), "收货时间", "9999-12-31")


def test_today_in_year_9999_is_refused(cli):
    result = cli("plan", str(EXAMPLES / "kuaishou.yaml"), "--today", "9999-12-31")
    assert_clean_refusal(result, "--today")


def test_plan_batch_writes_every_good_line_and_numbers_the_bad(cli, tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [{"name": "a", "platform": "kuaishou"},
             {"name": "b", "platform": "kuaishou", "start": "9999-12-01"},
             {"name": "c", "platform": "kuaishou", "money": {"diamonds": 10 ** 32}},
             None,  # 100,000 levels deep
             {"name": "d", "platform": "douyin"},
             {"name": "e", "platform": "kuaishou", "start": "2026-02-30"},
             {"name": "f", "platform": "kuaishou", "account": {"bindings": ["qq", "qq"]}}]
    src.write_text("\n".join(deep_json(100_000) if x is None else json.dumps(x) for x in lines) + "\n",
                   encoding="utf-8")
    result = cli("plan", "--batch", str(src), "--out", str(out), "--today", TODAY)
    assert result.code == 2 and "Traceback" not in result.err and "内部出错" not in result.err
    written = [json.loads(line)["line"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == [1, 5, 7]
    for number in (2, 3, 4, 6):
        assert f"第 {number} 行" in result.err


@pytest.mark.parametrize("draft", [
    "answers: {start: 2026-02-30, name: x}",
    "answers: {start: 9999-12-31, name: \"a\\0b\", money.diamonds: 100000000000000000000000000000}",
    deep_json(100_000),
    "answers: {name: [[[[1]]]], platform: {a: 1}, money: 1e30, equipment: [1, [2]], account.bindings: [[1]]}",
])
def test_init_resume_with_a_damaged_draft_never_crashes(cli, tmp_path, draft):
    out = tmp_path / "new.yaml"
    (tmp_path / "new.partial.yaml").write_text(draft, encoding="utf-8")
    result = cli("init", "--resume", "--out", str(out), "--today", TODAY, stdin="\n" * 80)
    assert result.code in (0, 2, 130), (result.code, result.err)
    assert "Traceback" not in result.err and "内部出错" not in result.err


# --- finding 15: a bag whose tag manifest is empty --------------------------------------------------

def test_backup_verify_fails_an_empty_tag_manifest(cli, tmp_path):
    src = tmp_path / "录像"
    src.mkdir()
    (src / "a.mp4").write_bytes(b"x" * 100)
    dest = tmp_path / "nas"
    dest.mkdir()
    result = cli("backup", "create", str(src), "--to", str(dest), "--name", "bag")
    assert result.code == 0, result.err
    bag = dest / "bag"
    assert cli("backup", "verify", str(bag)).code == 0
    (bag / "tagmanifest-sha256.txt").write_text("", encoding="utf-8")
    for extra in ((), ("--fast",)):
        result = cli("backup", "verify", str(bag), *extra)
        assert result.code == 1 and "tagmanifest-sha256.txt" in result.out + result.err
        assert "校验清单是空的" in result.out + result.err
    (bag / "tagmanifest-sha256.txt").write_text(
        "0" * 64 + "  bagit.txt\n", encoding="utf-8")  # lists one tag file, and wrongly
    result = cli("backup", "verify", str(bag))
    assert result.code == 1 and "manifest-sha256.txt" in result.out
