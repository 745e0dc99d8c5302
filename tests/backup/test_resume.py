"""kill -9 in the middle of a copy: no bag under the final name; a rerun resumes or cleans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xiabo.backup import create_bag, verify_bag
from xiabo.backup.partial import PARTIAL_RE

from .helpers import leftovers, make_tree, snapshot

MiB = 1 << 20

# Runs `xiabo ...` but stalls each destination's writer when it reaches the file named
# `stall_at`; once all `n_dests` writers stall, it drops a marker so the test can kill it there.
STALLING = r"""
import os, sys, threading, time
from xiabo.backup import copier
marker, stall_at, n_dests = sys.argv[1], sys.argv[2], int(sys.argv[3])
real = copier._write_all
lock = threading.Lock()
stalled = set()
def stalling(fd, view):
    real(fd, view)
    if os.readlink(f"/proc/self/fd/{fd}").endswith(stall_at):
        with lock:
            stalled.add(threading.get_ident())
            if len(stalled) == n_dests:
                open(marker, "w").close()
        time.sleep(120)
copier._write_all = stalling
sys.argv = ["xiabo"] + sys.argv[4:]
from xiabo.cli import run
run()
"""


def _kill_mid_copy(tmp_path: Path, args: list[str], after: int) -> None:
    """Kill -9 while file number ``after`` is being written (files before it are done)."""
    script = tmp_path / "stall.py"
    script.write_text(STALLING, encoding="utf-8")
    marker = tmp_path / "stalled"
    n_dests = args.count("--to")
    proc = subprocess.Popen([sys.executable, str(script), str(marker), f"第{after}场.mp4",
                             str(n_dests), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the copy never started"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:  # a failed wait above must not leave it running
            proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture
def src(tmp_path):
    # six files of 3 MiB: one 4 MiB chunk each, so "after 3 writes" is mid-backup
    return make_tree(tmp_path / "src", {f"录像/第{i}场.mp4": os.urandom(3 * MiB) for i in range(6)})


def test_kill_then_rerun_resumes(tmp_path, src, cli):
    nas, usb = tmp_path / "nas", tmp_path / "usb"
    nas.mkdir(), usb.mkdir()
    before = snapshot(src)
    args = ["backup", "create", str(src), "--to", str(nas), "--to", str(usb),
            "--class", "recordings", "--name", "rec"]
    _kill_mid_copy(tmp_path, args, after=3)

    for dest in (nas, usb):
        assert not (dest / "rec").exists()  # nothing under the final name
        partials = [n for n in os.listdir(dest) if PARTIAL_RE.match(n)]
        assert len(partials) == 1 and partials[0].startswith(".rec.partial-")
        assert not (dest / partials[0] / "bagit.txt").exists()
        # a verifier pointed at the partial refuses it: it is not a bag
        r = cli("backup", "verify", str(dest / partials[0]))
        assert r.code == 2

    r = cli(*args)
    assert r.code == 0, r.err
    assert "接着上次中断的地方继续：3 个文件已完整复制过" in r.out  # files 0-2 of 6
    for dest in (nas, usb):
        assert leftovers(dest) == []
        assert os.listdir(dest) == ["rec"]
        assert verify_bag(dest / "rec").ok
        import bagit

        bagit.Bag(str(dest / "rec")).validate()
    assert snapshot(src) == before


def test_kill_with_default_name_then_rerun_keeps_the_name(tmp_path, src):
    nas = tmp_path / "nas"
    nas.mkdir()
    _kill_mid_copy(tmp_path, ["backup", "create", str(src), "--to", str(nas),
                              "--class", "sales"], after=2)
    (partial,) = [n for n in os.listdir(nas) if PARTIAL_RE.match(n)]
    name = PARTIAL_RE.match(partial).group("name")
    res = create_bag([src], [nas], data_class="sales")
    assert res.name == name and res.resumed_files >= 1
    assert os.listdir(nas) == [name]
    assert verify_bag(nas / name).ok


def test_resume_rechecks_what_was_copied(tmp_path, src):
    """A file damaged in the partial bag (power cut, flaky NAS) is copied again."""
    nas = tmp_path / "nas"
    nas.mkdir()
    _kill_mid_copy(tmp_path, ["backup", "create", str(src), "--to", str(nas), "--name", "r"],
                   after=3)
    (partial,) = [n for n in os.listdir(nas) if PARTIAL_RE.match(n)]
    first = nas / partial / "data" / "src" / "录像" / "第0场.mp4"
    assert first.stat().st_size == 3 * MiB
    with open(first, "r+b") as fh:
        fh.write(b"garbage")
    res = create_bag([src], [nas], name="r")
    assert res.resumed_files == 2  # files 1 and 2 reused, file 0 copied again
    assert verify_bag(nas / "r").ok


def test_stale_partial_of_another_backup_is_cleaned(tmp_path, src):
    nas = tmp_path / "nas"
    nas.mkdir()
    _kill_mid_copy(tmp_path, ["backup", "create", str(src), "--to", str(nas), "--name", "old"],
                   after=2)
    other = make_tree(tmp_path / "fans", {"粉丝画像.xlsx": b"xlsx"})
    res = create_bag([other], [nas], name="fans")
    assert len(res.cleaned) == 1 and ".old.partial-" in res.cleaned[0]
    assert os.listdir(nas) == ["fans"]


def test_a_running_backup_is_left_alone(tmp_path, src):
    """A partial whose lock is held by a live process is neither resumed nor deleted."""
    from xiabo.backup.partial import Partial

    nas = tmp_path / "nas"
    nas.mkdir()
    live = Partial(nas, "other", "0123456789ab")
    assert live.acquire()
    live.path.mkdir()
    try:
        other = make_tree(tmp_path / "fans", {"a.txt": b"a"})
        res = create_bag([other], [nas], name="fans")
        assert res.cleaned == []
        assert live.path.exists()
    finally:
        live.release()


def test_the_same_backup_running_twice_is_refused(tmp_path, src):
    from xiabo.backup import bag as bag_mod
    from xiabo.backup.partial import Partial
    from xiabo.errors import UserError

    nas = tmp_path / "nas"
    nas.mkdir()
    job = bag_mod._job_id([src.resolve()], "other", "same", ["sha256"])
    running = Partial(nas, "same", job)
    assert running.acquire()
    running.path.mkdir()
    try:
        with pytest.raises(UserError) as err:
            create_bag([src], [nas], name="same")
        assert err.value.key == "backup.errors.busy"
        assert running.path.exists()
    finally:
        running.release()


def test_torn_journal_line_is_ignored(tmp_path, src):
    from xiabo.backup.copier import JOURNAL

    nas = tmp_path / "nas"
    nas.mkdir()
    _kill_mid_copy(tmp_path, ["backup", "create", str(src), "--to", str(nas), "--name", "t"],
                   after=3)
    (partial,) = [n for n in os.listdir(nas) if PARTIAL_RE.match(n)]
    journal = nas / partial / JOURNAL
    text = journal.read_text("utf-8")
    journal.write_text(text + '{"rel": "src/录像/第2场', encoding="utf-8")  # torn by a crash
    res = create_bag([src], [nas], name="t")
    assert res.resumed_files == 3
    assert verify_bag(nas / "t").ok
