"""Interval enclosures of the trigonometric rules: sin, cos, tan, asin, acos, atan, atan2.

Every function here is plain Python over :class:`~dualjit.types.interval.Interval`
objects that Numba compiles as is (see :mod:`dualjit.rules.enclosures`). Guarantee: on
the assumption that glibc's sin, cos, tan, asin, acos, atan and atan2 err by at most
their ``ulps`` below (twice glibc's documented maximum, at least the maximum + 1), each
enclosure contains the exact real value / derivative over the argument interval.

Extrema and poles of sin, cos, tan. They sit where t = x * 2/pi is an integer (sin's
maximum at t = 1 mod 4, minimum at t = 3 mod 4; cos's at 0 and 2 mod 4; tan's poles at
odd t). :func:`_quarter_turns` brackets t rigorously: t = x * (2/pi as a double-double)
with Dekker's exact product, so t is known to within |x| 2**-100 (plus the roundings,
taken outward), and an endpoint whose t is "too close to call" is treated as reaching
the integer (the range then includes the extremum / the pole: sound, and the excess is
below an ulp of the value). The bracket is used for |a|, |b| <= 2**50 (REDUCE_MAX);
beyond, a non-point interval gives [-1, 1] (sin, cos) or the real line (tan). Point
intervals never need the bracket (glibc reduces huge arguments exactly), so they stay
tight at any magnitude.
"""
from __future__ import annotations

import math

from ..types import interval as I
from .enclosures import decreasing, increasing, interval_kernel
from .fp import two_prod
from .schema import Enclosure

INF = I.INF
MAX = I.MAX

# Bracketing floats (lo <= exact <= hi), checked against mpmath at 300 bits in
# tests/rules/test_enclosures_trig.py.
PI = (3.141592653589793, 3.1415926535897936)
PI_2 = (1.5707963267948966, 1.5707963267948968)
INV_SQRT3 = (0.5773502691896257, 0.5773502691896258)      # 1/sqrt(3): atan'' turns
ATAN_D2_EXT = (0.6495190528383289, 0.649519052838329)     # 3 sqrt(3)/8 = max |atan''|
# 2/pi as a double-double: hi + lo = 2/pi (1 + d), |d| < 2**-107.
TWO_OVER_PI_HI = 0.6366197723675814
TWO_OVER_PI_LO = -3.935735335036497e-17
REDUCE_MAX = 2.0 ** 50
TWO_POW_M100 = 2.0 ** -100
TWO_POW_M1060 = 2.0 ** -1060
TWO_POW_M400 = 2.0 ** -400
TWO_POW_400 = 2.0 ** 400

# libm error bounds (ulps) used for widening: 2 x max(glibc documented, certified) and
# at least max + 1 (see each Enclosure's justification).
SIN_ULPS = 2.0
COS_ULPS = 2.0
TAN_ULPS = 2.0
ASIN_ULPS = 2.0
ACOS_ULPS = 2.0
ATAN_ULPS = 2.0
ATAN2_ULPS = 2.0


# --- where x sits in quarter turns --------------------------------------------------------

@interval_kernel
def _quarter_turns(x):
    """(n, d_lo, d_hi): x * 2/pi lies in [n + d_lo, n + d_hi], n an integer-valued float,
    -1 < d_lo, d_hi < 1 (|x| <= REDUCE_MAX)."""
    p, e = two_prod(x, TWO_OVER_PI_HI)       # exact (|x| < 2**996), up to underflow
    t_lo = e + x * TWO_OVER_PI_LO
    n = float(math.floor(p + 0.5))
    # (p - n) + t_lo with its two roundings taken outward
    r_lo, r_hi = I._sum_lo(p, -n), I._sum_hi(p, -n)
    d_lo = I._sum_lo(r_lo, t_lo)
    d_hi = I._sum_hi(r_hi, t_lo)
    # Not yet counted: the double-double 2/pi (|x| 2**-107), the roundings of x * lo and
    # e + x * lo (|x| 2**-105 together), underflow in e and x * lo (a few 2**-1074): err
    # exceeds their sum ~16-fold, so its own rounding does not matter. The last two sums
    # round outward, as err may be below half an ulp of d.
    err = abs(x) * TWO_POW_M100 + TWO_POW_M1060
    return n, I._sum_lo(d_lo, -err), I._sum_hi(d_hi, err)


