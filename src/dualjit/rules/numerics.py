"""Functions numerical code needs that ``math`` lacks: sigmoid, logit, softplus,
logaddexp, xlogy, xlog1py, log1mexp.

The public functions here are plain float64 Python that Numba compiles as they are
(dualjit re-exports them: ``dualjit.sigmoid`` ...). None of them raises for any float
input: out of the domain they return NaN like NumPy, and they handle +-inf and NaN.
Accuracy (vs mpmath, measured on ~20k points each incl. bit patterns): sigmoid ~1 ulp,
logit / softplus / xlogy / xlog1py / log1mexp <= ~1.5 ulp (the libm log1p/expm1 they rest
on are ~0.9 ulp).  logaddexp is NumPy's own algorithm, bit for bit, so the value agrees
with ``np.logaddexp``; like NumPy it loses relative accuracy where the result is near 0
(e**x + e**z ~ 1: the sum max + log1p(...) cancels), everywhere else it is ~1 ulp.

The derivative formulas compute from x, never from the rounded value y, and use exact
transformations (two_sum for 1 + e and x - z) where a rounding would be amplified.
"""
import math

import mpmath as mp
import numpy as np

from .fp import dd_div, dd_mul, dd_mul_d, dd_recip, two_prod, two_sum
from .schema import Domain, Kink, Rule, scalar_kernel

INF = float("inf")
NAN = float("nan")
_LOGE2 = 0.693147180559945309417232121458176568  # NumPy's NPY_LOGE2 (= math.log(2))
_LN2 = math.log(2.0)
_SMALL = 2.0 ** -480  # below this, 1/p**2 terms need no double-double (nor fit one)


# ---------------------------------------------------------------------------------
# Kernels shared by primals and formulas (private; the public names below are the
# rule targets and must not be registered twice).

@scalar_kernel
def _sigmoid_dd(x):
    """1/(1 + exp(-x)) as a double-double; its only error is exp's (<= 0.5 ulp * 1)."""
    if x >= 0.0:
        e = math.exp(-x)
        a, b = two_sum(1.0, e)
        return dd_recip(a, b)
    e = math.exp(x)  # NaN lands here too and propagates
    a, b = two_sum(1.0, e)
    return dd_div(e, 0.0, a, b)


@scalar_kernel
def _sigmoid_d1_dd(x):
    """sigmoid'(x) = e / (1 + e)**2 with e = exp(-|x|), as a double-double."""
    e = math.exp(-abs(x))
    a, b = two_sum(1.0, e)
    dh, dl = dd_mul(a, b, a, b)
    return dd_div(e, 0.0, dh, dl)


@scalar_kernel
def _sigmoid_d1(x):
    h, l = _sigmoid_d1_dd(x)
    return h + l


@scalar_kernel
def _sigmoid_d2(x):
    """sigmoid''(x) = sign(x) e expm1(-|x|) / (1 + e)**3, e = exp(-|x|)."""
    ax = abs(x)
    e = math.exp(-ax)
    m = math.expm1(-ax)
    a, b = two_sum(1.0, e)
    dh, dl = dd_mul(a, b, a, b)
    dh, dl = dd_mul(dh, dl, a, b)
    nh, nl = two_prod(e, m)
    qh, ql = dd_div(nh, nl, dh, dl)
    r = qh + ql
    return -r if x < 0.0 else r


@scalar_kernel
def _neg_x_over_sq(x, ah, al):
    """-x / (ah + al)**2 (|al| <= ulp(ah)/2, ah != 0), rounded ~once at any magnitude.

    Mantissas are divided and the exponents applied by ldexp at the end, so neither
    an overflowing square nor a subnormal intermediate costs accuracy."""
    if x == 0.0 or abs(ah) == INF:
        return -x * 0.0
    if abs(x) == INF:
        return -x
    mx, ex = math.frexp(x)
    ma, ea = math.frexp(ah)
    q = (mx / ma) / ma
    q -= 2.0 * q * (al / ah)
    k = ex - 2 * ea
    if k > 1000:  # Python's ldexp raises on overflow; a product just gives inf
        if k > 1030:
            return -math.copysign(INF, q)
        return math.ldexp(-q, k - 1000) * 2.0 ** 1000
    return math.ldexp(-q, k)


# ---------------------------------------------------------------------------------
# Public functions (primals)

