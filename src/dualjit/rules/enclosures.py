"""Interval extensions of the rules: building blocks and the enclosures they build.

Each rule's :class:`~dualjit.rules.schema.Enclosure` is made of functions of
:class:`~dualjit.types.interval.Interval` objects. The building blocks below turn a
float function with a known error bound and a known shape (monotone on its domain, one
extremum, ...) into an enclosure of its range over an interval. Derivative enclosures
are then ordinary expressions over enclosures (sin' is ``cos_enc(x)``), so a derivative
enclosure is exactly as trustworthy as the primal enclosures it is made of.

Guarantee: on the assumption that each libm function errs by at most its ``ulps`` (the
certified maximum plus a margin, stated per rule), every enclosure contains the exact
real result. Every function here is plain Python that Numba compiles for the native
interval type (each is registered through :func:`interval_kernel`).
"""
from __future__ import annotations

import math
from typing import Callable

from ..types import interval as I
from .fp import two_prod, two_sum
from .schema import Enclosure, scalar_kernel

INF = float("inf")  # not I.INF: interval.py may still be initializing (it imports rules.fp)

#: Interval functions called by enclosure formulas; ``dualjit.numba_ext`` makes each of
#: them callable from compiled code.
INTERVAL_KERNELS: list[Callable] = []


def interval_kernel(fn: Callable) -> Callable:
    """Mark a function of Intervals as callable from compiled enclosure formulas."""
    INTERVAL_KERNELS.append(fn)
    return fn


def increasing(f, ulps, lo=-INF, hi=INF, range_lo=-INF, range_hi=INF):
    """The enclosure of a non-decreasing f on its domain [lo, hi], whose exact range lies
    in [range_lo, range_hi]; f errs by at most ``ulps`` ulps."""
    def enclosure(x):
        a, b = max(x.lo, lo), min(x.hi, hi)
        if a > b:
            return I.empty()
        return I.make(max(I.lower(f(a), ulps), range_lo), min(I.upper(f(b), ulps), range_hi))
    return interval_kernel(enclosure)


def decreasing(f, ulps, lo=-INF, hi=INF, range_lo=-INF, range_hi=INF):
    """The mirror image of :func:`increasing` for a non-increasing f."""
    def enclosure(x):
        a, b = max(x.lo, lo), min(x.hi, hi)
        if a > b:
            return I.empty()
        return I.make(max(I.lower(f(b), ulps), range_lo), min(I.upper(f(a), ulps), range_hi))
    return interval_kernel(enclosure)


def valley(f, ulps, turn, f_turn, lo=-INF, hi=INF, range_hi=INF):
    """f decreasing on [lo, turn], increasing on [turn, hi], with exact minimum
    f(turn) = f_turn (e.g. cosh: turn 0, minimum 1)."""
    def enclosure(x):
        a, b = max(x.lo, lo), min(x.hi, hi)
        if a > b:
            return I.empty()
        if b <= turn:
            return I.make(I.lower(f(b), ulps), min(I.upper(f(a), ulps), range_hi))
        if a >= turn:
            return I.make(I.lower(f(a), ulps), min(I.upper(f(b), ulps), range_hi))
        top = max(I.upper(f(a), ulps), I.upper(f(b), ulps))
        return I.make(f_turn, min(top, range_hi))
    return interval_kernel(enclosure)


def peak(f, ulps, turn, f_turn, lo=-INF, hi=INF, range_lo=-INF):
    """f increasing on [lo, turn], decreasing on [turn, hi], exact maximum f_turn."""
    def enclosure(x):
        a, b = max(x.lo, lo), min(x.hi, hi)
        if a > b:
            return I.empty()
        if b <= turn:
            return I.make(max(I.lower(f(a), ulps), range_lo), I.upper(f(b), ulps))
        if a >= turn:
            return I.make(max(I.lower(f(b), ulps), range_lo), I.upper(f(a), ulps))
        bottom = min(I.lower(f(a), ulps), I.lower(f(b), ulps))
        return I.make(max(bottom, range_lo), f_turn)
    return interval_kernel(enclosure)


@interval_kernel
def constant(c):
    """The point interval [c, c] for an exactly representable constant c."""
    return I.make(c, c)


def increasing_open(f, ulps, lo, hi, range_lo=-INF, range_hi=INF):
    """The enclosure of an increasing f on the OPEN interval (lo, hi), tending to range_lo
    at lo and to range_hi at hi (limits, not values: log at 0, atanh at +-1). f is never
    called at lo or hi; an interval that meets the domain only at an end gives empty."""
    def enclosure(x):
        a, b = x.lo, x.hi
        if a > b or b <= lo or a >= hi:
            return I.empty()
        bl = range_lo if a <= lo else max(I.lower(f(a), ulps), range_lo)
        bh = range_hi if b >= hi else min(I.upper(f(b), ulps), range_hi)
        return I.make(bl, bh)
    return interval_kernel(enclosure)


__all__ = ["INTERVAL_KERNELS", "interval_kernel", "increasing", "decreasing", "valley",
           "peak", "constant", "increasing_open", "powi"]


# =========================================================================================
# Exponentials, logarithms, powers, roots, hyperbolic functions, hypot, degrees/radians
# (the rows of elementary.py other than the trigonometric ones).
#
# ulps: 2 x max(glibc's documented maximum, the certified sampled maximum in
# validation/certification/report.json), at least that maximum + 1, rounded up.
# =========================================================================================

