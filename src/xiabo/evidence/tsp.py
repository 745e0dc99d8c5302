"""RFC 3161 trusted timestamps over checkpoints: request, store, verify.

Our own log proves nothing changed after an entry was logged; it cannot prove *when*.
A timestamp authority (TSA) signs "this SHA-256 existed at time T", which a court accepts as
the time of the checkpoint and so of every entry under it (人民法院在线诉讼规则 Art. 16-18).
Verification: the token's message imprint is our checkpoint's hash, and its CMS signature
verifies with the certificate inside the token (which must be a timestamping certificate and
match the signed ESS signing-certificate hash when present).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "TimestampError",
    "TokenInfo",
    "build_request",
    "request_timestamp",
    "verify_response",
]

_HASHES = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
    "sha224": hashlib.sha224,
}
TIMESTAMPING_EKU = "1.3.6.1.5.5.7.3.8"


class TimestampError(ValueError):
    """A token or TSA answer that does not prove what it should; ``reason`` is a catalogue key."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class TokenInfo:
    gen_time: datetime
    serial: int
    tsa: str
    policy: str
    nonce: int | None


def build_request(data: bytes, nonce: int | None = None) -> tuple[bytes, int]:
    """DER TimeStampReq for SHA-256(data), asking for the TSA certificate; (der, nonce)."""
    from asn1crypto import tsp

    nonce = nonce if nonce is not None else int.from_bytes(os.urandom(8), "big")
    req = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(data).digest(),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    return req.dump(), nonce


