"""Every rule target as test cases for the CUDA tests (test code only).

Compiling a rule's overload for a number type costs seconds on the GPU target (a kernel
calling every rule's first target on Dual[1] is 1.5 MB of PTX), so the default runs cover
every *rule* through its first target -- for PTX, each rule on one of the dual types in
turn, every target on float64 -- and ``DUALJIT_CUDA_FULL=1`` covers every target of every
rule on every number type. See docs/cuda.md.

* :func:`every_rule_source` -- the body of one function calling the chosen targets (unary
  on x; binary as t(x, y), t(x, 2.0), t(1.5, x); integer powers): compiled once per number
  type into a single PTX kernel.
* :func:`cases` -- one case per (target, call form) with points inside the rule's sampling
  ranges (plus its kink points) and the expression, for the simulator test.
"""
from __future__ import annotations

import math
import operator
import os
from dataclasses import dataclass

import numpy as np

from dualjit.rules import RULES

POW_TARGETS = (operator.pow, operator.ipow, pow, math.pow, np.power)
INPLACE_FORMS = {operator.pow: operator.ipow}


def full_coverage() -> bool:
    return os.environ.get("DUALJIT_CUDA_FULL", "") not in ("", "0")


def rule_targets(full: bool | None = None):
    """[(rule, target)]: every target dualjit overloads (x **= y included) when ``full``,
    else the first target of every rule."""
    full = full_coverage() if full is None else full
    out = []
    for rule in RULES:
        targets = rule.targets + tuple(INPLACE_FORMS[t] for t in rule.targets
                                       if t in INPLACE_FORMS and INPLACE_FORMS[t] not in rule.targets)
        out.extend((rule, t) for t in (targets if full else targets[:1]))
    return out


def share(pairs, k, parts):
    """The k-th of ``parts`` interleaved shares of ``pairs`` (rule i goes to share i % parts)."""
    return [p for i, p in enumerate(pairs) if i % parts == k]


def target_names(pairs):
    return {f"T{k}": target for k, (rule, target) in enumerate(pairs)}


def every_rule_source(pairs, name="every_rule"):
    """Source of ``name(x, y)``: the sum of every target in ``pairs`` applied to x (and y);
    the globals T0, T1, ... are :func:`target_names`."""
    terms = []
    for k, (rule, target) in enumerate(pairs):
        t = f"T{k}"
        if rule.arity == 1:
            terms.append(f"{t}(x)")
        else:
            terms += [f"{t}(x, y)", f"{t}(x, 2.0)", f"{t}(1.5, x)"]
            if target in POW_TARGETS:
                terms += [f"{t}(x, 3)", f"{t}(x, n)"]
    body = "\n".join(f"    s = s + {term}" for term in terms)
    return f"def {name}(x, y):\n    n = 5\n    s = x * 0.0\n{body}\n    return s\n"


@dataclass(frozen=True)
class Case:
    label: str
    expr: str     # an expression in x over the globals T0, T1, ...
    points: tuple


def _points(lo, hi, extra=()):
    lo, hi = max(lo, -1e3), min(hi, 1e3)
    span = hi - lo
    pts = list(np.linspace(lo + 0.0131 * span, hi - 0.0117 * span, 4)) + list(extra)
    return tuple(float(p) for p in pts)


def cases(pairs, full: bool | None = None):
    """One Case per (target, call form). Binary rules: by default the form t(x, dual) (the
    chain2 path) and, for powers, x ** 3; with ``full`` also t(x, c), t(c, x), x ** n for
    n = 0, 1, -2 and ties of max/min."""
    full = full_coverage() if full is None else full
    out = []
    for k, (rule, target) in enumerate(pairs):
        t = f"T{k}"
        tname = getattr(target, "__name__", str(target))
        ranges = rule.sample_ranges or ((-2.0, 2.0),) * rule.arity
        if rule.arity == 1:
            kinks = [p[0] for kink in rule.kinks for p in kink.points]
            out.append(Case(f"{rule.name}: {tname}(x)", f"{t}(x)", _points(*ranges[0], kinks)))
            continue
        (lo1, hi1), (lo2, hi2) = ranges
        c1, c2 = 0.5 * (lo1 + hi1) + 0.37, 0.5 * (lo2 + hi2) + 0.29
        forms = [(f"{t}(x, {c2!r})", _points(lo1, hi1)),
                 (f"{t}({c1!r}, x)", _points(lo2, hi2)),
                 (f"{t}(x, {c2!r} + 0.125 * x)", _points(lo1, hi1))]
        if target in POW_TARGETS:
            # (x = 0 only for n >= 0: on the CPU, float ** negative int literal raises
            # ZeroDivisionError at 0 -- Numba inverts with the 'python' error model)
            forms += [(f"{t}(x, {n})", _points(-3.0, 3.0, (0.0,) if n >= 0 else ()))
                      for n in (0, 1, 3, -2)]
        if rule.name in ("max", "min", "maximum", "minimum", "copysign"):
            forms.append((f"{t}(x, x)", _points(-2.0, 2.0, (0.0,))))  # a tie / a kink
        if not full:
            forms = [f for f in forms if f[0].endswith("+ 0.125 * x)") or f[0].endswith(", 3)")]
        for expr, pts in forms:
            out.append(Case(f"{rule.name}: {expr.replace(t, tname)}", expr, pts))
    return out
