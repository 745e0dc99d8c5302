"""Bundles: what they hold, and that the bundled verifier really runs (subprocess) and judges."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


def _unzip(bundle: Path, where: Path) -> Path:
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(where)
    return where


def _run_verifier(folder_or_zip: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    script = (folder_or_zip / "verify_bundle.py") if folder_or_zip.is_dir() else None
    if script is None:
        with zipfile.ZipFile(folder_or_zip) as zf:
            script = folder_or_zip.with_suffix(".py")
            script.write_bytes(zf.read("verify_bundle.py"))
    return subprocess.run(
        [sys.executable, str(script), str(folder_or_zip)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def bundle(cli, log_dir, tmp_path, tsa) -> Path:
    assert cli("evidence", "timestamp", "--dir", log_dir, "--tsa", tsa.url).code == 0
    out = tmp_path / "证据包.zip"
    r = cli("evidence", "bundle", "--dir", log_dir, "--out", out, "--json")
    assert r.code == 0, r.err
    info = json.loads(r.out)
    assert info["entries"] == 5 and info["files"] == 3  # entry 4: the timestamp token
    return out


def test_bundle_contents(bundle, log_dir):
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        readme = zf.read("README.txt").decode("utf-8")
        sums = zf.read("SHA256SUMS").decode()
        for line in sums.splitlines():
            digest, fname = line.split("  ", 1)
            assert hashlib.sha256(zf.read(fname)).hexdigest() == digest
        assert zf.read("files/00000001/客服聊天.png") == b"\x89PNG fake screenshot" * 50
        assert zf.read("leaves/00000002.json") == _entry(log_dir, 2)
    assert {
        "README.txt",
        "SHA256SUMS",
        "manifest.json",
        "verify_bundle.py",
        "public_key.txt",
        "public_key.pem",
        "checkpoints/000001.note",
        "checkpoints/000003.note",
        "consistency/000001-000002.json",
        "consistency/000002-000003.json",
        "timestamps/000002-1.tsr",
        "proofs/00000000.json",
    } <= names
    assert not any("private" in n for n in names)
    assert manifest["checkpoint"] == "checkpoints/000003.note" and manifest["tree_size"] == 5
    assert [e["index"] for e in manifest["entries"]] == [0, 1, 2, 3, 4]
    # README: Chinese first, then English, with the commands a third party runs
    assert readme.index("证据包说明") < readme.index("Evidence bundle (English)")
    for words in (
        "sha256sum -c SHA256SUMS",
        "python3 verify_bundle.py",
        "openssl ts -verify",
        "第11条",
        "Art. 16-18",
        manifest["origin"],
    ):
        assert words in readme


def _entry(log_dir: Path, index: int) -> bytes:
    from xiabo.evidence.log import EvidenceLog

    return EvidenceLog.open(log_dir).entry_at(index)


def test_bundled_verifier_passes_on_good_bundle(bundle, tmp_path):
    folder = _unzip(bundle, tmp_path / "x")
    res = _run_verifier(folder)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "RESULT: OK, 5 entries verified" in res.stdout
    assert "✓ #1" in res.stdout and "客服聊天.png" in res.stdout
    res = _run_verifier(bundle)  # straight from the zip too
    assert res.returncode == 0, res.stdout + res.stderr


def test_bundled_verifier_uses_only_stdlib_and_cryptography(bundle):
    import ast

    with zipfile.ZipFile(bundle) as zf:
        tree = ast.parse(zf.read("verify_bundle.py"))
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            mods.add((node.module or "").split(".")[0])
    assert mods - set(sys.stdlib_module_names) == {"cryptography"}


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum")
def test_sha256sum_checks_the_bundle(bundle, tmp_path):
    folder = _unzip(bundle, tmp_path / "s")
    res = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True, check=False
    )
    assert res.returncode == 0, res.stdout + res.stderr
    (folder / "files" / "00000002" / "receipt.pdf").write_bytes(b"forged")
    res = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True, check=False
    )
    assert res.returncode != 0 and "receipt.pdf: FAILED" in res.stdout


def _flip(path: Path, needle: bytes | None = None) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(needle) if needle else len(data) // 2
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "target,needle,words",
    [
        ("files/00000002/receipt.pdf", None, "original file changed"),
        ("leaves/00000003.json", "电话".encode(), "entry 3 is not in the signed log"),
        ("checkpoints/000002.note", b"\n4\n", "checkpoint signature invalid"),
        ("proofs/00000001.json", b'"path": [\n  "', "entry 1 is not in the signed log"),
        ("consistency/000001-000002.json", b'"path": [\n  "', "checkpoints inconsistent"),
    ],
)
def test_bundled_verifier_fails_on_tampered_bundle(bundle, tmp_path, target, needle, words):
    folder = _unzip(bundle, tmp_path / "t")
    if needle is not None and needle.endswith(b'"'):
        data = (folder / target).read_bytes()
        at = data.index(needle) + len(needle)
        ch = data[at : at + 1]
        repl = b"0" if ch != b"0" else b"1"
        (folder / target).write_bytes(data[:at] + repl + data[at + 1 :])
    else:
        _flip(folder / target, needle)
    res = _run_verifier(folder)
    assert res.returncode == 1, res.stdout + res.stderr
    assert words in res.stdout and "problem(s) found" in res.stdout


def test_bundled_verifier_fails_on_swapped_key(bundle, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from xiabo.evidence import note

    folder = _unzip(bundle, tmp_path / "k")
    name = (folder / "public_key.txt").read_text().split("+")[0]
    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    (folder / "public_key.txt").write_text(note.vkey(name, other) + "\n")
    res = _run_verifier(folder)
    assert res.returncode == 1 and "checkpoint signature invalid" in res.stdout


def test_bundle_range_and_unreadable_bundle(cli, log_dir, tmp_path):
    out = tmp_path / "part.zip"
    r = cli(
        "evidence",
        "bundle",
        "--dir",
        log_dir,
        "--out",
        out,
        "--from",
        "2",
        "--to",
        "2",
        "--lang",
        "en",
    )
    assert r.code == 0, r.err
    assert "1 original files" in r.out
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert [e["index"] for e in manifest["entries"]] == [0, 2]
        assert manifest["checkpoint"] == "checkpoints/000002.note"
        assert not any(n.startswith("files/00000001") for n in zf.namelist())
    res = _run_verifier(out)
    assert res.returncode == 0, res.stdout
    r = cli("evidence", "bundle", "--dir", log_dir, "--out", out, "--from", "3", "--to", "2")
    assert r.code == 2 and "--from" in r.err
    broken = tmp_path / "broken"
    broken.mkdir()
    with zipfile.ZipFile(out) as zf:
        (broken / "verify_bundle.py").write_bytes(zf.read("verify_bundle.py"))
    res = _run_verifier(broken)
    assert res.returncode == 1 and "bundle unreadable" in res.stdout
