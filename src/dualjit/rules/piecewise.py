"""Piecewise functions: abs, rounding, copysign, fmod, min and max.

Their derivatives at the non-differentiable points follow one convention, in the
table's Kink rows and in docs/conventions.md: at a point where the function has a
kink or a jump, dualjit returns the derivative of the piece the float value came from,
read from the sign bit where the piece is chosen by a zero's sign; at a tie of max/min,
where no piece is preferred, the average of the two (an element of the generalized
gradient that keeps max(x, y) + min(x, y) = x + y exact for derivatives).
"""
import math
from fractions import Fraction

import mpmath as mp
import numpy as np

from ..types import interval as I
from .enclosures import interval_kernel
from .enclosures_special import abs_i, sign_i
from .fp import two_prod, two_sum
from .schema import Domain, Enclosure, Kink, Rule, scalar_kernel

NAN = float("nan")
INF = float("inf")
ZERO = lambda *a: mp.mpf(0)  # noqa: E731
PAIR = ((-1e3, 1e3), (-1e3, 1e3))


@scalar_kernel
def abs_slope(x):
    """+1 for +0 and positive x, -1 for -0 and negative x, NaN for NaN."""
    if x != x:
        return x
    return math.copysign(1.0, x)


@scalar_kernel
def select_partials(x, z, y):
    """Which argument max/min (and their NumPy forms) returned: (1, 0), (0, 1), or
    (1/2, 1/2) at a tie; NaN partials when the result is NaN."""
    if y != y:
        return NAN, NAN
    if x == z:
        return 0.5, 0.5
    if y == x:
        return 1.0, 0.0
    return 0.0, 1.0


@scalar_kernel
def fmod_quotient(x, z, y):
    """The integer n with fmod(x, z) = x - n*z (exact in real arithmetic)."""
    return np.rint((x - y) / z)


def _trunc(v):
    return mp.floor(v) if v >= 0 else mp.ceil(v)


def _exact_quotient(x, z):
    """trunc(x/z) exactly, from the float arguments as rationals (x/z may exceed any
    working precision: 1e300/7). As C's fmod: z = ±inf gives 0 for a finite x;
    x = ±inf or z = 0 is undefined."""
    x, z = float(x), float(z)
    if math.isinf(x) or z == 0.0 or math.isnan(x) or math.isnan(z):
        raise ValueError("fmod is undefined here")
    if math.isinf(z):
        return 0
    return int(Fraction(x) / Fraction(z))  # int() truncates toward zero


def _fmod_ref(x, z):
    n = _exact_quotient(x, z)
    if n == 0:
        return mp.mpf(x)
    r = Fraction(float(x)) - n * Fraction(float(z))
    return mp.mpf(r.numerator) / r.denominator


def _zero2(x, z, y, fx, fz):
    return 0.0, 0.0, 0.0


def _zero1(x, y, d1):
    return 0.0


def _ref_select(x, z, take_first):
    return mp.mpf(1) if take_first(x, z) else mp.mpf(0)


def _step_rule(name, targets, ref, kink_where, enclosure=None):
    return Rule(
        enclosure=enclosure,
        name=name, arity=1, primal=targets[0], targets=targets,
        first=lambda x, y: 0.0, second=_zero1,
        reference=(ref, ZERO, ZERO),
        sample_ranges=((-100.0, 100.0), (-1e300, 1e300)),
        kinks=(Kink(kink_where, "0 (the derivative of the constant piece on either side)",
                    points=((2.0,), (-3.0,), (0.0,)), expected_first=((0.0,), (0.0,), (0.0,))),),
        notes="Piecewise constant: derivative 0 everywhere. math.floor/ceil/trunc return "
              "an int, as in plain Numba; the NumPy versions return a number with zero partials.",
    )


def _minmax_rule(name, primal, targets, ref, first_wins, enclosure=None):
    return Rule(
        enclosure=enclosure,
        name=name, arity=2, primal=primal, targets=targets,
        first=select_partials, second=_zero2,
        reference=(ref, (lambda x, z: _ref_select(x, z, first_wins),
                         lambda x, z: 1 - _ref_select(x, z, first_wins)), (ZERO, ZERO, ZERO)),
        sample_ranges=PAIR,
        kinks=(Kink("x == z", "1/2 to each argument (as JAX and PyTorch)",
                    points=((1.5, 1.5), (0.0, -0.0)), expected_first=((0.5, 0.5), (0.5, 0.5))),),
        notes="The derivative of the argument whose value is returned; NaN partials for a "
              "NaN result.",
    )


