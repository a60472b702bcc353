"""Error function and gamma function: erf, erfc, gamma, lgamma.

The derivatives of the gamma rows need the digamma function psi = Gamma'/Gamma and the
trigamma function psi1 = psi', which neither ``math`` nor NumPy provide. They are
implemented here as the public scalar kernels :func:`digamma` and :func:`trigamma`,
computed internally in double-double arithmetic (about 100 bits) and rounded once.
Measured against mpmath (~20k points: (0, 30), (-30, 0), bit patterns over x > 0 and
-2**52 < x < 0, around x0, (-1e6, 0)): digamma <= 0.500 ulp, trigamma <= 0.500 ulp.
That includes:

* the roots of psi: the positive root x0 = 1.4616321449... and the first eight
  negative roots are stored as triple-doubles with a Taylor expansion around each
  (|x - r| < 2**-20), so psi keeps its *relative* accuracy as x -> r (as Boost does
  for x0); at the doubles nearest every negative root up to -400 the error is <= 0.8 ulp;
* x < 0, where psi(x) = psi(1 - x) - pi*cot(pi*x) and psi1(x) = pi**2/sin(pi*x)**2
  - psi1(1 - x).  pi*x is never rounded: x = n + g is split exactly and sin/cos(pi*g)
  are evaluated as double-double Taylor series; psi(1 - x) is evaluated in
  double-double too, which absorbs the cancellation between the two terms.

Cost (compiled): digamma ~0.4 us (x > 0) / ~0.6 us (x < 0), trigamma ~0.16 / ~0.4 us,
Gamma' ~0.8-1.2 us; the erf rows cost about one exp.

Poles: psi and psi1 return NaN at 0 (either sign), at every negative integer and at
-inf (and every x <= -2**52 is an integer).  psi(+inf) = +inf, psi1(+inf) = 0.

Gamma'(x) = Gamma(x) psi(x) is not computed from the rounded primal ``y``: Numba's
``math.gamma`` is glibc's tgamma (up to ~4.5 ulp measured) and CPython's is its own
Lanczos code (up to ~7.4 ulp measured; the two differ in the last bits), which alone
would exceed the budget. The derivatives recompute Gamma(x) as a double-double
(Stirling's series in double-double from x >= 20, the recurrence below, reflection
for x <= -20) whose only real error is one call to ``math.exp`` (0.51 ulp).
"""
import math
from fractions import Fraction

import mpmath as mp

from .fp import (dd_add, dd_add_d, dd_div, dd_mul, dd_mul_d, dd_of, dd_recip, fast_two_sum, log_dd,
                 two_prod, two_sum)
from .schema import Kink, Rule, scalar_kernel

INF = float("inf")
NAN = float("nan")


# ---------------------------------------------------------------------------------
# Constants (computed once at import time, exactly or with mpmath at 320 bits, and
# stored as doubles / double-doubles so compiled code sees plain float constants).

with mp.workprec(320):
    _PI_HI, _PI_LO = dd_of(mp.pi)
    _LN2_HI, _LN2_LO = dd_of(mp.log(2))
    _LOG_SQRT_2PI_HI, _LOG_SQRT_2PI_LO = dd_of(mp.log(2 * mp.pi) / 2)
    _LOG_2_SQRTPI_HI, _LOG_2_SQRTPI_LO = dd_of(mp.log(2 / mp.sqrt(mp.pi)))
    _EULER = float(mp.euler)
    _ZETA2_HI, _ZETA2_LO = dd_of(mp.zeta(2))

