"""The properties ``dualjit validate`` checks, one :class:`Property` entry each.

Scalar programs f(x) (``kind="scalar"``), at every point x:

``value_exact``
    The value part of ``Dual(x, 1)``, ``Dual(x, (1, 0, 2))``, ``HyperDual(x, 1, 1, 0)``
    and ``value_and_derivative(f, x)`` is bit-for-bit the plain ``f(x)`` (NaN ⇔ NaN).
``nan_propagation``
    Where the value is NaN, every seeded derivative part is NaN too (dualjit's
    convention: outside the domain the value and all derivatives are NaN).
``types_agree``
    Dual, vector Dual and HyperDual agree bit for bit: the derivative of ``Dual(x, 1)``
    = partial 0 of ``Dual(x, (1, 0, 2))`` = e1 = e2 of ``HyperDual(x, 1, 1, 0)`` =
    ``value_and_derivative``; partial 2 = 2 × partial 0 (exact scaling); partial 1
    (seed 0) stays exactly 0 (strong zero) unless the value is NaN; e12 =
    ``second_derivative(f, x)``.
``oracle``
    ``certify_function(f, x)``: f' and f'' within the program's budget
    (:mod:`dualjit.validate.budget`), as ulps against the exact derivatives of the
    program. Skipped and counted: points at a kink, where the truth is undefined or
    unresolved, out of the normal double range, or ill-conditioned.

Vector programs (``kind="vector"``; g: R^n -> R and G: R^n -> R^m), at every point:

``jvp_linear``
    ``jvp(G, x, v)``: the value is bit-for-bit G(x); ``jvp(G, x, 2v) = 2 jvp(G, x, v)``
    bit for bit; ``jvp(G, x, a v1 + b v2) ≈ a jvp(G, x, v1) + b jvp(G, x, v2)`` and
    ``jvp(G, x, v1) ≈ jacobian(G, x) @ v1`` within C·4u·(statements + n)·Σ_j Gabs_ij |w_j|
    (the absolute-value evaluation of the tangent sum, see the budget module).
``hessian_symmetric``
    ``hessian(g, x)`` is exactly symmetric, and agrees with the Hessian assembled from
    a different blocking (``chunk=1``) within C·4u·statements·Habs_jk.
``gradient_oracle``
    ``certify_gradient(g, x)``: every partial within its budget C·B_j/|∂_j g|.

Adding a property (interval enclosures, CPU vs CUDA simulator) is one more
:class:`Property` in :data:`PROPERTIES`: a ``check(ctx, point, draw)`` returning a list
of :class:`Outcome` (pass, fail with a message and a reproducer, or skip with a reason).
"""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .budget import C_BUDGET, ILL_CONDITIONED, U, Undefined, program_bounds
from .space import Draw, Program

__all__ = ["Property", "Outcome", "PROPERTIES", "PROPERTIES_BY_NAME", "ProgramContext",
           "VectorContext", "same_bits", "hexf"]


@dataclass
class Outcome:
    status: str                     # "pass" | "fail" | "skip"
    reason: str = ""                # skip reason / failure message
    reproducer: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Property:
    name: str
    kind: str                       # "scalar" | "vector"
    description: str
    check: Callable                 # (ctx, point: tuple, draw: Draw) -> list[Outcome]


def _bits(v: float) -> int:
    return struct.unpack("<q", struct.pack("<d", float(v)))[0]


def same_bits(a, b) -> bool:
    """Bit-for-bit equality of two doubles, any NaN equal to any NaN."""
    a, b = float(a), float(b)
    if a != a or b != b:
        return a != a and b != b
    return _bits(a) == _bits(b)


def hexf(v) -> str:
    v = float(v)
    if v != v:
        return "float('nan')"
    if math.isinf(v):
        return "float('inf')" if v > 0 else "-float('inf')"
    return f"float.fromhex('{v.hex()}')"


def _fmt(v) -> str:
    return repr(float(v))


# --------------------------------------------------------------------------- contexts

