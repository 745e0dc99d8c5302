"""Train the shipped sentiment model (character n-gram logistic regression) from labelled sets.

    python bench/opinion_train.py --data DIR --words [--out src/xiabo/opinion/data/charlr.tsv.gz]

DIR holds the third-party sets named in ``bench/opinion_sets.py`` (how to get them: docs/opinion.md).
Only the training sets are read here (shopping reviews without hotels, food delivery, Weibo);
the independent sets are for ``bench/opinion_eval.py`` alone, except that a training text they
also hold (same normalised text) is dropped before training. Plain Python (no numpy): a few
passes of AdaGrad over ~75,000 texts take about a minute. Deterministic (fixed seed).
Last line: accuracy on the held-out 5 % of the training texts and on the Weibo dev set.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import opinion_sets  # noqa: E402

from xiabo.opinion.charmodel import MODEL_FILE, CharModel, features  # noqa: E402
from xiabo.opinion.text import normalise  # noqa: E402

TRAIN = ("shopping", "waimai", "weibo_train")


def _features(pairs, min_df: int, words: bool = False):
    grams = [(features(normalise(t), words), 1 if y > 0 else 0) for t, y in pairs]
    df = Counter(g for gs, _ in grams for g in gs)
    vocab = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= min_df))}
    docs = []
    for gs, y in grams:
        if gs:
            ids = [vocab[g] for g in gs if g in vocab]
            docs.append((ids, 1 / math.sqrt(len(gs)), y))
    return vocab, docs


def _nb_ratios(vocab, docs) -> list[float]:
    """|log-count ratio| + 0.1 per n-gram (Wang & Manning 2012): how telling it is."""
    pos, neg = [1.0] * len(vocab), [1.0] * len(vocab)
    for ids, _, y in docs:
        counts = pos if y else neg
        for i in ids:
            counts[i] += 1
    sp, sn = sum(pos), sum(neg)
    return [abs(math.log((p / sp) / (q / sn))) + 0.1 for p, q in zip(pos, neg, strict=True)]


def train(pairs, *, epochs: int, min_df: int, l2: float, lr: float, seed: int = 7,
          nb: bool = False, words: bool = False):
    vocab, docs = _features(pairs, min_df, words)
    r = _nb_ratios(vocab, docs) if nb else [1.0] * len(vocab)
    w = [0.0] * len(vocab)
    acc = [1e-8] * len(vocab)
    b, b_acc = 0.0, 1e-8
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(docs)
        loss = 0.0
        for ids, s, y in docs:
            z = b + s * sum(w[i] * r[i] for i in ids)
            z = max(-30.0, min(30.0, z))
            p = 1 / (1 + math.exp(-z))
            loss -= math.log(p if y else 1 - p)
            g = p - y
            b_acc += g * g
            b -= lr * g / math.sqrt(b_acc)
            gs = g * s
            for i in ids:
                grad = gs * r[i] + l2 * w[i]
                acc[i] += grad * grad
                w[i] -= lr * grad / math.sqrt(acc[i])
        print(f"epoch {epoch + 1}: mean loss {loss / len(docs):.4f}", file=sys.stderr)
    names = sorted(vocab, key=vocab.get)
    return CharModel(b, {names[i]: w[i] * r[i] for i in range(len(w))})


def prune(model: CharModel, keep: float) -> CharModel:
    """Weights below ``keep`` in size are dropped (they move no decision; the file stays small)."""
    return CharModel(model.bias, {g: round(v, 3) for g, v in model.weights.items()
                                  if abs(v) >= keep})


def accuracy(model: CharModel, pairs) -> float:
    return sum((model.logit(normalise(t)) > 0) == (y > 0) for t, y in pairs) / len(pairs)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--lr", type=float, default=0.5)
    ap.add_argument("--keep", type=float, default=0.05)
    ap.add_argument("--words", action="store_true",
                    help="jieba words beside the character n-grams (tried: docs/opinion.md)")
    ap.add_argument("--nb", action="store_true",
                    help="NB-weighted features (NBSVM-style; tried: docs/opinion.md)")
    args = ap.parse_args(argv)
    names = TRAIN
    pairs = [p for name in names for p in opinion_sets.load(args.data, name)]
    # never train on a text an independent set also holds (17 short ones such as 好的 did)
    banned = {normalise(t) for name in opinion_sets.INDEPENDENT
              for t, _ in opinion_sets.load(args.data, name)}
    pairs = [p for p in pairs if normalise(p[0]) not in banned]
    random.Random(11).shuffle(pairs)
    cut = len(pairs) // 20
    held, fit = pairs[:cut], pairs[cut:]
    model = prune(train(fit, epochs=args.epochs, min_df=args.min_df, l2=args.l2, lr=args.lr,
                        nb=args.nb, words=args.words), args.keep)
    dev = opinion_sets.load(args.data, "weibo_dev")
    header = (f"xiabo sentiment model: logistic regression on character 1-3-grams"
              f"{' and jieba words (keys starting with a space)' if args.words else ''}, "
              f"{len(model.weights):,} weights\n"
              f"trained by bench/opinion_train.py on {len(fit):,} labelled texts: "
              + ", ".join(opinion_sets.FILES[n] for n in names) + "\n"
              "sources and licences: docs/opinion.md")
    model.write(args.out, header)
    print(f"{len(model.weights):,} weights, {args.out.stat().st_size:,} bytes -> {args.out}")
    print(f"held-out training texts: accuracy {accuracy(model, held):.3f} ({len(held):,}); "
          f"weibo dev: {accuracy(model, dev):.3f} ({len(dev):,})")


if __name__ == "__main__":
    main()
