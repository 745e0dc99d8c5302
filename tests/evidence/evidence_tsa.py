"""A tiny RFC 3161 timestamp authority for tests: self-signed cert, tokens built with asn1crypto."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_tsa_identity(kind: str = "ec", expired: bool = False):
    """(TSA private key, TSA certificate, root CA certificate), like a real TSA's chain.

    The TSA certificate carries the critical timeStamping extended key usage and is issued by
    a root (openssl insists on both); the root is what a verifier trusts.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def new_key():
        if kind == "ec":
            return ec.generate_private_key(ec.SECP256R1())
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    now = datetime.now(UTC)
    root_key, key = new_key(), new_key()
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xiabo test root CA")])
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xiabo test TSA")])
    until = now - timedelta(hours=1) if expired else now + timedelta(days=30)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=2))
        .not_valid_after(until)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    return key, cert, root


def make_response(
    imprint_hash: bytes,
    nonce: int | None,
    key,
    cert,
    *,
    status: str = "granted",
    serial: int = 1,
    bad_signature: bool = False,
) -> bytes:
    """A DER TimeStampResp over a SHA-256 message imprint, signed by (key, cert)."""
    from asn1crypto import algos, cms, core, tsp
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding

    if status != "granted":  # SEQUENCE { PKIStatusInfo { status } }, no token
        code = {"rejection": 2, "waiting": 3}[status]
        return bytes([0x30, 0x05, 0x30, 0x03, 0x02, 0x01, code])
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    acert = ax509.Certificate.load(cert_der)
    tst = tsp.TSTInfo(
        {
            "version": "v1",
            "policy": "1.3.6.1.4.1.99999.1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": imprint_hash,
            },
            "serial_number": serial,
            "gen_time": datetime.now(UTC).replace(microsecond=0),
            "nonce": nonce,
            "tsa": ax509.GeneralName({"directory_name": acert.subject}),
        }
    )
    tst_der = tst.dump()
    attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]},
            {
                "type": "signing_certificate_v2",
                "values": [{"certs": [{"cert_hash": hashlib.sha256(cert_der).digest()}]}],
            },
        ]
    )
    to_sign = attrs.dump()
    if hasattr(key, "curve"):
        sig = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        sig_algo = "sha256_ecdsa"
    else:
        sig = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        sig_algo = "sha256_rsa"
    if bad_signature:
        sig = sig[:-1] + bytes([sig[-1] ^ 1])
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": acert.issuer,
                        "serial_number": acert.serial_number,
                    }
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_algo}),
            "signature": sig,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(tst_der),
            },
            "certificates": [acert],
            "signer_infos": [signer],
        }
    )
    token = cms.ContentInfo({"content_type": "signed_data", "content": signed})
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


class FakeTSA:
    """State of the loopback TSA: ``mode`` picks its behaviour for the next requests."""

    def __init__(self, kind: str = "ec"):
        self.key, self.cert, self.root = make_tsa_identity(kind)
        self.mode = "good"
        self.requests = 0
        self.url = ""

    def cert_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.root.public_bytes(serialization.Encoding.PEM)

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
        return make_response(
            imprint,
            nonce,
            self.key,
            self.cert,
            serial=self.requests,
            bad_signature=self.mode == "bad_signature",
        )


@contextmanager
def running_tsa() -> Iterator[FakeTSA]:
    """A FakeTSA answering on 127.0.0.1 (``state.url``) in a thread; stopped on leaving."""
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
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/tsr"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