def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), stable for both signs (~1 ulp).

    sigmoid(-inf) = 0, sigmoid(inf) = 1, NaN -> NaN. Computed as 1/(1 + e) for x >= 0
    and e/(1 + e) for x < 0 (e = exp(-|x|)), with 1 + e kept exact."""
    h, l = _sigmoid_dd(x)
    return h + l


def logit(p):
    """log(p / (1 - p)), the inverse of sigmoid, for 0 <= p <= 1 (~1.5 ulp).

    logit(0) = -inf, logit(1) = inf, NaN outside [0, 1]. Near 1/2 it is computed as
    2 atanh(2p - 1) = log1p(2a/(1 - a)) with a = |2p - 1| exact; near 0 as
    log(p) - log1p(-p); near 1 as log1p(-q) - log(q) with q = 1 - p exact."""
    if not (0.0 <= p <= 1.0):
        return NAN
    if p < 0.25:
        if p == 0.0:
            return -INF
        return math.log(p) - math.log1p(-p)
    if p > 0.75:
        if p == 1.0:
            return INF
        q = 1.0 - p  # exact
        return math.log1p(-q) - math.log(q)
    y = 2.0 * p - 1.0  # exact for p >= 1/4
    a = abs(y)
    w = 1.0 - a  # exact for a <= 1/2
    t = (2.0 * a) / w
    th, tl = two_prod(t, w)
    r = ((2.0 * a - th) - tl) / w  # 2a/w = t + r
    v = math.log1p(t) + r / (1.0 + t)
    return -v if y < 0.0 else v


def softplus(x):
    """log(1 + exp(x)) without overflow or underflow (~1.5 ulp).

    x + log1p(exp(-x)) for x > 0 (so softplus(x) = x for large x), log1p(exp(x))
    otherwise (= exp(x) for very negative x); softplus(-inf) = 0, softplus(inf) = inf."""
    if x > 0.0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x))


def logaddexp(x, z):
    """log(exp(x) + exp(z)), NumPy's algorithm bit for bit (as np.logaddexp).

    max + log1p(exp(-|x - z|)); equal arguments (including infinities of one sign) give
    x + log 2, so logaddexp(-inf, -inf) = -inf; NaN if either argument is NaN."""
    if x == z:
        return x + _LOGE2
    d = x - z
    if d > 0.0:
        return x + math.log1p(math.exp(-d))
    if d <= 0.0:
        return z + math.log1p(math.exp(d))
    return d


def xlogy(x, z):
    """x * log(z), with xlogy(0, z) = 0 for every z that is not NaN (SciPy's convention,
    so xlogy(0, 0) = 0). NaN for z < 0 (x != 0) or a NaN argument; x * -inf at z = 0."""
    if x == 0.0 and z == z:
        return 0.0
    if not (z >= 0.0) or x != x:
        return NAN
    if z == 0.0:
        return -INF * x
    return x * math.log(z)


def xlog1py(x, z):
    """x * log1p(z), with xlog1py(0, z) = 0 for every z that is not NaN (SciPy's
    convention). NaN for z < -1 (x != 0) or a NaN argument; x * -inf at z = -1."""
    if x == 0.0 and z == z:
        return 0.0
    if not (z >= -1.0) or x != x:
        return NAN
    if z == -1.0:
        return -INF * x
    return x * math.log1p(z)


def log1mexp(x):
    """log(1 - exp(x)) for x <= 0 (Maechler 2012): log(-expm1(x)) for x > -log 2,
    log1p(-exp(x)) otherwise (~1.5 ulp). log1mexp(0) = -inf; NaN for x > 0 or NaN."""
    if x > -_LN2:
        if x > 0.0:
            return NAN
        if x == 0.0:
            return -INF
        return math.log(-math.expm1(x))
    if x != x:
        return x
    return math.log1p(-math.exp(x))


# ---------------------------------------------------------------------------------
# Derivative formulas

@scalar_kernel
def _logit_d1(p):
    """1 / (p (1 - p)) with 1 - p exact (double-double)."""
    if not (0.0 < p < 1.0):
        return INF if (p == 0.0 or p == 1.0) else NAN
    if p < _SMALL:
        return 1.0 / p  # the factor 1/(1 - p) is 1 to within 2**-480
    a, b = two_sum(1.0, -p)
    dh, dl = dd_mul_d(a, b, p)
    rh, rl = dd_recip(dh, dl)
    return rh + rl


@scalar_kernel
def _logit_d2(p):
    """(2p - 1) / (p (1 - p))**2 in double-double."""
    if not (0.0 < p < 1.0):
        if p == 0.0:
            return -INF
        return INF if p == 1.0 else NAN
    if p < _SMALL:
        return -(1.0 / p) / p  # relative correction p**2
    a, b = two_sum(1.0, -p)
    dh, dl = dd_mul_d(a, b, p)
    rh, rl = dd_recip(dh, dl)
    rh, rl = dd_mul(rh, rl, rh, rl)
    nh, nl = two_sum(2.0 * p, -1.0)
    qh, ql = dd_mul(rh, rl, nh, nl)
    return qh + ql


@scalar_kernel
def _softplus_d1(x):
    h, l = _sigmoid_dd(x)
    return h + l


@scalar_kernel
def _logaddexp_first(x, z, y):
    """(sigmoid(x - z), sigmoid(z - x)) with x - z carried exactly as hi + lo."""
    if x == z:
        return 0.5, 0.5  # also at equal infinities: the limit along the diagonal
    if x != x or z != z:
        return NAN, NAN
    dh, dl = two_sum(x, -z)
    if abs(dh) == INF:
        dl = 0.0
    ah, al = _sigmoid_dd(dh)
    bh, bl = _sigmoid_dd(-dh)
    c = dl * ah * bh  # sigmoid'(dh) * dl: the rounding of x - z, put back
    return ah + (al + c), bh + (bl - c)


@scalar_kernel
def _logaddexp_second(x, z, y, fx, fz):
    """f_xx = f_zz = -f_xz = sigmoid'(x - z), x - z exact as hi + lo."""
    if x == z:
        return 0.25, -0.25, 0.25
    if x != x or z != z:
        return NAN, NAN, NAN
    dh, dl = two_sum(x, -z)
    if abs(dh) == INF:
        dl = 0.0
    ph, pl = _sigmoid_d1_dd(dh)
    v = ph + (pl - ph * (dl * math.tanh(0.5 * dh)))  # s'' / s' = -tanh(d/2)
    return v, -v, v