@interval_kernel
def _integers_between(a, b):
    """(m_lo, m_hi, ok): every integer m with a * 2/pi <= m <= b * 2/pi lies in
    [m_lo, m_hi] (a superset when an endpoint is too close to call); ok is False when
    the endpoints are beyond REDUCE_MAX (nothing is known then)."""
    if not (abs(a) <= REDUCE_MAX and abs(b) <= REDUCE_MAX):
        return 0.0, 0.0, False
    na, da_lo, da_hi = _quarter_turns(a)
    nb, db_lo, db_hi = _quarter_turns(b)
    m_lo = na if da_lo <= 0.0 else na + 1.0
    m_hi = nb if db_hi >= 0.0 else nb - 1.0
    return m_lo, m_hi, True


@interval_kernel
def _has_residue(m_lo, m_hi, r, k):
    """Some integer m in [m_lo, m_hi] has m = r (mod k)."""
    if m_hi < m_lo:
        return False
    q = r - m_lo
    step = q - k * float(math.floor(q / k))   # (r - m_lo) mod k, exact below 2**52
    return m_lo + step <= m_hi


@interval_kernel
def _sincos_range(a, b, fa, fb, ulps, r_max, r_min):
    """(lo, hi) of a function with sin's shape over [a, b] (finite, a < b): values fa, fb
    at the endpoints, maximum 1 at t = r_max (mod 4), minimum -1 at t = r_min (mod 4)."""
    lo = max(min(I.lower(fa, ulps), I.lower(fb, ulps)), -1.0)
    hi = min(max(I.upper(fa, ulps), I.upper(fb, ulps)), 1.0)
    m_lo, m_hi, ok = _integers_between(a, b)
    if not ok or m_hi - m_lo >= 3.0:
        return -1.0, 1.0
    if _has_residue(m_lo, m_hi, r_max, 4.0):
        hi = 1.0
    if _has_residue(m_lo, m_hi, r_min, 4.0):
        lo = -1.0
    return lo, hi


# --- sin, cos, tan --------------------------------------------------------------------------

@interval_kernel
def sin_enc(x):
    a, b = x.lo, x.hi
    if a > b:
        return I.empty()
    if a == -INF or b == INF:
        return I.make(-1.0, 1.0)
    if a == b:
        s = math.sin(a)
        return I.make(max(I.lower(s, SIN_ULPS), -1.0), min(I.upper(s, SIN_ULPS), 1.0))
    lo, hi = _sincos_range(a, b, math.sin(a), math.sin(b), SIN_ULPS, 1.0, 3.0)
    return I.make(lo, hi)


@interval_kernel
def cos_enc(x):
    a, b = x.lo, x.hi
    if a > b:
        return I.empty()
    if a == -INF or b == INF:
        return I.make(-1.0, 1.0)
    if a == b:
        c = math.cos(a)
        return I.make(max(I.lower(c, COS_ULPS), -1.0), min(I.upper(c, COS_ULPS), 1.0))
    lo, hi = _sincos_range(a, b, math.cos(a), math.cos(b), COS_ULPS, 0.0, 2.0)
    return I.make(lo, hi)


@interval_kernel
def sin_d1(x, y):
    return cos_enc(x)


@interval_kernel
def sin_d2(x, y, f1):
    return I.neg(y)


@interval_kernel
def cos_d1(x, y):
    return I.neg(sin_enc(x))


@interval_kernel
def cos_d2(x, y, f1):
    return I.neg(y)


@interval_kernel
def tan_enc(x):
    """Increasing between poles; an interval that may hold a pole gives the real line."""
    a, b = x.lo, x.hi
    if a > b:
        return I.empty()
    if a == -INF or b == INF:
        return I.entire()
    if a != b:
        m_lo, m_hi, ok = _integers_between(a, b)
        if not ok or _has_residue(m_lo, m_hi, 1.0, 2.0):
            return I.entire()
    return I.make(I.lower(math.tan(a), TAN_ULPS), I.upper(math.tan(b), TAN_ULPS))


@interval_kernel
def tan_d1(x, y):
    """sec**2 = 1 + tan**2 over Y (sqr has no dependency problem)."""
    if y.lo > y.hi:
        return I.empty()
    return I.add(I.point(1.0), I.sqr(y))


@interval_kernel
def _tan_d2_at(t):
    """An interval containing 2 t (1 + t**2) for the real t (finite)."""
    p = I.point(t)
    return I.mul(I.point(2.0), I.mul(p, I.add(I.point(1.0), I.sqr(p))))


@interval_kernel
def tan_d2(x, y, f1):
    """2 t (1 + t**2) is increasing in t = tan(x): its values at Y's bounds."""
    if y.lo > y.hi:
        return I.empty()
    lo = -INF if y.lo == -INF else _tan_d2_at(y.lo).lo
    hi = INF if y.hi == INF else _tan_d2_at(y.hi).hi
    return I.make(lo, hi)


