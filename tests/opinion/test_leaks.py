"""Everything ``xiabo opinion`` prints reads as words in both languages (the project's leak check)."""

from __future__ import annotations

import pytest

from ..test_leaks import leaks
from .conftest import HEADER, comment_rows, write_csv


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_outputs_read_as_words(cli, tmp_path, lang):
    write_csv(tmp_path / "a.csv", HEADER, comment_rows(400, days=12))
    write_csv(tmp_path / "bad.csv", ["x", "y"], [["1", "2"]])
    case = str(tmp_path / "case")
    outputs = []
    r = cli("opinion", "ingest", str(tmp_path / "a.csv"), "--dir", case, "--lang", lang)
    outputs += [r.out, r.err]
    r = cli("opinion", "report", "--dir", case, "--last-live", "2026-11-05", "--lang", lang,
            "--out", str(tmp_path / "r.html"))
    outputs += [r.out, r.err]
    outputs.append((tmp_path / "r.html").read_text(encoding="utf-8"))
    r = cli("opinion", "ingest", str(tmp_path / "bad.csv"), "--dir", case, "--lang", lang)
    assert r.code == 2
    outputs += [r.out, r.err]
    for args in (("--help",), ("ingest", "--help"), ("report", "--help"), ("watch", "--help")):
        outputs.append(cli("--lang", lang, "opinion", *args).out)
    found = [leak for text in outputs for leak in leaks(text.replace(str(tmp_path), "DIR"))]
    assert not found, found
