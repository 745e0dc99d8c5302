"""Plans per second in-process over 10,000 generated, varied profiles on one core.

Usage: python bench/plan_throughput.py [N]   (last line: the plans/s figure)
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

import xiabo
from xiabo.roadmap.assemble import build_plan
from xiabo.roadmap.profile import profile_from_dict


def profiles(n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        signed = rng.random() < 0.6
        yield {
            "name": f"主播{i}",
            "platform": rng.choice(["kuaishou", "douyin", "taobao"]),
            "start": str(date(2026, 1, 1) + timedelta(days=rng.randrange(0, 700))),
            "followers": rng.choice([1_000, 80_000, 300_000, 600_000, 1_500_000]),
            "delete_account": rng.random() < 0.85,
            "account": {"status": rng.choice(["normal"] * 9 + ["restricted"]),
                        "bindings": rng.sample(["wechat", "alipay", "qq", "weibo"], rng.randrange(0, 4))},
            "money": {"balance_cny": str(rng.randrange(0, 200_000)), "diamonds": rng.randrange(0, 100_000),
                      "pending_gift_orders": rng.randrange(0, 3)},
            "shop": {"open_orders": rng.randrange(0, 50)} if rng.random() < 0.5 else None,
            "contract": {"signed": signed, "agency": "某传媒", "notice_days": rng.choice([None, 30, 60]),
                         "non_compete_months": rng.choice([None, 6, 12, 24])} if signed else {"signed": False},
            "equipment": [{"name": f"设备{k}", "type": rng.choice(["phone", "light", "computer"]),
                           "os": rng.choice([None, "ios", "android"]),
                           "disposal": rng.choice(["sell", "donate", "keep"])} for k in range(rng.randrange(0, 4))],
            "channels": rng.sample(["weibo", "wechat_official", "xiaohongshu"], rng.randrange(0, 3)),
            "comeback": {"plan": rng.choice(["none", "same_platform", "other_platform"])},
        }


def one_pass(book, n: int, seed: int, today: date) -> tuple[float, int]:
    """CPU seconds to validate and plan ``n`` new profiles (a fresh set per seed)."""
    data = list(profiles(n, seed))
    began = time.process_time()
    tasks = 0
    for raw in data:
        plan = build_plan(profile_from_dict(raw), book, today=today)
        tasks += len(plan.tasks)
    return time.process_time() - began, tasks


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    book = xiabo.load_rulebook()
    today = date(2026, 11, 25)
    rates = []
    for seed in range(7, 7 + passes):
        cpu, tasks = one_pass(book, n, seed, today)
        rates.append(n / cpu)
        print(f"pass {len(rates)}: {n} new profiles, {tasks} tasks, {cpu:.2f} s CPU, {n / cpu:.0f} plans/s")
    rates.sort()
    print(f"{rates[len(rates) // 2]:.0f} plans/s (one core, median of {passes} passes of {n} new profiles)")


if __name__ == "__main__":
    main()
