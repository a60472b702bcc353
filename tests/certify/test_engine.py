import math

import numpy as np

from dualjit.certify.engine import evaluate_rule, unary_kernel
from dualjit.rules import RULES_BY_NAME


def test_unary_engine_gives_primal_value_and_partials():
    rule = RULES_BY_NAME["sin"]
    xs = np.array([[0.5], [-2.0], [1e-300], [0.0]])
    (res,) = evaluate_rule(rule, xs, targets=[math.sin])
    assert res.target == "math.sin"
    assert res.primal.tolist() == [math.sin(x) for x in xs[:, 0]]
    assert (res.values == res.primal[:, None]).all() and res.values.shape == (4, 3)
    assert res.first.shape == (4, 1) and res.second.shape == (4, 1)
    assert abs(res.first[0, 0] - math.cos(0.5)) < 1e-15
    assert abs(res.second[1, 0] - (-math.sin(-2.0))) < 1e-15
    assert res.consistency == []
    # kernels are compiled once per target
    assert unary_kernel(math.sin) is unary_kernel(math.sin)


def test_formulas_backend_matches_the_engine_for_a_table_row():
    rule = RULES_BY_NAME["sin"]
    xs = np.linspace(-4, 4, 17).reshape(-1, 1)
    (eng,) = evaluate_rule(rule, xs, targets=[math.sin])
    (frm,) = evaluate_rule(rule, xs, backend="formulas")
    assert np.array_equal(eng.first, frm.first) and np.array_equal(eng.second, frm.second)
    assert np.array_equal(eng.primal, frm.primal)


def test_binary_engine_gives_all_partials():
    rule = RULES_BY_NAME["hypot"]
    pts = np.array([[3.0, 4.0], [1.0, -2.0]])
    (res,) = evaluate_rule(rule, pts, targets=[math.hypot])
    assert res.first.shape == (2, 2) and res.second.shape == (2, 3)
    assert res.first[0].tolist() == [0.6, 0.8]
    # d2/dx2 = z^2/h^3, d2/dxdz = -xz/h^3, d2/dz2 = x^2/h^3 at (3, 4)
    assert np.allclose(res.second[0], [16 / 125, -12 / 125, 9 / 125], rtol=1e-15)
    assert res.values.shape == (2, 6) and (res.values == res.primal[:, None]).all()


def test_nan_values_give_nan_derivatives_in_both_backends():
    rule = RULES_BY_NAME["log"]
    pts = np.array([[-1.0]])
    for res in evaluate_rule(rule, pts, targets=[math.log]) + evaluate_rule(rule, pts, backend="formulas"):
        assert math.isnan(res.primal[0]) and math.isnan(res.first[0, 0])