# The roots of digamma with Taylor expansions around them, so that psi keeps its
# relative accuracy right up to each root: index 0 is the positive root x0, index
# n + 1 the root in (-n-1, -n) for n = 0..7 (beyond, the double-double reflection is
# already within 1 ulp at the doubles nearest each root; measured up to n = 400).
# Each root is a triple-double A + B + C; the coefficients are psi^(k)(r)/k!
# (k = 1 as a double-double). Generated with mpmath at 400 bits (findroot, psi).
_ROOT_A = (
    1.4616321449683622, -0.5040830082644554, -1.5734984731623904,
    -2.6107208684441447, -3.635293366436901, -4.653237761743142,
    -5.6671624415568855, -6.678418213073427, -7.687788325031626,
)
_ROOT_B = (
    9.549995429965697e-17, -8.15428206243813e-18, -1.574185691077347e-17,
    9.881960746978353e-17, 5.454396163173039e-17, -2.5492686201468193e-16,
    -3.2153051074948335e-18, 3.470798723495241e-16, -1.351562494643672e-16,
)
_ROOT_C = (
    2.89392992820415e-33, 3.769428106058764e-34, 2.4155180316319216e-34,
    -4.8972922513191045e-33, -2.9285646163873294e-33, -1.2652162784187616e-32,
    1.547104066482202e-35, -1.4107247523903413e-32, 8.816627892577839e-33,
)
_ROOT_C1_HI = (
    0.9676722454476212, 8.939798558792134, 9.941513615924176,
    10.84832879920919, 11.650939359651861, 12.369637994669782,
    13.021406387509394, 13.61885190419576, 14.17134063324115,
)
_ROOT_C1_LO = (
    -3.387874303038943e-17, 4.661730805438714e-16, -3.5066551522020224e-16,
    -8.536942638820942e-16, 2.7717347428725115e-16, 3.8877487536134796e-17,
    -6.965089235370473e-16, -7.135780553752631e-16, -6.249516188433109e-16,
)
_ROOT_C2 = (
    -0.4427631689835921, -0.8093454625306507, -7.802593974782628,
    -12.770725694247192, -16.938337607821335, -20.636997462381604,
    -24.0108335669899, -27.138720475450622, -30.070057845407266,
)
_ROOT_C3 = (
    0.258499760955651, 32.258572064915505, 39.911910808498966,
    51.217352382808855, 63.16205964241572, 75.16701278577447,
    87.05344839974758, 98.75629029391955, 110.25217734518726,
)
_ROOT_C4 = (
    -0.16394270544240652, -2.761011648790828, -54.82093287162743,
    -100.2036323192089, -145.45199182008608, -191.19880243991764,
    -237.41817939113608, -283.9889360971214, -330.7928072979211,
)
_ROOT_C5 = (
    0.10782405069126237, 128.27342343090902, 194.4376179574295,
    306.843080795829, 440.37818718162464, 588.2838897926692,
    747.1149127904746, 914.6724839741158, 1089.4014901692478,
)
_ROOT_C6 = (
    -0.07219956125645471, -14.70672173553036, -340.5781696501909,
    -706.7052450573435, -1141.3233980389668, -1639.1313916625995,
    -2193.015906371229, -2796.63958799162, -3444.6381440378464,
)


_TINY = 2.0 ** -30       # below this, psi/psi1/Gamma use their Laurent expansions at 0
_HUGE_RECIP = 2.0 ** -500  # below this, 1/x is so large that lower terms vanish
_BIG = 20.0              # asymptotic (Stirling-type) series from here on
_ROOT_BAND = 2.0 ** -20  # Taylor expansion of psi around x0 inside this band

# sin(u) = u * sum (-1)^k u^(2k)/(2k+1)!,  cos(u) = sum (-1)^k u^(2k)/(2k)!, |u| <= pi/4
_TRIG_N = 15
_TRIG_DD = 8
_SIN_HI = tuple(dd_of(Fraction((-1) ** k, math.factorial(2 * k + 1)))[0] for k in range(_TRIG_N))
_SIN_LO = tuple(dd_of(Fraction((-1) ** k, math.factorial(2 * k + 1)))[1] for k in range(_TRIG_N))
_COS_HI = tuple(dd_of(Fraction((-1) ** k, math.factorial(2 * k)))[0] for k in range(_TRIG_N))
_COS_LO = tuple(dd_of(Fraction((-1) ** k, math.factorial(2 * k)))[1] for k in range(_TRIG_N))


def _bernoulli(n):
    p, q = mp.bernfrac(n)
    return Fraction(int(p), int(q))


