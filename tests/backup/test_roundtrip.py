"""Property: any set of file names survives create -> verify, and bagit-python agrees."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import bagit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiabo.backup import create_bag, verify_bag

from .helpers import snapshot

segment = st.text(
    alphabet=st.sampled_from(list("ab 直播录像%\n\r-_.测试😀")), min_size=1, max_size=8,
).filter(lambda s: s not in (".", "..") and s.strip() == s and not s.startswith("."))
trees = st.dictionaries(st.lists(segment, min_size=1, max_size=3).map(tuple),
                        st.binary(max_size=64), min_size=1, max_size=6)


def _write(root: Path, tree: dict[tuple[str, ...], bytes]) -> bool:
    """Write the tree; False if two entries clash (a file where a folder must be)."""
    for parts, data in tree.items():
        path = root.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                return False
            path.write_bytes(data)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            return False
    return True


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_any_names_roundtrip(tree):
    tmp = Path(tempfile.mkdtemp(prefix="xiabo-prop-"))
    try:
        src, dest = tmp / "src", tmp / "dest"
        src.mkdir(), dest.mkdir()
        if not _write(src, tree):
            return
        before = snapshot(src)
        res = create_bag([src], [dest], name="b", record=False)
        assert snapshot(src) == before
        result = verify_bag(dest / "b")
        assert result.ok, result.problems
        assert result.files == len(before)
        names = ["/".join(parts) for parts in tree]
        # bagit-python 1.9 does not decode %25, and passes re.IGNORECASE as the *count* of
        # re.sub, so it decodes at most two %0D and two %0A per name: skip those cases
        if not any("%" in n or n.count("\r") > 2 or n.count("\n") > 2 for n in names):
            bagit.Bag(str(dest / "b")).validate()
        assert res.files == len(before)
    finally:
        shutil.rmtree(tmp)
