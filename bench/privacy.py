"""Benchmark: scan a generated fan export for personal data, in-process on one core.

Generates an N-MB CSV (default 100) shaped like a streamer's fan/customer export, with
identifiers planted at known cells (ground truth) among realistic decoys (10-digit fan IDs,
19-digit order numbers, timestamps, amounts, courier numbers, short numbers in remarks).
Times ``xiabo.privacy.scan_file`` (the path the CLI takes) in this one process, on one core,
then checks recall and precision cell by cell with the engine. Last line: MB/s of CPU time
(wall time is printed too; on a busy machine it is lower).

    .venv/bin/python bench/privacy.py            # 100 MB
    .venv/bin/python bench/privacy.py --mb 10 --encoding gb18030
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from array import array
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

TYPES = ("id_card", "mobile", "bank_card", "email", "wechat", "qq", "address")
HEADER = ["粉丝ID", "昵称", "性别", "手机号", "微信号", "QQ", "邮箱", "身份证号", "银行卡号",
          "收货地址", "关注时间", "订单号", "消费金额", "备注"]
COL = {name: i for i, name in enumerate(HEADER)}
HANZI = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
         "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
         "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
         "又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
PROVINCES = [("浙江省", "杭州市", "西湖区"), ("广东省", "深圳市", "南山区"), ("北京市", "", "朝阳区"),
             ("江苏省", "南京市", "鼓楼区"), ("四川省", "成都市", "武侯区"), ("上海市", "", "浦东新区"),
             ("湖北省", "武汉市", "洪山区"), ("山东省", "青岛市", "市南区")]
ROADS = ["文三路", "科技园路", "建国路", "中山北路", "人民南路", "世纪大道", "珞喻路", "香港中路", "解放大街"]
EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "gmail.com", "sina.com", "outlook.com", "foxmail.com"]
ID_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def words(rng: random.Random, lo: int, hi: int) -> str:
    return "".join(rng.choice(HANZI) for _ in range(rng.randint(lo, hi)))


def gen_id(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 16000))
    body = f"{rng.choice(['110101', '330106', '440305', '510107', '420111', '370202'])}" \
           f"{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_W)) % 11]


def gen_card(rng: random.Random) -> str:
    body = rng.choice(["622202", "621700", "622848", "436742", "621483", "622588"])
    body += "".join(rng.choice("0123456789") for _ in range(rng.choice([9, 12]) ))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def gen_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


def gen_wechat(rng: random.Random) -> str:
    first = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return first + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in
                           range(rng.randint(5, 14)))


def gen_qq(rng: random.Random) -> str:
    return str(rng.randint(10_000, 3_999_999_999))


def gen_email(rng: random.Random) -> str:
    local = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789.") for _ in range(rng.randint(4, 12)))
    return local.strip(".") + "x@" + rng.choice(EMAIL_DOMAINS)


def gen_address(rng: random.Random) -> str:
    prov, city, dist = rng.choice(PROVINCES)
    tail = rng.choice(["", f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(101, 2802)}室"])
    return f"{prov}{city}{dist}{rng.choice(ROADS)}{rng.randint(1, 999)}号{tail}"


GENERATORS = {"id_card": gen_id, "mobile": gen_mobile, "bank_card": gen_card, "email": gen_email,
              "wechat": gen_wechat, "qq": gen_qq, "address": gen_address}
REMARK_PLANTS = [
    ("mobile", lambda r: f"电话{gen_mobile(r)}"), ("mobile", lambda r: f"+86 {gen_mobile(r)}"),
    ("wechat", lambda r: f"加我微信：{gen_wechat(r)}"), ("wechat", lambda r: f"VX {gen_wechat(r)}"),
    ("qq", lambda r: f"QQ号{gen_qq(r)}"), ("qq", lambda r: f"扣扣:{gen_qq(r)}"),
    ("email", lambda r: f"邮箱{gen_email(r)}"), ("address", lambda r: f"寄到{gen_address(r)}"),
    ("id_card", lambda r: f"身份证{gen_id(r)}"), ("bank_card", lambda r: f"卡号{gen_card(r)}"),
]
DECOYS = [
    lambda r: f"订单{rng_digits(r, 19, '2')}", lambda r: f"快递单号YT{rng_digits(r, 13, '7')}",
    lambda r: f"{r.randint(1, 500)}.{r.randint(0, 99):02d}元", lambda r: f"粉丝团{r.randint(1, 30)}级",
    lambda r: f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:00",
    lambda r: f"尾号{r.randint(1000, 9999)}", lambda r: f"第{r.randint(1, 9999)}名",
    lambda r: f"房间号{r.randint(100000, 99999999)}",
]


def rng_digits(rng: random.Random, n: int, first: str) -> str:
    return first + "".join(rng.choice("0123456789") for _ in range(n - 1))


def generate(path: Path, megabytes: float, encoding: str, seed: int = 20261123) -> array:
    """Write the CSV; return ground truth as sorted keys row*1024 + col*8 + type index."""
    rng = random.Random(seed)
    truth = array("q")
    target = int(megabytes * 1_000_000)
    tidx = {t: i for i, t in enumerate(TYPES)}
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(HEADER)
        row = 1
        while fh.tell() < target:
            row += 1
            cells = [""] * len(HEADER)
            cells[COL["粉丝ID"]] = str(rng.randint(1_000_000_000, 9_999_999_999))
            cells[COL["昵称"]] = rng.choice(SURNAMES) + words(rng, 1, 5)
            cells[COL["性别"]] = rng.choice("男女")
            cells[COL["关注时间"]] = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} " \
                                   f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
            if rng.random() < 0.4:
                cells[COL["订单号"]] = rng_digits(rng, 19, rng.choice("12"))
                cells[COL["消费金额"]] = f"{rng.randint(1, 2000)}.{rng.randint(0, 99):02d}"
            for name, kind, p in (("手机号", "mobile", 0.7), ("微信号", "wechat", 0.3), ("QQ", "qq", 0.2),
                                  ("邮箱", "email", 0.15), ("身份证号", "id_card", 0.1),
                                  ("银行卡号", "bank_card", 0.05), ("收货地址", "address", 0.4)):
                if rng.random() < p:
                    cells[COL[name]] = GENERATORS[kind](rng)
                    truth.append(row * 1024 + COL[name] * 8 + tidx[kind])
            parts = [words(rng, 2, 12)]
            if rng.random() < 0.5:
                parts.append(rng.choice(DECOYS)(rng))
            if rng.random() < 0.2:
                kind, make = rng.choice(REMARK_PLANTS)
                parts.append(make(rng))
                truth.append(row * 1024 + COL["备注"] * 8 + tidx[kind])
            parts.append(words(rng, 0, 8))
            rng.shuffle(parts)
            cells[COL["备注"]] = "，".join(p for p in parts if p)
            writer.writerow(cells)
    return array("q", sorted(truth))


def measure(path: Path) -> array:
    """Every finding as a sorted key, from the engine (not timed)."""
    from xiabo.privacy.engine import scan_blocks
    from xiabo.tabular import read_blocks

    tidx = {t: i for i, t in enumerate(TYPES)}
    found = array("q")
    for block, hits, _roles in scan_blocks(read_blocks(path)):
        for r, col, _s, _e, kind in hits:
            found.append((block.first + r) * 1024 + col * 8 + tidx[kind])
    return array("q", sorted(found))


def compare(truth: array, found: array) -> tuple[Counter, Counter, Counter]:
    """True positives, truth and found counts per type (multiset intersection)."""
    tp, tc, fc = Counter(), Counter(), Counter()
    t_count, f_count = Counter(truth), Counter(found)
    for key, n in t_count.items():
        kind = TYPES[key % 8]
        tc[kind] += n
        tp[kind] += min(n, f_count.get(key, 0))
    for key, n in f_count.items():
        fc[TYPES[key % 8]] += n
    return tp, tc, fc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="size of the generated CSV in MB")
    parser.add_argument("--encoding", default="utf-8", help="utf-8, utf-8-sig or gb18030")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--repeat", type=int, default=3, help="scan N times, report the fastest")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from xiabo.privacy import scan_file

    tmp = Path(tempfile.mkdtemp(prefix="xiabo-bench-"))
    path = tmp / "fans.csv"
    t0 = time.perf_counter()
    truth = generate(path, args.mb, args.encoding)
    size = path.stat().st_size / 1_000_000
    print(f"generated {path} ({size:.1f} MB, {len(truth)} planted) in {time.perf_counter() - t0:.1f} s")

    cpu = wall = float("inf")
    for _ in range(max(args.repeat, 1)):
        t0, w0 = time.process_time(), time.perf_counter()
        report = scan_file(path, keep=0)
        cpu = min(cpu, time.process_time() - t0)
        wall = min(wall, time.perf_counter() - w0)
    print(f"scan (best of {max(args.repeat, 1)}): {report.rows} rows, {report.total} findings, "
          f"{cpu:.2f} s CPU, {wall:.2f} s wall ({size / wall:.1f} MB/s wall)")

    found = measure(path)
    tp, tc, fc = compare(truth, found)
    print(f"{'type':<10}{'planted':>9}{'found':>9}{'recall':>9}{'precision':>11}")
    for kind in TYPES:
        rec = tp[kind] / tc[kind] if tc[kind] else 1.0
        prec = tp[kind] / fc[kind] if fc[kind] else 1.0
        print(f"{kind:<10}{tc[kind]:>9}{fc[kind]:>9}{rec:>9.4f}{prec:>11.4f}")
    all_tp, all_t, all_f = sum(tp.values()), sum(tc.values()), sum(fc.values())
    print(f"{'all':<10}{all_t:>9}{all_f:>9}{all_tp / all_t:>9.4f}{all_tp / max(all_f, 1):>11.4f}")
    if not args.keep:
        os.remove(path)
        tmp.rmdir()
    print(f"{size / cpu:.1f} MB/s")


if __name__ == "__main__":
    main()
