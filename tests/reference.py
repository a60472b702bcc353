"""Test-side reference machinery: sampling a rule's domain, mpmath references, ulps.

A light version of what the certification oracle does at scale; the tests need only
enough points to catch a wrong formula, deterministically.
"""
from __future__ import annotations

import math
import random
import struct

import mpmath as mp

PREC = 256


def ulp_error(computed: float, true) -> float:
    """|computed - true| in ulps of true rounded to double (ulp floored at 2**-1074).

    NaN computed against a finite truth, or a wrong infinity, is infinitely wrong.
    """
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


def sample_args(rule, n_per_range, seed="rules"):
    """Points (tuples, one float per argument): the table's uniform ranges, encodings
    across the domain (unary rules), and the row's special points."""
    rng = random.Random(f"{seed}-{rule.name}")
    points = []
    ranges = rule.sample_ranges or ((-10.0, 10.0),) * rule.arity
    if rule.arity == 1:
        for lo, hi in ranges:
            points += [(rng.uniform(lo, hi),) for _ in range(n_per_range)]
        points += [(x,) for x in bit_pattern_samples(rng, rule.domain.lo, rule.domain.hi, n_per_range)]
    else:
        (xlo, xhi), (zlo, zhi) = ranges[0], ranges[1]
        points += [(rng.uniform(xlo, xhi), rng.uniform(zlo, zhi)) for _ in range(n_per_range)]
    points += [tuple(p) if isinstance(p, tuple) else (p,) for p in rule.special_points]
    return [p for p in points if rule.domain.contains(p[0])]


def reference_values(rule, args):
    """(f, [first partials], [second partials]) at high precision, or None if undefined."""
    margs = [mp.mpf(a) for a in args]
    try:
        with mp.workprec(PREC):
            if rule.arity == 1:
                f, d1, d2 = rule.reference
                return f(*margs), [d1(*margs)], [d2(*margs)]
            f, firsts, seconds = rule.reference
            return f(*margs), [g(*margs) for g in firsts], [g(*margs) for g in seconds]
    except (ValueError, ZeroDivisionError):
        return None


def real_finite(v) -> bool:
    return isinstance(v, mp.mpf) and mp.isfinite(v) and abs(v) < mp.mpf(2) ** 1024


class WorstCase:
    """Track the worst ulp error and where it happened, for a readable assertion."""

    def __init__(self, label):
        self.label, self.err, self.args, self.got, self.want = label, 0.0, None, None, None

    def add(self, got, want, args):
        if not real_finite(want):
            return
        err = ulp_error(got, want)
        if err > self.err:
            self.err, self.args, self.got, self.want = err, args, got, want

    def message(self):
        if self.args is None:
            return f"{self.label}: no error"
        return (f"{self.label}: {self.err:.3g} ulp at {[a.hex() for a in self.args]} "
                f"(got {self.got!r}, want {mp.nstr(self.want, 17)})")