EXP_ULPS = 2.0      # glibc 0.511, certified 0.495
EXP2_ULPS = 4.0     # glibc libm-test-ulps 1-2, certified 0.495
EXPM1_ULPS = 2.0    # glibc 0.913, certified 0.656
LOG_ULPS = 2.0      # glibc 0.520, certified 0.498
LOG2_ULPS = 4.0     # glibc libm-test-ulps 1-2, certified 0.500
LOG10_ULPS = 4.0    # glibc libm-test-ulps 1-2, certified 0.901
LOG1P_ULPS = 2.0    # glibc 0.899, certified 0.652
SQRT_ULPS = 0.0     # IEEE 754 square root: correctly rounded
CBRT_ULPS = 1.0     # no libm cbrt trusted: bounds verified by exact cube tests
POW_ULPS = 2.0      # glibc 0.523, certified 0.500
SINH_ULPS = 4.0     # glibc 1.93, certified 1.10
COSH_ULPS = 4.0     # glibc 1.93, certified 1.03
TANH_ULPS = 5.0     # glibc 2.21, certified 1.00
AHYP_ULPS = 6.0     # asinh/acosh/atanh: glibc libm-test-ulps 2-3, certified 0.97/0.97/0.99
HYPOT_ULPS = 2.0    # glibc libm-test-ulps 1 (CPython's own hypot: < 1), certified 0.508

EXP_MAX = 709.782712893384          # largest x with exp(x) finite
SINH_MAX = 710.4758600739439        # largest x with sinh(x), cosh(x) finite (checked)
TWO_M1000 = 2.0 ** -1000
TWO_1000 = 2.0 ** 1000

# Floats bracketing irrational constants (checked with mpmath in the tests).
LN2_I = (0.6931471805599453, 0.6931471805599454)
INV_LN2_I = (1.4426950408889634, 1.4426950408889636)
INV_LN10_I = (0.4342944819032518, 0.43429448190325187)
DEG_I = (57.295779513082316, 57.29577951308232)        # 180/pi
RAD_I = (0.017453292519943295, 0.0174532925199433)     # pi/180


# --- float helpers that return inf/0 where CPython's math raises ---------------------------

@scalar_kernel
def exp_s(x):
    if x > EXP_MAX:
        return INF
    return math.exp(x)


@scalar_kernel
def exp2_s(x):
    if x >= 1024.0:
        return INF
    return math.exp2(x)


@scalar_kernel
def expm1_s(x):
    if x > EXP_MAX:
        return INF
    return math.expm1(x)


@scalar_kernel
def log_s(x):
    if x == 0.0:
        return -INF
    return math.log(x)


@scalar_kernel
def log2_s(x):
    if x == 0.0:
        return -INF
    return math.log2(x)


@scalar_kernel
def log10_s(x):
    if x == 0.0:
        return -INF
    return math.log10(x)


@scalar_kernel
def log1p_s(x):
    if x == -1.0:
        return -INF
    return math.log1p(x)


@scalar_kernel
def sinh_s(x):
    if abs(x) > SINH_MAX:
        return math.copysign(INF, x)
    return math.sinh(x)


@scalar_kernel
def cosh_s(x):
    if abs(x) > SINH_MAX:
        return INF
    return math.cosh(x)


@scalar_kernel
def hypot_s(a, b):
    """hypot(a, b) for a, b >= 0 (possibly inf) without CPython's OverflowError: huge
    arguments are scaled by 2**-1000 (exact unless the other one underflows, which moves
    the result by at most 2**-74 of an ulp)."""
    if a == INF or b == INF:
        return INF
    if max(a, b) > 1.0e300:
        return math.hypot(a * TWO_M1000, b * TWO_M1000) * TWO_1000
    return math.hypot(a, b)


@scalar_kernel
def is_int_f(z):
    """z is a finite integer-valued float."""
    a = abs(z)
    if not a < 4503599627370496.0:  # 2**52: every finite double beyond is an integer
        return a < INF
    return math.floor(z) == z


@scalar_kernel
def floor_f(z):
    """floor(z) as a float, also for huge and infinite z."""
    if not abs(z) < 4503599627370496.0:
        return z
    return float(math.floor(z))


@scalar_kernel
def ceil_f(z):
    if not abs(z) < 4503599627370496.0:
        return z
    return float(math.ceil(z))


@scalar_kernel
def pow_bracket(x, z):
    """(lo, hi) with lo <= x**z <= hi for x >= 0 (x may be inf), any z (may be +-inf),
    using pow's error bound. Where the value is a limit (0**z, inf**z, x**+-inf) the
    bracket is that limit; a limit of +inf is (inf, inf): such a corner never holds a
    range's minimum, so lo = inf is harmless there."""
    if z == 0.0 or x == 1.0:
        return 1.0, 1.0
    if x == 0.0:
        if z > 0.0:
            return 0.0, 0.0
        return INF, INF
    if x == INF:
        if z > 0.0:
            return INF, INF
        return 0.0, 0.0
    if z == INF:
        if x > 1.0:
            return INF, INF
        return 0.0, 0.0
    if z == -INF:
        if x > 1.0:
            return 0.0, 0.0
        return INF, INF
    t = z * math.log2(x)  # log2 of the result, to about 1e-13 absolute
    if t > 1025.0:
        return I.lower(INF, POW_ULPS), INF
    if t < -1080.0:
        return 0.0, I.upper(0.0, POW_ULPS)
    if t > 1000.0:
        # near overflow: CPython's pow would raise; x**z = h**2 with h = x**(z/2)
        h = math.pow(x, 0.5 * z)
        hl = I.lower(h, POW_ULPS)
        hh = I.upper(h, POW_ULPS)
        return I.lower(hl * hl), I.upper(hh * hh)
    p = math.pow(x, z)
    return max(I.lower(p, POW_ULPS), 0.0), I.upper(p, POW_ULPS)


