"""Every rule's float64 derivative formulas against its mpmath reference, in plain Python.

This checks the table itself, before any number type or compilation is involved: the
formulas run as ordinary Python floats (the same glibc libm Numba calls).
"""
import math

import pytest

from dualjit.rules import RULES
from reference import WorstCase, reference_values, sample_args

SAMPLES_PER_RANGE = 300


def float_values(rule, args):
    y = rule.primal(*args)
    if rule.arity == 1:
        d1 = rule.first(args[0], y)
        return y, [d1], [rule.second(args[0], y, d1)]
    fx, fz = rule.first(*args, y)
    return y, [fx, fz], list(rule.second(*args, y, fx, fz))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_formulas_within_budget(rule):
    first, second = WorstCase(f"{rule.name} f'"), WorstCase(f"{rule.name} f''")
    for args in sample_args(rule, SAMPLES_PER_RANGE, seed="formulas"):
        try:
            y, firsts, seconds = float_values(rule, args)
        except (ValueError, OverflowError, ZeroDivisionError):
            continue  # Python's math raises where Numba and NumPy return NaN/inf
        ref = reference_values(rule, args)
        if ref is None or not math.isfinite(float(y)):
            continue
        for got, want in zip(firsts, ref[1]):
            first.add(got, want, args)
        for got, want in zip(seconds, ref[2]):
            second.add(got, want, args)
    assert first.err <= rule.budget_first, first.message()
    assert second.err <= rule.budget_second, second.message()
