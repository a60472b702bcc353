"""run_corpus on a tiny synthetic corpus: outputs, resume, skipped listing."""
import json

import pytest

from dualjit.validate.corpus import explain, run_corpus

CORPUS = """
(FPCore (x y) :name "cancel" :pre (and (<= 1 x 1e12) (<= 1/2 y 2))
  (- (sqrt (+ x y)) (sqrt x)))
(FPCore (x) :name "uses fma" (fma x x x))
(FPCore (x) :name "single" :precision binary32 (+ x 1))
(FPCore (x) :name "loop" (while (< x 1) ([x x (* 2 x)]) x))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    (d / "tiny.fpcore").write_text(CORPUS)
    out = tmp_path_factory.mktemp("out")
    result = run_corpus(d, out, points=12, workers=1, progress=False, seed=0)
    return d, out, result


def test_outputs(corpus):
    _, out, result = corpus
    assert (out / "corpus.json").exists() and (out / "corpus.md").exists()
    s = result["summary"]
    assert s["expressions"] == 4 and s["by_status"] == {"evaluated": 1, "skipped": 3}
    assert set(s["skipped"]) == {"operator fma", "precision binary32", "construct while"}
    assert json.loads((out / "corpus.json").read_text())["summary"]["partials"] == 2
    md = (out / "corpus.md").read_text()
    assert "operator fma" in md and "uses fma" in md and "## Worst partial derivatives" in md


def test_per_variable_records(corpus):
    _, _, result = corpus
    recs = {r["name"]: r for r in result["expressions"]}
    rec = recs["cancel"]
    assert rec["n_points"] == 12 and "def f(v):" in rec["source"]
    assert [p["variable"] for p in rec["partials"]] == ["x", "y"]
    for p in rec["partials"]:
        assert p["worst"]["x"][0].startswith(("0x", "-0x")) and len(p["worst"]["x"]) == 2
        assert p["interval_flag"] and p["median_ulp"] is not None
    # sqrt(x + y) - sqrt(x) cancels for large x: a large error, explained as such
    c = rec["partials"][0]
    assert c["max_ulp"] > 1000 and c["explanation"].startswith("cancellation")


def test_resume_reuses_cached_records(corpus):
    d, out, first = corpus
    again = run_corpus(d, out, points=12, workers=1, progress=False, seed=0)
    assert again["meta"]["reused"] == 4
    assert [r["key"] for r in again["expressions"]] == [r["key"] for r in first["expressions"]]
    assert again["expressions"][0]["partials"] == first["expressions"][0]["partials"]


def test_argument_validation(tmp_path):
    with pytest.raises(ValueError, match="corpus_dir"):
        run_corpus(tmp_path / "missing", tmp_path)
    with pytest.raises(ValueError, match="points"):
        run_corpus(tmp_path, tmp_path, points=0)
    with pytest.raises(ValueError, match="workers"):
        run_corpus(tmp_path, tmp_path, workers=0)


def test_explain():
    assert explain(0.5, 1e-20, 1.0, 1.0, 2.0) == "accurate"
    assert explain(1e6, 1e-3, 1.0, 1.0, 1e9) == "cancellation"
    assert explain(0.5, 1e-20, 1.0, 1.0, 1e9) == "tiny partial"
    assert explain(0.5, 1e-3, 1.0, 1.0, 1e9) == "unexplained"
