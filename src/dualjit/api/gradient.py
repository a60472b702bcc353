"""gradient and value_and_gradient: f: 1-D float array -> float."""
from __future__ import annotations

import numpy as np

from .. import partials as P
from ..numba_ext.arrays import empty_number_array
import functools

from ..types import Dual
from . import _outputs as out
from ._dispatch import specialized
from ._validate import as_chunk, as_function, as_vector

__all__ = ["gradient", "value_and_gradient", "DEFAULT_CHUNK"]

#: Partials carried per pass; chosen by benchmarks/bench_core.py.
DEFAULT_CHUNK = 8


def seed_duals(xd, x, proto, start):
    """xd[i] = x[i] + e_(i - start): unit partials for the chunk beginning at start."""
    for i in range(x.shape[0]):
        xd[i] = Dual(x[i], P.unit_like(proto.partials, i - start))


def value_and_gradient_kernel(f, x, proto, args):
    n = x.shape[0]
    width = len(proto.partials)
    xd = empty_number_array(n, proto)
    grad = np.empty(n)
    value = 0.0
    for start in range(0, n, width):
        seed_duals(xd, x, proto, start)
        r = f(xd, *args)
        value = out.value(r)
        for k in range(min(width, n - start)):
            grad[start + k] = out.partial(r, k)
    return value, grad


@functools.lru_cache(maxsize=None)
def prototype(width: int):
    """A zero Dual with ``width`` partials: its type tells compiled code the chunk size."""
    return Dual(0.0, (0.0,) * width)


def value_and_gradient(f, x, *args, chunk=DEFAULT_CHUNK):
    """``(f(x), ∇f(x))`` for f: 1-D array -> float, in passes of ``chunk`` partials."""
    f, x, chunk = as_function(f), as_vector(x), as_chunk(chunk)
    return specialized(f, value_and_gradient_kernel, prototype(min(chunk, x.shape[0])))(x, args)


def gradient(f, x, *args, chunk=DEFAULT_CHUNK):
    """``∇f(x)`` for f: 1-D array -> float (forward mode, ``chunk`` partials a pass)."""
    return value_and_gradient(f, x, *args, chunk=chunk)[1]