# psi(x) ~ log x - 1/(2x) - sum_{k>=1} B_2k/(2k) x^(-2k)            (x >= 20: 14 terms)
_PSI_N = 15
_PSI_DD = 5
_PSI_HI = (0.0,) + tuple(dd_of(_bernoulli(2 * k) / (2 * k))[0] for k in range(1, _PSI_N))
_PSI_LO = (0.0,) + tuple(dd_of(_bernoulli(2 * k) / (2 * k))[1] for k in range(1, _PSI_N))
# psi1(x) ~ 1/x + 1/(2x^2) + sum_{k>=1} B_2k x^(-2k-1)
_PSI1_N = 12
_PSI1_C = (0.0,) + tuple(float(_bernoulli(2 * k)) for k in range(1, _PSI1_N))
# log Gamma(x) ~ (x-1/2) log x - x + log(2 pi)/2 + sum_{k>=1} B_2k/(2k(2k-1)) x^(1-2k)
_STIR_N = 10
_STIR_C = (0.0,) + tuple(float(_bernoulli(2 * k) / (2 * k * (2 * k - 1))) for k in range(1, _STIR_N))


# ---------------------------------------------------------------------------------
# Double-double helpers (the arithmetic itself, log_dd included, is in fp.py)

@scalar_kernel
def _sincospi_dd(h):
    """(sin(pi h), cos(pi h)) as two double-doubles, for |h| <= 1/4."""
    uh, ul = two_prod(_PI_HI, h)
    uh, ul = fast_two_sum(uh, ul + _PI_LO * h)
    zh, zl = dd_mul(uh, ul, uh, ul)
    s = _SIN_HI[_TRIG_N - 1]
    c = _COS_HI[_TRIG_N - 1]
    for k in range(_TRIG_N - 2, _TRIG_DD - 1, -1):
        s = _SIN_HI[k] + zh * s
        c = _COS_HI[k] + zh * c
    sh, sl, ch, cl = s, 0.0, c, 0.0
    for k in range(_TRIG_DD - 1, -1, -1):
        sh, sl = dd_mul(zh, zl, sh, sl)
        sh, sl = dd_add(_SIN_HI[k], _SIN_LO[k], sh, sl)
        ch, cl = dd_mul(zh, zl, ch, cl)
        ch, cl = dd_add(_COS_HI[k], _COS_LO[k], ch, cl)
    sh, sl = dd_mul(uh, ul, sh, sl)
    return sh, sl, ch, cl


@scalar_kernel
def _sinpi_cospi_dd(g):
    """(sin(pi g), cos(pi g)) as two double-doubles, for |g| <= 1/2."""
    a = abs(g)
    if a <= 0.25:
        return _sincospi_dd(g)
    sh, sl, ch, cl = _sincospi_dd(0.5 - a)  # 0.5 - a is exact
    if g < 0.0:
        return -ch, -cl, sh, sl
    return ch, cl, sh, sl


@scalar_kernel
def _nonpos_int(x):
    """x is 0, a negative integer or -inf (every x <= -2**52 is an integer)."""
    return x <= -4503599627370496.0 or (x <= 0.0 and x == math.floor(x))


@scalar_kernel
def _reduce_half(x):
    """x = n + g exactly with n an integer and |g| <= 1/2 (for |x| < 2**52)."""
    if abs(x) <= 0.5:
        return 0.0, x
    n = float(math.floor(x))  # x - n is exact for |x| >= 1/2
    g = x - n
    if g > 0.5:
        g -= 1.0
        n += 1.0
    return n, g


# ---------------------------------------------------------------------------------
# digamma and trigamma

@scalar_kernel
def _psi_pos_dd(xh, xl):
    """psi(xh + xl) as a double-double, for xh >= 2**-30 (absolute error ~2**-100 |terms|)."""
    if xh >= 2.0 ** 50:
        lh, ll = log_dd(xh)
        return dd_add_d(lh, ll + xl / xh, -0.5 / xh)
    ah, al = 0.0, 0.0
    while xh < _BIG:
        rh, rl = dd_recip(xh, xl)
        ah, al = dd_add(ah, al, -rh, -rl)
        xh, xl = dd_add_d(xh, xl, 1.0)
    lh, ll = log_dd(xh)
    ll += xl / xh
    rh, rl = dd_recip(xh, xl)
    zh, zl = dd_mul(rh, rl, rh, rl)
    q = _PSI_HI[_PSI_N - 1]
    for k in range(_PSI_N - 2, _PSI_DD - 1, -1):
        q = _PSI_HI[k] + zh * q
    qh, ql = q, 0.0
    for k in range(_PSI_DD - 1, 0, -1):
        qh, ql = dd_mul(zh, zl, qh, ql)
        qh, ql = dd_add(_PSI_HI[k], _PSI_LO[k], qh, ql)
    sh, sl = dd_mul(zh, zl, qh, ql)  # sum_k B_2k/(2k) x^-2k
    ah, al = dd_add(ah, al, lh, ll)
    ah, al = dd_add(ah, al, -0.5 * rh, -0.5 * rl)
    return dd_add(ah, al, -sh, -sl)


