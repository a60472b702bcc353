"""ulp_error and value_agrees (dualjit.oracle.scoring)."""
import math

import mpmath as mp
import pytest

from dualjit.oracle import (SCORE_KINDS, Outcome, evaluate, rule_reference, ulp,
                            ulp_error, value_agrees)
from dualjit.rules import RULES_BY_NAME

TINY = 5e-324
up = lambda v: math.nextafter(v, math.inf)       # noqa: E731
down = lambda v: math.nextafter(v, -math.inf)    # noqa: E731


def truth(fn, *args):
    return evaluate(fn, args)


E1 = truth(mp.exp, 1.0)                           # ok, e
BIG = truth(mp.exp, 710.0)                        # overflow: +inf, exact finite
NEG_BIG = truth(lambda x: -mp.exp(x), 710.0)      # overflow: -inf
POLE = truth(mp.gamma, -3.0)                      # undefined
ZERO = truth(mp.sin, 0.0)                         # a true zero
TINY_TRUE = truth(lambda x: x * mp.mpf(10) ** -300, 1.0)   # 1e-300: far from rounding to 0
VANISHING = truth(mp.exp, -746.0)                 # nonzero but rounds to 0.0
UNRES = Outcome("unresolved", math.nan, None, None, (126, 212), "planted")


def test_exact_hit_and_neighbours():
    s = ulp_error(math.e, E1)
    assert s.kind == "ok" and s.ok and s.true == math.e and s.status == "ok"
    with mp.workprec(300):
        want = float(abs(mp.mpf(math.e) - mp.e) / mp.ldexp(1, -51))
        assert s.ulps == pytest.approx(want, rel=1e-12) and s.ulps < 0.5
        assert s.abs_error == abs(mp.mpf(math.e) - E1.exact)
        s_up = ulp_error(up(math.e), E1)
        assert s_up.ulps == pytest.approx(float((mp.mpf(up(math.e)) - mp.e) / mp.ldexp(1, -51)))
    assert 0.5 < s_up.ulps < 1.5


def test_difference_is_exact():
    """Truth 1 + 2**-100 (kept to 212 bits); computed 1.0: exactly 2**-48 ulp, which a
    difference formed in double (or at 53 bits) would have lost entirely."""
    t = truth(lambda x: x + mp.ldexp(1, -100), 1.0)
    assert t.value == 1.0
    assert ulp_error(1.0, t).ulps == 2.0 ** -48
    assert ulp_error(up(1.0), t).ulps == 1.0 - 2.0 ** -48


def test_ulp_unit_is_that_of_the_rounded_truth():
    s = ulp_error(2 * TINY, truth(mp.exp, -745.0))           # subnormal truth ~ 2**-1074
    assert s.kind == "ok" and s.true == TINY and 0.5 < s.ulps < 1.5
    two = truth(lambda x: x - mp.ldexp(1, -60), 2.0)        # just below 2: rounds to 2.0
    assert two.value == 2.0 and ulp(2.0) == 2.0 ** -51       # unit: the gap above 2
    assert ulp_error(down(2.0), two).ulps == 0.5 - 2.0 ** -9       # (2**-52 - 2**-60) / 2**-51


def test_signed_zero_is_ignored():
    assert ulp_error(-0.0, ZERO).ulps == 0.0 and ulp_error(0.0, ZERO).ulps == 0.0
    assert ulp_error(TINY, ZERO).ulps == 1.0
    assert ulp_error(-TINY, ZERO).ulps == 1.0


def test_false_zero_is_its_own_kind():
    s = ulp_error(0.0, TINY_TRUE)
    assert s.kind == "false_zero" and s.ulps is None and not s.ok
    assert s.abs_error == TINY_TRUE.exact > 0                # still reported, absolutely
    assert ulp_error(-0.0, TINY_TRUE).kind == "false_zero"
    # where the truth itself rounds to zero, a computed zero is simply right
    assert VANISHING.value == 0.0 and VANISHING.exact > 0
    s = ulp_error(0.0, VANISHING)
    assert s.kind == "ok" and s.ulps <= 0.5


def test_nan_rules():
    assert ulp_error(math.nan, POLE).kind == "ok" and ulp_error(math.nan, POLE).ulps == 0.0
    assert ulp_error(math.nan, E1).kind == "nan_mismatch"
    assert ulp_error(math.nan, BIG).kind == "nan_mismatch"
    assert ulp_error(math.nan, ZERO).kind == "nan_mismatch"
    for c in (1.0, math.inf, 0.0):                          # a number where there is none
        s = ulp_error(c, POLE)
        assert s.kind == "undefined_mismatch" and s.ulps is None and math.isnan(s.true)


