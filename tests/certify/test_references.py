"""The oracle cache: chunks are saved as they finish and reused on a rerun."""
import gzip
import json

import numpy as np
import pytest

import dualjit.certify.references as refmod
from dualjit.certify.references import compute_references
from dualjit.certify.run import certify_rules
from dualjit.certify.sampling import sample_rule
from dualjit.oracle import rule_reference
from dualjit.rules import RULES_BY_NAME


def _no_oracle(*args, **kwargs):
    raise AssertionError("the oracle was called although every chunk is cached")


def test_stored_references_equal_the_oracle(tmp_path):
    rule = RULES_BY_NAME["log1p"]
    pts = np.array([[0.5], [1e-300], [-1.0], [3.0]])
    got = compute_references(rule, pts, tmp_path, chunk=3, workers=0)
    for p, g in zip(pts, got):
        want = rule_reference(rule, tuple(p))
        for a, b in zip((g.value, *g.first, *g.second), want.components):
            assert a.status == b.status and (a.value == b.value or a.value != a.value)
            if b.exact is not None and b.status == "ok":
                assert abs(a.exact - b.exact) <= abs(b.exact) * 2.0 ** -100
    assert sorted(p.name for p in (tmp_path / "log1p").iterdir()) == ["000000.json.gz", "000001.json.gz"]


def test_rerun_does_no_oracle_work(tmp_path, monkeypatch, tiny):
    rule = RULES_BY_NAME["tanh"]
    pts = sample_rule(rule, tiny).points[:50]
    stats1, stats2 = {}, {}
    first = compute_references(rule, pts, tmp_path, chunk=16, workers=2, stats=stats1)
    assert stats1 == {"chunks_cached": 0, "chunks_computed": 4}
    monkeypatch.setattr(refmod, "rule_reference", _no_oracle)
    second = compute_references(rule, pts, tmp_path, chunk=16, workers=0, stats=stats2)
    assert stats2 == {"chunks_cached": 4, "chunks_computed": 0}
    assert [r.first[0].value for r in first] == [r.first[0].value for r in second]


def test_only_missing_or_stale_chunks_are_recomputed(tmp_path):
    rule = RULES_BY_NAME["sin"]
    pts = np.linspace(-3, 3, 40).reshape(-1, 1)
    compute_references(rule, pts, tmp_path, chunk=10, workers=0)
    (tmp_path / "sin" / "000001.json.gz").unlink()           # an interrupted run
    path = tmp_path / "sin" / "000002.json.gz"
    data = json.loads(gzip.decompress(path.read_bytes()))
    data["points"][0] = [(9.0).hex()]                      # points changed since
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    (tmp_path / "sin" / "000003.json.gz").write_text("{trunc")  # a torn write
    stats = {}
    compute_references(rule, pts, tmp_path, chunk=10, workers=0, stats=stats)
    assert stats == {"chunks_cached": 1, "chunks_computed": 3}


def test_certify_rules_resumes(tmp_path, monkeypatch, tiny):
    rules = [RULES_BY_NAME["exp"]]
    run1 = certify_rules(rules, tiny, tmp_path, workers=0, backend="formulas")
    assert run1.chunks_computed > 0 and run1.chunks_cached == 0
    monkeypatch.setattr(refmod, "rule_reference", _no_oracle)
    run2 = certify_rules(rules, tiny, tmp_path, workers=0, backend="formulas")
    assert run2.chunks_computed == 0 and run2.chunks_cached == run1.chunks_computed
    assert run2.rules[0]["budget"] == run1.rules[0]["budget"]


def test_an_interrupted_run_keeps_its_finished_chunks(tmp_path, monkeypatch):
    rule = RULES_BY_NAME["sin"]
    pts = np.linspace(-3, 3, 30).reshape(-1, 1)
    calls = {"n": 0}
    real = refmod.rule_reference

    def interrupt_in_third_chunk(*a, **k):
        calls["n"] += 1
        if calls["n"] > 25:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(refmod, "rule_reference", interrupt_in_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        compute_references(rule, pts, tmp_path, chunk=10, workers=0)
    monkeypatch.setattr(refmod, "rule_reference", real)
    stats = {}
    compute_references(rule, pts, tmp_path, chunk=10, workers=0, stats=stats)
    assert stats == {"chunks_cached": 2, "chunks_computed": 1}


def test_batches_of_rules_give_the_same_statistics(tmp_path, monkeypatch, tiny):
    import dualjit.certify.run as runmod
    rules = [RULES_BY_NAME["exp"], RULES_BY_NAME["atan2"]]
    whole = certify_rules(rules, tiny, tmp_path, workers=0, backend="formulas")
    monkeypatch.setattr(runmod, "BATCH_POINTS", 10)   # one rule per batch, as thorough
    split = certify_rules(rules, tiny, tmp_path, workers=0, backend="formulas")
    assert split.timings["batches"] == 2 and whole.timings["batches"] == 1
    strip = lambda st: {k: v for k, v in st.items() if k != "_plot"}  # noqa: E731
    assert [strip(s) for s in split.rules] == [strip(s) for s in whole.rules]


def test_editing_a_reference_invalidates_its_cached_chunks(tmp_path, monkeypatch):
    import dataclasses
    import importlib
    import sys

    from dualjit.certify import references as refs_mod
    from dualjit.rules import RULES_BY_NAME

    module = tmp_path / "planted_reference.py"
    module.write_text("import mpmath as mp\ndef f(x):\n    return mp.exp(x)\n"
                      "def d(x):\n    return mp.exp(x)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    planted = importlib.import_module("planted_reference")
    rule = dataclasses.replace(RULES_BY_NAME["exp"], reference=(planted.f, planted.d, planted.d))
    before = refs_mod.reference_fingerprint(rule)
    refs_mod.compute_references(rule, [(0.5,), (1.5,)], tmp_path / "cache", workers=1)
    assert not refs_mod.ReferenceJob(rule, [(0.5,), (1.5,)], tmp_path / "cache", 128,
                                     refs_mod.PrecisionPolicy()).todo  # reused as is

    module.write_text(module.read_text().replace("def d(x):\n    return mp.exp(x)",
                                                 "def d(x):\n    return 2 * mp.exp(x)"))
    planted = importlib.reload(planted)
    edited = dataclasses.replace(rule, reference=(planted.f, planted.d, planted.d))
    assert refs_mod.reference_fingerprint(edited) != before
    job = refs_mod.ReferenceJob(edited, [(0.5,), (1.5,)], tmp_path / "cache", 128,
                                refs_mod.PrecisionPolicy())
    assert job.todo == [0]  # the stale chunk is not reused
    sys.modules.pop("planted_reference", None)
