import json

from ..conftest import ROOT

# The cells of the guide's two comparison tables (reference/guide.zh.txt, 表一 and 表二).
GUIDE_TABLE_1 = {
    "kuaishou": ["7", "需清空余额", "人脸识别+手机验证"],
    "douyin": ["3", "允许提现后注销", "短信验证+实名认证"],
    "taobao": ["15", "需完成佣金结算", "邮箱验证+营业执照核验"],
}
GUIDE_TABLE_2 = [
    ["APP内直接下载", "需通过「创作中心」导出", "仅保留6个月云端存储"],
    ["创作者服务中心导出Excel报表", "需开通企业版权限", "阿里妈妈平台同步"],
    ["快手小店后台", "巨量引擎数据平台", "阿里云数据银行"],
]


def test_compare_reproduces_the_guide_tables(cli):
    """The guide's cells, now one column per platform: all eleven platforms, each cell with
    its quality in words; the guide's three come first, as in the guide."""
    r = cli("rules", "compare", "--format", "json")
    assert r.code == 0, r.err
    t1, t2, t3 = json.loads(r.out)
    assert len(t1["columns"]) == 12 and t1["columns"][1:4] == ["快手直播", "抖音直播", "淘宝直播"]
    keys = {"deletion.review_days": 0, "deletion.balance_requirement": 1,
            "deletion.identity_verification": 2}
    for col, (pid, cells) in enumerate(GUIDE_TABLE_1.items(), 1):
        for row, rules in zip(t1["rows"], t1["rules"]):
            key = rules[col].split(".", 1)[1] if rules[col] else ""
            if key in keys:
                assert cells[keys[key]] in row[col] and "攻略" in row[col] and "二手资料" in row[col]
                assert rules[col].startswith(pid + ".")
    data_rows = {next(i for i in r if i).split(".", 1)[1]: (row, r)
                 for row, r in zip(t2["rows"], t2["rules"])}
    for key, expected_row in zip(("data.recordings.method", "data.fan_profile.method",
                                  "data.sales.method"), GUIDE_TABLE_2):
        row, rules = data_rows[key]
        for cell, expected, rid in zip(row[1:4], expected_row, rules[1:4]):
            assert expected in cell and rid


def test_compare_subset_and_text(cli):
    r = cli("rules", "compare", "douyin")
    assert r.code == 0 and "抖音直播" in r.out and "快手直播" not in r.out
    assert "[douyin.deletion.review_days" in r.out
    assert cli("rules", "compare", "weishi").code == 2


def test_list_and_show(cli):
    r = cli("rules", "list", "--platform", "taobao", "--json")
    ids = {x["id"] for x in json.loads(r.out)}
    assert "taobao.deletion.review_days" in ids and "common.law.pipl_delete" in ids
    assert not any(i.startswith("kuaishou.") for i in ids)
    r = cli("rules", "show", "common.law.accounting_records_years", "--json")
    data = json.loads(r.out)
    assert data["value"] == 10 and data["source"] == "law" and data["verified"] is True
    assert "common.finance.record_keeping_years" in data["contrasts"]
    r = cli("rules", "show", "kuaishou.deletion.review_days")
    assert "攻略 §一" in r.out and "kuaishou.deletion.freeze_days" in r.out


def test_check_good_and_incomplete_overlay(cli, tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "p.yaml").write_text(
        "platform: {id: kwai2, name: {zh: 测试, en: Test}, extends: kuaishou}\n", encoding="utf-8")
    r = cli("rules", "check", str(good))
    assert r.code == 0 and "1" in r.out
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    (lonely / "p.yaml").write_text("platform: {id: solo, name: {zh: 孤, en: Solo}}\n", encoding="utf-8")
    r = cli("rules", "check", str(lonely))
    assert r.code == 2 and "solo" in r.err and "deletion.review_days" in r.err


def test_docs_rules_format_matches_schema():
    schema = json.loads((ROOT / "src/xiabo/rules/schema.json").read_text(encoding="utf-8"))
    assert set(schema["$defs"]["rule"]["required"]) == {
        "id", "title", "values", "unit", "source", "reference", "last_verified", "verified"}
