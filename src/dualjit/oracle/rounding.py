"""Correct rounding of mpmath numbers to float64, and the ulp of a double.

Why not ``float(mpf)``: mpmath's conversion (``mpmath.libmp.to_float``) first rounds
the mantissa to 53 bits and then lets ``math.ldexp`` place it. In the normal range that
is one correct round-to-nearest-even, but where the result is subnormal it rounds
twice (to 53 bits, then to the subnormal's coarser grid), which is wrong when the first
rounding lands exactly on a halfway point of the second: for 2**-1075 * (1 + 2**-60)
``float()`` answers 0.0, the correctly rounded double is 2**-1074. It also returns +0.0
for a negative number that underflows. :func:`to_float64` does the rounding once, in
integer arithmetic, on the exact binary value of the mpf; the tests cross-check it
against gmpy2/MPFR with subnormalization.

Rounding rule: IEEE 754 binary64, round to nearest, ties to even, gradual underflow.
Hence |x| >= 2**1024 * (1 - 2**-54) (the midpoint between the largest double and
2**1024, which ties to the "even" 2**1024) rounds to ±inf, and a nonzero x that rounds
to zero keeps its sign (-0.0 for a negative x). An exact mpmath zero has no sign and
becomes +0.0.
"""
from __future__ import annotations

import math
import numbers

import mpmath as mp
from mpmath import libmp

__all__ = [
    "to_float64", "ulp", "OVERFLOW_THRESHOLD", "MIN_SUBNORMAL", "MAX_FLOAT",
]

_MANT_BITS = 53          # binary64 significand, hidden bit included
_MIN_EXP_QUANTUM = -1074  # exponent of the least significant bit of a subnormal

#: The smallest magnitude that rounds to infinity: 2**1024 * (1 - 2**-54), exact.
OVERFLOW_THRESHOLD = mp.make_mpf(libmp.from_man_exp(2 ** 54 - 1, 970))
#: 2**-1074, the smallest positive double (and the floor of :func:`ulp`).
MIN_SUBNORMAL = math.ldexp(1.0, -1074)
MAX_FLOAT = math.ldexp(1.0 - 2.0 ** -53, 1024)


def _raw(x):
    """The raw libmp tuple (sign, man, exp, bc) of an mpf or an int, exactly."""
    raw = getattr(x, "_mpf_", None)
    if raw is not None:
        return raw
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return libmp.from_int(int(x))  # exact: no precision argument
    raise TypeError(f"x must be an mpmath mpf or an int, got {type(x).__name__}: {x!r}")


def to_float64(x) -> float:
    """The double nearest to the mpf (or int) ``x``: ties to even, subnormals rounded
    once, ±inf at and beyond :data:`OVERFLOW_THRESHOLD`, NaN for NaN."""
    sign, man, exp, bc = _raw(x)
    if not man:
        if (sign, man, exp, bc) == libmp.fzero:
            return 0.0
        if (sign, man, exp, bc) == libmp.finf:
            return math.inf
        if (sign, man, exp, bc) == libmp.fninf:
            return -math.inf
        return math.nan
    # value = (-1)**sign * man * 2**exp, with 2**(exp+bc-1) <= man*2**exp < 2**(exp+bc).
    top = exp + bc - 1
    if top >= 1024:
        return -math.inf if sign else math.inf
    if top < _MIN_EXP_QUANTUM - 1:          # |x| < 2**-1075: below half the least subnormal
        return -0.0 if sign else 0.0
    # Exponent of the last bit kept: 53 significant bits, never below the subnormal grid.
    quantum = max(top - (_MANT_BITS - 1), _MIN_EXP_QUANTUM)
    if exp >= quantum:
        m = man << (exp - quantum)          # exact: already on the grid
    else:
        shift = quantum - exp
        m = man >> shift
        rem = man & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        if rem > half or (rem == half and (m & 1)):
            m += 1
    # m <= 2**53 and quantum >= -1074, so m * 2**quantum is exactly representable unless
    # it reached 2**1024 (rounding up past the largest double).
    if m.bit_length() + quantum > 1024:
        return -math.inf if sign else math.inf
    v = math.ldexp(float(m), quantum)
    return -v if sign else v


def ulp(t: float) -> float:
    """The unit in the last place of the double ``t``: the gap from |t| to the next
    larger double, floored at 2**-1074 (so ulp(0) = ulp(subnormal) = 2**-1074).

    At a power of two 2**k this is the gap *above*, 2**(k-52), as in ``math.ulp``: an
    error on the smaller side of a power of two is counted in the larger unit (so a
    true value just below 2**k that rounds up to 2**k is scored in the coarser unit,
    at most halving its ulp count). ulp(±inf) is inf, ulp(NaN) is NaN.
    """
    if isinstance(t, bool) or not isinstance(t, numbers.Real):
        raise TypeError(f"t must be a float, got {type(t).__name__}: {t!r}")
    t = float(t)
    if math.isnan(t):
        return math.nan
    if math.isinf(t):
        return math.inf
    return max(math.ulp(t), MIN_SUBNORMAL)
