"""Scoring a computed double against the oracle's answer.

:func:`ulp_error` -- rules, in order (``t`` is the reference's double, ``exact`` its mpf):

=================================  ======================  ==============================
truth (Outcome.status)             computed                Score.kind (ulps)
=================================  ======================  ==============================
unresolved                         anything                ``unresolved`` (None)
undefined                          NaN                     ``ok`` (0: agreement)
undefined                          a number or ±inf        ``undefined_mismatch`` (None)
any defined                        NaN                     ``nan_mismatch`` (None)
overflow (t = ±inf)                inf of the same sign    ``ok`` (0)
overflow                           finite or other inf     ``inf_mismatch`` (None)
ok (t finite)                      ±inf                    ``inf_mismatch`` (None)
ok, t != 0                         ±0                      ``false_zero`` (None)
ok                                 finite                  ``ok``: |computed - exact| / ulp(t)
=================================  ======================  ==============================

* The difference is exact (mpmath's exact subtraction of the double and the accepted
  mpf), divided by ulp(t) -- a power of two, so exactly -- and only then rounded to a
  float. ulp(t) is :func:`~dualjit.oracle.rounding.ulp`: the gap above |t|, floored at
  2**-1074.
* The sign of zero is ignored everywhere: -0.0 against a true +0.0 is 0 ulp.
* A false zero is a computed ±0 where the truth does not round to zero. It is reported
  as its own kind, not folded into the ulp statistics (its ulp count would mostly
  measure how far the true value is from zero); ``abs_error`` still holds |exact|.
  Where the truth *does* round to zero (t = 0, including a tiny nonzero exact value),
  a computed zero is scored normally (at most 0.5 ulp of 2**-1074).
* ``abs_error`` is the exact |computed - exact| whenever both are finite (kinds ``ok``
  and ``false_zero``), for absolute-error reporting near zeros of the function.

:func:`value_agrees` -- the project's value criterion |v - v_true| <= |f(x) - v_true|,
with each side's distance: 0 for an agreement (NaN against undefined truth, inf against
an overflow of the same sign); the exact |c - exact| when c is finite and the truth has a
finite exact value (also when that value overflows the double range); +inf for every
other mismatch. So a mismatch is never better than an agreement, and two mismatches tie
(v is then "no worse" than the primal). A v identical to f(x) (same double, or both NaN)
always agrees; otherwise an unresolved truth gives None (undecided).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import mpmath as mp
from mpmath import libmp

from .precision import OK, OVERFLOW, UNDEFINED, UNRESOLVED, Outcome
from .rounding import to_float64, ulp

__all__ = ["Score", "ulp_error", "value_agrees", "SCORE_KINDS"]

SCORE_KINDS = ("ok", "nan_mismatch", "inf_mismatch", "false_zero", "undefined_mismatch",
               "unresolved")


@dataclass(frozen=True)
class Score:
    """One computed double against one reference component.

    ``kind``: one of :data:`SCORE_KINDS`; ``ulps``: the ulp error (float) when kind is
    ``ok``, else None; ``abs_error``: exact |computed - exact| (mpf) when both are
    finite, else None; ``computed``: the double scored; ``true``: the reference's double
    (NaN if undefined/unresolved); ``status``: the reference's status.
    """

    kind: str
    ulps: float | None
    abs_error: object
    computed: float
    true: float
    status: str

    @property
    def ok(self) -> bool:
        """True when the computed value was scored in ulps (kind ``ok``)."""
        return self.kind == "ok"


def _check_computed(x, argname):
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{argname} must be a float, got {type(x).__name__}: {x!r}")
    return float(x)


def _check_true(true, argname="true") -> Outcome:
    if not isinstance(true, Outcome):
        raise TypeError(f"{argname} must be a reference component (an Outcome from "
                        f"rule_reference), got {type(true).__name__}: {true!r}")
    return true


def _exact_abs_diff(c: float, exact):
    """|c - exact| computed exactly (libmp with precision 0 = no rounding)."""
    d = libmp.mpf_sub(libmp.from_float(c), exact._mpf_, 0)
    return mp.make_mpf(libmp.mpf_abs(d))


def ulp_error(computed: float, true: Outcome) -> Score:
    """Score ``computed`` against the reference component ``true`` (see module doc)."""
    c = _check_computed(computed, "computed")
    true = _check_true(true)
    t = true.value
    st = true.status

    def score(kind, ulps=None, abs_error=None):
        return Score(kind, ulps, abs_error, c, t, st)

    if st == UNRESOLVED:
        return score("unresolved")
    if st == UNDEFINED:
        return score("ok", 0.0) if math.isnan(c) else score("undefined_mismatch")
    if math.isnan(c):
        return score("nan_mismatch")
    if st == OVERFLOW:
        return score("ok", 0.0) if c == t else score("inf_mismatch")
    if st != OK:  # pragma: no cover - Outcome statuses are closed
        raise ValueError(f"true has an unknown status {st!r}")
    if math.isinf(c):
        return score("inf_mismatch")
    err = _exact_abs_diff(c, true.exact)
    if c == 0.0 and t != 0.0:
        return score("false_zero", None, err)
    unit = ulp(t)  # a power of two
    ratio = libmp.mpf_shift(err._mpf_, -(math.frexp(unit)[1] - 1))
    return score("ok", to_float64(mp.make_mpf(ratio)), err)


def _distance(c: float, true: Outcome):
    """Distance of c from the truth for value agreement: an mpf, or math.inf."""
    st = true.status
    if st == UNDEFINED:
        return 0 if math.isnan(c) else math.inf
    if math.isnan(c):
        return math.inf
    if st == OVERFLOW:
        if c == true.value:
            return 0
        if math.isinf(c) or mp.isinf(true.exact):
            return math.inf
        return _exact_abs_diff(c, true.exact)
    if math.isinf(c):
        return math.inf
    return _exact_abs_diff(c, true.exact)


def _identical(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def value_agrees(v: float, primal: float, true: Outcome) -> bool | None:
    """|v - v_true| <= |f(x) - v_true|: the value part ``v`` an engine returns beside
    its derivative is no worse than the plain ``primal`` f(x). None when undecidable
    (unresolved truth and v differs from the primal). See the module doc."""
    v = _check_computed(v, "v")
    p = _check_computed(primal, "primal")
    true = _check_true(true)
    if _identical(v, p):
        return True
    if true.status == UNRESOLVED:
        return None
    dv, dp = _distance(v, true), _distance(p, true)
    if dp == math.inf:
        return True
    if dv == math.inf:
        return False
    return bool(dv <= dp)