@scalar_kernel
def _psi_tiny_dd(x):
    """psi(x) = -1/x - gamma + zeta(2) x + O(x^2), for 0 < |x| < 2**-30."""
    if abs(x) < _HUGE_RECIP:
        return -1.0 / x, 0.0
    qh, ql = dd_recip(x, 0.0)
    return fast_two_sum(-qh, (_ZETA2_HI * x - _EULER) - ql)


@scalar_kernel
def _psi_near_root(x, i):
    """psi(x) as a double-double by Taylor expansion around root i (|x - r| < 2**-20)."""
    t = x - _ROOT_A[i]  # exact (Sterbenz)
    dh, dl = two_sum(t, -_ROOT_B[i])
    dl -= _ROOT_C[i]
    p = _ROOT_C2[i] + dh * (_ROOT_C3[i] + dh * (_ROOT_C4[i] + dh * (_ROOT_C5[i] + dh * _ROOT_C6[i])))
    ph, pl = dd_mul(dh, dl, _ROOT_C1_HI[i], _ROOT_C1_LO[i])
    return dd_add_d(ph, pl, dh * dh * p)


@scalar_kernel
def _digamma_dd(x):
    """psi(x) as a double-double; NaN at the poles (0, negative integers, -inf)."""
    if x != x:
        return x, 0.0
    if x > 0.0:
        if x == INF:
            return INF, 0.0
        if x < _TINY:
            return _psi_tiny_dd(x)
        if abs(x - _ROOT_A[0]) < _ROOT_BAND:
            return _psi_near_root(x, 0)
        return _psi_pos_dd(x, 0.0)
    if _nonpos_int(x):
        return NAN, 0.0
    if x > -_TINY:
        return _psi_tiny_dd(x)
    if x > -8.0:
        i = -int(math.floor(x))  # the root in (floor(x), floor(x) + 1)
        if abs(x - _ROOT_A[i]) < _ROOT_BAND:
            return _psi_near_root(x, i)
    # reflection: psi(x) = psi(1 - x) - pi cot(pi x), with pi x reduced exactly
    n, g = _reduce_half(x)
    sh, sl, ch, cl = _sinpi_cospi_dd(g)
    th, tl = dd_div(ch, cl, sh, sl)
    th, tl = dd_mul(th, tl, _PI_HI, _PI_LO)
    zh, zl = two_sum(1.0, -x)
    ah, al = _psi_pos_dd(zh, zl)
    return dd_add(ah, al, -th, -tl)


@scalar_kernel
def digamma(x):
    """The digamma function psi(x) = Gamma'(x)/Gamma(x) in float64 (<= ~0.5 ulp measured).

    NaN at the poles x = 0, -1, -2, ... and at -inf; psi(+inf) = +inf.
    """
    h, l = _digamma_dd(x)
    return h + l


@scalar_kernel
def _psi1_pos_dd(xh, xl):
    """psi1(xh + xl) as a double-double, for xh >= 2**-30."""
    if xh >= 2.0 ** 50:
        if xh < 2.0 ** 900:
            qh, ql = dd_recip(xh, xl)
            return fast_two_sum(qh, ql + 0.5 * qh * qh)
        return 1.0 / xh, 0.0
    ah, al = 0.0, 0.0
    while xh < _BIG:
        rh, rl = dd_recip(xh, xl)
        rh, rl = dd_mul(rh, rl, rh, rl)
        ah, al = dd_add(ah, al, rh, rl)
        xh, xl = dd_add_d(xh, xl, 1.0)
    rh, rl = dd_recip(xh, xl)
    zh, zl = dd_mul(rh, rl, rh, rl)
    q = _PSI1_C[_PSI1_N - 1]
    for k in range(_PSI1_N - 2, 0, -1):
        q = _PSI1_C[k] + zh * q
    # 1/x + 1/(2x^2) + (1/x) z q   with z = 1/x^2 and q = 1/6 - z/30 + ...
    th, tl = dd_mul_d(zh, zl, q * rh)
    th, tl = dd_add(th, tl, 0.5 * zh, 0.5 * zl)
    th, tl = dd_add(th, tl, rh, rl)
    return dd_add(ah, al, th, tl)


