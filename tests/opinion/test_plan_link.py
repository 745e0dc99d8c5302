"""The plan's opinion-monitoring task reads the store beside the profile (``opinion/``): it
links the report and is done only when monitoring ran through the transition period."""

from __future__ import annotations

import json
from datetime import date, timedelta

import yaml

from xiabo.opinion.ingest import ingest_file
from xiabo.opinion.store import open_store

from ..helpers import base_profile
from .conftest import HEADER, write_csv

LAST_LIVE = date(2026, 12, 10)


def _case(tmp_path, days: list[int]):
    profile = base_profile(followers=2_000_000, start="2026-11-20",
                           last_live_on=LAST_LIVE.isoformat())
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    rows = [[f"谢谢{d}", f"{LAST_LIVE + timedelta(days=d)} 10:00:00", 0, 0, "a"] for d in days]
    with open_store(tmp_path / "opinion") as store:
        ingest_file(store, write_csv(tmp_path / "c.csv", HEADER, rows))
    return path


def _task(cli, path):
    r = cli("plan", str(path), "--today", "2026-12-31", "--format", "json")
    assert r.code == 0, r.err
    return next(t for t in json.loads(r.out)["tasks"] if t["id"] == "opinion-monitoring")


def test_done_when_every_day_of_the_transition_has_data(cli, tmp_path):
    task = _task(cli, _case(tmp_path, list(range(0, 16))))
    assert task["done"] == (LAST_LIVE + timedelta(days=15)).isoformat()
    assert any("xiabo opinion report --dir" in s and "16 条留言" in s for s in task["steps"])
    assert "common.opinion.coverage_max_gap_days" in task["rules"]


def test_not_done_with_gaps_or_before_the_end(cli, tmp_path):
    gaps = _task(cli, _case(tmp_path, [0, 1, 2, 6, 7, 15]))
    assert gaps["done"] is None
    assert any("xiabo opinion report" in s for s in gaps["steps"])


def test_not_done_while_the_transition_runs(cli, tmp_path):
    assert _task(cli, _case(tmp_path, list(range(0, 8))))["done"] is None


def test_no_store_no_step(cli, tmp_path):
    profile = base_profile(followers=2_000_000, start="2026-11-20")
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    task = _task(cli, path)
    assert task["done"] is None and not any("xiabo opinion" in s for s in task["steps"])
