"""Correct rounding of mpf to float64 and the ulp of a double (dualjit.oracle.rounding)."""
import math
import random

import gmpy2
import mpmath as mp
import pytest
from mpmath import libmp

from dualjit.oracle import MAX_FLOAT, MIN_SUBNORMAL, OVERFLOW_THRESHOLD, to_float64, ulp

TINY = MIN_SUBNORMAL  # 2**-1074


def exact(man, exp):
    """The mpf man * 2**exp, exactly (no rounding to the working precision)."""
    return mp.make_mpf(libmp.from_man_exp(man, exp))


def gmpy2_round(x):
    """An independent rounding: MPFR with the binary64 format (53 bits, subnormals)."""
    sign, man, exp, bc = x._mpf_
    with gmpy2.context(precision=max(bc, 2) + 2, emin=-(1 << 40), emax=1 << 40):
        e = gmpy2.mul_2exp(gmpy2.mpfr(gmpy2.mpz(-man if sign else man)), exp)
    with gmpy2.context(precision=53, emin=-1073, emax=1024, subnormalize=True,
                       round=gmpy2.RoundToNearest):
        return float(gmpy2.mpfr(e))


def same_double(a, b):
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


# --- halfway cases: ties to even ------------------------------------------------------

@pytest.mark.parametrize("man, exp, want", [
    (2 ** 53 + 1, -53, 1.0),                                  # 1 + 2**-53: tie, down to even 1
    (2 ** 53 + 3, -53, 1.0 + 2.0 ** -51),                     # 1 + 3*2**-53: tie, up to even
    (2 ** 200 + 2 ** 147 + 1, -200, 1.0 + 2.0 ** -52),        # just above the tie: up
    (2 ** 200 + 2 ** 147 - 1, -200, 1.0),                     # just below the tie: down
    (-(2 ** 53 + 3), -53, -(1.0 + 2.0 ** -51)),               # symmetric for negatives
])
def test_halfway_cases_round_to_even(man, exp, want):
    x = exact(man, exp)
    assert same_double(to_float64(x), want)
    assert same_double(gmpy2_round(x), want)


# --- subnormals ----------------------------------------------------------------------

@pytest.mark.parametrize("man, exp, want", [
    (1, -1075, 0.0),                          # 2**-1075: tie between 0 and 2**-1074 -> 0 (even)
    (3, -1075, 2 * TINY),                     # 1.5 * 2**-1074: tie -> 2 (even)
    (5, -1075, 2 * TINY),                     # 2.5 * 2**-1074: tie -> 2 (even)
    (7, -1075, 4 * TINY),                     # 3.5 * 2**-1074: tie -> 4 (even)
    (2 ** 60 + 1, -1135, TINY),               # just above 2**-1075 -> 2**-1074
    (2 ** 53 - 1, -1129, 0.0),                # about 2**-1076, below half of 2**-1074 -> 0
    (2 ** 53 - 1, -1075, 2.0 ** -1022),       # (2**52 - 0.5)*2**-1074: tie -> the smallest normal
    (-(2 ** 60 + 1), -1135, -TINY),
    (-1, -1200, -0.0),                        # a negative underflow keeps its sign
])
def test_subnormals_round_once(man, exp, want):
    x = exact(man, exp)
    assert same_double(to_float64(x), want)
    assert same_double(gmpy2_round(x), want)


def test_mpmath_float_double_rounds_subnormals():
    """Why rounding.py exists: mpmath's float() rounds to 53 bits, then ldexp rounds
    again to the subnormal grid, so 2**-1075 * (1 + 2**-60) comes out as 0.0 (it is
    just above half of 2**-1074). If this assertion starts failing, mpmath has fixed
    it: update the note in dualjit/oracle/rounding.py (our rounding stays correct)."""
    x = exact(2 ** 60 + 1, -1135)
    assert float(x) == 0.0
    assert to_float64(x) == TINY == gmpy2_round(x)


# --- overflow ------------------------------------------------------------------------

def test_overflow_threshold():
    assert OVERFLOW_THRESHOLD == exact(2 ** 54 - 1, 970)            # 2**1024 (1 - 2**-54)
    assert to_float64(OVERFLOW_THRESHOLD) == math.inf               # the tie goes to 2**1024
    assert to_float64(-OVERFLOW_THRESHOLD) == -math.inf
    below = exact((2 ** 54 - 1) * 2 ** 100 - 1, 870)                 # threshold - 2**870
    assert below < OVERFLOW_THRESHOLD
    assert to_float64(below) == MAX_FLOAT
    assert to_float64(exact(1, 1024)) == math.inf
    assert to_float64(exact(2 ** 53 - 1, 971)) == MAX_FLOAT           # exact largest double
    with mp.workprec(100):
        assert to_float64(mp.exp(mp.mpf(1e300))) == math.inf        # exponents far beyond
        assert same_double(to_float64(-mp.exp(mp.mpf(-1e300))), -0.0)


def test_specials_and_exact_values():
    assert same_double(to_float64(mp.mpf(0)), 0.0)                  # mpmath zero: +0.0
    assert to_float64(mp.inf) == math.inf and to_float64(-mp.inf) == -math.inf
    assert math.isnan(to_float64(mp.nan))
    assert to_float64(3) == 3.0 and to_float64(2 ** 1100) == math.inf   # ints are exact
    assert to_float64(2 ** 53 + 1) == 2.0 ** 53                         # ... and rounded once
    for v in (1.0, -2.5, 0.1, MAX_FLOAT, TINY, 2.0 ** -1022, 1e-310):
        assert to_float64(mp.mpf(v)) == v                               # doubles round-trip


def test_random_values_agree_with_mpfr():
    """Random 60..300-bit mantissas over the whole exponent range, plus constructed
    near-ties in the subnormal range: identical to MPFR's rounding."""
    rng = random.Random(1729)
    for _ in range(4000):
        bits = rng.randint(54, 300)
        man = rng.getrandbits(bits) | (1 << (bits - 1))
        top = rng.randint(-1130, 1030)
        x = exact(man if rng.random() < 0.5 else -man, top - bits + 1)
        assert same_double(to_float64(x), gmpy2_round(x)), x
    for _ in range(1000):
        k = rng.randint(1, 2 ** 52)
        for delta in (-1, 0, 1):                       # (k + 1/2) * 2**-1074 and neighbours
            x = exact(((2 * k + 1) << 60) + delta, -1075 - 60)
            assert same_double(to_float64(x), gmpy2_round(x)), x


def test_to_float64_rejects_non_mpmath_values():
    for bad in (1.5, "1.0", None, True):
        with pytest.raises(TypeError, match="x must be an mpmath mpf"):
            to_float64(bad)


# --- ulp ----------------------------------------------------------------------------

def test_ulp():
    assert ulp(1.0) == 2.0 ** -52                      # at a power of two: the gap above
    assert ulp(1.5) == 2.0 ** -52
    assert ulp(math.nextafter(1.0, 0.0)) == 2.0 ** -53
    assert ulp(-8.0) == ulp(8.0) == 2.0 ** -49
    assert ulp(0.0) == ulp(-0.0) == TINY                # floored at 2**-1074
    assert ulp(TINY) == ulp(1e-310) == ulp(2.0 ** -1022) == TINY
    assert ulp(MAX_FLOAT) == 2.0 ** 971
    assert ulp(math.inf) == math.inf and math.isnan(ulp(math.nan))
    for bad in ("1", True, None):
        with pytest.raises(TypeError, match="t must be a float"):
            ulp(bad)