@scalar_kernel
def _xlogy_first(x, z, y):
    if x != x or not (z >= 0.0):
        return NAN, NAN
    if z == 0.0:
        return -INF, (0.0 if x == 0.0 else math.copysign(INF, x))
    return math.log(z), (0.0 if x == 0.0 else x / z)


@scalar_kernel
def _xlogy_second(x, z, y, fx, fz):
    if x != x or not (z >= 0.0):
        return NAN, NAN, NAN
    if z == 0.0:
        return 0.0, INF, (0.0 if x == 0.0 else -math.copysign(INF, x))
    return 0.0, 1.0 / z, _neg_x_over_sq(x, z, 0.0)


@scalar_kernel
def _xlog1py_first(x, z, y):
    if x != x or not (z >= -1.0):
        return NAN, NAN
    if z == -1.0:
        return -INF, (0.0 if x == 0.0 else math.copysign(INF, x))
    if x == 0.0 or z == INF:
        return math.log1p(z), 0.0 * x
    a, b = two_sum(1.0, z)  # 1 + z exactly
    q = x / a
    if b != 0.0:
        q -= q * (b / a)
    return math.log1p(z), q


@scalar_kernel
def _xlog1py_second(x, z, y, fx, fz):
    if x != x or not (z >= -1.0):
        return NAN, NAN, NAN
    if z == -1.0:
        return 0.0, INF, (0.0 if x == 0.0 else -math.copysign(INF, x))
    if z == INF:
        return 0.0, 0.0, -x * 0.0
    a, b = two_sum(1.0, z)
    if a < 2.0 ** 900:
        rh, rl = dd_recip(a, b)
        r = rh + rl
    else:
        r = 1.0 / a
    return 0.0, r, _neg_x_over_sq(x, a, b)


@scalar_kernel
def _log1mexp_d1(x):
    """-exp(x)/(1 - exp(x)): -1/expm1(-x) near 0, -e/(1 - e) with 1 - e exact below."""
    if not (x <= 0.0):
        return NAN
    if x == 0.0:
        return -INF
    if x > -_LN2:
        return -1.0 / math.expm1(-x)
    e = math.exp(x)
    a, b = two_sum(1.0, -e)
    qh, ql = dd_div(-e, 0.0, a, b)
    return qh + ql


@scalar_kernel
def _log1mexp_d2(x):
    """-exp(x)/(1 - exp(x))**2 = 1/(expm1(x) expm1(-x)) near 0."""
    if not (x <= 0.0):
        return NAN
    if x == 0.0:
        return -INF
    if x > -(2.0 ** -30):  # -1/x**2 + 1/12 + O(x**2)
        if x > -_SMALL:
            return -(1.0 / x) / x
        qh, ql = dd_recip(x, 0.0)
        qh, ql = dd_mul(qh, ql, qh, ql)
        return -qh - ql
    if x > -_LN2:
        ph, pl = two_prod(math.expm1(x), math.expm1(-x))
        rh, rl = dd_recip(ph, pl)
        return rh + rl
    e = math.exp(x)
    a, b = two_sum(1.0, -e)
    dh, dl = dd_mul(a, b, a, b)
    qh, ql = dd_div(-e, 0.0, dh, dl)
    return qh + ql


# ---------------------------------------------------------------------------------
# References (mpmath, from the definitions, in forms that do not cancel)

def _s1_ref(x):
    e = mp.exp(-x)
    return e / (1 + e) ** 2


def _s2_ref(x):
    e = mp.exp(-x)
    return e * mp.expm1(-x) / (1 + e) ** 3


def _xlogy_ref(x, z):
    return mp.mpf(0) if x == 0 else x * mp.log(z)


def _xlog1py_ref(x, z):
    return mp.mpf(0) if x == 0 else x * mp.log1p(z)


def _log1mexp_ref(x):
    # log(1 - e**x) loses all digits to the rounding of 1 - e**x when e**x < 2**-prec
    return mp.log1p(-mp.exp(x)) if x < -mp.log(2) else mp.log(-mp.expm1(x))


def _logaddexp_ref(x, z):
    # log(e**x + e**z) = m + log(1 + e**(-|x - z|)), m = max(x, z): exact identity that
    # does not round e**x + e**z (which would lose e.g. a 1e-300 difference)
    return max(x, z) + mp.log1p(mp.exp(-abs(x - z)))

