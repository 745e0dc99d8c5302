"""Any flipped byte anywhere in a log folder is reported by `verify`, naming the file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from xiabo.evidence.verify import verify_log


def _log_files(folder: Path) -> list[Path]:
    skip = {".lock"}
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.name not in skip and "tmp" not in p.relative_to(folder).parts
    )


@pytest.fixture
def full_log(cli, log_dir, tsa):
    r = cli("evidence", "timestamp", "--dir", log_dir, "--tsa", tsa.url)
    assert r.code == 0, r.err
    assert cli("evidence", "checkpoint", "--dir", log_dir).code == 0
    assert verify_log(log_dir, full=True).ok
    return log_dir


def test_every_file_kind_is_present(full_log):
    names = {str(p.relative_to(full_log)).split("/")[0] for p in _log_files(full_log)}
    assert {
        "config.json",
        "head.json",
        "entries.log",
        "index.bin",
        "tree",
        "objects",
        "checkpoints",
        "timestamps",
        "private.key",
        "public.key",
    } <= names


def test_any_flipped_byte_is_reported_with_file(full_log):
    rng = random.Random(7)
    escaped = []
    checked = 0
    for path in _log_files(full_log):
        rel = str(path.relative_to(full_log))
        original = path.read_bytes()
        positions = range(len(original))
        if len(original) > 160:  # every byte of small files; a spread sample of big ones
            positions = sorted(set(rng.sample(range(len(original)), 60)) | {0, len(original) - 1})
        mode = path.stat().st_mode
        path.chmod(0o600)
        try:
            for pos in positions:
                bit = 1 << rng.randrange(8)
                path.write_bytes(
                    original[:pos] + bytes([original[pos] ^ bit]) + original[pos + 1 :]
                )
                rep = verify_log(full_log)
                checked += 1
                where = {str(p.params.get("file", "")) for p in rep.problems}
                if rep.ok or not any(rel == w or rel.startswith(w + "/") for w in where if w):
                    escaped.append((rel, pos, bit, [p.key for p in rep.problems]))
        finally:
            path.write_bytes(original)
            path.chmod(mode)
    assert verify_log(full_log).ok
    assert checked > 900
    assert escaped == [], "\n".join(map(str, escaped))


def test_problem_messages_say_what_and_where(cli, log_dir):
    entries = log_dir / "entries.log"
    data = bytearray(entries.read_bytes())
    at = data.index("电话联系客服".encode())
    data[at] ^= 0x01
    entries.write_bytes(bytes(data))
    r = cli("evidence", "verify", "--dir", log_dir)
    assert r.code == 1
    assert "entries.log 第 3 条记录" in r.out and "被改动" in r.out
    assert "核验失败" in r.err
    r = cli("evidence", "verify", "--dir", log_dir, "--json", "--lang", "en")
    rep = __import__("json").loads(r.out)
    keys = {p["key"] for p in rep["problems"]}
    assert "record_crc" in keys and "checkpoint_root" in keys
    crc = next(p for p in rep["problems"] if p["key"] == "record_crc")
    assert crc["index"] == 3 and crc["file"] == "entries.log" and "changed" in crc["message"]


def test_stored_file_change_is_reported(cli, log_dir):
    obj = next(
        p for p in (log_dir / "objects").rglob("*") if p.is_file() and p.parent.name != "tmp"
    )
    obj.chmod(0o600)
    obj.write_bytes(obj.read_bytes() + b"!")
    r = cli("evidence", "verify", "--dir", log_dir, "--json")
    (p,) = __import__("json").loads(r.out)["problems"]
    assert p["key"] == "file_changed" and p["index"] in (1, 2)
    obj.unlink()
    r = cli("evidence", "verify", "--dir", log_dir, "--json")
    assert [p["key"] for p in __import__("json").loads(r.out)["problems"]] == ["file_missing"]


def test_rewritten_history_with_recomputed_everything_is_caught_by_checkpoints(log_dir):
    """An attacker rewrites an entry and rebuilds CRC, index, tree and head: signatures fail."""
    from xiabo.evidence import merkle
    from xiabo.evidence.log import MAGIC, EvidenceLog, Head, frame, write_atomic
    from xiabo.evidence.tree import TreeFiles

    log = EvidenceLog.open(log_dir)
    payloads = [p for _, p in log.entries()]
    payloads[3] = payloads[3].replace("电话".encode(), "短信".encode())
    blob = MAGIC + b"".join(frame(p) for p in payloads)
    log.entries_path.write_bytes(blob)
    offsets, pos = [], len(MAGIC)
    for p in payloads:
        offsets.append(pos.to_bytes(8, "big"))
        pos += 8 + len(p)
    log.index_path.write_bytes(b"".join(offsets))
    with TreeFiles(log.tree_dir, writable=True) as tree:
        tree.rebuild([merkle.leaf_hash(p) for p in payloads])
    write_atomic(log.head_path, Head(len(payloads), len(blob), merkle.root(payloads)).dump())
    rep = verify_log(log_dir)
    keys = [p.key for p in rep.problems]
    # checkpoint 2 covers entry 3 and no longer matches; checkpoint 1 (3 entries) still does,
    # and the rewritten log is no longer consistent with it
    bad = {p.params["file"] for p in rep.problems if p.key == "checkpoint_root"}
    assert bad == {"checkpoints/000002.note"}
    assert "checkpoint_inconsistent" in keys
    assert "record_crc" not in keys and "tree_node" not in keys


def test_deleted_checkpoint_and_truncated_log_are_reported(log_dir):
    (log_dir / "checkpoints" / "000001.note").unlink()
    rep = verify_log(log_dir)
    assert [p.key for p in rep.problems] == ["checkpoint_gap"]
    (log_dir / "checkpoints" / "000001.note").write_text("x")
    entries = log_dir / "entries.log"
    entries.write_bytes(entries.read_bytes()[:-10])
    keys = {p.key for p in verify_log(log_dir).problems}
    assert {"entries_short", "checkpoint_bad"} <= keys


def test_checkpoint_refuses_to_sign_a_rewritten_history(cli, log_dir):
    """Rewrite entry 1 and rebuild everything derived: the next checkpoint is refused."""
    from xiabo.evidence import merkle
    from xiabo.evidence.log import MAGIC, EvidenceLog, Head, frame, write_atomic
    from xiabo.evidence.tree import TreeFiles

    log = EvidenceLog.open(log_dir)
    payloads = [p for _, p in log.entries()]
    payloads[1] = payloads[1].replace("客服拒绝退款".encode(), "客服同意退款".encode())
    blob = MAGIC + b"".join(frame(p) for p in payloads)
    log.entries_path.write_bytes(blob)
    log.index_path.unlink()
    with TreeFiles(log.tree_dir, writable=True) as tree:
        tree.rebuild([merkle.leaf_hash(p) for p in payloads])
    write_atomic(log.head_path, Head(len(payloads), len(blob), merkle.root(payloads)).dump())
    cli("evidence", "add", "--dir", log_dir, "--note", "later")
    r = cli("evidence", "checkpoint", "--dir", log_dir)
    assert r.code == 1 and "000002.note" in r.err and "拒绝签名" in r.err
    assert not (log_dir / "checkpoints" / "000003.note").exists()


def test_verify_without_a_log(cli, tmp_path):
    r = cli("evidence", "verify", "--dir", tmp_path / "none")
    assert r.code == 2 and "没有找到证据日志" in r.err
