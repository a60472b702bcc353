"""@dualjit.jit: calls like the njit function, offers the verbs, refuses fastmath."""
import inspect
import math

import numba
import numpy as np
import pytest

import dualjit


@dualjit.jit
def scaled_sine(x, a):
    """a · sin(x)."""
    return a * math.sin(x)


@dualjit.jit(cache=True)
def loss(w, X, y):
    s = 0.0
    for i in range(X.shape[0]):
        p = 0.0
        for j in range(X.shape[1]):
            p += X[i, j] * w[j]
        s += (p - y[i]) ** 2
    return s


@dualjit.jit
def lorenz(u, sigma):
    out = dualjit.empty_like(u)
    out[0] = sigma * (u[1] - u[0])
    out[1] = u[0] * (28.0 - u[2]) - u[1]
    out[2] = u[0] * u[1] - 8.0 / 3.0 * u[2]
    return out


X = np.arange(6.0).reshape(3, 2)
Y = np.array([1.0, 2.0, 3.0])
W = np.array([0.5, -0.25])


def test_calls_exactly_like_the_compiled_function():
    plain = numba.njit(scaled_sine.py_func)
    assert scaled_sine(1.0, 2.0) == plain(1.0, 2.0)
    assert loss(W, X, Y) == numba.njit(loss.py_func)(W, X, Y)


def test_usable_from_other_njit_code_and_as_argument():
    caller = numba.njit(lambda x: scaled_sine(x, 3.0) + 1.0)
    assert caller(0.5) == 3.0 * math.sin(0.5) + 1.0
    assert dualjit.derivative(caller, 0.5) == 3.0 * math.cos(0.5)
    apply = numba.njit(lambda g, x: g(x, 2.0))
    assert apply(scaled_sine, 0.5) == 2.0 * math.sin(0.5)


def test_name_signature_and_docstring_are_the_original():
    assert scaled_sine.__name__ == "scaled_sine" and scaled_sine.__doc__ == "a · sin(x)."
    assert str(inspect.signature(scaled_sine)) == "(x, a)"
    assert repr(scaled_sine) == "<dualjit.jit function scaled_sine(x, a)>"


def test_verbs_as_methods():
    assert scaled_sine.derivative(1.0, 2.0) == 2.0 * math.cos(1.0)
    assert scaled_sine.value_and_derivative(1.0, 2.0) == (2.0 * math.sin(1.0), 2.0 * math.cos(1.0))
    assert scaled_sine.second_derivative(1.0, 2.0) == -2.0 * math.sin(1.0)
    residual = X @ W - Y
    np.testing.assert_allclose(loss.gradient(W, X, Y), 2.0 * X.T @ residual, rtol=1e-15)
    value, grad = loss.value_and_gradient(W, X, Y)
    assert value == loss(W, X, Y)
    np.testing.assert_allclose(loss.hessian(W, X, Y), 2.0 * X.T @ X, rtol=1e-15)
    u = np.array([1.0, 2.0, 3.0])
    J = lorenz.jacobian(u, 10.0)
    assert J[0].tolist() == [-10.0, 10.0, 0.0]
    np.testing.assert_allclose(lorenz.jvp(u, np.array([1.0, 0.0, 0.0]), 10.0)[1], J[:, 0])


@dualjit.jit(cache=True)
def cancelling(x):
    return (x * x - 4.0) / (x - 2.0)


@dualjit.jit(cache=True)
def rosen(x):
    return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2


def test_certify_and_enclose_as_methods():
    c = cancelling.certify(2.0 + 1e-10)
    assert c.true_derivative == 1.0 and c.derivative == 2.0      # the cancellation, caught
    assert c.derivative_reliable is False and c.value_agrees
    assert c.x == dualjit.certify_function(cancelling.dispatcher, 2.0 + 1e-10).x
    g = rosen.certify(np.array([0.5, -0.25]))
    assert g.max_gradient_ulp <= 1 and g.gradient_reliable
    e = cancelling.enclose(2.5, order=2)
    assert e.reliable and e.derivative.contains(1.0)
    with pytest.raises(TypeError, match="x must be a real scalar"):
        cancelling.certify("2.0")


def test_options_pass_through_and_fastmath_is_refused():
    assert dualjit.jit(cache=True, boundscheck=False)(lambda x: x * x).derivative(3.0) == 6.0
    for bad in ({"fastmath": True}, {"fastmath": {"contract"}}, {"forceobj": True}, {"nopython": False}):
        with pytest.raises(ValueError, match="refused|nopython must be True"):
            dualjit.jit(**bad)
    assert dualjit.jit(fastmath=False)(lambda x: 2.0 * x).derivative(1.0) == 2.0


def test_only_functions_can_be_decorated():
    with pytest.raises(TypeError, match="expected a Python function"):
        dualjit.jit(3.0)
