"""Precision escalation (dualjit.oracle.precision)."""
import dataclasses
import math

import mpmath as mp
import pytest
from mpmath.libmp import NoConvergence

from dualjit.oracle import (DEFAULT_POLICY, OK, OVERFLOW, UNDEFINED, UNRESOLVED,
                            PrecisionPolicy, ReferenceBugError, current_policy, evaluate,
                            precision_policy, to_float64)
from dualjit.rules import RULES_BY_NAME


def at_bits(fn, x, bits):
    """One plain evaluation of fn(x) at a fixed working precision, rounded to a double."""
    with mp.workprec(bits):
        return to_float64(fn(mp.mpf(x)))


# --- the policy ---------------------------------------------------------------------

def test_default_policy_and_ladder():
    assert DEFAULT_POLICY == PrecisionPolicy() == PrecisionPolicy(126, 4096)
    assert DEFAULT_POLICY.start == 2 * 53 + 20
    assert DEFAULT_POLICY.ladder == (126, 4 * 53, 424, 848, 1696, 3392, 4096)
    assert PrecisionPolicy(start=200, cap=1000).ladder == (200, 253, 506, 1000)
    assert PrecisionPolicy(start=64, cap=212).ladder == (64, 212)
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_POLICY.cap = 8192


@pytest.mark.parametrize("kwargs, exc, pattern", [
    (dict(start=True), TypeError, "start must be an int"),
    (dict(start=126.0), TypeError, "start must be an int"),
    (dict(start="126"), TypeError, "start must be an int"),
    (dict(start=53), ValueError, "start must be between 60 and"),
    (dict(cap=4096.0), TypeError, "cap must be an int"),
    (dict(cap=200), ValueError, "cap must be at least the second precision 212"),
    (dict(start=300, cap=340), ValueError, "cap must be at least the second precision 353"),
    (dict(cap=1 << 30), ValueError, "cap must be between"),
])
def test_policy_validation_names_the_argument(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        PrecisionPolicy(**kwargs)


def test_policy_context():
    assert current_policy() is DEFAULT_POLICY
    with precision_policy(cap=848) as outer:
        assert current_policy() is outer and outer.ladder == (126, 212, 424, 848)
        with precision_policy(PrecisionPolicy(start=200, cap=1000)):
            assert current_policy().ladder == (200, 253, 506, 1000)
        assert current_policy() is outer
    assert current_policy() is DEFAULT_POLICY
    with pytest.raises(TypeError, match="policy must be a PrecisionPolicy"):
        with precision_policy("fast"):
            pass
    with pytest.raises(ValueError, match="policy: give either"):
        with precision_policy(DEFAULT_POLICY, cap=848):
            pass
    with pytest.raises(ValueError, match="cap must be"):
        with precision_policy(cap=100):
            pass
    with pytest.raises(TypeError, match="policy must be a PrecisionPolicy or None"):
        evaluate(mp.exp, (1.0,), policy=4096)


def test_evaluate_argument_checks():
    with pytest.raises(TypeError, match="fn must be callable"):
        evaluate(3.0, (1.0,))
    with pytest.raises(TypeError, match="args must be a tuple"):
        evaluate(mp.exp, 1.0)
    with pytest.raises(TypeError, match=r"args\[1\] must be a float"):
        evaluate(mp.atan2, (1.0, "2"))


# --- acceptance ----------------------------------------------------------------------

def test_easy_value_accepted_at_the_second_rung():
    out = evaluate(mp.exp, (1.0,))
    assert out.status == OK and out.value == math.e
    assert out.precisions == (126, 212) and out.prec == 212
    with mp.workprec(400):                              # exact carries all 212 bits
        assert abs(out.exact - mp.e) < mp.mpf(2) ** -210
    assert mp.mp.prec == 53                                # the working precision is restored


@pytest.mark.parametrize("x, needs_more_than_212", [(1e-9, False), (1e-30, True)])
def test_cancelling_reference_is_rescued_by_escalation(x, needs_more_than_212):
    """1 - cos(x) written literally: at 53 bits it is 0.0 (cos rounds to 1); at 126 bits
    x = 1e-30 still gives 0. The oracle climbs until two rungs agree, and the answer
    is the correctly rounded value computed independently at 1000 bits."""
    def one_minus_cos(t):
        return 1 - mp.cos(t)

    assert at_bits(one_minus_cos, x, 53) == 0.0
    truth = at_bits(one_minus_cos, x, 1000)
    assert truth != 0.0 and truth == pytest.approx(x * x / 2, rel=1e-12)
    out = evaluate(one_minus_cos, (x,))
    assert out.status == OK and out.value == truth
    assert (out.prec > 212) == needs_more_than_212
    if needs_more_than_212:
        assert at_bits(one_minus_cos, x, 126) == 0.0    # the first rung alone is wrong too


def test_asin_derivative_row_at_53_bits_is_wrong_but_oracle_is_right():
    """The asin row's f' = 1/sqrt(1 - x**2) at x = 1 - 2**-52: one evaluation at a
    double's 53 bits is one ulp off; the escalated answer equals the 1000-bit one."""
    d1 = RULES_BY_NAME["asin"].reference[1]
    x = 1.0 - 2.0 ** -52
    truth = at_bits(d1, x, 1000)
    naive = at_bits(d1, x, 53)
    assert naive != truth and abs(naive - truth) == math.ulp(truth)
    out = evaluate(d1, (x,))
    assert out.status == OK and out.value == truth


def test_exact_zero_collapse_is_not_believed():
    """1 - cos(1e-70) is exactly 0 at 126 and 212 bits (cos rounds to 1 at both): two
    rungs agree on a wrong 0.0. An exact zero is only believed if it is still exactly
    zero at the cap; here it is not, and the ladder climbs to the true 5e-141."""
    def one_minus_cos(t):
        return 1 - mp.cos(t)

    assert at_bits(one_minus_cos, 1e-70, 126) == at_bits(one_minus_cos, 1e-70, 212) == 0.0
    out = evaluate(one_minus_cos, (1e-70,))
    assert out.status == OK and out.value == at_bits(one_minus_cos, 1e-70, 1000) != 0.0
    assert out.precisions[:3] == (126, 212, 4096) and out.prec > 212
    true_zero = evaluate(mp.sin, (0.0,))                 # a real zero: confirmed at the cap
    assert true_zero.status == OK and true_zero.value == 0.0 and true_zero.prec == 4096
    assert true_zero.precisions == (126, 212, 4096)


def test_ladder_climbs_until_two_consecutive_rungs_agree():
    """A planted reference whose rounding settles only from the third rung on: the
    answer is taken at the fourth (the first rung that agrees with its predecessor)."""
    ladder = DEFAULT_POLICY.ladder

    def settles_late(x):
        k = ladder.index(mp.mp.prec)
        bump = mp.ldexp(1, -mp.mp.prec // 2) * (1 if k in (0, 2, 3, 4, 5, 6) else -1)
        return x + mp.ldexp(1, -53) + bump               # 1 + 2**-53 is a tie: bump decides

    out = evaluate(settles_late, (1.0,))
    assert out.status == OK and out.value == 1.0 + 2.0 ** -52
    assert out.precisions == ladder[:4] and out.prec == ladder[3]


def test_unresolvable_reference_is_reported_not_guessed():
    """1 + 2**-53 is exactly halfway between 1 and 1 + 2**-52. Adding (-1)**k 2**-(p/2),
    k = the index of the working precision p on the ladder, makes consecutive rungs
    round to different doubles forever: the outcome must be unresolved."""
    def flips(x):
        k = current_policy().ladder.index(mp.mp.prec)
        return x + mp.ldexp(1, -53) + (-1) ** k * mp.ldexp(1, -(mp.mp.prec // 2))

    # the construction is clean: each rung is exact and the rounding alternates
    seen = []
    for p in DEFAULT_POLICY.ladder:
        with mp.workprec(p):
            seen.append(to_float64(flips(mp.mpf(1))))
    assert seen == [1.0 + 2.0 ** -52, 1.0] * 3 + [1.0 + 2.0 ** -52]

    out = evaluate(flips, (1.0,))
    assert out.status == UNRESOLVED and math.isnan(out.value) and out.exact is None
    assert out.prec is None and out.precisions == DEFAULT_POLICY.ladder
    assert "cap 4096" in out.reason
    with precision_policy(cap=848):
        assert evaluate(flips, (1.0,)).precisions == (126, 212, 424, 848)


# --- undefined, overflow, failures ---------------------------------------------------

def test_undefined_outcomes():
    gamma = evaluate(mp.gamma, (-3.0,))
    assert gamma.status == UNDEFINED and "pole" in gamma.reason and math.isnan(gamma.value)
    assert evaluate(mp.log, (-1.0,)).reason == "complex result"
    assert evaluate(lambda x: 1 / x, (0.0,)).reason == "ZeroDivisionError"
    assert evaluate(mp.sin, (math.inf,)).reason == "NaN result"
    calls = []
    out = evaluate(lambda x, z: calls.append(1) or x, (1.0, math.nan))
    assert out.status == UNDEFINED and out.reason == "NaN argument" and not calls
    # a complex number with a zero imaginary part is real
    assert evaluate(lambda x: mp.mpc(x, 0), (2.5,)).value == 2.5


def test_undefined_at_low_precision_only_keeps_climbing():
    """1/((1 + 2**-150) - 1) divides by zero at 126 bits, not from 212 on."""
    out = evaluate(lambda x: 1 / ((x + mp.ldexp(1, -150)) - x), (1.0,))
    assert out.status == OK and out.value == 2.0 ** 150 and out.prec == 424


def test_overflow_outcomes():
    big = evaluate(mp.exp, (710.0,))
    assert big.status == OVERFLOW and big.value == math.inf and mp.isfinite(big.exact)
    assert big.reason == ""
    neg = evaluate(lambda x: -mp.exp(x), (710.0,))
    assert neg.status == OVERFLOW and neg.value == -math.inf
    pole = evaluate(mp.log, (0.0,))                     # mpmath's own signed infinity
    assert pole.status == OVERFLOW and pole.value == -math.inf and pole.reason == "infinite"
    assert evaluate(mp.exp, (-math.inf,)).value == 0.0  # infinite arguments: mpmath decides


def test_no_convergence_climbs_then_gives_up():
    def stubborn(x):
        if mp.mp.prec < 424:
            raise NoConvergence("planted")
        return x

    assert evaluate(stubborn, (3.0,)).prec == 848
    never = evaluate(lambda x: (_ for _ in ()).throw(NoConvergence("planted")), (3.0,))
    assert never.status == UNRESOLVED and "planted" in never.reason


def test_reference_bugs_raise():
    with pytest.raises(ReferenceBugError, match="returned a float"):
        evaluate(lambda x: math.exp(x), (1.0,))         # computed in double: a bug
    with pytest.raises(ReferenceBugError, match="returned a str"):
        evaluate(lambda x: "1", (1.0,))
    with pytest.raises(ReferenceBugError, match="raised AttributeError"):
        evaluate(lambda x: mp.no_such_function(x), (1.0,))
    assert mp.mp.prec == 53                                # restored after the exception
    assert evaluate(lambda x: 7, (1.0,)).value == 7.0   # an int is an exact value
