"""Closed real intervals with outward rounding: the algebra of guaranteed enclosures.

An ``Interval(lo, hi)`` stands for the set of reals {t : lo <= t <= hi} (IEEE 1788
set-based semantics: infinite bounds mean "unbounded", no interval contains an infinity
as a member; the empty set is a value too). Every operation returns an interval that
contains every exact real result, so an evaluation chain ends with an enclosure of the
exact-arithmetic result of the whole program.

Rounding without rounding modes (LLVM assumes round-to-nearest and folds across mode
changes): ``r - (phi|r| + eta)`` and ``r + (phi|r| + eta)`` (phi = u(1 + 2u),
u = 2**-53, eta = 2**-1074) are at or beyond the predecessor and successor of a
round-to-nearest result r (Rump, Zimmermann, Boldo & Melquiond 2009), so they bound the
exact result. For + - * / the exact error of r is known (two_sum, Dekker's two_prod and
the division remainder, in rules.fp), so only the side the error lies on is widened, by
one float: results are the tightest double intervals wherever those error-free
transformations apply (operands below 2**995, products above 2**-968), and one float
wider otherwise. A libm result with an error of at most k ulps is widened by
``(k + 1)(2u|r| + eta)``.

The functions below are plain Python: boxed ``Interval`` objects run them, and
:mod:`dualjit.numba_ext.interval` compiles the very same functions for the native type.
"""
from __future__ import annotations

import math
import numbers
import sys

import numpy as np

from ..eft import two_prod, two_sum

INF = float("inf")
MAX = float.fromhex("0x1.fffffffffffffp+1023")
TWO_U = 2.0 ** -52      # 2u, u = 2**-53 the unit roundoff
ETA = 2.0 ** -1074      # smallest subnormal


# --- outward rounding -------------------------------------------------------------------

PHI = 2.0 ** -53 + 2.0 ** -105   # u(1 + 2u): Rump et al.'s predecessor/successor constant


def pred(r):
    """At or below the float preceding r (exactly it for most r), for finite r."""
    return r - (PHI * abs(r) + ETA)


def succ(r):
    """At or above the float following r (exactly it for most r), for finite r."""
    return r + (PHI * abs(r) + ETA)


def lower(r, ulps=0.0):
    """A float at or below every real within ``ulps`` ulps of r; with ulps = 0, at or
    below the exact value of a correctly rounded result r (its predecessor)."""
    if r == INF:  # an overflow: the exact value is at least the largest finite double
        return MAX - (ulps + 1.0) * TWO_U * MAX
    if ulps == 0.0:
        return pred(r)
    return r - (ulps + 1.0) * (abs(r) * TWO_U + ETA)


def upper(r, ulps=0.0):
    """The mirror image of :func:`lower`."""
    if r == -INF:
        return -MAX + (ulps + 1.0) * TWO_U * MAX
    if ulps == 0.0:
        return succ(r)
    return r + (ulps + 1.0) * (abs(r) * TWO_U + ETA)


def below(r, e):
    """A lower bound of r + e given the exact error e of the rounded result r (NaN when
    unknown): r itself when the error is not negative."""
    if e >= 0.0:
        return r
    if e < 0.0:
        return pred(r)
    return lower(r)


def above(r, e):
    if e <= 0.0:
        return r
    if e > 0.0:
        return succ(r)
    return upper(r)


# --- the type -----------------------------------------------------------------------------

def _check_bound(v, argname):
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{argname} must be a real number, got {type(v).__name__}: {v!r}")
    v = float(v)
    if v != v:
        raise ValueError(f"{argname} is NaN; an interval's bounds must be numbers "
                         "(use Interval.empty() for the empty set)")
    return v