# ---------------------------------------------------------------------------------
# Interval enclosures. Values are exact (no rounding: floor/ceil/trunc/abs/copysign/
# max/min of the bounds are exact operations). Derivative convention over an interval X:
# the derivative of each constant or linear piece wherever it exists; at a kink (abs at
# 0, a max/min tie) the first derivative encloses the whole generalized gradient
# ([-1, 1] for abs at 0, [0, 1] for each max/min partial); where the function (for a
# derivative: the derivative) jumps at a point INSIDE the open interval (an integer in
# (a, b) for floor, 0 in (a, b) for abs'') the enclosure is the real line (the
# distributional derivative of a jump is unbounded). A jump at an endpoint of X or a
# point interval at the jump keeps the piece's derivative (0 for floor), as the float
# rows do.

_TWO52 = 4503599627370496.0


@scalar_kernel
def _ffloor(x):
    """floor as a float, exact for every double (inf passes through)."""
    if abs(x) >= _TWO52:
        return x
    return float(math.floor(x))


@scalar_kernel
def _fceil(x):
    if abs(x) >= _TWO52:
        return x
    return float(math.ceil(x))


@scalar_kernel
def _ftrunc(x):
    if abs(x) >= _TWO52:
        return x
    return float(math.trunc(x))


@interval_kernel
def _zero():
    return I.make(0.0, 0.0)


# |x| and the slopes of |t| over X: shared with the numerics enclosures
_abs_primal, _sign_slopes = abs_i, sign_i


@interval_kernel
def _abs_first(x, y):
    return _sign_slopes(x)


@interval_kernel
def _abs_second(x, y, f1):
    if x.lo < 0.0 < x.hi:  # abs' jumps inside X
        return I.entire()
    return _zero()


@interval_kernel
def _floor_primal(x):
    if x.lo > x.hi:
        return I.empty()
    return I.make(_ffloor(x.lo), _ffloor(x.hi))


@interval_kernel
def _ceil_primal(x):
    if x.lo > x.hi:
        return I.empty()
    return I.make(_fceil(x.lo), _fceil(x.hi))


@interval_kernel
def _trunc_primal(x):
    if x.lo > x.hi:
        return I.empty()
    return I.make(_ftrunc(x.lo), _ftrunc(x.hi))


@interval_kernel
def _int_inside(x):
    """An integer (a jump of floor/ceil/trunc) lies in the open interval (lo, hi)."""
    if x.lo > x.hi or not (x.lo < x.hi):
        return False
    if abs(x.lo) >= _TWO52 or abs(x.hi) >= _TWO52:
        return True  # conservative (infinite bounds, or hi - 1 may round)
    f = _ffloor(x.hi)
    if f == x.hi:
        f = f - 1.0  # the largest integer below hi
    return f > x.lo


@interval_kernel
def _step_first(x, y):
    if x.lo > x.hi:
        return I.empty()
    if _int_inside(x):
        return I.entire()
    return _zero()


@interval_kernel
def _step_second(x, y, f1):
    return _step_first(x, y)


@interval_kernel
def _copysign_primal(x, z):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty()
    ax = _abs_primal(x)
    if z.lo > 0.0:
        return ax
    if z.hi < 0.0:
        return I.neg(ax)
    # z may be 0 (of either sign) or take both signs
    return I.make(-ax.hi, ax.hi)


@interval_kernel
def _copysign_first(x, z, y):
    sx = _sign_slopes(x)
    sz = _sign_slopes(z)
    if sx.lo == sx.hi and sz.lo == sz.hi:
        fx = I.make(sx.lo * sz.lo, sx.lo * sz.lo)  # exact: +-1 times +-1
    else:
        fx = I.make(-1.0, 1.0)
    if x.lo > x.hi or z.lo > z.hi:
        return fx, I.empty()
    if z.lo < 0.0 < z.hi and not (x.lo == 0.0 and x.hi == 0.0):
        return fx, I.entire()  # copysign jumps at z = 0 inside Z
    return fx, _zero()


@interval_kernel
def _copysign_second(x, z, y, fx, fz):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty(), I.empty(), I.empty()
    xin = x.lo < 0.0 < x.hi
    zin = z.lo < 0.0 < z.hi
    fxx = I.entire() if xin else _zero()
    fxz = I.entire() if (xin or zin) else _zero()
    fzz = I.entire() if (zin and not (x.lo == 0.0 and x.hi == 0.0)) else _zero()
    return fxx, fxz, fzz


@interval_kernel
def _fmod_coarse(x, z):
    """|fmod(x, z)| <= min(|x|, |z|) with the sign of x: valid for every x, z != 0."""
    zmax = max(-z.lo, z.hi)
    lo = 0.0
    hi = 0.0
    if x.lo < 0.0:
        lo = -min(-x.lo, zmax)
    if x.hi > 0.0:
        hi = min(x.hi, zmax)
    return I.make(lo, hi)


