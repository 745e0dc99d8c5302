#!/usr/bin/env python3
"""Check an evidence bundle made by `xiabo evidence bundle` / 核验 xiabo 证据包.

Needs only Python 3.8+ and the `cryptography` package (pip install cryptography).
Usage / 用法:  python3 verify_bundle.py [BUNDLE_FOLDER_OR_ZIP]   (default: this script's folder)

It checks / 它检查: the signing key, every checkpoint signature (C2SP signed note, Ed25519),
that checkpoints only ever grew (RFC 9162 consistency proofs), each entry's inclusion proof
under the final checkpoint, and that every original file matches the SHA-256 in its entry.
Exit code 0 = all good / 全部通过; 1 = a problem was found / 发现问题.
"""
# This file is copied verbatim into every bundle: it must stay standalone (stdlib + cryptography).

import base64
import hashlib
import json
import os
import sys
import zipfile

H = 32


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(leaf, index, size, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size or any(len(p) != H for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m, n, old_root, new_root, proof):
    """RFC 9162 section 2.1.4.2."""
    if m < 0 or m > n or any(len(p) != H for p in proof):
        return False
    if m == n:
        return not proof and old_root == new_root
    if m == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if m & (m - 1) == 0:
        path.insert(0, old_root)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def key_hash(name, pub):
    return hashlib.sha256(name.encode("utf-8") + b"\n\x01" + pub).digest()[:4]


def open_note(data, name, pub):
    """Verify a C2SP signed note signed by (name, pub); return its text or None."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    text = data.decode("utf-8")
    i = text.rfind("\n\n")
    if i < 0 or not text.endswith("\n"):
        return None
    body, ok = text[: i + 1], False
    for line in text[i + 2 : -1].split("\n"):
        if not line.startswith("\u2014 "):
            return None
        who, _, blob = line[2:].partition(" ")
        raw = base64.b64decode(blob, validate=True)
        if who == name and raw[:4] == key_hash(name, pub):
            try:
                Ed25519PublicKey.from_public_bytes(pub).verify(raw[4:], body.encode("utf-8"))
            except (InvalidSignature, ValueError):
                return None
            ok = True
    return body if ok else None


class Bundle:
    def __init__(self, where):
        self.zip = zipfile.ZipFile(where) if zipfile.is_zipfile(where) else None
        self.root = where

    def read(self, name):
        if self.zip is not None:
            return self.zip.read(name)
        with open(os.path.join(self.root, *name.split("/")), "rb") as fh:
            return fh.read()

    def names(self):
        if self.zip is not None:
            return [n for n in self.zip.namelist() if not n.endswith("/")]
        out = []
        for folder, _, files in os.walk(self.root):
            for f in files:
                out.append(os.path.relpath(os.path.join(folder, f), self.root).replace(os.sep, "/"))
        return out


def main(argv):
    where = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    b = Bundle(where)
    problems = []

    def bad(zh, en):
        problems.append(zh + " / " + en)
        print("  ✗ " + zh + " / " + en)

    manifest = json.loads(b.read("manifest.json"))
    name, kh, key = b.read("public_key.txt").decode().strip().split("+", 2)
    pub = base64.b64decode(key)[1:]
    if key_hash(name, pub).hex() != kh or base64.b64decode(key)[:1] != b"\x01":
        bad("公钥文件的指纹不符", "public key hash does not match")
    print("日志 / log: " + manifest["origin"])
    print("公钥 / key: " + kh)

    # 1. Checkpoints: signed, same log, and each consistent with the one before.
    checkpoints = {}
    for cp_name in manifest["checkpoints"]:
        body = open_note(b.read(cp_name), name, pub)
        if body is None:
            bad("检查点签名无效：" + cp_name, "checkpoint signature invalid: " + cp_name)
            continue
        lines = body.split("\n")
        if lines[0] != manifest["origin"]:
            bad("检查点属于别的日志：" + cp_name, "checkpoint is from another log: " + cp_name)
            continue
        checkpoints[cp_name] = (int(lines[1]), base64.b64decode(lines[2]))
        print(f"  ✓ 检查点签名有效 / checkpoint signed: {cp_name} (size {lines[1]})")
    for item in manifest["consistency"]:
        proof = json.loads(b.read(item["proof"]))
        old, new = checkpoints.get(item["old"]), checkpoints.get(item["new"])
        path = [bytes.fromhex(h) for h in proof["path"]]
        if (
            old is None
            or new is None
            or not verify_consistency(old[0], new[0], old[1], new[1], path)
        ):
            bad(
                "检查点前后不一致（日志被改写过）：{} → {}".format(item["old"], item["new"]),
                "checkpoints inconsistent (log rewritten): {} -> {}".format(
                    item["old"], item["new"]
                ),
            )
        else:
            print("  ✓ 一致性证明 / consistent: {} → {}".format(item["old"], item["new"]))

    final = checkpoints.get(manifest["checkpoint"])
    if final is None:
        bad("缺少有效的最终检查点", "no valid final checkpoint")
        final = (0, b"")
    size, root = final

    # 2. Entries: inclusion under the final checkpoint, and the original files' hashes.
    for item in manifest["entries"]:
        index = item["index"]
        data = b.read(item["leaf"])
        proof = json.loads(b.read(item["proof"]))
        path = [bytes.fromhex(h) for h in proof["path"]]
        if proof.get("tree_size") != size or not verify_inclusion(
            leaf_hash(data), index, size, path, root
        ):
            bad(
                f"第 {index} 条不在已签名的日志中（或被改动）",
                f"entry {index} is not in the signed log (or was changed)",
            )
            continue
        entry = json.loads(data)
        if index == 0:
            if (
                entry.get("public_key") != base64.b64encode(pub).decode()
                or entry.get("origin") != name
            ):
                bad(
                    "第 0 条（日志出生记录）与公钥不符",
                    "entry 0 (log birth record) does not match the key",
                )
            continue
        if entry.get("sha256"):
            try:
                content = b.read(item["file"])
            except (KeyError, OSError, TypeError):
                bad(f"第 {index} 条的原始文件缺失", f"entry {index}: original file missing")
                continue
            if (
                hashlib.sha256(content).hexdigest() != entry["sha256"]
                or len(content) != entry["size"]
            ):
                bad(
                    f"第 {index} 条的原始文件被改动：{item['file']}",
                    f"entry {index}: original file changed: {item['file']}",
                )
                continue
        what = entry.get("file") or (entry.get("note") or "")[:40]
        print(f"  ✓ #{index} {entry.get('time')} {entry.get('kind')} {what}")

    # 3. The checksum list a person can also check with `sha256sum -c SHA256SUMS`.
    for line in b.read("SHA256SUMS").decode("utf-8").splitlines():
        digest, _, fname = line.partition("  ")
        try:
            if hashlib.sha256(b.read(fname)).hexdigest() != digest:
                bad("校验和不符：" + fname, "checksum mismatch: " + fname)
        except (KeyError, OSError):
            bad("文件缺失：" + fname, "file missing: " + fname)

    if manifest.get("timestamps"):
        print(
            "时间戳可用 openssl ts -verify 另行核验，见 README / "
            "check timestamps with openssl ts -verify, see README"
        )
    if problems:
        print(f"结果：发现 {len(problems)} 个问题 / RESULT: {len(problems)} problem(s) found")
        return 1
    count = len(manifest["entries"])
    print(f"结果：全部通过，{count} 条记录 / RESULT: OK, {count} entries verified")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as err:
        print(f"结果：证据包无法读取 / RESULT: bundle unreadable: {err}")
        sys.exit(1)