class Interval:
    """The closed interval [lo, hi]; ``Interval(x)`` is the point interval [x, x].

    ``lo > hi`` or a NaN bound raises ValueError; ``Interval.empty()`` and
    ``Interval.entire()`` build the empty set and the whole real line. Works the same
    inside ``@numba.njit`` code.
    """

    __slots__ = ("lo", "hi")

    def __init__(self, lo, hi=None):
        lo = _check_bound(lo, "lo")
        hi = lo if hi is None else _check_bound(hi, "hi")
        if lo > hi:
            raise ValueError(f"lo must not exceed hi, got lo={lo!r} > hi={hi!r}")
        if lo == INF or hi == -INF:
            raise ValueError(f"[{lo}, {hi}] contains no real number: an interval's lower "
                             "bound cannot be +inf nor its upper bound -inf")
        self.lo, self.hi = lo, hi

    @classmethod
    def _raw(cls, lo, hi):
        obj = object.__new__(cls)
        obj.lo, obj.hi = float(lo), float(hi)
        return obj

    @classmethod
    def empty(cls):
        return cls._raw(INF, -INF)

    @classmethod
    def entire(cls):
        return cls._raw(-INF, INF)

    @property
    def is_empty(self) -> bool:
        return is_empty(self)

    @property
    def width(self) -> float:
        """An upper bound of hi - lo (NaN for the empty set)."""
        return width(self)

    @property
    def mid(self) -> float:
        """A point inside the interval (its midpoint when bounded; NaN if empty)."""
        return mid(self)

    def contains(self, x) -> bool:
        """x (a real number or an Interval) lies inside this interval."""
        if isinstance(x, Interval):
            return is_empty(x) or (self.lo <= x.lo and x.hi <= self.hi)
        return bool(self.lo <= x <= self.hi)

    def __repr__(self):
        if is_empty(self):
            return "Interval.empty()"
        return f"Interval({self.lo!r}, {self.hi!r})"

    def __eq__(self, other):  # set equality
        if isinstance(other, (numbers.Real, np.floating, np.integer)):
            other = Interval(other)
        if not isinstance(other, Interval):
            return NotImplemented
        return (is_empty(self) and is_empty(other)) or (self.lo == other.lo and self.hi == other.hi)

    __hash__ = None

    # Order comparisons hold for every pair of members, or raise where they depend on the
    # members (the same rule as compiled code: a branch an enclosure cannot follow).
    def __lt__(self, o): return certainly_less(self, self._coerce(o), True)
    def __le__(self, o): return certainly_less(self, self._coerce(o), False)
    def __gt__(self, o): return certainly_less(self._coerce(o), self, True)
    def __ge__(self, o): return certainly_less(self._coerce(o), self, False)

    def __float__(self):
        raise TypeError("float() of an Interval would pick an arbitrary point; use .lo, .hi or .mid")

    def _coerce(self, other):
        if isinstance(other, Interval):
            return other
        return Interval(_check_bound(other, "other operand"))

    def __add__(self, o): return add(self, self._coerce(o))
    def __radd__(self, o): return add(self._coerce(o), self)
    def __sub__(self, o): return sub(self, self._coerce(o))
    def __rsub__(self, o): return sub(self._coerce(o), self)
    def __mul__(self, o): return mul(self, self._coerce(o))
    def __rmul__(self, o): return mul(self._coerce(o), self)
    def __truediv__(self, o): return div(self, self._coerce(o))
    def __rtruediv__(self, o): return div(self._coerce(o), self)
    def __neg__(self): return neg(self)
    def __pos__(self): return self


def make(lo, hi):
    """An interval from bounds already known to be valid (no checks: the algebra's own
    constructor; compiled code has its own)."""
    return Interval._raw(lo, hi)


def point(x):
    return make(x, x)


def empty():
    return make(INF, -INF)


def entire():
    return make(-INF, INF)


# --- queries --------------------------------------------------------------------------------

def is_empty(x):
    return x.lo > x.hi


def width(x):
    if x.lo > x.hi:
        return math.nan
    return _sum_hi(x.hi, -x.lo)


def mid(x):
    """IEEE 1788 mid: 0 for the real line, -MAX / MAX for half-lines, else the midpoint."""
    if x.lo > x.hi:
        return math.nan
    if x.lo == -INF:
        return 0.0 if x.hi == INF else -MAX
    if x.hi == INF:
        return MAX
    return 0.5 * x.lo + 0.5 * x.hi