@scalar_kernel
def cbrt_bounds(x):
    """(lo, hi) with lo <= cbrt(x) <= hi, verified by exact cube comparisons (no libm
    error bound is assumed): |x| = b 2**(3q), b in [0.5, 4); c ~ cbrt(b) by pow and one
    Newton step; lo = c - 1.5 units, hi = c + 1.5 units, each widened until
    lo**3 <= b <= hi**3 is proved with outward-rounded products (b's cube root lies in
    [0.79, 1.59], the fallback)."""
    if x == 0.0 or x == INF or x == -INF:
        return x, x
    m, e = math.frexp(abs(x))
    q = e // 3
    b = math.ldexp(m, e - 3 * q)
    c = math.pow(b, 1.0 / 3.0)
    c = c - (c * c * c - b) / (3.0 * c * c)
    lo = I.lower(c, 0.5)
    for _ in range(6):
        if I.upper(I.upper(lo * lo) * lo) <= b:
            break
        lo = I.lower(lo, 1.0)
    if I.upper(I.upper(lo * lo) * lo) > b:
        lo = 0.79
    hi = I.upper(c, 0.5)
    for _ in range(6):
        if I.lower(I.lower(hi * hi) * hi) >= b:
            break
        hi = I.upper(hi, 1.0)
    if I.lower(I.lower(hi * hi) * hi) < b:
        hi = 1.59
    lo = math.ldexp(lo, q)
    hi = math.ldexp(hi, q)
    if x < 0.0:
        return -hi, -lo
    return lo, hi


# --- small interval helpers -----------------------------------------------------------------

@interval_kernel
def iabs(x):
    """{|t| : t in x}."""
    if x.lo > x.hi:
        return x
    if x.lo >= 0.0:
        return x
    if x.hi <= 0.0:
        return I.neg(x)
    return I.make(0.0, max(-x.lo, x.hi))


@interval_kernel
def const(c):
    """A constant given as a bracketing pair of floats."""
    return I.make(c[0], c[1])


@interval_kernel
def times_pow2(x, c):
    """c * x for a power of two c >= 1: exact (no widening), overflow kept sound."""
    if x.lo > x.hi:
        return x
    lo = c * x.lo
    hi = c * x.hi
    if lo == INF:
        lo = I.MAX
    if hi == -INF:
        hi = -I.MAX
    return I.make(lo, hi)


@interval_kernel
def _empty2():
    return I.empty(), I.empty()


@interval_kernel
def _empty3():
    return I.empty(), I.empty(), I.empty()


# --- integer powers -------------------------------------------------------------------------

@interval_kernel
def powi_f(x, n):
    """x**n for an integer-valued float n (any size): exact sign handling, tight even
    powers, poles of negative powers ([1, 1] for n = 0, also at x = 0)."""
    a, b = x.lo, x.hi
    if a > b:
        return I.empty()
    if n == 0.0:
        return I.make(1.0, 1.0)
    even = is_int_f(0.5 * n)
    if n > 0.0:
        if even:
            if a >= 0.0:
                return I.make(pow_bracket(a, n)[0], pow_bracket(b, n)[1])
            if b <= 0.0:
                return I.make(pow_bracket(-b, n)[0], pow_bracket(-a, n)[1])
            return I.make(0.0, max(pow_bracket(-a, n)[1], pow_bracket(b, n)[1]))
        lo = -pow_bracket(-a, n)[1] if a < 0.0 else pow_bracket(a, n)[0]
        hi = -pow_bracket(-b, n)[0] if b < 0.0 else pow_bracket(b, n)[1]
        return I.make(lo, hi)
    # n < 0
    if a > 0.0:
        if even:
            return I.make(pow_bracket(b, n)[0], pow_bracket(a, n)[1])
        return I.make(pow_bracket(b, n)[0], pow_bracket(a, n)[1])
    if b < 0.0:
        if even:
            return I.make(pow_bracket(-a, n)[0], pow_bracket(-b, n)[1])
        return I.make(-pow_bracket(-b, n)[1], -pow_bracket(-a, n)[0])
    # 0 lies in x: a pole
    if a == 0.0 and b == 0.0:
        return I.empty()
    if even:
        return I.make(pow_bracket(max(-a, b), n)[0], INF)
    if a == 0.0:
        return I.make(pow_bracket(b, n)[0], INF)
    if b == 0.0:
        return I.make(-INF, -pow_bracket(-a, n)[0])
    return I.entire()


@interval_kernel
def powi(x, n):
    """x**n for an Interval x and an int n (the engine's ``x ** n`` with integer n)."""
    return powi_f(x, float(n))


