"""Array helpers so one function body works for float arrays and arrays of duals.

In Python they act on NumPy float arrays; inside njit code they also accept arrays of
dualjit numbers (see :mod:`dualjit.numba_ext.arrays`).
"""
from __future__ import annotations

import numpy as np

__all__ = ["empty", "empty_like", "zeros", "zeros_like"]


def empty(shape, like):
    """An uninitialized array of ``shape`` holding the element type of ``like``.

    ``like`` is a float, a dual, or an array of either. Use it for temporaries and
    outputs of functions you differentiate: ``out = dualjit.empty(m, like=x)``.
    """
    return np.empty(shape, np.float64)


def empty_like(x):
    """An uninitialized array shaped and typed like ``x`` (floats or duals)."""
    return np.empty_like(np.asarray(x, dtype=np.float64))


def zeros(shape, like):
    """Like :func:`empty`, filled with zeros (constants: all partials zero)."""
    return np.zeros(shape, np.float64)


def zeros_like(x):
    """Like :func:`empty_like`, filled with zeros."""
    return np.zeros_like(np.asarray(x, dtype=np.float64))