@interval_kernel
def _fmod_quotient(x, z):
    """(True, n) when trunc(x/z) = n for every x in X, z in Z (Z excludes 0), else
    (False, 0)."""
    if z.lo <= 0.0 <= z.hi:
        return False, 0.0
    if x.lo == x.hi and z.lo == z.hi and abs(x.lo) < I.INF:
        if abs(z.lo) == I.INF:
            return True, 0.0
        y = float(np.fmod(x.lo, z.lo))  # exact
        n = float(fmod_quotient(x.lo, z.lo, y))
        if abs(n) < 2.0 ** 50:  # (x - y)/z rounds twice, rint recovers n exactly
            return True, n
        return False, 0.0
    q = I.div(x, z)
    if q.lo == -I.INF or q.hi == I.INF:
        return False, 0.0
    n = _ftrunc(q.lo)
    if n == _ftrunc(q.hi) and abs(n) < _TWO52:
        return True, n
    return False, 0.0


@scalar_kernel
def _axpy_round(a, n, d):
    """a - n*d to within 0.5 ulp + 2**-100 relative (two_prod and two_sum carry the
    roundings), so lower/upper(., 0) bound it; finite arguments."""
    p, e = two_prod(n, d)
    s, t = two_sum(a, -p)
    return s + (t - e)


@interval_kernel
def _x_minus_nz(x, n, z):
    """{x - n z : x in X, z in Z} for an integer n, bounds rounded once."""
    if n >= 0.0:
        a, da, b, db = x.lo, z.hi, x.hi, z.lo
    else:
        a, da, b, db = x.lo, z.lo, x.hi, z.hi
    if (abs(a) == I.INF or abs(b) == I.INF or abs(da) == I.INF or abs(db) == I.INF
            or abs(n * da) > 2.0 ** 995 or abs(n * db) > 2.0 ** 995):
        return I.sub(x, I.mul(I.make(n, n), z))
    lo = _axpy_round(a, n, da)
    hi = _axpy_round(b, n, db)
    return I.make(I.lower(lo), I.upper(hi))


@interval_kernel
def _fmod_primal(x, z):
    if x.lo > x.hi or z.lo > z.hi or (z.lo == 0.0 and z.hi == 0.0):
        return I.empty()
    coarse = _fmod_coarse(x, z)
    ok, n = _fmod_quotient(x, z)
    if ok:
        if x.lo == x.hi and z.lo == z.hi:
            y = float(np.fmod(x.lo, z.lo))  # exact (IEEE remainder arithmetic)
            return I.make(y, y)
        return I.intersect(coarse, _x_minus_nz(x, n, z))
    return coarse


@interval_kernel
def _fmod_first(x, z, y):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty(), I.empty()
    ok, n = _fmod_quotient(x, z)
    if ok:
        return I.make(1.0, 1.0), I.make(-n, -n)
    return I.entire(), I.entire()  # a jump of fmod (x/z crosses an integer) may lie in the box


@interval_kernel
def _fmod_second(x, z, y, fx, fz):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty(), I.empty(), I.empty()
    ok, n = _fmod_quotient(x, z)
    if ok:
        return _zero(), _zero(), _zero()
    return I.entire(), I.entire(), I.entire()


@interval_kernel
def _max_primal(x, z):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty()
    return I.make(max(x.lo, z.lo), max(x.hi, z.hi))


@interval_kernel
def _min_primal(x, z):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty()
    return I.make(min(x.lo, z.lo), min(x.hi, z.hi))


@interval_kernel
def _max_first(x, z, y):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty(), I.empty()
    if x.lo > z.hi:
        return I.make(1.0, 1.0), _zero()
    if z.lo > x.hi:
        return _zero(), I.make(1.0, 1.0)
    return I.make(0.0, 1.0), I.make(0.0, 1.0)  # a tie is possible: generalized gradient


@interval_kernel
def _min_first(x, z, y):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty(), I.empty()
    if x.hi < z.lo:
        return I.make(1.0, 1.0), _zero()
    if z.hi < x.lo:
        return _zero(), I.make(1.0, 1.0)
    return I.make(0.0, 1.0), I.make(0.0, 1.0)


@interval_kernel
def _minmax_second(x, z, y, fx, fz):
    if x.lo > x.hi or z.lo > z.hi:
        return I.empty(), I.empty(), I.empty()
    if x.lo < z.hi and z.lo < x.hi:  # the partials jump (x = z) inside the box
        return I.entire(), I.entire(), I.entire()
    return _zero(), _zero(), _zero()


_EXACT = "Exact: the bounds are exact operations on the bounds (0 ulps); certified 0 ulp."
ABS_ENCLOSURE = Enclosure(_abs_primal, _abs_first, _abs_second, 0.0, _EXACT)
FLOOR_ENCLOSURE = Enclosure(_floor_primal, _step_first, _step_second, 0.0, _EXACT)
CEIL_ENCLOSURE = Enclosure(_ceil_primal, _step_first, _step_second, 0.0, _EXACT)
TRUNC_ENCLOSURE = Enclosure(_trunc_primal, _step_first, _step_second, 0.0, _EXACT)
COPYSIGN_ENCLOSURE = Enclosure(
    _copysign_primal, _copysign_first, _copysign_second, 0.0,
    _EXACT + " An interval Z holding 0 gives both signs (a real zero has no sign bit).")
