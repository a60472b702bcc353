"""The independent oracle: true values and derivatives of the rule table's functions at
high precision, correct rounding to float64, and ulp scoring.

Pure Python on mpmath (with gmpy2 underneath); never imports numba and never calls the
engine's float formulas -- only each rule row's ``reference`` mpmath callables, written
from the mathematical definitions.

* :mod:`.precision` -- escalation: accept a value only when two rising precisions round
  to the same double; ``unresolved`` past the cap, never a guess.
* :mod:`.rounding` -- correct rounding of an mpf to float64 (subnormals, overflow) and ulp.
* :mod:`.reference` -- :func:`rule_reference`: value, first and second partials of a rule.
* :mod:`.scoring` -- :func:`ulp_error` and the value-agreement criterion.
"""
from __future__ import annotations

import mpmath as mp
from mpmath import libmp

from .precision import (DEFAULT_POLICY, OK, OVERFLOW, STATUSES, UNDEFINED, UNRESOLVED,
                        Outcome, PrecisionPolicy, ReferenceBugError, current_policy,
                        evaluate, precision_policy)
from .reference import Reference, component_labels, rule_reference
from .rounding import MAX_FLOAT, MIN_SUBNORMAL, OVERFLOW_THRESHOLD, to_float64, ulp
from .scoring import SCORE_KINDS, Score, ulp_error, value_agrees

__all__ = [
    "PrecisionPolicy", "DEFAULT_POLICY", "Outcome", "ReferenceBugError",
    "OK", "UNDEFINED", "OVERFLOW", "UNRESOLVED", "STATUSES",
    "evaluate", "precision_policy", "current_policy",
    "Reference", "rule_reference", "component_labels",
    "to_float64", "ulp", "OVERFLOW_THRESHOLD", "MIN_SUBNORMAL", "MAX_FLOAT",
    "Score", "SCORE_KINDS", "ulp_error", "value_agrees",
    "backend_info",
]


def backend_info() -> dict:
    """What the oracle runs on, for reports: mpmath's version and arithmetic backend
    ('gmpy' when gmpy2 is in use, 'python' for pure-Python integers), gmpy2's version
    (None if not importable), and ``gmpy_backend``: whether mpmath uses gmpy2."""
    try:
        import gmpy2
        gmpy_version = gmpy2.version()
    except ImportError:  # pragma: no cover - gmpy2 is a dependency
        gmpy_version = None
    return {
        "mpmath": mp.__version__,
        "backend": libmp.BACKEND,
        "gmpy2": gmpy_version,
        "gmpy_backend": libmp.BACKEND == "gmpy",
    }