class ProgramContext:
    """One scalar program, compiled once and shared by every property, with the
    engine's answers per point cached."""

    def __init__(self, program: Program):
        self.program = program
        self.f = program.compile()
        self._cache: dict = {}

    def engine(self, x: float) -> dict:
        key = _bits(x)
        if key not in self._cache:
            import dualjit
            from dualjit import Dual, HyperDual
            f = self.f
            try:
                r = {"primal": float(f(x))}
            except ZeroDivisionError:
                # Numba's default error model raises on a float division by zero.
                self._cache[key] = None
                return None
            d1 = f(Dual(x, 1.0))
            d3 = f(Dual(x, (1.0, 0.0, 2.0)))
            h = f(HyperDual(x, 1.0, 1.0, 0.0))
            r["dual"] = (float(d1.value), float(d1.partials[0]))
            r["dual3"] = (float(d3.value),) + tuple(float(p) for p in d3.partials)
            r["hyper"] = (float(h.value), float(h.e1[0]), float(h.e2[0]), float(h.e12[0]))
            v, dv = dualjit.value_and_derivative(f, x)
            r["vad"] = (float(v), float(dv))
            r["second"] = float(dualjit.second_derivative(f, x))
            self._cache[key] = r
        return self._cache[key]

    def header(self, prop: str, message: str) -> str:
        return (f"# dualjit validate reproducer -- property {prop!r}\n"
                f"# {message}\n"
                "# Run as is: it raises AssertionError while the failure is present.\n"
                f"{self.program.source()}\n"
                "import numba\nfrom dualjit import Dual, HyperDual\n\n"
                f"{self.program.name} = numba.njit(cache=False)({self.program.name})\n")


class VectorContext:
    """A vector program pair: g: R^n -> R (gradient/Hessian) and G: R^n -> R^m (jvp)."""

    def __init__(self, g: Program, G: Program):
        self.program = g
        self.g_program, self.G_program = g, G
        self.g = g.compile()
        self.G = G.compile()

    def header(self, prop: str, message: str, which: str) -> str:
        p = self.g_program if which == "g" else self.G_program
        return (f"# dualjit validate reproducer -- property {prop!r}\n"
                f"# {message}\n"
                "# Run as is: it raises AssertionError while the failure is present.\n"
                f"{p.source()}\n"
                "import numba\n\n"
                f"{p.name} = numba.njit(cache=False)({p.name})\n")


# --------------------------------------------------------------------------- scalar properties

def _values_check(ctx: ProgramContext, point, draw):
    x = point[0]
    e = ctx.engine(x)
    if e is None:
        return [Outcome("skip", "f(x) raises ZeroDivisionError")]
    p = e["primal"]
    bad = []
    for label, v in (("Dual(x, 1.0).value", e["dual"][0]),
                     ("Dual(x, (1.0, 0.0, 2.0)).value", e["dual3"][0]),
                     ("HyperDual(x, 1.0, 1.0, 0.0).value", e["hyper"][0]),
                     ("dualjit.value_and_derivative(f, x)[0]", e["vad"][0])):
        if not same_bits(v, p):
            bad.append((label, v))
    if not bad:
        return [Outcome("pass")]
    label, v = bad[0]
    msg = f"{label} = {_fmt(v)} but f(x) = {_fmt(p)} at x = {_fmt(x)} ({x.hex()})"
    name = ctx.program.name
    rep = ctx.header("value_exact", msg) + (
        f"x = {hexf(x)}\n"
        f"primal = {name}(x)\n"
        f"values = {{'Dual(x, 1.0).value': {name}(Dual(x, 1.0)).value,\n"
        f"          'Dual(x, (1.0, 0.0, 2.0)).value': {name}(Dual(x, (1.0, 0.0, 2.0))).value,\n"
        f"          'HyperDual(x, 1.0, 1.0, 0.0).value': {name}(HyperDual(x, 1.0, 1.0, 0.0)).value,\n"
        f"          'dualjit.value_and_derivative(f, x)[0]': "
        f"dualjit.value_and_derivative({name}, x)[0]}}\n"
        "print('f(x) =', primal.hex() if primal == primal else primal)\n"
        "for k, v in values.items():\n"
        "    print(k, '=', v.hex() if v == v else v)\n"
        "bad = [k for k, v in values.items()\n"
        "       if not ((v != v and primal != primal) or v.hex() == primal.hex())]\n"
        "assert not bad, f'value part differs from the primal: {bad}'\n")
    return [Outcome("fail", msg, rep)]


