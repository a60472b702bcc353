"""dualjit.enclose: guaranteed enclosures and the reliability flag."""
import math

import mpmath as mp
import numba
import numpy as np
import pytest

import dualjit
from dualjit import Interval

from api.functions import rosenbrock


@numba.njit(error_model="numpy", cache=True)
def cancelling(x):
    """(x² − 4)/(x − 2): derivative 1 for every x ≠ 2."""
    return (x * x - 4.0) / (x - 2.0)


@numba.njit(error_model="numpy", cache=True)
def branchy(x):
    if x > 1.0:
        return x * x
    return -x


def test_cancellation_is_flagged_and_the_enclosure_holds_the_truth():
    for gamma in (1e-10, 1e-12, 1e-15):
        e = dualjit.enclose(cancelling, 2.0 + gamma)
        assert e.point_derivative == 2.0          # what every framework returns
        assert e.derivative.contains(1.0)         # the truth
        assert e.reliable is False
        assert e.derivative_error >= abs(2.0 - 1.0)


def test_a_well_conditioned_point_is_certified():
    e = dualjit.enclose(cancelling, 2.5, order=2)
    assert e.derivative == Interval(1.0) and e.second_derivative == Interval(0.0)
    assert e.reliable is True
    assert "reliable" in repr(e) and "UNRELIABLE" not in repr(e)


def test_interval_input_encloses_the_range():
    e = dualjit.enclose(cancelling, Interval(3.0, 4.0), order=2)
    assert e.point_derivative is None and e.reliable is None
    assert e.value.contains(Interval(5.0, 6.0)) and e.derivative.contains(1.0)


def test_gradient_form_contains_the_exact_gradient():
    x = np.array([1.2, 0.8, 0.5, -0.3])
    e = dualjit.enclose(rosenbrock, x)
    with mp.workprec(200):
        xs = [mp.mpf(float(v)) for v in x]
        n = len(xs)
        grad = [mp.mpf(0)] * n
        for i in range(n - 1):
            grad[i] += -400 * xs[i] * (xs[i + 1] - xs[i] ** 2) - 2 * (1 - xs[i])
            grad[i + 1] += 200 * (xs[i + 1] - xs[i] ** 2)
        for g, t in zip(e.gradient, grad):
            assert g.lo <= t <= g.hi
    assert e.reliable is True
    assert len(e.gradient) == 4


def test_branches_the_enclosure_cannot_decide_raise():
    assert dualjit.enclose(branchy, 3.0).derivative == Interval(6.0)
    with pytest.raises(ValueError, match="undecided"):
        dualjit.enclose(branchy, Interval(0.5, 2.0))


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(x=math.nan), ValueError, "x is NaN"),
    (dict(x=math.inf), ValueError, "x is infinite"),
    (dict(x="1"), TypeError, "x must be a real number, an Interval"),
    (dict(x=[[1.0]]), ValueError, "nested sequence"),
    (dict(x=1.0, order=3), ValueError, "order must be 1 or 2"),
    (dict(x=[1.0, 2.0], order=2), ValueError, "order=2 needs a scalar x"),
    (dict(x=1.0, tolerance_ulps=-1), ValueError, "tolerance_ulps"),
])
def test_bad_input_is_refused_before_any_work(kwargs, error, message):
    with pytest.raises(error, match=message):
        dualjit.enclose(cancelling, **kwargs)
