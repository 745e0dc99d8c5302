"""Concurrent letter steps (issue 20, high): twenty simultaneous identical and conflicting steps
on one letter leave one letter state and exactly one set of evidence entries per accepted step,
on the CLI's files, on SQLite and on PostgreSQL. A repeat answers with the first result; a
conflicting "sent" is refused in words."""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from datetime import date

import pytest
import yaml

from tests.db_fixtures import ROOT
from xiabo.errors import UserError

D0 = date(2026, 10, 1)
LATE = date(2026, 12, 20)  # the pi-copy letter sent on 10-01 is overdue by then


def _profile():
    from xiabo.roadmap.profile import profile_from_dict

    return profile_from_dict(yaml.safe_load((ROOT / "examples" / "kuaishou.yaml")
                                            .read_text(encoding="utf-8")))


def _book():
    from xiabo import load_rulebook

    return load_rulebook()


@contextmanager
def _store(kind: str, tmp_path, request):
    if kind == "files":
        from xiabo.letters.store import FileStore

        yield FileStore(tmp_path / "letters")
        return
    if kind == "sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        from tests.db_fixtures import _truncate

        url = request.getfixturevalue("pg_server")
        _truncate(url)
    from xiabo.cases import stored
    from xiabo.cases.letter_store import DbStore
    from xiabo.store import cases as repo
    from xiabo.store.db import Database

    db = Database(url)
    profile = yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))
    case = stored.create_case(db, profile, today=D0, actor=repo.Actor())

    local = threading.local()

    class PerThread:
        """Each thread its own DbStore (as each web request has), on one database."""

        def __getattr__(self, name):
            if not hasattr(local, "store"):
                local.store = DbStore(db, case.id)
            return getattr(local.store, name)

    try:
        yield PerThread()
    finally:
        db.dispose()


