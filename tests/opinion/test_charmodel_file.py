"""The model file: every weight survives a write and a read (n-grams starting with # too),
and word features (keys starting with a space) are scored from jieba's words."""

from __future__ import annotations

from xiabo.opinion.charmodel import WORD, CharModel, features, load_char_model
from xiabo.opinion.text import normalise, tokenise


def test_hash_ngrams_and_words_survive_the_file(tmp_path):
    weights = {"#": -0.1, "#话题": 1.5, "好": 0.2, WORD + "好用": 0.8}
    path = tmp_path / "m.tsv.gz"
    CharModel(0.25, weights).write(path, "a header line\nanother")
    back = CharModel.read(path)
    assert back.weights == weights and back.bias == 0.25 and back.words
    assert not CharModel(0.0, {"好": 1.0}).words


def test_word_features_come_from_jieba_and_given_tokens_agree():
    norm = normalise("这个真的很好用")
    grams = features(norm, words=True)
    assert {WORD + w for w in tokenise(norm)} <= grams and "好用" in grams
    assert features(norm, True, tokenise(norm)) == grams
    assert features(norm, False) == {g for g in grams if not g.startswith(WORD)}


def test_the_shipped_model_weighs_words_and_every_line_is_read():
    import gzip

    from xiabo.opinion.charmodel import MODEL_FILE

    model = load_char_model()
    assert model.words
    with gzip.open(MODEL_FILE, "rt", encoding="utf-8") as fh:
        rows = sum(1 for line in fh if not line.startswith("# ") and "\t" in line)
    assert len(model.weights) + 1 == rows   # + the bias line
