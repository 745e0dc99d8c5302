from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

TEXTS = ["主播一路走好", "谢谢这些年的陪伴", "公会太黑心了", "退钱！", "几点开播", "666",
         "听说是被公会逼走的，垃圾公司", "加我微信领福利", "舍不得你"]


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def comment_rows(n: int, start: datetime = datetime(2026, 11, 1, 8), seed: int = 1,
                 days: int = 10) -> list[list]:
    rng = random.Random(seed)
    step = days * 86400 / max(n, 1)
    return [[f"{rng.choice(TEXTS)}{i % 97}", (start + timedelta(seconds=int(i * step)))
             .strftime("%Y-%m-%d %H:%M:%S"), rng.randint(0, 500), rng.randint(0, 20), f"粉丝{i % 300}"]
            for i in range(n)]


HEADER = ["评论内容", "评论时间", "点赞数", "回复数", "用户昵称"]


@pytest.fixture
def store(tmp_path):
    from xiabo.opinion.store import open_store

    with open_store(tmp_path / "case") as s:
        yield s
