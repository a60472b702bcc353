"""jacobian and jvp: f: 1-D float array -> 1-D array."""
from __future__ import annotations

import numpy as np

from ..numba_ext.arrays import empty_number_array
from ..types import Dual
from . import _outputs as out
from ._dispatch import specialized
from ._validate import as_chunk, as_function, as_vector
from .gradient import DEFAULT_CHUNK, prototype, seed_duals

__all__ = ["jacobian", "jvp"]


def vector_output(r):
    """Typing guard: f must return a 1-D array (compiled version raises otherwise)."""
    return r


def jacobian_kernel(f, x, proto, args):
    n = x.shape[0]
    width = len(proto.partials)
    xd = empty_number_array(n, proto)
    seed_duals(xd, x, proto, 0)
    r = vector_output(f(xd, *args))
    J = np.empty((len(r), n))
    for start in range(0, n, width):
        if start > 0:
            seed_duals(xd, x, proto, start)
            r = f(xd, *args)
        stop = min(n, start + width)
        for i in range(J.shape[0]):
            for k in range(stop - start):
                J[i, start + k] = out.partial(r[i], k)
    return J


def jvp_kernel(f, x, v, args):
    n = x.shape[0]
    xd = empty_number_array(n, Dual(0.0, 0.0))
    for i in range(n):
        xd[i] = Dual(x[i], v[i])
    return out.value_and_tangent(f(xd, *args))


def jacobian(f, x, *args, chunk=DEFAULT_CHUNK):
    """The m×n Jacobian of f: 1-D array (n) -> 1-D array (m), ``chunk`` columns a pass."""
    f, x, chunk = as_function(f), as_vector(x), as_chunk(chunk)
    return specialized(f, jacobian_kernel, prototype(min(chunk, x.shape[0])))(x, args)


def jvp(f, x, v, *args):
    """``(f(x), J(x)·v)`` in one pass, for f returning a 1-D array or a float."""
    f, x, v = as_function(f), as_vector(x), as_vector(v, "v")
    if v.shape != x.shape:
        raise ValueError(f"v must have the shape of x {x.shape}, got {v.shape}")
    return specialized(f, jvp_kernel, "x and v")((x, v), args)
