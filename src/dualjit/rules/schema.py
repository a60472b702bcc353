"""The shape of one rule: everything the engine, the tests, the oracle and the docs
need to know about one elementary function.

This module is pure Python (no numba import): the rule table must be readable by the
oracle, the docs generator and the CUDA simulator without compiling anything.

Calling conventions of the derivative functions (all plain float64 Python that Numba
can compile; helpers they call must be registered with :func:`scalar_kernel`):

unary rule ``f(x)``
    ``primal(x) -> y``
    ``first(x, y) -> f1``               (y is the primal's value, free to reuse)
    ``second(x, y, f1) -> f2``

binary rule ``f(x, z)``
    ``primal(x, z) -> y``
    ``first(x, z, y) -> (fx, fz)``
    ``second(x, z, y, fx, fz) -> (fxx, fxz, fzz)``

Every number type applies its own chain rule to these coefficients, so adding a
function means adding one row, never touching a number type.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

__all__ = ["Rule", "Kink", "Domain", "Enclosure", "scalar_kernel", "SCALAR_KERNELS",
           "qualified_name"]

#: Plain-Python float helpers called by rule formulas (digamma, two_prod, ...).
#: ``dualjit.numba_ext`` makes each of them callable from compiled code.
SCALAR_KERNELS: list[Callable] = []


def scalar_kernel(fn: Callable) -> Callable:
    """Mark a plain float64 helper as callable from rule formulas in compiled code."""
    SCALAR_KERNELS.append(fn)
    return fn


def qualified_name(target) -> str:
    """A readable name for an overloaded callable: 'math.sin', 'numpy.sin', 'abs',
    'operator.add', 'dualjit.sigmoid' (strings pass through)."""
    if isinstance(target, str):
        return target
    mod = getattr(target, "__module__", None) or "numpy"  # NumPy ufuncs have no module
    mod = {"builtins": "", "_operator": "operator"}.get(mod, mod)
    if mod.startswith("numpy"):
        mod = "numpy"
    if mod.startswith("dualjit"):
        mod = "dualjit"
    return f"{mod}.{target.__name__}" if mod else target.__name__


@dataclass(frozen=True)
class Domain:
    """Where a rule is defined (closed bounds unless ``open_lo``/``open_hi``).

    For binary rules ``lo``/``hi`` describe the first argument and ``lo2``/``hi2`` the
    second; ``note`` states any coupling (e.g. pow: x > 0 unless z is an integer).
    """

    lo: float = float("-inf")
    hi: float = float("inf")
    open_lo: bool = False
    open_hi: bool = False
    lo2: float = float("-inf")
    hi2: float = float("inf")
    note: str = ""

    def contains(self, x: float) -> bool:
        above = x > self.lo if self.open_lo else x >= self.lo
        below = x < self.hi if self.open_hi else x <= self.hi
        return above and below


@dataclass(frozen=True)
class Kink:
    """A non-differentiable point and the derivative dualjit returns there."""

    where: str          # e.g. "x == 0"
    convention: str     # e.g. "f' = +1 at +0, -1 at -0 (follows the sign bit)"
    # Inputs (tuples of floats, one per argument) that hit the kink, and the expected
    # first partials there; the test suite checks every one of them.
    points: tuple = ()
    expected_first: tuple = ()


@dataclass(frozen=True)
class Enclosure:
    """A rule's interval extension: what interval numbers compute (see
    :mod:`dualjit.types.interval` and :mod:`dualjit.rules.enclosures`).

    unary rule ``f(x)``
        ``primal(X) -> Y``                 an Interval containing {f(x) : x in X, x in domain}
        ``first(X, Y) -> F1``              containing {f'(x) : x in X}; Y = primal(X)
        ``second(X, Y, F1) -> F2``
    binary rule ``f(x, z)``
        ``primal(X, Z) -> Y``
        ``first(X, Z, Y) -> (FX, FZ)``
        ``second(X, Z, Y, FX, FZ) -> (FXX, FXZ, FZZ)``

    All are plain Python over Interval objects (compiled by Numba for the native type).
    At a kink the derivative enclosures contain the whole generalized gradient (abs' over
    an interval holding 0 is [-1, 1]).
    """

    primal: Callable
    first: Callable
    second: Callable
    # The primal's error bound in ulps used to widen libm results (0 for correctly rounded
    # operations), with the margin over the certified maximum that justifies it.
    ulps: float = 0.0
    justification: str = ""


@dataclass(frozen=True)
class Rule:
    name: str
    arity: int
    primal: Callable
    first: Callable
    second: Callable
    # Python callables that dualjit overloads with this rule, e.g. (math.sin, np.sin).
    targets: tuple
    # mpmath references, written from the mathematical definition and never from the
    # float formulas above: (f, f1, f2) for unary rules; (f, (fx, fz), (fxx, fxz, fzz))
    # for binary rules. Each takes mpf arguments and returns an mpf.
    reference: tuple
    domain: Domain = Domain()
    # Uniform sampling ranges per argument, e.g. ((-10.0, 10.0),) or ((lo,hi),(lo,hi)).
    sample_ranges: tuple = ()
    kinks: tuple = ()
    # "exact": the value part is bit-for-bit Numba's own primal for the same call.
    # Otherwise a sentence saying why not and what bound holds instead.
    value_class: str = "exact"
    # Why each derivative formula was chosen (accuracy in the tails, cost).
    notes: str = ""
    # Error budgets in ulps, checked by the tests and by certification.
    budget_first: float = 2.0
    budget_second: float = 4.0
    # Extra points worth checking: known hard cases, near zeros of f' and f''.
    special_points: tuple = ()
    # True for + - * / and unary -: served by each number type's own algebra (which
    # keeps the value exact and avoids multiplying by zero second partials); the row
    # documents the rule and drives the tests and the oracle like any other.
    algebra: bool = False
    # Interval extension (interval Dual / HyperDual, dualjit.enclose).
    enclosure: "Enclosure | None" = None
    # Custom rules (dualjit.rule): value and partials in one call, free to share
    # intermediate values -- unary ``(x) -> (y, f1[, f2])``, binary
    # ``(x, z) -> (y, fx, fz[, fxx, fxz, fzz])``. When set, the engine calls it once per
    # operation instead of primal/first/second (which then wrap it, for the consumers
    # that take the formulas one by one). ``order``: 2 when it returns second partials.
    derivatives: "Callable | None" = None
    order: int = 2

    def __post_init__(self):
        if self.arity not in (1, 2):
            raise ValueError(f"rule {self.name!r}: arity must be 1 or 2, got {self.arity}")
        if self.order not in (1, 2):
            raise ValueError(f"rule {self.name!r}: order must be 1 or 2, got {self.order}")

    @property
    def qualified_targets(self) -> tuple[str, ...]:
        """Readable names of the overloaded callables, e.g. ('math.sin', 'numpy.sin')."""
        return tuple(qualified_name(t) for t in self.targets)

