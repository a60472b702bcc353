"""True value, first and second partials of one rule at one point, from the rule row's
mpmath ``reference`` callables only (never from its float formulas).

Each component is escalated on its own (:func:`dualjit.oracle.precision.evaluate`), so
an unresolved second derivative does not cost the value its answer.

Arguments:

* every argument is a double, converted exactly to an mpf;
* NaN in any argument: every component is ``undefined`` (reason "NaN argument"); the
  reference is not called -- mpmath gives NaN no meaning to propagate;
* ±inf arguments are passed to the reference as mpmath's ±inf, and its extended-real
  arithmetic decides: a NaN (sin(inf), inf - inf, 0 * inf) or an exception makes the
  component ``undefined``; a signed infinity (exp(inf), log(inf)) is ``overflow``
  with ``exact`` infinite (reason "infinite"); a finite value (exp(-inf) = 0,
  atan(inf) = pi/2) is ``ok`` -- it is the limit the reference's own formula computes,
  so a rule whose limit at infinity matters should write its reference to produce it;
* the rule's ``domain`` is not consulted: outside it mpmath reports the truth itself
  (log(-1) is complex, so ``undefined``; gamma(-3) is a pole, so ``undefined``);
* where the value is ``undefined`` every partial is ``undefined`` too (reason "the value
  is undefined") without calling the partials' references: there is no derivative
  where there is no function, even if a derivative formula happens to be real there
  (log's 1/x at x = -1). An ``unresolved`` value does not affect the partials.

Signed zero: mpmath has none, so a true zero is reported as +0.0 (a nonzero value that
underflows keeps its sign); scoring ignores the sign of zero.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from .precision import (UNDEFINED, UNRESOLVED, Outcome, PrecisionPolicy, ReferenceBugError,
                        evaluate, resolve_policy)

__all__ = ["Reference", "rule_reference", "component_labels"]

_LABELS = {
    1: (("f",), ("df/dx",), ("d2f/dx2",)),
    2: (("f",), ("df/dx", "df/dz"), ("d2f/dx2", "d2f/dxdz", "d2f/dz2")),
}


def component_labels(arity: int) -> tuple:
    """Names of the components in order: value, first partials, second partials."""
    if arity not in _LABELS:
        raise ValueError(f"arity must be 1 or 2, got {arity!r}")
    v, f, s = _LABELS[arity]
    return v + f + s


@dataclass(frozen=True)
class Reference:
    """The oracle's answer for ``rule`` at ``args``.

    ``value``: Outcome of f; ``first``: Outcomes of the first partials ((f',) or
    (df/dx, df/dz)); ``second``: of the second partials ((f'',) or (d2f/dx2, d2f/dxdz,
    d2f/dz2)). Each Outcome has ``status``, ``value`` (the double), ``exact`` (the mpf),
    ``prec``, ``precisions`` and ``reason``.
    """

    rule: str
    args: tuple
    value: Outcome
    first: tuple
    second: tuple
    policy: PrecisionPolicy

    @property
    def components(self) -> tuple:
        """(value, *first, *second), in the order of :attr:`labels`."""
        return (self.value,) + self.first + self.second

    @property
    def labels(self) -> tuple:
        return component_labels(len(self.args))

    @property
    def resolved(self) -> bool:
        """True when no component is ``unresolved``."""
        return all(c.status != UNRESOLVED for c in self.components)

    def statuses(self) -> dict:
        """{label: status}, for reports."""
        return {lab: c.status for lab, c in zip(self.labels, self.components)}

    def floats(self) -> tuple:
        """The doubles (value, *first, *second); NaN where undefined or unresolved."""
        return tuple(c.value for c in self.components)


def _check_rule(rule):
    for attr in ("name", "arity", "reference"):
        if not hasattr(rule, attr):
            raise TypeError(f"rule must be a dualjit rule (a Rule row), got "
                            f"{type(rule).__name__}: {rule!r}")
    if rule.arity not in (1, 2):
        raise ValueError(f"rule {rule.name!r}: arity must be 1 or 2, got {rule.arity!r}")
    ref = rule.reference
    try:
        f, firsts, seconds = ref
    except (TypeError, ValueError):
        raise ReferenceBugError(f"rule {rule.name!r}: reference must be a triple, got {ref!r}")
    if rule.arity == 1:
        firsts, seconds = (firsts,), (seconds,)
    if len(firsts) != rule.arity or len(seconds) != rule.arity * (rule.arity + 1) // 2:
        raise ReferenceBugError(f"rule {rule.name!r}: reference has {len(firsts)} first "
                                f"and {len(seconds)} second partials for arity {rule.arity}")
    for fn in (f, *firsts, *seconds):
        if not callable(fn):
            raise ReferenceBugError(f"rule {rule.name!r}: reference entry {fn!r} is not callable")
    return f, tuple(firsts), tuple(seconds)


def _check_args(rule, args) -> tuple:
    if isinstance(args, numbers.Real) and not isinstance(args, bool) and rule.arity == 1:
        args = (args,)
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"args must be a tuple of {rule.arity} float(s), got "
                        f"{type(args).__name__}: {args!r}")
    if len(args) != rule.arity:
        raise ValueError(f"args must hold {rule.arity} value(s) for rule {rule.name!r}, "
                         f"got {len(args)}: {args!r}")
    out = []
    for i, a in enumerate(args):
        if isinstance(a, bool) or not isinstance(a, numbers.Real):
            raise TypeError(f"args[{i}] must be a float, got {type(a).__name__}: {a!r}")
        out.append(float(a))
    return tuple(out)


def rule_reference(rule, args, policy: PrecisionPolicy | None = None) -> Reference:
    """The true value and partials of ``rule`` at ``args`` (a tuple of doubles, one per
    argument; a bare float is accepted for unary rules), each escalated under
    ``policy`` (default: the policy in force, see
    :func:`~dualjit.oracle.precision.precision_policy`).

    Raises :class:`~dualjit.oracle.precision.ReferenceBugError` (naming the rule and the
    component) when a reference callable raises anything but a domain error or returns
    a non-mpmath value.
    """
    f, firsts, seconds = _check_rule(rule)
    args = _check_args(rule, args)
    policy = resolve_policy(policy)
    labels = component_labels(rule.arity)

    def run(label, fn):
        try:
            return evaluate(fn, args, policy)
        except ReferenceBugError as e:
            raise ReferenceBugError(f"rule {rule.name!r}, {label} at "
                                    f"{tuple(a.hex() for a in args)}: {e}") from e

    value = run(labels[0], f)
    if value.status == UNDEFINED:
        # No value, no derivative: the partials' formulas are not consulted (log's
        # 1/x is real at x = -1, but log is not).
        reason = value.reason if value.reason == "NaN argument" else "the value is undefined"
        skip = Outcome(UNDEFINED, math.nan, None, None, (), reason)
        outs = [value] + [skip] * (len(labels) - 1)
    else:
        outs = [value] + [run(lab, fn) for lab, fn in zip(labels[1:], (*firsts, *seconds))]
    n1 = rule.arity
    return Reference(rule=rule.name, args=args, value=outs[0], first=tuple(outs[1:1 + n1]),
                     second=tuple(outs[1 + n1:]), policy=policy)
