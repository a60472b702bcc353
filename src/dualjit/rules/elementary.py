"""Exponentials, logarithms, powers, trigonometric and hyperbolic functions.

Accuracy policy (DESIGN.md, "Accuracy: what we know"): no derivative is rebuilt from a rounded
value where that cancels or over/underflows. Quantities like 1 - x*x, 1 + x*x, x*x + z*z
and (1 + u)**k are kept exact as double-doubles (two_prod / two_sum) and divided once,
so most formulas carry one final rounding on top of the libm call they start from.
"""
import math
import operator

import mpmath as mp
import numpy as np

from .fp import (LN2_A, LN2_B, dd_div, dd_ldexp, dd_mul, div_dd, log_dd, mul_pow2, rsqrt_dd,
                 sqrt_dd, two_prod, two_sum)
from .schema import Domain, Kink, Rule, scalar_kernel
from . import enclosures_trig as _trig_enc
from . import enclosures as _enc

INF = float("inf")

# Powers of two as plain constants: in compiled code float ** int goes through Numba's
# integer-power routine, whose error path would sit in the user's loop.
TWO_POW_M600 = 2.0 ** -600
TWO_POW_M511 = 2.0 ** -511
TWO_POW_M53 = 2.0 ** -53
TWO_POW_M52 = 2.0 ** -52
TWO_POW_60 = 2.0 ** 60
TWO_POW_61 = 2.0 ** 61
TWO_POW_600 = 2.0 ** 600
NAN = float("nan")
WIDE = (-1.0e300, 1.0e300)
TINY = 2.2250738585072014e-308          # smallest normal double
EXP_MAX = 709.782712893384              # largest x with math.exp(x) finite

# Double-double constants (hi + lo), computed with mpmath at 300 bits.
LN2 = (0.6931471805599453, 2.3190468138462996e-17)
LN2SQ = (0.48045301391820144, -1.898786250636575e-17)
INV_LN2 = (1.4426950408889634, 2.0355273740931033e-17)
INV_LN10 = (0.4342944819032518, 1.098319650216765e-17)
# Numba's math.degrees/radians multiply by these Python floats (both correctly rounded).
DEG = 180.0 / math.pi
RAD = math.pi / 180.0


def _targets(*fns):
    """Targets that exist in this Python (math.cbrt and math.exp2 are 3.11+)."""
    return tuple(f for f in fns if f is not None)


# ---------------------------------------------------------------------------------------
# building blocks (double-double arithmetic itself is in fp.py)


@scalar_kernel
def inv_sq(a):
    """1 / a**2 for a > 0 without forming a*a: about 0.5 ulp (1 ulp outside
    [1e-145, 1e295], where the double-double steps would overflow)."""
    if 1.0e-145 < a < 1.0e295:
        h, l = dd_div(1.0, 0.0, a, 0.0)
        h, l = dd_div(h, l, a, 0.0)
        return h + l
    return (1.0 / a) / a


@scalar_kernel
def one_minus_sq(x):
    """1 - x*x as an exact double-double (|x| <= 1)."""
    p, e = two_prod(x, x)
    h, l = two_sum(1.0, -p)
    return h, l - e


@scalar_kernel
def one_plus_sq(x):
    """1 + x*x as an exact double-double (|x| <= 2**30)."""
    p, e = two_prod(x, x)
    h, l = two_sum(1.0, p)
    return h, l + e


@scalar_kernel
def const_over(ch, cl, x):
    """(ch + cl) / x rounded to double: about 0.5 ulp."""
    q = ch / x
    a = abs(x)
    if 1.0e-290 < a < 1.0e290:
        p, e = two_prod(q, x)
        q += (((ch - p) - e) + cl) / x
    return q


@scalar_kernel
def exp_ln2(t, k):
    """exp(t + k*ln2) for small integer k and |t| in [256, 1024), t + k*ln2 < ~710.

    t + k*LN2_A is exact, so only exp's own error and one rounding remain, also where
    the result is subnormal (4*exp(-2a) would round twice there).
    """
    u = t + k * LN2_A
    if u > EXP_MAX:
        return INF
    w = math.exp(u)
    return w + w * (k * LN2_B)


@scalar_kernel
def exp_safe(x):
    """math.exp that returns inf instead of raising OverflowError in plain Python."""
    if x > EXP_MAX:
        return INF
    return math.exp(x)


# ---------------------------------------------------------------------------------------
# exponentials and logarithms


@scalar_kernel
def exp2_d(y, ch, cl):
    """y * (ch + cl) rounded once: y = 2**x times a double-double power of ln 2."""
    if abs(y) > 1.0e290 or y == 0.0:
        return y * ch
    if abs(y) < 1.0e-290:  # keep the low part of y*ch from underflowing
        y2 = y * TWO_POW_600
        p, e = two_prod(y2, ch)
        return dd_ldexp(p, e + y2 * cl, -600)
    p, e = two_prod(y, ch)
    return p + (e + y * cl)


@scalar_kernel
def log_d1(x):
    if x == 0.0:
        return INF
    return 1.0 / x


@scalar_kernel
def log_d2(x):
    if x == 0.0:
        return -INF
    return -inv_sq(x)


@scalar_kernel
def logb_d1(x, ch, cl):
    """(ch + cl)/x: derivative of a logarithm to another base."""
    if x == 0.0:
        return INF
    return const_over(ch, cl, x)


@scalar_kernel
def logb_d2(x, ch, cl):
    if x == 0.0:
        return -INF
    if 1.0e-140 < x < 1.0e140:
        h, l = dd_div(ch, cl, x, 0.0)
        h, l = dd_div(h, l, x, 0.0)
        return -(h + l)
    return -(const_over(ch, cl, x) / x)


@scalar_kernel
def log1p_d1(x):
    s, e = two_sum(1.0, x)
    if s == 0.0:
        return INF
    if s > 1.0e30:
        return 1.0 / s  # e/s < 1e-30
    return div_dd(1.0, s, e)


@scalar_kernel
def log1p_d2(x):
    s, e = two_sum(1.0, x)
    if s == 0.0:
        return -INF
    if s > 1.0e60:
        return -inv_sq(s)  # the 1 + x = s + e split no longer matters
    h, l = dd_mul(s, e, s, e)
    return -div_dd(1.0, h, l)


# ---------------------------------------------------------------------------------------
# roots


@scalar_kernel
def sqrt_d1(x, y):
    """0.5/sqrt(x) as 0.5/y: two correctly rounded operations, under 2 ulp (1.47 measured
    on 40k points). A double-double correction reaches 0.5 ulp but cost 9x the primal
    and kept the user's loop from vectorizing (benchmarks/bench_core.py section 5b)."""
    if y == 0.0:
        return INF  # one-sided derivative at +0 and -0
    return 0.5 / y


