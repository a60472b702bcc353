"""The key test: a rule row with a deliberately wrong derivative is FAILED by the
certifier, with the witness where the formula breaks down."""
import dataclasses
import math

from dualjit.certify.run import certify_rules
from dualjit.certify.sampling import Profile
from dualjit.rules import RULES_BY_NAME

# Enough uniform points over the rows' ranges to land in the tails.
PLANTED = Profile("planted", uniform=200, bits=20, chunk=64, all_targets=False)


def _witness(st):
    return float.fromhex(st["budget"]["first"]["witness"]["input"][0])


def test_tanh_with_one_minus_y_squared_fails_in_the_tail(tmp_path):
    base = RULES_BY_NAME["tanh"]
    bad = dataclasses.replace(base, first=lambda x, y: 1.0 - y * y,
                              second=lambda x, y, d1: -2.0 * y * (1.0 - y * y))
    st = certify_rules([bad], PLANTED, tmp_path, workers=0, backend="formulas").rules[0]
    b = st["budget"]["first"]
    assert not b["met"] and not st["certified"]
    assert b["max"] > 1e12
    assert 15.0 < abs(_witness(st)) < 20.0          # x ~ 19, where tanh(x) rounds near 1
    assert b["reasons"][0].startswith("df/dx:")
    # The value is still the primal: only the derivative is at fault.
    assert st["value"]["verdict"] == "exact"


def test_correct_tanh_formulas_pass_where_the_planted_one_fails(tmp_path):
    st = certify_rules([RULES_BY_NAME["tanh"]], PLANTED, tmp_path, workers=0,
                       backend="formulas").rules[0]
    assert st["budget"]["first"]["met"] and st["budget"]["second"]["met"]


def test_sigmoid_with_s_times_one_minus_s_fails_for_large_x(tmp_path):
    base = RULES_BY_NAME["sigmoid"]
    bad = dataclasses.replace(base, first=lambda x, y: y * (1.0 - y))
    st = certify_rules([bad], PLANTED, tmp_path, workers=0, backend="formulas").rules[0]
    b = st["budget"]["first"]
    assert not b["met"] and b["max"] > 1e12
    assert _witness(st) > 15.0                      # s(x) rounds near 1
    assert math.isfinite(_witness(st))


def test_planted_rule_through_a_compiled_kernel(tmp_path):
    """The same defect compiled with Numba (the formulas jitted into one kernel)."""
    import numba
    import numpy as np

    from dualjit.certify.engine import EngineResult
    from dualjit.certify.references import compute_references
    from dualjit.certify.sampling import sample_rule
    from dualjit.certify.stats import rule_statistics

    @numba.njit(error_model="numpy")
    def kernel(xs, out):
        for i in range(xs.shape[0]):
            y = math.tanh(xs[i])
            out[i, 0] = y
            out[i, 1] = 1.0 - y * y
            out[i, 2] = -2.0 * y * (1.0 - y * y)

    rule = RULES_BY_NAME["tanh"]
    s = sample_rule(rule, PLANTED)
    out = np.empty((len(s), 3))
    kernel(s.points[:, 0].copy(), out)
    res = EngineResult("kernel", out[:, 0], out[:, [0]], ("kernel",), out[:, [1]], out[:, [2]], [])
    refs = compute_references(rule, s.points, tmp_path, chunk=64, workers=0)
    st = rule_statistics(rule, s.points, s.origins, [res], refs)
    assert not st["budget"]["first"]["met"] and 15.0 < abs(_witness(st)) < 20.0
