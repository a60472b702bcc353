"""derivative, second_derivative, value_and_derivative: f: float -> float."""
from __future__ import annotations

from .. import partials as P
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


def nested_value_and_derivative_kernel(f, x, proto, args):
    """Inside an outer differentiation (x or args carry the outer Dual[N] perturbation):
    run f on HyperDual[N, 1] numbers, the outer perturbation in e1 and the inner one in
    e2, so the two never mix. Returns (f, f') as Dual[N]: their partials are the outer
    derivatives of the value and of the inner derivative (the e1e2 part)."""
    hx = HyperDual(out.value(x), out.outer_partials(x, proto), 1.0, P.zeros_like(proto.partials))
    r = f(hx, *out.promote_args(args, proto))
    return out.nested_result(r, proto)


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
