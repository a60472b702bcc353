"""Argument checks at the boundary: fail before any compilation, naming the argument."""
from __future__ import annotations

import numbers
import weakref

import numba
import numpy as np
from numba.core.registry import CPUDispatcher

from ..numba_ext.policy import JIT_OPTIONS

# Plain Python functions are compiled once and remembered for as long as they live.
_AUTO_JITTED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def as_function(f, argname="f"):
    """A Numba dispatcher for f. A plain Python function is compiled with numba.njit
    (error_model='numpy') and the result cached; anything else is a TypeError."""
    if isinstance(f, CPUDispatcher):
        return f
    dispatcher = getattr(f, "dispatcher", None)  # a dualjit.jit function
    if isinstance(dispatcher, CPUDispatcher):
        return dispatcher
    if callable(f) and hasattr(f, "__code__"):
        try:
            return _AUTO_JITTED[f]
        except KeyError:
            jitted = _AUTO_JITTED[f] = numba.njit(**JIT_OPTIONS)(f)
            return jitted
    raise TypeError(f"{argname} must be a function compiled with numba.njit or a plain Python "
                    f"function dualjit can compile, got {type(f).__name__}: {f!r}")


def as_point(x, argname="x") -> float:
    """A real scalar as float64."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "fiu":
            return float(x)
        raise TypeError(f"{argname} must be a real scalar (float or int), got "
                        f"{type(x).__name__}: {x!r}")
    return float(x)


def as_vector(x, argname="x") -> np.ndarray:
    """A non-empty 1-D array of reals as a contiguous float64 array (a copy if needed)."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{argname} must be a 1-D array of real numbers, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{argname} must be a 1-D array, got an array of shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{argname} must hold at least one element, got an empty array")
    return np.ascontiguousarray(arr, dtype=np.float64)


def as_chunk(chunk, argname="chunk") -> int:
    if isinstance(chunk, (bool, np.bool_)) or not isinstance(chunk, (numbers.Integral, np.integer)):
        raise TypeError(f"{argname} must be a positive int, got {type(chunk).__name__}: {chunk!r}")
    if chunk < 1:
        raise ValueError(f"{argname} must be a positive int, got {chunk}")
    return int(chunk)
