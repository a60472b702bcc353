"""Precision escalation: a reference value is accepted only when two rising working
precisions agree on the double it rounds to.

mpmath rounds +, -, *, /, sqrt correctly, but its transcendental functions are correct
"with high probability" only, and a reference written literally (1 - cos(x) at tiny x)
loses bits to cancellation. So one evaluation proves nothing. :func:`evaluate` walks the
policy's *ladder* of precisions::

    start, second = max(4*53, start + 53), then doubling, clamped to cap

(126, 212, 424, 848, 1696, 3392, 4096 with the defaults), evaluating the callable at
each rung and comparing the correctly rounded double of each result with the previous
rung's. The first agreement is accepted (the value reported is the higher rung's);
if the cap is passed without one the outcome is ``unresolved`` -- never a guess.

Outcomes of one attempt, compared rung to rung:

* a real number: it is rounded with :func:`~dualjit.oracle.rounding.to_float64`; two
  attempts agree when the doubles are equal (+0.0 == -0.0: the sign of zero is not
  compared; see below);
* *undefined*: the callable raised ``ValueError`` or ``ZeroDivisionError`` (mpmath's
  domain errors and poles: gamma at -3, 1/0), returned NaN, or returned a complex
  number with a nonzero imaginary part (log(-1), sqrt(-2)); two undefined attempts agree;
* *no convergence*: mpmath raised ``NoConvergence``; such an attempt agrees with nothing,
  so the ladder climbs on.

Exact zeros are the one stable failure of comparing rungs: a cancellation such as
1 - cos(1e-70) gives exactly 0 at 126 and at 212 bits (cos rounds to 1 at both). So when
two consecutive rungs are both *exactly* zero, the callable is also evaluated at the
cap: the zero is accepted (``prec`` = cap) only if it is exactly zero there too;
otherwise the ladder climbs on and zeros no longer count as agreement. A true zero
(sin(0), a constant-zero second derivative) therefore costs one extra evaluation at the
cap. Errors that do not shrink with the working precision and do not collapse to zero
(a discrete function of a rounded intermediate that flips the same way at every rung)
cannot be detected by any escalation: write such references exactly.

Any other exception, or a result that is not an mpmath number or an int (a Python float
means the reference computed in double precision, e.g. by calling ``math.exp``), is a bug
in the reference and raises :class:`ReferenceBugError`.

Statuses of an :class:`Outcome`: ``ok`` (a finite double), ``overflow`` (the double is ±inf: the true
magnitude rounds to infinity, or mpmath returned a signed infinity itself, such as
log(0) = -inf or an infinite argument; ``exact`` tells which), ``undefined``,
``unresolved``.

Signed zero: mpmath has none. An exact zero is reported as +0.0; a nonzero result that
underflows keeps its sign (-0.0 for a tiny negative value). The oracle's scoring ignores
the sign of zero throughout.

The policy in force can be set for a block, mpmath style::

    with precision_policy(cap=8192):
        out = evaluate(f, (0.5,))

The policy is context-local, but mpmath's working precision (``mp.workprec``) is
process-global: run evaluations in parallel processes, not threads.
"""
from __future__ import annotations

import contextlib
import contextvars
import math
import numbers
from dataclasses import dataclass, field
from typing import Callable

import mpmath as mp
from mpmath import libmp
from mpmath.libmp import NoConvergence

from .rounding import to_float64

__all__ = [
    "PrecisionPolicy", "DEFAULT_POLICY", "Outcome", "ReferenceBugError",
    "OK", "UNDEFINED", "OVERFLOW", "UNRESOLVED", "STATUSES",
    "evaluate", "precision_policy", "current_policy",
]

OK = "ok"
UNDEFINED = "undefined"
OVERFLOW = "overflow"
UNRESOLVED = "unresolved"
STATUSES = (OK, UNDEFINED, OVERFLOW, UNRESOLVED)

_MIN_START = 60          # a few guard bits beyond a double's 53
_MAX_CAP = 1 << 20       # beyond this mpmath is unusably slow; almost surely a typo


class ReferenceBugError(Exception):
    """A reference callable misbehaved: it raised something other than a domain error,
    or returned something that is not an mpmath number."""