@scalar_kernel
def _psi1_tiny(x):
    """psi1(x) = 1/x^2 + zeta(2) + O(x), for 0 < |x| < 2**-30."""
    if abs(x) < _HUGE_RECIP:  # zeta(2) is far below half an ulp: 1/x^2, scaled
        if abs(x) < 2.0 ** -513:
            return INF
        qh, ql = dd_recip(x * 2.0 ** 500, 0.0)
        qh, ql = dd_mul(qh, ql, qh, ql)
        return (qh + ql) * 2.0 ** 1000
    qh, ql = dd_recip(x, 0.0)
    qh, ql = dd_mul(qh, ql, qh, ql)
    return qh + (ql + _ZETA2_HI)


@scalar_kernel
def trigamma(x):
    """The trigamma function psi1(x) = psi'(x) in float64 (<= ~0.5 ulp measured).

    NaN at the poles x = 0, -1, -2, ... and at -inf; psi1(+inf) = 0.
    """
    if x != x:
        return x
    if x > 0.0:
        if x == INF:
            return 0.0
        if x < _TINY:
            return _psi1_tiny(x)
        h, l = _psi1_pos_dd(x, 0.0)
        return h + l
    if _nonpos_int(x):
        return NAN
    if x > -_TINY:
        return _psi1_tiny(x)
    # reflection: psi1(x) = pi^2/sin(pi x)^2 - psi1(1 - x)
    n, g = _reduce_half(x)
    sh, sl, ch, cl = _sinpi_cospi_dd(g)
    qh, ql = dd_div(_PI_HI, _PI_LO, sh, sl)
    qh, ql = dd_mul(qh, ql, qh, ql)
    zh, zl = two_sum(1.0, -x)
    ah, al = _psi1_pos_dd(zh, zl)
    rh, rl = dd_add(qh, ql, -ah, -al)
    return rh + rl


# ---------------------------------------------------------------------------------
# Gamma as a double-double, for its derivatives

@scalar_kernel
def _lngamma_big_dd(xh, xl):
    """log Gamma(xh + xl) as a double-double for 20 <= xh < 2**52 (Stirling)."""
    lh, ll = log_dd(xh)
    ll += xl / xh
    ah, al = dd_mul(xh - 0.5, xl, lh, ll)
    ah, al = dd_add(ah, al, -xh, -xl)
    ah, al = dd_add(ah, al, _LOG_SQRT_2PI_HI, _LOG_SQRT_2PI_LO)
    r = 1.0 / xh
    z = r * r
    s = _STIR_C[_STIR_N - 1]
    for k in range(_STIR_N - 2, 0, -1):
        s = _STIR_C[k] + z * s
    return dd_add_d(ah, al, s * r)


@scalar_kernel
def _gamma_dd(x):
    """Gamma(x) = (hi + lo) * 2**k as (hi, lo, k), for 2**-30 <= |x|, -200 <= x < 172,
    x not a pole. Relative error ~0.51 ulp (one math.exp) plus ~2**-100."""
    if x >= _BIG:
        h, l = _lngamma_big_dd(x, 0.0)
        if h > 709.782712893384:  # log(DBL_MAX): Python's math.exp would raise
            return INF, 0.0, 0
        e = math.exp(h)
        return e, e * l, 0
    if x > -_BIG:
        # Gamma(x) = Gamma(x + m) / (x (x+1) ... (x+m-1)),  x + m >= 20
        ph, pl = x, 0.0
        zh, zl = two_sum(x, 1.0)
        while zh < _BIG:
            ph, pl = dd_mul(ph, pl, zh, zl)
            zh, zl = dd_add_d(zh, zl, 1.0)
        h, l = _lngamma_big_dd(zh, zl)
        e = math.exp(h)
        gh, gl = dd_div(e, e * l, ph, pl)
        return gh, gl, 0
    # reflection: Gamma(x) = pi / (sin(pi x) Gamma(1 - x)), scaled by 2**512 if tiny
    n, g = _reduce_half(x)
    sh, sl, ch, cl = _sinpi_cospi_dd(g)
    if n - 2.0 * math.floor(0.5 * n) != 0.0:
        sh, sl = -sh, -sl
    zh, zl = two_sum(1.0, -x)
    h, l = _lngamma_big_dd(zh, zl)
    k = 0
    ah, al = -h, -l
    if h > 600.0:
        k = -512
        ah, al = dd_add(ah, al, 512.0 * _LN2_HI, 512.0 * _LN2_LO)
    e = math.exp(ah)
    qh, ql = dd_div(_PI_HI, _PI_LO, sh, sl)
    gh, gl = dd_mul(qh, ql, e, e * al)
    return gh, gl, k