RULES = (
    Rule(
        name="sigmoid",
        arity=1,
        primal=sigmoid,
        first=lambda x, y: _sigmoid_d1(x),
        second=lambda x, y, d1: _sigmoid_d2(x),
        targets=(sigmoid,),
        reference=(lambda x: 1 / (1 + mp.exp(-x)), _s1_ref, _s2_ref),
        sample_ranges=((-745.0, 745.0), (-40.0, 40.0), (-5.0, 5.0), (-1e-3, 1e-3)),
        notes="sigmoid' = e/(1 + e)**2 with e = exp(-|x|) and 1 + e exact (two_sum), "
        "~1 ulp; s(1 - s) would cancel to 0 for x > 37 (9e15 ulp) and s(x) s(-x) stacks "
        "two roundings (3.5 ulp). sigmoid'' = s'(x)(1 - 2 s(x)) written as "
        "sign(x) e expm1(-|x|)/(1 + e)**3: 1 - 2s cancels near 0, expm1 does not; the "
        "product and the cube are double-double, leaving exp's and expm1's errors.",
        special_points=(0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e-8, -1e-8, 36.0, -36.0, 37.5,
                        -37.5, 709.0, -709.0, 744.0, -744.0, 746.0, -746.0, 1e300, -1e300),
    ),
    Rule(
        name="logit",
        arity=1,
        primal=logit,
        first=lambda p, y: _logit_d1(p),
        second=lambda p, y, d1: _logit_d2(p),
        targets=(logit,),
        reference=(lambda p: mp.log(p / (1 - p)), lambda p: 1 / (p * (1 - p)),
                   lambda p: (2 * p - 1) / (p * (1 - p)) ** 2),
        domain=Domain(0.0, 1.0),
        sample_ranges=((0.0, 1.0), (0.0, 1e-3), (0.999, 1.0), (0.45, 0.55), (0.2, 0.3)),
        notes="logit' = 1/(p(1 - p)) and logit'' = (2p - 1)/(p(1 - p))**2 with 1 - p and "
        "2p - 1 formed exactly (two_sum) and the rest in double-double: one rounding. "
        "Below p = 2**-480 they are 1/p and -1/p**2 (relative corrections p, p**2). "
        "p = 0: +inf, -inf; p = 1: +inf, +inf.",
        special_points=(0.5, 0.25, 0.75, 0.5 + 2.0 ** -53, 0.5 - 2.0 ** -54, 1e-300, 5e-324,
                        2.0 ** -480, 1e-150, 1.0 - 2.0 ** -53, 1.0 - 1e-10, 1e-10, 0.0, 1.0),
    ),
    Rule(
        name="softplus",
        arity=1,
        primal=softplus,
        first=lambda x, y: _softplus_d1(x),
        second=lambda x, y, d1: _sigmoid_d1(x),
        targets=(softplus,),
        reference=(lambda x: mp.log1p(mp.exp(x)), lambda x: 1 / (1 + mp.exp(-x)), _s1_ref),
        sample_ranges=((-745.0, 745.0), (-40.0, 40.0), (-5.0, 5.0)),
        notes="softplus' = sigmoid(x), softplus'' = sigmoid'(x), computed from x as in "
        "the sigmoid row (not from y: log1p(exp(x)) loses x's information for x < -37).",
        special_points=(0.0, -0.0, 1e-300, 36.0, -36.0, 709.0, -709.0, 744.0, -744.0,
                        746.0, -746.0, 1e300, -1e300),
    ),
    Rule(
        name="logaddexp",
        arity=2,
        primal=logaddexp,
        first=_logaddexp_first,
        second=_logaddexp_second,
        targets=(logaddexp, np.logaddexp),
        reference=(_logaddexp_ref,
                   (lambda x, z: 1 / (1 + mp.exp(z - x)), lambda x, z: 1 / (1 + mp.exp(x - z))),
                   (lambda x, z: _s1_ref(x - z), lambda x, z: -_s1_ref(x - z),
                    lambda x, z: _s1_ref(x - z))),
        sample_ranges=((-10.0, 10.0), (-10.0, 10.0)),
        kinks=(Kink(where="x == z == +-inf",
                    convention="f_x = f_z = 1/2 (the limit along the diagonal, as at any tie)",
                    points=((-INF, -INF), (INF, INF)),
                    expected_first=((0.5, 0.5), (0.5, 0.5))),),
        value_class="exact",
        notes="f_x = sigmoid(x - z), f_z = sigmoid(z - x), f_xx = f_zz = -f_xz = "
        "sigmoid'(x - z). The rounding of d = x - z matters: it perturbs sigmoid(d) by "
        "sigmoid(-d) * |d| * 2**-53 relative, i.e. up to |d|/2 ulp (hundreds of ulp for "
        "|d| ~ 700) in the small partial. So d is kept exact as hi + lo (two_sum) and the "
        "first-order correction lo * sigmoid'(hi) is added back (lo * s'(hi) * "
        "(-tanh(hi/2)) for the second partials). Value: NumPy's formula bit for bit; it "
        "cancels where the result is near 0 (e**x + e**z ~ 1), as np.logaddexp does.",
        special_points=((0.0, 0.0), (-700.0, 0.0), (0.0, -700.0), (700.0, -40.0),
                        (-745.0, 0.0), (-1e300, 1e300), (1e300, -1e300), (3.5, 3.5),
                        (-INF, 0.0), (0.0, -INF), (1e-300, -1e-300), (-0.7, -0.7),
                        (1.0, 1.0 + 2.0 ** -52), (500.0, 500.0 + 1e-13), (-30.0, 30.0)),
    ),
    Rule(
        name="xlogy",
        arity=2,
        primal=xlogy,
        first=_xlogy_first,
        second=_xlogy_second,
        targets=(xlogy,),
        reference=(_xlogy_ref, (lambda x, z: mp.log(z), lambda x, z: x / z),
                   (lambda x, z: mp.mpf(0), lambda x, z: 1 / z, lambda x, z: -x / z ** 2)),
        domain=Domain(lo2=0.0, note="z >= 0; at x == 0 the value is 0 for every z"),
        sample_ranges=((-10.0, 10.0), (0.0, 10.0)),
        kinks=(Kink(where="x == 0 (notably at z == 0)",
                    convention="xlogy(0, z) = 0 (SciPy), f_z = 0 there; f_x = log(z) "
                    "(-inf at z = 0)",
                    points=((0.0, 0.0), (0.0, 2.0)),
                    expected_first=((-INF, 0.0), (math.log(2.0), 0.0))),),
        notes="f_x = log z, f_z = x/z (0 at x == 0), f_xx = 0, f_xz = 1/z, f_zz = -x/z**2 "
        "from mantissas and exponents separately (frexp/ldexp) so that z**2 can neither "
        "overflow nor leave a subnormal intermediate. Each is one or two roundings.",
        special_points=((0.0, 0.0), (0.0, 3.0), (2.0, 1.0), (1.0, 1.0 + 2.0 ** -52),
                        (3.0, 1e-300), (1e-300, 1e300), (5e-324, 1e-5), (1e300, 1e-300),
                        (-2.0, 5e-324), (7.0, 1e308), (1e-310, 0.5)),
    ),
    Rule(
        name="xlog1py",
        arity=2,
        primal=xlog1py,
        first=_xlog1py_first,
        second=_xlog1py_second,
        targets=(xlog1py,),
        reference=(_xlog1py_ref, (lambda x, z: mp.log1p(z), lambda x, z: x / (1 + z)),
                   (lambda x, z: mp.mpf(0), lambda x, z: 1 / (1 + z),
                    lambda x, z: -x / (1 + z) ** 2)),
        domain=Domain(lo2=-1.0, note="z >= -1; at x == 0 the value is 0 for every z"),
        sample_ranges=((-10.0, 10.0), (-1.0, 10.0)),
        kinks=(Kink(where="x == 0 (notably at z == -1)",
                    convention="xlog1py(0, z) = 0 (SciPy), f_z = 0 there; f_x = log1p(z) "
                    "(-inf at z = -1)",
                    points=((0.0, -1.0), (0.0, 1.0)),
                    expected_first=((-INF, 0.0), (math.log(2.0), 0.0))),),
        notes="f_x = log1p z, f_z = x/(1 + z) (0 at x == 0), f_xz = 1/(1 + z), "
        "f_zz = -x/(1 + z)**2, with 1 + z kept exact as hi + lo (two_sum): rounding 1 + z "
        "would cost up to 1 ulp per use, and near z = -1 all of them.",
        special_points=((0.0, -1.0), (0.0, 3.0), (2.0, -1.0 + 2.0 ** -53), (3.0, 1e-20),
                        (3.0, -0.3), (1e300, 1e300), (1e-300, -0.75), (5e-324, -1.0 + 1e-10),
                        (7.0, 1e308), (-4.0, 2.0 ** 53 + 2.0)),
    ),
    Rule(
        name="log1mexp",
        arity=1,
        primal=log1mexp,
        first=lambda x, y: _log1mexp_d1(x),
        second=lambda x, y, d1: _log1mexp_d2(x),
        targets=(log1mexp,),
        reference=(_log1mexp_ref, lambda x: -1 / mp.expm1(-x),
                   lambda x: -mp.exp(x) / mp.expm1(x) ** 2),
        domain=Domain(hi=0.0),
        sample_ranges=((-745.0, 0.0), (-2.0, 0.0), (-1e-3, 0.0), (-40.0, -0.5)),
        notes="f' = -exp(x)/(1 - exp(x)): -1/expm1(-x) for x > -log 2 (1 - exp(x) would "
        "cancel), -e/(1 - e) with 1 - e exact below. f'' = -exp(x)/(1 - exp(x))**2: "
        "1/(expm1(x) expm1(-x)) (product in double-double) above -log 2, "
        "-e/(1 - e)**2 in double-double below; -1/x**2 for |x| < 2**-30. "
        "f' = f'' = -inf at x = 0.",
        special_points=(-0.0, 0.0, -1e-300, -5e-324, -1e-10, -_LN2, math.nextafter(-_LN2, 0.0),
                        math.nextafter(-_LN2, -1.0), -1.0, -36.0, -40.0, -709.0, -745.0,
                        -746.0, -1e300),
    ),
)


