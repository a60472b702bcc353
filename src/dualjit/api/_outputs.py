"""Reading a user function's result: its value and its partials.

Plain Python here (floats and boxed numbers); numba_ext.verbs compiles the same names
for native types and turns a result of the wrong kind into a clear typing error.
"""
from __future__ import annotations

from ..types import Dual, HyperDual


def value(r):
    """The float value of a result (a float when f does not depend on x)."""
    return r.value if isinstance(r, (Dual, HyperDual)) else float(r)


def partial(r, k):
    """The k-th first-order partial (e1 for hyper-duals); 0 for a constant result."""
    if isinstance(r, Dual):
        return r.partials[k]
    if isinstance(r, HyperDual):
        return r.e1[k]
    return 0.0


def cross(r, k):
    """The k-th e1e2 (second-order) part of a hyper-dual result; 0 for a constant."""
    return r.e12[k] if isinstance(r, HyperDual) else 0.0


def value_and_tangent(r):
    """(value, first partial) of a scalar result, or arrays of them for an array result."""
    import numpy as np
    if isinstance(r, np.ndarray):
        return np.array([value(v) for v in r]), np.array([partial(v, 0) for v in r])
    return value(r), partial(r, 0)
