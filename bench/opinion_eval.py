"""Benchmark: how well ``xiabo.opinion.label`` holds on labelled Chinese text nobody here wrote.

    .venv/bin/python bench/opinion_eval.py --data DIR [--band 0.25] [--lexicon-scale 0.5]

DIR holds the third-party sets named in ``bench/opinion_sets.py`` (how to get them:
docs/opinion.md, "Where the figures come from"). For each independent set (never used to train
or tune the model), all of it and its short texts (≤ 40 characters), this prints accuracy,
recall of negatives and positives and the share called neutral, for xiabo and for SnowNLP's
model alone (its own formula: positive when P(pos) > 0.5; it has no neutral). The project's 443
hand-written comments follow, labelled as the regression set they are, then the speed of
``label_many``. Last line: negative recall on the independent short texts, pooled.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import opinion_sets  # noqa: E402

REGRESSION = ROOT / "tests" / "opinion" / "eval_comments.csv"
_LABEL = {"negative": -1, "neutral": 0, "positive": 1}


def figures(pred: list[int], gold: list[int]) -> dict[str, float]:
    n = len(gold)
    out = {"n": n, "accuracy": sum(p == g for p, g in zip(pred, gold, strict=True)) / n,
           "neutral": sum(p == 0 for p in pred) / n}
    for name, value in _LABEL.items():
        idx = [i for i, g in enumerate(gold) if g == value]
        if idx:
            out[f"recall_{name}"] = sum(pred[i] == value for i in idx) / len(idx)
    return out


def _row(title: str, f: dict) -> str:
    recalls = "  ".join(f"{k[7:10]} {f[k]:.3f}" for k in ("recall_negative", "recall_neutral",
                                                           "recall_positive") if k in f)
    return (f"  {title:<34} n={f['n']:>6,}  accuracy {f['accuracy']:.3f}  recall {recalls}  "
            f"neutral {f['neutral'] * 100:4.1f} %")


def _snownlp():
    from xiabo.opinion.model import load_model, stopwords
    from xiabo.opinion.text import normalise, tokenise

    model, stop = load_model(), stopwords()

    def label(text: str) -> int:
        words = [w for w in tokenise(normalise(text)) if w not in stop and not w.isspace()]
        return 1 if model.log_odds(words) > 0 else -1
    return label


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="folder with the third-party sets")
    ap.add_argument("--band", type=float, help="try another neutral band (development only)")
    ap.add_argument("--lexicon-scale", type=float, help="try another lexicon weight")
    ap.add_argument("--evidence", type=float, help="try the small-talk gate (docs/opinion.md)")
    ap.add_argument("--offset", type=float, help="try another centre of the neutral band")
    args = ap.parse_args(argv)

    from dataclasses import replace

    from xiabo.opinion.sentiment import Scorer, Tuning

    tuning = replace(Tuning(), **{k: v for k, v in (("band", args.band),
                                  ("lexicon_scale", args.lexicon_scale),
                                  ("evidence", args.evidence), ("offset", args.offset))
                                  if v is not None})
    scorer = Scorer(tuning=tuning, tokens=False)
    xiabo = lambda text: scorer.score(text).label  # noqa: E731
    snow = _snownlp()
    pooled: dict[str, tuple[list[int], list[int]]] = {"xiabo": ([], []), "snownlp": ([], [])}
    for name in (*opinion_sets.INDEPENDENT, "weibo_dev"):
        pairs = opinion_sets.load(args.data, name)
        kind = "independent" if name in opinion_sets.INDEPENDENT else "development (not independent)"
        print(f"{name} ({opinion_sets.FILES[name]}; {kind})")
        for part, items in (("all", pairs), ("short texts", opinion_sets.short(pairs))):
            gold = [y for _, y in items]
            for method, fn in (("xiabo", xiabo), ("SnowNLP alone", snow)):
                pred = [fn(t) for t, _ in items]
                print(_row(f"{method}, {part}", figures(pred, gold)))
                if part == "short texts" and name in opinion_sets.INDEPENDENT:
                    key = "xiabo" if method == "xiabo" else "snownlp"
                    pooled[key][0].extend(pred)
                    pooled[key][1].extend(gold)
    print("independent short texts, pooled")
    for key, title in (("xiabo", "xiabo"), ("snownlp", "SnowNLP alone")):
        print(_row(title, figures(*pooled[key])))

    with REGRESSION.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    print("regression set: 443 comments written and labelled by the xiabo developers (not independent)")
    for split in ("dev", "test", None):
        part = [r for r in rows if split is None or r["split"] == split]
        f = figures([xiabo(r["text"]) for r in part], [_LABEL[r["label"]] for r in part])
        print(_row(f"xiabo, {split or 'all'}", f))

    from xiabo.opinion import label_many

    texts = [t for t, _ in opinion_sets.short(opinion_sets.load(args.data, "conversation"))]
    label_many(texts[:10])
    t0 = time.perf_counter()
    label_many(texts)
    rate = len(texts) / (time.perf_counter() - t0)
    print(f"label_many: {rate:,.0f} short texts/s (all different, one core)")
    f = figures(*pooled["xiabo"])
    print(f"negative recall on independent short texts: {f['recall_negative']:.3f} "
          f"(accuracy {f['accuracy']:.3f}, neutral {f['neutral'] * 100:.1f} %, n={f['n']:,})")


if __name__ == "__main__":
    main()