def _check_bits(value, argname: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{argname} must be an int number of bits, got "
                        f"{type(value).__name__}: {value!r}")
    value = int(value)
    if not lo <= value <= hi:
        raise ValueError(f"{argname} must be between {lo} and {hi} bits, got {value}")
    return value


@dataclass(frozen=True)
class PrecisionPolicy:
    """Where escalation starts and where it gives up (bits of working precision).

    ``start`` (default 2*53 + 20 = 126) is the first rung; the second is
    ``max(4*53, start + 53)``; then the precision doubles up to ``cap`` (default 4096),
    the last rung. ``cap`` must be at least the second rung.
    """

    start: int = 2 * 53 + 20
    cap: int = 4096
    ladder: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        start = _check_bits(self.start, "start", _MIN_START, _MAX_CAP)
        second = max(4 * 53, start + 53)
        cap = _check_bits(self.cap, "cap", 1, _MAX_CAP)
        if cap < second:
            raise ValueError(f"cap must be at least the second precision {second} bits "
                             f"(max(4*53, start + 53) with start={start}), got {cap}")
        rungs = [start, second]
        while rungs[-1] < cap:
            rungs.append(min(2 * rungs[-1], cap))
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "cap", cap)
        object.__setattr__(self, "ladder", tuple(rungs))


DEFAULT_POLICY = PrecisionPolicy()
_POLICY: contextvars.ContextVar = contextvars.ContextVar("dualjit_oracle_policy",
                                                         default=DEFAULT_POLICY)


def current_policy() -> PrecisionPolicy:
    """The policy in force (set by :func:`precision_policy`, else :data:`DEFAULT_POLICY`)."""
    return _POLICY.get()


@contextlib.contextmanager
def precision_policy(policy: PrecisionPolicy | None = None, *, start: int | None = None,
                     cap: int | None = None):
    """Use ``policy`` (or one built from ``start``/``cap``, the others from the current
    policy) as the default inside the ``with`` block. Thread- and task-local."""
    if policy is not None:
        if not isinstance(policy, PrecisionPolicy):
            raise TypeError(f"policy must be a PrecisionPolicy, got "
                            f"{type(policy).__name__}: {policy!r}")
        if start is not None or cap is not None:
            raise ValueError("policy: give either a PrecisionPolicy or start/cap, not both")
    else:
        base = current_policy()
        policy = PrecisionPolicy(start=base.start if start is None else start,
                                 cap=base.cap if cap is None else cap)
    token = _POLICY.set(policy)
    try:
        yield policy
    finally:
        _POLICY.reset(token)


def resolve_policy(policy) -> PrecisionPolicy:
    if policy is None:
        return current_policy()
    if not isinstance(policy, PrecisionPolicy):
        raise TypeError(f"policy must be a PrecisionPolicy or None, got "
                        f"{type(policy).__name__}: {policy!r}")
    return policy


@dataclass(frozen=True)
class Outcome:
    """The accepted value of one reference callable at one point.

    ``status``: ``ok`` | ``undefined`` | ``overflow`` | ``unresolved``.
    ``value``: the correctly rounded double (``ok``: finite; ``overflow``: ±inf;
    otherwise NaN).
    ``exact``: the mpf at the accepted precision (``ok``/``overflow``; None otherwise)
    -- use it for absolute errors near zeros, where the double alone says little
    (it carries ``prec`` bits: do arithmetic on it under ``mp.workprec``, not at
    mpmath's default 53 bits).
    ``prec``: the precision (bits) whose result was accepted; None if unresolved.
    ``precisions``: every precision tried, in order.
    ``reason``: why undefined/unresolved ('' when ok; for overflow, 'infinite' when
    mpmath's value itself is infinite).
    """

    status: str
    value: float
    exact: object = None
    prec: int | None = None
    precisions: tuple = ()
    reason: str = ""

    @property
    def defined(self) -> bool:
        return self.status in (OK, OVERFLOW)


class _Undefined:
    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason


class _Failed:
    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason


