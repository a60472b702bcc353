"""Dual numbers with N partials: value + sum_k partials[k]·eps_k, eps_j·eps_k = 0.

This module is the whole first-order algebra. The functions below run unchanged on
boxed Python objects and, compiled by :mod:`dualjit.numba_ext`, on the native type.
Derivative parts are formed so that the value part is always exactly the float64
operation the plain program would do (x.value * y.value, x.value / y.value, ...).
"""
from __future__ import annotations

import sys

from .. import partials as P
from .base import Number, as_component, as_partials, fmt_tuple, is_interval

ORDER = 1  # highest derivative order this type carries


class Dual(Number):
    """A value and its partial derivatives.

    ``Dual(3.0, 1.0)`` has one partial (a plain derivative); ``Dual(3.0, (1.0, 0.0))``
    has two (a gradient direction per partial). Works the same inside ``@numba.njit``.
    """

    __slots__ = ("value", "partials")

    def __init__(self, value, partials=0.0):
        iv = is_interval(value)
        self.value = as_component(value, "value", iv)
        self.partials = as_partials(partials, "partials", iv)

    @property
    def derivative(self) -> float:
        """The single partial of a one-partial Dual."""
        if len(self.partials) != 1:
            raise AttributeError(
                f"derivative is defined for a Dual with one partial; this one has "
                f"{len(self.partials)}: use .partials"
            )
        return self.partials[0]

    def __repr__(self):
        if len(self.partials) == 1:
            return f"Dual({self.value!r}, {self.partials[0]!r})"
        return f"Dual({self.value!r}, {fmt_tuple(self.partials)})"


def lift(like, c):
    """The constant c as a dual shaped like ``like`` (all partials zero)."""
    return Dual(c, P.zeros_like(like.partials))


def add(x, y):
    return Dual(x.value + y.value, P.add(x.partials, y.partials))


def add_const(x, c):
    return Dual(x.value + c, x.partials)


def sub(x, y):
    return Dual(x.value - y.value, P.sub(x.partials, y.partials))


def sub_const(x, c):
    return Dual(x.value - c, x.partials)


def const_sub(c, x):
    return Dual(c - x.value, P.neg(x.partials))


def neg(x):
    return Dual(-x.value, P.neg(x.partials))


def mul(x, y):
    return Dual(x.value * y.value, P.axpby(y.value, x.partials, x.value, y.partials))


def mul_const(x, c):
    return Dual(x.value * c, P.scale(c, x.partials))


def div(x, y):
    # (x/y)' = (x' - q*y')/y: divides once, last, and reuses the rounded quotient q,
    # which costs at most one more rounding than the exact quotient rule.
    q = x.value / y.value
    return Dual(q, P.quotient(x.partials, q, y.partials, y.value))


def div_const(x, c):
    return Dual(x.value / c, P.div(x.partials, c))


def const_div(c, x):
    q = c / x.value
    return Dual(q, P.muldiv(-q, x.partials, x.value))


def chain(x, f0, f1, f2):
    """f(x) given f(x.value), f'(x.value) (f'' is unused at first order)."""
    return Dual(f0, P.scale(f1, x.partials))


def chain2(x, z, f0, fx, fz, fxx, fxz, fzz):
    """f(x, z) for two duals given the value and the first partials of f."""
    return Dual(f0, P.axpby(fx, x.partials, fz, z.partials))


Dual._algebra = sys.modules[__name__]