def _race(n: int, work) -> list:
    """Run ``work(i)`` in ``n`` threads released at once; each result or the UserError."""
    barrier = threading.Barrier(n)
    out: list = [None] * n

    def run(i):
        barrier.wait()
        try:
            out[i] = work(i)
        except UserError as err:
            out[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def _check_proof(folder, letter):
    """Every logged entry of the letter belongs to exactly one recorded event, and back."""
    from xiabo.evidence import entries_for_task
    from xiabo.evidence.verify import verify_log

    assert verify_log(folder).ok
    logged = [e["index"] for e in entries_for_task(folder, f"letter-{letter.id}")]
    claimed = [i for e in letter.events for i in e.evidence]
    assert sorted(claimed) == sorted(logged)
    assert len(set(claimed)) == len(claimed)
    return entries_for_task(folder, f"letter-{letter.id}")


@pytest.mark.parametrize("kind", ["files", "sqlite", "postgresql"])
def test_twenty_simultaneous_steps_leave_one_state_and_one_proof_each(kind, tmp_path, request):
    from xiabo.letters import service

    book, profile = _book(), _profile()
    proof = service.Proof(tmp_path / "evidence")
    with _store(kind, tmp_path, request) as store:
        letter = service.draft(store, "pi-copy", profile, book, today=D0, lang="zh")

        # 10 identical "sent" (A) against 10 identical but different ones (B)
        def sent(i):
            a = i % 2 == 0
            return service.mark_sent(store, letter.id, on=D0 if a else date(2026, 10, 2),
                                     today=date(2026, 10, 2), book=book,
                                     via="post" if a else "email",
                                     tracking="EMS100" if a else "SF200", proof=proof)

        results = _race(20, sent)
        done = [r for r in results if not isinstance(r, UserError)]
        refused = [r for r in results if isinstance(r, UserError)]
        assert done and len(done) + len(refused) == 20
        winner = done[0].events[-1]
        assert all(r.events[-1].tracking == winner.tracking for r in done)  # repeats: the first
        assert len(done) == 10 and len(refused) == 10  # the losing group, refused as a whole
        assert {r.key for r in refused} == {"letters.err.already_sent"}
        said = refused[0].render("zh")
        assert winner.tracking in said and winner.on.isoformat() in said and "{" not in said
        assert winner.tracking in refused[0].render("en")

        now = store.load(letter.id)
        assert [e.step for e in now.events] == ["drafted", "sent"]
        assert now.state == "sent" and now.tracking == winner.tracking
        entries = _check_proof(proof.folder, now)
        assert sum(1 for e in entries if winner.tracking in (e.get("note") or "")) == 1

        # overdue: 20 at once of follow-up, reply and close (and their repeats)
        reply_on = date(2026, 12, 19)

        def mixed(i):
            if i % 3 == 0:
                return service.follow_up(store, letter.id, profile, book, today=LATE,
                                         proof=proof)
            if i % 3 == 1:
                return service.add_reply(store, letter.id, on=reply_on, today=LATE, proof=proof)
            return service.close(store, letter.id, today=LATE, proof=proof)

        results = _race(20, mixed)
        now = store.load(letter.id)
        steps = [e.step for e in now.events][2:]
        counts = Counter(steps)
        assert all(n == 1 for n in counts.values()), steps  # each step once, repeats absorbed
        final = {"followup": "followed_up", "reply": "answered", "closed": "closed"}
        assert now.state == final[steps[-1]]  # the letter says what the log's last step says
        _check_proof(proof.folder, now)
        for r in results:
            assert isinstance(r, UserError) and r.key.startswith("letters.err.cannot_") or (
                not isinstance(r, UserError) and r.events[-1].step in counts)


def test_a_repeated_step_logs_nothing_and_answers_with_the_first(tmp_path):
    from xiabo.evidence import entries_for_task
    from xiabo.letters import service
    from xiabo.letters.store import FileStore

    book, profile = _book(), _profile()
    store, proof = FileStore(tmp_path / "letters"), service.Proof(tmp_path / "evidence")
    letter = service.draft(store, "pi-copy", profile, book, today=D0, lang="en")
    first = service.mark_sent(store, letter.id, on=D0, today=D0, book=book, via="post",
                              tracking="EMS1", proof=proof)
    n = len(entries_for_task(proof.folder, f"letter-{letter.id}"))
    again = service.mark_sent(store, letter.id, on=D0, today=D0, book=book, via="post",
                              tracking="EMS1", proof=proof)
    assert again.events == first.events
    assert len(entries_for_task(proof.folder, f"letter-{letter.id}")) == n
    # after a follow-up the reminder is sent once; sending that round again with other details
    # is refused (it used to log a second, contradictory "sent")
    service.follow_up(store, letter.id, profile, book, today=LATE, proof=proof)
    service.mark_sent(store, letter.id, on=LATE, today=LATE, book=book, via="email",
                      proof=proof)
    with pytest.raises(UserError) as err:
        service.mark_sent(store, letter.id, on=LATE, today=LATE, book=book, via="post",
                          tracking="EMS2", proof=proof)
    assert err.value.key == "letters.err.already_sent"
    assert "2026-12-20" in err.value.render("en")
    assert [e.step for e in store.load(letter.id).events] == [
        "drafted", "sent", "followup", "sent"]
    # closing twice is one close
    service.close(store, letter.id, today=LATE, proof=proof)
    service.close(store, letter.id, today=LATE, proof=proof)
    closed = store.load(letter.id)
    assert [e.step for e in closed.events].count("closed") == 1
    _check_proof(proof.folder, closed)


def test_two_drafts_at_once_get_two_letters(tmp_path):
    from xiabo.letters import service
    from xiabo.letters.store import FileStore

    book, profile = _book(), _profile()
    store = FileStore(tmp_path / "letters")
    made = _race(8, lambda i: service.draft(store, "pi-copy", profile, book, today=D0,
                                            lang="zh"))
    assert sorted(m.id for m in made) == sorted(f"pi-copy-{i}" for i in range(1, 9))
    assert len(store.all()) == 8


def test_simultaneous_cli_runs_take_turns_on_the_letters_folder(tmp_path):
    """Six ``xiabo letters sent`` processes at once (the CLI's files, a real file lock):
    one "sent" on the record and in the log; the identical runs answer like the first, the
    conflicting ones exit 2 in words."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import EXAMPLES, run_cli

    profile = tmp_path / "profile.yaml"
    shutil.copy(EXAMPLES / "douyin.yaml", profile)
    lid = run_cli("letters", "new", "pi-deletion", str(profile), "--today", "2026-10-01"
                  ).out.strip()
    ev = tmp_path / "ev"

    def start(i):
        a = i % 2 == 0
        return subprocess.Popen(
            [sys.executable, "-m", "xiabo", "letters", "sent", lid, str(profile),
             "--on", "2026-10-01" if a else "2026-10-02", "--via", "post" if a else "email",
             "--tracking", "EMS1" if a else "SF2", "--today", "2026-10-02",
             "--evidence", str(ev)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "XIABO_LANG": "zh"})

    procs = [start(i) for i in range(6)]
    results = [(p.wait(120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0] * 3 + [2] * 3, results
    assert all("已经记录为" in err for code, err in results if code == 2)
    from xiabo.letters.store import FileStore, default_dir

    letter = FileStore(default_dir(profile)).load(lid)
    assert [e.step for e in letter.events] == ["drafted", "sent"]
    _check_proof(ev, letter)