# ---------------------------------------------------------------------------------
# Interval enclosures: each composite is enclosed through the interval versions of its
# pieces (libm exp/log/log1p/expm1/tanh/atanh widened by their ulps, see
# enclosures_special), evaluated at the endpoints where the function is monotone, so no
# error analysis of the float composites is needed. The row's ``ulps`` is the float
# composite's own error bound (2 x max(documented, certified)), for the tightness test.

from ..types import interval as _I  # noqa: E402
from .enclosures import increasing as _increasing, interval_kernel as _ikernel  # noqa: E402
from .enclosures import peak as _peak, valley as _valley  # noqa: E402
from .enclosures_special import (atanh_i as _atanh_i, exp_i as _exp_i,  # noqa: E402
                                 expm1_i as _expm1_i, log1p_i as _log1p_i, log_i as _log_i,
                                 pt as _pt, tanh_i as _tanh_i)
from .schema import Enclosure  # noqa: E402


_SIGMOID_ULPS = 3.0


@scalar_kernel
def _sigmoid_bounds(x):
    """Floats around sigmoid(x) from the double-double _sigmoid_dd: its only error is
    exp's (0.511 ulp, entering with a factor <= 1) plus the final rounding, <= 1.02 ulp;
    widened as 3 ulps."""
    h, l = _sigmoid_dd(x)
    s = h + l
    return max(_I.lower(s, _SIGMOID_ULPS), 0.0), min(_I.upper(s, _SIGMOID_ULPS), 1.0)