def _nan_check(ctx: ProgramContext, point, draw):
    x = point[0]
    e = ctx.engine(x)
    if e is None:
        return [Outcome("skip", "f(x) raises ZeroDivisionError")]
    if e["primal"] == e["primal"]:
        return [Outcome("skip", "value is not NaN")]
    parts = {"Dual(x, 1.0) derivative": e["dual"][1],
             "Dual(x, (1.0, 0.0, 2.0)) partial 0": e["dual3"][1],
             "Dual(x, (1.0, 0.0, 2.0)) partial 2": e["dual3"][3],
             "HyperDual e1": e["hyper"][1], "HyperDual e2": e["hyper"][2],
             "HyperDual e12": e["hyper"][3]}
    bad = [k for k, v in parts.items() if v == v]
    if not bad:
        return [Outcome("pass")]
    try:
        oor = program_bounds(ctx.program, point).out_of_range
    except Undefined as exc:
        oor = exc.out_of_range
    if oor:
        # An intermediate overflowed (exact value beyond the double range): 1/inf made
        # a partial exactly 0 and the strong-zero convention kept it 0 through the NaN.
        return [Outcome("skip", "NaN after an overflow (strong zero kept a zero partial)")]
    msg = (f"value NaN at x = {_fmt(x)} ({x.hex()}) but {bad[0]} = {_fmt(parts[bad[0]])}")
    name = ctx.program.name
    rep = ctx.header("nan_propagation", msg) + (
        f"x = {hexf(x)}\n"
        f"h = {name}(HyperDual(x, 1.0, 1.0, 0.0))\n"
        f"d = {name}(Dual(x, (1.0, 0.0, 2.0)))\n"
        "print(h, d)\n"
        "assert h.value != h.value\n"
        "parts = [h.e1[0], h.e2[0], h.e12[0], d.partials[0], d.partials[2]]\n"
        "assert all(p != p for p in parts), f'value is NaN but some derivative is not: {parts}'\n")
    return [Outcome("fail", msg, rep)]


def _types_check(ctx: ProgramContext, point, draw):
    x = point[0]
    e = ctx.engine(x)
    if e is None:
        return [Outcome("skip", "f(x) raises ZeroDivisionError")]
    d = e["dual"][1]
    # Dual and vector Dual share every formula: bit for bit.
    checks = [("Dual(x, (1, 0, 2)) partial 0", e["dual3"][1], d),
              ("value_and_derivative derivative", e["vad"][1], d),
              ("HyperDual e1 vs e2", e["hyper"][1], e["hyper"][2]),
              ("HyperDual e12 vs second_derivative", e["hyper"][3], e["second"])]
    if 2.0 ** -1020 <= abs(d) <= 2.0 ** 1022 or d != d or math.isinf(d):
        # Exact scaling by 2 (subnormal derivatives may round differently).
        checks.append(("Dual(x, (1, 0, 2)) partial 2 vs 2*derivative", e["dual3"][3], 2.0 * d))
    bad = [(lbl, a, b) for lbl, a, b in checks if not same_bits(a, b)]
    p1 = e["dual3"][2]
    if not (same_bits(abs(p1), 0.0) or (p1 != p1 and e["primal"] != e["primal"])):
        bad.append(("Dual(x, (1, 0, 2)) partial 1 (seed 0) is not 0", p1, 0.0))
    h1 = e["hyper"][1]
    note = "HyperDual e1 == Dual derivative bit for bit"
    tol = None
    if not same_bits(h1, d):
        note = "HyperDual e1 != Dual derivative bit for bit (within tolerance)"
        # HyperDual and Dual may round differently (e.g. c / x): both are within u*B of
        # the truth, so they must agree within 2*C*u*B.
        try:
            bounds = program_bounds(ctx.program, point)
            B = float(bounds.outputs[0]["B"][0])
        except Undefined:
            bounds, B = None, math.inf
        if bounds is None or bounds.out_of_range or not (math.isfinite(h1) and math.isfinite(d)):
            if not (bounds is None or bounds.out_of_range):
                bad.append(("HyperDual e1 vs Dual derivative", h1, d))
            else:
                note = "HyperDual e1 != Dual derivative (out of range, not scored)"
        else:
            tol = 2 * C_BUDGET * U * B
            if not abs(h1 - d) <= tol:
                bad.append((f"HyperDual e1 vs Dual derivative (tolerance {tol:.3g})", h1, d))
    if not bad:
        return [Outcome("pass", data={"note": note})]
    lbl, a, b = bad[0]
    msg = f"{lbl}: {_fmt(a)} vs {_fmt(b)} at x = {_fmt(x)} ({x.hex()})"
    name = ctx.program.name
    tol_src = "0.0" if tol is None else repr(tol)
    rep = ctx.header("types_agree", msg) + (
        f"x = {hexf(x)}\n"
        f"d1 = {name}(Dual(x, 1.0))\n"
        f"d3 = {name}(Dual(x, (1.0, 0.0, 2.0)))\n"
        f"h = {name}(HyperDual(x, 1.0, 1.0, 0.0))\n"
        f"vad = dualjit.value_and_derivative({name}, x)\n"
        f"f2 = dualjit.second_derivative({name}, x)\n"
        "print(d1, d3, h, vad, f2, sep='\\n')\n"
        "same = lambda a, b: (a != a and b != b) or a.hex() == b.hex()\n"
        "d = d1.partials[0]\n"
        "assert same(d3.partials[0], d), 'vector Dual partial 0 != Dual derivative'\n"
        "assert same(h.e1[0], h.e2[0]), 'HyperDual e1 != e2'\n"
        f"tol = {tol_src}  # 2*C*u*B from dualjit.validate.budget\n"
        "assert same(h.e1[0], d) or abs(h.e1[0] - d) <= tol, 'HyperDual e1 != Dual derivative'\n"
        "assert same(vad[1], d), 'value_and_derivative != Dual derivative'\n"
        "assert same(h.e12[0], f2), 'HyperDual e12 != second_derivative'\n"
        "assert not (2.0 ** -1020 <= abs(d) <= 2.0 ** 1022) or same(d3.partials[2], 2.0 * d), "
        "'partial 2 != 2 * partial 0'\n"
        "assert d3.partials[1] == 0.0 or h.value != h.value, 'zero seed gave a nonzero partial'\n")
    return [Outcome("fail", msg, rep)]


