"""Every CLI command that reads a file, fed the worst files we know, in a subprocess under a
memory and CPU budget (limits.py): a clean answer (exit 0, 2; 1 where the command reports what it
found), no traceback, no "internal error", and within a few seconds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.hostile.builders import declared_huge_xlsx, deep_json
from tests.hostile.limits import run_limited

pytestmark = pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX")
TODAY = "2026-11-25"
SECONDS = 10  # the budget each answer must keep (CPU is capped lower by the kernel)


def _billion_laughs() -> str:
    lines = ['name: x', 'platform: kuaishou', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("channels: *a8")
    return "\n".join(lines) + "\n"


PROFILES = {
    "deep.json": deep_json(100_000),
    "deep.yaml": "name: x\nplatform: kuaishou\nchannels: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "laughs.yaml": _billion_laughs(),
    "megabyte.json": json.dumps({"name": "长" * 1_000_000, "platform": "kuaishou"}),
    "nul.json": json.dumps({"name": "a\x00b", "platform": "kuaishou",
                            "contract": {"signed": True, "agency": "\u202e\x1b[31m"}}),
    "surrogate.json": '{"name": "\\udc80\\ud800", "platform": "kuaishou"}',
    "year9999.yaml": "name: x\nplatform: kuaishou\nstart: 9999-12-31\n",
    "impossible.yaml": "name: x\nplatform: kuaishou\nstart: 2026-02-30\n",
    "far.yaml": "name: x\nplatform: kuaishou\nstart: 2400-01-01\n",
    "done9999.yaml": "name: x\nplatform: kuaishou\ncontract: {signed: true, notice_sent_on: 9999-12-31}\n",
    "huge.yaml": "name: x\nplatform: kuaishou\nfollowers: " + "9" * 5000 + "\nmoney: {diamonds: 1e30}\n",
    "bigint.json": '{"name": "x", "platform": "kuaishou", "followers": ' + "9" * 5000 + "}",
    "dupes.yaml": "name: x\nplatform: kuaishou\naccount: {bindings: [wechat, wechat, WeChat]}\n"
                  "channels: [weibo, weibo]\n",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for name, text in PROFILES.items():
        (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    declared_huge_xlsx(root / "declared.xlsx", {1: ["订单号", "订单状态", "收货时间", "实付金额"],
                                                2: ["A1", "已收货", "2026-11-01", "10"],
                                                50_000: ["A2", "已完成", "2026-10-01", "1"]})
    (root / "bigcell.csv").write_text("昵称,手机\n" + "x" * 200_000 + ",1\n", encoding="utf-8")
    (root / "deep-export.json").write_text(deep_json(100_000), encoding="utf-8")
    (root / "orders9999.csv").write_text("订单号,订单状态,下单时间,发货时间,收货时间,实付金额\n"
                                         "A1,已收货,2026-11-01,2026-11-02,9999-12-31,1e30000\n",
                                         encoding="utf-8")
    (root / "ledger.csv").write_text("日期,平台,收入(税前),已扣税\n"
                                     "9999-12-31,快手,1e30,0\n2025-02-30,快手,100,0\n"
                                     "2025-10-05,快手,99999999999999999999999999999999,1e-30\n",
                                     encoding="utf-8")
    batch = [json.dumps({"name": "a", "platform": "kuaishou"}), deep_json(100_000),
             PROFILES["megabyte.json"], PROFILES["surrogate.json"],
             json.dumps({"name": "b", "platform": "kuaishou", "start": "9999-12-01"}),
             json.dumps({"name": "c", "platform": "douyin", "money": {"diamonds": 10 ** 40}})]
    (root / "batch.jsonl").write_text("\n".join(batch) + "\n", encoding="utf-8")
    bag = root / "bag"
    (bag / "data").mkdir(parents=True)
    (bag / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (bag / "manifest-sha256.txt").write_text("0" * 64 + "  data/" + "../" * 50_000 + "x\n")
    (bag / "tagmanifest-sha256.txt").write_text("")
    draft = root / "draft.partial.yaml"
    draft.write_text(deep_json(100_000), encoding="utf-8")
    return root


CASES = [
    *[(("plan", name, "--today", TODAY), (0, 2)) for name in PROFILES],
    *[(("export", name, "--out", "out-" + name, "--today", TODAY), (0, 2))
      for name in ("far.yaml", "done9999.yaml", "laughs.yaml", "megabyte.json", "dupes.yaml")],
    (("plan", "--batch", "batch.jsonl", "--out", "plans.jsonl", "--today", TODAY), (0, 2)),
    (("privacy", "scan", "bigcell.csv"), (0, 1, 2)),
    (("privacy", "scan", "declared.xlsx"), (0, 1, 2)),
    (("privacy", "purge", "deep-export.json", "--out", "clean.json"), (0, 2)),
    (("privacy", "purge", "declared.xlsx", "--out", "clean.xlsx"), (0, 1, 2)),
    (("orders", "check", "orders9999.csv", "--today", TODAY), (0, 2)),
    (("orders", "check", "declared.xlsx", "--today", TODAY), (0, 1, 2)),
    (("tax", "cumulative", "--ledger", "ledger.csv", "--year", "2025"), (0, 1, 2)),
    (("backup", "verify", "bag"), (1, 2)),
    (("init", "--resume", "--out", "draft.yaml", "--today", TODAY), (0, 2, 130)),
    (("plan", str(EXAMPLES / "kuaishou.yaml"), "--today", "9999-12-31"), (2,)),
]


@pytest.mark.parametrize("args,allowed", CASES, ids=[" ".join(a[:2]) + " " + a[2] if len(a) > 2 else
                                                      " ".join(a) for a, _ in CASES])
def test_hostile_file_is_answered_within_budget(files, args, allowed):
    result = run_limited(*args, cwd=files, stdin="\n" * 60)
    assert not result.problems(allowed), (result.problems(allowed), result.err[-2000:])
    assert result.seconds < SECONDS, result.seconds
    if result.code == 2:
        assert result.err.strip(), "a refusal must say why"
