"""dualjit.testing: oracle-based derivative checks, and the demonstration that they
catch rules a finite-difference check at rtol 1e-3 passes."""
import math
import re

import mpmath as mp
import numba
import numpy as np
import pytest

from dualjit.rules import RULES_BY_NAME
from dualjit.testing import (DEFAULT_MAX_ULP, DEFAULT_MAX_ULP_SECOND, DerivativeCheckError,
                             RuleCheckError, RuleCheckResult, check_derivatives, check_rule)

HEX = re.compile(r"-?0x1\.[0-9a-f]+p[+-]\d+")

# The grid a typical finite-difference test would use.
GRID = np.linspace(-5.0, 5.0, 101)


def central_difference_passes(primal, first, points, rtol=1e-3):
    """The usual test: first(x, primal(x)) ~ (f(x+h) - f(x-h)) / 2h at rtol 1e-3."""
    for x in points:
        h = 1e-6 * max(1.0, abs(x))
        fd = (primal(x + h) - primal(x - h)) / (2 * h)
        if not math.isclose(first(x, primal(x)), fd, rel_tol=rtol, abs_tol=1e-12):
            return False
    return True


@numba.njit
def smooth(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


@numba.njit
def cancelling(x):
    return (1.0 - math.cos(x)) / (x * x)


@numba.njit
def with_abs(x):
    return abs(x) + x


@numba.njit
def field(v):
    return v[0] * v[1] + math.sin(v[0]) * math.exp(-v[1])


# --------------------------------------------------------------------------- check_derivatives

def test_default_budgets_come_from_the_rule_table():
    worst1 = max(r.budget_first for r in RULES_BY_NAME.values())
    worst2 = max(r.budget_second for r in RULES_BY_NAME.values())
    assert DEFAULT_MAX_ULP == 4 * worst1 == 16
    assert DEFAULT_MAX_ULP_SECOND == 4 * worst2 == 32


def test_check_derivatives_passes_scalar_and_second_order():
    cert = check_derivatives(smooth, 1.5, order=2)
    assert cert.derivative_ulp <= DEFAULT_MAX_ULP
    assert cert.second_derivative_ulp <= DEFAULT_MAX_ULP_SECOND


def test_check_derivatives_passes_gradient():
    cert = check_derivatives(field, np.array([0.75, -1.25]))
    assert len(cert.gradient) == 2 and cert.max_gradient_ulp <= DEFAULT_MAX_ULP


def test_check_derivatives_fails_with_hex_expected_actual_and_ulps():
    with pytest.raises(DerivativeCheckError) as info:
        check_derivatives(cancelling, 1e-4)
    msg = str(info.value)
    assert (1e-4).hex() in msg
    assert "expected" in msg and "actual" in msg and "ulp error" in msg
    assert "cancels" in msg                       # the primal is also far off: explained
    assert isinstance(info.value, AssertionError)  # pytest shows it as a failed assert
    cert = info.value.certificate
    assert cert.derivative_ulp > 1e6
    assert info.value.failures[0]["label"] == "f'(x)"
    # An explicit budget large enough lets it through.
    check_derivatives(cancelling, 1e-4, max_ulp=math.inf, check_value=False)


def test_check_derivatives_kinks_fail_unless_allowed():
    with pytest.raises(DerivativeCheckError, match="non-differentiable"):
        check_derivatives(with_abs, 0.0)
    check_derivatives(with_abs, 0.0, allow_kinks=True)


def test_check_derivatives_gradient_message_has_every_coordinate_in_hex():
    x = np.array([0.1, 3.0])
    with pytest.raises(DerivativeCheckError) as info:
        check_derivatives(field, x, max_ulp=0.0)
    msg = str(info.value)
    assert "0x1.999999999999ap-4" in msg and "0x1.8000000000000p+1" in msg


@pytest.mark.parametrize("kwargs, exc, word", [
    ({"order": 3}, ValueError, "order"),
    ({"order": True}, TypeError, "order"),
    ({"order": 1.0}, TypeError, "order"),
    ({"max_ulp": -1}, ValueError, "max_ulp"),
    ({"max_ulp": "4"}, TypeError, "max_ulp"),
    ({"max_ulp_second": math.nan}, ValueError, "max_ulp_second"),
    ({"check_value": 1}, TypeError, "check_value"),
    ({"allow_kinks": None}, TypeError, "allow_kinks"),
])
def test_check_derivatives_validates_keyword_arguments(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        check_derivatives(smooth, 1.0, **kwargs)


def test_check_derivatives_validates_f_and_x():
    with pytest.raises(TypeError, match="f must be"):
        check_derivatives(math.sin, 1.0)
    with pytest.raises(TypeError, match="x must be"):
        check_derivatives(smooth, "1.0")
    with pytest.raises(TypeError, match="x must be"):
        check_derivatives(smooth, True)
    with pytest.raises(TypeError, match="x must be"):
        check_derivatives(field, np.ones((2, 2)))
    with pytest.raises(ValueError, match="order=2 needs a scalar x"):
        check_derivatives(field, np.ones(2), order=2)


# --------------------------------------------------------------------------- check_rule

def test_check_rule_accepts_a_builtin_row():
    res = check_rule(RULES_BY_NAME["tanh"], n=60)
    assert isinstance(res, RuleCheckResult) and res.passed
    assert res.points > 50
    assert res.max_ulp_first <= RULES_BY_NAME["tanh"].budget_first


def test_check_rule_binary_builtin_row():
    res = check_rule(RULES_BY_NAME["atan2"], n=40)
    assert res.passed and res.points > 0


def test_check_rule_correct_user_rule_with_derived_reference():
    def primal(x):
        return math.sin(x)

    res = check_rule(primal, lambda x, y: math.cos(x), lambda x, y, d1: -y, n=60)
    assert res.passed and res.max_ulp_second <= 4


def test_check_rule_user_rule_with_analytic_reference():
    res = check_rule(math.exp, lambda x, y: y, lambda x, y, d1: y,
                     reference=(mp.exp, mp.exp, mp.exp), domain=(-700.0, 700.0), n=60)
    assert res.passed


def test_check_rule_binary_user_rule_catches_overflow_in_a_naive_hypot():
    # hypot' = x / hypot(x, z) is fine until hypot overflows: at (-MAX, -MAX) the
    # partials are -1/sqrt(2) but x / inf is -0.
    with pytest.raises(RuleCheckError, match="zero where the truth is not") as info:
        check_rule(lambda x, z: math.hypot(x, z), lambda x, z, y: (x / y, z / y),
                   name="naive_hypot", n=40)
    assert "0x1.fffffffffffffp+1023" in str(info.value)


@pytest.mark.parametrize("kwargs, exc, word", [
    ({"first": None}, TypeError, "first"),
    ({"second": 3}, TypeError, "second"),
    ({"n": 0}, ValueError, "n must"),
    ({"arity": 3}, ValueError, "arity"),
    ({"domain": (1.0, 0.0)}, ValueError, "domain"),
    ({"domain": "R"}, TypeError, "domain"),
    ({"points": []}, ValueError, "points"),
    ({"points": [(1.0, 2.0)]}, TypeError, r"points\[0\]"),
    ({"reference": (mp.sin,)}, TypeError, "reference"),
    ({"max_ulp": -2}, ValueError, "max_ulp"),
])
def test_check_rule_validates_arguments(kwargs, exc, word):
    args = {"first": lambda x, y: math.cos(x)}
    args.update(kwargs)
    first = args.pop("first")
    with pytest.raises(exc, match=word):
        check_rule(math.sin, first, **args)


def test_check_rule_refuses_overrides_of_a_row():
    with pytest.raises(TypeError, match="domain must not be given with a Rule"):
        check_rule(RULES_BY_NAME["sin"], domain=(0.0, 1.0))


def test_check_rule_second_needs_a_second_reference():
    with pytest.raises(ValueError, match="second-derivative"):
        check_rule(math.sin, lambda x, y: math.cos(x), lambda x, y, d1: -y,
                   reference=(mp.sin, mp.cos))


# --------------------------------------------------------------------------- the demonstration

def _tanh(x):
    return math.tanh(x)


def tanh_first_from_output(x, y):
    """tanh' = 1 - tanh(x)**2, from the *rounded* tanh: cancels as |x| grows."""
    return 1.0 - y * y


def test_demo_tanh_from_rounded_output_passes_fd_but_not_check_rule():
    assert central_difference_passes(math.tanh, tanh_first_from_output, GRID)
    with pytest.raises(RuleCheckError) as info:
        check_rule(_tanh, tanh_first_from_output, points=GRID)
    msg = str(info.value)
    res = info.value.result
    assert res.max_ulp_first > 1000          # ~3.5e3 ulps at x = ±4.9
    assert (4.9).hex() in msg or (-4.9).hex() in msg
    assert "expected" in msg and "actual" in msg
    # The correct rule (dualjit's own row) passes on the same points.
    assert check_rule(RULES_BY_NAME["tanh"].primal, RULES_BY_NAME["tanh"].first,
                      points=GRID, name="tanh").passed


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def test_demo_sigmoid_s_times_one_minus_s_passes_fd_but_not_check_rule():
    def first(x, s):
        return s * (1.0 - s)

    assert central_difference_passes(_sigmoid, first, GRID)
    with pytest.raises(RuleCheckError) as info:
        check_rule(_sigmoid, first, points=GRID)
    assert info.value.result.max_ulp_first > 50   # ~140 ulps at x = 5
    assert HEX.search(str(info.value))


def test_demo_relative_bias_of_1e_minus_6_passes_fd_but_not_check_rule():
    def first(x, y):
        return math.cos(x) * (1.0 + 1e-6)

    assert central_difference_passes(math.sin, first, GRID)
    with pytest.raises(RuleCheckError) as info:
        check_rule(lambda x: math.sin(x), first, points=GRID, name="biased_sin")
    assert info.value.result.max_ulp_first > 1e9  # 1e-6 relative = ~4.5e9 ulps
    assert "biased_sin" in str(info.value)
