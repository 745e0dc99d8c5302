"""RFC 6962/9162 Merkle hashing against the published reference vectors, plus properties.

Vectors: the 8 leaves, roots and proofs of the certificate-transparency reference tests
(transparency-dev/merkle proof/verify_test.go; google/certificate-transparency merkle tests).
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.evidence import merkle
from xiabo.evidence.merkle import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]
EMPTY = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def _h(*hexes: str) -> list[bytes]:
    return [bytes.fromhex(h) for h in hexes]


# (index (0-based), tree size, proof) from the reference tests (which number leaves from 1).
INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        _h(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        5,
        8,
        _h(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (2, 3, _h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
    (
        1,
        5,
        _h(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
]
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        _h(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        6,
        8,
        _h(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (
        2,
        5,
        _h(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
    (
        6,
        7,
        _h(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
]


def test_hash_definitions():
    assert root([]) == EMPTY == hashlib.sha256(b"").digest()
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )


@pytest.mark.parametrize("size", range(1, 9))
def test_reference_roots(size):
    assert root(LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize("index,size,proof", INCLUSION)
def test_reference_inclusion_proofs(index, size, proof):
    assert inclusion_proof(LEAVES[:size], index) == proof
    assert verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size - 1])


@pytest.mark.parametrize("old,new,proof", CONSISTENCY)
def test_reference_consistency_proofs(old, new, proof):
    assert consistency_proof(LEAVES[:new], old) == proof
    assert verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


@pytest.mark.parametrize("index,size,proof", [p for p in INCLUSION if p[2]])
def test_reference_inclusion_probes_fail(index, size, proof):
    """The reference tests' corruptions: wrong index, size, leaf, root, garbage, bit flips."""
    good_root, leaf = ROOTS[size - 1], LEAVES[index]
    some = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
    probes = [
        (leaf, index - 1, size, proof, good_root),
        (leaf, index + 1, size, proof, good_root),
        (leaf, index ^ 2, size, proof, good_root),
        (leaf, index, size * 2, proof, good_root),
        (leaf, index, size // 2, proof, good_root),
        (b"WrongLeaf", index, size, proof, good_root),
        (leaf, index, size, proof, EMPTY),
        (leaf, index, size, proof, some),
        (leaf, index, size, [*proof, b""], good_root),
        (leaf, index, size, [*proof, good_root], good_root),
        (leaf, index, size, [b"", *proof], good_root),
        (leaf, index, size, [good_root, *proof], good_root),
        (leaf, index, size, proof[:-1], good_root),
    ]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
        probes.append((leaf, index, size, bad, good_root))
    if len(proof) > 1:
        probes.append((leaf, index, size, [proof[0], some, *proof[1:]], good_root))
    for args in probes:
        assert not verify_inclusion(*args), args[1:3]


@pytest.mark.parametrize("old,new,proof", [p for p in CONSISTENCY if p[2]])
def test_reference_consistency_probes_fail(old, new, proof):
    r1, r2 = ROOTS[old - 1], ROOTS[new - 1]
    probes = [
        (old - 1, new, r1, r2, proof),
        (old + 1, new, r1, r2, proof),
        (old ^ 2, new, r1, r2, proof),
        (old, new * 2, r1, r2, proof),
        (old, new // 2, r1, r2, proof),
        (old, new, b"WrongRoot", r2, proof),
        (old, new, r1, b"WrongRoot", proof),
        (old, new, r2, r1, proof),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*proof, b""]),
        (old, new, r1, r2, [*proof, r1]),
        (old, new, r1, r2, [*proof, r2]),
        (old, new, r1, r2, [b"", *proof]),
        (old, new, r1, r2, [r1, *proof]),
        (old, new, r1, r2, [r2, *proof]),
        (old, new, r1, r2, [proof[0], *proof]),
        (old, new, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 16]) + bad[i][1:]
        probes.append((old, new, r1, r2, bad))
    for args in probes:
        assert not verify_consistency(*args), args[:2]