def contains_point(x, v):
    return x.lo <= v <= x.hi


def is_zero(x):
    """x is exactly the point 0: a partial that does not depend on its direction."""
    return x.lo == 0.0 and x.hi == 0.0


def certainly_less(x, y, strict):
    """x < y (strict) or x <= y for every pair of members; ValueError where the answer
    depends on the members."""
    if x.lo > x.hi or y.lo > y.hi:
        raise ValueError("comparison with an empty interval")
    if x.hi < y.lo or (not strict and x.hi <= y.lo):
        return True
    if x.lo > y.hi or (strict and x.lo >= y.hi):
        return False
    raise ValueError("the comparison of overlapping intervals is undecided: the program "
                     "branches on a value the enclosure cannot resolve")


def hull(x, y):
    if x.lo > x.hi:
        return y
    if y.lo > y.hi:
        return x
    return make(min(x.lo, y.lo), max(x.hi, y.hi))


def intersect(x, y):
    lo, hi = max(x.lo, y.lo), min(x.hi, y.hi)
    if lo > hi:
        return empty()
    return make(lo, hi)


# --- arithmetic ------------------------------------------------------------------------------

def _sum_lo(a, b):
    s, e = two_sum(a, b)  # e is NaN for an infinite operand or an overflow
    return below(s, e)


def _sum_hi(a, b):
    s, e = two_sum(a, b)
    return above(s, e)


def add(x, y):
    if x.lo > x.hi or y.lo > y.hi:
        return empty()
    return make(_sum_lo(x.lo, y.lo), _sum_hi(x.hi, y.hi))


def sub(x, y):
    if x.lo > x.hi or y.lo > y.hi:
        return empty()
    return make(_sum_lo(x.lo, -y.hi), _sum_hi(x.hi, -y.lo))


def neg(x):
    return make(-x.hi, -x.lo)


# Dekker's two_prod is error-free inside these bounds (see rules.fp)
_EFT_MAX = 2.0 ** 995
_EFT_MIN = 2.0 ** -968


def _prod_error(a, b):
    """(fl(a*b), the sign-exact error of the product or NaN where it is unknown)."""
    p, e = two_prod(a, b)
    if abs(a) < _EFT_MAX and abs(b) < _EFT_MAX and _EFT_MIN <= abs(p) < _EFT_MAX:
        return p, e
    if p == 0.0:  # an underflow of nonzero factors: the error has the product's sign
        return p, 1.0 if (a > 0.0) == (b > 0.0) else -1.0
    return p, math.nan


def _prod_lo(a, b):
    if a == 0.0 or b == 0.0:  # exact, and 0 * inf = 0 for sets of reals
        return 0.0
    p, e = _prod_error(a, b)
    return below(p, e)


def _prod_hi(a, b):
    if a == 0.0 or b == 0.0:
        return 0.0
    p, e = _prod_error(a, b)
    return above(p, e)


def mul(x, y):
    """x * y by the sign cases (two products unless both straddle zero)."""
    if x.lo > x.hi or y.lo > y.hi:
        return empty()
    a, b, c, d = x.lo, x.hi, y.lo, y.hi
    if a >= 0.0:
        if c >= 0.0:
            return make(_prod_lo(a, c), _prod_hi(b, d))
        if d <= 0.0:
            return make(_prod_lo(b, c), _prod_hi(a, d))
        return make(_prod_lo(b, c), _prod_hi(b, d))
    if b <= 0.0:
        if c >= 0.0:
            return make(_prod_lo(a, d), _prod_hi(b, c))
        if d <= 0.0:
            return make(_prod_lo(b, d), _prod_hi(a, c))
        return make(_prod_lo(a, d), _prod_hi(a, c))
    if c >= 0.0:
        return make(_prod_lo(a, d), _prod_hi(b, d))
    if d <= 0.0:
        return make(_prod_lo(b, c), _prod_hi(a, c))
    return make(min(_prod_lo(a, d), _prod_lo(b, c)), max(_prod_hi(a, c), _prod_hi(b, d)))