def _certificate(ctx, x):
    """certify_function(ctx.f, x), computed once per point for every property using it
    (the oracle re-execution is the expensive part). Raises what certify_function raises."""
    import dualjit
    cache = ctx.__dict__.setdefault("_certificates", {})
    key = _bits(x)
    if key not in cache:
        if len(cache) > 64:
            cache.clear()
        try:
            cache[key] = dualjit.certify_function(ctx.f, x)
        except Exception as e:  # noqa: BLE001 - re-raised to each caller
            cache[key] = e
    if isinstance(cache[key], Exception):
        raise cache[key]
    return cache[key]


def _oracle_check(ctx: ProgramContext, point, draw):
    from dualjit.oracle.precision import UNRESOLVED
    x = point[0]
    try:
        cert = _certificate(ctx, x)
    except Exception as e:  # noqa: BLE001 - reported, not raised
        return [Outcome("skip", f"oracle error: {type(e).__name__}")]
    if cert.kinks:
        return [Outcome("skip", "at a kink")]
    if (cert.value_outcome.status == "ok" and math.isfinite(cert.true_value)
            and not math.isfinite(cert.primal)):
        # The float program itself fails here (e.g. sigmoid rounds to 1, logit -> inf).
        return [Outcome("skip", "float f(x) not finite, true f(x) finite")] * 2
    outs = []
    try:
        bounds = program_bounds(ctx.program, point)
    except Undefined:
        bounds = None
    for order, (label, got, true, ulps, outcome, score) in enumerate((
            ("f'", cert.derivative, cert.true_derivative, cert.derivative_ulp,
             cert.derivative_outcome, cert.derivative_score),
            ("f''", cert.second_derivative, cert.true_second_derivative,
             cert.second_derivative_ulp, cert.second_derivative_outcome,
             cert.second_derivative_score)), start=1):
        if cert.value_outcome.status != "ok" or outcome.status == "undefined":
            outs.append(Outcome("skip", "undefined or overflowing truth"))
            continue
        if outcome.status == UNRESOLVED or cert.value_outcome.status == UNRESOLVED:
            outs.append(Outcome("skip", "oracle unresolved"))
            continue
        if bounds is None:
            outs.append(Outcome("skip", "undefined or overflowing truth"))
            continue
        if bounds.out_of_range or outcome.status != "ok":
            outs.append(Outcome("skip", "out of the normal double range"))
            continue
        if bounds.partials_out_of_range and score.kind in ("ok", "false_zero"):
            outs.append(Outcome("skip", "a rule partial out of the normal double range"))
            continue
        budget = (bounds.first_budget(true) if order == 1 else bounds.second_budget(true))
        if not budget <= ILL_CONDITIONED:
            outs.append(Outcome("skip", "ill-conditioned"))
            continue
        data = {"order": order, "ulps": ulps if score.kind == "ok" else None,
                "budget": budget, "kappa": bounds.kappa(cert.true_derivative)}
        if score.kind == "ok" and ulps <= budget:
            outs.append(Outcome("pass", data=data))
            continue
        what = f"{ulps:.3g} ulp" if score.kind == "ok" else score.kind
        msg = (f"{label} = {_fmt(got)}, true {_fmt(true)}: {what} > budget {budget:.3g} ulp "
               f"at x = {_fmt(x)} ({x.hex()})")
        attr = "derivative_ulp" if order == 1 else "second_derivative_ulp"
        name = ctx.program.name
        rep = ctx.header("oracle", msg) + (
            f"x = {hexf(x)}\n"
            f"cert = dualjit.certify_function({name}, x)\n"
            "print(cert)\n"
            f"budget = {budget!r}  # ulps: C*B/|{label}| from dualjit.validate.budget\n"
            f"assert cert.{attr} <= budget, ({label + ' off by'!r}, cert.{attr}, 'ulp > budget', "
            "budget)\n")
        outs.append(Outcome("fail", msg, rep, data))
    return outs


