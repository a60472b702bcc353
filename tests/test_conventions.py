"""Every non-differentiable point listed in the rule table returns its stated derivative,
through every callable of the rule and on both Dual and HyperDual."""
import math

import numba
import pytest

from dualjit import Dual, HyperDual
from dualjit.numba_ext.rules import INT_VALUED
from dualjit.rules import RULES

CASES = [(r, k, p, e, t) for r in RULES for k in r.kinks
         for p, e in zip(k.points, k.expected_first) for t in r.targets if t not in INT_VALUED]


def _same(a, b):
    return a == b or (math.isnan(a) and math.isnan(b))


def _first_partials(target, point):
    if len(point) == 1:
        f = numba.njit(lambda x: (target(Dual(x, 1.0)).partials[0],
                                  target(HyperDual(x, 1.0, 1.0, 0.0)).e1[0]))
        d, h = f(point[0])
        return (d,), (h,)
    f = numba.njit(lambda x, z: (target(Dual(x, (1.0, 0.0)), Dual(z, (0.0, 1.0))).partials,
                                 target(HyperDual(x, (1.0, 0.0), 0.0), HyperDual(z, (0.0, 1.0), 0.0)).e1))
    return f(*point)


def test_every_kink_row_lists_points():
    for r in RULES:
        for k in r.kinks:
            assert k.points and len(k.points) == len(k.expected_first), (r.name, k.where)


@pytest.mark.parametrize("rule,kink,point,expected,target", CASES,
                         ids=[f"{c[0].name}-{c[1].where}-{c[2]}-{getattr(c[4], '__name__', c[4])}"
                              for c in CASES])
def test_kink_convention(rule, kink, point, expected, target):
    dual, hyper = _first_partials(target, point)
    for got in (dual, hyper):
        assert all(_same(g, e) for g, e in zip(got, expected)), (
            f"{rule.name} at {point}: got {got}, the table says {expected} ({kink.convention})")
