"""derivative, second_derivative, value_and_derivative: f: float -> float."""
from __future__ import annotations

from .. import partials as P
from ..types import Dual, HyperDual
from . import _outputs as out
from ._argnums import adapter, split_call, split_vector
from ._dispatch import specialized
from ._validate import as_function

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


def value_and_derivative(f, *args, argnums=0):
    """``(f(x), f'(x))`` for a scalar function; the value is bit-for-bit the plain ``f(x)``.

    ``args`` are f's arguments; ``argnums`` (an int or a tuple, default 0) picks the
    differentiated ones, all real scalars. With a tuple the derivative is a tuple of
    partial derivatives, one per argument.
    """
    from .gradient import DEFAULT_CHUNK, prototype, value_and_gradient_kernel
    f = as_function(f)
    x, rest, layout = split_call(args, argnums, "value_and_derivative", scalar_only=True)
    g = adapter(f, layout)
    if layout.packed:
        width = min(DEFAULT_CHUNK, x.shape[0])
        value, grad = specialized(g, value_and_gradient_kernel, prototype(width))(x, rest)
        return value, split_vector(grad, layout)
    return specialized(g, value_and_derivative_kernel)(x, rest)


def derivative(f, *args, argnums=0):
    """``f'(x)`` of a scalar function, exact to working precision (forward mode)."""
    return value_and_derivative(f, *args, argnums=argnums)[1]


def second_derivative(f, *args, argnums=0):
    """``f''(x)`` of a scalar function, by hyper-dual numbers (no truncation error)."""
    if isinstance(argnums, tuple):
        raise TypeError("second_derivative: argnums must be a single int; for mixed second "
                        "derivatives use hessian(f, ..., argnums=(i, j))")
    f = as_function(f)
    x, rest, layout = split_call(args, argnums, "second_derivative", scalar_only=True)
    return specialized(adapter(f, layout), second_derivative_kernel)(x, rest)[2]
