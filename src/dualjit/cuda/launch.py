"""Launch plumbing for dualjit.cuda: GPU/simulator detection, argument checks, launch
configuration and host/device array handling.

numba-cuda is imported lazily (inside functions), so ``import dualjit.cuda`` works where
the optional extra ``dualjit[cuda]`` is not installed; calling the API then raises a
clear ImportError.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["THREADS_PER_BLOCK", "CudaUnavailableError", "cuda_module", "is_simulator",
           "require_gpu", "launch_config", "as_points", "as_rows", "as_extra_args",
           "is_device_array"]

#: Threads per block of every dualjit.cuda kernel (a multiple of the warp size).
THREADS_PER_BLOCK = 256
WARP = 32

SIMULATOR_HINT = ("To run the same code without a GPU (slowly, for testing), use numba-cuda's "
                  "simulator: set the environment variable NUMBA_ENABLE_CUDASIM=1 before "
                  "numba is imported, e.g. `NUMBA_ENABLE_CUDASIM=1 python script.py`.")


class CudaUnavailableError(RuntimeError):
    """dualjit.cuda was called where no CUDA GPU (and no simulator) is available."""


def cuda_module():
    """``numba.cuda``, or an ImportError saying which extra to install."""
    try:
        from numba import cuda
    except ImportError as exc:  # pragma: no cover - numba-cuda is in the 'cuda' extra
        raise ImportError("dualjit.cuda needs numba-cuda: install it with "
                          "`pip install dualjit[cuda]`") from exc
    if not hasattr(cuda, "jit"):  # pragma: no cover
        raise ImportError("numba.cuda has no jit: install numba-cuda (`pip install dualjit[cuda]`)")
    return cuda


def is_simulator() -> bool:
    """True when numba-cuda runs the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)."""
    import numba
    return bool(getattr(numba.config, "ENABLE_CUDASIM", 0))


def require_gpu(verb: str):
    """``numba.cuda`` if a GPU (or the simulator) can run kernels, else a clear error."""
    cuda = cuda_module()
    if is_simulator():
        return cuda
    try:
        ok = cuda.is_available()
    except Exception:  # pragma: no cover - a broken driver install
        ok = False
    if not ok:
        reason = ""
        try:
            from numba.cuda.cudadrv.driver import driver
            driver.ensure_initialized() if hasattr(driver, "ensure_initialized") else driver.initialize()
        except Exception as exc:  # noqa: BLE001 - only to name the cause in the message
            text = str(exc).strip()
            reason = f" ({text.splitlines()[0]})" if text else f" ({type(exc).__name__})"
        raise CudaUnavailableError(
            f"dualjit.cuda.{verb}: no CUDA GPU is available on this machine{reason}: "
            f"dualjit.cuda needs an NVIDIA GPU with a working CUDA driver. {SIMULATOR_HINT} "
            "On the CPU, use dualjit." + verb + " instead.")
    return cuda


def launch_config(n: int, threads_per_block: int = THREADS_PER_BLOCK) -> tuple[int, int]:
    """``(blocks, threads)`` covering ``n`` threads, one per point or row.

    Full blocks of ``threads_per_block`` on a GPU; for fewer points one block rounded up
    to a whole warp; in the simulator (one Python thread per CUDA thread) exactly ``n``.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    n = int(n)
    if n >= threads_per_block:
        threads = threads_per_block
    elif is_simulator():
        threads = n
    else:
        threads = -(-n // WARP) * WARP
    return -(-n // threads), threads


# --------------------------------------------------------------------------- arrays

def is_device_array(x) -> bool:
    """A CUDA device array (numba's DeviceNDArray, the simulator's, or any object with
    ``__cuda_array_interface__``)."""
    if isinstance(x, np.ndarray):
        return False
    if hasattr(x, "__cuda_array_interface__"):
        return True
    # the simulator's FakeCUDAArray has no __cuda_array_interface__
    return type(x).__name__ == "FakeCUDAArray" and hasattr(x, "copy_to_host")


def _describe(x) -> str:
    return f"{type(x).__name__} of dtype {x.dtype} and shape {tuple(x.shape)}"


def _is_c_contiguous(x) -> bool:
    if isinstance(x, np.ndarray):
        return x.flags.c_contiguous
    fn = getattr(x, "is_c_contiguous", None)
    if callable(fn):
        return bool(fn())
    flags = getattr(x, "flags", None)
    if flags is not None:
        try:
            return bool(flags["C_CONTIGUOUS"])
        except (KeyError, TypeError):
            return bool(getattr(flags, "c_contiguous", False))
    return True


def _check_array(x, ndim: int, argname: str, verb: str, what: str):
    """(array, on_device): a float64 C-contiguous array of rank ``ndim``, or a clear error."""
    on_device = is_device_array(x)
    if not on_device:
        if isinstance(x, (list, tuple)):
            x = np.asarray(x, dtype=np.float64) if len(x) else np.empty((0,) * ndim)
        if not isinstance(x, np.ndarray):
            raise TypeError(f"dualjit.cuda.{verb}: {argname} must be {what} (a NumPy array or a "
                            f"CUDA device array), got {type(x).__name__}: {x!r}")
    dtype = np.dtype(x.dtype)
    if dtype != np.float64:
        raise TypeError(f"dualjit.cuda.{verb}: {argname} must have dtype float64, got "
                        f"{_describe(x)}; convert it with {argname}.astype(np.float64)")
    if len(x.shape) != ndim:
        raise ValueError(f"dualjit.cuda.{verb}: {argname} must be {what}, got {_describe(x)}")
    if not _is_c_contiguous(x):
        raise ValueError(f"dualjit.cuda.{verb}: {argname} must be C-contiguous, got a "
                         f"non-contiguous {_describe(x)} (e.g. a strided view); pass "
                         f"np.ascontiguousarray({argname}) (or a contiguous device copy)")
    return x, on_device


def as_points(xs, verb: str, argname: str = "xs"):
    """A 1-D float64 C-contiguous host or device array: (array, on_device)."""
    return _check_array(xs, 1, argname, verb, "a 1-D array of points")


def as_rows(X, verb: str, argname: str = "X"):
    """A 2-D float64 C-contiguous array, one input vector a row: (array, on_device)."""
    X, on_device = _check_array(X, 2, argname, verb, "a 2-D array with one input vector a row")
    if X.shape[1] == 0:
        raise ValueError(f"dualjit.cuda.{verb}: {argname} must have at least one column, got "
                         f"shape {tuple(X.shape)}")
    return X, on_device


def as_extra_args(args, verb: str) -> tuple:
    """Extra arguments passed to f unchanged at every point: real scalars only."""
    out = []
    for k, a in enumerate(args):
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (numbers.Real, np.floating, np.integer)):
            raise TypeError(f"dualjit.cuda.{verb}: args[{k}] must be a real scalar (int or float), "
                            f"got {type(a).__name__}: {a!r}")
        out.append(int(a) if isinstance(a, (int, np.integer)) else float(a))
    return tuple(out)
