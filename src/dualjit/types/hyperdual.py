"""Hyper-dual numbers: a + b·e1 + c·e2 + d·e1e2 with e1² = e2² = 0, e1e2 ≠ 0.

With e1 and e2 seeded along directions u and v, the e1e2 part is exactly uᵀ∇²f v: a
second derivative with no truncation error. ``e1`` holds N partials, ``e2`` M partials
and ``e12`` their N·M cross terms (row-major), so one evaluation yields an N×M block of
the Hessian; the scalar HyperDual is N = M = 1.
"""
from __future__ import annotations

import sys

from .. import partials as P
from .base import Number, as_component, as_partials, fmt_tuple, is_interval

ORDER = 2


class HyperDual(Number):
    """``HyperDual(a, b, c, d)`` = a + b·e1 + c·e2 + d·e1e2.

    b and c may be tuples (N and M partials), then d holds N·M values (row-major).
    """

    __slots__ = ("value", "e1", "e2", "e12")

    def __init__(self, value, e1=0.0, e2=0.0, e12=None):
        iv = is_interval(value)
        self.value = as_component(value, "value", iv)
        self.e1 = as_partials(e1, "e1", iv)
        self.e2 = as_partials(e2, "e2", iv)
        size = len(self.e1) * len(self.e2)
        self.e12 = as_partials((0.0,) * size if e12 is None else e12, "e12", iv)
        if len(self.e12) != size:
            raise ValueError(f"e12 must hold len(e1)*len(e2) = {size} values, got {len(self.e12)}")

    def __repr__(self):
        if len(self.e1) == len(self.e2) == 1:
            return f"HyperDual({self.value!r}, {self.e1[0]!r}, {self.e2[0]!r}, {self.e12[0]!r})"
        return (f"HyperDual({self.value!r}, {fmt_tuple(self.e1)}, {fmt_tuple(self.e2)}, "
                f"{fmt_tuple(self.e12)})")


def lift(like, c):
    return HyperDual(c, P.zeros_like(like.e1), P.zeros_like(like.e2), P.zeros_like(like.e12))


def add(x, y):
    return HyperDual(x.value + y.value, P.add(x.e1, y.e1), P.add(x.e2, y.e2), P.add(x.e12, y.e12))


def add_const(x, c):
    return HyperDual(x.value + c, x.e1, x.e2, x.e12)


def sub(x, y):
    return HyperDual(x.value - y.value, P.sub(x.e1, y.e1), P.sub(x.e2, y.e2), P.sub(x.e12, y.e12))


def sub_const(x, c):
    return HyperDual(x.value - c, x.e1, x.e2, x.e12)


def const_sub(c, x):
    return HyperDual(c - x.value, P.neg(x.e1), P.neg(x.e2), P.neg(x.e12))


def neg(x):
    return HyperDual(-x.value, P.neg(x.e1), P.neg(x.e2), P.neg(x.e12))


def mul(x, y):
    a, b = x.value, y.value
    cross = P.add(P.outer(x.e1, y.e2), P.outer(y.e1, x.e2))
    return HyperDual(a * b, P.axpby(b, x.e1, a, y.e1), P.axpby(b, x.e2, a, y.e2),
                     P.add(P.axpby(b, x.e12, a, y.e12), cross))


def mul_const(x, c):
    return HyperDual(x.value * c, P.scale(c, x.e1), P.scale(c, x.e2), P.scale(c, x.e12))


def div(x, y):
    # From x = q*y: q1 = (x1 - q*y1)/y, q2 likewise, and
    # q12 = (x12 - q*y12 - q1⊗y2 - y1⊗q2)/y; the value is exactly x.value / y.value.
    b = y.value
    q = x.value / b
    q1 = P.quotient(x.e1, q, y.e1, b)
    q2 = P.quotient(x.e2, q, y.e2, b)
    rest = P.add(P.outer(q1, y.e2), P.outer(y.e1, q2))
    return HyperDual(q, q1, q2, P.quotient(P.sub(x.e12, rest), q, y.e12, b))


def div_const(x, c):
    return HyperDual(x.value / c, P.div(x.e1, c), P.div(x.e2, c), P.div(x.e12, c))


def const_div(c, x):
    # c/x through the chain rule with f' = -q/x, f'' = 2q/x², keeping the value exact.
    b = x.value
    q = c / b
    f1 = -q / b
    return chain(x, q, f1, -2.0 * f1 / b)


def chain(x, f0, f1, f2):
    """f(x) from f, f', f'' at x.value: f(a) + f'(a)(b e1 + c e2) + (f'(a) d + f''(a) b⊗c) e1e2."""
    return HyperDual(f0, P.scale(f1, x.e1), P.scale(f1, x.e2),
                     P.axpby(f1, x.e12, f2, P.outer(x.e1, x.e2)))


def chain2(x, z, f0, fx, fz, fxx, fxz, fzz):
    """f(x, z) for two hyper-duals from the value, first and second partials of f."""
    e12 = P.add3(
        P.axpby(fx, x.e12, fz, z.e12),
        P.axpby(fxx, P.outer(x.e1, x.e2), fzz, P.outer(z.e1, z.e2)),
        P.scale(fxz, P.add(P.outer(x.e1, z.e2), P.outer(z.e1, x.e2))),
    )
    return HyperDual(f0, P.axpby(fx, x.e1, fz, z.e1), P.axpby(fx, x.e2, fz, z.e2), e12)


HyperDual._algebra = sys.modules[__name__]