@_ikernel
def sigmoid_enc(x):
    """Increasing, range [0, 1]."""
    if x.lo > x.hi:
        return _I.empty()
    return _I.make(_sigmoid_bounds(x.lo)[0], _sigmoid_bounds(x.hi)[1])


# sigmoid' = e/(1 + e)**2, e = exp(-|x|): a peak at 0 with maximum 1/4 (_sigmoid_d1:
# certified 0.789 ulp; exp's 0.511 plus one rounding, widened as 3 ulps)
sigmoid_d1_enc = _peak(_sigmoid_d1, 3.0, 0.0, 0.25, range_lo=0.0)


@_ikernel
def _sigmoid_first(x, y):
    return sigmoid_d1_enc(x)


@_ikernel
def _sigmoid_second(x, y, f1):
    """sigmoid'' = sigmoid'(x) (1 - 2 sigmoid(x)) = -sigmoid'(x) tanh(x/2)."""
    return _I.neg(_I.mul(f1, _tanh_i(_I.mul(x, _I.make(0.5, 0.5)))))


@_ikernel
def _logit_bounds(p):
    """Floats around logit(p), 0 <= p <= 1: log(p) - log1p(-p) below 1/4,
    log1p(-q) - log(q) (q = 1 - p exact) above 3/4, 2 atanh(2p - 1) between (exact
    argument)."""
    if p < 0.25:
        s = _I.sub(_log_i(_pt(p)), _log1p_i(_pt(-p)))
    elif p > 0.75:
        q = 1.0 - p
        s = _I.sub(_log1p_i(_pt(-q)), _log_i(_pt(q)))
    else:
        s = _I.mul(_I.make(2.0, 2.0), _atanh_i(_pt(2.0 * p - 1.0)))
    return s.lo, s.hi


@_ikernel
def logit_enc(x):
    a, b = max(x.lo, 0.0), min(x.hi, 1.0)
    if a > b:
        return _I.empty()
    return _I.make(_logit_bounds(a)[0], _logit_bounds(b)[1])


# logit' = 1/(p(1 - p)): minimum 4 at 1/2; logit'' = (2p - 1)/(p(1 - p))**2 increasing
# (logit''' = 2/p**3 + 2/(1 - p)**3 > 0). Both formulas are double-double, rounded once
# (certified 0.5 ulp), widened as 2 ulps.
_logit_d1_enc = _valley(_logit_d1, 2.0, 0.5, 4.0, lo=0.0, hi=1.0)
_logit_d2_enc = _increasing(_logit_d2, 2.0, lo=0.0, hi=1.0)


@_ikernel
def _logit_first(x, y):
    return _logit_d1_enc(x)


@_ikernel
def _logit_second(x, y, f1):
    return _logit_d2_enc(x)


@_ikernel
def _softplus_bounds(x):
    """Floats around softplus(x): x + log1p(exp(-x)) for x > 0, log1p(exp(x)) else."""
    if x > 0.0:
        if x == INF:
            return _I.lower(INF), INF
        s = _I.add(_pt(x), _log1p_i(_exp_i(_pt(-x))))
    else:
        s = _log1p_i(_exp_i(_pt(x)))
    return max(s.lo, 0.0), s.hi


@_ikernel
def softplus_enc(x):
    """Increasing, positive."""
    if x.lo > x.hi:
        return _I.empty()
    return _I.make(_softplus_bounds(x.lo)[0], _softplus_bounds(x.hi)[1])


@_ikernel
def _softplus_first(x, y):
    return sigmoid_enc(x)