# --- asin, acos -----------------------------------------------------------------------------

asin_enc = increasing(math.asin, ASIN_ULPS, -1.0, 1.0, -PI_2[1], PI_2[1])
acos_enc = decreasing(math.acos, ACOS_ULPS, -1.0, 1.0, 0.0, PI[1])


@interval_kernel
def _sqrt(x):
    """sqrt over x and [0, inf) (math.sqrt is correctly rounded)."""
    a, b = max(x.lo, 0.0), x.hi
    if a > b:
        return I.empty()
    lo = 0.0 if a == 0.0 else max(I.lower(math.sqrt(a)), 0.0)
    hi = 0.0 if b == 0.0 else I.upper(math.sqrt(b))
    return I.make(lo, hi)


@interval_kernel
def _asin_d1_at(v):
    """1/sqrt((1 - v)(1 + v)) for |v| < 1, as an interval."""
    p = I.point(v)
    one = I.point(1.0)
    return I.div(one, _sqrt(I.mul(I.sub(one, p), I.add(one, p))))


@interval_kernel
def _asin_d2_at(v):
    """v / ((1 - v)(1 + v))**1.5 = v g**3, g = asin'(v), for |v| < 1."""
    g = _asin_d1_at(v)
    return I.mul(I.point(v), I.mul(g, I.sqr(g)))


@interval_kernel
def asin_d1(x):
    """1/sqrt(1 - x**2) is even and increasing in |x|: its values at min |x| and max |x|
    over X and [-1, 1]; unbounded when X reaches +-1."""
    a, b = max(x.lo, -1.0), min(x.hi, 1.0)
    if a > b:
        return I.empty()
    mig = 0.0 if a <= 0.0 <= b else min(abs(a), abs(b))
    mag = max(abs(a), abs(b))
    lo = 1.0 if mig == 1.0 else _asin_d1_at(mig).lo
    hi = INF if mag == 1.0 else _asin_d1_at(mag).hi
    return I.make(max(lo, 1.0), hi)


@interval_kernel
def asin_d2(x):
    """x / (1 - x**2)**1.5 is increasing on (-1, 1), -inf / +inf at -1 / +1."""
    a, b = max(x.lo, -1.0), min(x.hi, 1.0)
    if a > b:
        return I.empty()
    if a == -1.0:
        lo = -INF
    elif a == 1.0:
        lo = 0.0
    else:
        lo = _asin_d2_at(a).lo
    if b == 1.0:
        hi = INF
    elif b == -1.0:
        hi = 0.0
    else:
        hi = _asin_d2_at(b).hi
    return I.make(lo, hi)


@interval_kernel
def asin_first(x, y):
    return asin_d1(x)


@interval_kernel
def asin_second(x, y, f1):
    return asin_d2(x)


@interval_kernel
def acos_first(x, y):
    return I.neg(asin_d1(x))


@interval_kernel
def acos_second(x, y, f1):
    return I.neg(asin_d2(x))


# --- atan -----------------------------------------------------------------------------------

atan_enc = increasing(math.atan, ATAN_ULPS, range_lo=-PI_2[1], range_hi=PI_2[1])


@interval_kernel
def _atan_d1_at(v):
    """1/(1 + v**2); for |v| > 1 as r**2/(1 + r**2), r = 1/v (no overflow)."""
    one = I.point(1.0)
    if abs(v) <= 1.0:
        return I.div(one, I.add(one, I.sqr(I.point(v))))
    r2 = I.sqr(I.div(one, I.point(v)))
    return I.div(r2, I.add(one, r2))


@interval_kernel
def _atan_d2_at(v):
    """-2v/(1 + v**2)**2; for |v| > 1 as -2 r**3/(1 + r**2)**2, r = 1/v."""
    one = I.point(1.0)
    if abs(v) <= 1.0:
        p = I.point(v)
        return I.div(I.mul(I.point(-2.0), p), I.sqr(I.add(one, I.sqr(p))))
    r = I.div(one, I.point(v))
    r2 = I.sqr(r)
    return I.div(I.mul(I.point(-2.0), I.mul(r, r2)), I.sqr(I.add(one, r2)))


@interval_kernel
def atan_first(x, y):
    """1/(1 + x**2): even, decreasing in |x|."""
    a, b = x.lo, x.hi
    if a > b:
        return I.empty()
    mig = 0.0 if a <= 0.0 <= b else min(abs(a), abs(b))
    mag = max(abs(a), abs(b))
    lo = 0.0 if mag == INF else max(_atan_d1_at(mag).lo, 0.0)
    hi = min(_atan_d1_at(mig).hi, 1.0)
    return I.make(lo, hi)


