"""The documentation generated from the rule table: docs/rules.md, docs/conventions.md.

``tests/test_docs.py`` fails when the committed files differ from what this produces;
regenerate them with ``dualjit rules > docs/rules.md`` and
``dualjit conventions > docs/conventions.md``.
"""
from __future__ import annotations

import math

from .rules import RULES


def _num(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v:g}"


def _domain(rule) -> str:
    d = rule.domain
    parts = []
    if not (math.isinf(d.lo) and math.isinf(d.hi)):
        lo = "(" if d.open_lo else "["
        hi = ")" if d.open_hi else "]"
        parts.append(f"{lo}{_num(d.lo)}, {_num(d.hi)}{hi}")
    if d.note:
        parts.append(d.note)
    return "; ".join(parts) or "all reals"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def rules_markdown() -> str:
    lines = [
        "# Supported functions",
        "",
        "Generated from the rule table (`src/dualjit/rules/`) by `dualjit rules`; do not edit.",
        "Every function below works on every number type (Dual with any number of partials,",
        "HyperDual) inside `@numba.njit` code. *Value*: `exact` means the value part is",
        "bit-for-bit what the plain float64 program computes. Budgets are the maximum error",
        "of the first and second derivative in ulps, checked by the test suite.",
        "",
        "| rule | callables | domain | value | f′ / f″ budget (ulp) | why this formula |",
        "|---|---|---|---|---|---|",
    ]
    for r in RULES:
        targets = ", ".join(f"`{t}`" for t in r.qualified_targets)
        lines.append(f"| {r.name} | {targets} | {_cell(_domain(r))} | {_cell(r.value_class)} | "
                     f"{_num(r.budget_first)} / {_num(r.budget_second)} | {_cell(r.notes)} |")
    return "\n".join(lines) + "\n"


PEERS = """\
## How this compares

| point | dualjit | ForwardDiff.jl | JAX | PyTorch |
|---|---|---|---|---|
| abs′(+0) | +1 | +1 | +1 | 0 |
| abs′(−0) | −1 | −1 | +1 | 0 |
| max(x, y) at a tie | ½ to each | all to y | ½ to each | ½ to each |
| sqrt′(0) | +∞ | +∞ | +∞ | +∞ |
| floor′, ceil′, trunc′ at integers | 0 | 0 | 0 | 0 |
| 0 · ∞ in the chain rule (constant input) | 0 (strong zero) | NaN (unless NaN-safe mode) | NaN | NaN |
"""

GENERAL = """\
## General rules

- **Kinks and jumps.** Where a function is not differentiable, dualjit returns the derivative
  of the piece the float value came from; where the sign of a zero selects the piece (abs,
  copysign), the sign bit decides. At a tie of max/min, where no piece is preferred, each
  argument gets ½: an element of the generalized gradient that keeps
  max(x, y) + min(x, y) = x + y exact for derivatives.
- **Outside the domain** (log(−1), acos(2)) the value is NaN and so is every derivative, as
  in NumPy; NaN inputs give NaN values and derivatives.
- **Strong zero.** A partial that is exactly zero contributes exactly zero, even when the
  local derivative it multiplies is infinite or NaN: a constant passed through sqrt at 0,
  or pow(x, z) with x < 0 and a constant dual exponent z, keeps a zero derivative instead
  of NaN.
- **Integer exponents.** `x ** n` with an int `n` uses Numba's repeated multiplication for
  the value and n·x^(n−1) for the derivative (defined for negative x). A float exponent
  goes through pow.
- **math.floor, math.ceil, math.trunc** return an int, as in plain Numba (their derivative
  is identically zero); the NumPy versions return a number with zero partials.
"""


def conventions_markdown() -> str:
    lines = [
        "# Conventions at non-differentiable points",
        "",
        "Generated from the rule table by `dualjit conventions`; do not edit. Every row is",
        "tested (`tests/test_conventions.py`).",
        "",
        GENERAL,
        "## Per rule",
        "",
        "| rule | where | dualjit returns |",
        "|---|---|---|",
    ]
    for r in RULES:
        for k in r.kinks:
            lines.append(f"| {r.name} | {_cell(k.where)} | {_cell(k.convention)} |")
    lines += ["", PEERS]
    return "\n".join(lines)