def _rounded_constants(program) -> bool:
    """The program rounds something that does not depend on x (f(c), c1 * c2, ...)."""
    depends = []
    for op in program.ops:
        kind = op[0]
        if kind in ("var", "const"):
            depends.append(kind == "var")
            continue
        args = [a for a in op[1:] if isinstance(a, int) and not isinstance(a, bool)
                and a < len(depends)]
        if kind == "un":
            args = [op[3]]
        elif kind in ("neg", "ipow"):
            args = [op[1]]
        elif kind == "bin":
            args = [op[2], op[3]]
        elif kind == "binc":
            args = [op[3]]
        dep = any(depends[a] for a in args)
        if not dep and kind != "neg":
            return True
        depends.append(dep)
    return False


def _enclosure_check(ctx: ProgramContext, point, draw):
    """The interval enclosures of value, f' and f'' hold the oracle's exact values."""
    import mpmath as mp
    x = point[0]
    if _rounded_constants(ctx.program):
        # enclose runs x-independent float code as the program does and takes its results
        # as exact constants (docs/intervals.md); the oracle computes them exactly
        return [Outcome("skip", "x-independent rounded subexpression")]
    try:
        cert = _certificate(ctx, x)
    except Exception as e:  # noqa: BLE001 - reported, not raised
        return [Outcome("skip", f"oracle error: {type(e).__name__}")]
    if cert.kinks:
        return [Outcome("skip", "at a kink")]
    if cert.enclosure is None:
        return [Outcome("skip", f"no enclosure: {cert.enclosure_error[:60]}")]
    e = cert.enclosure
    outs = []
    for label, box, outcome in (("f", e.value, cert.value_outcome),
                                ("f'", e.derivative, cert.derivative_outcome),
                                ("f''", e.second_derivative, cert.second_derivative_outcome)):
        t = outcome.exact
        if outcome.status not in ("ok", "overflow") or t is None or not mp.isfinite(t):
            outs.append(Outcome("skip", "no finite exact value"))
            continue
        with mp.workprec(max(outcome.prec or 160, 160)):
            slack = abs(t) * mp.mpf(2) ** -140  # below the oracle's resolution
            inside = box.lo - slack <= t <= box.hi + slack
        if inside:
            outs.append(Outcome("pass", data={"component": label}))
            continue
        msg = (f"{label} enclosure [{box.lo!r}, {box.hi!r}] misses the exact "
               f"{mp.nstr(t, 20)} at x = {_fmt(x)} ({x.hex()})")
        rep = ctx.header("enclosure_contains", msg) + (
            f"x = {hexf(x)}\n"
            f"e = dualjit.enclose({ctx.program.name}, x, order=2)\n"
            f"cert = dualjit.certify_function({ctx.program.name}, x)\n"
            "print(e, cert)\n"
            "assert False, 'compare the enclosure with the true value printed above'\n")
        outs.append(Outcome("fail", msg, rep, {"component": label}))
    return outs


