"""dualjit on the GPU: derivatives over many points with numba-cuda (the ``cuda`` extra).

::

    import math, numba, numpy as np
    import dualjit.cuda

    @numba.njit
    def f(x):
        return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)

    xs = np.linspace(0.0, 1.0, 10**6)
    d = dualjit.cuda.derivative(f, xs)           # NumPy in, NumPy out
    d2 = dualjit.cuda.second_derivative(f, xs)
    g = dualjit.cuda.gradient(h, X)              # one input vector a row

The number types ``dualjit.Dual`` and ``dualjit.HyperDual`` also work directly inside
your own ``numba.cuda.jit`` kernels and device functions; see docs/cuda.md. Without a GPU,
set ``NUMBA_ENABLE_CUDASIM=1`` (before numba is imported) to run everything in
numba-cuda's simulator, with results bit-for-bit equal to the CPU path.
"""
from .api import (DEFAULT_CHUNK, derivative, gradient, kernel_for, second_derivative,
                  value_and_derivative, value_and_gradient)
from .launch import THREADS_PER_BLOCK, CudaUnavailableError, is_simulator, launch_config
from ..numba_ext import cuda_target as _cuda_target

_cuda_target.install()  # numba-cuda's missing NumPy ufunc loops (see numba_ext/cuda_target.py)

__all__ = [
    "derivative", "second_derivative", "value_and_derivative",
    "gradient", "value_and_gradient", "kernel_for",
    "CudaUnavailableError", "is_simulator", "launch_config",
    "THREADS_PER_BLOCK", "DEFAULT_CHUNK",
]
