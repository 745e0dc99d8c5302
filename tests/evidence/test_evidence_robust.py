"""Robustness: kill -9 at any moment of an append, two writers at once, the key never leaks."""

from __future__ import annotations

import base64
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from xiabo.evidence.keys import create_log
from xiabo.evidence.log import EvidenceLog
from xiabo.evidence.verify import verify_log

BATCH = 25

WRITER = r"""
import sys
from pathlib import Path
from xiabo.evidence import entry
from xiabo.evidence.add import add_evidence
from xiabo.evidence.log import EvidenceLog

log = EvidenceLog.open(Path(sys.argv[1]))
files = [Path(p) for p in sys.argv[3:]]
tag, i = sys.argv[2], 0
print("ready", flush=True)
while True:
    if files and i % 2:
        add_evidence(log, files, note=f"{tag}-{i}", kind="recording", time="2026-01-01T00:00:00Z")
    else:
        log.append([entry.note_entry("2026-01-01T00:00:00Z", "note", f"{tag}-{i}-{k}", None)
                    for k in range(int(sys.argv[2].split(":")[1]))])
    i += 1
    if tag.startswith("once"):
        break
"""


def _writer(folder: Path, tag: str, files=(), env=None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), tag, *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def fresh(tmp_path) -> Path:
    folder = tmp_path / "log"
    create_log(folder, "crash.test/log", "2026-01-01T00:00:00Z")
    return folder


def _assert_ok(folder: Path) -> int:
    rep = verify_log(folder)
    assert rep.ok, [(p.key, p.params) for p in rep.problems]
    return rep.size


@pytest.mark.parametrize(
    "point,survives",
    [
        ("mid_records", False),
        ("after_records", False),
        ("mid_tree", False),
        ("after_tree", False),
        ("after_head", True),
    ],
)
def test_kill_at_each_step_of_append(fresh, tmp_path, point, survives):
    big = tmp_path / "clip.mp4"
    big.write_bytes(os.urandom(300_000))
    before = _assert_ok(fresh)
    proc = _writer(fresh, f"once:{BATCH}", env={"XIABO_EVIDENCE_CRASH": point})
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    size = _assert_ok(fresh)  # readers accept the log as it is
    assert size == (before + BATCH if survives else before)
    # the next writer cuts off the torn tail and carries on
    log = EvidenceLog.open(fresh)
    from xiabo.evidence.add import add_evidence

    add_evidence(log, [big], note="after crash", time="2026-01-02T00:00:00Z")
    assert _assert_ok(fresh) == size + 1
    assert (
        EvidenceLog.open(fresh).entries_path.stat().st_size == EvidenceLog.open(fresh).head().bytes
    )


def test_kill_9_at_random_moments(fresh, tmp_path):
    rng = random.Random(2026)
    files = []
    for i in range(3):
        f = tmp_path / f"rec{i}.mp4"
        f.write_bytes(os.urandom(400_000))
        files.append(f)
    size = _assert_ok(fresh)
    sizes, torn = [], []
    for _ in range(6):
        proc = _writer(fresh, f"loop:{BATCH}", files)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        new = _assert_ok(fresh)
        grown = new - size
        # whole batches only: notes come BATCH at a time, files len(files) at a time
        assert grown >= 0
        assert any(
            (grown - k * len(files)) % BATCH == 0 and grown - k * len(files) >= 0
            for k in range(grown // len(files) + 1)
        ), grown
        size = new
        torn.append(
            EvidenceLog.open(fresh).entries_path.stat().st_size
            > EvidenceLog.open(fresh).head().bytes
        )
        sizes.append(size)
    print("sizes", sizes, "torn tails", torn)
    assert size > 1  # some batches did land


def test_two_writers_are_serialised_and_nothing_is_lost(fresh):
    script = r"""
import sys
from pathlib import Path
from xiabo.evidence import entry
from xiabo.evidence.log import EvidenceLog
log = EvidenceLog.open(Path(sys.argv[1]))
for i in range(40):
    log.append([entry.note_entry("2026-01-01T00:00:00Z", "note", f"{sys.argv[2]}-{i}", None)])
"""
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(fresh), tag]) for tag in ("A", "B")
    ]
    for p in procs:
        assert p.wait(60) == 0
    assert _assert_ok(fresh) == 81
    notes = [json.loads(p)["note"] for i, p in EvidenceLog.open(fresh).entries() if i]
    assert sorted(notes) == sorted(f"{t}-{i}" for t in "AB" for i in range(40))
    # each writer's own entries keep their order
    for t in "AB":
        mine = [n for n in notes if n.startswith(t)]
        assert mine == [f"{t}-{i}" for i in range(40)]


def test_private_key_never_leaks(cli, tmp_path, tsa):
    from cryptography.hazmat.primitives import serialization

    folder = tmp_path / "ev"
    outputs = []

    def run(*args):
        r = cli("evidence", *args)
        outputs.append(r.out + r.err)
        return r

    run("init", "--dir", folder, "--origin", "leak.test/log")
    pem = (folder / "private.key").read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    seed = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    secrets = [seed.hex(), base64.b64encode(seed).decode(), seed.hex().upper()]
    secrets += [line for line in pem.decode().splitlines() if "-----" not in line]
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"png")
    run("add", "--dir", folder, shot, "--note", "n", "--json")
    run("add", "--dir", folder, "--note", "text")
    run("checkpoint", "--dir", folder, "--json")
    run("timestamp", "--dir", folder, "--tsa", tsa.url, "--json")
    run("verify", "--dir", folder, "--full", "--json")
    run("verify", "--dir", folder)
    run("prove", "--dir", folder, "1", "--json")
    run("list", "--dir", folder, "--json")
    out = tmp_path / "b.zip"
    run("bundle", "--dir", folder, "--out", out)
    # error paths that touch the key: damaged and foreign keys
    (folder / "private.key").write_bytes(pem[:40] + b"X" + pem[41:])
    run("add", "--dir", folder, "--note", "more")
    assert run("checkpoint", "--dir", folder).code == 1
    run("verify", "--dir", folder, "--json")
    other = tmp_path / "other"
    run("init", "--dir", other, "--origin", "leak.test/other")
    (folder / "private.key").write_bytes((other / "private.key").read_bytes())
    r = run("checkpoint", "--dir", folder)
    assert r.code == 1 and "不配对" in r.err
    (folder / "private.key").write_bytes(pem)
    haystacks = {"cli output": "\n".join(outputs)}
    with zipfile.ZipFile(out) as zf:
        raw = out.read_bytes()
        assert seed not in raw and pem not in raw
        haystacks["bundle"] = "\n".join(
            zf.read(n).decode("utf-8", "replace") + n for n in zf.namelist()
        )
    for path in folder.rglob("*"):
        if path.is_file() and path.name != "private.key":
            data = path.read_bytes()
            assert seed not in data, path
            haystacks[str(path)] = data.decode("utf-8", "replace")
    for where, text in haystacks.items():
        for secret in secrets:
            assert secret not in text, where