# --------------------------------------------------------------------------- vector properties

def _vec(point):
    return np.array(point, dtype=np.float64)


def _arr_src(a) -> str:
    return "np.array([" + ", ".join(hexf(v) for v in np.ravel(a)) + "])"


def _jvp_check(ctx: VectorContext, point, draw: Draw):
    import dualjit
    x = _vec(point)
    n = x.size
    v1 = np.array([draw.uniform(-2.0, 2.0) for _ in range(n)])
    v2 = np.array([draw.uniform(-2.0, 2.0) for _ in range(n)])
    a = draw.choice((0.5, -1.5, 3.0, 0.1, -7.25))
    b = draw.choice((1.0, -0.75, 2.5, 1e-3))
    w = a * v1 + b * v2
    G = ctx.G
    y = np.asarray(G(x.copy()), dtype=np.float64)
    y1, t1 = (np.asarray(r, dtype=np.float64) for r in dualjit.jvp(G, x.copy(), v1))
    _, t2 = (np.asarray(r, dtype=np.float64) for r in dualjit.jvp(G, x.copy(), v2))
    _, tw = (np.asarray(r, dtype=np.float64) for r in dualjit.jvp(G, x.copy(), w))
    _, t1x2 = (np.asarray(r, dtype=np.float64) for r in dualjit.jvp(G, x.copy(), 2.0 * v1))
    J = np.asarray(dualjit.jacobian(G, x.copy()), dtype=np.float64)
    name = ctx.G_program.name
    common = (f"x = {_arr_src(x)}\nv1 = {_arr_src(v1)}\nv2 = {_arr_src(v2)}\n"
              f"a, b = {a!r}, {b!r}\nw = a * v1 + b * v2\n"
              f"y1, t1 = dualjit.jvp({name}, x.copy(), v1)\n"
              f"_, t2 = dualjit.jvp({name}, x.copy(), v2)\n"
              f"_, tw = dualjit.jvp({name}, x.copy(), w)\n"
              f"_, t1x2 = dualjit.jvp({name}, x.copy(), 2.0 * v1)\n"
              f"J = dualjit.jacobian({name}, x.copy())\n"
              "print('t1', t1, 't2', t2, 'tw', tw, 'a*t1+b*t2', a * t1 + b * t2, 'J@v1', J @ v1,"
              " sep='\\n')\n"
              "same = lambda p, q: all((u != u and v != v) or u.hex() == v.hex()"
              " for u, v in zip(p.tolist(), q.tolist()))\n")
    outs = []

    def fail(msg, check):
        outs.append(Outcome("fail", msg, ctx.header("jvp_linear", msg, "G") + common + check))

    if not all(same_bits(p, q) for p, q in zip(y1, y)):
        fail(f"jvp value {y1.tolist()} != G(x) {y.tolist()} at x = {x.tolist()}",
             f"assert same(y1, {name}(x.copy())), 'jvp value != G(x)'\n")
    # Exact scaling by 2 unless a tangent is subnormal (or would overflow).
    finite2 = all(t == 0 or 2.0 ** -1020 <= abs(t) <= 2.0 ** 1022 for t in t1.tolist())
    if finite2 and not all(same_bits(p, 2.0 * q) for p, q in zip(t1x2, t1)):
        fail(f"jvp(2v) {t1x2.tolist()} != 2*jvp(v) {(2 * t1).tolist()} at x = {x.tolist()}",
             "assert same(t1x2, 2.0 * t1), 'jvp(G, x, 2v) != 2 jvp(G, x, v)'\n")
    if not outs:
        outs.append(Outcome("pass", data={"check": "bitwise"}))
    # Tolerance checks need the absolute-value evaluation of the tangent sums.
    if not (np.all(np.isfinite(t1)) and np.all(np.isfinite(t2)) and np.all(np.isfinite(tw))
            and np.all(np.isfinite(J))):
        outs.append(Outcome("skip", "non-finite tangents"))
        return outs
    try:
        bounds = program_bounds(ctx.G_program, tuple(x))
    except Undefined:
        outs.append(Outcome("skip", "undefined or overflowing truth"))
        return outs
    if bounds.out_of_range:
        outs.append(Outcome("skip", "out of the normal double range"))
        return outs
    k = C_BUDGET * 4 * U * (bounds.nodes + n)
    ok = True
    for i in range(len(t1)):
        gabs = np.array(bounds.gabs(i))
        tol = k * float(gabs @ (np.abs(w) + np.abs(a * v1) + np.abs(b * v2))) \
            + 4 * U * (abs(a * t1[i]) + abs(b * t2[i]) + abs(tw[i]))
        err = abs(tw[i] - (a * t1[i] + b * t2[i]))
        if not err <= tol:
            ok = False
            fail(f"jvp not linear at x = {x.tolist()}: output {i}: jvp(a v1 + b v2) = "
                 f"{tw[i]!r}, a jvp(v1) + b jvp(v2) = {a * t1[i] + b * t2[i]!r}, |diff| "
                 f"{err:.3g} > tolerance {tol:.3g}",
                 f"tol = {tol!r}\nassert abs(tw[{i}] - (a * t1[{i}] + b * t2[{i}])) <= tol, "
                 "'jvp is not linear in v'\n")
            break
        tolj = k * float(gabs @ np.abs(v1)) + 4 * U * n * float(np.abs(J[i]) @ np.abs(v1))
        errj = abs(t1[i] - float(J[i] @ v1))
        if not errj <= tolj:
            ok = False
            fail(f"jvp(G, x, v1)[{i}] = {t1[i]!r} but (jacobian @ v1)[{i}] = {float(J[i] @ v1)!r}"
                 f" at x = {x.tolist()}, |diff| {errj:.3g} > tolerance {tolj:.3g}",
                 f"tol = {tolj!r}\nassert abs(t1[{i}] - (J @ v1)[{i}]) <= tol, "
                 "'jvp != jacobian @ v'\n")
            break
    if ok:
        outs.append(Outcome("pass", data={"check": "tolerance"}))
    return outs


