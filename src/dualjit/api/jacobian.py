"""jacobian and jvp: f: 1-D float array -> 1-D array."""
from __future__ import annotations

import numpy as np

from ..numba_ext.arrays import empty_number_array
from ..types import Dual
from . import _outputs as out
from ._argnums import split_vector
from ._dispatch import specialized
from ._validate import as_chunk, as_vector
from .gradient import DEFAULT_CHUNK, differentiated_vector, prototype, seed_duals

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


def jacobian(f, *args, argnums=0, chunk=DEFAULT_CHUNK):
    """The m×n Jacobian of f: 1-D array (n) -> 1-D array (m), ``chunk`` columns a pass.

    With a tuple ``argnums``: a tuple of blocks, one per differentiated argument (an
    m-vector for a scalar argument, an m×n_i matrix for an array argument).
    """
    chunk = as_chunk(chunk)
    g, x, rest, layout = differentiated_vector(f, args, argnums, "jacobian")
    J = specialized(g, jacobian_kernel, prototype(min(chunk, x.shape[0])))(x, rest)
    return split_vector(J, layout, axis=1)


def jvp(f, x, v, *args, argnums=0):
    """``(f(x), J(x)·v)`` in one pass, for f returning a 1-D array or a float.

    ``x, *args`` are f's arguments; ``v`` is the tangent of the differentiated argument
    (a tuple of tangents, one per argument, for a tuple ``argnums``).
    """
    g, xflat, rest, layout = differentiated_vector(f, (x,) + args, argnums, "jvp")
    if layout.packed:
        if not isinstance(v, tuple) or len(v) != len(layout.slots):
            raise ValueError(f"jvp: v must be a tuple of {len(layout.slots)} tangents, one per "
                             "differentiated argument")
        vflat = np.concatenate([np.atleast_1d(as_vector(np.atleast_1d(t), f"v[{i}]"))
                                for i, t in enumerate(v)])
    else:
        vflat = as_vector(v, "v")
    if vflat.shape != xflat.shape:
        raise ValueError(f"v must have the shape of the differentiated argument {xflat.shape}, "
                         f"got {vflat.shape}")
    return specialized(g, jvp_kernel, "x and v")((xflat, vflat), rest)
