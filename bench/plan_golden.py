"""Plans stay byte-identical across speed work: dump or compare ``plan.to_dict()`` JSON.

Plans 500 varied profiles from ``bench/plan_throughput.py``'s generator (both languages, a
few ``today`` values, some with progress) and hashes each JSON document.

Usage: python bench/plan_golden.py dump FILE | check FILE | full FILE (the JSON documents, to diff)
(last line: the verdict)
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_throughput import profiles  # noqa: E402

import xiabo  # noqa: E402
from xiabo.errors import UserError  # noqa: E402
from xiabo.roadmap.assemble import build_plan  # noqa: E402
from xiabo.roadmap.profile import profile_from_dict  # noqa: E402

TODAYS = (date(2026, 11, 25), date(2026, 3, 2), date(2027, 6, 30), date(2025, 10, 1))
_DONE = ("backup", "mcn-notice", "last-live", "apply-deletion", "withdraw")


def documents(n: int = 500) -> list[str]:
    book = xiabo.load_rulebook()
    out = []
    for i, raw in enumerate(profiles(n, seed=11)):
        today = TODAYS[i % len(TODAYS)]
        if i % 5 == 1:  # some progress and facts, dated before today
            raw["progress"] = {_DONE[k]: {"done": str(date.fromordinal(today.toordinal() - 3 - k)),
                                          "note": "ok"} for k in range(i % 4 + 1)}
            raw["last_live_on"] = str(date.fromordinal(today.toordinal() - 20))
        if i % 7 == 3:
            raw["contract"] = {"signed": True, "notice_days": 30,
                               "notice_sent_on": str(date.fromordinal(today.toordinal() - 40))}
        try:
            plan = build_plan(profile_from_dict(raw), book, today=today,
                              lang="en" if i % 3 == 2 else "zh")
            text = json.dumps(plan.to_dict(), ensure_ascii=False, sort_keys=True)
        except UserError as exc:
            text = "error:" + exc.key
        out.append(text)
    return out


def digests(n: int = 500) -> list[str]:
    return [hashlib.sha256(text.encode()).hexdigest() for text in documents(n)]


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    if mode == "full":
        path.write_text("\n".join(documents()) + "\n", encoding="utf-8")
        print(f"wrote the JSON documents to {path}")
        return
    got = digests()
    if mode == "dump":
        path.write_text("\n".join(got) + "\n", encoding="utf-8")
        print(f"dumped {len(got)} plan digests to {path}")
        return
    want = path.read_text(encoding="utf-8").split()
    bad = [i for i, (a, b) in enumerate(zip(got, want)) if a != b]
    print(f"{len(got) - len(bad)}/{len(got)} plans identical" + (f"; differ: {bad[:10]}" if bad else ""))
    if bad or len(got) != len(want):
        sys.exit(1)


if __name__ == "__main__":
    main()