@scalar_kernel
def sqrt_d2(x, d1):
    if x == 0.0:
        return -INF
    return -(0.5 * d1) / x


@scalar_kernel
def cbrt_parts(x):
    """|x| = b * 2**(3q) with b in [0.5, 4): (b, c_hi, c_lo, q), c = cbrt(b) double-double."""
    m, k = math.frexp(abs(x))
    q = k // 3
    b = math.ldexp(m, k - 3 * q)
    t = math.pow(b, 1.0 / 3.0)
    p, e = two_prod(t, t)
    p3, e3 = two_prod(p, t)
    c = (((b - p3) - e3) - e * t) / (3.0 * p)  # one Newton step, kept as a low part
    return b, t, c, q


@scalar_kernel
def cbrt_d1(x):
    """1 / (3 cbrt(x)**2) = cbrt(b) / (3 b) * 2**(-2q), independent of libm's cbrt."""
    if x == 0.0:
        return INF
    if math.isinf(x):
        return 0.0
    if x != x:
        return x
    b, t, c, q = cbrt_parts(x)
    bh, bl = two_prod(3.0, b)
    h, l = dd_div(t, c, bh, bl)
    return mul_pow2(h + l, -2 * q)


@scalar_kernel
def cbrt_d2(x):
    """-2/9 x**(-5/3) = -2 cbrt(b) / (9 b**2) * 2**(-5q) * sign(x)."""
    if x == 0.0:
        return -math.copysign(INF, x)
    if math.isinf(x):
        return -math.copysign(0.0, x)
    if x != x:
        return x
    b, t, c, q = cbrt_parts(x)
    sh, sl = two_prod(b, b)
    bh, bl = dd_mul(9.0, 0.0, sh, sl)
    h, l = dd_div(2.0 * t, 2.0 * c, bh, bl)
    return -math.copysign(mul_pow2(h + l, -5 * q), x)


# ---------------------------------------------------------------------------------------
# pow


@scalar_kernel
def scaled_pow(c, cl, a, w, wl, la):
    """(c + cl) * a**(w + wl) for finite a > 0 and la = log(a), rounded about once and
    without spurious over/underflow.

    The exponent is a double-double (e.g. z - 1 from two_sum), so rounding z - 1 never
    leaks in: a**wl = 1 + wl*la to first order, and |wl*la| < 1e-13 whenever the result
    is representable. Near a**w = 1, c + c*expm1(w*la) avoids pow's absolute error.
    When a**w alone would over/underflow while c * a**w does not, a**w is formed as
    (a**(w/2))**2.

    An overflowed coefficient c = +-inf (z (z-1) at |z| > 2**511, z log x at huge |z|)
    is passed only where w log a is 0 (a == 1: the result is c) or astronomically large
    (a**w is then 0 or inf beyond any coefficient up to 2**2048), so never 0 * inf.
    """
    if c == 0.0:
        return c
    t = w * la
    if math.isinf(c):
        return math.copysign(0.0, c) if t < -1416.0 else c
    corr = wl * la
    if abs(t) < 0.015625:  # a**w near 1: pow's absolute 2**-53 would dominate
        return c + (cl + c * math.expm1(t + corr))
    if abs(t) < 708.0:
        q = math.pow(a, w)
        p = c * q
        if 1.0e-200 < abs(c) < 1.0e200:
            k = 0  # keep q in range for two_prod; scaling by 2**600 is exact
            if q < 1.0e-200:
                q, k = q * TWO_POW_600, -600
            elif q > 1.0e200:
                q, k = q * TWO_POW_M600, 600
            p, e = two_prod(c, q)  # (c + cl) * q * (1 + corr), rounded once
            return dd_ldexp(p, e + cl * q + p * corr, k)
    elif abs(t) < 1416.0:
        h = math.pow(a, 0.5 * w)
        p = (c * h) * h
        if 1.0e-200 < abs(c) < 1.0e200:
            k = 600 if h > 1.0 else -600
            h *= TWO_POW_M600 if h > 1.0 else TWO_POW_600  # a**w = (h 2**k)**2
            p, e = two_prod(c, h)
            e += cl * h
            p2, e2 = two_prod(p, h)
            return dd_ldexp(p2, e2 + e * h + p2 * corr, 2 * k)
    elif t > 0.0:
        return c * INF
    else:
        return c * 0.0
    if corr != 0.0 and math.isfinite(p):
        p += p * corr
    return p


@scalar_kernel
def is_int(z):
    a = abs(z)
    if not a < 4503599627370496.0:  # 2**52: every finite double beyond is an integer
        return a < INF
    return math.floor(z) == z


@scalar_kernel
def is_even(z):
    return is_int(0.5 * z)


@scalar_kernel
def pow_first(x, z, y):
    """(z x**(z-1), log(x) x**z), with the conventions of the pow Kink rows."""
    if x > 0.0:
        la = math.log(x)
        s, e = two_sum(z, -1.0)
        fx = scaled_pow(z, 0.0, x, s, e, la)
        if TINY <= abs(y) <= 1.0e300 and abs(z * la) >= 0.015625:
            fz = la * y
        else:
            fz = scaled_pow(la, 0.0, x, z, 0.0, la)
        return fx, fz
    if x == 0.0:
        fz = 0.0 if z > 0.0 else NAN
        if z == 0.0 or z > 1.0:
            return 0.0, fz
        if z == 1.0:
            return 1.0, fz
        return z * INF, fz  # 0 < z < 1: +inf; z < 0: -inf
    if not is_int(z):  # negative base: real only for integer z; d/dz undefined
        return NAN, NAN
    s, e = two_sum(z, -1.0)
    fx = scaled_pow(z, 0.0, -x, s, e, math.log(-x))
    return (-fx if is_even(z) else fx), NAN


