"""Finding 3: per-case folders are named by the case id; old stores move (0003_case_dirs)."""

from __future__ import annotations

import sqlalchemy as sa

from xiabo.cases import stored
from xiabo.paths import case_dir, case_slug, data_dir
from xiabo.store import cases as repo
from xiabo.store.case_dirs import move_case_dirs
from xiabo.store.db import Database

LOCAL = repo.Actor()
NAMES = ["b" * 179, "b" * 179 + "-x", "b" * 179 + ".y"]


def test_names_that_slug_alike_get_their_own_folders(web, profile):
    made = [stored.create_case(web.db, dict(profile, name=n), today=web.today, actor=LOCAL)
            for n in NAMES]
    assert len({c.key for c in made}) == 3
    folders = {case_dir(c.folder) for c in made}
    assert len(folders) == 3
    assert all(f.parent.name == "cases-by-id" for f in folders)
    assert not any(c.key.endswith(("-", ".")) for c in made)
    from xiabo.cases import CaseRef, gather
    from xiabo.web.features import features
    from xiabo.web.tools.bridges import add_evidence_files

    def evidence_counts(folder):  # what the plan reads of a case folder's evidence log
        return gather(CaseRef(folder=folder), None, web.today)["evidence_counts"]

    if features()["evidence"]:
        assert add_evidence_files(made[0].folder, "mcn-notice", [("a.txt", b"x")], None) == 1
        assert evidence_counts(made[0].folder)
        assert not evidence_counts(made[1].folder) and not evidence_counts(made[2].folder)


def _old_layout(db: Database, profile, today) -> list:
    made = [stored.create_case(db, dict(profile, name=n), today=today, actor=LOCAL)
            for n in [*NAMES, "甲主播"]]
    with db.write() as s:  # the keys the old code made: cut at 180, trailing "-" / "." kept
        for case, key in zip(made[1:3], ("b" * 179 + "-", "b" * 179 + "."), strict=True):
            s.execute(sa.text("UPDATE cases SET key = :k WHERE id = :i"), {"k": key, "i": case.id})
            case.key = key
    for case in made:  # what the old code wrote: cases/<case_slug(key)>
        folder = data_dir() / "cases" / case_slug(case.key) / "evidence"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"from-{case.id}.txt").write_text(str(case.id))
    _before_0003(db)
    return made


def _before_0003(db: Database) -> None:
    """As if 0003 (and what came after the merge) had not run yet; the other branches stay."""
    from alembic import command

    command.downgrade(db.alembic_config(), "0008_merge")
    with db.write() as s:
        s.execute(sa.text("DELETE FROM alembic_version"))
        for rev in ("0004_letters", "0005_opinion", "0006_pairing", "0007_drafts"):
            s.execute(sa.text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": rev})


def test_the_migration_moves_old_folders_by_id(sqlite_url, profile):
    from datetime import date

    db = Database(sqlite_url)
    made = _old_layout(db, profile, date(2026, 11, 25))
    db.upgrade()
    db.require_current()
    first, fourth = made[0], made[3]
    moved = case_dir(first.folder) / "evidence"
    assert sorted(p.name for p in moved.iterdir()) == [f"from-{c.id}.txt" for c in made[:3]]
    assert (case_dir(fourth.folder) / "evidence" / f"from-{fourth.id}.txt").exists()
    assert not (case_dir(made[1].folder)).exists()  # it shared the first case's folder
    assert not any((data_dir() / "cases").iterdir())
    # re-running changes nothing
    _before_0003(db)
    db.upgrade()
    assert (case_dir(fourth.folder) / "evidence" / f"from-{fourth.id}.txt").exists()
    db.dispose()


def test_an_interrupted_move_finishes_when_run_again(tmp_path):
    old = tmp_path / "cases"
    for name in ("one", "two"):
        (old / name / "evidence").mkdir(parents=True)
        (old / name / "evidence" / "a.txt").write_text(name)
        (old / name / "evidence" / "b.txt").write_text(name)
    rows = [(1, "one"), (2, "two")]
    # first run stopped after the first folder, and half-way through merging the second
    (tmp_path / "cases-by-id").mkdir()
    (old / "one").rename(tmp_path / "cases-by-id" / "1")
    (tmp_path / "cases-by-id" / "2" / "evidence").mkdir(parents=True)
    (old / "two" / "evidence" / "a.txt").rename(tmp_path / "cases-by-id" / "2" / "evidence" / "a.txt")
    report = move_case_dirs(rows, tmp_path)
    assert report.moved == [2] and not report.left
    for cid, name in ((1, "one"), (2, "two")):
        folder = tmp_path / "cases-by-id" / str(cid) / "evidence"
        assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "b.txt"]
        assert (folder / "b.txt").read_text() == name
    assert not any(old.iterdir())
    assert move_case_dirs(rows, tmp_path).moved == []  # and again: nothing to do


def test_web_backup_and_evidence_pages_use_the_id_folder(web, profile):
    from xiabo.web.tools.evidence import evidence_folder

    made = [stored.create_case(web.db, dict(profile, name=n), today=web.today, actor=LOCAL)
            for n in NAMES[:2]]
    folders = [evidence_folder(c) for c in made]
    assert folders[0] != folders[1]
    assert all(f.parent.parent.name == "cases-by-id" for f in folders)
    page = web.client.get(f"/cases/{made[0].id}/backup")
    assert page.status_code == 200
    assert not (data_dir() / "cases").exists() or not any((data_dir() / "cases").iterdir())
