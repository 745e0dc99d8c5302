"""The on-disk tree (level files) agrees with the in-memory RFC 9162 functions at every size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.evidence import merkle
from xiabo.evidence.tree import TreeFiles


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 37), min_size=1, max_size=8), st.data())
def test_appends_in_any_batches_match_the_list_api(tmp_path_factory, batches, data):
    folder = tmp_path_factory.mktemp("tree")
    leaves: list[bytes] = []
    with TreeFiles(folder, writable=True) as tree:
        for n in batches:
            new = [f"leaf {len(leaves) + i}".encode() for i in range(n)]
            tree.append(len(leaves), [merkle.leaf_hash(x) for x in new])
            leaves += new
            size = len(leaves)
            assert tree.root(size) == merkle.root(leaves)
            for level in range(size.bit_length()):
                assert tree.count(level) == size >> level
            index = data.draw(st.integers(0, size - 1))
            assert tree.inclusion(index, size) == merkle.inclusion_proof(leaves, index)
            old = data.draw(st.integers(0, size))
            assert tree.consistency(old, size) == merkle.consistency_proof(leaves, old)
            # any earlier size can be proven from the same files
            m = data.draw(st.integers(1, size))
            assert tree.root(m) == merkle.root(leaves[:m])
            j = data.draw(st.integers(0, m - 1))
            assert tree.inclusion(j, m) == merkle.inclusion_proof(leaves[:m], j)


def test_truncate_and_rebuild(tmp_path):
    leaves = [bytes([i]) for i in range(23)]
    hashes = [merkle.leaf_hash(x) for x in leaves]
    with TreeFiles(tmp_path, writable=True) as tree:
        tree.append(0, hashes)
        tree.truncate_to(13)  # an append that never committed
        assert tree.root(13) == merkle.root(leaves[:13])
        assert [tree.count(k) for k in range(5)] == [13, 6, 3, 1, 0]
        assert tree.intact_for(13) and not tree.intact_for(14)
        tree.append(13, hashes[13:])
        assert tree.root(23) == merkle.root(leaves)
        (tmp_path / "L01.bin").write_bytes(b"")
        assert not tree.intact_for(23)
        tree.rebuild(hashes)
        assert tree.intact_for(23) and tree.root(23) == merkle.root(leaves)
