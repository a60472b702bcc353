"""Evaluate one rule through the engine on many points: one compiled kernel per
(rule, target), vectorized over points.

For every point the kernel computes, in one pass,

* the primal: the target called on plain floats (what the user's program computes);
* the value part of every number type: Dual, vector Dual, HyperDual (and, for binary
  rules, each argument alone as a dual and both together);
* the first partials (Dual, scalar seed), the second partials (HyperDual), and the same
  partials again through the other types, to check that the types agree exactly.

Two backends:

* ``"engine"`` (default): the target itself (math.sin, np.sin, ...) called on dualjit's
  Numba types -- the generated overloads, exactly what users run;
* ``"formulas"``: the row's own float formulas (``primal``, ``first``, ``second``) called
  in plain Python, with the engine's NaN convention (no derivative where the value is
  NaN). It needs no compilation and no registration, so a modified row
  (``dataclasses.replace(rule, first=...)``) can be certified before it is ever
  registered with Numba; the value part is then the primal itself.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..rules.schema import qualified_name

__all__ = ["EngineResult", "evaluate_rule", "evaluate_target", "engine_targets",
           "unary_kernel", "binary_kernel", "UNARY_COLUMNS", "BINARY_COLUMNS",
           "target_name"]

# Columns of the raw kernel output (shared with tests/numba_ext/test_rule_overloads.py).
UNARY_COLUMNS = ("primal", "dual.value", "dual.d", "hyper.value", "hyper.e1", "hyper.e2",
                 "hyper.e12", "vec.value", "vec.d0", "vec.d1", "vec.d2")
BINARY_COLUMNS = ("primal", "dx.value", "dx.d", "dz.value", "dz.d", "dd.value", "dd.dx",
                  "dd.dz", "hx.value", "hx.e1", "hx.e12", "hz.value", "hz.e1", "hz.e12",
                  "hh.value", "hh.e1", "hh.e2", "hh.e12")
#: Seeds of the vector Dual in the unary kernel: its partials are exact multiples of f'.
VECTOR_SEEDS = (1.0, 2.0, -0.5)

_KERNELS: dict = {}


def unary_kernel(target):
    """The compiled kernel for a unary target: ``kernel(xs, out)`` fills ``out[i, :]``
    with :data:`UNARY_COLUMNS`. Cached per target."""
    key = ("u", target)
    if key not in _KERNELS:
        import numba

        from .. import Dual, HyperDual

        @numba.njit(error_model="numpy")
        def kernel(xs, out):
            for i in range(xs.shape[0]):
                x = xs[i]
                out[i, 0] = target(x)
                d = target(Dual(x, 1.0))
                out[i, 1], out[i, 2] = d.value, d.partials[0]
                h = target(HyperDual(x, 1.0, 1.0, 0.0))
                out[i, 3], out[i, 4], out[i, 5], out[i, 6] = h.value, h.e1[0], h.e2[0], h.e12[0]
                v = target(Dual(x, (1.0, 2.0, -0.5)))
                out[i, 7], out[i, 8], out[i, 9], out[i, 10] = (v.value, v.partials[0],
                                                               v.partials[1], v.partials[2])
        _KERNELS[key] = kernel
    return _KERNELS[key]


def binary_kernel(target):
    """The compiled kernel for a binary target: ``kernel(xs, zs, out)`` fills
    ``out[i, :]`` with :data:`BINARY_COLUMNS`. Cached per target."""
    key = ("b", target)
    if key not in _KERNELS:
        import numba

        from .. import Dual, HyperDual

        @numba.njit(error_model="numpy")
        def kernel(xs, zs, out):
            for i in range(xs.shape[0]):
                x, z = xs[i], zs[i]
                out[i, 0] = target(x, z)
                dx = target(Dual(x, 1.0), z)
                dz = target(x, Dual(z, 1.0))
                dd = target(Dual(x, (1.0, 0.0)), Dual(z, (0.0, 1.0)))
                out[i, 1], out[i, 2], out[i, 3], out[i, 4] = dx.value, dx.partials[0], dz.value, dz.partials[0]
                out[i, 5], out[i, 6], out[i, 7] = dd.value, dd.partials[0], dd.partials[1]
                hx = target(HyperDual(x, 1.0, 1.0, 0.0), z)
                hz = target(x, HyperDual(z, 1.0, 1.0, 0.0))
                hh = target(HyperDual(x, 1.0, 0.0, 0.0), HyperDual(z, 0.0, 1.0, 0.0))
                out[i, 8], out[i, 9], out[i, 10] = hx.value, hx.e1[0], hx.e12[0]
                out[i, 11], out[i, 12], out[i, 13] = hz.value, hz.e1[0], hz.e12[0]
                out[i, 14], out[i, 15], out[i, 16], out[i, 17] = hh.value, hh.e1[0], hh.e2[0], hh.e12[0]
        _KERNELS[key] = kernel
    return _KERNELS[key]


target_name = qualified_name


def engine_targets(rule) -> tuple:
    """The targets certified through the engine: all of the row's targets except the
    integer-valued math.floor/ceil/trunc (they return the primal int, no dual)."""
    from ..numba_ext.rules import INT_VALUED
    return tuple(t for t in rule.targets if t not in INT_VALUED)


@dataclass
class EngineResult:
    """One target's answers on ``n`` points.

    ``primal`` (n,): the target on floats. ``values`` (n, k): every number type's value
    part, labelled by ``value_labels``. ``first`` (n, arity): first partials (Dual).
    ``second`` (n, 1) or (n, 3): second partials (HyperDual; binary: d2/dx2, d2/dxdz,
    d2/dz2). ``consistency``: list of (point index, message) where two number types
    disagree on a partial.
    """

    target: str
    primal: np.ndarray
    values: np.ndarray
    value_labels: tuple
    first: np.ndarray
    second: np.ndarray
    consistency: list


def _agree(a, b):
    """Equal derivative parts; the sign of a zero derivative carries no meaning."""
    return a == b or (a != a and b != b)


def _from_unary(target, out) -> EngineResult:
    n = out.shape[0]
    bad = []
    for i in range(n):
        d = out[i, 2]
        if not (_agree(out[i, 4], d) and _agree(out[i, 5], d)):
            bad.append((i, "HyperDual e1/e2 differ from Dual"))
        elif not all(_agree(out[i, 8 + j], float(d) * s) for j, s in enumerate(VECTOR_SEEDS)):
            bad.append((i, "vector Dual partials differ from Dual"))
    return EngineResult(target, out[:, 0].copy(), out[:, [1, 3, 7]].copy(),
                        ("Dual", "HyperDual", "Dual[3]"), out[:, [2]].copy(),
                        out[:, [6]].copy(), bad)


def _from_binary(target, out) -> EngineResult:
    n = out.shape[0]
    bad = []
    for i in range(n):
        r = out[i]
        if not (_agree(r[6], r[2]) and _agree(r[7], r[4])):
            bad.append((i, "Dual[2] differs from the scalar Duals"))
        elif not (_agree(r[9], r[2]) and _agree(r[12], r[4])):
            bad.append((i, "HyperDual first partials differ from Dual"))
        elif not (_agree(r[15], r[2]) and _agree(r[16], r[4])):
            bad.append((i, "HyperDual pair first partials differ from Dual"))
    return EngineResult(target, out[:, 0].copy(), out[:, [1, 3, 5, 8, 11, 14]].copy(),
                        ("Dual(x)", "Dual(z)", "Dual[2]", "HyperDual(x)", "HyperDual(z)",
                         "HyperDual(x,z)"),
                        out[:, [2, 4]].copy(), out[:, [10, 17, 13]].copy(), bad)


def evaluate_target(rule, target, points) -> EngineResult:
    """Run ``rule``'s ``target`` through the engine on ``points`` ((n, arity) float64)."""
    points = np.ascontiguousarray(np.asarray(points, dtype=np.float64).reshape(-1, rule.arity))
    n = points.shape[0]
    if rule.arity == 1:
        out = np.empty((n, len(UNARY_COLUMNS)))
        unary_kernel(target)(points[:, 0].copy(), out)
        return _from_unary(target_name(target), out)
    out = np.empty((n, len(BINARY_COLUMNS)))
    binary_kernel(target)(points[:, 0].copy(), points[:, 1].copy(), out)
    return _from_binary(target_name(target), out)