@scalar_kernel
def pow_second(x, z, y, fx, fz):
    """(z(z-1) x**(z-2), x**(z-1) (1 + z log x), log(x)**2 x**z).

    log(x) is taken as a double-double here: log's own error would otherwise enter
    twice in log(x)**2 and be amplified by the cancellation in 1 + z log x.
    """
    s1, e1 = two_sum(z, -1.0)
    s2, e2 = two_sum(z, -2.0)
    ch, cl = two_prod(z, s1)
    cl += z * e1  # z (z - 1) as a double-double
    if not math.isfinite(ch):
        cl = 0.0  # z (z - 1) overflowed (|z| > 2**511): two_prod's low part is inf/NaN
    if x > 0.0:
        la = math.log(x)
        fxx = scaled_pow(ch, cl, x, s2, e2, la)
        if math.isinf(x):
            return fxx, z * INF, INF
        lh, ll = log_dd(x)
        if abs(z) < 1.0e250:
            p, e = two_prod(z, lh)
            vh, vl = two_sum(1.0, p)
            vl += e + z * ll
            v = vh + vl  # renormalize: vh alone may be 0 right on the curve 1 + z log x = 0
            vl -= v - vh
        else:
            # two_prod's splitting overflows here. x == 1: 1 + z log x = 1 exactly;
            # otherwise |z log x| > 1e234 and x**(z-1) is 0 or inf, so only the sign of
            # z log x matters (z * lh may overflow to +-inf; scaled_pow handles that).
            v = 1.0 if lh == 0.0 else z * lh
            vl = 0.0
        fxz = scaled_pow(v, vl, x, s1, e1, la)
        qh, ql = dd_mul(lh, ll, lh, ll)
        return fxx, fxz, scaled_pow(qh, ql, x, z, 0.0, la)
    if x == 0.0:
        fzz = 0.0 if z > 0.0 else NAN
        if z > 1.0:
            fxz = 0.0
        elif z > 0.0:
            fxz = -INF
        else:
            fxz = NAN
        if ch == 0.0 or z > 2.0:
            return 0.0, fxz, fzz
        if z == 2.0:
            return 2.0, fxz, fzz
        return ch * INF, fxz, fzz
    if not is_int(z):
        return NAN, NAN, NAN
    fxx = scaled_pow(ch, cl, -x, s2, e2, math.log(-x))
    return (fxx if is_even(z) else -fxx), NAN, NAN


# ---------------------------------------------------------------------------------------
# trigonometric


@scalar_kernel
def tan_d1(x, y):
    """sec(x)**2 as 1/cos(x)**2 or 1 + tan(x)**2, squares kept exact.

    Each doubles its libm input's relative error; 1/c**2 is worst when c is just above
    a power of 2 (up to 2.6 ulp), exactly where 1 + y**2 is good, so the mantissa of c
    picks the form: at most about 1.96 and 1.74 ulp with glibc's cos and tan.
    """
    c = math.cos(x)
    if math.frexp(c)[0] * math.copysign(1.0, c) >= 0.7071067811865476:
        p, e = two_prod(c, c)
        return div_dd(1.0, p, e)
    p, e = two_prod(y, y)
    h, l = two_sum(1.0, p)
    return h + (l + e)


@scalar_kernel
def asin_d1(x):
    h, l = one_minus_sq(x)
    return rsqrt_dd(h, l)


@scalar_kernel
def asin_d2(x, d1):
    """x / (1 - x**2)**1.5 = x * asin'(x) / (1 - x**2)."""
    h, l = one_minus_sq(x)
    if h == 0.0:
        return math.copysign(INF, x)
    nh, nl = two_prod(x, d1)
    qh, ql = dd_div(nh, nl, h, l)
    return qh + ql


@scalar_kernel
def atan_d1(x):
    a = abs(x)
    if a > 1.0e9:
        return inv_sq(a)  # 1/x**2 (1 - 1/x**2): the correction is below 2**-59
    h, l = one_plus_sq(x)
    return div_dd(1.0, h, l)


@scalar_kernel
def atan_d2(x):
    """-2x / (1 + x**2)**2."""
    a = abs(x)
    if a > 1.0e9:
        return -math.copysign(2.0 * (inv_sq(a) / a), x)
    h, l = one_plus_sq(x)
    h, l = dd_mul(h, l, h, l)
    return div_dd(-2.0 * x, h, l)


@scalar_kernel
def sum_sq_scaled(x, z):
    """(h, l, k): x*x + z*z = (h + l) * 4**k, h + l in [1, 8) a double-double.

    Scaling by 2**-k never loses a bit that matters: an argument can only underflow
    when it is below 2**-1022 times the other, where its square is negligible.
    """
    _, k = math.frexp(max(abs(x), abs(z)))
    k -= 1
    xs = mul_pow2(x, -k)
    zs = mul_pow2(z, -k)
    p, e = two_prod(xs, xs)
    q, f = two_prod(zs, zs)
    h, l = two_sum(p, q)
    l += e + f
    s = h + l
    return s, l - (s - h), k


@scalar_kernel
def atan2_first(x, z):
    """(z, -x) / (x**2 + z**2): numerators as exact mantissas (math.frexp, exact also
    for subnormals), one division by the scaled double-double sum of squares, the powers
    of 2 applied once at the end."""
    if x == 0.0 and z == 0.0:
        return NAN, NAN  # atan2 jumps at the origin; 0/0
    if math.isinf(x) or math.isinf(z):
        return math.copysign(0.0, z), math.copysign(0.0, -x)
    h, l, k = sum_sq_scaled(x, z)
    mx, ex = math.frexp(x)
    mz, ez = math.frexp(z)
    a, b = dd_div(mz, 0.0, h, l)
    c, d = dd_div(-mx, 0.0, h, l)
    return dd_ldexp(a, b, ez - 2 * k), dd_ldexp(c, d, ex - 2 * k)


@scalar_kernel
def atan2_second(x, z):
    """(-2xz, x**2 - z**2, 2xz) / (x**2 + z**2)**2, as atan2_first."""
    if x == 0.0 and z == 0.0:
        return NAN, NAN, NAN
    if math.isinf(x) or math.isinf(z):
        return 0.0, 0.0, 0.0
    h, l, k = sum_sq_scaled(x, z)
    h2, l2 = dd_mul(h, l, h, l)
    mx, ex = math.frexp(x)
    mz, ez = math.frexp(z)
    p, e = two_prod(-2.0 * mx, mz)
    a, b = dd_div(p, e, h2, l2)
    fxx = dd_ldexp(a, b, ex + ez - 4 * k)
    # x**2 - z**2 = (xs**2 - zs**2) 4**k, exact as a double-double
    xs = mul_pow2(x, -k)
    zs = mul_pow2(z, -k)
    p, e = two_prod(xs, xs)
    q, f = two_prod(zs, zs)
    dh, dl = two_sum(p, -q)
    a, b = dd_div(dh, dl + (e - f), h2, l2)
    return fxx, dd_ldexp(a, b, -2 * k), -fxx


# ---------------------------------------------------------------------------------------
# hyperbolic


_SINH_TAYLOR = tuple(1.0 / math.factorial(2 * k + 3) for k in range(9))  # 1/3! .. 1/19!