@_ikernel
def _softplus_second(x, y, f1):
    return sigmoid_d1_enc(x)


@_ikernel
def _logaddexp_bounds(x, z):
    """Floats around log(e**x + e**z) = max + log1p(exp(min - max)) (exact at
    infinite arguments: logaddexp(-inf, z) = z)."""
    if x == -INF:
        return z, z
    if z == -INF:
        return x, x
    if x == INF or z == INF:
        return _I.lower(INF), INF
    m = max(x, z)
    dh, dl = two_sum(min(x, z), -m)  # d = dh + dl <= 0 exactly
    if dh == -INF:
        return m, m  # exp(d) = 0 to within 2**-1074 relative... d = -inf only if m = inf
    e = _I.mul(_exp_i(_pt(dh)), _exp_i(_pt(dl)))
    s = _I.add(_pt(m), _log1p_i(e))
    return s.lo, s.hi


@_ikernel
def _logaddexp_primal(x, z):
    """Increasing in both arguments."""
    if x.lo > x.hi or z.lo > z.hi:
        return _I.empty()
    return _I.make(_logaddexp_bounds(x.lo, z.lo)[0], _logaddexp_bounds(x.hi, z.hi)[1])


@_ikernel
def _exp_neg_diff(x, z):
    """exp(-(x - z)) for points x, z, with x - z = dh + dl split exactly (two_sum), so
    the rounding of x - z (|x - z|/2 ulp of the result) does not widen it."""
    dh, dl = two_sum(x, -z)
    return _I.mul(_exp_i(_pt(-dh)), _exp_i(_pt(-dl)))


@_ikernel
def _sigmoid_pair(x, z):
    """(sigmoid(x - z), sigmoid(z - x)) = (1/(1 + E), 1/(1 + 1/E)), E = e**(z - x), for
    points x, z (|x - z| < 700); each form has E once, so no dependency widening."""
    e = _exp_neg_diff(x, z)
    one = _I.make(1.0, 1.0)
    a = _I.div(one, _I.add(one, e))
    b = _I.div(one, _I.add(one, _I.div(one, e)))
    return _I.intersect(a, _I.make(0.0, 1.0)), _I.intersect(b, _I.make(0.0, 1.0))


@_ikernel
def _logaddexp_first(x, z, y):
    """f_x = sigmoid(x - z) = 1/(1 + E), f_z = sigmoid(z - x) = E/(1 + E), E = e**(z - x)."""
    if x.lo == x.hi and z.lo == z.hi and abs(x.lo) < INF and abs(z.lo) < INF:
        if abs(x.lo - z.lo) < 700.0:
            return _sigmoid_pair(x.lo, z.lo)
    d = _I.sub(x, z)
    return sigmoid_enc(d), sigmoid_enc(_I.neg(d))


@_ikernel
def _logaddexp_second(x, z, y, fx, fz):
    """sigmoid'(x - z) = E/(1 + E)**2 (E as in the first partials)."""
    if x.lo == x.hi and z.lo == z.hi and abs(x.lo) < INF and abs(z.lo) < INF:
        if abs(x.lo - z.lo) < 700.0:
            a, b = _sigmoid_pair(x.lo, z.lo)
            s = _I.intersect(_I.mul(a, b), _I.make(0.0, 0.25))
            return s, _I.neg(s), s
    s = sigmoid_d1_enc(_I.sub(x, z))
    return s, _I.neg(s), s


@_ikernel
def _dom_z(z, lo):
    """Z intersected with [lo, inf)."""
    a = max(z.lo, lo)
    if a > z.hi:
        return _I.empty()
    return _I.make(a, z.hi)


@_ikernel
def _xlogy_primal(x, z):
    """x log z over z >= 0, with 0 log 0 = 0 (the interval product takes 0 * inf = 0)."""
    zd = _dom_z(z, 0.0)
    if x.lo > x.hi or zd.lo > zd.hi:
        return _I.empty()
    return _I.mul(x, _log_i(zd))


@_ikernel
def _xlogy_first(x, z, y):
    zd = _dom_z(z, 0.0)
    return _I.mul(_I.make(1.0, 1.0), _log_i(zd)), _I.div(x, zd)


@_ikernel
def _xlogy_second(x, z, y, fx, fz):
    zd = _dom_z(z, 0.0)
    return (_I.make(0.0, 0.0), _I.div(_I.make(1.0, 1.0), zd),
            _I.neg(_I.div(x, _I.sqr(zd))))


@_ikernel
def _one_plus(z):
    return _I.add(_I.make(1.0, 1.0), z)


@_ikernel
def _xlog1py_primal(x, z):
    zd = _dom_z(z, -1.0)
    if x.lo > x.hi or zd.lo > zd.hi:
        return _I.empty()
    return _I.mul(x, _log1p_i(zd))


@_ikernel
def _xlog1py_first(x, z, y):
    zd = _dom_z(z, -1.0)
    return _I.mul(_I.make(1.0, 1.0), _log1p_i(zd)), _I.div(x, _one_plus(zd))


