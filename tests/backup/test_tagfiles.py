"""RFC 8493 path encoding and tag-file parsing, including property tests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xiabo.backup.tagfiles import (
    decode_path,
    encode_path,
    format_manifest,
    format_tags,
    is_unsafe_path,
    manifest_algorithm,
    parse_manifest,
    parse_tags,
)

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"),
    min_size=1, max_size=30,
).filter(lambda s: s.strip() == s and s not in (".", "..") and not s.startswith("*"))


def test_encoding_follows_rfc_8493():
    assert encode_path("data/a%b.txt") == "data/a%25b.txt"
    assert encode_path("data/line\nfeed\r.txt") == "data/line%0Afeed%0D.txt"
    # spaces and Chinese stay as they are (UTF-8), only %, CR, LF are encoded
    assert encode_path("data/第 1 场.mp4") == "data/第 1 场.mp4"
    assert encode_path("data/100%0A") == "data/100%250A"
    assert decode_path("data/100%250A") == "data/100%0A"


def test_bagit_097_decoding_keeps_percent_literal():
    assert decode_path("data/a%25b", (0, 97)) == "data/a%25b"
    assert decode_path("data/a%0ab%0D", (0, 97)) == "data/a\nb\r"


@given(st.lists(names, min_size=1, max_size=4))
def test_encode_decode_roundtrip(parts):
    path = "data/" + "/".join(parts)
    assert decode_path(encode_path(path)) == path
    assert "\n" not in encode_path(path) and "\r" not in encode_path(path)


@given(st.dictionaries(st.lists(names, min_size=1, max_size=3).map(lambda p: "data/" + "/".join(p)),
                       st.from_regex(r"[0-9a-f]{64}", fullmatch=True), max_size=8))
def test_manifest_roundtrip(entries):
    parsed = parse_manifest(format_manifest(entries))
    assert parsed.errors == []
    assert parsed.entries == entries


def test_manifest_parsing_details():
    text = (
        "AAAA  data/第 1 场.mp4\r\n"          # CRLF line ending, upper-case digest
        "bbbb\tdata/trailing space \n"       # tab separator, trailing space kept
        "cccc *data/star.bin\n"               # md5sum binary-mode marker
        "# a comment\n\n"
        "not a line\n"
        "dddd  ../etc/passwd\n"
        "eeee  data/x\n"
        "ffff  data/x\n"
    )
    parsed = parse_manifest(text)
    assert parsed.entries == {
        "data/第 1 场.mp4": "aaaa",
        "data/trailing space ": "bbbb",
        "data/star.bin": "cccc",
        "data/x": "eeee",
    }
    kinds = [kind for _no, kind, _text in parsed.errors]
    assert kinds == ["malformed", "unsafe", "conflict"]


def test_unsafe_paths():
    for bad in ("/etc/passwd", "data/../../x", "C:/x", "..", "\\\\server\\x"):
        assert is_unsafe_path(bad), bad
    assert not is_unsafe_path("data/a..b/c")


def test_manifest_names():
    assert manifest_algorithm("manifest-sha256.txt") == (False, "sha256")
    assert manifest_algorithm("tagmanifest-MD5.txt") == (True, "md5")
    assert manifest_algorithm("bag-info.txt") is None


def test_tags_fold_and_unfold():
    text = format_tags([("External-Description", "第一行\n第二行"), ("Payload-Oxum", "10.2")])
    assert text == "External-Description: 第一行\n  第二行\nPayload-Oxum: 10.2\n"
    tags, bad = parse_tags(text)
    assert bad == []
    assert tags == [("External-Description", "第一行\n第二行"), ("Payload-Oxum", "10.2")]


@given(st.lists(st.tuples(st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True),
                          st.lists(st.text(alphabet=st.characters(
                              blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                              max_size=20).map(str.strip).filter(bool), min_size=1,
                              max_size=3).map("\n".join)), max_size=6))
def test_tags_roundtrip(tags):
    parsed, bad = parse_tags(format_tags(tags))
    assert bad == []
    assert parsed == tags


def test_bad_tag_lines_are_reported():
    tags, bad = parse_tags("Good: yes\nno colon here\n")
    assert tags == [("Good", "yes")]
    assert bad == [(2, "no colon here")]