FMOD_ENCLOSURE = Enclosure(
    _fmod_primal, _fmod_first, _fmod_second, 0.0,
    "fmod is exact (0 ulps; certified 0). Where trunc(x/z) = n is constant on the box: "
    "(X - nZ) intersected with |fmod| <= min(|x|, |z|) (sign of x); a point box is the "
    "exact fmod. Otherwise only the coarse bound, and real-line partials (a jump).")
MAX_ENCLOSURE = Enclosure(_max_primal, _max_first, _minmax_second, 0.0, _EXACT)
MIN_ENCLOSURE = Enclosure(_min_primal, _min_first, _minmax_second, 0.0, _EXACT)


RULES = (
    Rule(
        name="abs", arity=1, primal=abs, targets=(abs, math.fabs, np.abs, np.fabs),
        first=lambda x, y: abs_slope(x), second=_zero1,
        reference=(abs, mp.sign, ZERO),
        sample_ranges=((-100.0, 100.0), (-1e300, 1e300)),
        kinks=(Kink("x == 0", "+1 at +0, -1 at -0: the piece the sign bit selects "
                    "(as ForwardDiff.jl; JAX gives +1 at both, PyTorch 0)",
                    points=((0.0,), (-0.0,)), expected_first=((1.0,), (-1.0,))),),
        notes="copysign(1, x): exact.",
        enclosure=ABS_ENCLOSURE,
    ),
    _step_rule("floor", (math.floor, np.floor), mp.floor, "x is an integer", FLOOR_ENCLOSURE),
    _step_rule("ceil", (math.ceil, np.ceil), mp.ceil, "x is an integer", CEIL_ENCLOSURE),
    _step_rule("trunc", (math.trunc, np.trunc), _trunc, "x is a nonzero integer", TRUNC_ENCLOSURE),
    Rule(
        name="copysign", arity=2, primal=math.copysign, targets=(math.copysign, np.copysign),
        first=lambda x, z, y: (abs_slope(x) * abs_slope(z), 0.0), second=_zero2,
        reference=(lambda x, z: abs(x) * mp.sign(z),
                   (lambda x, z: mp.sign(x) * mp.sign(z), ZERO), (ZERO, ZERO, ZERO)),
        sample_ranges=PAIR,
        kinks=(Kink("x == 0 or z == 0", "d/dx = sign(x)·sign(z) from the sign bits; d/dz = 0 "
                    "(the jump in z is not differentiable; the piece's derivative is 0)",
                    points=((0.0, 2.0), (-0.0, 2.0), (3.0, -0.0)),
                    expected_first=((1.0, 0.0), (-1.0, 0.0), (-1.0, 0.0))),),
        notes="Exact.",
        enclosure=COPYSIGN_ENCLOSURE,
    ),
    Rule(
        name="fmod", arity=2, primal=np.fmod, targets=(math.fmod, np.fmod),
        first=lambda x, z, y: (1.0, -fmod_quotient(x, z, y)), second=_zero2,
        reference=(_fmod_ref, (lambda x, z: mp.mpf(1), lambda x, z: mp.mpf(-_exact_quotient(x, z))),
                   (ZERO, ZERO, ZERO)),
        domain=Domain(note="z != 0"),
        sample_ranges=((-1e3, 1e3), (0.5, 50.0)),
        kinks=(Kink("x/z is an integer (a jump)", "the piece the value lies on: d/dx = 1, "
                    "d/dz = -n with n the truncated quotient",
                    points=((6.0, 3.0), (7.0, 2.0)), expected_first=((1.0, -2.0), (1.0, -3.0))),),
        notes="fmod(x, z) = x - n z with n = trunc(x/z) locally constant; n is recovered "
              "exactly from the exact result.",
        enclosure=FMOD_ENCLOSURE,
    ),
    _minmax_rule("max", max, (max,), lambda x, z: max(x, z), lambda x, z: x > z, MAX_ENCLOSURE),
    _minmax_rule("min", min, (min,), lambda x, z: min(x, z), lambda x, z: x < z, MIN_ENCLOSURE),
    _minmax_rule("maximum", np.maximum, (np.maximum, np.fmax), lambda x, z: max(x, z),
                 lambda x, z: x > z, MAX_ENCLOSURE),
    _minmax_rule("minimum", np.minimum, (np.minimum, np.fmin), lambda x, z: min(x, z),
                 lambda x, z: x < z, MIN_ENCLOSURE),
)
