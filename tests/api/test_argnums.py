"""argnums: differentiate any argument or several, as in JAX."""
import math

import numba
import numpy as np
import pytest

import dualjit


@numba.njit
def f3(x, a, b):
    return a * math.sin(b * x)


@numba.njit
def weighted(w, data, bias):
    s = bias * bias
    for i in range(len(w)):
        s += w[i] * data[i] ** 2
    return s


@numba.njit
def pair_out(x, y):
    out = dualjit.empty(2, x)
    out[0] = x[0] * y
    out[1] = x[1] + y * y
    return out


def test_int_argnums_picks_one_scalar():
    x, a, b = 0.3, 2.0, 1.5
    assert dualjit.derivative(f3, x, a, b) == a * b * math.cos(b * x)
    assert dualjit.derivative(f3, x, a, b, argnums=1) == math.sin(b * x)
    assert dualjit.derivative(f3, x, a, b, argnums=-1) == pytest.approx(a * x * math.cos(b * x), rel=1e-15)
    assert dualjit.second_derivative(f3, x, a, b, argnums=2) == pytest.approx(
        -a * x * x * math.sin(b * x), rel=1e-15)


def test_tuple_argnums_gives_a_tuple():
    x, a, b = 0.3, 2.0, 1.5
    dx, db = dualjit.derivative(f3, x, a, b, argnums=(0, 2))
    assert dx == pytest.approx(a * b * math.cos(b * x), rel=1e-15)
    assert db == pytest.approx(a * x * math.cos(b * x), rel=1e-15)


def test_gradient_over_arrays_and_scalars():
    w, data, bias = np.array([1.0, -2.0]), np.array([3.0, 0.5]), 0.75
    gw, gd, gb = dualjit.gradient(weighted, w, data, bias, argnums=(0, 1, 2))
    np.testing.assert_array_equal(gw, data ** 2)
    np.testing.assert_array_equal(gd, 2.0 * w * data)
    assert gb == 1.5
    np.testing.assert_array_equal(dualjit.gradient(weighted, w, data, bias, argnums=1), 2.0 * w * data)


def test_jacobian_hessian_and_jvp_blocks():
    x, y = np.array([2.0, 3.0]), 0.5
    Jx, Jy = dualjit.jacobian(pair_out, x, y, argnums=(0, 1))
    np.testing.assert_array_equal(Jx, [[0.5, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(Jy, [2.0, 1.0])
    w, data, bias = np.array([1.0, -2.0]), np.array([3.0, 0.5]), 0.75
    (Hww, Hwb), (Hbw, Hbb) = dualjit.hessian(weighted, w, data, bias, argnums=(0, 2))
    np.testing.assert_array_equal(Hww, np.zeros((2, 2)))
    np.testing.assert_array_equal(Hwb, [0.0, 0.0])
    assert Hbb == 2.0
    value, tangent = dualjit.jvp(pair_out, x, (np.array([1.0, 0.0]), 1.0), y, argnums=(0, 1))
    np.testing.assert_array_equal(tangent, Jx @ [1.0, 0.0] + Jy * 1.0)


@pytest.mark.parametrize("argnums,exc,match", [
    (3, ValueError, "out of range"),
    (-4, ValueError, "out of range"),
    ((0, 0), ValueError, "names an argument twice"),
    ((0, -3), ValueError, "names an argument twice"),
    (1.0, TypeError, "argnums must be an int"),
    ((), TypeError, "argnums must be an int"),
    (True, TypeError, "argnums must be an int"),
])
def test_bad_argnums(argnums, exc, match):
    with pytest.raises(exc, match=match):
        dualjit.derivative(f3, 0.3, 2.0, 1.5, argnums=argnums)


def test_argnums_pointing_at_a_non_float_argument():
    with pytest.raises(TypeError, match="argument 1 must be a 1-D array of real numbers"):
        dualjit.gradient(weighted, np.ones(2), np.array(["a", "b"]), 1.0, argnums=1)
    with pytest.raises(TypeError, match="argument 1 must be a real scalar"):
        dualjit.derivative(f3, 0.3, "two", 1.5, argnums=1)
    with pytest.raises(TypeError, match="must be a 1-D array, got a scalar"):
        dualjit.gradient(weighted, np.ones(2), np.ones(2), 1.0, argnums=2)