# --- exp, exp2, expm1 -----------------------------------------------------------------------

exp_enc = increasing(exp_s, EXP_ULPS, range_lo=0.0)


@interval_kernel
def exp_first(x, y):
    return y


@interval_kernel
def exp_second(x, y, f1):
    return y


exp2_enc = increasing(exp2_s, EXP2_ULPS, range_lo=0.0)


@interval_kernel
def exp2_first(x, y):
    return I.mul(const(LN2_I), y)


@interval_kernel
def exp2_second(x, y, f1):
    return I.mul(const(LN2_I), f1)


expm1_enc = increasing(expm1_s, EXPM1_ULPS, range_lo=-1.0)


@interval_kernel
def expm1_first(x, y):
    if y.lo > y.hi:
        return I.empty()
    return exp_enc(x)


@interval_kernel
def expm1_second(x, y, f1):
    return f1


# --- logarithms -----------------------------------------------------------------------------

log_enc = increasing_open(log_s, LOG_ULPS, 0.0, INF)
log2_enc = increasing_open(log2_s, LOG2_ULPS, 0.0, INF)
log10_enc = increasing_open(log10_s, LOG10_ULPS, 0.0, INF)
log1p_enc = increasing_open(log1p_s, LOG1P_ULPS, -1.0, INF)


@interval_kernel
def _nonneg(x):
    return I.intersect(x, I.make(0.0, INF))


@interval_kernel
def log_first(x, y):
    """1/x over x > 0 (x = 0 alone: empty, the derivative is infinite)."""
    if y.lo > y.hi:
        return I.empty()
    return I.div(I.point(1.0), _nonneg(x))


@interval_kernel
def log_second(x, y, f1):
    return I.neg(I.sqr(f1))


@interval_kernel
def log2_first(x, y):
    if y.lo > y.hi:
        return I.empty()
    return I.div(const(INV_LN2_I), _nonneg(x))


@interval_kernel
def logb_second(x, y, f1):
    """(c/x)' = -(c/x)/x for log2 and log10 (f1 = c/x)."""
    if f1.lo > f1.hi:
        return I.empty()
    return I.neg(I.div(f1, _nonneg(x)))


@interval_kernel
def log10_first(x, y):
    if y.lo > y.hi:
        return I.empty()
    return I.div(const(INV_LN10_I), _nonneg(x))


@interval_kernel
def log1p_first(x, y):
    if y.lo > y.hi:
        return I.empty()
    xd = I.intersect(x, I.make(-1.0, INF))
    return I.div(I.point(1.0), I.add(I.point(1.0), xd))


@interval_kernel
def log1p_second(x, y, f1):
    return I.neg(I.sqr(f1))


# --- roots ----------------------------------------------------------------------------------

@scalar_kernel
def sqrt_bounds(a):
    """(lo, hi) around sqrt(a), a >= 0: the correctly rounded root widened by one
    rounding, or exactly r when r*r == a (0, perfect squares: checked exactly where
    the product's error term cannot underflow)."""
    r = math.sqrt(a)
    if r == 0.0 or r == INF:
        return r, r
    if a > 1.0e-280:  # two_prod's error term is exact here (no underflow)
        p, e = two_prod(r, r)
        if p == a and e == 0.0:
            return r, r
    return max(I.lower(r), 0.0), I.upper(r)


@interval_kernel
def sqrt_enc(x):
    a = max(x.lo, 0.0)
    b = x.hi
    if a > b:
        return I.empty()
    return I.make(sqrt_bounds(a)[0], sqrt_bounds(b)[1])


@interval_kernel
def sqrt_first(x, y):
    """1/(2 sqrt x) = 0.5/Y; Y = [0, 0] gives empty (the derivative is +inf there)."""
    return I.div(I.point(0.5), y)


@interval_kernel
def sqrt_second(x, y, f1):
    """-1/(4 x sqrt x) = -f1/(2x)."""
    if f1.lo > f1.hi:
        return I.empty()
    return I.neg(I.div(f1, times_pow2(_nonneg(x), 2.0)))


@interval_kernel
def cbrt_enc(x):
    if x.lo > x.hi:
        return I.empty()
    return I.make(cbrt_bounds(x.lo)[0], cbrt_bounds(x.hi)[1])


@interval_kernel
def cbrt_first(x, y):
    """1/(3 Y**2): [c, inf] where Y touches 0, empty for Y = [0, 0]."""
    return I.div(I.point(1.0), I.mul(I.point(3.0), I.sqr(y)))


@interval_kernel
def cbrt_second(x, y, f1):
    """-2/(9 x**(5/3)) = -2 f1 / (3x): the real line where x straddles 0."""
    if f1.lo > f1.hi:
        return I.empty()
    return I.div(I.mul(I.point(-2.0), f1), I.mul(I.point(3.0), x))


# --- pow ------------------------------------------------------------------------------------

@interval_kernel
def _pow_corners(a, b, zlo, zhi):
    """The hull of x**z over x in [a, b] (0 <= a <= b, x = 0 only as the limit from
    x > 0 or with z > 0), z in [zlo, zhi]: x**z is monotone in x for each z and the
    extremes over z of the endpoint values are at zlo or zhi, so the four corners
    (limits at 0, inf) give the range."""
    l1, h1 = pow_bracket(a, zlo)
    l2, h2 = pow_bracket(a, zhi)
    l3, h3 = pow_bracket(b, zlo)
    l4, h4 = pow_bracket(b, zhi)
    return I.make(min(min(l1, l2), min(l3, l4)), max(max(h1, h2), max(h3, h4)))


