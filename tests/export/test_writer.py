"""write_all: atomic files, canonical order, the same PDF as export.pdf."""

from __future__ import annotations

from xiabo import export


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


