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

from .schema import Domain, Kink, Rule, scalar_kernel

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


def _step_rule(name, targets, ref, kink_where):
    return Rule(
        name=name, arity=1, primal=targets[0], targets=targets,
        first=lambda x, y: 0.0, second=_zero1,
        reference=(ref, ZERO, ZERO),
        sample_ranges=((-100.0, 100.0), (-1e300, 1e300)),
        kinks=(Kink(kink_where, "0 (the derivative of the constant piece on either side)",
                    points=((2.0,), (-3.0,), (0.0,)), expected_first=((0.0,), (0.0,), (0.0,))),),
        notes="Piecewise constant: derivative 0 everywhere. math.floor/ceil/trunc return "
              "an int, as in plain Numba; the NumPy versions return a number with zero partials.",
    )


def _minmax_rule(name, primal, targets, ref, first_wins):
    return Rule(
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
    ),
    _step_rule("floor", (math.floor, np.floor), mp.floor, "x is an integer"),
    _step_rule("ceil", (math.ceil, np.ceil), mp.ceil, "x is an integer"),
    _step_rule("trunc", (math.trunc, np.trunc), _trunc, "x is a nonzero integer"),
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
    ),
    _minmax_rule("max", max, (max,), lambda x, z: max(x, z), lambda x, z: x > z),
    _minmax_rule("min", min, (min,), lambda x, z: min(x, z), lambda x, z: x < z),
    _minmax_rule("maximum", np.maximum, (np.maximum, np.fmax), lambda x, z: max(x, z),
                 lambda x, z: x > z),
    _minmax_rule("minimum", np.minimum, (np.minimum, np.fmin), lambda x, z: min(x, z),
                 lambda x, z: x < z),
)
