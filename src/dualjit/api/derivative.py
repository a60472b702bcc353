"""derivative, second_derivative, value_and_derivative: f: float -> float."""
from __future__ import annotations

from ..types import Dual, HyperDual
from . import _outputs as out
from ._dispatch import specialized
from ._validate import as_function, as_point

__all__ = ["derivative", "second_derivative", "value_and_derivative"]


def value_and_derivative_kernel(f, x, args):
    r = f(Dual(x, 1.0), *args)
    return out.value(r), out.partial(r, 0)


def second_derivative_kernel(f, x, args):
    r = f(HyperDual(x, 1.0, 1.0, 0.0), *args)
    return out.value(r), out.partial(r, 0), out.cross(r, 0)


def value_and_derivative(f, x, *args):
    """``(f(x), f'(x))`` for a scalar function; ``args`` pass through undifferentiated.

    The value is bit-for-bit the plain float64 ``f(x)``.
    """
    f, x = as_function(f), as_point(x)
    return specialized(f, value_and_derivative_kernel)(x, args)


def derivative(f, x, *args):
    """``f'(x)`` of a scalar function, exact to working precision (forward mode)."""
    return value_and_derivative(f, x, *args)[1]


def second_derivative(f, x, *args):
    """``f''(x)`` of a scalar function, by hyper-dual numbers (no truncation error)."""
    f, x = as_function(f), as_point(x)
    return specialized(f, second_derivative_kernel)(x, args)[2]