def _attempt(fn: Callable, margs: tuple, prec: int):
    """One evaluation at ``prec`` bits: an mpf, an _Undefined or a _Failed."""
    with mp.workprec(prec):
        try:
            r = fn(*margs)
        except NoConvergence as e:
            return _Failed(f"mpmath did not converge: {e}")
        except (ValueError, ZeroDivisionError) as e:
            return _Undefined(f"{type(e).__name__}: {e}" if str(e) else type(e).__name__)
        except Exception as e:  # noqa: BLE001 - anything else is the reference's bug
            raise ReferenceBugError(f"reference raised {type(e).__name__}: {e} "
                                    f"(at {prec} bits)") from e
        if isinstance(r, mp.mpc):
            if r.imag != 0:
                return _Undefined("complex result")
            r = r.real
        elif isinstance(r, numbers.Integral) and not isinstance(r, (mp.mpf, mp.mpc)):
            r = mp.mpf(int(r))
        elif not isinstance(r, mp.mpf):
            raise ReferenceBugError(
                f"reference returned a {type(r).__name__} ({r!r}), not an mpmath number: "
                "a Python float means it computed in double precision")
    if mp.isnan(r):
        return _Undefined("NaN result")
    return r


def evaluate(fn: Callable, args, policy: PrecisionPolicy | None = None) -> Outcome:
    """Evaluate ``fn(*args)`` (args: floats, converted exactly to mpf; NaN arguments
    make the outcome ``undefined`` without calling ``fn``) with precision escalation.
    See the module docstring for the acceptance rule and the statuses."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}: {fn!r}")
    policy = resolve_policy(policy)
    margs = _as_mpf_args(args)
    tried = []
    if any(mp.isnan(a) for a in margs):
        return Outcome(UNDEFINED, math.nan, None, None, (), "NaN argument")
    prev = prev_key = None
    last_reason = ""
    zero_at_cap = None   # unknown until two rungs collapse to an exact zero
    cache = {}

    def attempt(prec):
        if prec not in cache:
            tried.append(prec)
            cache[prec] = _attempt(fn, margs, prec)
        return cache[prec]

    for prec in policy.ladder:
        cur = attempt(prec)
        if isinstance(cur, _Failed):
            key = None
            last_reason = cur.reason
        elif isinstance(cur, _Undefined):
            key = UNDEFINED
        else:
            key = to_float64(cur)
        if key is not None and prev_key is not None and _same(key, prev_key):
            if not (_exact_zero(cur) and _exact_zero(prev)):
                return _accept(cur, key, prec, tuple(tried))
            # Two exact zeros: a true zero, or a cancellation that collapses the same
            # way at both rungs (1 - cos(1e-70)). Only a zero at the cap is believed.
            if zero_at_cap is None:
                zero_at_cap = _exact_zero(attempt(policy.cap))
            if zero_at_cap:
                return _accept(cache[policy.cap], key, policy.cap, tuple(tried))
            last_reason = "exact zeros below the cap, nonzero at the cap (cancellation)"
        prev, prev_key = cur, key
    reason = (f"no two consecutive precisions agreed up to the cap {policy.cap} bits"
              + (f"; last failure: {last_reason}" if last_reason else ""))
    return Outcome(UNRESOLVED, math.nan, None, None, tuple(tried), reason)


def _exact_zero(r) -> bool:
    return isinstance(r, mp.mpf) and not r


def _same(a, b) -> bool:
    if a is UNDEFINED or b is UNDEFINED:
        return a is b
    return a == b  # doubles: +0.0 == -0.0, inf == inf


def _accept(cur, key, prec, tried) -> Outcome:
    if key is UNDEFINED:
        return Outcome(UNDEFINED, math.nan, None, prec, tried, cur.reason)
    if math.isinf(key):
        reason = "infinite" if mp.isinf(cur) else ""
        return Outcome(OVERFLOW, key, cur, prec, tried, reason)
    return Outcome(OK, key, cur, prec, tried, "")


def _as_mpf_args(args) -> tuple:
    if isinstance(args, (str, bytes)) or not hasattr(args, "__iter__"):
        raise TypeError(f"args must be a tuple of floats, got {type(args).__name__}: {args!r}")
    out = []
    for i, a in enumerate(args):
        if isinstance(a, bool) or not isinstance(a, numbers.Real):
            raise TypeError(f"args[{i}] must be a float, got {type(a).__name__}: {a!r}")
        # exact (a double has 53 bits), whatever the working precision
        out.append(mp.make_mpf(libmp.from_float(float(a))))
    return tuple(out)
