"""RFC 9162 (Certificate Transparency v2) Merkle tree hashing, proofs and their verification.

Why our own: the log must be checkable by anyone with SHA-256, so the hashing is exactly the
published one (leaf = H(0x00 || d), node = H(0x01 || l || r), empty = H("")) and the proofs
agree byte for byte with other implementations (tests use the RFC 6962 reference vectors).

The proof algorithms are written once against a *subtree source*: ``get(level, index)`` gives
the hash of the perfect subtree of 2**level leaves starting at leaf ``index * 2**level``.
In memory that is a list of levels; on disk (``xiabo.evidence.tree``) it is one file per
level, so a proof for a huge log reads ~log2(n)**2 hashes and never rebuilds the tree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from hashlib import sha256

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "build_levels",
    "consistency_path",
    "consistency_proof",
    "inclusion_path",
    "inclusion_proof",
    "leaf_hash",
    "levels_getter",
    "node_hash",
    "range_hash",
    "root",
    "root_from_getter",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()

SubtreeGetter = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Interior node = SHA-256(0x01 || left || right)."""
    return sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# --------------------------------------------------------------------------- subtree sources


def build_levels(hashes: Sequence[bytes]) -> list[list[bytes]]:
    """All perfect-subtree hashes: level 0 = leaf hashes, level k+1 pairs level k."""
    levels = [list(hashes)]
    cur = levels[0]
    while len(cur) >= 2:
        nxt = [sha256(b"\x01" + cur[i] + cur[i + 1]).digest() for i in range(0, len(cur) - 1, 2)]
        levels.append(nxt)
        cur = nxt
    return levels


def levels_getter(levels: list[list[bytes]]) -> SubtreeGetter:
    """A subtree source over in-memory levels."""

    def get(level: int, index: int) -> bytes:
        return levels[level][index]

    return get


def range_hash(get: SubtreeGetter, lo: int, hi: int) -> bytes:
    """MTH(D[lo:hi]) for a range that appears in the RFC decomposition (lo aligned)."""
    n = hi - lo
    if n == 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0:  # perfect subtree: read it
        level = n.bit_length() - 1
        return get(level, lo >> level)
    k = _split(n)
    return node_hash(get((k.bit_length() - 1), lo // k), range_hash(get, lo + k, hi))


def root_from_getter(get: SubtreeGetter, size: int) -> bytes:
    """Root of the first ``size`` leaves."""
    return range_hash(get, 0, size)


def inclusion_path(get: SubtreeGetter, index: int, size: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, leaf to root."""
    if not 0 <= index < size:
        raise IndexError(f"leaf {index} not in a tree of size {size}")
    path: list[bytes] = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            path.append(range_hash(get, lo + k, hi))
            hi = lo + k
        else:
            path.append(range_hash(get, lo, lo + k))
            lo, m = lo + k, m - k
    path.reverse()
    return path


def consistency_path(get: SubtreeGetter, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1 (empty when m == 0 or m == n)."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"cannot prove {old_size} -> {new_size}")
    if old_size == 0 or old_size == new_size:
        return []
    path: list[bytes] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                path.append(range_hash(get, lo, hi))
            break
        k = _split(n)
        if m <= k:
            path.append(range_hash(get, lo + k, hi))
            hi = lo + k
        else:
            path.append(range_hash(get, lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    path.reverse()
    return path


# --------------------------------------------------------------------------- list API


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of raw leaf data; SHA-256(b"") for no leaves."""
    if not leaves:
        return EMPTY_ROOT
    # A stack of (height, hash) of perfect subtrees, merged as they complete.
    stack: list[tuple[int, bytes]] = []
    for data in leaves:
        h, height = leaf_hash(data), 0
        while stack and stack[-1][0] == height:
            h = node_hash(stack.pop()[1], h)
            height += 1
        stack.append((height, h))
    h = stack.pop()[1]
    while stack:
        h = node_hash(stack.pop()[1], h)
    return h


def _getter_for(leaves: Sequence[bytes]) -> SubtreeGetter:
    return levels_getter(build_levels([leaf_hash(d) for d in leaves]))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """Audit path for leaf ``index`` in the tree of all ``leaves``."""
    return inclusion_path(_getter_for(leaves), index, len(leaves))


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """Proof that the tree of ``leaves[:old_size]`` is a prefix of the tree of ``leaves``."""
    return consistency_path(_getter_for(leaves), old_size, len(leaves))


# --------------------------------------------------------------------------- verification


def _ok_hashes(*items: object) -> bool:
    return all(isinstance(h, (bytes, bytearray)) and len(h) == HASH_SIZE for h in items)


def verify_inclusion(
    leaf_data: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` put ``leaf_data`` at ``index`` under ``root``?"""
    return verify_inclusion_hash(leaf_hash(leaf_data), index, size, proof, root)


def verify_inclusion_hash(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """As :func:`verify_inclusion`, starting from a leaf hash."""
    if not (isinstance(index, int) and isinstance(size, int)) or not 0 <= index < size:
        return False
    if not _ok_hashes(leaf, root, *proof):
        return False
    fn, sn, r = index, size - 1, bytes(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree (old_size, old_root) a prefix of (new_size, new_root)?"""
    if not (isinstance(old_size, int) and isinstance(new_size, int)):
        return False
    if old_size < 0 or old_size > new_size or not _ok_hashes(*proof):
        return False
    if old_size == new_size:
        return len(proof) == 0 and old_root == new_root
    if old_size == 0:
        return len(proof) == 0  # the empty tree is a prefix of every tree
    if not proof or not _ok_hashes(old_root, new_root):
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
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
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
