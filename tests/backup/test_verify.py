"""``verify_bag`` on xiabo's own bags, bagit-python 0.97 bags and a hand-made 1.0 bag."""

from __future__ import annotations

import hashlib
import shutil
import unicodedata
from pathlib import Path

import bagit
import pytest

from xiabo.backup import create_bag, verify_bag
from xiabo.errors import UserError

from .helpers import SAMPLE, make_tree


@pytest.fixture
def bag(tmp_path):
    src = make_tree(tmp_path / "src", SAMPLE)
    (tmp_path / "nas").mkdir()
    create_bag([src / "录像"], [tmp_path / "nas"], name="b", sha512=True)
    return tmp_path / "nas" / "b"


def kinds(result):
    return sorted((p.kind, p.path) for p in result.problems)


def test_intact_bag(bag):
    full = verify_bag(bag)
    assert full.ok and full.mode == "full" and full.version == "1.0"
    assert full.files == 4 and full.algorithms == ["sha256", "sha512"]
    assert verify_bag(bag, fast=True).ok


def test_every_problem_is_named(bag):
    (bag / "data/录像/第 1 场.mp4").write_bytes(b"LIVE ONE " * 1000)  # same size, changed
    (bag / "data/录像/评论/弹幕.csv").unlink()
    (bag / "data/录像/stray.txt").write_bytes(b"x")
    (bag / "data/录像/另一个.txt").write_bytes(b"y")
    result = verify_bag(bag)
    assert not result.ok
    (changed,) = result.of_kind("changed")
    assert "sha256" in changed.detail and "sha512" in changed.detail
    assert kinds(result) == [
        ("changed", "data/录像/第 1 场.mp4"),
        ("extra", "data/录像/stray.txt"),
        ("extra", "data/录像/另一个.txt"),
        ("missing", "data/录像/评论/弹幕.csv"),
        ("oxum", "bag-info.txt"),
    ]


def test_fast_mode_sees_list_and_size_but_not_content(bag):
    (bag / "data/录像/第 1 场.mp4").write_bytes(b"LIVE ONE " * 1000)
    assert verify_bag(bag, fast=True).ok
    assert not verify_bag(bag).ok
    (bag / "data/录像/empty.txt").write_bytes(b"now longer")
    fast = verify_bag(bag, fast=True)
    assert kinds(fast) == [("oxum", "bag-info.txt")]


def test_tag_file_tampering_is_caught(bag):
    text = (bag / "bag-info.txt").read_text("utf-8")
    (bag / "bag-info.txt").write_text(text.replace("Bagging-Date: ", "Bagging-Date: 1"),
                                      encoding="utf-8")
    result = verify_bag(bag)
    assert ("changed", "bag-info.txt") in kinds(result)


def test_manifest_line_removed_makes_file_extra(bag):
    lines = (bag / "manifest-sha256.txt").read_text("utf-8").splitlines(keepends=True)
    (bag / "manifest-sha256.txt").write_text("".join(line for line in lines if "弹幕" not in line),
                                             encoding="utf-8")
    result = verify_bag(bag, fast=True)
    assert ("extra", "data/录像/评论/弹幕.csv") in kinds(result)


def test_unsafe_manifest_path_is_reported(bag):
    with open(bag / "manifest-sha256.txt", "a", encoding="utf-8") as fh:
        fh.write("0" * 64 + "  ../../etc/passwd\n")
    result = verify_bag(bag, fast=True)
    assert [p.kind for p in result.problems] == ["manifest"]


def test_not_a_bag_and_missing_path(tmp_path):
    with pytest.raises(UserError) as err:
        verify_bag(tmp_path / "nope")
    assert err.value.key == "backup.errors.bag_missing" and err.value.exit_code == 2
    (tmp_path / "folder").mkdir()
    with pytest.raises(UserError) as err:
        verify_bag(tmp_path / "folder")
    assert err.value.key == "backup.errors.not_a_bag"


def test_xiabo_bags_validate_with_bagit_python(bag):
    b = bagit.Bag(str(bag))
    assert b.version_info == (1, 0)
    b.validate()  # raises on any problem


def test_bagit_python_097_bag_verifies(tmp_path):
    # bagit-python moves files into data/ in place: give it a copy, never the originals
    original = make_tree(tmp_path / "orig", SAMPLE)
    work = tmp_path / "work"
    shutil.copytree(original, work)
    bagit.make_bag(str(work), {"Source-Organization": "快手"}, checksums=["sha256", "sha512"])
    assert (work / "bagit.txt").read_text().startswith("BagIt-Version: 0.97")
    result = verify_bag(work)
    assert result.ok, result.problems
    assert result.version == "0.97" and result.algorithms == ["sha256", "sha512"]
    assert result.info["Source-Organization"] == "快手"
    (work / "data/录像/empty.txt").write_bytes(b"changed")
    assert ("changed", "data/录像/empty.txt") in kinds(verify_bag(work))


def test_bagit_python_md5_bag_with_newline_name(tmp_path):
    work = make_tree(tmp_path / "w", {"a\nb.txt": b"nl", "plain.txt": b"p"})
    bagit.make_bag(str(work), checksums=["md5"])
    result = verify_bag(work)
    assert result.ok and result.algorithms == ["md5"]


def _hand_made(root: Path, files: dict[str, bytes], version: str = "1.0") -> Path:
    (root / "data").mkdir(parents=True)
    lines = []
    for rel, data in files.items():
        (root / "data" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "data" / rel).write_bytes(data)
        enc = rel.replace("%", "%25").replace("\n", "%0A") if version == "1.0" else rel
        lines.append(f"{hashlib.sha256(data).hexdigest()} data/{enc}\n")
    (root / "bagit.txt").write_text(
        f"BagIt-Version: {version}\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    (root / "manifest-sha256.txt").write_text("".join(lines), encoding="utf-8")
    return root


def test_hand_made_10_bag(tmp_path):
    bag = _hand_made(tmp_path / "hand", {"直播 1.flv": b"flv", "100%.txt": b"pct",
                                          "sub/a\nb": b"lf"})
    result = verify_bag(bag)
    assert result.ok and result.version == "1.0" and result.files == 3
    assert bagit.Bag(str(bag)).is_valid(completeness_only=True) is False  # bagit-python: %25


def test_unicode_normalisation_differences_are_tolerated(tmp_path):
    name = unicodedata.normalize("NFD", "café.txt")
    bag = _hand_made(tmp_path / "hand", {unicodedata.normalize("NFC", name): b"x"})
    (bag / "data" / unicodedata.normalize("NFC", name)).rename(bag / "data" / name)
    assert verify_bag(bag).ok


def test_other_tag_encoding(tmp_path):
    bag = _hand_made(tmp_path / "gbk", {"a.txt": b"a"}, version="0.97")
    (bag / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: GBK\n")
    (bag / "bag-info.txt").write_bytes("Source-Organization: 快手\n".encode("gbk"))
    result = verify_bag(bag)
    assert result.ok and result.info["Source-Organization"] == "快手"


def test_missing_payload_manifest(tmp_path):
    bag = _hand_made(tmp_path / "b", {"a.txt": b"a"})
    (bag / "manifest-sha256.txt").unlink()
    result = verify_bag(bag)
    assert [p.kind for p in result.problems] == ["extra", "manifest"]
