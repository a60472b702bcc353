"""The native Interval type and numbers with Interval components in compiled code."""
import math

import numba
import numpy as np
import pytest
from numba.core.errors import TypingError

import dualjit
from dualjit import Dual, HyperDual, Interval
from dualjit.types import interval as I

JIT = dict(error_model="numpy", cache=True)


@numba.njit(**JIT)
def four_ops(a, b, c, d):
    x, y = Interval(a, b), Interval(c, d)
    return x + y, x - y, x * y, x / y, -x, x * 2.0, 1.0 / y, x + 1


def test_compiled_arithmetic_is_the_python_algebra_bit_for_bit():
    rng = np.random.default_rng(11)
    for _ in range(300):
        a, b = np.sort(rng.uniform(-5, 5, 2) * 10.0 ** rng.integers(-20, 20))
        c, d = np.sort(rng.uniform(-5, 5, 2) * 10.0 ** rng.integers(-20, 20))
        x, y = Interval(a, b), Interval(c, d)
        expected = (I.add(x, y), I.sub(x, y), I.mul(x, y), I.div(x, y), I.neg(x),
                    I.mul(x, I.point(2.0)), I.div(I.point(1.0), y), I.add(x, I.point(1.0)))
        got = four_ops(a, b, c, d)
        for g, e in zip(got, expected):
            assert (g.lo, g.hi) == (e.lo, e.hi) or (g.is_empty and e.is_empty)


@numba.njit(**JIT)
def construct(lo, hi):
    return Interval(lo, hi)


@pytest.mark.parametrize("lo,hi,message", [
    (2.0, 1.0, "lo must not exceed hi"),
    (math.nan, 1.0, "NaN"),
    (math.inf, math.inf, "cannot be"),
])
def test_compiled_constructor_checks_its_bounds(lo, hi, message):
    with pytest.raises(ValueError, match=message):
        construct(lo, hi)


@numba.njit(**JIT)
def queries(x, v):
    return x.lo, x.hi, x.width, x.mid, x.contains(v), x.is_empty


def test_boxing_round_trip_and_queries():
    x = Interval(1.0, 3.0)
    assert queries(x, 2.5) == (1.0, 3.0, 2.0, 2.0, True, False)
    r = construct(-1.5, 2.0)
    assert isinstance(r, Interval) and (r.lo, r.hi) == (-1.5, 2.0)


HALF = Interval(0.5, 0.5)


@numba.njit(**JIT)
def uses_global(x):
    return x * HALF


def test_interval_constants_are_compiled_in():
    assert uses_global(Interval(2.0, 4.0)) == Interval(1.0, 2.0)


@numba.njit(**JIT)
def less(x, y):
    return x < y


def test_compiled_comparisons_hold_for_all_members_or_raise():
    assert less(Interval(1, 2), Interval(3, 4))
    assert not less(Interval(3, 4), Interval(1, 2))
    with pytest.raises(ValueError, match="undecided"):
        less(Interval(1, 3), Interval(2, 4))


@numba.njit(**JIT)
def quadratic(x):
    return x * x - 3.0 * x + 1.0


@numba.njit(**JIT)
def interval_dual(v):
    return quadratic(Dual(Interval(v), Interval(1.0)))


@numba.njit(**JIT)
def interval_hyperdual(v):
    one = Interval(1.0)
    return quadratic(HyperDual(Interval(v), one, one, 0.0))


def test_dual_and_hyperdual_with_interval_components():
    r = interval_dual(2.0)
    assert isinstance(r, Dual) and isinstance(r.value, Interval)
    assert r.value == Interval(-1.0) and r.partials[0] == Interval(1.0)
    h = interval_hyperdual(0.1)
    for part, exact in ((h.value, 0.1 ** 2 - 0.3 + 1), (h.e1[0], 2 * 0.1 - 3), (h.e12[0], 2.0)):
        assert part.contains(exact) and part.width < 1e-15


def test_interval_numbers_box_to_python_numbers_with_interval_parts():
    assert repr(interval_dual(2.0)) == "Dual(Interval(-1.0, -1.0), Interval(1.0, 1.0))"
    assert numba.typeof(interval_dual(2.0)).name == "Dual[1, Interval]"


def test_an_interval_does_not_mix_with_float_duals():
    @numba.njit
    def mixed(v):
        return Dual(v, 1.0) * Interval(1.0, 2.0)

    with pytest.raises(TypingError, match="components are Intervals"):
        mixed(1.0)


def test_math_function_without_interval_extension_is_named():
    @numba.njit
    def uses_gcd_like(v):
        return math.erf(Interval(v)) + math.lgamma(Interval(v)) + math.ldexp(Interval(v), 2)

    with pytest.raises(TypingError, match="no interval extension for math.ldexp"):
        uses_gcd_like(1.0)


def test_exported():
    assert {"Interval", "enclose", "Enclosures"} <= set(dualjit.__all__)