@interval_kernel
def pow_enc(x, z):
    """{x**z : x in X, z in Z, (x, z) in pow's domain} with the rule's domain: x > 0;
    x = 0 with z > 0, and (0, 0) -> 1 (pow(0, 0) = 1 as in the float rule); x < 0 only
    with an integer z. This is IEEE 1788's pow (x >= 0, x = 0 only with z > 0) plus the
    points where the engine's float pow is real: 0**0 and negative bases with integer
    exponents. A point Z holding an integer goes to powi_f (exact sign by parity); a
    wider Z holding integers n1..n2 adds, for the negative part of X, +-(|x|**n) hulled
    (both parities occur) or the one integer's powi when there is just one."""
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty()
    if z.lo == z.hi and is_int_f(z.lo):
        return powi_f(x, z.lo)
    r = I.empty()
    if x.hi > 0.0:
        r = _pow_corners(max(x.lo, 0.0), x.hi, z.lo, z.hi)
    elif x.hi == 0.0:  # the non-negative part is {0}
        if z.hi > 0.0:
            r = I.make(0.0, 0.0)
        if z.lo <= 0.0 <= z.hi:
            r = I.hull(r, I.make(1.0, 1.0))
    if x.lo < 0.0:
        n1 = ceil_f(z.lo)
        n2 = floor_f(z.hi)
        if n1 <= n2:
            xn = I.make(x.lo, min(x.hi, 0.0))
            if n1 == n2:
                r = I.hull(r, powi_f(xn, n1))
            else:
                p = _pow_corners(max(-x.hi, 0.0), -x.lo, n1, n2)
                r = I.hull(r, I.make(-p.hi, p.hi))
    return r


@interval_kernel
def _pow_shift(x, z, k):
    """{x**(z - k)} for z in Z and a small integer k. For a point Z, z - k = s + e
    exactly (two_sum) and x**(z - k) = x**s * x**e: rounding z - k outward would be
    amplified by |log x| (e.g. 75x at x = 96, z = -14.4)."""
    if z.lo == z.hi and abs(z.lo) < INF:
        s, e = two_sum(z.lo, -k)
        p = pow_enc(x, I.point(s))
        if e == 0.0:
            return p
        if x.lo <= 0.0 <= x.hi:  # 0**e has no value for e < 0: take z - k outward instead
            return pow_enc(x, I.sub(z, I.point(k)))
        return I.mul(p, pow_enc(x, I.point(e)))
    return pow_enc(x, I.sub(z, I.point(k)))


@interval_kernel
def _pow_nan_points(x, z):
    """The box holds domain points where d/dz (and the mixed partials) have no value:
    negative bases (integer z) and (0, 0)."""
    if x.lo < 0.0 and ceil_f(z.lo) <= floor_f(z.hi):
        return True
    return x.lo <= 0.0 <= x.hi and z.lo <= 0.0 <= z.hi


@interval_kernel
def pow_first(x, z, y):
    """d/dx = z x**(z-1) (all of X, negative x with integer z too); d/dz = x**z log x
    over x > 0, 0 at x = 0 (z > 0, the limit), the real line where the box holds
    negative bases or (0, 0) (log x undefined, the float rule's NaN: a zero tangent
    still multiplies it to 0). Infinite one-sided limits (x = 0 with 0 < z < 1) add
    nothing (an interval [0, b] gives the half-line)."""
    if y.lo > y.hi:
        return _empty2()
    fx = I.mul(z, _pow_shift(x, z, 1.0))
    if x.lo <= 0.0 <= x.hi and z.lo <= 0.0 <= z.hi:
        fx = I.hull(fx, I.make(0.0, 0.0))  # d/dx x**0 = 0, also at x = 0
    if _pow_nan_points(x, z):
        return fx, I.entire()
    xp = _nonneg(x)
    fz = I.mul(pow_enc(xp, z), log_enc(xp))
    if x.lo <= 0.0 <= x.hi and z.hi > 0.0:
        fz = I.hull(fz, I.make(0.0, 0.0))
    return fx, fz


@interval_kernel
def pow_second(x, z, y, fx, fz):
    """z(z-1) x**(z-2); x**(z-1)(1 + z log x); log(x)**2 x**z, with the conventions of
    pow_first (limits 0 at x = 0 where they are finite: z > 1 for the mixed partial,
    z > 0 for d2/dz2)."""
    if y.lo > y.hi:
        return _empty3()
    one = I.point(1.0)
    zm1 = I.sub(z, one)
    fxx = I.mul(I.mul(z, zm1), _pow_shift(x, z, 2.0))
    if x.lo <= 0.0 <= x.hi and z.lo <= 1.0 and z.hi >= 0.0:
        if z.lo <= 0.0 <= z.hi or z.lo <= 1.0 <= z.hi:
            fxx = I.hull(fxx, I.make(0.0, 0.0))  # z (z - 1) = 0: a linear or constant power
    if _pow_nan_points(x, z):
        return fxx, I.entire(), I.entire()
    xp = _nonneg(x)
    lg = log_enc(xp)
    fxz = I.mul(_pow_shift(xp, z, 1.0), I.add(one, I.mul(z, lg)))
    fzz = I.mul(I.sqr(lg), pow_enc(xp, z))
    if x.lo <= 0.0 <= x.hi:
        if z.hi > 1.0:
            fxz = I.hull(fxz, I.make(0.0, 0.0))
        if z.hi > 0.0:
            fzz = I.hull(fzz, I.make(0.0, 0.0))
    return fxx, fxz, fzz


