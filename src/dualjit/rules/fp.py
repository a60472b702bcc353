"""Error-free transformations and double-double arithmetic for rule formulas.

Plain Python so the rule table runs anywhere (CPython, the CUDA simulator); the
``scalar_kernel`` mark makes each helper callable from compiled rule code too.

A double-double is a pair (hi, lo) of floats standing for the exact sum hi + lo; every
function here returns it normalized, hi = fl(hi + lo) (so |lo| <= ulp(hi)/2). Stated
accuracies are the largest relative errors of hi + lo, against the exact result for the
exact inputs, measured with mpmath on 20000 random operands or more, in units of
u = 2**-106 (so "5u" is about 2**-104).

Range: inputs finite and below 2**996 in magnitude wherever they reach two_prod (its
Dekker splitting overflows beyond), results not overflowing; where a product falls below
about 2**-969 its low part underflows and the result is merely rounded.
"""
import math
from fractions import Fraction

import mpmath as mp

from .. import eft
from .schema import scalar_kernel

INF = float("inf")
_TWO_POW_900 = 2.0 ** 900
_TWO_POW_M900 = 2.0 ** -900

# ln 2 in three parts; LN2_A has 32 significant bits, so k*LN2_A + t is exact for the
# small integers k and the arguments t (|t| in [256, 1024)) it is used with, and
# k*LN2_A is exact for every exponent k of a double.
LN2_A = 6.93147180369123816490e-01
LN2_B = 1.9082149292705877e-10
LN2_C = 1.1612227229362532e-26


# ---------------------------------------------------------------------------------------
# error-free transformations


# The error-free transformations live at the bottom layer (dualjit.eft: the interval
# algebra uses them too); rule formulas call them from here.
two_sum = scalar_kernel(eft.two_sum)
fast_two_sum = scalar_kernel(eft.fast_two_sum)
two_prod = scalar_kernel(eft.two_prod)


# ---------------------------------------------------------------------------------------
# double-double arithmetic


def dd_of(v):
    """An mpf or a Fraction as a double-double (hi, lo): hi = v rounded, lo = the rest
    rounded (plain Python, for building constants at import time)."""
    hi = float(v)
    return hi, float(v - (mp.mpf(hi) if isinstance(v, mp.mpf) else Fraction(hi)))


@scalar_kernel
def dd_add(ah, al, bh, bl):
    """(ah + al) + (bh + bl), finite inputs with a finite sum: 1.5u when the signs agree.

    The 'sloppy' add (al + bl is rounded once): the absolute error is a few u times
    |a| + |b|, so with cancellation the relative error grows by (|a| + |b|)/|a + b|."""
    s, e = two_sum(ah, bh)
    e += al + bl
    h = s + e
    return h, e - (h - s)


@scalar_kernel
def dd_add_d(ah, al, b):
    """(ah + al) + b for a double b (range as dd_add): 1.0u when the signs agree; with
    cancellation as dd_add."""
    s, e = two_sum(ah, b)
    e += al
    h = s + e
    return h, e - (h - s)


@scalar_kernel
def dd_mul(ah, al, bh, bl):
    """(ah + al) * (bh + bl): 3.0u (al*bl is dropped). Range as two_prod(ah, bh)."""
    p, e = two_prod(ah, bh)
    e += ah * bl + al * bh
    h = p + e
    return h, e - (h - p)


@scalar_kernel
def dd_mul_d(ah, al, b):
    """(ah + al) * b for a double b: 2.0u. Range as two_prod(ah, b)."""
    p, e = two_prod(ah, b)
    e += al * b
    h = p + e
    return h, e - (h - p)


@scalar_kernel
def dd_div(ah, al, bh, bl):
    """(ah + al) / (bh + bl): 5.1u, about 2**-104.

    One quotient q = ah/bh corrected by the exact remainder ah - q*bh (two_prod), so
    q and bh must be in two_prod's range."""
    q = ah / bh
    p, e = two_prod(q, bh)
    r = (((ah - p) - e) + al - q * bl) / bh
    h = q + r
    return h, r - (h - q)


