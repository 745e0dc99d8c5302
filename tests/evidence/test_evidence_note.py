"""C2SP signed notes: byte-for-byte agreement with the Go sumdb/note reference example."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from xiabo.evidence import note

# golang.org/x/mod/sumdb/note documentation example (also in its note_test.go)
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_SIG = (
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
)
GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann " + GO_SIG + "\n"
# transparency-dev/formats test key whose base64 contains a '+'
PLUS_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"


def _go_signer() -> Ed25519PrivateKey:
    raw = base64.b64decode(GO_SKEY.split("+", 4)[4])
    assert raw[0] == 1
    return Ed25519PrivateKey.from_private_bytes(raw[1:])


def test_go_verifier_key_parses_and_key_hash_matches():
    name, pub = note.parse_vkey(GO_VKEY)
    assert name == "PeterNeumann" and note.key_hash(name, pub).hex() == "c74f20a3"
    assert note.vkey(name, pub) == GO_VKEY
    name, pub = note.parse_vkey(PLUS_VKEY)
    assert name == "TEST" and note.vkey(name, pub) == PLUS_VKEY


def test_signing_reproduces_the_go_example_byte_for_byte():
    signed = note.sign_note(GO_TEXT, "PeterNeumann", _go_signer())
    assert signed == GO_NOTE


def test_open_go_note_and_reject_changes():
    _, pub = note.parse_vkey(GO_VKEY)
    assert note.open_note(GO_NOTE.encode(), "PeterNeumann", pub) == GO_TEXT
    with pytest.raises(note.NoteError) as err:
        note.open_note(GO_NOTE.replace("problem,", "problem;").encode(), "PeterNeumann", pub)
    assert err.value.reason == "note_signature"
    # a signature by someone else is ignored, but ours must be there
    other = GO_TEXT + "\n\u2014 Witness AAAAAAAAAAA=\n"
    with pytest.raises(note.NoteError) as err:
        note.open_note(other.encode(), "PeterNeumann", pub)
    assert err.value.reason == "note_unsigned"
    both = GO_NOTE + "\u2014 Witness AAAAAAAAAAA=\n"
    assert note.open_note(both.encode(), "PeterNeumann", pub) == GO_TEXT
    for bad in (
        GO_TEXT,
        GO_NOTE.replace("\u2014", "--"),
        GO_NOTE[:-1],
        GO_NOTE.replace(GO_SIG, GO_SIG[:-2] + "N="),  # non-canonical base64 spelling
        "\xff".join(GO_NOTE.split("\n", 1)),
    ):
        with pytest.raises(note.NoteError):
            note.open_note(bad.encode("utf-8", "surrogateescape"), "PeterNeumann", pub)


@pytest.mark.parametrize(
    "bad",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong hash
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpcNQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # not type 0x01
        "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
    ],
)
def test_bad_verifier_keys(bad):
    with pytest.raises(note.NoteError):
        note.parse_vkey(bad)


def test_checkpoint_text_roundtrip_and_strictness():
    root = bytes(range(32))
    body = note.checkpoint_body("example.com/log", 12, root)
    assert body == f"example.com/log\n12\n{base64.b64encode(root).decode()}\n"
    cp = note.parse_checkpoint(body)
    assert (cp.origin, cp.size, cp.root, cp.extensions) == ("example.com/log", 12, root, ())
    ext = note.parse_checkpoint(body + "extension line\n")
    assert ext.extensions == ("extension line",)
    for bad in (
        body.replace("\n12\n", "\n012\n"),
        body.replace("\n12\n", "\n-1\n"),
        body[:-1],
        body.replace("=", ""),
        "example.com/log\n12\n",
    ):
        with pytest.raises(note.NoteError):
            note.parse_checkpoint(bad)


def test_sign_rejects_bad_text_and_names():
    key = Ed25519PrivateKey.generate()
    for body, name in (
        ("no newline", "a"),
        ("a\n\nb\n", "a"),
        ("ok\n", "has space"),
        ("ok\n", "has+plus"),
        ("ok\n", ""),
    ):
        with pytest.raises(note.NoteError):
            note.sign_note(body, name, key)
