"""Every rule's float64 derivative formulas against its mpmath reference, in plain Python.

This checks the table itself, before any number type or compilation is involved: the
formulas run as ordinary Python floats (the same glibc libm Numba calls).
"""
import math
import random
import struct

import mpmath as mp
import pytest

from dualjit.rules import RULES

SAMPLES_PER_RANGE = 300
PREC = 256


def ulp_error(computed: float, true) -> float:
    """|computed - true| in ulps of true rounded to double (ulp floored at 2**-1074)."""
    if math.isnan(computed):
        return math.inf
    t = float(true)
    if math.isinf(t):
        return 0.0 if computed == t else math.inf
    if math.isinf(computed):
        return math.inf
    unit = max(math.ulp(t), 5e-324)
    return float(abs(mp.mpf(computed) - true) / unit)


def bit_pattern_samples(rng, lo, hi, n):
    """Floats drawn uniformly over the encodings inside [lo, hi] (finite part)."""
    out = []
    while len(out) < n:
        x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(x) and lo <= x <= hi:
            out.append(x)
    return out


def sample_args(rule, rng):
    """Points per argument: the table's ranges uniformly, bit patterns, special points."""
    points = []
    ranges = rule.sample_ranges or ((-10.0, 10.0),) * rule.arity
    if rule.arity == 1:
        for lo, hi in ranges:
            points += [(rng.uniform(lo, hi),) for _ in range(SAMPLES_PER_RANGE)]
        lo, hi = rule.domain.lo, rule.domain.hi
        points += [(x,) for x in bit_pattern_samples(rng, lo, hi, SAMPLES_PER_RANGE)]
    else:
        (xlo, xhi), (zlo, zhi) = ranges[0], ranges[1]
        points += [(rng.uniform(xlo, xhi), rng.uniform(zlo, zhi)) for _ in range(SAMPLES_PER_RANGE)]
    points += [tuple(p) if isinstance(p, tuple) else (p,) for p in rule.special_points]
    return [p for p in points if rule.domain.contains(p[0])]


def reference_values(rule, args):
    """(f, [first partials], [second partials]) at high precision, or None if undefined."""
    margs = [mp.mpf(a) for a in args]
    try:
        if rule.arity == 1:
            f, d1, d2 = rule.reference
            return f(*margs), [d1(*margs)], [d2(*margs)]
        f, firsts, seconds = rule.reference
        return f(*margs), [g(*margs) for g in firsts], [g(*margs) for g in seconds]
    except (ValueError, ZeroDivisionError):
        return None


def float_values(rule, args):
    y = rule.primal(*args)
    if rule.arity == 1:
        d1 = rule.first(args[0], y)
        return y, [d1], [rule.second(args[0], y, d1)]
    fx, fz = rule.first(*args, y)
    return y, [fx, fz], list(rule.second(*args, y, fx, fz))


def _real_finite(v):
    return isinstance(v, mp.mpf) and mp.isfinite(v) and abs(v) < mp.mpf(2) ** 1024


@pytest.mark.parametrize("rule", [r for r in RULES if not getattr(r, "algebra", False)], ids=lambda r: r.name)
def test_formulas_within_budget(rule):
    rng = random.Random(f"formulas-{rule.name}")
    worst = {1: (0.0, None), 2: (0.0, None)}
    with mp.workprec(PREC):
        for args in sample_args(rule, rng):
            try:
                y, firsts, seconds = float_values(rule, args)
            except (ValueError, OverflowError, ZeroDivisionError):
                continue  # outside the float domain: Python raises where NumPy gives NaN
            if not math.isfinite(y):
                continue
            ref = reference_values(rule, args)
            if ref is None:
                continue
            _, rfirsts, rseconds = ref
            for order, got, want in ((1, firsts, rfirsts), (2, seconds, rseconds)):
                for g, w in zip(got, want):
                    if not _real_finite(w):
                        continue
                    err = ulp_error(g, w)
                    if err > worst[order][0]:
                        worst[order] = (err, args)
    assert worst[1][0] <= rule.budget_first, (
        f"{rule.name}: first derivative {worst[1][0]:.3g} ulp at {[a.hex() for a in worst[1][1]]}"
    )
    assert worst[2][0] <= rule.budget_second, (
        f"{rule.name}: second derivative {worst[2][0]:.3g} ulp at {[a.hex() for a in worst[2][1]]}"
    )