@scalar_kernel
def dd_recip(ah, al):
    """1 / (ah + al): 4.2u, for 2**-996 < |ah| < 2**996 (two_prod(1/ah, ah)).

    Cheaper than dd_div(1.0, 0.0, ah, al): the correction is multiplied by 1/ah instead
    of divided by ah."""
    q = 1.0 / ah
    p, e = two_prod(q, ah)
    r = ((1.0 - p) - e) - q * al
    r *= q
    h = q + r
    return h, r - (h - q)


@scalar_kernel
def div_dd(a, bh, bl):
    """a / (bh + bl) rounded to double: 0.5 ulp plus dd_div's 5u. Range as dd_div."""
    h, l = dd_div(a, 0.0, bh, bl)
    return h + l


@scalar_kernel
def sqrt_dd(h, l):
    """sqrt(h + l) for h + l >= 0: 2.5u. One Newton step on math.sqrt(h) with the
    exact residual h - s*s (two_prod), so 2**-969 <= h < 2**1023 for that accuracy
    (h == 0 gives (0, 0))."""
    s = math.sqrt(h)
    if s == 0.0:
        return s, 0.0
    p, e = two_prod(s, s)
    c = (((h - p) - e) + l) / (2.0 * s)
    r = s + c
    return r, c - (r - s)


@scalar_kernel
def rsqrt_dd(h, l):
    """1 / sqrt(h + l) rounded to double, for h + l >= 0: about 0.5 ulp; +inf at 0.
    Range as sqrt_dd."""
    if h == 0.0:
        return INF
    sh, sl = sqrt_dd(h, l)
    return div_dd(1.0, sh, sl)


@scalar_kernel
def mul_pow2(v, k):
    """v * 2**k with a single rounding (for |v| >= 2**-22), never raising; any integer k."""
    while k > 900:
        v *= _TWO_POW_900
        k -= 900
    while k < -900:
        v *= _TWO_POW_M900
        k += 900
    return v * math.ldexp(1.0, k)


@scalar_kernel
def dd_ldexp(h, l, k):
    """(h + l) * 2**k rounded to double once (twice only if the result is subnormal), for
    any integer k; 0, inf and NaN in h pass through."""
    if h == 0.0 or not math.isfinite(h):
        return h
    m, e = math.frexp(h)
    return mul_pow2(m + math.ldexp(l, -e), k + e)


# ln(m) = 2 atanh(f), f = (m - 1)/(m + 1): coefficients 1/(2k+1) of the series in f**2.
_ATANH_N = 23
_ATANH_DD = 10  # the first 10 terms need double-double precision
_ATANH_HI = tuple(dd_of(Fraction(1, 2 * k + 1))[0] for k in range(_ATANH_N))
_ATANH_LO = tuple(dd_of(Fraction(1, 2 * k + 1))[1] for k in range(_ATANH_N))


@scalar_kernel
def log_dd(x):
    """ln(x) for finite x > 0, subnormals included: 5.4u (100000 points).

    x = m 2**k with m in [1/sqrt(2), sqrt(2)); ln m = 2 atanh((m - 1)/(m + 1)) by its
    series (10 terms in double-double, 13 in double), k ln 2 with a three-part ln 2."""
    m, k = math.frexp(x)
    if m < 0.7071067811865476:
        m *= 2.0
        k -= 1
    dh, dl = two_sum(m, 1.0)
    fh, fl = dd_div(m - 1.0, 0.0, dh, dl)  # m - 1 is exact
    sh, sl = dd_mul(fh, fl, fh, fl)
    acc = _ATANH_HI[_ATANH_N - 1]
    for i in range(_ATANH_N - 2, _ATANH_DD - 1, -1):
        acc = acc * sh + _ATANH_HI[i]
    th, tl = acc, 0.0
    for i in range(_ATANH_DD - 1, -1, -1):
        th, tl = dd_mul(th, tl, sh, sl)
        th, tl = dd_add(th, tl, _ATANH_HI[i], _ATANH_LO[i])
    lh, ll = dd_mul(fh, fl, th, tl)
    kf = float(k)
    bh, bl = two_prod(kf, LN2_B)
    ah, al = dd_add(kf * LN2_A, 0.0, bh, bl + kf * LN2_C)
    return dd_add(ah, al, 2.0 * lh, 2.0 * ll)
