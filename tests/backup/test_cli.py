"""``xiabo backup ...`` end to end, in-process, in both languages."""

from __future__ import annotations

import json

import pytest

from .helpers import SAMPLE, make_tree


@pytest.fixture
def setup(tmp_path):
    src = make_tree(tmp_path / "src", SAMPLE)
    nas, cloud = tmp_path / "nas", tmp_path / "百度网盘"
    nas.mkdir(), cloud.mkdir()
    return src, nas, cloud


def test_create_verify_status_label_flow(cli, setup):
    src, nas, cloud = setup
    r = cli("backup", "label", str(nas), "--media", "nas")
    assert r.code == 0 and "NAS" in r.out and "（本地）" in r.out
    r = cli("backup", "label", str(cloud), "--media", "cloud", "--lang", "en")
    assert r.code == 0 and "(off-site)" in r.out
    r = cli("backup", "label")
    assert str(cloud.resolve()) in r.out and str(nas.resolve()) in r.out

    r = cli("backup", "create", str(src / "录像"), "--to", str(nas), "--to", str(cloud),
            "--class", "recordings", "--name", "三月录像", "--platform", "kuaishou",
            "--description", "三月 直播")
    assert r.code == 0, r.err
    assert f"已创建备份包：{nas.resolve() / '三月录像'}" in r.out
    assert "共 4 个文件" in r.out and "xiabo backup verify" in r.out
    assert r.err == ""  # no progress bar when stderr is not a terminal

    for d in (nas, cloud):
        r = cli("backup", "verify", str(d / "三月录像"))
        assert r.code == 0 and "校验通过" in r.out and "完整校验" in r.out

    r = cli("backup", "status", "--today", "2026-12-01")
    assert r.code == 0
    assert "平台 kuaishou" in r.out  # taken from the bags
    assert "直播录像与互动记录（必备）：已校验副本 2/3" in r.out
    assert "还没有已校验备份的必备数据：粉丝画像数据、小店销售数据" in r.out

    r = cli("backup", "status", "--json", "--platform", "douyin", "--today", "2026-12-01")
    data = json.loads(r.out)
    rec = data["classes"][0]
    assert rec["data_class"] == "recordings" and rec["copies"] == 2
    assert rec["media"] == ["cloud", "nas"] and rec["offsite_copies"] == 1
    assert data["missing_classes"] == ["fan_profile", "sales"]


def test_verify_failure_exit_1_names_every_file(cli, setup):
    src, nas, _ = setup
    assert cli("backup", "create", str(src), "--to", str(nas), "--name", "b").code == 0
    bag = nas / "b"
    (bag / "data/src/录像/empty.txt").write_bytes(b"not empty")
    (bag / "data/src/录像/评论/弹幕.csv").unlink()
    (bag / "data/src/new.txt").write_bytes(b"x")
    r = cli("backup", "verify", str(bag), "--lang", "en")
    assert r.code == 1
    assert "Verification FAILED" in r.out
    assert "Content changed: data/src/录像/empty.txt" in r.out
    assert "Missing file: data/src/录像/评论/弹幕.csv" in r.out
    assert "Extra file (not in the manifest): data/src/new.txt" in r.out
    assert "4 problem(s)" in r.err  # changed, missing, extra, Payload-Oxum
    r = cli("backup", "verify", str(bag), "--json")
    assert r.code == 1
    data = json.loads(r.out)
    assert data["ok"] is False
    assert sorted(p["kind"] for p in data["problems"]) == ["changed", "extra", "missing", "oxum"]
    r = cli("backup", "status", "--json")
    rec = json.loads(r.out)["classes"][-1]
    assert rec["data_class"] == "other" and rec["backups"][0]["state"] == "failed"


def test_fast_verify(cli, setup):
    src, nas, _ = setup
    cli("backup", "create", str(src), "--to", str(nas), "--name", "b")
    r = cli("backup", "verify", "--fast", str(nas / "b"))
    assert r.code == 0 and "快速检查" in r.out and "不加 --fast" in r.out


def test_create_json(cli, setup):
    src, nas, _ = setup
    r = cli("backup", "create", str(src), "--to", str(nas), "--json", "--sha512",
            "--class", "sales")
    data = json.loads(r.out)
    assert data["files"] == 4 and data["algorithms"] == ["sha256", "sha512"]
    assert data["data_class"] == "sales" and data["name"].startswith("sales-")


@pytest.mark.parametrize("args, words", [
    (["create", "NOPE", "--to", "."], "不存在"),
    (["create", "{src}", "--to", "{tmp}/unplugged"], "先接上移动硬盘"),
    (["create", "{src}", "--to", "{src}/录像"], "在要备份的文件夹"),
    (["verify", "{tmp}/none"], "找不到备份包"),
    (["verify", "{src}"], "不是 BagIt 备份包"),
    (["label", "{tmp}", "--media", "tape"], "的值不对"),
    (["label", "{tmp}"], "介质类型"),
    (["status", "--platform", "weibo"], "平台“weibo”不认识"),
])
def test_bad_input_exit_2(cli, setup, tmp_path, args, words):
    src, _, _ = setup
    args = [a.format(src=src, tmp=tmp_path) for a in args]
    r = cli("backup", *args)
    assert r.code == 2, (r.out, r.err)
    assert words in r.err
    assert "Traceback" not in r.err


def test_help_in_both_languages(cli):
    r = cli("backup", "--help")
    assert r.code == 0 and "create" in r.out and "status" in r.out


def test_progress_bar_renders_when_enabled(setup, capsys):
    from xiabo.backup import create_bag
    from xiabo.backup.progress import progress_bar

    src, nas, _ = setup
    with progress_bar("备份中", "{done}/{total} 个文件", enabled=True) as (start, advance):
        create_bag([src], [nas], name="p", progress=advance, on_start=start)
    err = capsys.readouterr().err
    assert "备份中" in err and "4/4 个文件" in err
    with progress_bar("x", "y", enabled=None) as callbacks:  # stderr is not a TTY here
        assert callbacks == (None, None)


def test_foreign_bag_filed_under_a_class(cli, tmp_path):
    import bagit

    work = make_tree(tmp_path / "sales", {"订单.csv": b"id,amount\n1,9.90\n"})
    bagit.make_bag(str(work))
    r = cli("backup", "verify", str(work), "--class", "sales")
    assert r.code == 0 and "BagIt 0.97" in r.out
    data = json.loads(cli("backup", "status", "--json", "--platform", "taobao").out)
    assert data["missing_classes"] == ["recordings", "fan_profile"]
    sales = next(c for c in data["classes"] if c["data_class"] == "sales")
    assert sales["copies"] == 1 and sales["backups"][0]["media"] is None


def test_unknown_class_in_a_bag_counts_as_other(cli, tmp_path):
    work = make_tree(tmp_path / "b", {"a.txt": b"a"})
    import bagit

    bagit.make_bag(str(work), {"X-Xiabo-Data-Class": "secrets"})
    assert cli("backup", "verify", str(work)).code == 0
    data = json.loads(cli("backup", "status", "--json").out)
    assert [c["data_class"] for c in data["classes"]][-1] == "other"


def test_create_rejects_an_unknown_platform(cli, setup):
    src, nas, _ = setup
    r = cli("backup", "create", str(src), "--to", str(nas), "--platform", "weibo")
    assert r.code == 2 and "weibo" in r.err
    assert list(nas.iterdir()) == []
