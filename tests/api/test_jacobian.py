import numba
import numpy as np
import pytest

import dualjit
from functions import lorenz, lorenz_jacobian, rosenbrock


@pytest.mark.parametrize("chunk", [1, 2, 3, 8])
def test_lorenz_jacobian(chunk):
    u = np.array([1.5, -2.0, 20.0])
    np.testing.assert_array_equal(dualjit.jacobian(lorenz, u, chunk=chunk), lorenz_jacobian(u))


def test_jvp_is_j_times_v_and_linear_in_v():
    u, v, w = np.array([1.5, -2.0, 20.0]), np.array([1.0, 0.5, -2.0]), np.array([0.25, 4.0, 1.0])
    value, tangent = dualjit.jvp(lorenz, u, v)
    np.testing.assert_array_equal(value, lorenz(u))
    np.testing.assert_allclose(tangent, lorenz_jacobian(u) @ v, rtol=1e-15)
    combined = dualjit.jvp(lorenz, u, 2.0 * v + w)[1]
    np.testing.assert_allclose(combined, 2.0 * tangent + dualjit.jvp(lorenz, u, w)[1], rtol=1e-14)


def test_jvp_of_a_scalar_function_is_a_directional_derivative():
    x, v = np.array([0.5, 1.5, -1.0]), np.array([1.0, -1.0, 2.0])
    value, slope = dualjit.jvp(rosenbrock, x, v)
    assert value == rosenbrock(x)
    assert slope == pytest.approx(dualjit.gradient(rosenbrock, x) @ v, rel=1e-14)


def test_jacobian_inside_njit():
    J = numba.njit(lambda u: dualjit.jacobian(lorenz, u))(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(J, lorenz_jacobian(np.array([1.0, 2.0, 3.0])))


def test_jacobian_of_a_scalar_function_is_refused():
    with pytest.raises(numba.core.errors.TypingError, match="use gradient"):
        dualjit.jacobian(rosenbrock, [1.0, 2.0])


def test_jvp_direction_must_match():
    with pytest.raises(ValueError, match="v must have the shape of the differentiated argument"):
        dualjit.jvp(lorenz, [1.0, 2.0, 3.0], [1.0, 2.0])
