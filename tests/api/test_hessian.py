import numba
import numpy as np
import pytest

import dualjit
from functions import quadratic_form, rosenbrock, rosenbrock_hessian


@pytest.mark.parametrize("n", [2, 7])
@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 8])
def test_rosenbrock_hessian_exact_and_symmetric(n, chunk):
    x = -1.25 + 0.25 * np.arange(n)  # dyadic points: every operation is exact
    H = dualjit.hessian(rosenbrock, x, chunk=chunk)
    np.testing.assert_array_equal(H, rosenbrock_hessian(x))
    np.testing.assert_array_equal(H, H.T)


def test_quadratic_form_hessian_is_symmetric_to_the_bit():
    rng = np.random.default_rng(7)
    A, x = rng.standard_normal((9, 9)), rng.standard_normal(9)
    H = dualjit.hessian(quadratic_form, x, A)
    np.testing.assert_array_equal(H, H.T)
    np.testing.assert_allclose(H, A + A.T, rtol=1e-14, atol=1e-14)


def test_hessian_inside_njit():
    H = numba.njit(lambda x: dualjit.hessian(rosenbrock, x))(np.array([1.0, 2.0, 0.5]))
    np.testing.assert_array_equal(H, rosenbrock_hessian(np.array([1.0, 2.0, 0.5])))