# --- hyperbolic -----------------------------------------------------------------------------

sinh_enc = increasing(sinh_s, SINH_ULPS)
_cosh_valley = valley(cosh_s, COSH_ULPS, 0.0, 1.0)


@interval_kernel
def cosh_enc(x):
    r = _cosh_valley(x)
    if r.lo > r.hi:
        return r
    return I.make(max(r.lo, 1.0), r.hi)


@interval_kernel
def sinh_first(x, y):
    return cosh_enc(x)


@interval_kernel
def sinh_second(x, y, f1):
    return y


@interval_kernel
def cosh_first(x, y):
    return sinh_enc(x)


@interval_kernel
def cosh_second(x, y, f1):
    return y


tanh_enc = increasing(math.tanh, TANH_ULPS, range_lo=-1.0, range_hi=1.0)


@interval_kernel
def _sech2_of_u(u):
    """4u / (1 + u)**2 (= sech(x)**2 for u = exp(-2|x|)) over an interval u."""
    return I.div(times_pow2(u, 4.0), I.sqr(I.add(I.point(1.0), u)))


@interval_kernel
def tanh_first(x, y):
    """sech**2 = 4u/(1 + u)**2, u = exp(-2|x|) in [0, 1]: increasing in u, so evaluated
    at u's two bounds (no dependency); never 1 - tanh**2, which cancels."""
    if y.lo > y.hi:
        return I.empty()
    m = iabs(x)
    u = exp_enc(I.make(-2.0 * m.hi, -2.0 * m.lo))  # exact doubling (no widening)
    ulo = max(u.lo, 0.0)
    uhi = min(u.hi, 1.0)
    lo = _sech2_of_u(I.point(ulo)).lo
    hi = _sech2_of_u(I.point(uhi)).hi
    return I.make(max(lo, 0.0), min(hi, 1.0))


@interval_kernel
def tanh_second(x, y, f1):
    """-2 tanh sech**2 (the doubling is exact)."""
    if y.lo > y.hi:
        return I.empty()
    return I.mul(I.make(-2.0 * y.hi, -2.0 * y.lo), f1)


asinh_enc = increasing(math.asinh, AHYP_ULPS)


@interval_kernel
def _asinh_d1_at(a):
    """1/sqrt(1 + a**2) for a float a >= 0 (inf allowed), as an interval; (1/a) /
    sqrt(1 + (1/a)**2) beyond 1 so that a**2 never overflows."""
    if a == INF:
        return I.make(0.0, 0.0)
    one = I.point(1.0)
    if a <= 1.0:
        return I.div(one, sqrt_enc(I.add(one, I.sqr(I.point(a)))))
    r = I.div(one, I.point(a))
    return I.div(r, sqrt_enc(I.add(one, I.sqr(r))))


@interval_kernel
def asinh_first(x, y):
    """1/sqrt(1 + x**2): even, decreasing in |x|: bounds at |x|'s ends."""
    if y.lo > y.hi:
        return I.empty()
    m = iabs(x)
    return I.make(max(_asinh_d1_at(m.hi).lo, 0.0), min(_asinh_d1_at(m.lo).hi, 1.0))


@interval_kernel
def asinh_second(x, y, f1):
    """-x/(1 + x**2)**1.5 = -(x f1) f1**2 (x f1 is bounded: no overflow)."""
    return I.neg(I.mul(I.mul(x, f1), I.sqr(f1)))


acosh_enc = increasing(math.acosh, AHYP_ULPS, lo=1.0, range_lo=0.0)


@interval_kernel
def _acosh_d1_at(a):
    """1/sqrt(a**2 - 1) for a float a > 1 (inf allowed): (a - 1)(a + 1) with a - 1
    exact up to 2; (1/a)/sqrt(1 - (1/a)**2) beyond."""
    if a == INF:
        return I.make(0.0, 0.0)
    one = I.point(1.0)
    p = I.point(a)
    if a <= 2.0:
        return I.div(one, sqrt_enc(I.mul(I.sub(p, one), I.add(p, one))))
    r = I.div(one, p)
    return I.div(r, sqrt_enc(I.sub(one, I.sqr(r))))


@interval_kernel
def acosh_first(x, y):
    """1/sqrt(x**2 - 1), decreasing on (1, inf); +inf at 1 (X = [1, 1]: empty)."""
    if y.lo > y.hi:
        return I.empty()
    a = max(x.lo, 1.0)
    b = x.hi
    if b <= 1.0:
        return I.empty()
    lo = max(_acosh_d1_at(b).lo, 0.0)
    hi = INF if a <= 1.0 else _acosh_d1_at(a).hi
    return I.make(lo, hi)


@interval_kernel
def acosh_second(x, y, f1):
    """-x/(x**2 - 1)**1.5 = -(x f1) f1**2."""
    if f1.lo > f1.hi:
        return I.empty()
    xd = I.intersect(x, I.make(1.0, INF))
    return I.neg(I.mul(I.mul(xd, f1), I.sqr(f1)))