def _quot_error(a, b):
    """(fl(a/b), a number with the sign of a/b - fl(a/b), or NaN where unknown)."""
    q = a / b
    if q == 0.0:  # an underflow (a is not 0 here): the error has the quotient's sign
        return q, 1.0 if (a > 0.0) == (b > 0.0) else -1.0
    if not (abs(q) < _EFT_MAX and abs(b) < _EFT_MAX and abs(a) >= _EFT_MIN):
        return q, math.nan
    ph, pl = two_prod(q, b)
    rem = (a - ph) - pl  # a - ph is exact (Sterbenz); the rounding keeps the sign
    if rem == 0.0:
        return q, 0.0
    return q, rem if b > 0.0 else -rem


def _quot_lo(a, b):
    if a == 0.0 or b == INF or b == -INF:  # exact zeros (a finite when b is infinite)
        return 0.0
    q, e = _quot_error(a, b)
    return below(q, e)


def _quot_hi(a, b):
    if a == 0.0 or b == INF or b == -INF:
        return 0.0
    q, e = _quot_error(a, b)
    return above(q, e)


def div(x, y):
    """x / y over the reals; where y contains 0 the hull of the quotient set."""
    if x.lo > x.hi or y.lo > y.hi:
        return empty()
    a, b, c, d = x.lo, x.hi, y.lo, y.hi
    if c == 0.0 and d == 0.0:
        return empty()
    if a == 0.0 and b == 0.0:
        return make(0.0, 0.0)
    if c > 0.0:
        if a >= 0.0:
            return make(_quot_lo(a, d), _quot_hi(b, c))
        if b <= 0.0:
            return make(_quot_lo(a, c), _quot_hi(b, d))
        return make(_quot_lo(a, c), _quot_hi(b, c))
    if d < 0.0:
        if a >= 0.0:
            return make(_quot_lo(b, d), _quot_hi(a, c))
        if b <= 0.0:
            return make(_quot_lo(b, c), _quot_hi(a, d))
        return make(_quot_lo(b, d), _quot_hi(a, d))
    # 0 lies in y (and y is not [0, 0])
    if a > 0.0:
        if c == 0.0:
            return make(_quot_lo(a, d), INF)
        if d == 0.0:
            return make(-INF, _quot_hi(a, c))
        return entire()
    if b < 0.0:
        if c == 0.0:
            return make(-INF, _quot_hi(b, d))
        if d == 0.0:
            return make(_quot_lo(b, c), INF)
        return entire()
    # 0 lies in x too: one-sided x and y give a half-line, anything else the real line
    if c == 0.0 and a == 0.0 or d == 0.0 and b == 0.0:
        return make(0.0, INF)
    if c == 0.0 and b == 0.0 or d == 0.0 and a == 0.0:
        return make(-INF, 0.0)
    return entire()


def sqr(x):
    """x*x with the dependency removed (never negative)."""
    if x.lo > x.hi:
        return empty()
    a, b = x.lo, x.hi
    if a >= 0.0:
        return make(_prod_lo(a, a), _prod_hi(b, b))
    if b <= 0.0:
        return make(_prod_lo(b, b), _prod_hi(a, a))
    return make(0.0, max(_prod_hi(a, a), _prod_hi(b, b)))


def enclose_range(lo, hi, ulps):
    """[lo, hi] computed by a function with at most ``ulps`` ulps error, widened outward
    (the empty set passes through)."""
    if lo > hi:
        return empty()
    return make(lower(lo, ulps), upper(hi, ulps))


Interval._algebra = sys.modules[__name__]

__all__ = ["Interval", "lower", "upper", "pred", "succ", "below", "above", "make", "point", "empty", "entire", "is_empty",
           "width", "mid", "contains_point", "is_zero", "certainly_less", "hull", "intersect", "add", "sub",
           "neg", "mul", "div", "sqr", "enclose_range", "INF", "MAX"]