def _hessian_check(ctx: VectorContext, point, draw):
    import dualjit
    x = _vec(point)
    H = np.asarray(dualjit.hessian(ctx.g, x.copy()), dtype=np.float64)
    H1 = np.asarray(dualjit.hessian(ctx.g, x.copy(), chunk=1), dtype=np.float64)
    name = ctx.g_program.name
    common = (f"x = {_arr_src(x)}\nH = dualjit.hessian({name}, x.copy())\n"
              f"H1 = dualjit.hessian({name}, x.copy(), chunk=1)\nprint(H, H1, sep='\\n')\n")
    outs = []
    n = x.size
    sym = all(same_bits(H[j, k], H[k, j]) and same_bits(H1[j, k], H1[k, j])
              for j in range(n) for k in range(n))
    if not sym:
        msg = f"hessian not exactly symmetric at x = {x.tolist()}: {H.tolist()}"
        outs.append(Outcome("fail", msg, ctx.header("hessian_symmetric", msg, "g") + common +
                            "assert all(((H[j, k] != H[j, k]) and (H[k, j] != H[k, j])) or "
                            "H[j, k] == H[k, j] for j in range(len(x)) for k in range(len(x))),"
                            " 'H != H.T'\n"))
        return outs
    outs.append(Outcome("pass", data={"check": "bitwise"}))
    if not (np.all(np.isfinite(H)) and np.all(np.isfinite(H1))):
        outs.append(Outcome("skip", "non-finite Hessian"))
        return outs
    try:
        bounds = program_bounds(ctx.g_program, tuple(x))
    except Undefined:
        outs.append(Outcome("skip", "undefined or overflowing truth"))
        return outs
    if bounds.out_of_range:
        outs.append(Outcome("skip", "out of the normal double range"))
        return outs
    habs = np.array(bounds.habs(0))
    tol = C_BUDGET * 4 * U * (bounds.nodes + 1) * habs
    err = np.abs(H - H1)
    if np.all(err <= tol):
        outs.append(Outcome("pass", data={"check": "tolerance"}))
    else:
        j, k = np.unravel_index(int(np.argmax(err - tol)), err.shape)
        msg = (f"hessian(chunk=default)[{j},{k}] = {H[j, k]!r} but hessian(chunk=1) gives "
               f"{H1[j, k]!r} at x = {x.tolist()}: |diff| {err[j, k]:.3g} > {tol[j, k]:.3g}")
        outs.append(Outcome("fail", msg, ctx.header("hessian_symmetric", msg, "g") + common +
                            f"tol = {float(tol[j, k])!r}\n"
                            f"assert abs(H[{j}, {k}] - H1[{j}, {k}]) <= tol, "
                            "'Hessian depends on the blocking'\n"))
    return outs


