"""dualjit.cuda's boundary: clear errors for bad input and for a missing GPU.

Argument checks run before anything touches the GPU, so they are tested here on any
machine; the no-GPU error is tested where no CUDA driver exists (outside the simulator).
"""
import math

import numba
import numpy as np
import pytest

cuda_missing = None
try:
    from numba import cuda
    if not hasattr(cuda, "jit"):
        cuda_missing = "numba.cuda has no jit (numba-cuda not installed)"
except ImportError as exc:  # pragma: no cover
    cuda_missing = f"numba-cuda is not installed ({exc}); install dualjit[cuda]"

pytestmark = pytest.mark.skipif(cuda_missing is not None, reason=f"CUDA extra: {cuda_missing}")

import dualjit.cuda as dcuda  # noqa: E402
from dualjit.cuda import CudaUnavailableError, launch_config  # noqa: E402


@numba.njit(error_model="numpy")
def f(x):
    return math.sin(x) * x


@numba.njit(error_model="numpy")
def h(x):
    return x[0] * x[1]


def _no_gpu():
    if numba.config.ENABLE_CUDASIM:
        return "the CUDA simulator is enabled"
    if cuda.is_available():
        return "a CUDA GPU is available here"
    return None


@pytest.mark.parametrize("verb", ["derivative", "second_derivative", "value_and_derivative"])
def test_no_gpu_is_a_clear_error_pointing_to_the_simulator(verb):
    if _no_gpu():
        pytest.skip(_no_gpu())
    with pytest.raises(CudaUnavailableError) as info:
        getattr(dcuda, verb)(f, np.linspace(0.0, 1.0, 4))
    msg = str(info.value)
    assert "no CUDA GPU" in msg and "NUMBA_ENABLE_CUDASIM=1" in msg and verb in msg


def test_no_gpu_gradient():
    if _no_gpu():
        pytest.skip(_no_gpu())
    with pytest.raises(CudaUnavailableError, match="NUMBA_ENABLE_CUDASIM=1"):
        dcuda.gradient(h, np.ones((3, 2)))


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.complex128])
def test_wrong_dtype_names_the_argument(dtype):
    with pytest.raises(TypeError, match=r"xs must have dtype float64.*astype"):
        dcuda.derivative(f, np.ones(4, dtype=dtype))
    with pytest.raises(TypeError, match=r"X must have dtype float64"):
        dcuda.gradient(h, np.ones((4, 2), dtype=dtype))


def test_wrong_rank_names_the_argument():
    with pytest.raises(ValueError, match=r"xs must be a 1-D array of points.*shape \(2, 2\)"):
        dcuda.derivative(f, np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"xs must be a 1-D array"):
        dcuda.second_derivative(f, np.array(1.0))
    with pytest.raises(ValueError, match=r"X must be a 2-D array with one input vector a row"):
        dcuda.gradient(h, np.ones(4))
    with pytest.raises(ValueError, match=r"X must have at least one column"):
        dcuda.gradient(h, np.ones((4, 0)))


def test_non_contiguous_names_the_argument():
    with pytest.raises(ValueError, match=r"xs must be C-contiguous.*ascontiguousarray\(xs\)"):
        dcuda.value_and_derivative(f, np.linspace(0.0, 1.0, 10)[::2])
    with pytest.raises(ValueError, match=r"X must be C-contiguous"):
        dcuda.gradient(h, np.ones((4, 3)).T)


def test_bad_function_and_arguments():
    with pytest.raises(TypeError, match=r"dualjit.cuda.derivative: f must be"):
        dcuda.derivative(42, np.ones(3))
    with pytest.raises(TypeError, match=r"args\[0\] must be a real scalar"):
        dcuda.derivative(f, np.ones(3), np.ones(3))
    with pytest.raises(TypeError, match=r"xs must be a 1-D array of points"):
        dcuda.derivative(f, "abc")
    with pytest.raises(ValueError, match="chunk"):
        dcuda.gradient(h, np.ones((2, 2)), chunk=0)


def test_launch_config():
    if numba.config.ENABLE_CUDASIM:
        pytest.skip("the simulator launches exactly n threads")
    assert launch_config(1) == (1, 32)
    assert launch_config(33) == (1, 64)
    assert launch_config(256) == (1, 256)
    assert launch_config(257) == (2, 256)
    assert launch_config(10**8) == (390625, 256)
    with pytest.raises(ValueError):
        launch_config(0)


def test_module_exports():
    assert set(dcuda.__all__) >= {"derivative", "second_derivative", "value_and_derivative",
                                  "gradient", "value_and_gradient", "CudaUnavailableError"}