@scalar_kernel
def _gamma_pole(x):
    """True where Gamma has a pole (0, negative integers, -inf) or x is NaN."""
    return (x != x) or _nonpos_int(x)


@scalar_kernel
def _dd_round_times(gh, gl, k, ph, pl):
    """(gh + gl) * (ph + pl) * 2**k rounded once (plain products when huge)."""
    if abs(gh) < 2.0 ** 900 and abs(ph) < 2.0 ** 900:
        rh, rl = dd_mul(gh, gl, ph, pl)
        return math.ldexp(rh + rl, k)
    return math.ldexp(gh * ph + (gh * pl + gl * ph), k)


@scalar_kernel
def gamma_d1(x):
    """Gamma'(x) = Gamma(x) psi(x); NaN at the poles, +inf once it overflows."""
    if _gamma_pole(x):
        return NAN
    if abs(x) < _TINY:
        return -(1.0 / x) / x  # -1/x^2 + (gamma^2/2 + pi^2/12) + O(x)
    if x >= 172.0:
        return INF
    if x < -200.0:
        return 0.0  # |Gamma'(x)| < 2**-1075 here
    gh, gl, k = _gamma_dd(x)
    if gh == INF:
        return INF
    ph, pl = _digamma_dd(x)
    return _dd_round_times(gh, gl, k, ph, pl)


@scalar_kernel
def gamma_d2(x):
    """Gamma''(x) = Gamma(x) (psi(x)^2 + psi1(x)); NaN at the poles."""
    if _gamma_pole(x):
        return NAN
    if abs(x) < _TINY:
        return ((2.0 / x) / x) / x  # 2/x^3 + O(1)
    if x >= 172.0:
        return INF
    if x < -200.0:
        return 0.0
    gh, gl, k = _gamma_dd(x)
    if gh == INF:
        return INF
    ph, pl = _digamma_dd(x)
    t = trigamma(x)
    sh, sl = dd_mul(ph, pl, ph, pl)
    sh, sl = dd_add_d(sh, sl, t)
    return _dd_round_times(gh, gl, k, sh, sl)


# ---------------------------------------------------------------------------------
# erf / erfc

@scalar_kernel
def _gauss_scaled(x, k):
    """2/sqrt(pi) * exp(-x*x) * 2**k for |x| <= 28 and 0 <= k <= 200 (about 1 ulp).

    The exponent log(2/sqrt(pi)) - x*x + k log 2 is formed as a double-double, so
    neither the rounding of x*x nor the constant factor costs accuracy."""
    h, l = two_prod(x, x)
    a, b = two_sum(_LOG_2_SQRTPI_HI, -h)
    b += _LOG_2_SQRTPI_LO - l
    if k != 0:
        ch, cl = two_prod(float(k), _LN2_HI)
        a, b = dd_add(a, b, ch, cl + float(k) * _LN2_LO)
    e = math.exp(a)
    return e + e * b


@scalar_kernel
def erf_d1(x):
    """erf'(x) = 2/sqrt(pi) exp(-x^2)."""
    ax = abs(x)
    if ax > 27.5:
        return 0.0  # below 2**-1075
    if ax > 26.0:  # subnormal result: compute scaled, round once
        return math.ldexp(_gauss_scaled(x, 128), -128)
    return _gauss_scaled(x, 0)


