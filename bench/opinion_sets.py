"""Third-party labelled Chinese sentiment sets, read from a folder given on the command line.

Why a folder and not files in the repository: the sets are other people's work with unclear
licences, so they are not committed; the model trained on some of them ships instead
(``src/xiabo/opinion/data/charlr.tsv.gz``). The folder holds the files under the names below,
taken unchanged from the public repositories named beside them (see docs/opinion.md for the
commits and the git commands that get them).

Training sets (the model has seen them):
  online_shopping_10_cats.csv  SophonPlus/ChineseNlpCorpus: 62,774 shopping reviews, 10 categories;
                               the 酒店 category is left out (it overlaps ChnSentiCorp)
  waimai_10k.csv               SophonPlus/ChineseNlpCorpus: 11,987 food-delivery reviews
  weibo2018_train.txt          dengxiuqi/weibo2018 train.txt: 10,000 hand-labelled Weibo posts
Independent sets (never used for training or tuning):
  sentiment_XS_test.txt        zhusleep/Chinese_conversation_sentiment: 11,562 manually labelled
                               short messages from human-computer chat logs
  ChnSentiCorp_htl_all.csv     SophonPlus/ChineseNlpCorpus: 7,766 hotel reviews (ChnSentiCorp)
  nlpcc14_test.label.cn.txt    qweraqq/NLPCC2014_sentiment test.label.cn.txt: NLPCC 2014 task 2
                               Chinese test set (2,500 product reviews, official labels)
Development set (same source as a training set, used to set the neutral band):
  weibo2018_test.txt           dengxiuqi/weibo2018 test.txt: 500 Weibo posts
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

__all__ = ["FILES", "INDEPENDENT", "SHORT", "load", "short"]

SHORT = 40                 # characters: a "short text" is a live comment's length
INDEPENDENT = ("conversation", "chnsenticorp", "nlpcc2014")

FILES = {
    "shopping": "online_shopping_10_cats.csv",
    "waimai": "waimai_10k.csv",
    "weibo_train": "weibo2018_train.txt",
    "weibo_dev": "weibo2018_test.txt",
    "conversation": "sentiment_XS_test.txt",
    "chnsenticorp": "ChnSentiCorp_htl_all.csv",
    "nlpcc2014": "nlpcc14_test.label.cn.txt",
}
_WEIBO_MARKUP = re.compile(r"\{%.*?%\}")


def _csv(path: Path, text: str, label: str, keep=lambda row: True) -> list[tuple[str, int]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(row[text].lstrip("\ufeff").strip(), 1 if row[label].strip() in ("1", "positive")
                 else -1) for row in csv.DictReader(fh) if row.get(text) and keep(row)]


def load(folder: Path, name: str) -> list[tuple[str, int]]:
    """(text, -1 | 1) pairs of one set; FileNotFoundError names the file that is missing."""
    path = Path(folder) / FILES[name]
    if name == "shopping":
        return _csv(path, "review", "label", lambda row: row["cat"] != "酒店")
    if name in ("waimai", "chnsenticorp"):
        return _csv(path, "review", "label")
    if name == "conversation":    # jieba-segmented in the source: the spaces are taken out
        return [(re.sub(r"\s+", "", t), y) for t, y in _csv(path, "text", "labels")]
    if name in ("weibo_train", "weibo_dev"):
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split(",", 2)
            if len(parts) == 3 and parts[1] in ("0", "1"):
                text = _WEIBO_MARKUP.sub("", parts[2]).strip()
                if text:
                    out.append((text, 1 if parts[1] == "1" else -1))
        return out
    if name == "nlpcc2014":
        raw = path.read_text(encoding="utf-8-sig")
        items = re.findall(r'<review id="\d+"\s+label="([01])">\s*(.*?)\s*</review>', raw, re.S)
        return [(text.strip(), 1 if y == "1" else -1) for y, text in items if text.strip()]
    raise KeyError(name)


def short(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The items of at most ``SHORT`` characters (what a live comment or 弹幕 looks like)."""
    return [(t, y) for t, y in pairs if len(t) <= SHORT]
