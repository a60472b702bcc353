"""The IEEE 1788 conformance runner (validation/itf1788.py): parsing, and zero containment
failures on a synthetic snippet and on one real ITF1788 file when the corpus is present."""
from __future__ import annotations

import importlib.util
import math
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path("/work/shared/corpora/itf1788")


def _load():
    spec = importlib.util.spec_from_file_location("itf1788", ROOT / "validation" / "itf1788.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


itf = _load()

SNIPPET = """/* a comment
   over lines */
testlibrary synthetic {
testcase t_arith {
    add [1.0, 2.0] [3.0, 4.0] = [4.0, 6.0];
    add [0.1, 0.1] [0.2, 0.2] = [0X1.3333333333333P-2, 0X1.3333333333334P-2]; // decimal
    div [1.0, 1.0] [3.0, 3.0] = [0x1.5555555555555p-2, 0x1.5555555555556p-2];
    mul [empty] [1.0, 2.0] = [empty];
    neg [1.0, infinity]_com = [-infinity, -1.0]_com;
    sqr [-2.0, 3.0] = [0.0, 9.0];
    pown [-2.0, 3.0] 3 = [-8.0, 27.0];
    pow [-1.0, 4.0] [0.5, 0.5] = [0.0, 2.0];
    exp [0.0, 1.0] = [1.0, 0x1.5bf0a8b14576Ap+1];
    sin [0.0, 4.0] = [-0x1.837b9dddc1eafp-1, 1.0];
    atan2 [1.0, 1.0] [1.0, 1.0] = [0x1.921FB54442D18p-1, 0x1.921FB54442D19p-1];
    floor [-1.5, 2.5] = [-2.0, 2.0];
    min [1.0, 2.0] [0.0, 5.0] = [0.0, 2.0];
    recip [0.0, 0.0] = [empty];
    add [nai] [1.0, 2.0] = [nai];
    fma [1.0, 1.0] [1.0, 1.0] [1.0, 1.0] = [2.0, 2.0];
    b-textToInterval "[1.0]" = [1.0, 1.0] signal PossiblyUndefinedOperation;
}
}
"""


def test_literals():
    assert itf.parse_number("0x1.8p1") == 3
    assert itf.parse_number("-0X1.0P-1") == Fraction(-1, 2)
    assert itf.parse_number("0.1") == Fraction(1, 10)
    assert itf.parse_number("-infinity") == -math.inf
    x = itf.parse_interval("[0.1, 0.1]")  # not a double: rounded outward
    assert Fraction(x.lo) < Fraction(1, 10) < Fraction(x.hi)
    assert math.nextafter(x.lo, 1.0) == x.hi
    assert itf.parse_interval("[1.0,2.0]_dac").hi == 2.0
    assert itf.parse_interval("[empty]").lo == math.inf
    assert itf.parse_interval("[nai]") is None
    assert itf.parse_interval("[-0.0, -0.0]").lo == 0.0


def test_synthetic_snippet(tmp_path):
    p = tmp_path / "synthetic.itl"
    p.write_text(SNIPPET)
    r = itf.run(tmp_path)
    assert r["total"]["failures"] == 0, r["failures"]
    assert r["total"]["applicable"] == 14
    assert r["unsupported"] == {"fma": 1, "b-textToInterval": 1}
    assert r["operations"]["add"]["tightest"] >= 1  # the exact case
    md = itf.to_markdown(r)
    assert "| add |" in md and "None." in md


def test_detects_a_containment_failure(tmp_path):
    (tmp_path / "bad.itl").write_text("testcase bad {\n    add [1.0, 2.0] [1.0, 1.0] = [1.0, 3.0];\n}\n")
    r = itf.run(tmp_path)
    assert r["total"]["failures"] == 1
    assert r["failures"][0]["line"] == 2


@pytest.mark.skipif(not CORPUS.is_dir(), reason="ITF1788 corpus not present")
def test_real_corpus_file_has_no_containment_failure():
    r = itf.run(CORPUS, files=[CORPUS / "atan2.itl", CORPUS / "libieeep1788_set.itl"])
    assert r["total"]["applicable"] > 50
    assert r["total"]["failures"] == 0, r["failures"]