@scalar_kernel
def erf_d2(x, d1):
    """erf''(x) = -2x erf'(x)."""
    ax = abs(x)
    if ax > 27.5:
        return 0.0
    if ax > 26.0:
        return math.ldexp(-2.0 * x * _gauss_scaled(x, 128), -128)
    return -2.0 * x * d1


# ---------------------------------------------------------------------------------
# References (mpmath, from the definitions)

def _erf1(x):
    return 2 / mp.sqrt(mp.pi) * mp.exp(-x * x)


def _erf2(x):
    return -4 * x / mp.sqrt(mp.pi) * mp.exp(-x * x)


def _gamma1(x):
    return mp.gamma(x) * mp.digamma(x)


def _trigamma_ref(x):
    # mpmath's psi(1, x) takes seconds for large negative x; the reflection identity
    # psi1(x) + psi1(1 - x) = pi^2 / sin(pi x)^2 is exact and fast (sinpi reduces exactly).
    if x < 0:
        return mp.pi ** 2 / mp.sinpi(x) ** 2 - mp.psi(1, 1 - x)
    return mp.psi(1, x)


def _gamma2(x):
    return mp.gamma(x) * (mp.digamma(x) ** 2 + _trigamma_ref(x))


def _lgamma0(x):
    return mp.re(mp.loggamma(x))


_POLES = ((0.0,), (-0.0,), (-1.0,), (-2.0,), (-3.0,), (-20.0,), (-170.0,), (-(2.0 ** 52),))
_POLE_KINK = Kink(
    where="x in {0, -1, -2, ...} (poles of Gamma)",
    convention="f' = f'' = NaN at the poles (also at -inf): no derivative exists and "
    "+-inf would pretend a one-sided limit",
    points=_POLES,
    expected_first=tuple((NAN,) for _ in _POLES),
)
_X0 = _ROOT_A[0]
_NEAR_POLES = (
    -1.0 + 1e-10, -1.0 - 1e-10, -2.0 + 1e-10, -2.0 - 1e-10, -3.0 + 1e-9, -10.0 + 1e-12,
    -0.5 + 1e-12, 1e-10, -1e-10, 1e-300, -1e-300, 2.0 ** -30, -(2.0 ** -30), 1e-8, -1e-8,
    -170.5, -170.0 + 1e-9, -171.5, -180.25, -199.75, -19.999999, -20.000001,
)
_PSI_ROOTS = (
    _X0, math.nextafter(_X0, 0.0), math.nextafter(_X0, 2.0), _X0 + 1e-12, _X0 - 1e-9,
    _X0 + 2.0 ** -20, _X0 - 2.0 ** -20, _X0 + 1e-5,
    # negative roots of psi (critical points of Gamma)
    -0.5040830082644554, -1.5734984731623904, -2.6107208684441447, -3.635293366436901,
    -4.653237761743142, -5.6671624415568855, -6.678418213073427, -7.687788325031626,
)

