"""hessian: f: 1-D float array -> float, by blocks of hyper-dual numbers."""
from __future__ import annotations

import numpy as np

from .. import partials as P
from ..numba_ext.arrays import empty_number_array
import functools

from ..types import HyperDual
from . import _outputs as out
from ._argnums import split_matrix
from ._dispatch import specialized
from ._validate import as_chunk
from .gradient import differentiated_vector

__all__ = ["hessian", "DEFAULT_HESSIAN_CHUNK"]

#: Block size: one pass gives a chunk×chunk block; chosen by benchmarks/bench_core.py.
DEFAULT_HESSIAN_CHUNK = 4


def hessian_kernel(f, x, proto, args):
    """Upper blocks only, each mirrored: H is exactly symmetric, (nb² + nb)/2 passes."""
    n = x.shape[0]
    width = len(proto.e1)
    xh = empty_number_array(n, proto)
    H = np.empty((n, n))
    for bi in range(0, n, width):
        for bj in range(bi, n, width):
            for i in range(n):
                xh[i] = HyperDual(x[i], P.unit_like(proto.e1, i - bi),
                                  P.unit_like(proto.e2, i - bj), proto.e12)
            r = f(xh, *args)
            for a in range(min(width, n - bi)):
                for b in range(min(width, n - bj)):
                    h = out.cross(r, a * width + b)
                    H[bi + a, bj + b] = h
                    H[bj + b, bi + a] = h
    return H


@functools.lru_cache(maxsize=None)
def hessian_prototype(width: int):
    zeros = (0.0,) * width
    return HyperDual(0.0, zeros, zeros, (0.0,) * (width * width))


def hessian(f, *args, argnums=0, chunk=DEFAULT_HESSIAN_CHUNK):
    """The n×n Hessian of f: 1-D array -> float, exact to working precision.

    With a tuple ``argnums``: nested tuples of blocks, ``H[i][j]`` = ∂²f/∂arg_i∂arg_j.
    """
    chunk = as_chunk(chunk)
    g, x, rest, layout = differentiated_vector(f, args, argnums, "hessian")
    H = specialized(g, hessian_kernel, hessian_prototype(min(chunk, x.shape[0])))(x, rest)
    return split_matrix(H, layout)
