"""write_all: atomic files, canonical order, the same PDF as export.pdf."""

from __future__ import annotations

import os

import pytest

from xiabo import export
from xiabo.export import prefetch

from .conftest import font_available


def test_written_in_canonical_order_no_temp_files(ks_plan, ks_profile, tmp_path):
    paths = export.write_all(ks_plan, ks_profile, tmp_path, only="kit,ics,docx")
    names = [p.relative_to(tmp_path).as_posix() for p in paths]
    assert names[0] == "roadmap.ics" and names[1:3] == ["解约通知函.docx", "解约通知函.md"]
    assert all(n.startswith("announcements/") for n in names[3:])
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert not leftovers
    assert oct(paths[0].stat().st_mode & 0o777) != oct(0o600)  # an ordinary file, not mkstemp's


def test_rewrite_replaces_in_place(ks_plan, ks_profile, tmp_path):
    first = export.write_all(ks_plan, ks_profile, tmp_path, only=["ics"])[0]
    first.write_bytes(b"old")
    again = export.write_all(ks_plan, ks_profile, tmp_path, only=["ics"])[0]
    assert again == first and again.read_bytes() == export.ics(ks_plan)


@pytest.mark.skipif(not font_available(), reason="no CJK font (install fonts-noto-cjk)")
def test_export_pdf_is_the_same_pdf_without_a_child(ks_plan, ks_profile, ks_pdf, tmp_path,
                                                     monkeypatch):
    """The Gantt charts are vector drawings made in-process: no chart child is forked."""
    monkeypatch.setattr(prefetch, "start", lambda *a: pytest.fail("a chart child was forked"))
    out = export.write_all(ks_plan, ks_profile, tmp_path / "a", only="pdf")
    assert out[0].read_bytes() == ks_pdf.read_bytes()


def test_cancel_reaps_the_child(ks_plan):
    if not prefetch.can_fork() or not font_available():
        pytest.skip("forking not used here, or no font")
    pending = prefetch.start(ks_plan, None)
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pending.pid, 0)
