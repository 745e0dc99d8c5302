"""Fixtures for the evidence tests: a small log, and a tiny RFC 3161 timestamp authority.

The TSA runs on 127.0.0.1 in a thread with a self-signed certificate made by `cryptography`;
its tokens are built with asn1crypto exactly as a real TSA's would be. No test touches the
internet.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


def make_tsa_identity(kind: str = "ec"):
    """(private key, cryptography certificate) with the timeStamping extended key usage."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1()) if kind == "ec" else rsa.generate_private_key(
        public_exponent=65537, key_size=2048
    )
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xiabo test TSA")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, False, False, False),
                       critical=True)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_response(imprint_hash: bytes, nonce: int | None, key, cert, *, status: str = "granted",
                  serial: int = 1, bad_signature: bool = False) -> bytes:
    """A DER TimeStampResp over a SHA-256 message imprint, signed by (key, cert)."""
    from asn1crypto import algos, cms, core, tsp
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding

    if status != "granted":
        return tsp.TimeStampResp({"status": {"status": status}}).dump()
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    acert = ax509.Certificate.load(cert_der)
    tst = tsp.TSTInfo({
        "version": "v1",
        "policy": "1.3.6.1.4.1.99999.1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": imprint_hash},
        "serial_number": serial,
        "gen_time": datetime.now(UTC).replace(microsecond=0),
        "nonce": nonce,
        "tsa": ax509.GeneralName({"directory_name": acert.subject}),
    })
    tst_der = tst.dump()
    attrs = cms.CMSAttributes([
        {"type": "content_type", "values": ["tst_info"]},
        {"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]},
        {"type": "signing_certificate_v2",
         "values": [{"certs": [{"cert_hash": hashlib.sha256(cert_der).digest()}]}]},
    ])
    to_sign = attrs.dump()
    if hasattr(key, "curve"):
        sig = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        sig_algo = "sha256_ecdsa"
    else:
        sig = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        sig_algo = "sha256_rsa"
    if bad_signature:
        sig = sig[:-1] + bytes([sig[-1] ^ 1])
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
            "issuer": acert.issuer, "serial_number": acert.serial_number}}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "signed_attrs": attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_algo}),
        "signature": sig,
    })
    signed = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {"content_type": "tst_info",
                               "content": core.ParsableOctetString(tst_der)},
        "certificates": [acert],
        "signer_infos": [signer],
    })
    token = cms.ContentInfo({"content_type": "signed_data", "content": signed})
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


class FakeTSA:
    """State of the loopback TSA: ``mode`` picks its behaviour for the next requests."""

    def __init__(self, kind: str = "ec"):
        self.key, self.cert = make_tsa_identity(kind)
        self.mode = "good"
        self.requests = 0
        self.url = ""

    def cert_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.cert.public_bytes(serialization.Encoding.PEM)

    def answer(self, body: bytes) -> bytes:
        from asn1crypto import tsp

        self.requests += 1
        if self.mode == "garbage":
            return b"this is not DER"
        if self.mode == "rejection":
            return make_response(b"", None, self.key, self.cert, status="rejection")
        req = tsp.TimeStampReq.load(body)
        imprint = req["message_imprint"]["hashed_message"].native
        nonce = req["nonce"].native
        if self.mode == "wrong_imprint":
            imprint = hashlib.sha256(b"something else").digest()
        if self.mode == "wrong_nonce":
            nonce = (nonce or 0) + 1
        return make_response(imprint, nonce, self.key, self.cert, serial=self.requests,
                             bad_signature=self.mode == "bad_signature")


@pytest.fixture
def tsa():
    """A running loopback TSA; stopped after the test."""
    state = FakeTSA()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            data = state.answer(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/tsr"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def log_dir(tmp_path: Path, cli) -> Path:
    """An initialised log with two files, a note and two checkpoints."""
    folder = tmp_path / "log"
    r = cli("evidence", "init", "--dir", folder, "--origin", "test.example/evidence",
            "--time", "2026-11-20T09:00:00+08:00")
    assert r.code == 0, r.err
    a = tmp_path / "客服聊天.png"
    a.write_bytes(b"\x89PNG fake screenshot" * 50)
    b = tmp_path / "receipt.pdf"
    b.write_bytes(b"%PDF-1.4 receipt " * 30)
    r = cli("evidence", "add", "--dir", folder, a, b, "--kind", "chat", "--task", "T1",
            "--note", "客服拒绝退款", "--time", "2026-11-21T10:00:00+08:00")
    assert r.code == 0, r.err
    assert cli("evidence", "checkpoint", "--dir", folder).code == 0
    r = cli("evidence", "add", "--dir", folder, "--note", "电话联系客服", "--task", "T2",
            "--time", "2026-11-22T11:00:00+08:00")
    assert r.code == 0, r.err
    assert cli("evidence", "checkpoint", "--dir", folder).code == 0
    return folder
