"""Fixtures for the evidence tests: a small log, and a tiny RFC 3161 timestamp authority.

The TSA runs on 127.0.0.1 in a thread with a self-signed certificate made by `cryptography`;
its tokens are built with asn1crypto exactly as a real TSA's would be. No test touches the
internet.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # helpers import alike under any import mode
from evidence_tsa import running_tsa


@pytest.fixture
def tsa():
    """A running loopback TSA; stopped after the test."""
    with running_tsa() as state:
        yield state


@pytest.fixture
def log_dir(tmp_path: Path, cli) -> Path:
    """An initialised log with two files, a note and two checkpoints."""
    folder = tmp_path / "log"
    r = cli(
        "evidence",
        "init",
        "--dir",
        folder,
        "--origin",
        "test.example/evidence",
        "--time",
        "2026-11-20T09:00:00+08:00",
    )
    assert r.code == 0, r.err
    a = tmp_path / "客服聊天.png"
    a.write_bytes(b"\x89PNG fake screenshot" * 50)
    b = tmp_path / "receipt.pdf"
    b.write_bytes(b"%PDF-1.4 receipt " * 30)
    r = cli(
        "evidence",
        "add",
        "--dir",
        folder,
        a,
        b,
        "--kind",
        "chat",
        "--task",
        "T1",
        "--note",
        "客服拒绝退款",
        "--time",
        "2026-11-21T10:00:00+08:00",
    )
    assert r.code == 0, r.err
    assert cli("evidence", "checkpoint", "--dir", folder).code == 0
    r = cli(
        "evidence",
        "add",
        "--dir",
        folder,
        "--note",
        "电话联系客服",
        "--task",
        "T2",
        "--time",
        "2026-11-22T11:00:00+08:00",
    )
    assert r.code == 0, r.err
    assert cli("evidence", "checkpoint", "--dir", folder).code == 0
    return folder