def test_inf_rules():
    assert ulp_error(math.inf, BIG).ulps == 0.0
    assert ulp_error(-math.inf, NEG_BIG).ulps == 0.0
    assert ulp_error(-math.inf, BIG).kind == "inf_mismatch"          # wrong sign
    assert ulp_error(1.7976931348623157e308, BIG).kind == "inf_mismatch"   # finite vs overflow
    assert ulp_error(math.inf, E1).kind == "inf_mismatch"             # inf vs finite
    assert ulp_error(-math.inf, ZERO).kind == "inf_mismatch"
    assert ulp_error(-math.inf, truth(mp.log, 0.0)).ulps == 0.0       # log(0) = -inf


def test_unresolved_truth_is_not_scored():
    s = ulp_error(1.0, UNRES)
    assert s.kind == "unresolved" and s.ulps is None
    assert set(SCORE_KINDS) == {"ok", "nan_mismatch", "inf_mismatch", "false_zero",
                                "undefined_mismatch", "unresolved"}


def test_scores_rule_components():
    ref = rule_reference(RULES_BY_NAME["atan2"], (1.0, 2.0))
    scores = [ulp_error(v, c) for v, c in zip((math.atan2(1.0, 2.0), 0.4, -0.2), ref.components)]
    assert all(s.kind == "ok" and s.ulps <= 0.5 for s in scores)


def test_ulp_error_validation():
    with pytest.raises(TypeError, match="computed must be a float"):
        ulp_error("1.0", E1)
    with pytest.raises(TypeError, match="computed must be a float"):
        ulp_error(True, E1)
    with pytest.raises(TypeError, match="true must be a reference component"):
        ulp_error(1.0, 2.718)
    with pytest.raises(TypeError, match="true must be a reference component"):
        ulp_error(1.0, rule_reference(RULES_BY_NAME["exp"], (1.0,)))   # the whole Reference


# --- value agreement -------------------------------------------------------------------

def test_value_agreement_finite():
    e = math.e
    assert value_agrees(e, e, E1)                            # bit-for-bit the primal
    assert value_agrees(e, up(e), E1)                        # closer than the primal
    assert not value_agrees(up(e), e, E1)                    # farther
    assert not value_agrees(down(e), e, E1)
    assert value_agrees(-0.0, 0.0, ZERO)                     # the sign of zero is ignored
    # equidistant: truth exactly halfway between v and the primal
    half = truth(lambda x: x + mp.ldexp(1, -53), 1.0)
    assert value_agrees(1.0, up(1.0), half) and value_agrees(up(1.0), 1.0, half)


def test_value_agreement_nan_inf_rules():
    assert value_agrees(math.nan, math.nan, POLE)
    assert value_agrees(math.nan, 3.0, POLE)                 # NaN where undefined: agrees
    assert not value_agrees(3.0, math.nan, POLE)
    assert value_agrees(3.0, 5.0, POLE)                      # two mismatches tie
    assert not value_agrees(math.nan, math.e, E1)
    assert value_agrees(math.e, math.nan, E1)
    assert value_agrees(math.inf, 1.7976931348623157e308, BIG)
    assert not value_agrees(1.7976931348623157e308, math.inf, BIG)
    # two finite values against an overflowing truth: the exact distance decides
    assert value_agrees(1.7976931348623157e308, 1.0, BIG)
    assert not value_agrees(1.0, 1.7976931348623157e308, BIG)
    assert not value_agrees(-math.inf, math.inf, BIG)
    assert not value_agrees(math.inf, math.e, E1)
    assert value_agrees(0.0, 1e-300, TINY_TRUE) is False     # a false zero is just far


def test_value_agreement_unresolved():
    assert value_agrees(1.0, 1.0, UNRES) is True             # identical: trivially no worse
    assert value_agrees(math.nan, math.nan, UNRES) is True
    assert value_agrees(1.0, 2.0, UNRES) is None


def test_value_agreement_validation():
    with pytest.raises(TypeError, match="v must be a float"):
        value_agrees("1", 1.0, E1)
    with pytest.raises(TypeError, match="primal must be a float"):
        value_agrees(1.0, None, E1)
    with pytest.raises(TypeError, match="true must be a reference component"):
        value_agrees(1.0, 1.0, mp.e)