@_ikernel
def _xlog1py_second(x, z, y, fx, fz):
    zd = _dom_z(z, -1.0)
    w = _one_plus(zd)
    return _I.make(0.0, 0.0), _I.div(_I.make(1.0, 1.0), w), _I.neg(_I.div(x, _I.sqr(w)))


@_ikernel
def _log1mexp_bounds(x):
    """Floats around log(1 - exp(x)), x <= 0: log(-expm1(x)) above -log 2, log1p(-exp(x))
    below (the forms of the row, without cancellation)."""
    if x == 0.0:
        return -INF, -INF
    if x > -_LN2:
        s = _log_i(_I.neg(_expm1_i(_pt(x))))
    else:
        s = _log1p_i(_I.neg(_exp_i(_pt(x))))
    return s.lo, min(s.hi, 0.0)


@_ikernel
def log1mexp_enc(x):
    """Decreasing on x <= 0, negative."""
    a, b = x.lo, min(x.hi, 0.0)
    if a > b:
        return _I.empty()
    if b == 0.0 and a == 0.0:
        return _I.empty()  # log 0: no real value
    return _I.make(_log1mexp_bounds(b)[0], _log1mexp_bounds(a)[1])


@_ikernel
def _log1mexp_first(x, y):
    """f' = -1/expm1(-x) (decreasing from 0 to -inf): exact interval composition."""
    b = min(x.hi, 0.0)
    if x.lo > b:
        return _I.empty()
    one = _I.make(1.0, 1.0)
    if b <= -1.0:  # -e/(1 - e), e = exp(x) <= 1/e: no overflow of expm1(-x), no cancellation
        e = _exp_i(_I.make(x.lo, b))
        return _I.neg(_I.div(e, _I.sub(one, e)))
    m = _expm1_i(_I.make(-b, -x.lo))
    m = _I.make(max(m.lo, -b), m.hi)  # expm1(t) >= t
    return _I.neg(_I.div(one, m))


@_ikernel
def _log1mexp_second(x, y, f1):
    """f'' = f'(1 - f') (f' = -e/(1 - e) gives f'' = -e/(1 - e)**2 = f'/(1 - e))."""
    return _I.mul(f1, _I.sub(_I.make(1.0, 1.0), f1))


_COMPOSED = ("Enclosed by interval evaluation of its pieces (libm exp/log/log1p/expm1/"
             "tanh/atanh widened by 2x their documented ulps, enclosures_special), so it "
             "needs no ulps of its own; ulps = {u} is the float composite's bound used "
             "for tightness: documented {d}, certified {c}.")
SIGMOID_ENCLOSURE = Enclosure(
    sigmoid_enc, _sigmoid_first, _sigmoid_second, 3.0,
    "Primal from the double-double _sigmoid_dd: exp's 0.511 ulp (factor <= 1) + final "
    "rounding <= 1.02 ulp, widened as 3 ulps (certified 0.857). sigmoid' = e/(1 + e)**2 "
    "as a peak at 0 (max 1/4; _sigmoid_d1 certified 0.789, widened 3); sigmoid'' = "
    "-sigmoid' tanh(x/2) (glibc tanh 2.21 ulp, widened 5).")
LOGIT_ENCLOSURE = Enclosure(logit_enc, _logit_first, _logit_second, 7.0,
                            _COMPOSED.format(u=7, d="~1.5", c=0.946))
SOFTPLUS_ENCLOSURE = Enclosure(softplus_enc, _softplus_first, _softplus_second, 6.0,
                               _COMPOSED.format(u=6, d="~1.5", c=0.975))
LOGADDEXP_ENCLOSURE = Enclosure(
    _logaddexp_primal, _logaddexp_first, _logaddexp_second, 8.0,
    _COMPOSED.format(u=8, d="~1 (cancels next to a zero result)", c=26.7)
    + " Tightness near a zero result is limited by the same cancellation.")
XLOGY_ENCLOSURE = Enclosure(_xlogy_primal, _xlogy_first, _xlogy_second, 3.0,
                            _COMPOSED.format(u=3, d="~1.5", c=1.159))
XLOG1PY_ENCLOSURE = Enclosure(_xlog1py_primal, _xlog1py_first, _xlog1py_second, 3.0,
                              _COMPOSED.format(u=3, d="~1.5", c=1.241))
LOG1MEXP_ENCLOSURE = Enclosure(log1mexp_enc, _log1mexp_first, _log1mexp_second, 6.0,
                               _COMPOSED.format(u=6, d="~1.5", c=1.155))


def _with_enclosures(rules):
    import dataclasses
    encl = {"sigmoid": SIGMOID_ENCLOSURE, "logit": LOGIT_ENCLOSURE,
            "softplus": SOFTPLUS_ENCLOSURE, "logaddexp": LOGADDEXP_ENCLOSURE,
            "xlogy": XLOGY_ENCLOSURE, "xlog1py": XLOG1PY_ENCLOSURE,
            "log1mexp": LOG1MEXP_ENCLOSURE}
    return tuple(dataclasses.replace(r, enclosure=encl[r.name]) for r in rules)


RULES = _with_enclosures(RULES)