@interval_kernel
def atan_second(x, y, f1):
    """-2x/(1 + x**2)**2: increasing on (-inf, -r], decreasing on [-r, r], increasing on
    [r, inf) (r = 1/sqrt(3)), extreme values -+3 sqrt(3)/8, limit 0 at +-inf."""
    a, b = x.lo, x.hi
    if a > b:
        return I.empty()
    ea = I.point(0.0) if a == -INF else _atan_d2_at(a)
    eb = I.point(0.0) if b == INF else _atan_d2_at(b)
    lo, hi = min(ea.lo, eb.lo), max(ea.hi, eb.hi)
    if a <= -INV_SQRT3[0] and b >= -INV_SQRT3[1]:
        hi = ATAN_D2_EXT[1]
    if a <= INV_SQRT3[1] and b >= INV_SQRT3[0]:
        lo = -ATAN_D2_EXT[1]
    return I.make(max(lo, -ATAN_D2_EXT[1]), min(hi, ATAN_D2_EXT[1]))


# --- atan2 ----------------------------------------------------------------------------------
# The rule is atan2(x, z) as math.atan2(y, x): the first argument X is the ordinate,
# the second Z the abscissa.

@interval_kernel
def _corner(u, v, lo, hi):
    """Widen (lo, hi) by atan2(u, v) unless (u, v) is the origin."""
    if u == 0.0 and v == 0.0:
        return lo, hi
    t = math.atan2(u, v)
    return min(lo, I.lower(t, ATAN2_ULPS)), max(hi, I.upper(t, ATAN2_ULPS))


@interval_kernel
def atan2_enc(x, z):
    """IEEE 1788 atan2 over the box X (ordinate) x Z (abscissa) minus the origin: the
    hull of the corner angles (the angle is continuous there, and its extremes over a
    box that does not meet the branch cut are at corners; at a corner on the origin the
    adjacent corners give the limiting directions); [-pi, pi] when the box meets both the
    negative x-axis (angle pi) and the open lower half-plane next to it, and for the
    origin alone (C's atan2 gives 0 or +-pi there by the zeros' signs)."""
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty()
    y1, y2 = x.lo + 0.0, x.hi + 0.0     # + 0.0: -0.0 becomes +0.0 (a point on the axis)
    x1, x2 = z.lo + 0.0, z.hi + 0.0
    if y1 == 0.0 and y2 == 0.0 and x1 == 0.0 and x2 == 0.0:
        # IEEE 1788 says empty; the program's atan2(+-0, +-0) is 0 or +-pi (C's signed-zero
        # convention), and the enclosure must hold what the program computes
        return I.make(-PI[1], PI[1])
    if y1 < 0.0 <= y2 and x1 < 0.0:
        return I.make(-PI[1], PI[1])
    lo, hi = INF, -INF
    lo, hi = _corner(y1, x1, lo, hi)
    lo, hi = _corner(y1, x2, lo, hi)
    lo, hi = _corner(y2, x1, lo, hi)
    lo, hi = _corner(y2, x2, lo, hi)
    return I.make(max(lo, -PI[1]), min(hi, PI[1]))


@interval_kernel
def _atan2_scale(x, z):
    """A power of 2, s, that brings the box's largest finite bound into [0.5, 1) when it
    lies outside [2**-400, 2**400] (1.0 otherwise), so the squares neither overflow nor
    underflow."""
    m = max(max(abs(x.lo), abs(x.hi)), max(abs(z.lo), abs(z.hi)))
    if m == INF or m == 0.0 or TWO_POW_M400 <= m <= TWO_POW_400:
        return 1.0
    e = math.frexp(m)[1]
    if e < -1000:
        e = -1000
    return math.ldexp(1.0, -e)


@interval_kernel
def _scaled(x, s):
    """x * s for a power of 2, s: untouched when s is 1, else outward (the products are
    exact unless they under- or overflow, which the interval product covers)."""
    if s == 1.0:
        return x
    return I.mul(x, I.point(s))


@interval_kernel
def atan2_first(x, z, y):
    """(z, -x) / (x**2 + z**2) in interval arithmetic on the scaled box; the real line
    (or a half-line) when the box holds the origin."""
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty(), I.empty()
    if I.is_zero(x) and I.is_zero(z):  # the origin: unbounded difference quotients
        return I.entire(), I.entire()
    s = _atan2_scale(x, z)
    xs, zs = _scaled(x, s), _scaled(z, s)
    d = I.add(I.sqr(xs), I.sqr(zs))
    fx = _scaled(I.div(zs, d), s)
    fz = _scaled(I.div(I.neg(xs), d), s)
    return fx, fz


