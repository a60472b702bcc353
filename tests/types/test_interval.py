"""The interval algebra in plain Python: validation, IEEE 1788 set semantics, and
containment + tightness of + - * / against exact rational arithmetic."""
import math
import random
from fractions import Fraction

import pytest

from dualjit import Interval
from dualjit.types import interval as I

INF = math.inf


def tightest(t: Fraction):
    """The tightest double interval around the exact rational t."""
    near = float(t)
    lo = near if Fraction(near) <= t else math.nextafter(near, -INF)
    hi = near if Fraction(near) >= t else math.nextafter(near, INF)
    return lo, hi


def random_double(rng):
    kind = rng.random()
    if kind < 0.1:
        return rng.choice([0.0, -0.0, 5e-324, -5e-324, 1.0, -1.0, 2.0 ** 1000, -3.0])
    return rng.uniform(-1.0, 1.0) * 2.0 ** rng.randint(-1060, 1020)


def in_eft_range(name, a, b):
    big, small = 2.0 ** 995, 2.0 ** -968
    if name in ("add", "sub"):
        return math.isfinite(a + b) and math.isfinite(a - b)
    if name == "mul":
        return abs(a) < big and abs(b) < big and (a * b == 0 or small <= abs(a * b) < big)
    return abs(b) < big and a != 0 and small <= abs(a) and abs(a / b) < big


OPS = [("add", I.add, lambda a, b: a + b), ("sub", I.sub, lambda a, b: a - b),
       ("mul", I.mul, lambda a, b: a * b), ("div", I.div, lambda a, b: a / b)]


@pytest.mark.parametrize("name,op,exact", OPS, ids=[o[0] for o in OPS])
def test_point_operations_contain_and_are_tightest_in_the_eft_range(name, op, exact):
    rng = random.Random(17)
    tight = total = 0
    for _ in range(4000):
        a, b = random_double(rng), random_double(rng)
        if name == "div" and b == 0.0:
            continue
        r = op(I.point(a), I.point(b))
        t = exact(Fraction(a), Fraction(b))
        assert (r.lo == -INF or Fraction(r.lo) <= t) and (r.hi == INF or t <= Fraction(r.hi)), \
            f"{name}({a.hex()}, {b.hex()}) = {r} misses the exact result"
        if in_eft_range(name, a, b):
            total += 1
            tight += (r.lo, r.hi) == tightest(t)
    # Outside the range of the error-free transformations a bound may be one float wider;
    # inside it, pred/succ miss the neighbouring float only near powers of two.
    assert tight / total > 0.99, f"{name}: only {tight} of {total} results are the tightest"


def test_interval_operands_contain_every_exact_combination():
    rng = random.Random(3)
    for _ in range(500):
        a, b = sorted(rng.uniform(-4, 4) for _ in range(2))
        c, d = sorted(rng.uniform(-4, 4) for _ in range(2))
        x, y = Interval(a, b), Interval(c, d)
        for _, op, exact in OPS:
            r = op(x, y)
            for s in (a, b, (a + b) / 2):
                for t in (c, d, (c + d) / 2):
                    if op is I.div and t == 0:
                        continue
                    v = exact(Fraction(s), Fraction(t))
                    assert (r.lo == -INF or Fraction(r.lo) <= v) and (r.hi == INF or v <= Fraction(r.hi))


@pytest.mark.parametrize("x,y,expected", [
    ((1, 2), (0, 0), "empty"),
    ((0, 0), (-1, 1), (0.0, 0.0)),
    ((1, 2), (-1, 1), (-INF, INF)),
    ((1, 2), (0, 4), (0.25, INF)),
    ((1, 2), (-4, 0), (-INF, -0.25)),
    ((-2, -1), (0, 4), (-INF, -0.25)),
    ((-2, -1), (-4, 0), (0.25, INF)),
    ((0, 2), (0, 4), (0.0, INF)),
    ((-2, 0), (0, 4), (-INF, 0.0)),
    ((0, 2), (-4, 0), (-INF, 0.0)),
    ((-1, 2), (0, 4), (-INF, INF)),
    ((1, INF), (1, INF), (0.0, INF)),
])
def test_division_by_intervals_holding_zero_follows_ieee_1788(x, y, expected):
    r = I.div(Interval(*x), Interval(*y))
    if expected == "empty":
        assert r.is_empty
    else:
        assert (r.lo, r.hi) == expected


def test_zero_times_the_real_line_is_zero_and_empty_propagates():
    assert I.mul(Interval(0.0), Interval.entire()) == Interval(0.0)
    for op in (I.add, I.sub, I.mul, I.div):
        assert op(Interval.empty(), Interval(1, 2)).is_empty
        assert op(Interval(1, 2), Interval.empty()).is_empty


def test_overflow_gives_a_half_line_beyond_the_largest_double():
    r = I.mul(Interval(1e308), Interval(10.0))
    assert r.hi == INF and r.lo > 1.79e308


@pytest.mark.parametrize("args,message", [
    ((2.0, 1.0), "lo must not exceed hi"),
    ((math.nan, 1.0), "NaN"),
    ((0.0, math.nan), "NaN"),
    ((INF, INF), "contains no real number"),
    ((-INF, -INF), "contains no real number"),
])
def test_invalid_bounds_raise_value_errors_naming_the_problem(args, message):
    with pytest.raises(ValueError, match=message):
        Interval(*args)


def test_bounds_must_be_real_numbers():
    with pytest.raises(TypeError, match="lo must be a real number"):
        Interval("1")
    with pytest.raises(TypeError, match="hi must be a real number"):
        Interval(1.0, None or [2.0])


def test_queries_follow_ieee_1788():
    assert Interval.empty().is_empty and math.isnan(Interval.empty().width)
    assert Interval.entire().mid == 0.0
    assert Interval(-INF, 3.0).mid == -I.MAX and Interval(3.0, INF).mid == I.MAX
    assert Interval(1.0, 3.0).mid == 2.0 and Interval(1.0, 3.0).width == 2.0
    assert Interval(1.0, 3.0).contains(2.0) and not Interval(1.0, 3.0).contains(3.5)
    assert Interval(1.0, 3.0).contains(Interval(1.5, 2.0)) and Interval(1, 2).contains(Interval.empty())
    assert repr(Interval(1.0, 2.0)) == "Interval(1.0, 2.0)" and repr(Interval.empty()) == "Interval.empty()"
    assert Interval(2.0) == 2.0 and Interval(1, 2) != Interval(1, 3)
    with pytest.raises(TypeError, match="arbitrary point"):
        float(Interval(1.0))


def test_order_comparisons_hold_for_all_members_or_raise():
    assert Interval(1, 2) < Interval(3, 4) and not (Interval(3, 4) < Interval(1, 2))
    assert Interval(1, 2) <= 2.0 and not (Interval(1, 2) > 2.0)
    with pytest.raises(ValueError, match="undecided"):
        Interval(1, 3) < Interval(2, 4)


def test_widening_for_libm_results_bounds_every_real_within_the_stated_ulps():
    rng = random.Random(5)
    for _ in range(2000):
        r = rng.uniform(-1, 1) * 2.0 ** rng.randint(-1074, 1023)
        k = rng.choice([0.5, 1.0, 2.0, 4.0])
        lo, hi = I.lower(r, k), I.upper(r, k)
        reach = Fraction(k) * Fraction(math.ulp(abs(r)) if r else 5e-324)
        assert Fraction(lo) <= Fraction(r) - reach and Fraction(r) + reach <= Fraction(hi)