@scalar_kernel
def sinh_acc(x):
    """sinh(x) to about 1 ulp (glibc's sinh has up to 2)."""
    a = abs(x)
    if a < 1.0:
        s = a * a
        p = _SINH_TAYLOR[8]
        for i in range(7, -1, -1):
            p = p * s + _SINH_TAYLOR[i]
        r = a + a * (s * p)
    elif a < 709.0:
        e = math.exp(a)
        r = 0.5 * e - 0.5 / e
    else:
        r = exp_ln2(a, -1)
    return math.copysign(r, x)


@scalar_kernel
def cosh_acc(x):
    """cosh(x) to about 1 ulp (glibc's cosh has up to 2)."""
    a = abs(x)
    if a < 0.5:
        t = math.expm1(a)
        return 1.0 + (t * t) / (2.0 + 2.0 * t)
    if a < 709.0:
        e = math.exp(a)
        return 0.5 * e + 0.5 / e
    return exp_ln2(a, -1)


@scalar_kernel
def tanh_d1(x):
    """sech(x)**2 = 4u / (1 + u)**2 with u = exp(-2|x|) and 1 + u kept exact."""
    a = abs(x)
    if a > 354.0:
        return exp_ln2(-2.0 * a, 2)  # 4u: subnormal from a = 354.9 on
    u = math.exp(-2.0 * a)
    s, e = two_sum(1.0, u)
    h, l = dd_mul(s, e, s, e)
    return div_dd(4.0 * u, h, l)


@scalar_kernel
def tanh_d2(x):
    """-2 tanh sech**2 = -sign(x) 8u(1 - u) / (1 + u)**3, 1 - u = -expm1(-2|x|)."""
    a = abs(x)
    if a > 354.0:
        return -math.copysign(exp_ln2(-2.0 * a, 3), x)
    u = math.exp(-2.0 * a)
    w = -math.expm1(-2.0 * a)
    s, e = two_sum(1.0, u)
    h, l = dd_mul(s, e, s, e)
    h, l = dd_mul(h, l, s, e)
    nh, nl = two_prod(8.0 * u, w)
    qh, ql = dd_div(nh, nl, h, l)
    return -math.copysign(qh + ql, x)


@scalar_kernel
def asinh_d1(x):
    a = abs(x)
    if a > 1.0e9:
        return 1.0 / a  # 1/sqrt(1 + x**2) = (1/|x|)(1 - 1/(2x**2)): below 2**-60
    h, l = one_plus_sq(x)
    return rsqrt_dd(h, l)


@scalar_kernel
def asinh_d2(x, d1):
    """-x / (1 + x**2)**1.5 = -x asinh'(x) / (1 + x**2)."""
    a = abs(x)
    if a > 1.0e9:
        return -math.copysign(inv_sq(a), x)
    h, l = one_plus_sq(x)
    nh, nl = two_prod(-x, d1)
    qh, ql = dd_div(nh, nl, h, l)
    return qh + ql


@scalar_kernel
def acosh_d1(x):
    if x > 1.0e9:
        return 1.0 / x
    p, e = two_prod(x, x)
    h, l = two_sum(p, -1.0)  # exact: x*x - 1 as a double-double
    return rsqrt_dd(h, l + e)


@scalar_kernel
def acosh_d2(x, d1):
    """-x / (x**2 - 1)**1.5 = -x acosh'(x) / (x**2 - 1)."""
    if x > 1.0e9:
        return -inv_sq(x)
    p, e = two_prod(x, x)
    h, l = two_sum(p, -1.0)
    if h == 0.0:
        return -INF
    nh, nl = two_prod(-x, d1)
    qh, ql = dd_div(nh, nl, h, l + e)
    return qh + ql


@scalar_kernel
def atanh_d1(x):
    h, l = one_minus_sq(x)
    if h == 0.0:
        return INF
    return div_dd(1.0, h, l)


@scalar_kernel
def atanh_d2(x):
    """2x / (1 - x**2)**2."""
    h, l = one_minus_sq(x)
    if h == 0.0:
        return math.copysign(INF, x)
    h, l = dd_mul(h, l, h, l)
    return div_dd(2.0 * x, h, l)


@scalar_kernel
def hypot_first(x, z):
    """(x, z) / sqrt(x**2 + z**2); (0, 0) at the origin."""
    if x == 0.0 and z == 0.0:
        return 0.0, 0.0
    if math.isinf(x) or math.isinf(z):
        if math.isinf(x) and math.isinf(z):
            return NAN, NAN
        return (math.copysign(1.0, x) if math.isinf(x) else 0.0,
                math.copysign(1.0, z) if math.isinf(z) else 0.0)
    h, l, k = sum_sq_scaled(x, z)
    rh, rl = sqrt_dd(h, l)
    mx, ex = math.frexp(x)
    mz, ez = math.frexp(z)
    a, b = dd_div(mx, 0.0, rh, rl)
    c, d = dd_div(mz, 0.0, rh, rl)
    return dd_ldexp(a, b, ex - k), dd_ldexp(c, d, ez - k)


@scalar_kernel
def hypot_second(x, z):
    """(z**2, -xz, x**2) / (x**2 + z**2)**1.5; NaN at the origin (a cone's apex)."""
    if x == 0.0 and z == 0.0:
        return NAN, NAN, NAN
    if math.isinf(x) or math.isinf(z):
        return 0.0, 0.0, 0.0
    h, l, k = sum_sq_scaled(x, z)
    rh, rl = sqrt_dd(h, l)
    h, l = dd_mul(h, l, rh, rl)
    mx, ex = math.frexp(x)
    mz, ez = math.frexp(z)
    p, e = two_prod(mz, mz)
    a, b = dd_div(p, e, h, l)
    fxx = dd_ldexp(a, b, 2 * ez - 3 * k)
    p, e = two_prod(-mx, mz)
    a, b = dd_div(p, e, h, l)
    fxz = dd_ldexp(a, b, ex + ez - 3 * k)
    p, e = two_prod(mx, mx)
    a, b = dd_div(p, e, h, l)
    return fxx, fxz, dd_ldexp(a, b, 2 * ex - 3 * k)


# ---------------------------------------------------------------------------------------
# references (mpmath, from the definitions)


def _mp_cbrt(x):
    return mp.sign(x) * mp.cbrt(abs(x))


def _mp_pow(x, z):
    return x ** z


def _mp_pow_minus(x, z, k):
    """x**(z - k) with z - k formed exactly: rounding it at the working precision would
    turn an odd z - k into an even one for |z| > 2**prec and flip the sign at x < 0."""
    return x ** mp.fsub(z, k, exact=True)


