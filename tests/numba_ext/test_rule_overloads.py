"""Every rule, every target, every number type, generated from the rule table.

For each (rule, target): the value part is bit-for-bit what Numba's own primal returns
for the same call; first and second derivatives are within the row's ulp budget of the
mpmath reference; Dual, vector Dual and HyperDual agree exactly with each other.
"""
import math

import numba
import numpy as np
import pytest

from dualjit import Dual, HyperDual
from dualjit.certify.engine import binary_kernel, unary_kernel
from dualjit.numba_ext.rules import INT_VALUED
from dualjit.rules import RULES
from reference import WorstCase, reference_values, sample_args

POINTS_PER_RANGE = 60
SEEDS = (1.0, 2.0, -0.5)  # vector partials: exact multiples of the scalar derivative

CASES = [(r, t) for r in RULES for t in r.targets if t not in INT_VALUED]


# The kernels (one per target, every number type in one pass) are the certifier's own.
_unary_kernel, _binary_kernel = unary_kernel, binary_kernel


def _same(a, b):
    """Bit-for-bit equality, NaN equal to NaN (for values: the sign of zero counts)."""
    return (a == b and math.copysign(1, a) == math.copysign(1, b)) or (a != a and b != b)


def _agree(a, b):
    """Equal derivative parts; the sign of a zero derivative carries no meaning."""
    return a == b or (a != a and b != b)


def _evaluate(rule, target):
    points = sample_args(rule, POINTS_PER_RANGE, seed="engine")
    cols = np.array(points, dtype=np.float64)
    if rule.arity == 1:
        out = np.empty((len(points), 11))
        _unary_kernel(target)(cols[:, 0], out)
    else:
        out = np.empty((len(points), 18))
        _binary_kernel(target)(cols[:, 0], cols[:, 1], out)
    return points, out


@pytest.mark.parametrize("rule,target", CASES, ids=lambda c: getattr(c, "name", None) or getattr(c, "__name__", str(c)))
def test_rule_on_every_number_type(rule, target):
    points, out = _evaluate(rule, target)
    values = (1, 3, 7) if rule.arity == 1 else (1, 3, 5, 8, 11, 14)
    for args, row in zip(points, out):
        for col in values:
            assert _same(row[col], row[0]), (
                f"{rule.name} via {target}: value {row[col]!r} is not the primal {row[0]!r} "
                f"at {[a.hex() for a in args]}")
        if rule.arity == 1:
            d, h1, h2, v = row[2], row[4], row[5], row[8:11]
            assert _agree(h1, d) and _agree(h2, d), f"{rule.name}: HyperDual e1/e2 differ from Dual at {args}"
            for s, p in zip(SEEDS, v):
                assert _agree(p, float(d) * s), f"{rule.name}: vector Dual partials differ at {args}"
        else:
            assert _agree(row[6], row[2]) and _agree(row[7], row[4]), f"{rule.name}: Dual[2] differs at {args}"
            assert _agree(row[9], row[2]) and _agree(row[12], row[4]), f"{rule.name}: HyperDual differs at {args}"
            assert _agree(row[15], row[2]) and _agree(row[16], row[4]), f"{rule.name}: HyperDual pair differs at {args}"

    first, second = WorstCase(f"{rule.name} f'"), WorstCase(f"{rule.name} f''")
    for args, row in zip(points, out):
        if not math.isfinite(row[0]):
            continue
        ref = reference_values(rule, args)
        if ref is None:
            continue
        _, rfirst, rsecond = ref
        if rule.arity == 1:
            first.add(row[2], rfirst[0], args)
            second.add(row[6], rsecond[0], args)
        else:
            first.add(row[2], rfirst[0], args)
            first.add(row[4], rfirst[1], args)
            second.add(row[10], rsecond[0], args)
            second.add(row[17], rsecond[1], args)
            second.add(row[13], rsecond[2], args)
    assert first.err <= rule.budget_first, first.message()
    assert second.err <= rule.budget_second, second.message()


@pytest.mark.parametrize("target", INT_VALUED, ids=lambda t: t.__name__)
def test_integer_valued_math_functions_return_the_primal_int(target):
    @numba.njit
    def both(x):
        return target(x), target(Dual(x, 1.0)), target(HyperDual(x, 1.0, 1.0, 0.0))

    for x in (-2.5, -2.0, -0.0, 0.3, 7.0, 1e15 + 0.5):
        p, d, h = both(x)
        assert p == d == h and isinstance(d, int)
