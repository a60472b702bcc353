import math

import numpy as np
import pytest

from dualjit.certify.engine import EngineResult
from dualjit.certify.stats import rule_statistics, summarize_ulps
from dualjit.oracle import rule_reference
from dualjit.rules import RULES_BY_NAME

SIN = RULES_BY_NAME["sin"]


def _shift(x, ulps):
    for _ in range(abs(ulps)):
        x = math.nextafter(x, math.inf if ulps > 0 else -math.inf)
    return x


def _result(points, primal, values, first, second, target="math.sin"):
    n = len(points)
    return EngineResult(target, np.array(primal, dtype=float),
                        np.array(values, dtype=float).reshape(n, -1), ("Dual",),
                        np.array(first, dtype=float).reshape(n, -1),
                        np.array(second, dtype=float).reshape(n, -1), [])


def _sin_case(xs, first_shift=None, second_shift=None, values=None):
    pts = np.array(xs, dtype=float).reshape(-1, 1)
    refs = [rule_reference(SIN, (x,)) for x in xs]
    primal = [math.sin(x) for x in xs]
    first = [r.first[0].value for r in refs]
    second = [r.second[0].value for r in refs]
    for i, k in (first_shift or {}).items():
        first[i] = _shift(first[i], k)
    for i, k in (second_shift or {}).items():
        second[i] = _shift(second[i], k)
    vals = primal if values is None else values
    return pts, refs, _result(pts, primal, vals, first, second)


def test_summarize_ulps_max_median_p99_and_witness():
    s = summarize_ulps([0.5, 3.0, 1.0, 0.25], ["a", "b", "c", "d"])
    assert s["max"] == 3.0 and s["witness"] == "b" and s["median"] == 0.75 and s["p99"] == 3.0
    assert summarize_ulps([])["max"] is None


def test_exact_derivatives_score_zero_and_meet_the_budget():
    xs = [0.5, 1.0, -2.0, 3.0]
    pts, refs, res = _sin_case(xs)
    st = rule_statistics(SIN, pts, ["uniform"] * 4, [res], refs)
    f1 = st["first"][0]
    assert f1["max"] <= 0.5 and f1["n"] == 4 and f1["counts"]["ok"] == 4
    assert st["budget"]["first"]["met"] and st["budget"]["second"]["met"] and st["certified"]
    assert st["value"]["verdict"] == "exact" and st["value"]["identical_share"] == 1.0
    assert "lower bound" in st["note"]


def test_a_derivative_off_by_three_ulps_is_found_with_its_input():
    xs = [0.5, 1.0, -2.0, 3.0]
    pts, refs, res = _sin_case(xs, first_shift={2: 3})
    st = rule_statistics(SIN, pts, ["uniform"] * 4, [res], refs)
    f1 = st["first"][0]
    assert 2.5 <= f1["max"] <= 3.5
    assert f1["witness"]["input"] == [(-2.0).hex()] and f1["witness"]["target"] == "math.sin"
    b = st["budget"]["first"]
    assert not b["met"] and not st["certified"]
    assert b["reasons"] and (-2.0).hex() in b["reasons"][0]
    assert st["budget"]["second"]["met"]


def test_mismatch_kinds_are_counted_and_fail_the_budget():
    xs = [0.5, 1.0, 2.0]
    pts, refs, res = _sin_case(xs)
    res.first[0, 0] = math.nan
    res.first[1, 0] = 0.0      # cos(1) != 0: a false zero
    res.second[2, 0] = math.inf
    st = rule_statistics(SIN, pts, ["uniform"] * 3, [res], refs)
    c1, c2 = st["first"][0]["counts"], st["second"][0]["counts"]
    assert c1["nan_mismatch"] == 1 and c1["false_zero"] == 1 and c2["inf_mismatch"] == 1
    assert not st["budget"]["first"]["met"] and not st["budget"]["second"]["met"]
    kinds = {m["kind"] for m in st["first"][0]["mismatches"]}
    assert kinds == {"nan_mismatch", "false_zero"}


