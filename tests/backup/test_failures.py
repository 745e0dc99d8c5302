"""Full disk, no permission, unplugged disk, a source changing mid-copy: exit 2, clear words,
nothing that looks like a complete bag, originals unchanged."""

from __future__ import annotations

import errno
import os

import pytest

from xiabo.backup import BackupFailed, copier, create_bag, verify_bag

from .helpers import SAMPLE, leftovers, make_tree, snapshot


@pytest.fixture
def src(tmp_path):
    return make_tree(tmp_path / "src", SAMPLE)


@pytest.fixture
def dest(tmp_path):
    d = tmp_path / "nas"
    d.mkdir()
    return d


def _fail_after(monkeypatch, n_ok: int, code: int, only: str | None = None):
    real = copier._write_all
    calls = {"n": 0}

    def writer(fd, view):
        target = os.readlink(f"/proc/self/fd/{fd}")
        if only is None or target.startswith(only):
            calls["n"] += 1
            if calls["n"] > n_ok:
                raise OSError(code, os.strerror(code))
        real(fd, view)

    monkeypatch.setattr(copier, "_write_all", writer)


def test_disk_full_cli(cli, src, dest, monkeypatch):
    before = snapshot(src)
    _fail_after(monkeypatch, 1, errno.ENOSPC)
    r = cli("backup", "create", str(src), "--to", str(dest), "--name", "b")
    assert r.code == 2
    assert "磁盘空间不够" in r.err and str(dest) in r.err
    assert "怎么改" in r.err and "Traceback" not in r.err
    assert not (dest / "b").exists()
    assert os.listdir(dest) == []  # the partial bag and its lock were removed
    assert snapshot(src) == before


def test_disk_full_english(cli, src, dest, monkeypatch):
    _fail_after(monkeypatch, 0, errno.ENOSPC)
    r = cli("backup", "create", str(src), "--to", str(dest), "--lang", "en")
    assert r.code == 2
    assert "not enough disk space" in r.err and "How to fix" in r.err


def test_permission_denied_at_start(cli, src, dest, monkeypatch):
    real_mkdir = os.mkdir

    def no_mkdir(path, *a, **kw):
        if str(path).startswith(str(dest)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_mkdir(path, *a, **kw)

    monkeypatch.setattr(os, "mkdir", no_mkdir)
    r = cli("backup", "create", str(src), "--to", str(dest))
    assert r.code == 2
    assert "没有写入权限" in r.err
    assert leftovers(dest) == []
    assert not any(n for n in os.listdir(dest) if not n.endswith(".lock"))


def test_permission_denied_mid_copy(cli, src, dest, monkeypatch):
    _fail_after(monkeypatch, 2, errno.EACCES)
    r = cli("backup", "create", str(src), "--to", str(dest), "--name", "b")
    assert r.code == 2 and "没有写入权限" in r.err
    assert os.listdir(dest) == []


def test_unplugged_nas_keeps_the_other_destination(src, tmp_path, dest, monkeypatch):
    local = tmp_path / "local"
    local.mkdir()
    _fail_after(monkeypatch, 1, errno.EIO, only=str(dest))
    with pytest.raises(BackupFailed) as err:
        create_bag([src], [dest, local], name="b")
    assert err.value.exit_code == 2
    assert [f.reason for f in err.value.failures] == ["gone"]
    assert err.value.done == [str(local / "b")]
    assert os.listdir(dest) == []
    assert verify_bag(local / "b").ok
    text = err.value.render("zh")
    assert "目的地不见了" in text and str(local / "b") in text


def _mutate_on_read(monkeypatch, suffix: str, mutate) -> None:
    """Change a source file while xiabo is reading it (as a recorder still writing would)."""
    real = copier.io.FileIO

    class Touching(real):
        def readinto(self, buf):
            if str(self.name).endswith(suffix) and not getattr(self, "_done", False):
                self._done = True
                mutate()
            return super().readinto(buf)

    monkeypatch.setattr(copier.io, "FileIO", Touching)


def test_source_changing_while_copied(cli, src, dest, monkeypatch):
    victim = src / "录像" / "第2场 final.mp4"

    def grow():
        with open(victim, "ab") as fh:
            fh.write(b"more")

    _mutate_on_read(monkeypatch, "第2场 final.mp4", grow)
    r = cli("backup", "create", str(src), "--to", str(dest), "--name", "b")
    assert r.code == 2
    assert "复制过程中被改动" in r.err and "第2场 final.mp4" in r.err
    assert os.listdir(dest) == []


def test_source_touched_without_size_change(src, dest, monkeypatch):
    victim = src / "录像" / "第 1 场.mp4"

    def touch():
        st = victim.stat()
        os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))

    _mutate_on_read(monkeypatch, "第 1 场.mp4", touch)
    with pytest.raises(Exception) as err:
        create_bag([src], [dest], name="b")
    assert getattr(err.value, "key", "") == "backup.errors.source_changed"
    assert os.listdir(dest) == []


def test_unreadable_source_file(src, dest, monkeypatch):
    real = copier.io.FileIO

    def fileio(path, mode="r", *a, **kw):
        if str(path).endswith("弹幕.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, mode, *a, **kw)

    monkeypatch.setattr(copier.io, "FileIO", fileio)
    with pytest.raises(Exception) as err:
        create_bag([src], [dest], name="b")
    assert getattr(err.value, "key", "") == "backup.errors.source_unreadable"
    assert "弹幕.csv" in err.value.file
    assert os.listdir(dest) == []


def test_fsync_error_fails_the_destination(src, dest, monkeypatch):
    real = os.fsync
    calls = {"n": 0}

    def bad_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.EIO, "I/O error")
        return real(fd)

    monkeypatch.setattr(os, "fsync", bad_fsync)
    with pytest.raises(BackupFailed) as err:
        create_bag([src], [dest], name="b")
    assert err.value.failures[0].reason == "gone"
    assert os.listdir(dest) == []
