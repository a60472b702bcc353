import numba
import numpy as np
import pytest

import dualjit
from functions import quadratic_form, rosenbrock, rosenbrock_gradient


@pytest.mark.parametrize("n", [2, 5, 13])
@pytest.mark.parametrize("chunk", [1, 3, 8, 16])
def test_rosenbrock_gradient_is_exact_for_every_chunk(n, chunk):
    x = -1.25 + 0.25 * np.arange(n)  # dyadic points: every operation is exact
    value, grad = dualjit.value_and_gradient(rosenbrock, x, chunk=chunk)
    assert value == rosenbrock(x)
    np.testing.assert_array_equal(grad, rosenbrock_gradient(x))


def test_quadratic_form_gradient():
    rng = np.random.default_rng(1)
    A, x = rng.standard_normal((6, 6)), rng.standard_normal(6)
    np.testing.assert_allclose(dualjit.gradient(quadratic_form, x, A), (A + A.T) @ x, rtol=1e-14)


def test_integer_and_list_inputs_are_accepted():
    np.testing.assert_array_equal(dualjit.gradient(rosenbrock, [1, 1, 1]), [0.0, 0.0, 0.0])


def test_gradient_inside_njit():
    @numba.njit
    def descend(x):
        for _ in range(3):
            x = x - 1e-4 * dualjit.gradient(rosenbrock, x)
        return x

    x = np.array([-1.0, 1.0, 0.5])
    expected = x.copy()
    for _ in range(3):
        expected = expected - 1e-4 * dualjit.gradient(rosenbrock, expected)
    np.testing.assert_array_equal(descend(x), expected)


@pytest.mark.parametrize("bad,exc,match", [
    (np.ones((2, 2)), ValueError, "x must be a 1-D array"),
    (np.array([]), ValueError, "at least one element"),
    (np.array([1j, 2j]), TypeError, "x must be a 1-D array of real numbers"),
    (np.array(["a"]), TypeError, "x must be a 1-D array of real numbers"),
])
def test_bad_vector(bad, exc, match):
    with pytest.raises(exc, match=match):
        dualjit.gradient(rosenbrock, bad)


@pytest.mark.parametrize("chunk,exc", [(0, ValueError), (-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_bad_chunk(chunk, exc):
    with pytest.raises(exc, match="chunk must be a positive int"):
        dualjit.gradient(rosenbrock, [1.0, 2.0], chunk=chunk)
