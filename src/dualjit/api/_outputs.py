"""Reading a user function's result: its value and its partials.

Plain Python here (floats and boxed numbers); numba_ext.verbs compiles the same names
for native types and turns a result of the wrong kind into a clear typing error.
"""
from __future__ import annotations

from ..types import Dual, HyperDual


def value(r):
    """The float value of a result (a float when f does not depend on x)."""
    return r.value if isinstance(r, (Dual, HyperDual)) else float(r)


# Nested differentiation (compiled only; see numba_ext.verbs): an outer Dual[N] becomes
# the e1 part of a HyperDual[N, 1].

def outer_partials(x, proto):
    """The outer perturbation of x: its partials if it is a Dual, else zeros."""
    return x.partials if isinstance(x, Dual) else tuple(0.0 for _ in proto.partials)


def promote_args(args, proto):
    """Every Dual in args as a HyperDual carrying it in e1 (other arguments unchanged)."""
    zeros = tuple(0.0 for _ in proto.partials)
    return tuple(HyperDual(a.value, a.partials, 0.0, zeros) if isinstance(a, Dual) else a
                 for a in args)


def nested_result(r, proto):
    """(value, derivative) of an inner result as Dual[N] numbers of the outer level."""
    zeros = tuple(0.0 for _ in proto.partials)
    if isinstance(r, HyperDual):
        return Dual(r.value, r.e1), Dual(r.e2[0], r.e12)
    return Dual(float(r), zeros), Dual(0.0, zeros)


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