def evaluate_formulas(rule, points) -> EngineResult:
    """The row's float formulas in plain Python (see the module doc)."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, rule.arity)
    n = points.shape[0]
    nan = math.nan
    primal = np.empty(n)
    first = np.empty((n, rule.arity))
    second = np.empty((n, 1 if rule.arity == 1 else 3))
    with np.errstate(all="ignore"):
        for i in range(n):
            args = tuple(float(a) for a in points[i])
            try:
                y = float(rule.primal(*args))
            except (ValueError, ZeroDivisionError, OverflowError):
                y = nan
            primal[i] = y
            if y != y:
                first[i] = nan
                second[i] = nan
                continue
            try:
                d1 = rule.first(*args, y)
                d2 = rule.second(*args, y, *(d1 if rule.arity == 2 else (d1,)))
            except (ValueError, ZeroDivisionError, OverflowError):
                first[i] = nan
                second[i] = nan
                continue
            first[i] = d1
            second[i] = d2
    return EngineResult("formulas", primal, primal[:, None].copy(), ("formulas",),
                        first, second, [])


def evaluate_rule(rule, points, backend: str = "engine", targets=None) -> list:
    """Evaluate ``rule`` on ``points`` through each of its targets (``backend='engine'``;
    ``targets`` restricts them) or through its plain-Python formulas
    (``backend='formulas'``). Returns a list of :class:`EngineResult`."""
    if backend == "formulas":
        return [evaluate_formulas(rule, points)]
    if backend != "engine":
        raise ValueError(f"backend must be 'engine' or 'formulas', got {backend!r}")
    targets = engine_targets(rule) if targets is None else tuple(targets)
    if not targets:
        raise ValueError(f"rule {rule.name!r} has no target the engine can certify")
    return [evaluate_target(rule, t, points) for t in targets]
