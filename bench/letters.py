"""Agency bulk follow-up: draft reminders for 1,000 cases' overdue letters (goal < 5 s).

Sets up a SQLite store with 1,000 cases, each with one personal-information copy request sent
and overdue by ``today``, then times the dashboard's bulk action (``bulk_followups``): render
the follow-up (Markdown and Word), store it, move the clock, log the proof in each case's
evidence log. Prints the figure as the last line.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

N = int(os.environ.get("BENCH_LETTERS_CASES", "1000"))
TODAY = date(2026, 11, 2)
LATER = date(2026, 12, 20)


def main() -> None:
    from tests.helpers import base_profile

    from xiabo.cases import stored
    from xiabo.cases.letter_store import DbStore
    from xiabo.letters.model import Event, Letter
    from xiabo.rules import load_rulebook
    from xiabo.store import cases as repo
    from xiabo.store.db import Database
    from xiabo.web.letters.pages import bulk_followups

    tmp = Path(tempfile.mkdtemp(prefix="xiabo-bench-letters-"))
    os.environ["XIABO_HOME"] = str(tmp / "home")
    db = Database(f"sqlite:///{tmp / 'bench.sqlite3'}")
    db.upgrade()
    actor = repo.Actor()
    book = load_rulebook()
    t0 = time.perf_counter()
    ids = []
    for i in range(N):
        case = stored.create_case(db, base_profile(name=f"主播{i:04d}"), today=TODAY, actor=actor)
        letter = Letter("pi-copy-1", "pi-copy", "zh", "kuaishou", f"主播{i:04d}", TODAY,
                        state="sent", sent_on=TODAY, via="post", tracking=f"EMS{i:09d}",
                        due=date(2026, 12, 2), due_rule="common.letters.reply_days.pi_request",
                        events=[Event("drafted", TODAY), Event("sent", TODAY, "post",
                                                               f"EMS{i:09d}")])
        with DbStore(db, case.id) as store:
            store.save(letter)
        ids.append(case.id)
    setup = time.perf_counter() - t0
    print(f"setup: {N} cases with an overdue letter in {setup:.1f} s")
    t0 = time.perf_counter()
    n = bulk_followups(db, ids, actor, LATER, book=book)
    elapsed = time.perf_counter() - t0
    assert n == N, n
    print(f"bulk follow-up on {N} cases: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