def _gradient_oracle_check(ctx: VectorContext, point, draw):
    import dualjit
    x = _vec(point)
    try:
        cert = dualjit.certify_gradient(ctx.g, x.copy())
    except Exception as e:  # noqa: BLE001
        return [Outcome("skip", f"oracle error: {type(e).__name__}")]
    if cert.kinks:
        return [Outcome("skip", "at a kink")]
    try:
        bounds = program_bounds(ctx.g_program, tuple(x))
    except Undefined:
        return [Outcome("skip", "undefined or overflowing truth")]
    if bounds.out_of_range:
        return [Outcome("skip", "out of the normal double range")]
    outs = []
    name = ctx.g_program.name
    for j, (got, true, ulps, score, outc) in enumerate(zip(
            cert.gradient, cert.true_gradient, cert.gradient_ulp, cert.gradient_scores,
            cert.gradient_outcomes)):
        if outc.status != "ok" or cert.value_outcome.status != "ok":
            outs.append(Outcome("skip", "undefined or overflowing truth"
                                if outc.status != "unresolved" else "oracle unresolved"))
            continue
        budget = bounds.first_budget(true, 0, j)
        if not budget <= ILL_CONDITIONED:
            outs.append(Outcome("skip", "ill-conditioned"))
            continue
        data = {"order": 1, "ulps": ulps if score.kind == "ok" else None, "budget": budget}
        if score.kind == "ok" and ulps <= budget:
            outs.append(Outcome("pass", data=data))
            continue
        what = f"{ulps:.3g} ulp" if score.kind == "ok" else score.kind
        msg = (f"d{name}/dx[{j}] = {got!r}, true {true!r}: {what} > budget {budget:.3g} ulp at "
               f"x = {x.tolist()}")
        outs.append(Outcome("fail", msg, ctx.header("gradient_oracle", msg, "g") + (
            f"x = {_arr_src(x)}\ncert = dualjit.certify_gradient({name}, x)\nprint(cert)\n"
            f"budget = {budget!r}\n"
            f"assert cert.gradient_ulp[{j}] <= budget, 'gradient off budget'\n"), data))
    return outs


PROPERTIES: tuple = (
    Property("value_exact", "scalar", "value part bit-for-bit equal to the plain primal "
             "(Dual, vector Dual, HyperDual, value_and_derivative)", _values_check),
    Property("nan_propagation", "scalar", "value NaN => every seeded derivative part NaN",
             _nan_check),
    Property("types_agree", "scalar", "Dual, vector Dual and HyperDual agree bit for bit "
             "(and with value_and_derivative / second_derivative)", _types_check),
    Property("oracle", "scalar", "f' and f'' against certify_function within the program "
             "budget C*B/|f'|, C*D/|f''|", _oracle_check),
    Property("enclosure_contains", "scalar", "the interval enclosures (dualjit.enclose, "
             "order 2) of value, f' and f'' hold the oracle's exact values", _enclosure_check),
    Property("jvp_linear", "vector", "jvp is linear in v (bitwise for 2v, within the "
             "tangent-sum tolerance otherwise) and equals jacobian @ v", _jvp_check),
    Property("hessian_symmetric", "vector", "hessian exactly symmetric and independent of "
             "the blocking within tolerance", _hessian_check),
    Property("gradient_oracle", "vector", "gradient against certify_gradient within the "
             "per-partial budget C*B_j/|g_j|", _gradient_oracle_check),
)
PROPERTIES_BY_NAME = {p.name: p for p in PROPERTIES}
