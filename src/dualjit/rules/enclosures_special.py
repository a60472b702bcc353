"""Interval building blocks shared by the enclosures of the arithmetic, special, numerics
and piecewise rows (the rows' own enclosure functions live next to the rows).

Elementary enclosures of libm functions (exp, log, log1p, expm1, tanh, atanh), each a
monotone building block from :mod:`dualjit.rules.enclosures` over a float wrapper that
never raises in CPython (``math.exp(710)`` raises OverflowError there, returns inf in
Numba; ``math.log(0)`` raises, gives -inf in Numba). ulps per libm function:
2 x glibc's documented maximum (exp 0.511, log 0.520, log1p 0.899, expm1 0.913, tanh
2.21, atanh 3 from libm-test-ulps x86_64), at least the maximum + 1; the certified
primal maxima (validation/certification/report.json) are lower for all of them
(exp 0.495, log 0.498, log1p 0.652, expm1 0.656, tanh 1.000, atanh 0.994).

Constants that are not doubles enter as brackets (lo, hi) checked against mpmath in
tests/rules/test_enclosures_special.py.
"""
from __future__ import annotations

import math

from ..types import interval as I
from .enclosures import increasing, interval_kernel
from .schema import scalar_kernel

INF = I.INF
NAN = float("nan")
EXP_MAX = 709.782712893384   # largest double whose exp is finite (checked in the tests)

# brackets (lo, hi) with lo < exact < hi
PI = (3.141592653589793, 3.1415926535897936)
PI2 = (9.869604401089358, 9.86960440108936)                 # pi**2
LN2 = (0.6931471805599453, 0.6931471805599454)
LOG_PI = (1.1447298858494002, 1.1447298858494004)           # log(pi)
TWO_OVER_SQRTPI = (1.1283791670955126, 1.1283791670955128)   # 2/sqrt(pi)
EULER = (0.5772156649015328, 0.5772156649015329)            # Euler's gamma
LOG_SQRT_2PI = (0.9189385332046727, 0.9189385332046728)     # log(2 pi)/2

EXP_ULPS = 2.0
LOG_ULPS = 2.0
LOG1P_ULPS = 2.0
EXPM1_ULPS = 2.0
TANH_ULPS = 5.0
ATANH_ULPS = 6.0


@scalar_kernel
def exp_nr(x):
    """math.exp that returns +inf instead of raising on overflow (CPython)."""
    if x > EXP_MAX:
        return INF
    return math.exp(x)


@scalar_kernel
def expm1_nr(x):
    if x > EXP_MAX:
        return INF
    return math.expm1(x)


@scalar_kernel
def log_nr(x):
    """math.log with log(0) = -inf (CPython raises)."""
    if x == 0.0:
        return -INF
    if x < 0.0:
        return NAN
    return math.log(x)


@scalar_kernel
def log1p_nr(x):
    if x == -1.0:
        return -INF
    if x < -1.0:
        return NAN
    return math.log1p(x)


@scalar_kernel
def atanh_nr(x):
    if x == 1.0:
        return INF
    if x == -1.0:
        return -INF
    return math.atanh(x)


exp_i = increasing(exp_nr, EXP_ULPS, range_lo=0.0)
log_i = increasing(log_nr, LOG_ULPS, lo=0.0)
log1p_i = increasing(log1p_nr, LOG1P_ULPS, lo=-1.0)
expm1_i = increasing(expm1_nr, EXPM1_ULPS, range_lo=-1.0)
tanh_i = increasing(math.tanh, TANH_ULPS, range_lo=-1.0, range_hi=1.0)
atanh_i = increasing(atanh_nr, ATANH_ULPS, lo=-1.0, hi=1.0)


@interval_kernel
def const(c):
    """The bracket c = (lo, hi) of a constant as an Interval."""
    return I.make(c[0], c[1])


@interval_kernel
def pt(x):
    return I.make(x, x)


@interval_kernel
def zero_i():
    return I.make(0.0, 0.0)


@interval_kernel
def one_i():
    return I.make(1.0, 1.0)


@interval_kernel
def recip(x):
    return I.div(I.make(1.0, 1.0), x)


@interval_kernel
def abs_i(x):
    """|x| over an interval (exact)."""
    if x.lo > x.hi:
        return I.empty()
    if x.lo >= 0.0:
        return I.make(x.lo, x.hi)
    if x.hi <= 0.0:
        return I.make(-x.hi, -x.lo)
    return I.make(0.0, max(-x.lo, x.hi))


@interval_kernel
def sign_i(x):
    """The set of sign(t) (as slopes: +1 or -1, both when 0 may be reached) hulled."""
    if x.lo > x.hi:
        return I.empty()
    if x.lo > 0.0:
        return I.make(1.0, 1.0)
    if x.hi < 0.0:
        return I.make(-1.0, -1.0)
    return I.make(-1.0, 1.0)


__all__ = ["exp_i", "log_i", "log1p_i", "expm1_i", "tanh_i", "atanh_i", "const",
           "pt", "zero_i", "one_i", "recip", "abs_i", "sign_i", "PI", "PI2", "LN2", "LOG_PI",
           "TWO_OVER_SQRTPI", "EULER", "LOG_SQRT_2PI", "exp_nr", "log_nr", "log1p_nr",
           "expm1_nr", "atanh_nr"]
