"""gradient and value_and_gradient: f: 1-D float array -> float."""
from __future__ import annotations

import numpy as np

from .. import partials as P
from ..numba_ext.arrays import empty_number_array
import functools

from ..types import Dual
from . import _outputs as out
from ._argnums import adapter, split_call, split_vector
from ._dispatch import specialized
from ._validate import as_chunk, as_function

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


def differentiated_vector(f, args, argnums, verb):
    """(adapter, flat x, other arguments, layout) for the vector verbs."""
    f = as_function(f)
    x, rest, layout = split_call(args, argnums, verb)
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{verb}: the differentiated argument must be a 1-D array, got a scalar; "
                        "use derivative, or a tuple argnums to include scalars")
    return adapter(f, layout), x, rest, layout


def value_and_gradient(f, *args, argnums=0, chunk=DEFAULT_CHUNK):
    """``(f(x), ∇f(x))`` for f: 1-D array -> float, in passes of ``chunk`` partials.

    With a tuple ``argnums`` the gradient is a tuple, one entry per differentiated
    argument (a float for a scalar argument, an array for an array argument).
    """
    chunk = as_chunk(chunk)
    g, x, rest, layout = differentiated_vector(f, args, argnums, "gradient")
    value, grad = specialized(g, value_and_gradient_kernel, prototype(min(chunk, x.shape[0])))(x, rest)
    return value, split_vector(grad, layout)


def gradient(f, *args, argnums=0, chunk=DEFAULT_CHUNK):
    """``∇f(x)`` for f: 1-D array -> float (forward mode, ``chunk`` partials a pass)."""
    return value_and_gradient(f, *args, argnums=argnums, chunk=chunk)[1]