atanh_enc = increasing_open(math.atanh, AHYP_ULPS, -1.0, 1.0)


@interval_kernel
def _atanh_d1_at(a):
    """1/((1 - a)(1 + a)) for a float 0 <= a <= 1 (inf at 1)."""
    if a >= 1.0:
        return I.make(INF, INF)
    one = I.point(1.0)
    p = I.point(a)
    return I.div(one, I.mul(I.sub(one, p), I.add(one, p)))


@interval_kernel
def atanh_first(x, y):
    """1/(1 - x**2): even, increasing in |x| on [0, 1)."""
    if y.lo > y.hi:
        return I.empty()
    m = iabs(I.intersect(x, I.make(-1.0, 1.0)))
    return I.make(max(_atanh_d1_at(m.lo).lo, 1.0), _atanh_d1_at(m.hi).hi)


@interval_kernel
def atanh_second(x, y, f1):
    """2x/(1 - x**2)**2 = 2x f1**2."""
    if f1.lo > f1.hi:
        return I.empty()
    xd = I.intersect(x, I.make(-1.0, 1.0))
    return I.mul(times_pow2(xd, 2.0), I.sqr(f1))


# --- hypot ----------------------------------------------------------------------------------

@interval_kernel
def hypot_enc(x, z):
    """hypot is increasing in |x| and |z|: [hypot(mig), hypot(mag)], and never below
    max(|x|, |z|) (exact)."""
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty()
    ax = iabs(x)
    az = iabs(z)
    lo = max(I.lower(hypot_s(ax.lo, az.lo), HYPOT_ULPS), max(ax.lo, az.lo))
    return I.make(lo, I.upper(hypot_s(ax.hi, az.hi), HYPOT_ULPS))


@interval_kernel
def _has_origin(x, z):
    return x.lo <= 0.0 <= x.hi and z.lo <= 0.0 <= z.hi


@interval_kernel
def hypot_first(x, z, y):
    """(x, z)/hypot, within [-1, 1]; a box holding the origin gives the generalized
    gradient's hull [-1, 1] for both (the unit disc)."""
    if y.lo > y.hi:
        return _empty2()
    unit = I.make(-1.0, 1.0)
    if _has_origin(x, z):
        return unit, unit
    return I.intersect(I.div(x, y), unit), I.intersect(I.div(z, y), unit)


@interval_kernel
def hypot_second(x, z, y, fx, fz):
    """(z**2, -xz, x**2)/hypot**3 = (fz**2, -fx fz, fx**2)/hypot; the real line at the
    origin (a cone's apex)."""
    if y.lo > y.hi:
        return _empty3()
    if _has_origin(x, z):
        return I.entire(), I.entire(), I.entire()
    return (I.div(I.sqr(fz), y), I.neg(I.div(I.mul(fx, fz), y)), I.div(I.sqr(fx), y))


# --- degrees, radians -----------------------------------------------------------------------

@interval_kernel
def degrees_enc(x):
    """x * 180/pi with 180/pi as a bracketing pair (no libm: the product is rounded
    outward)."""
    return I.mul(x, const(DEG_I))


@interval_kernel
def degrees_first(x, y):
    if y.lo > y.hi:
        return I.empty()
    return const(DEG_I)


@interval_kernel
def radians_enc(x):
    return I.mul(x, const(RAD_I))


@interval_kernel
def radians_first(x, y):
    if y.lo > y.hi:
        return I.empty()
    return const(RAD_I)


@interval_kernel
def zero_second(x, y, f1):
    if y.lo > y.hi:
        return I.empty()
    return I.make(0.0, 0.0)


# --- the Enclosure rows ---------------------------------------------------------------------

def _just(doc, cert, ulps, extra=""):
    return (f"libm error bound {doc} ulp (glibc's documented maximum) and {cert} ulp "
            f"(certified sampled maximum, validation/certification/report.json); widened "
            f"by {ulps:g} ulp = 2 x the larger, at least +1 over it." + extra)


EXP = Enclosure(exp_enc, exp_first, exp_second, EXP_ULPS,
                _just("0.511", "0.495", EXP_ULPS, " exp' = exp'' = Y, clamped to [0, inf)."))
EXP2 = Enclosure(exp2_enc, exp2_first, exp2_second, EXP2_ULPS,
                 _just("1-2 (libm-test-ulps)", "0.495", EXP2_ULPS,
                       " Derivatives: ln2 (a bracketing pair) times Y, times ln2 again."))
EXPM1 = Enclosure(expm1_enc, expm1_first, expm1_second, EXPM1_ULPS,
                  _just("0.913", "0.656", EXPM1_ULPS,
                        " Clamped to (-1, inf); expm1' = expm1'' = exp's enclosure."))
LOG = Enclosure(log_enc, log_first, log_second, LOG_ULPS,
                _just("0.520", "0.498", LOG_ULPS,
                      " Domain (0, inf), open: log([0, 0]) is empty, [0, b] reaches -inf. "
                      "1/x and -(1/x)**2 over X intersected with [0, inf)."))
LOG2 = Enclosure(log2_enc, log2_first, logb_second, LOG2_ULPS,
                 _just("1-2 (libm-test-ulps)", "0.500", LOG2_ULPS,
                       " As log with 1/ln2 a bracketing pair."))
