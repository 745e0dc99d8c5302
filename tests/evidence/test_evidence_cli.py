"""The `xiabo evidence` commands, in-process, asserting on what they print and store."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from pathlib import Path

from xiabo.evidence import counts_by_task, entries_for_task, merkle, note
from xiabo.evidence.log import EvidenceLog


def test_init_creates_log_and_private_key_0600(cli, tmp_path):
    folder = tmp_path / "ev"
    r = cli("evidence", "init", "--dir", folder, "--origin", "example.org/log", "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["origin"] == "example.org/log"
    name, pub = note.parse_vkey(out["public_key"])
    assert name == "example.org/log"
    key = folder / "private.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (folder / "public.key").read_text() == out["public_key"] + "\n"
    log = EvidenceLog.open(folder)
    assert log.head().size == 1  # the genesis entry
    genesis = json.loads(log.entry_at(0))
    assert genesis["kind"] == "genesis" and genesis["public_key"] == base64.b64encode(pub).decode()
    again = cli("evidence", "init", "--dir", folder)
    assert again.code == 2 and "已经有一个证据日志" in again.err


def test_default_folder_is_in_the_case_dir(cli):
    from xiabo.paths import case_dir

    assert cli("evidence", "init", "--case", "阿美").code == 0
    assert (case_dir("阿美") / "evidence" / "head.json").exists()
    r = cli("evidence", "add", "--case", "阿美", "--note", "开始下播准备")
    assert r.code == 0 and "#1" in r.out
    assert cli("evidence", "verify", "--case", "阿美").code == 0


def test_add_files_copies_content_addressed_and_prints_index_and_leaf(cli, tmp_path):
    folder = tmp_path / "ev"
    cli("evidence", "init", "--dir", folder)
    src = tmp_path / "shot.png"
    src.write_bytes(b"screenshot bytes")
    before = src.stat().st_mtime_ns
    r = cli(
        "evidence",
        "add",
        "--dir",
        folder,
        src,
        "--kind",
        "screenshot",
        "--note",
        "退款页面",
        "--task",
        "refund",
        "--time",
        "2026-11-23T15:30",
        "--json",
    )
    assert r.code == 0, r.err
    (added,) = json.loads(r.out)
    digest = hashlib.sha256(b"screenshot bytes").hexdigest()
    assert added["index"] == 1 and added["sha256"] == digest
    stored = folder / "objects" / digest[:2] / digest[2:]
    assert stored.read_bytes() == b"screenshot bytes"
    assert src.read_bytes() == b"screenshot bytes" and src.stat().st_mtime_ns == before
    payload = EvidenceLog.open(folder).entry_at(1)
    assert added["leaf_hash"] == merkle.leaf_hash(payload).hex()
    entry = json.loads(payload)
    assert entry == {
        "v": 1,
        "time": "2026-11-23T07:30:00Z",
        "kind": "screenshot",
        "note": "退款页面",
        "task": "refund",
        "file": "shot.png",
        "size": 16,
        "sha256": digest,
    }
    # canonical JSON: sorted keys, no spaces
    assert (
        payload
        == json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    text = cli("evidence", "add", "--dir", folder, src, "--lang", "en")
    assert "Logged #2" in text.out and "leaf hash" in text.out


def test_many_files_are_one_batch_and_note_alone_works(cli, tmp_path):
    folder = tmp_path / "ev"
    cli("evidence", "init", "--dir", folder)
    files = []
    for i in range(4):
        f = tmp_path / f"f{i}.txt"
        f.write_text(f"file {i}")
        files.append(f)
    r = cli("evidence", "add", "--dir", folder, *files, "--json")
    assert [a["index"] for a in json.loads(r.out)] == [1, 2, 3, 4]
    r = cli("evidence", "add", "--dir", folder, "--note", "客服电话：说三天内回复", "--json")
    (a,) = json.loads(r.out)
    assert a["file"] is None and a["index"] == 5
    entry = json.loads(EvidenceLog.open(folder).entry_at(5))
    assert entry["kind"] == "note" and entry["sha256"] is None
    assert entry["note"] == "客服电话：说三天内回复"


def test_bad_input_exits_2_with_fix(cli, tmp_path):
    folder = tmp_path / "ev"
    r = cli("evidence", "add", "--dir", folder, "--note", "x")
    assert r.code == 2 and "没有找到证据日志" in r.err and "xiabo evidence init" in r.err
    cli("evidence", "init", "--dir", folder)
    r = cli("evidence", "add", "--dir", folder)
    assert r.code == 2 and "--note" in r.err
    r = cli("evidence", "add", "--dir", folder, tmp_path / "missing.png")
    assert r.code == 2 and "missing.png" in r.err
    r = cli("evidence", "add", "--dir", folder, "--note", "x", "--time", "yesterday")
    assert r.code == 2 and "yesterday" in r.err
    r = cli("evidence", "add", "--dir", folder, "--note", "x", "--kind", "selfie")
    assert r.code == 2
    r = cli("evidence", "init", "--dir", tmp_path / "ev2", "--origin", "has space")
    assert r.code == 2 and "has space" in r.err
    r = cli("evidence", "prove", "--dir", folder, "7")
    assert r.code == 2 and "7" in r.err
    r = cli("evidence", "bundle", "--dir", folder, "--out", tmp_path / "b.tar")
    assert r.code == 2
    r = cli("evidence", "bundle", "--dir", folder, "--out", tmp_path / "b.zip", "--lang", "en")
    assert r.code == 2 and "no entries" in r.err
    assert EvidenceLog.open(folder).head().size == 1


def test_checkpoint_is_a_c2sp_signed_note(cli, log_dir):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    cp = (log_dir / "checkpoints" / "000002.note").read_bytes().decode()
    body, sigs = cp.split("\n\n")
    origin, size, root_b64 = body.split("\n")
    assert origin == "test.example/evidence" and size == "4"
    log = EvidenceLog.open(log_dir)
    with log.tree() as tree:
        assert base64.b64decode(root_b64) == tree.root(4) == log.head().root
    assert sigs.startswith("\u2014 test.example/evidence ") and sigs.endswith("\n")
    blob = base64.b64decode(sigs.split(" ")[2])
    pub = log.public_key()
    assert blob[:4] == hashlib.sha256(b"test.example/evidence\n\x01" + pub).digest()[:4]
    Ed25519PublicKey.from_public_bytes(pub).verify(blob[4:], (body + "\n").encode())
    again = cli("evidence", "checkpoint", "--dir", log_dir, "--json")
    assert json.loads(again.out)["created"] is False


def test_verify_ok_and_json(cli, log_dir):
    r = cli("evidence", "verify", "--dir", log_dir)
    assert r.code == 0, r.out + r.err
    assert "核验通过：4 条记录、2 个存档文件、2 个检查点" in r.out
    r = cli("evidence", "verify", "--dir", log_dir, "--json", "--full")
    rep = json.loads(r.out)
    assert rep["ok"] and rep["size"] == 4 and rep["checkpoints"] == 2 and rep["problems"] == []


def test_prove_matches_checkpoint(cli, log_dir):
    r = cli("evidence", "prove", "--dir", log_dir, "2", "--json")
    assert r.code == 0, r.err
    p = json.loads(r.out)
    assert p["tree_size"] == 4 and p["checkpoint_seq"] == 2
    path = [bytes.fromhex(h) for h in p["path"]]
    assert merkle.verify_inclusion(p["entry_bytes"].encode(), 2, 4, path, bytes.fromhex(p["root"]))
    assert p["entry"]["file"] == "receipt.pdf"
    human = cli("evidence", "prove", "--dir", log_dir, "3", "--lang", "en")
    assert "Inclusion proof of entry 3" in human.out and "proof holds" in human.out


def test_prove_makes_checkpoint_when_entry_is_newer(cli, log_dir):
    cli("evidence", "add", "--dir", log_dir, "--note", "new")
    r = cli("evidence", "prove", "--dir", log_dir, "4", "--json")
    p = json.loads(r.out)
    assert p["checkpoint_created"] and p["checkpoint_seq"] == 3 and p["tree_size"] == 5


def test_list_and_plan_integration(cli, log_dir, tmp_path):
    r = cli("evidence", "list", "--dir", log_dir, "--json")
    rows = json.loads(r.out)
    assert [row["index"] for row in rows] == [1, 2, 3]
    human = cli("evidence", "list", "--dir", log_dir, "--task", "T2")
    assert "电话联系客服" in human.out and "客服聊天.png" not in human.out
    # times are shown in China time with the offset; the log (and --json) keeps UTC
    assert all(row["time"].endswith("Z") for row in rows)
    assert "+08:00" in human.out and "UTC" not in human.out and "Z " not in human.out
    assert counts_by_task(log_dir) == {"T1": 2, "T2": 1}
    t1 = entries_for_task(log_dir, "T1")
    assert [e["file"] for e in t1] == ["客服聊天.png", "receipt.pdf"]
    assert all(len(e["leaf_hash"]) == 64 and e["index"] in (1, 2) for e in t1)
    assert counts_by_task(tmp_path / "nothing") == {}
    assert entries_for_task(tmp_path / "nothing", "T1") == []


def test_times_shown_in_china_time():
    from xiabo.evidence.entry import display_time

    assert display_time("2026-12-05T16:00:00Z") == "2026-12-06 00:00:00 +08:00"
    assert display_time("2026-12-05T16:00:00.250000Z") == "2026-12-06 00:00:00 +08:00"
    assert display_time("") == "" and display_time("not a time") == "not a time"


def test_help_in_both_languages(cli):
    r = cli("evidence", "--help")
    assert r.code == 0 and "证据日志" in r.out
    for sub in ("init", "add", "checkpoint", "verify", "prove", "bundle", "timestamp", "list"):
        r = cli("evidence", sub, "--help")
        assert r.code == 0 and "--dir" in r.out and "--case" in r.out, sub


def test_lang_env(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_LANG", "en")
    r = cli("evidence", "init", "--dir", tmp_path / "e")
    assert "Created the evidence log" in r.out
    assert os.path.exists(tmp_path / "e" / "head.json")


def test_catalogues_have_the_same_keys():
    import yaml

    root = Path(__file__).resolve().parents[2] / "src" / "xiabo" / "locales"

    def keys(d, prefix=""):
        out = set()
        for k, v in d.items():
            out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
        return out

    zh = keys(yaml.safe_load((root / "zh" / "evidence.yaml").read_text(encoding="utf-8")))
    en = keys(yaml.safe_load((root / "en" / "evidence.yaml").read_text(encoding="utf-8")))
    assert zh == en
    # every problem and error key used in code has a message
    src = Path(__file__).resolve().parents[2] / "src" / "xiabo" / "evidence"
    import re

    code = "\n".join(p.read_text(encoding="utf-8") for p in src.glob("*.py"))
    for key in set(re.findall(r'rep\.(?:bad|note)\("([a-z_]+)"', code)):
        assert f"problem.{key}" in zh, key
    for key in set(re.findall(r'LogError\("err\.([a-z_]+)"', code)):
        assert f"err.{key}" in zh and f"err.{key}_fix" in zh, key


def test_unreadable_file_and_unwritable_bundle(cli, log_dir, tmp_path):
    if os.geteuid() == 0:
        folder = tmp_path / "adir"  # root reads anything: a folder is unreadable as a file
        folder.mkdir()
        target = folder
    else:
        target = tmp_path / "secret.png"
        target.write_bytes(b"x")
        target.chmod(0)
    r = cli("evidence", "add", "--dir", log_dir, target)
    assert r.code == 2 and target.name in r.err
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = cli("evidence", "bundle", "--dir", log_dir, "--out", blocker / "b.zip")
    assert r.code == 2 and "b.zip" in r.err and "Traceback" not in r.err