def test_consistency_edge_cases():
    r = b"r" * 32
    assert verify_consistency(0, 0, r, r, [])
    assert verify_consistency(0, 5, r, b"x" * 32, [])
    assert not verify_consistency(1, 1, r, b"x" * 32, [])
    assert not verify_consistency(2, 1, r, r, [])
    assert not verify_consistency(0, 0, EMPTY, EMPTY, [EMPTY])
    assert not verify_consistency(1, 1, EMPTY, EMPTY, [EMPTY])
    assert consistency_proof(LEAVES, 0) == [] and consistency_proof(LEAVES, 8) == []


def test_inclusion_edge_cases():
    assert not verify_inclusion(b"x", 0, 0, [], EMPTY)
    assert not verify_inclusion(b"x", 1, 1, [], leaf_hash(b"x"))
    assert verify_inclusion(b"data", 0, 1, [], leaf_hash(b"data"))
    assert not verify_inclusion(b"data", 0, 1, [], b"")
    with pytest.raises(IndexError):
        inclusion_proof(LEAVES, 8)


# ---------------------------------------------------------------------------------- properties

leaf_lists = st.lists(st.binary(max_size=12), min_size=1, max_size=70)


@settings(max_examples=120, deadline=None)
@given(leaf_lists, st.data())
def test_every_inclusion_proof_verifies_and_alterations_fail(leaves, data):
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1))
    r = root(leaves)
    proof = inclusion_proof(leaves, index)
    assert verify_inclusion(leaves[index], index, n, proof, r)
    # a different leaf, index, size or root fails
    assert not verify_inclusion(leaves[index] + b"!", index, n, proof, r)
    assert not verify_inclusion(leaves[index], index, n, proof, bytes([r[0] ^ 1]) + r[1:])
    if n > 1:
        other = data.draw(st.integers(0, n - 1).filter(lambda i: i != index))
        if leaves[other] != leaves[index]:
            assert not verify_inclusion(leaves[index], other, n, proof, r)
        assert not verify_inclusion(leaves[index], index, n * 2, proof, r)
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1))
        bit = data.draw(st.integers(0, 255))
        bad = list(proof)
        bad[i] = (
            bad[i][: bit // 8]
            + bytes([bad[i][bit // 8] ^ (1 << (bit % 8))])
            + bad[i][bit // 8 + 1 :]
        )
        assert not verify_inclusion(leaves[index], index, n, bad, r)
        assert not verify_inclusion(leaves[index], index, n, proof[:-1], r)
        assert not verify_inclusion(leaves[index], index, n, [*proof, r], r)


@settings(max_examples=120, deadline=None)
@given(leaf_lists, st.data())
def test_every_consistency_proof_verifies_and_alterations_fail(leaves, data):
    n = len(leaves)
    m = data.draw(st.integers(0, n))
    old, new = root(leaves[:m]), root(leaves)
    proof = consistency_proof(leaves, m)
    assert verify_consistency(m, n, old, new, proof)
    if 0 < m < n:
        assert proof
        assert not verify_consistency(m, n, old, bytes([new[0] ^ 1]) + new[1:], proof)
        assert not verify_consistency(m, n, bytes([old[0] ^ 1]) + old[1:], new, proof)
        i = data.draw(st.integers(0, len(proof) - 1))
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 0x40]) + bad[i][1:]
        assert not verify_consistency(m, n, old, new, bad)
        assert not verify_consistency(m, n, old, new, proof[:-1])
        assert not verify_consistency(m, n, old, new, [*proof, new])
        # a rewritten history (one old leaf changed) is not consistent
        changed = list(leaves)
        j = data.draw(st.integers(0, m - 1))
        changed[j] = changed[j] + b"x"
        assert not verify_consistency(m, n, old, root(changed), consistency_proof(changed, m))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=0, max_size=140))
def test_stack_root_matches_level_root(leaves):
    levels = merkle.build_levels([leaf_hash(x) for x in leaves]) if leaves else []
    via_levels = (
        merkle.root_from_getter(merkle.levels_getter(levels), len(leaves)) if leaves else EMPTY
    )
    assert root(leaves) == via_levels


def _recursive_root(leaves):
    """RFC 9162 §2.1.1 written literally, as an independent oracle."""
    if not leaves:
        return EMPTY
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(_recursive_root(leaves[:k]), _recursive_root(leaves[k:]))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.binary(max_size=6), min_size=0, max_size=100))
def test_root_matches_literal_definition(leaves):
    assert root(leaves) == _recursive_root(leaves)
