import math

import numba
import numpy as np
import pytest

import dualjit
from functions import fike, fike_reference
from reference import ulp_error


def test_fike_first_and_second_derivative_within_2_ulp():
    f, d1, d2 = fike_reference(1.5)
    value, derivative = dualjit.value_and_derivative(fike, 1.5)
    assert value == fike(1.5)  # bit-for-bit the plain primal
    assert ulp_error(derivative, d1) <= 2.0
    assert ulp_error(dualjit.second_derivative(fike, 1.5), d2) <= 2.0


@pytest.mark.parametrize("x", [0.1, 0.7, 1.2, 1.5, 2.0])
def test_fike_derivatives_across_points(x):
    # Away from 1.5 the chain rule's own cancellation (f'' is a difference of terms
    # ~10x larger at 0.7) costs more than the rules' ulps: compare relatively.
    _, d1, d2 = fike_reference(x)
    assert dualjit.derivative(fike, x) == pytest.approx(float(d1), rel=1e-14)
    assert dualjit.second_derivative(fike, x) == pytest.approx(float(d2), rel=1e-13)


def test_polynomials_are_exact():
    p = numba.njit(lambda x: 3.0 * x ** 4 - 2.0 * x + 1.0)
    assert dualjit.derivative(p, 2.0) == 94.0
    assert dualjit.second_derivative(p, 2.0) == 144.0


def test_plain_python_function_is_compiled():
    assert dualjit.derivative(lambda x: x * math.sin(x), 0.0) == 0.0
    assert dualjit.derivative(lambda x: x * x, 3) == 6.0


def test_constant_function_has_zero_derivative():
    assert dualjit.value_and_derivative(numba.njit(lambda x: 2.5), 1.0) == (2.5, 0.0)


def test_extra_arguments_pass_through():
    scaled = numba.njit(lambda x, a, b: a * math.sin(b * x))
    assert dualjit.derivative(scaled, 0.0, 3.0, 2.0) == 6.0


@numba.njit(error_model="numpy")
def _newton_root_of_fike_minus(target, x):
    for _ in range(30):
        v, d = dualjit.value_and_derivative(fike, x)
        x -= (v - target) / d
    return x


def test_verbs_inside_njit_code():
    root = _newton_root_of_fike_minus(5.0, 1.0)
    assert abs(fike(root) - 5.0) < 1e-14
    inner = numba.njit(lambda x: dualjit.second_derivative(fike, x))
    assert inner(1.5) == dualjit.second_derivative(fike, 1.5)


@numba.njit
def _x_plus_y(y, x):
    return x + y


@numba.njit
def _outer(x):
    return x * dualjit.derivative(_x_plus_y, 1.0, x)


def test_nested_derivative_keeps_the_perturbations_apart():
    # d/dx [x · d/dy (x + y)] at x = 1 is 1; confusing the two perturbations would give 2.
    assert dualjit.derivative(_outer, 1.0) == 1.0


@numba.njit
def _g(y, x):
    return math.sin(x * y) * y


@numba.njit
def _dg_dy(x):
    return dualjit.derivative(_g, 0.7, x)


def test_derivative_of_a_derivative():
    x, y = 1.3, 0.7
    expected = math.cos(x * y) * y - x * y * y * math.sin(x * y) + y * math.cos(x * y)
    assert dualjit.derivative(_dg_dy, x) == pytest.approx(expected, rel=1e-15)
    sin = numba.njit(lambda s: math.sin(s))
    inner = numba.njit(lambda t: dualjit.derivative(sin, t))
    assert dualjit.derivative(inner, 0.5) == -math.sin(0.5) == dualjit.second_derivative(sin, 0.5)


def test_nesting_through_other_verbs_is_refused_clearly():
    inner = numba.njit(lambda v, a: v[0] * a)
    outer = numba.njit(lambda a: dualjit.gradient(inner, np.array([1.0, 2.0]), a)[0])
    with pytest.raises(numba.core.errors.TypingError, match="second_derivative or hessian"):
        dualjit.derivative(outer, 1.0)


@pytest.mark.parametrize("bad,exc,match", [("1.0", TypeError, "x must be a real scalar"),
                                           (1j, TypeError, "x must be a real scalar"),
                                           (np.ones(2), TypeError, "x must be a real scalar"),
                                           (None, TypeError, "x must be a real scalar")])
def test_bad_point(bad, exc, match):
    with pytest.raises(exc, match=match):
        dualjit.derivative(fike, bad)


def test_bad_function():
    with pytest.raises(TypeError, match="f must be a function compiled with numba.njit"):
        dualjit.derivative(3.0, 1.0)


def test_function_returning_a_tuple_is_refused():
    pair = numba.njit(lambda x: (x, x))
    with pytest.raises(numba.core.errors.TypingError, match="must return a float"):
        dualjit.derivative(pair, 1.0)


def test_nan_and_out_of_domain_propagate_like_numpy():
    v, d = dualjit.value_and_derivative(numba.njit(lambda x: math.log(x)), -1.0)
    assert math.isnan(v) and math.isnan(d)
    v, d = dualjit.value_and_derivative(numba.njit(lambda x: math.exp(x)), math.inf)
    assert v == math.inf and d == math.inf
    v, d = dualjit.value_and_derivative(fike, math.nan)
    assert math.isnan(v) and math.isnan(d)