def _mp_real_log(x):
    """log(x) for the z-partials of pow: undefined for x < 0 (the Kink convention),
    where the complex log would otherwise make e.g. log(-1)**2 * (-1)**z real."""
    if x < 0:
        raise ValueError("d/dz of x**z is undefined for x < 0")
    return mp.log(x)


def _zero(*args):
    return mp.mpf(0)


_EXP2 = getattr(math, "exp2", None)
_CBRT = getattr(math, "cbrt", None)

RULES = (
    Rule(
        name="exp",
        arity=1,
        primal=math.exp,
        first=lambda x, y: y,
        second=lambda x, y, d1: y,
        targets=(math.exp, np.exp),
        reference=(mp.exp, mp.exp, mp.exp),
        sample_ranges=((-745.0, 709.8), (-20.0, 20.0)),
        special_points=(0.0, -0.0, 1e-300, -745.1, 709.78),
        notes="exp' = exp'' = exp: reusing y is exact, the value already carries exp's error.",
        enclosure=_enc.EXP,
    ),
    Rule(
        name="exp2",
        arity=1,
        primal=_EXP2 or np.exp2,
        first=lambda x, y: exp2_d(y, LN2[0], LN2[1]),
        second=lambda x, y, d1: exp2_d(y, LN2SQ[0], LN2SQ[1]),
        targets=_targets(_EXP2, np.exp2),
        reference=(lambda x: 2 ** x, lambda x: mp.ln2 * 2 ** x, lambda x: mp.ln2 ** 2 * 2 ** x),
        sample_ranges=((-1075.0, 1023.9), (-20.0, 20.0)),
        special_points=(0.0, -1022.5, -1074.0, 1023.5),
        notes="y * ln2 and y * ln2**2 with double-double constants: y's error plus one "
              "rounding (subnormal y stays within its absolute half-ulp).",
        enclosure=_enc.EXP2,
    ),
    Rule(
        name="expm1",
        arity=1,
        primal=math.expm1,
        first=lambda x, y: exp_safe(x),
        second=lambda x, y, d1: d1,
        targets=(math.expm1, np.expm1),
        reference=(mp.expm1, mp.exp, mp.exp),
        sample_ranges=((-40.0, 709.7), (-1.0, 1.0)),
        special_points=(0.0, 1e-300, -1e-300, 5e-324, -800.0),
        notes="exp(x), never y + 1 (which loses everything for x < -37).",
        enclosure=_enc.EXPM1,
    ),
    Rule(
        name="log",
        arity=1,
        primal=math.log,
        first=lambda x, y: log_d1(x),
        second=lambda x, y, d1: log_d2(x),
        targets=(math.log, np.log),
        reference=(mp.log, lambda x: 1 / x, lambda x: -1 / x ** 2),
        domain=Domain(lo=0.0),
        sample_ranges=((0.0, 10.0), (0.0, 1e300)),
        special_points=(1.0, 5e-324, 1e-310, TWO_POW_M511, 1.8e308),
        kinks=(Kink("x == 0", "f' = +inf, f'' = -inf (the limit from inside the domain)",
                    points=((0.0,),), expected_first=((INF,),)),),
        notes="1/x is correctly rounded; -1/x**2 via inv_sq (x*x would overflow for "
              "x > 1.3e154 and underflow for x < 1.5e-154).",
        enclosure=_enc.LOG,
    ),
    Rule(
        name="log2",
        arity=1,
        primal=math.log2,
        first=lambda x, y: logb_d1(x, INV_LN2[0], INV_LN2[1]),
        second=lambda x, y, d1: logb_d2(x, INV_LN2[0], INV_LN2[1]),
        targets=(math.log2, np.log2),
        reference=(lambda x: mp.log(x, 2), lambda x: 1 / (x * mp.ln2),
                   lambda x: -1 / (x ** 2 * mp.ln2)),
        domain=Domain(lo=0.0),
        sample_ranges=((0.0, 10.0), (0.0, 1e300)),
        special_points=(1.0, 5e-324, 1e-310, 1.8e308),
        kinks=(Kink("x == 0", "f' = +inf (the limit from inside the domain)",
                    points=((0.0,),), expected_first=((INF,),)),),
        notes="(1/ln2)/x with the constant as a double-double and a remainder "
              "correction: one rounding.",
        enclosure=_enc.LOG2,
    ),
    Rule(
        name="log10",
        arity=1,
        primal=math.log10,
        first=lambda x, y: logb_d1(x, INV_LN10[0], INV_LN10[1]),
        second=lambda x, y, d1: logb_d2(x, INV_LN10[0], INV_LN10[1]),
        targets=(math.log10, np.log10),
        reference=(mp.log10, lambda x: 1 / (x * mp.ln10), lambda x: -1 / (x ** 2 * mp.ln10)),
        domain=Domain(lo=0.0),
        sample_ranges=((0.0, 10.0), (0.0, 1e300)),
        special_points=(1.0, 5e-324, 1e-310, 1.8e308),
        kinks=(Kink("x == 0", "f' = +inf (the limit from inside the domain)",
                    points=((0.0,),), expected_first=((INF,),)),),
        notes="As log2, with 1/ln10 as a double-double.",
        enclosure=_enc.LOG10,
    ),
    Rule(
        name="log1p",
        arity=1,
        primal=math.log1p,
        first=lambda x, y: log1p_d1(x),
        second=lambda x, y, d1: log1p_d2(x),
        targets=(math.log1p, np.log1p),
        reference=(mp.log1p, lambda x: 1 / (1 + x), lambda x: -1 / (1 + x) ** 2),
        domain=Domain(lo=-1.0),
        sample_ranges=((-1.0, 1.0), (-1.0, 1e300)),
        special_points=(-1.0 + TWO_POW_M53, -0.5, 1e-300, -1e-300, 5e-324, TWO_POW_60, 1.7e308),
        kinks=(Kink("x == -1", "f' = +inf (the limit from inside the domain)",
                    points=((-1.0,),), expected_first=((INF,),)),),
        notes="1 + x is kept exact as a double-double (two_sum) and inverted once: "
              "1/(1 + x) rounded in 1 + x first would add 0.5 ulp.",
        enclosure=_enc.LOG1P,
    ),
    Rule(
        name="sqrt",
        arity=1,
        primal=math.sqrt,
        first=sqrt_d1,
        second=lambda x, y, d1: sqrt_d2(x, d1),
        targets=(math.sqrt, np.sqrt),
        reference=(mp.sqrt, lambda x: 1 / (2 * mp.sqrt(x)), lambda x: -1 / (4 * x * mp.sqrt(x))),
        domain=Domain(lo=0.0),
        sample_ranges=((0.0, 10.0), (0.0, 1e300)),
        special_points=(5e-324, 1e-310, 1.0, 1.8e308),
        kinks=(Kink("x == 0", "f' = +inf at +0 and at -0 (one-sided derivative), f'' = -inf",
                    points=((0.0,), (-0.0,)), expected_first=((INF,), (INF,))),),
        notes="0.5/y: two correctly rounded operations, 1.46 ulp measured (a double-double "
              "correction reaches 0.5 ulp but cost 9x the primal in user loops); "
              "f'' = -(f'/2)/x avoids x*y's over/underflow.",
        enclosure=_enc.SQRT,
    ),
    Rule(
        name="cbrt",
        arity=1,
        primal=np.cbrt,
        first=lambda x, y: cbrt_d1(x),
        second=lambda x, y, d1: cbrt_d2(x),
        targets=_targets(_CBRT, np.cbrt),
        reference=(_mp_cbrt, lambda x: 1 / (3 * _mp_cbrt(x) ** 2),
                   lambda x: -2 / (9 * _mp_cbrt(x) ** 5)),
        sample_ranges=((-10.0, 10.0), WIDE),
        special_points=(5e-324, -5e-324, 1e-310, 8.0, -27.0, 1.7e308, -1.7e308),
        kinks=(Kink("x == 0", "f' = +inf; f'' = -inf at +0, +inf at -0 (one-sided limits)",
                    points=((0.0,), (-0.0,)), expected_first=((INF,), (INF,))),),
        notes="Not y/(3x): libm cbrt has up to 3.7 ulp. |x| = b 2**(3q) is reduced to "
              "b in [0.5, 4), cbrt(b) refined by one double-double Newton step and divided "
              "by 3b once; the power of 2 is applied last, so there is no over/underflow.",
        enclosure=_enc.CBRT,
    ),
    Rule(
        name="pow",
        arity=2,
        primal=math.pow,
        first=pow_first,
        second=pow_second,
        targets=(math.pow, np.power, operator.pow, pow),
        reference=(_mp_pow,
                   (lambda x, z: z * _mp_pow_minus(x, z, 1),
                    lambda x, z: _mp_real_log(x) * x ** z),
                   (lambda x, z: z * (z - 1) * _mp_pow_minus(x, z, 2),
                    lambda x, z: _mp_pow_minus(x, z, 1) * (1 + z * _mp_real_log(x)),
                    lambda x, z: _mp_real_log(x) ** 2 * x ** z)),
        domain=Domain(note="x > 0; x < 0 only with an integer z; x == 0 with z >= 0"),
        sample_ranges=((0.0, 100.0), (-20.0, 20.0)),
        special_points=(
            (-2.0, 3.0), (-1.5, -4.0), (-3.0, 2.0), (-0.5, 7.0), (-1.0, TWO_POW_60),
            (-7.0, 1.0), (-2.0, 0.0),
            (0.0, 2.0), (0.0, 1.0), (0.0, 3.5),
            (1.0, 1e300), (1.0 + TWO_POW_M52, TWO_POW_60), (1.0 - TWO_POW_M53, -TWO_POW_61),
            (1e-300, 1.05), (1e-10, 31.0), (1e-310, 1e-20), (5e-324, 0.5), (1e-10, -30.0),
            (1e300, 1.01), (0.5, 1074.0), (2.0, -1074.5), (10.0, 308.2),
            (0.3, 0.1), (0.1, 1e-17), (0.99999999, 1e9),
            (math.exp(-1.0 / 3.0), 3.0), (math.exp(0.25), -4.0), (math.exp(-0.1), 10.0),
        ),
        kinks=(
            Kink("x == 0", "d/dx = z*0**(z-1): 0 for z > 1 or z == 0, 1 at z == 1, +inf for "
                 "0 < z < 1, -inf for z < 0; d/dz = 0 for z > 0 (the limit), NaN for "
                 "z <= 0 (0**z jumps there)",
                 points=((0.0, 2.0), (0.0, 1.0), (0.0, 0.5), (0.0, 0.0)),
                 expected_first=((0.0, 0.0), (1.0, 0.0), (INF, 0.0), (0.0, NAN))),
            Kink("x < 0", "x**z is real only for integer z: d/dx = z*x**(z-1), d/dz = NaN "
                 "(log of a negative number); non-integer z gives NaN for both",
                 points=((-2.0, 3.0), (-2.0, 0.5)),
                 expected_first=((12.0, NAN), (NAN, NAN))),
        ),
        notes="d/dx = z*x**(z-1) with z - 1 kept exact (two_sum) and x**(z-1) from pow, "
              "not z*y/x (fails at x == 0 and when y over/underflows while the derivative "
              "does not, e.g. x = 1e-300, z = 1.05). d/dz = log(x)*y. The mixed partial "
              "x**(z-1)(1 + z log x) and log(x)**2 x**z use a double-double log. Limit: "
              "within ~1e-16 of the curve z log(x) = -1 the mixed partial keeps an absolute "
              "error of ~2**-104 x**(z-1), i.e. more than 4 ulp of its tiny value (up to "
              "~1500 ulp at the doubles nearest the curve; random samples never get there). "
              "Integer exponents of Number bases go through the engine's own rule.",
        enclosure=_enc.POW,
    ),
    Rule(
        name="sin",
        arity=1,
        primal=math.sin,
        first=lambda x, y: math.cos(x),
        second=lambda x, y, d1: -y,
        targets=(math.sin, np.sin),
        reference=(mp.sin, mp.cos, lambda x: -mp.sin(x)),
        domain=Domain(open_lo=True, open_hi=True),  # sin(inf) is NaN
        sample_ranges=((-10.0, 10.0), WIDE),
        special_points=(math.pi / 2, math.pi, 1e22, 5e-324),
        notes="cos(x) from libm is accurate everywhere, including near its zeros.",
        enclosure=_trig_enc.SIN,
    ),
    Rule(
        name="cos",
        arity=1,
        primal=math.cos,
        first=lambda x, y: -math.sin(x),
        second=lambda x, y, d1: -y,
        targets=(math.cos, np.cos),
        reference=(mp.cos, lambda x: -mp.sin(x), lambda x: -mp.cos(x)),
        domain=Domain(open_lo=True, open_hi=True),  # sin(inf) is NaN
        sample_ranges=((-10.0, 10.0), WIDE),
        special_points=(math.pi / 2, math.pi, 1e22, 5e-324),
        notes="-sin(x) and -y: libm sin/cos are accurate near their zeros.",
        enclosure=_trig_enc.COS,
    ),
    Rule(
        name="tan",
        arity=1,
        primal=math.tan,
        first=tan_d1,
        second=lambda x, y, d1: 2.0 * y * d1,
        targets=(math.tan, np.tan),
        reference=(mp.tan, lambda x: 1 / mp.cos(x) ** 2,
                   lambda x: 2 * mp.tan(x) / mp.cos(x) ** 2),
        domain=Domain(open_lo=True, open_hi=True),  # sin(inf) is NaN
        sample_ranges=((-1.57, 1.57), WIDE),
        special_points=(math.pi / 2, -math.pi / 2, math.pi, 1e22, 5e-324),
        notes="sec**2 as 1/cos(x)**2 or 1 + y**2 (squares exact), whichever has the "
              "smaller error bound at cos's mantissa: each doubles its libm input's error "
              "(1/cos**2 alone reaches 2.6 ulp just above a power of 2). f'' = 2 y f'.",
        enclosure=_trig_enc.TAN,
    ),
    Rule(
        name="asin",
        arity=1,
        primal=math.asin,
        first=lambda x, y: asin_d1(x),
        second=lambda x, y, d1: asin_d2(x, d1),
        targets=(math.asin, np.arcsin),
        reference=(mp.asin, lambda x: 1 / mp.sqrt(1 - x ** 2),
                   lambda x: x / (1 - x ** 2) ** mp.mpf(1.5)),
        domain=Domain(lo=-1.0, hi=1.0),
        sample_ranges=((-1.0, 1.0), (0.999, 1.0)),
        special_points=(1.0 - TWO_POW_M53, -1.0 + TWO_POW_M53, 0.5, 5e-324, 1e-300),
        kinks=(Kink("x == ±1", "f' = +inf (the limit from inside the domain)",
                    points=((1.0,), (-1.0,)), expected_first=((INF,), (INF,))),),
        notes="1 - x*x is exact as a double-double; 1/sqrt of it with one Newton "
              "correction (1/sqrt(1 - x*x) in floats is off by up to 600 ulp near 1).",
        enclosure=_trig_enc.ASIN,
    ),
    Rule(
        name="acos",
        arity=1,
        primal=math.acos,
        first=lambda x, y: -asin_d1(x),
        second=lambda x, y, d1: -asin_d2(x, -d1),
        targets=(math.acos, np.arccos),
        reference=(mp.acos, lambda x: -1 / mp.sqrt(1 - x ** 2),
                   lambda x: -x / (1 - x ** 2) ** mp.mpf(1.5)),
        domain=Domain(lo=-1.0, hi=1.0),
        sample_ranges=((-1.0, 1.0), (0.999, 1.0)),
        special_points=(1.0 - TWO_POW_M53, -1.0 + TWO_POW_M53, 0.5, 5e-324, 1e-300),
        kinks=(Kink("x == ±1", "f' = -inf (the limit from inside the domain)",
                    points=((1.0,), (-1.0,)), expected_first=((-INF,), (-INF,))),),
        notes="Minus asin's formulas.",
        enclosure=_trig_enc.ACOS,
    ),
    Rule(
        name="atan",
        arity=1,
        primal=math.atan,
        first=lambda x, y: atan_d1(x),
        second=lambda x, y, d1: atan_d2(x),
        targets=(math.atan, np.arctan),
        reference=(mp.atan, lambda x: 1 / (1 + x ** 2), lambda x: -2 * x / (1 + x ** 2) ** 2),
        sample_ranges=((-10.0, 10.0), WIDE),
        special_points=(1e9, 2e9, 1e154, 1e200, 5e-324),
        notes="1 + x*x exact as a double-double, inverted once; 1/x**2 via inv_sq where "
              "x*x would overflow.",
        enclosure=_trig_enc.ATAN,
    ),
    Rule(
        name="atan2",
        arity=2,
        primal=math.atan2,
        first=lambda x, z, y: atan2_first(x, z),
        second=lambda x, z, y, fx, fz: atan2_second(x, z),
        targets=(math.atan2, np.arctan2),
        reference=(mp.atan2,
                   (lambda x, z: z / (x ** 2 + z ** 2), lambda x, z: -x / (x ** 2 + z ** 2)),
                   (lambda x, z: -2 * x * z / (x ** 2 + z ** 2) ** 2,
                    lambda x, z: (x ** 2 - z ** 2) / (x ** 2 + z ** 2) ** 2,
                    lambda x, z: 2 * x * z / (x ** 2 + z ** 2) ** 2)),
        sample_ranges=((-10.0, 10.0), (-10.0, 10.0)),
        special_points=((0.0, 1.0), (1.0, 0.0), (3.0, 3.0), (1.0, 1.0 + TWO_POW_M52),
                        (1e300, 1e-300), (1e-300, 1e300), (1e200, 3e200), (1e-320, 3e-320),
                        (5e-324, 1.0), (1e-160, 1e-160), (-1e154, 1e154), (INF, 1.0)),
        kinks=(Kink("x == 0 and z == 0", "NaN partials: atan2 jumps at the origin "
                    "(the formula's 0/0)",
                    points=((0.0, 0.0),), expected_first=((NAN, NAN),)),),
        notes="(z, -x)/(x*x + z*z) with the arguments scaled by a power of 2 and the sum "
              "of squares exact as a double-double; x*x - z*z likewise, so the mixed "
              "partial does not cancel near |x| = |z|.",
        enclosure=_trig_enc.ATAN2,
    ),
    Rule(
        name="sinh",
        arity=1,
        primal=math.sinh,
        first=lambda x, y: cosh_acc(x),
        second=lambda x, y, d1: y,
        targets=(math.sinh, np.sinh),
        reference=(mp.sinh, mp.cosh, mp.sinh),
        sample_ranges=((-5.0, 5.0), (-710.4, 710.4)),
        special_points=(0.0, 5e-324, 0.5, 709.5, 710.4, -710.4),
        notes="cosh from exp (e/2 + 1/(2e); expm1 near 0; exp(|x| - ln2) near overflow): "
              "about 1 ulp, where glibc's cosh has up to 2. f'' = y.",
        enclosure=_enc.SINH,
    ),
    Rule(
        name="cosh",
        arity=1,
        primal=math.cosh,
        first=lambda x, y: sinh_acc(x),
        second=lambda x, y, d1: y,
        targets=(math.cosh, np.cosh),
        reference=(mp.cosh, mp.sinh, mp.cosh),
        sample_ranges=((-5.0, 5.0), (-710.4, 710.4)),
        special_points=(0.0, 5e-324, 1.0, 709.5, 710.4, -710.4),
        notes="sinh from a Taylor series below 1, from exp above (about 1 ulp; glibc's "
              "sinh has up to 2). f'' = y.",
        enclosure=_enc.COSH,
    ),
    Rule(
        name="tanh",
        arity=1,
        primal=math.tanh,
        first=lambda x, y: tanh_d1(x),
        second=lambda x, y, d1: tanh_d2(x),
        targets=(math.tanh, np.tanh),
        reference=(mp.tanh, lambda x: mp.sech(x) ** 2,
                   lambda x: -2 * mp.tanh(x) * mp.sech(x) ** 2),
        sample_ranges=((-20.0, 20.0), WIDE),
        special_points=(0.0, 5e-324, 354.5, 355.0, 372.0, -372.5, 19.0),
        notes="Not 1 - y**2 (cancels for |x| > 1, 0 beyond 19) and not 1/cosh**2 "
              "(overflows before sech**2 underflows): 4u/(1 + u)**2 and "
              "8u(1 - u)/(1 + u)**3 with u = exp(-2|x|), 1 - u = -expm1(-2|x|), 1 + u exact.",
        enclosure=_enc.TANH,
    ),
    Rule(
        name="asinh",
        arity=1,
        primal=math.asinh,
        first=lambda x, y: asinh_d1(x),
        second=lambda x, y, d1: asinh_d2(x, d1),
        targets=(math.asinh, np.arcsinh),
        reference=(mp.asinh, lambda x: 1 / mp.sqrt(1 + x ** 2),
                   lambda x: -x / (1 + x ** 2) ** mp.mpf(1.5)),
        sample_ranges=((-10.0, 10.0), WIDE),
        special_points=(0.0, 5e-324, 1e9, 2e9, 1e200),
        notes="1 + x*x exact as a double-double, then 1/sqrt with a Newton correction; "
              "1/|x| beyond 1e9 where the 1 no longer matters.",
        enclosure=_enc.ASINH,
    ),
    Rule(
        name="acosh",
        arity=1,
        primal=math.acosh,
        first=lambda x, y: acosh_d1(x),
        second=lambda x, y, d1: acosh_d2(x, d1),
        targets=(math.acosh, np.arccosh),
        reference=(mp.acosh, lambda x: 1 / mp.sqrt(x ** 2 - 1),
                   lambda x: -x / (x ** 2 - 1) ** mp.mpf(1.5)),
        domain=Domain(lo=1.0),
        sample_ranges=((1.0, 10.0), (1.0, 1e300)),
        special_points=(1.0 + TWO_POW_M52, 1.5, 1e9, 2e9, 1e200),
        kinks=(Kink("x == 1", "f' = +inf (the limit from inside the domain)",
                    points=((1.0,),), expected_first=((INF,),)),),
        notes="x*x - 1 exact as a double-double (no (x-1)(x+1) rounding), then 1/sqrt "
              "with a Newton correction; 1/x beyond 1e9.",
        enclosure=_enc.ACOSH,
    ),
    Rule(
        name="atanh",
        arity=1,
        primal=math.atanh,
        first=lambda x, y: atanh_d1(x),
        second=lambda x, y, d1: atanh_d2(x),
        targets=(math.atanh, np.arctanh),
        reference=(mp.atanh, lambda x: 1 / (1 - x ** 2), lambda x: 2 * x / (1 - x ** 2) ** 2),
        domain=Domain(lo=-1.0, hi=1.0, open_lo=True, open_hi=True),
        sample_ranges=((-1.0, 1.0), (0.999, 1.0)),
        special_points=(1.0 - TWO_POW_M53, -1.0 + TWO_POW_M53, 5e-324, 1e-300),
        kinks=(Kink("x == ±1", "f' = +inf (the limit from inside; atanh itself is ±inf)",
                    points=((1.0,), (-1.0,)), expected_first=((INF,), (INF,))),),
        notes="1 - x*x exact as a double-double, one division.",
        enclosure=_enc.ATANH,
    ),
    Rule(
        name="hypot",
        arity=2,
        primal=math.hypot,
        first=lambda x, z, y: hypot_first(x, z),
        second=lambda x, z, y, fx, fz: hypot_second(x, z),
        targets=(math.hypot, np.hypot),
        reference=(mp.hypot,
                   (lambda x, z: x / mp.hypot(x, z), lambda x, z: z / mp.hypot(x, z)),
                   (lambda x, z: z ** 2 / mp.hypot(x, z) ** 3,
                    lambda x, z: -x * z / mp.hypot(x, z) ** 3,
                    lambda x, z: x ** 2 / mp.hypot(x, z) ** 3)),
        sample_ranges=((-1e3, 1e3), (-1e3, 1e3)),
        special_points=((3.0, 4.0), (0.0, 2.0), (-2.0, 0.0), (1e300, 1e300), (1e-320, 3e-320),
                        (1e300, 1e-300), (5e-324, 1.0), (1e-160, 1e-160), (1e154, -1e154)),
        kinks=(Kink("x == 0 and z == 0", "gradient (0, 0): the minimum-norm element of the "
                    "generalized gradient (the unit disc); second partials NaN",
                    points=((0.0, 0.0), (-0.0, 0.0)), expected_first=((0.0, 0.0), (0.0, 0.0))),),
        notes="(x, z)/sqrt(x*x + z*z) from the scaled, exact sum of squares (not x/y: "
              "independent of libm hypot's rounding); second partials over r**3 likewise.",
        enclosure=_enc.HYPOT,
    ),
    Rule(
        name="degrees",
        arity=1,
        primal=math.degrees,
        first=lambda x, y: DEG,
        second=lambda x, y, d1: 0.0,
        targets=(math.degrees, np.degrees, np.rad2deg),
        reference=(lambda x: x * 180 / mp.pi, lambda x: 180 / mp.pi, _zero),
        sample_ranges=((-10.0, 10.0), WIDE),
        notes="Numba computes x * (180/math.pi); that constant is 180/pi correctly rounded "
              "(0.28 ulp), so f' is exactly the slope of the float function.",
        enclosure=_enc.DEGREES,
    ),
    Rule(
        name="radians",
        arity=1,
        primal=math.radians,
        first=lambda x, y: RAD,
        second=lambda x, y, d1: 0.0,
        targets=(math.radians, np.radians, np.deg2rad),
        reference=(lambda x: x * mp.pi / 180, lambda x: mp.pi / 180, _zero),
        sample_ranges=((-1000.0, 1000.0), WIDE),
        notes="Numba computes x * (math.pi/180); the constant is pi/180 correctly rounded "
              "(0.085 ulp).",
        enclosure=_enc.RADIANS,
    ),
)
