"""``create_bag``: a correct BagIt 1.0 bag at every destination, sources untouched."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime
from pathlib import Path

import pytest

from xiabo.backup import copier, create_bag, verify_bag
from xiabo.backup.tagfiles import parse_manifest, parse_tags
from xiabo.errors import UserError

from .helpers import SAMPLE, leftovers, make_tree, snapshot

NOW = datetime(2026, 12, 1, 20, 30, 5)


@pytest.fixture
def src(tmp_path):
    files = dict(SAMPLE)
    files["录像/a%b 100%.txt"] = b"percent"
    files["录像/line\nfeed\r.txt"] = b"newline in the name"
    return make_tree(tmp_path / "src", files)


@pytest.fixture
def dests(tmp_path):
    out = [tmp_path / "nas", tmp_path / "cloud"]
    for d in out:
        d.mkdir()
    return out


def test_bag_layout_and_tag_files(src, dests):
    res = create_bag([src / "录像"], dests, data_class="recordings", platform="kuaishou",
                     description="三月的直播\n含弹幕", now=NOW, case="小美")
    assert res.name == "recordings-20261201-203005"
    assert res.bags == [str(d / res.name) for d in dests]
    bag = dests[0] / res.name
    assert (bag / "bagit.txt").read_bytes() == (
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    info = dict(parse_tags((bag / "bag-info.txt").read_text("utf-8"))[0])
    total = sum(p.stat().st_size for p in (src / "录像").rglob("*") if p.is_file())
    assert info["Payload-Oxum"] == f"{total}.6"
    assert info["Bagging-Date"] == "2026-12-01"
    assert info["Source-Organization"] == "kuaishou"
    assert info["X-Xiabo-Data-Class"] == "recordings"
    assert info["External-Description"] == "三月的直播\n含弹幕"
    assert info["X-Xiabo-Case"] == "小美"

    manifest_text = (bag / "manifest-sha256.txt").read_text("utf-8")
    assert "data/录像/a%25b 100%25.txt" in manifest_text
    assert "data/录像/line%0Afeed%0D.txt" in manifest_text
    assert "data/录像/第 1 场.mp4" in manifest_text
    entries = parse_manifest(manifest_text).entries
    for rel, digest in entries.items():
        original = src / rel[len("data/"):]
        assert hashlib.sha256(original.read_bytes()).hexdigest() == digest
        assert (bag / rel).read_bytes() == original.read_bytes()
        assert (bag / rel).stat().st_mtime_ns == original.stat().st_mtime_ns
    assert len(entries) == 6

    tag = parse_manifest((bag / "tagmanifest-sha256.txt").read_text("utf-8")).entries
    assert set(tag) == {"bagit.txt", "bag-info.txt", "manifest-sha256.txt"}
    for name, digest in tag.items():
        assert hashlib.sha256((bag / name).read_bytes()).hexdigest() == digest
    assert not (bag / "manifest-sha512.txt").exists()
    # every destination holds the same payload
    assert (dests[1] / res.name / "manifest-sha256.txt").read_text("utf-8") == manifest_text
    assert verify_bag(bag).ok and verify_bag(dests[1] / res.name).ok


def test_sources_are_never_changed(src, dests):
    before = snapshot(src)
    create_bag([src / "录像"], dests, now=NOW)
    assert snapshot(src) == before


def test_sha512_and_several_sources(src, dests, tmp_path):
    extra = make_tree(tmp_path / "sales", {"订单.csv": b"id,amount\n1,9.90\n"})
    res = create_bag([src / "录像", extra / "订单.csv"], dests[:1], data_class="sales",
                     name="my-bag", sha512=True, now=NOW)
    bag = dests[0] / "my-bag"
    assert res.algorithms == ["sha256", "sha512"]
    for alg in ("sha256", "sha512"):
        entries = parse_manifest((bag / f"manifest-{alg}.txt").read_text("utf-8")).entries
        assert "data/订单.csv" in entries and "data/录像/评论/弹幕.csv" in entries
        assert (bag / f"tagmanifest-{alg}.txt").exists()
    assert verify_bag(bag).ok


def test_each_source_byte_is_hashed_once(src, dests, tmp_path, monkeypatch):
    third = tmp_path / "usb"
    third.mkdir()
    fed = []

    class Counting:
        def __init__(self, alg):
            self.h = hashlib.new(alg)

        def update(self, data):
            fed.append(len(data))
            self.h.update(data)

        def hexdigest(self):
            return self.h.hexdigest()

    monkeypatch.setattr(copier, "new_hashers", lambda algs: [Counting(a) for a in algs])
    opened = []
    real_fileio = copier.io.FileIO

    def counting_fileio(path, mode="r", *a, **kw):
        opened.append(path)
        return real_fileio(path, mode, *a, **kw)

    monkeypatch.setattr(copier.io, "FileIO", counting_fileio)
    res = create_bag([src / "录像"], [*dests, third], now=NOW)
    assert sum(fed) == res.bytes  # hashed once, not once per destination
    assert len(opened) == res.files  # every source opened once
    for d in (*dests, third):
        assert verify_bag(d / res.name).ok


def test_symlinks_and_special_files(tmp_path, dests):
    src = make_tree(tmp_path / "src", {"a.txt": b"a"})
    os.symlink(src / "a.txt", src / "link.txt")
    os.symlink(src / "missing", src / "dangling")
    os.mkfifo(src / "pipe")
    res = create_bag([src], dests[:1], now=NOW)
    bag = dests[0] / res.name
    assert (bag / "data/src/link.txt").read_bytes() == b"a"
    assert sorted(Path(p).name for p in res.skipped) == ["dangling", "pipe"]
    assert verify_bag(bag).ok


def test_empty_source_folder_still_makes_a_valid_bag(tmp_path, dests):
    (tmp_path / "empty").mkdir()
    res = create_bag([tmp_path / "empty"], dests[:1], now=NOW)
    assert res.files == 0
    result = verify_bag(dests[0] / res.name)
    assert result.ok and result.files == 0


@pytest.mark.parametrize("make_bad, key", [
    (lambda t, s, d: ([t / "nope"], [d]), "backup.errors.source_missing"),
    (lambda t, s, d: ([s], [t / "unplugged"]), "backup.errors.dest_missing"),
    (lambda t, s, d: ([s], [s / "录像"]), "backup.errors.dest_inside_source"),
    (lambda t, s, d: ([s], [s]), "backup.errors.dest_inside_source"),
    (lambda t, s, d: ([s / "录像", t / "other" / "录像"], [d]), "backup.errors.source_clash"),
])
def test_bad_input_is_a_user_error(tmp_path, src, dests, make_bad, key):
    make_tree(tmp_path / "other", {"录像/x": b"x"})
    sources, targets = make_bad(tmp_path, src, dests[0])
    with pytest.raises(UserError) as err:
        create_bag(sources, targets, now=NOW)
    assert err.value.key == key
    assert err.value.exit_code == 2
    assert err.value.fix_key
    assert leftovers(dests[0]) == []


def test_existing_bag_is_never_overwritten(src, dests):
    create_bag([src], dests[:1], name="same", now=NOW)
    before = snapshot(dests[0])
    with pytest.raises(UserError) as err:
        create_bag([src], dests[:1], name="same", now=NOW)
    assert err.value.key == "backup.errors.bag_exists"
    assert snapshot(dests[0]) == before


@pytest.mark.parametrize("name", ["", ".hidden", "a/b", "..", "x" * 300])
def test_bad_bag_names(src, dests, name):
    with pytest.raises(UserError) as err:
        create_bag([src], dests[:1], name=name, now=NOW)
    assert err.value.key == "backup.errors.bad_bag_name"


def test_not_enough_space_is_refused_up_front(src, dests, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(1000, 900, 100))
    with pytest.raises(UserError) as err:
        create_bag([src], dests[:1], now=NOW)
    assert err.value.key == "backup.errors.no_space"
    assert os.listdir(dests[0]) == []


def test_default_name_pattern(src, dests):
    res = create_bag([src], dests[:1], data_class="fan_profile")
    assert re.fullmatch(r"fan_profile-\d{8}-\d{6}", res.name)
