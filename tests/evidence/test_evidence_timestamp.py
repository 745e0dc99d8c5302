"""RFC 3161 timestamps from a loopback TSA: request, store, log, verify (and openssl agrees)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import threading

import pytest
from evidence_tsa import make_response, make_tsa_identity

from xiabo.evidence import tsp
from xiabo.evidence.log import EvidenceLog
from xiabo.evidence.verify import verify_log


def test_timestamp_stores_and_logs_token(cli, log_dir, tsa):
    r = cli("evidence", "timestamp", "--dir", log_dir, "--tsa", tsa.url, "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["checkpoint_seq"] == 2 and not out["checkpoint_created"]
    assert "xiabo test TSA" in out["tsa"]
    token = log_dir / "timestamps" / "000002-1.tsr"
    assert out["file"] == str(token)
    cp = (log_dir / "checkpoints" / "000002.note").read_bytes()
    info = tsp.verify_response(token.read_bytes(), cp)
    assert info.serial == 1
    # the token is itself an entry: kind timestamp, its SHA-256 logged
    log = EvidenceLog.open(log_dir)
    last = json.loads(log.entry_at(log.head().size - 1))
    assert last["kind"] == "timestamp" and last["file"] == "000002-1.tsr"
    assert last["sha256"] == hashlib.sha256(token.read_bytes()).hexdigest()
    rep = verify_log(log_dir)
    assert rep.ok and rep.timestamps == 1
    assert [n.key for n in rep.notices] == ["timestamp_ok"]
    human = cli("evidence", "verify", "--dir", log_dir)
    assert "时间戳机构" in human.out and "000002.note" in human.out


def test_timestamp_checkpoints_first_when_log_grew(cli, log_dir, tsa):
    cli("evidence", "add", "--dir", log_dir, "--note", "新记录")
    r = cli("evidence", "timestamp", "--dir", log_dir, "--tsa", tsa.url, "--lang", "en")
    assert r.code == 0, r.err
    assert "checkpoint #3 was made first" in r.out and "existed at" in r.out
    assert (log_dir / "timestamps" / "000003-1.tsr").exists()
    r = cli("evidence", "timestamp", "--dir", log_dir, "--tsa", tsa.url, "--json")
    # the first token's own entry grew the log, so a fresh checkpoint covers it
    assert json.loads(r.out)["checkpoint_seq"] == 4
    assert verify_log(log_dir).ok


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_openssl_accepts_our_stored_token(cli, log_dir, tsa, tmp_path):
    assert cli("evidence", "timestamp", "--dir", log_dir, "--tsa", tsa.url).code == 0
    ca = tmp_path / "tsa.pem"
    ca.write_bytes(tsa.cert_pem())
    cmd = [
        "openssl",
        "ts",
        "-verify",
        "-data",
        str(log_dir / "checkpoints" / "000002.note"),
        "-in",
        str(log_dir / "timestamps" / "000002-1.tsr"),
        "-CAfile",
        str(ca),
    ]
    res = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=30)
    assert "Verification: OK" in res.stdout, res.stdout + res.stderr
    other = tmp_path / "other.note"
    other.write_bytes(b"not the checkpoint\n")
    cmd[3] = str(other)
    res = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=30)
    assert "Verification: OK" not in res.stdout


@pytest.mark.parametrize(
    "mode,code,words",
    [
        ("wrong_imprint", 1, "不是针对这个检查点"),
        ("wrong_nonce", 1, "随机数不符"),
        ("bad_signature", 1, "签名无效"),
        ("rejection", 2, "拒绝了请求"),
        ("garbage", 1, "看不懂"),
    ],
)
def test_bad_tsa_answers_are_refused_and_nothing_stored(cli, log_dir, tsa, mode, code, words):
    tsa.mode = mode
    r = cli("evidence", "timestamp", "--dir", log_dir, "--tsa", tsa.url)
    assert r.code == code, r.err
    assert words in r.err and tsa.url in r.err
    assert not (log_dir / "timestamps").exists() or not any((log_dir / "timestamps").iterdir())
    assert EvidenceLog.open(log_dir).head().size == 4


def test_unreachable_tsa(cli, log_dir):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = cli(
        "evidence",
        "timestamp",
        "--dir",
        log_dir,
        "--tsa",
        f"http://127.0.0.1:{port}/",
        "--timeout",
        "3",
    )
    assert r.code == 2 and "连不上时间戳机构" in r.err


@pytest.mark.parametrize("kind", ["ec", "rsa"])
def test_verify_response_checks_imprint_signature_and_cert(kind):
    key, cert, _ = make_tsa_identity(kind)
    data = b"checkpoint bytes\n"
    der = make_response(hashlib.sha256(data).digest(), 42, key, cert)
    info = tsp.verify_response(der, data, nonce=42)
    assert info.nonce == 42 and "xiabo test TSA" in info.tsa
    with pytest.raises(tsp.TimestampError) as err:
        tsp.verify_response(der, data + b"x")
    assert err.value.reason == "ts_imprint"
    with pytest.raises(tsp.TimestampError) as err:
        tsp.verify_response(der, data, nonce=43)
    assert err.value.reason == "ts_nonce"
    bad = make_response(hashlib.sha256(data).digest(), 42, key, cert, bad_signature=True)
    with pytest.raises(tsp.TimestampError) as err:
        tsp.verify_response(bad, data)
    assert err.value.reason == "ts_signature"
    # a token signed by another key but carrying this certificate fails too
    other_key, _, _ = make_tsa_identity(kind)
    forged = make_response(hashlib.sha256(data).digest(), 42, other_key, cert)
    with pytest.raises(tsp.TimestampError) as err:
        tsp.verify_response(forged, data)
    assert err.value.reason == "ts_signature"
    with pytest.raises(tsp.TimestampError):
        tsp.verify_response(b"\x30\x03\x02\x01\x00", data)


def test_token_from_an_expired_certificate_is_refused():
    key, cert, _ = make_tsa_identity("ec", expired=True)
    data = b"checkpoint\n"
    der = make_response(hashlib.sha256(data).digest(), 1, key, cert)
    with pytest.raises(tsp.TimestampError) as err:
        tsp.verify_response(der, data)
    assert err.value.reason == "ts_cert_expired"


def test_build_request_is_rfc3161_sha256():
    from asn1crypto import tsp as atsp

    der, nonce = tsp.build_request(b"abc", nonce=7)
    req = atsp.TimeStampReq.load(der)
    assert req["version"].native == "v1" and req["nonce"].native == 7 == nonce
    assert req["cert_req"].native is True
    assert req["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    assert req["message_imprint"]["hashed_message"].native == hashlib.sha256(b"abc").digest()


def test_tsa_fixture_stops(tsa):
    assert tsa.url.startswith("http://127.0.0.1:")
    assert threading.active_count() >= 1