RULES = (
    Rule(
        name="erf",
        arity=1,
        primal=math.erf,
        first=lambda x, y: erf_d1(x),
        second=lambda x, y, d1: erf_d2(x, d1),
        targets=(math.erf,),
        reference=(mp.erf, _erf1, _erf2),
        sample_ranges=((-6.0, 6.0), (-1.0, 1.0), (-27.5, 27.5)),
        notes="erf' = 2/sqrt(pi) exp(-x^2) is evaluated as exp(c - x*x) with the exponent "
        "(c = log(2/sqrt(pi)), x*x split exactly by two_prod) kept as a double-double and "
        "applied as e*(1 + lo): the rounding of x*x, which exp amplifies by x^2 (~700 ulp "
        "at x = 26), and the rounding of the constant both vanish; ~1 ulp. For |x| > 26 the "
        "result is subnormal and is computed scaled by 2**128 and rounded once. "
        "erf'' = -2x erf'(x) (one more rounding); in the subnormal range recomputed scaled, "
        "since -2x times an already-rounded subnormal would multiply its absolute error.",
        budget_first=4.0,
        budget_second=8.0,
        special_points=(0.0, -0.0, 1e-300, 5e-324, 1.0, -1.0, 5.9, 26.0, 26.5, -26.6, 27.25,
                        27.3, 27.5, 28.0, INF, -INF),
    ),
    Rule(
        name="erfc",
        arity=1,
        primal=math.erfc,
        first=lambda x, y: -erf_d1(x),
        second=lambda x, y, d1: -erf_d2(x, -d1),
        targets=(math.erfc,),
        reference=(mp.erfc, lambda x: -_erf1(x), lambda x: -_erf2(x)),
        sample_ranges=((-6.0, 27.0), (-1.0, 1.0), (20.0, 27.5)),
        notes="erfc' = -erf', erfc'' = -erf'' = 2x erf'(x): the same formulas as erf "
        "(see there), accurate to the end of erfc's range (erfc underflows at x ~ 27.2).",
        budget_first=4.0,
        budget_second=8.0,
        special_points=(0.0, -0.0, 1e-300, 1.0, -6.0, 10.0, 26.0, 26.5, 26.6, 27.0, 27.2,
                        INF, -INF),
    ),
    Rule(
        name="gamma",
        arity=1,
        primal=math.gamma,
        first=lambda x, y: gamma_d1(x),
        second=lambda x, y, d1: gamma_d2(x),
        targets=(math.gamma,),
        reference=(mp.gamma, _gamma1, _gamma2),
        sample_ranges=((-170.0, 171.6), (0.0, 10.0), (-10.0, 0.0), (-1.0, 3.0), (150.0, 171.6),
                       (-200.0, -150.0)),
        kinks=(_POLE_KINK,),
        notes="Gamma' = Gamma psi and Gamma'' = Gamma (psi^2 + psi1) with Gamma, psi and "
        "psi^2 + psi1 all formed as double-doubles and rounded once. The primal y is NOT "
        "reused: math.gamma is off by up to ~4.5 ulp in Numba (glibc tgamma) and ~7.4 "
        "ulp in CPython (its own Lanczos code), which alone would break the budget; the double-double Gamma (Stirling "
        "from x >= 20, upward recurrence below, exact-reduction reflection for x <= -20, "
        "scaled by 2**-512 where Gamma is subnormal) costs one math.exp (0.51 ulp). Near 0 "
        "Gamma' = -1/x^2, Gamma'' = 2/x^3 (|x| < 2**-30). Beyond x = 172 both are +inf; "
        "below x = -200 both are 0 (their magnitude is below 2**-1075). psi's relative "
        "accuracy near its roots keeps Gamma' accurate at Gamma's critical points.",
        budget_first=4.0,
        budget_second=8.0,
        special_points=_PSI_ROOTS + _NEAR_POLES + (1.0, 2.0, 3.0, 0.5, 171.0, 171.3, 171.6,
                                                   171.62, 20.0, 19.999999999),
    ),
    Rule(
        name="lgamma",
        arity=1,
        primal=math.lgamma,
        first=lambda x, y: digamma(x),
        second=lambda x, y, d1: trigamma(x),
        targets=(math.lgamma,),
        reference=(_lgamma0, mp.digamma, _trigamma_ref),
        sample_ranges=((0.0, 20.0), (-20.0, 0.0), (0.0, 1.0e6), (-1.0e6, 0.0),
                       (-4.5e15, 0.0), (0.0, 1.0e300), (1.0, 2.0), (-5.0, -4.0)),
        kinks=(_POLE_KINK,),
        notes="lgamma' = psi, lgamma'' = psi1 for every non-pole x, negative x included "
        "(lgamma = log|Gamma|). digamma/trigamma are double-double internally: asymptotic "
        "series from 20 up, recurrence below, a triple-double Taylor expansion around the "
        "positive root x0 of psi (relative accuracy down to x0 itself), and for x < 0 the "
        "reflection formulas with pi*x reduced exactly and sin/cos(pi g) as double-double "
        "series, so the cancellation at psi's negative roots is absorbed; Taylor "
        "expansions around the first eight negative roots as well. <= 0.5 ulp measured.",
        budget_first=4.0,
        budget_second=8.0,
        special_points=_PSI_ROOTS + _NEAR_POLES + (1.0, 2.0, 0.5, 3.0, 1e15, 1e300, 1.7e308,
                                                   -4.5e15 + 0.5, -1e15 - 0.25),
    ),
)