def request_timestamp(url: str, data: bytes, timeout: float = 30.0) -> tuple[bytes, TokenInfo]:
    """Ask the TSA at ``url`` to timestamp ``data``; returns (verified DER response, info)."""
    import urllib.error
    import urllib.request

    der, nonce = build_request(data)
    req = urllib.request.Request(
        url, data=der, method="POST", headers={"Content-Type": "application/timestamp-query"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read(4 << 20)
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise TimestampError("tsa_unreachable", str(getattr(err, "reason", err))) from None
    return body, verify_response(body, data, nonce=nonce)


def _load_response(der: bytes):
    from asn1crypto import core, tsp

    # asn1crypto insists on the token, which a refusal does not carry: read the status alone
    outer = core.Sequence.load(der, strict=True)
    status = tsp.PKIStatusInfo.load(outer[0].dump())["status"].native
    if status not in ("granted", "granted_with_mods"):
        raise TimestampError("tsa_refused", str(status))
    token = tsp.TimeStampResp.load(der, strict=True)["time_stamp_token"]
    if isinstance(token, core.Void):
        raise TimestampError("tsa_garbled")
    return token


def verify_response(der: bytes, data: bytes, nonce: int | None = None) -> TokenInfo:
    """Check a DER TimeStampResp covers ``data`` and is signed by the certificate it carries."""
    try:
        token = _load_response(der)
        if token["content_type"].native != "signed_data":
            raise TimestampError("tsa_garbled")
        signed = token["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise TimestampError("tsa_garbled")
        tst_der = encap["content"].contents
        tst = encap["content"].parsed
        imprint = tst["message_imprint"]
        algo = imprint["hash_algorithm"]["algorithm"].native
        if algo not in _HASHES:
            raise TimestampError("ts_algorithm", algo)
        if imprint["hashed_message"].native != _HASHES[algo](data).digest():
            raise TimestampError("ts_imprint")
        if nonce is not None and tst["nonce"].native != nonce:
            raise TimestampError("ts_nonce")
        infos = list(signed["signer_infos"])
        if len(infos) != 1:
            raise TimestampError("ts_signers")
        cert = _verify_signer(signed, infos[0], tst_der)
        gen_time = tst["gen_time"].native
        validity = cert["tbs_certificate"]["validity"]
        if not validity["not_before"].native <= gen_time <= validity["not_after"].native:
            raise TimestampError("ts_cert_expired")
        tsa = tst["tsa"]
        return TokenInfo(
            gen_time=gen_time,
            serial=tst["serial_number"].native,
            tsa=_tsa_name(tsa),
            policy=tst["policy"].dotted,
            nonce=tst["nonce"].native,
        )
    except TimestampError:
        raise
    except Exception:  # noqa: BLE001 - asn1crypto raises many kinds for malformed DER
        raise TimestampError("tsa_garbled") from None


def _find_cert(signed, sid):
    """(certificate, its exact DER bytes as received) of the signer named by ``sid``."""
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        raw = cert.dump()  # before any field access: the bytes as the TSA sent them
        if sid.name == "issuer_and_serial_number":
            ias = sid.chosen
            if cert.issuer == ias["issuer"] and cert.serial_number == ias["serial_number"].native:
                return cert, raw
        elif sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
            return cert, raw
    raise TimestampError("ts_no_cert")


def _check_signed_attrs(info, cert_der: bytes, tst_der: bytes, digest_algo: str) -> bytes:
    attrs = info["signed_attrs"]
    if not attrs:
        return tst_der  # signature directly over the content
    # [0] IMPLICIT SET OF as received (before reading it, which may re-encode defaults);
    # the signature covers it re-tagged as a SET
    signed_bytes = b"\x31" + attrs.dump()[1:]
    values = {a["type"].native: a["values"] for a in attrs}
    if "message_digest" not in values or "content_type" not in values:
        raise TimestampError("ts_attrs")
    if values["content_type"][0].native != "tst_info":
        raise TimestampError("ts_attrs")
    if values["message_digest"][0].native != _HASHES[digest_algo](tst_der).digest():
        raise TimestampError("ts_content_digest")
    if "signing_certificate_v2" in values:
        ess = values["signing_certificate_v2"][0]["certs"][0]
        algo = ess["hash_algorithm"]["algorithm"].native if ess["hash_algorithm"] else "sha256"
        if ess["cert_hash"].native != _HASHES.get(algo, hashlib.sha256)(cert_der).digest():
            raise TimestampError("ts_cert_hash")
    elif "signing_certificate" in values:
        ess = values["signing_certificate"][0]["certs"][0]
        if ess["cert_hash"].native != hashlib.sha1(cert_der).digest():
            raise TimestampError("ts_cert_hash")
    return signed_bytes


def _verify_signer(signed, info, tst_der: bytes):
    """Check the CMS signature; returns the signer's certificate."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    cert, cert_der = _find_cert(signed, info["sid"])
    digest_algo = info["digest_algorithm"]["algorithm"].native
    if digest_algo not in _HASHES:
        raise TimestampError("ts_algorithm", digest_algo)
    eku = cert.extended_key_usage_value
    if eku is None or TIMESTAMPING_EKU not in [u.dotted for u in eku]:
        raise TimestampError("ts_not_tsa_cert")
    message = _check_signed_attrs(info, cert_der, tst_der, digest_algo)
    public = x509.load_der_x509_certificate(cert_der).public_key()
    sig = info["signature"].native
    algo = info["signature_algorithm"]
    hash_cls = {
        "sha1": hashes.SHA1,
        "sha224": hashes.SHA224,
        "sha256": hashes.SHA256,
        "sha384": hashes.SHA384,
        "sha512": hashes.SHA512,
    }[digest_algo]
    try:
        if isinstance(public, rsa.RSAPublicKey):
            if algo.signature_algo == "rsassa_pss":
                params = algo["parameters"]
                pss_hash = params["hash_algorithm"]["algorithm"].native
                pad = padding.PSS(
                    padding.MGF1(
                        {
                            "sha256": hashes.SHA256(),
                            "sha384": hashes.SHA384(),
                            "sha512": hashes.SHA512(),
                        }.get(pss_hash, hashes.SHA256())
                    ),
                    params["salt_length"].native,
                )
                public.verify(sig, message, pad, hash_cls())
            else:
                public.verify(sig, message, padding.PKCS1v15(), hash_cls())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(sig, message, ec.ECDSA(hash_cls()))
        elif isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(sig, message)
        else:
            raise TimestampError("ts_algorithm", type(public).__name__)
    except InvalidSignature:
        raise TimestampError("ts_signature") from None
    return cert


def _tsa_name(general_name) -> str:
    from asn1crypto import core

    if isinstance(general_name, core.Void):
        return ""
    chosen = general_name.chosen
    return getattr(chosen, "human_friendly", None) or str(chosen.native)