def test_value_violations_are_listed_with_their_input():
    xs = [0.5, 1.0]
    pts = np.array(xs).reshape(-1, 1)
    vals = [math.sin(0.5), _shift(math.sin(1.0), 4)]   # 4 ulps worse than the primal
    _, refs, res = _sin_case(xs, values=vals)
    st = rule_statistics(SIN, pts, ["uniform"] * 2, [res], refs)
    v = st["value"]
    assert v["verdict"] == "FAILED" and v["n_violations"] == 1
    assert v["violations"][0]["input"] == [(1.0).hex()]
    assert v["identical_share"] == 0.5 and not st["certified"]


def test_a_better_value_than_the_primal_agrees():
    # value part 1 ulp closer to the truth than a (pretend) primal 2 ulps off
    x = 0.5
    ref = rule_reference(SIN, (x,))
    true = ref.value.value
    primal = _shift(true, 2)
    res = _result([(x,)], [primal], [true], [ref.first[0].value], [ref.second[0].value])
    st = rule_statistics(SIN, np.array([[x]]), ["uniform"], [res], [ref])
    assert st["value"]["verdict"] == "agrees"
    assert 1.5 < st["primal"]["max"] < 2.5   # the primal's own error is reported


def test_kink_points_are_checked_against_the_convention_not_in_ulps():
    rule = RULES_BY_NAME["abs"]
    pts = np.array([[0.0], [-0.0], [2.0]])
    refs = [rule_reference(rule, (float(p[0]),)) for p in pts]
    res = _result(pts, [0.0, 0.0, 2.0], [0.0, 0.0, 2.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0],
                  target="abs")
    st = rule_statistics(rule, pts, ["kink", "kink", "uniform"], [res], refs)
    assert st["kinks"]["checked"] == 2
    bad = st["kinks"]["mismatches"]
    assert len(bad) == 1 and bad[0]["input"] == [(-0.0).hex()]   # -0 must give -1
    assert st["first"][0]["n"] == 1 and not st["certified"]


def test_near_zero_absolute_error_is_reported():
    x = math.pi / 2   # cos(x) ~ 6e-17: a zero of sin'
    pts, refs, res = _sin_case([x], first_shift={0: 5})
    st = rule_statistics(SIN, pts, ["special"], [res], refs)
    nz = st["first"][0]["near_zero"]
    assert nz["n"] == 1 and 0 < nz["max_abs_error"] < 1e-30


@pytest.mark.parametrize("name", ["hypot", "atan2"])
def test_binary_rules_report_every_partial(name):
    rule = RULES_BY_NAME[name]
    pts = np.array([[3.0, 4.0], [1.0, 2.0]])
    refs = [rule_reference(rule, tuple(p)) for p in pts]
    first = [[o.value for o in r.first] for r in refs]
    second = [[o.value for o in r.second] for r in refs]
    res = _result(pts, [r.value.value for r in refs], [r.value.value for r in refs], first,
                  second, target=name)
    st = rule_statistics(rule, pts, ["uniform"] * 2, [res], refs)
    assert [s["label"] for s in st["first"]] == ["df/dx", "df/dz"]
    assert [s["label"] for s in st["second"]] == ["d2f/dx2", "d2f/dxdz", "d2f/dz2"]
    assert st["certified"]


def test_points_on_a_kink_equation_are_not_scored_in_ulps():
    rule = RULES_BY_NAME["max"]
    pts = np.array([[1.5, 1.5], [2.0, 2.0], [3.0, 1.0]])
    refs = [rule_reference(rule, tuple(p)) for p in pts]
    res = _result(pts, [1.5, 2.0, 3.0], [1.5, 2.0, 3.0], [[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]],
                  [[0.0] * 3] * 3, target="max")
    st = rule_statistics(rule, pts, ["kink", "uniform", "uniform"], [res], refs)
    assert st["kinks"]["checked"] == 1 and st["kinks"]["mismatches"] == []
    assert st["kinks"]["unlisted"] == 1 and st["kinks"]["unlisted_points"][0]["where"] == "x == z"
    assert st["first"][0]["n"] == 1 and st["certified"]