@interval_kernel
def atan2_second(x, z, y, fx, fz):
    """(-2xz, x**2 - z**2, 2xz) / (x**2 + z**2)**2 on the scaled box; x**2 - z**2 as the
    intersection of sqr(X) - sqr(Z) and (X - Z)(X + Z) (the latter is tight near
    |x| = |z|)."""
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty(), I.empty(), I.empty()
    if I.is_zero(x) and I.is_zero(z):
        return I.entire(), I.entire(), I.entire()
    s = _atan2_scale(x, z)
    xs, zs = _scaled(x, s), _scaled(z, s)
    d2 = I.sqr(I.add(I.sqr(xs), I.sqr(zs)))
    two_p = I.mul(I.point(2.0), I.mul(xs, zs))
    diff = I.intersect(I.sub(I.sqr(xs), I.sqr(zs)), I.mul(I.sub(xs, zs), I.add(xs, zs)))
    fzz = _scaled(_scaled(I.div(two_p, d2), s), s)
    fxx = I.neg(fzz)
    fxz = _scaled(_scaled(I.div(diff, d2), s), s)
    return fxx, fxz, fzz


# --- the Enclosure rows -------------------------------------------------------------------

def _why(name, documented, certified, ulps, extra=""):
    return (f"{name}: glibc documents max {documented} ulp (x86_64 libm-test-ulps), the "
            f"quick certification measured {certified} ulp; ulps = {ulps} = "
            f"2 x max and >= max + 1.{extra}")


SIN = Enclosure(
    primal=sin_enc, first=sin_d1, second=sin_d2, ulps=SIN_ULPS,
    justification=_why("sin", 0.516, 0.498, SIN_ULPS,
                       " Extrema at pi/2 + k pi located with a double-double 2/pi for "
                       "|x| <= 2**50 (else [-1, 1] unless a point); sin' = cos(X), "
                       "sin'' = -Y."))
COS = Enclosure(
    primal=cos_enc, first=cos_d1, second=cos_d2, ulps=COS_ULPS,
    justification=_why("cos", 0.516, 0.502, COS_ULPS,
                       " Extrema at k pi as for sin; cos' = -sin(X), cos'' = -Y."))
TAN = Enclosure(
    primal=tan_enc, first=tan_d1, second=tan_d2, ulps=TAN_ULPS,
    justification=_why("tan", 0.619, 0.517, TAN_ULPS,
                       " Poles at pi/2 + k pi located as for sin (a possible pole gives "
                       "the real line); tan' = 1 + Y**2, tan'' = 2t(1 + t**2) at Y's "
                       "bounds (increasing in t)."))
ASIN = Enclosure(
    primal=asin_enc, first=asin_first, second=asin_second, ulps=ASIN_ULPS,
    justification=_why("asin", 1, 0.498, ASIN_ULPS,
                       " Domain [-1, 1]; asin' = 1/sqrt((1 - x)(1 + x)) at min/max |x| "
                       "(unbounded at +-1), asin'' = x asin'**3 at the bounds "
                       "(increasing)."))
ACOS = Enclosure(
    primal=acos_enc, first=acos_first, second=acos_second, ulps=ACOS_ULPS,
    justification=_why("acos", 1, 0.498, ACOS_ULPS, " Minus asin's derivative enclosures."))
ATAN = Enclosure(
    primal=atan_enc, first=atan_first, second=atan_second, ulps=ATAN_ULPS,
    justification=_why("atan", 1, 0.496, ATAN_ULPS,
                       " Range clamped to an outer bracket of (-pi/2, pi/2); atan' and "
                       "atan'' from their monotone pieces, evaluated as 1/x forms for "
                       "|x| > 1."))
ATAN2 = Enclosure(
    primal=atan2_enc, first=atan2_first, second=atan2_second, ulps=ATAN2_ULPS,
    justification=_why("atan2", 1, "0.5 (finite, non-zero arguments; the report's "
                       "'inf' is the signed-zero case atan2(0, -0)", ATAN2_ULPS,
                       " IEEE 1788 semantics: corner hull, [-pi, pi] across the branch "
                       "cut, empty at the origin alone; partials in interval arithmetic "
                       "on a power-of-2-scaled box."))

__all__ = ["SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "ATAN2", "sin_enc", "cos_enc",
           "tan_enc", "asin_enc", "acos_enc", "atan_enc", "atan2_enc", "PI", "PI_2"]