LOG10 = Enclosure(log10_enc, log10_first, logb_second, LOG10_ULPS,
                  _just("1-2 (libm-test-ulps)", "0.901", LOG10_ULPS,
                        " As log with 1/ln10 a bracketing pair."))
LOG1P = Enclosure(log1p_enc, log1p_first, log1p_second, LOG1P_ULPS,
                  _just("0.899", "0.652", LOG1P_ULPS,
                        " Domain (-1, inf), open; 1/(1 + x) with 1 + x outward rounded."))
SQRT = Enclosure(sqrt_enc, sqrt_first, sqrt_second, SQRT_ULPS,
                 "IEEE 754 sqrt is correctly rounded (0 ulp; certified 0.500 = half an ulp): "
                 "widened by one rounding. sqrt' = 0.5/Y ([c, inf] where Y touches 0; "
                 "empty for Y = [0, 0], where the derivative is +inf, not a real), "
                 "sqrt'' = -f1/(2x).")
CBRT = Enclosure(cbrt_enc, cbrt_first, cbrt_second, CBRT_ULPS,
                 "No libm cbrt is trusted (glibc documents 3.67 ulp; Numba's np.cbrt is its "
                 "own pow-based code, certified 1.90): cbrt_bounds proves lo**3 <= x <= "
                 "hi**3 with outward-rounded products after scaling by 2**(3q), starting "
                 "1.5 units either side of a Newton-refined estimate (ulps = 1 states that "
                 "width, with margin). cbrt' = 1/(3Y**2), cbrt'' = -2 f1/(3x).")
POW = Enclosure(pow_enc, pow_first, pow_second, POW_ULPS,
                _just("0.523", "0.500", POW_ULPS,
                      " Domain: x > 0; x = 0 with z > 0 and (0, 0) -> 1; x < 0 with integer "
                      "z only (a point integer Z uses powi_f: exact sign by parity). The "
                      "range over a box is the hull of its four corners (limits at 0 and "
                      "inf). d/dz and the mixed partials are the real line where the box "
                      "holds x < 0 or (0, 0) (undefined there; a zero tangent cancels)."))
SINH = Enclosure(sinh_enc, sinh_first, sinh_second, SINH_ULPS,
                 _just("1.93", "1.10", SINH_ULPS, " sinh' = cosh's enclosure, sinh'' = Y."))
COSH = Enclosure(cosh_enc, cosh_first, cosh_second, COSH_ULPS,
                 _just("1.93", "1.03", COSH_ULPS,
                       " Valley with exact minimum 1 at 0, clamped to [1, inf); "
                       "cosh' = sinh's enclosure, cosh'' = Y."))
TANH = Enclosure(tanh_enc, tanh_first, tanh_second, TANH_ULPS,
                 _just("2.21", "1.00", TANH_ULPS,
                       " Clamped to [-1, 1]. tanh' = 4u/(1 + u)**2, u = exp(-2|x|) "
                       "(exp's enclosure, evaluated at u's bounds), tanh'' = -2 Y f1."))
ASINH = Enclosure(asinh_enc, asinh_first, asinh_second, AHYP_ULPS,
                  _just("2-3 (libm-test-ulps)", "0.971", AHYP_ULPS,
                        " asinh' from |x|'s bounds (1/a form beyond 1: no overflow), "
                        "asinh'' = -(x f1) f1**2."))
ACOSH = Enclosure(acosh_enc, acosh_first, acosh_second, AHYP_ULPS,
                  _just("2-3 (libm-test-ulps)", "0.972", AHYP_ULPS,
                        " Domain [1, inf); acosh' = 1/sqrt((x - 1)(x + 1)) at X's bounds "
                        "([c, inf] when X reaches 1), acosh'' = -(x f1) f1**2."))
ATANH = Enclosure(atanh_enc, atanh_first, atanh_second, AHYP_ULPS,
                  _just("2-3 (libm-test-ulps)", "0.994", AHYP_ULPS,
                        " Domain (-1, 1), open (an end reached gives an infinite bound); "
                        "atanh' = 1/((1 - a)(1 + a)) at |x|'s bounds, atanh'' = 2x f1**2."))
HYPOT = Enclosure(hypot_enc, hypot_first, hypot_second, HYPOT_ULPS,
                  _just("1 (libm-test-ulps)", "0.508", HYPOT_ULPS,
                        " Range from |x|, |z|'s bounds (hypot >= max(|x|, |z|) exactly); "
                        "partials (x, z)/Y within [-1, 1], [-1, 1] for a box holding the "
                        "origin (the generalized gradient); second partials over Y, the "
                        "real line at the origin."))
DEGREES = Enclosure(degrees_enc, degrees_first, zero_second, 0.0,
                    "No libm (0 ulp): X times 180/pi as a bracketing pair of floats, each "
                    "product rounded outward (Numba's own x * 0.28-ulp constant is not "
                    "used); certified primal error of the float rule 0.752 ulp.")
RADIANS = Enclosure(radians_enc, radians_first, zero_second, 0.0,
                    "No libm (0 ulp): X times pi/180 as a bracketing pair of floats, each "
                    "product rounded outward; certified primal error of the float rule "
                    "0.642 ulp.")
