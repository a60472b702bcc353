"""dualjit core benchmark: cost of derivatives relative to the plain program.

    /work/venv/bin/python benchmarks/bench_core.py [--quick] [--json out.json]

Every number is a ratio of medians measured side by side in this one process, on the
same points, with the variants interleaved (A, B, C, A, B, C, ...), after compilation
and a warm-up run (see benchmarks/_timing.py). Absolute times are printed too, but
only the ratios are meant to be compared across machines.

Sections
  1. Fike–Alonso f(x) = exp(x)/sqrt(sin(x)^3 + cos(x)^3) over many points: primal,
     Dual value+derivative, hand-written value+derivative, HyperDual second derivative.
  2. Gradient of the chained Rosenbrock function, n = 2, 8, 32, 128: chunk sizes,
     the Python-level verb and the verb called from compiled code.
  3. Hessian of Rosenbrock, n = 8 and 32: block (chunk) sizes.
  4. LLVM's SLP vectorizer (off by default in Numba): does it take effect when toggled
     at runtime, does it pay, and the same measured in a separate process.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import (Variant, asm_call_sites, asm_vector_stats, fmt_time,  # noqa: E402
                     interleaved, machine_info, print_table, ratio, verdict)

import numba  # noqa: E402
from numba.core import config as numba_config  # noqa: E402

import dualjit  # noqa: E402
from dualjit import Dual, HyperDual  # noqa: E402
from dualjit.api import gradient as g_api  # noqa: E402
from dualjit.api import hessian as h_api  # noqa: E402

NP = {"error_model": "numpy"}  # the library's JIT policy, used on every benchmark loop

# The library's own compiled kernels (register_jitable'd by dualjit.numba_ext.verbs), so
# compiled benchmark loops can choose the chunk; in compiled code the public verbs use
# the default chunk only.
value_and_gradient_kernel = g_api.value_and_gradient_kernel
hessian_kernel = h_api.hessian_kernel
DEFAULT_CHUNK = g_api.DEFAULT_CHUNK
DEFAULT_HESSIAN_CHUNK = h_api.DEFAULT_HESSIAN_CHUNK

RESULTS: dict = {}
NOTES: list = []


# =====================================================================================
# The user's functions: plain @numba.njit, unchanged, exactly as a user writes them.
# =====================================================================================

@numba.njit
def fike(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


# The same function with the library's error model: the plain '@njit' one checks for a
# division by zero (error_model='python'); this one is the stricter primal baseline.
@numba.njit(**NP)
def fike_np(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


def make_rosenbrock():
    """A fresh dispatcher each call (section 4 needs new compilations)."""
    @numba.njit
    def rosenbrock(x):
        s = 0.0
        for i in range(x.shape[0] - 1):
            s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
        return s
    return rosenbrock


rosenbrock = make_rosenbrock()


# =====================================================================================
# Section 1: Fike–Alonso over many points
# =====================================================================================

def make_fike_loops(f):
    @numba.njit(**NP)
    def primal_loop(x, val):
        for i in range(x.shape[0]):
            val[i] = f(x[i])

    @numba.njit(**NP)
    def dual_loop(x, val, der):
        for i in range(x.shape[0]):
            r = f(Dual(x[i], 1.0))
            val[i] = r.value
            der[i] = r.partials[0]

    @numba.njit(**NP)
    def hyperdual_loop(x, val, der, der2):
        for i in range(x.shape[0]):
            r = f(HyperDual(x[i], 1.0, 1.0, 0.0))
            val[i] = r.value
            der[i] = r.e1[0]
            der2[i] = r.e12[0]

    return primal_loop, dual_loop, hyperdual_loop


@numba.njit(**NP)
def hand_loop(x, val, der):
    """What a careful person writes by hand: f and f' = f·(1 − g'/(2g)), g = s³ + c³,
    g' = 3sc(s − c), sharing exp, sin, cos, sqrt between value and derivative."""
    for i in range(x.shape[0]):
        t = x[i]
        e = math.exp(t)
        s = math.sin(t)
        c = math.cos(t)
        g = s ** 3 + c ** 3
        v = e / math.sqrt(g)
        val[i] = v
        der[i] = v * (1.0 - 1.5 * s * c * (s - c) / g)


def section_fike(cfg):
    n = cfg["fike_points"]
    rng = np.random.default_rng(20240601)
    x = rng.uniform(0.0, 1.5, n)  # random order: libm's branches are not trivially predicted
    val, der, der2 = np.empty(n), np.empty(n), np.empty(n)
    primal_user, dual_loop, hyper_loop = make_fike_loops(fike)
    primal_np, _, _ = make_fike_loops(fike_np)

    variants = [
        Variant("primal (user @njit f)", lambda k: [primal_user(x, val) for _ in range(k)], n),
        Variant("primal (f with error_model=numpy)", lambda k: [primal_np(x, val) for _ in range(k)], n),
        Variant("Dual value+derivative", lambda k: [dual_loop(x, val, der) for _ in range(k)], n),
        Variant("hand-written value+derivative", lambda k: [hand_loop(x, val, der) for _ in range(k)], n),
        Variant("HyperDual value+f'+f''", lambda k: [hyper_loop(x, val, der, der2) for _ in range(k)], n),
    ]
    for v in variants:
        v.inner = 1  # one pass over the points is one sample (>= 10 ms even with --quick)

    checks = _fike_checks(x, primal_user, dual_loop, hyper_loop)
    t = interleaved(variants, cfg["fike_rounds"])

    names = [v.name for v in variants]
    p_user, p_np, dual, hand, hyper = names
    # Ratios against the faster of the two primals: the conservative reading.
    base = p_user if t[p_user].median <= t[p_np].median else p_np
    rows, js_rows = [], []
    targets = {dual: ("Dual / primal", 1.2), hyper: ("HyperDual / primal", 2.0)}
    for name in names:
        r, q1, q3 = ratio(t, name, base)
        tgt = targets.get(name)
        rows.append([name, f"{t[name].median * 1e9:.2f}", f"{r:.3f}×", f"[{q1:.3f}, {q3:.3f}]",
                     f"≤ {tgt[1]}" if tgt else "", verdict(r, tgt[1]) if tgt else ""])
        js_rows.append({"variant": name, "ns_per_point": t[name].median * 1e9, "ratio_to_primal": r,
                        "ratio_iqr": [q1, q3], "target": tgt[1] if tgt else None,
                        "verdict": verdict(r, tgt[1]) if tgt else None})
    r_dh, q1, q3 = ratio(t, dual, hand)
    rows.append(["Dual / hand-written", "", f"{r_dh:.3f}×", f"[{q1:.3f}, {q3:.3f}]", "≤ 1.1",
                 verdict(r_dh, 1.1)])
    r_pp, q1p, q3p = ratio(t, p_user, p_np)
    rows.append(["primal user / primal numpy-model", "", f"{r_pp:.3f}×", f"[{q1p:.3f}, {q3p:.3f}]", "", ""])
    print_table(
        f"1. Fike–Alonso f(x) = exp(x)/sqrt(sin³x + cos³x), {n:,} points in [0, 1.5] "
        f"(median of {cfg['fike_rounds']} interleaved rounds)",
        ["variant", "ns/point", "× primal", "per-round IQR", "target", "verdict"],
        rows,
        note=f"× = ratio of medians to '{base}' (the faster primal); the primal stores 1 value, "
             "Dual and hand-written store value+derivative into the same two arrays, HyperDual "
             "stores value, f', f''.\n"
             f"checks: {checks['summary']}")
    RESULTS["fike"] = {"points": n, "rounds": cfg["fike_rounds"], "baseline": base,
                       "rows": js_rows, "dual_over_hand": r_dh, "dual_over_hand_iqr": [q1, q3],
                       "dual_over_hand_target": 1.1, "dual_over_hand_verdict": verdict(r_dh, 1.1),
                       "checks": checks, "timings": {k: v.to_json() for k, v in t.items()}}
    return {"primal_user": primal_user, "primal_np": primal_np, "dual_loop": dual_loop,
            "hyper_loop": hyper_loop, "x": x[:1000].copy()}


def _fike_checks(x, primal_loop, dual_loop, hyper_loop):
    m = min(x.shape[0], 200_000)
    xs = x[:m]
    p, v, d = np.empty(m), np.empty(m), np.empty(m)
    hv, hd, hd2 = np.empty(m), np.empty(m), np.empty(m)
    vh, dh = np.empty(m), np.empty(m)
    primal_loop(xs, p)
    dual_loop(xs, v, d)
    hand_loop(xs, vh, dh)
    hyper_loop(xs, hv, hd, hd2)
    # f'' by a central difference of the hand-written f' (h ~ 1e-5: rel. error ~1e-9)
    h = 1e-5
    k = min(m, 2000)
    a, b = np.empty(k), np.empty(k)
    _, dp = np.empty(k), np.empty(k)
    _, dm = np.empty(k), np.empty(k)
    hand_loop(xs[:k] + h, a, dp)
    hand_loop(xs[:k] - h, b, dm)
    fd2 = (dp - dm) / (2 * h)
    rel = lambda u, w: float(np.max(np.abs(u - w) / np.maximum(np.abs(w), 1e-300)))  # noqa: E731
    out = {
        "dual_value_bitwise_equal_primal": float(np.mean(v == p)),
        "hyperdual_value_bitwise_equal_primal": float(np.mean(hv == p)),
        "max_rel_dual_vs_hand_derivative": rel(d, dh),
        "max_rel_hyperdual_e1_vs_dual": rel(hd, d),
        "max_rel_hyperdual_e12_vs_finite_difference": rel(hd2[:k], fd2),
    }
    out["summary"] = (f"Dual value == primal bit-for-bit on {100 * out['dual_value_bitwise_equal_primal']:.1f}% "
                      f"of {m:,} points; max rel |f'_dual − f'_hand| = {out['max_rel_dual_vs_hand_derivative']:.1e}; "
                      f"HyperDual f' vs Dual {out['max_rel_hyperdual_e1_vs_dual']:.1e}, "
                      f"f'' vs central difference {out['max_rel_hyperdual_e12_vs_finite_difference']:.1e}")
    return out


# =====================================================================================
# Compiled loops for sections 2-4: K calls in one compiled call, so the per-call time is
# that of compiled code calling compiled code (no Python dispatch).
# =====================================================================================

def make_compiled_loops():
    @numba.njit(**NP)
    def primal_k(f, x, k):
        acc = 0.0
        for _ in range(k):
            acc += f(x)
        return acc

    @numba.njit(**NP)
    def gradient_kernel_k(f, x, proto, k):
        acc = 0.0
        for _ in range(k):
            v, g = value_and_gradient_kernel(f, x, proto, ())
            acc += g[0]
        return acc

    @numba.njit(**NP)
    def gradient_verb_k(f, x, k):
        acc = 0.0
        for _ in range(k):
            g = dualjit.gradient(f, x)
            acc += g[0]
        return acc

    @numba.njit(**NP)
    def hessian_kernel_k(f, x, proto, k):
        acc = 0.0
        for _ in range(k):
            H = hessian_kernel(f, x, proto, ())
            acc += H[0, 0]
        return acc

    @numba.njit(**NP)
    def hessian_verb_k(f, x, k):
        acc = 0.0
        for _ in range(k):
            H = dualjit.hessian(f, x)
            acc += H[0, 0]
        return acc

    return {"primal_k": primal_k, "gradient_kernel_k": gradient_kernel_k,
            "gradient_verb_k": gradient_verb_k, "hessian_kernel_k": hessian_kernel_k,
            "hessian_verb_k": hessian_verb_k}


LOOPS = make_compiled_loops()


def _py_repeat(fn, *args, **kw):
    def run(k):
        for _ in range(k):
            fn(*args, **kw)
    return run


def _first_error_line(exc) -> str:
    """The most specific line of a Numba compilation error (e.g. 'Unsupported op-code ...')."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    for key in ("Unsupported op-code", "InternalError:", "has no derivative rule",
                "No implementation", "Unsupported"):
        for ln in lines:
            if key in ln:
                return ln[:200]
    return lines[0][:200] if lines else type(exc).__name__


def _rosen_point(n):
    return np.random.default_rng(n).uniform(-1.2, 1.2, n)


def _rosen_grad_exact(x):
    g = np.zeros_like(x)
    a = x[1:] - x[:-1] ** 2
    g[:-1] += -400.0 * x[:-1] * a - 2.0 * (1.0 - x[:-1])
    g[1:] += 200.0 * a
    return g


# =====================================================================================
# Section 2: gradient
# =====================================================================================

GRAD_CHUNKS = (1, 2, 4, 8, 16)


def section_gradient(cfg):
    f = rosenbrock
    L = LOOPS
    all_rows, js = [], {}
    for n in cfg["grad_sizes"]:
        x = _rosen_point(n)
        exact = _rosen_grad_exact(x)
        default_eff = min(DEFAULT_CHUNK, n)  # the Python-level verb uses min(chunk, n)
        chunks = sorted({c for c in cfg["grad_chunks"] if c <= n} | {default_eff})
        # correctness of every variant before timing; a chunk that fails is reported
        failed = {}
        for c in chunks:
            try:
                err = np.max(np.abs(dualjit.gradient(f, x, chunk=c) - exact) / (1 + np.abs(exact)))
            except numba.core.errors.NumbaError as exc:
                failed[c] = _first_error_line(exc)
                continue
            assert err < 1e-12, (n, c, err)
        chunks = [c for c in chunks if c not in failed]
        variants = [Variant("py:primal", _py_repeat(f, x)),
                    Variant("jit:primal", lambda k: L["primal_k"](f, x, k))]
        for c in chunks:
            proto = g_api.prototype(c)
            variants.append(Variant(f"py:chunk{c}", _py_repeat(dualjit.gradient, f, x, chunk=c)))
            variants.append(Variant(f"jit:chunk{c}", lambda k, p=proto: L["gradient_kernel_k"](f, x, p, k)))
        variants.append(Variant("jit:verb", lambda k: L["gradient_verb_k"](f, x, k)))
        t = interleaved(variants, cfg["rounds"], cfg["min_sample"])

        best = min(chunks, key=lambda c: t[f"jit:chunk{c}"].median)
        dflt = f"jit:chunk{default_eff}" if default_eff not in failed else f"jit:chunk{best}"
        rows = []
        rows.append([n, "primal f(x)", fmt_time(t["py:primal"].median), fmt_time(t["jit:primal"].median),
                     "1.00×", "", "", ""])
        jrows = []
        for c, msg in failed.items():
            rows.append([n, f"gradient chunk={c}" + (" (default)" if c == default_eff else ""),
                         "FAILS", "FAILS", "", "", "compiles", "MISS"])
            jrows.append({"chunk": c, "default": c == default_eff, "error": msg, "verdict": "MISS"})
            NOTES.append(f"gradient n={n} chunk={c} does not compile: {msg}")
        for c in chunks:
            key = f"jit:chunk{c}"
            r_p = t[key].median / t["jit:primal"].median
            r_d, q1, q3 = ratio(t, key, dflt)
            label = f"gradient chunk={c}" + (" (default)" if c == default_eff else "")
            target, ver = "", ""
            if c == 1 and default_eff > 1:
                target, ver = "> default", verdict(r_d, 1.0, le=False)
            if c == default_eff:
                r_best = t[dflt].median / t[f"jit:chunk{best}"].median
                target, ver = f"≤ 1.10× best ({best})", verdict(r_best, 1.10)
            rows.append([n, label, fmt_time(t[f"py:chunk{c}"].median), fmt_time(t[key].median),
                         f"{r_p:.1f}×", f"{r_d:.2f}×", target, ver])
            jrows.append({"chunk": c, "default": c == default_eff,
                          "python_s": t[f"py:chunk{c}"].median, "compiled_s": t[key].median,
                          "ratio_to_primal": r_p, "ratio_to_default": r_d, "ratio_iqr": [q1, q3],
                          "target": target or None, "verdict": ver or None})
        r_p = t["jit:verb"].median / t["jit:primal"].median
        r_d = t["jit:verb"].median / t[dflt].median
        rows.append([n, f"dualjit.gradient in njit (chunk {DEFAULT_CHUNK})", "",
                     fmt_time(t["jit:verb"].median), f"{r_p:.1f}×", f"{r_d:.2f}×", "", ""])
        all_rows.extend(rows)
        js[n] = {"chunks": jrows, "best_chunk": best, "default_chunk": default_eff,
                 "primal_python_s": t["py:primal"].median, "primal_compiled_s": t["jit:primal"].median,
                 "verb_in_njit_s": t["jit:verb"].median,
                 "timings": {k: v.to_json() for k, v in t.items()}}
        print(f"  [gradient n={n}: done]", file=sys.stderr, flush=True)
    print_table(
        f"2. Gradient of chained Rosenbrock, time per gradient (median of {cfg['rounds']} "
        "interleaved rounds)",
        ["n", "variant", "Python call", "compiled call", "× primal", "× default", "target", "verdict"],
        all_rows,
        note="Python call = dualjit.gradient(f, x, chunk=c) from Python (dispatch, argument checks "
             "and result boxing included); compiled call = the library's gradient kernel called K "
             "times from an njit loop.\n× primal and × default use the compiled times. "
             "'dualjit.gradient in njit' is the public verb called from compiled code: it always "
             f"uses DEFAULT_CHUNK = {DEFAULT_CHUNK} partials (even for n < {DEFAULT_CHUNK}) and "
             "copies x (astype).")
    RESULTS["gradient"] = js
    _gradient_call_overhead(cfg)


def _gradient_call_overhead(cfg, n=8):
    """Where the time of a Python-level dualjit.gradient call goes, for a small n."""
    f, x = rosenbrock, _rosen_point(n)
    c = min(DEFAULT_CHUNK, n)
    proto = g_api.prototype(c)
    from dualjit.api._dispatch import specialized
    entry = specialized(f, g_api.value_and_gradient_kernel, proto)  # what the verb dispatches to
    variants = [
        Variant("f(x) from Python (float array argument)", _py_repeat(f, x)),
        Variant("the per-function compiled entry point", _py_repeat(entry, x, ())),
        Variant("dualjit.gradient(f, x) from Python", _py_repeat(dualjit.gradient, f, x)),
        Variant("the kernel called from compiled code", lambda k: LOOPS["gradient_kernel_k"](f, x, proto, k)),
    ]
    t = interleaved(variants, cfg["rounds"], cfg["min_sample"])
    total = t["dualjit.gradient(f, x) from Python"].median
    rows = [[v.name, fmt_time(t[v.name].median), f"{100 * t[v.name].median / total:.0f}%"]
            for v in variants]
    RESULTS["gradient_call_overhead"] = {"n": n, "chunk": c, "rows": {
        v.name: t[v.name].median for v in variants}}
    print_table(f"2b. Where a Python-level gradient call goes (n = {n}, chunk {c}; medians of "
                f"{cfg['rounds']} interleaved rounds)", ["step", "time", "% of verb"], rows,
                note="The verb checks its arguments, then calls an entry point compiled per "
                     "function that holds f and the chunk prototype as constants (passing them "
                     "as arguments took Numba's slow typeof path, ~100 µs a call).")


# =====================================================================================
# Section 3: Hessian
# =====================================================================================

HESS_CHUNKS = (1, 2, 4, 8)


def section_hessian(cfg):
    f = rosenbrock
    L = LOOPS
    all_rows, js = [], {}
    for n in cfg["hess_sizes"]:
        x = _rosen_point(n)
        default_eff = min(DEFAULT_HESSIAN_CHUNK, n)
        chunks = sorted({c for c in cfg["hess_chunks"] if c <= n} | {default_eff})
        ref = dualjit.hessian(f, x, chunk=1)
        failed = {}
        for c in chunks:
            try:
                H = dualjit.hessian(f, x, chunk=c)
            except numba.core.errors.NumbaError as exc:
                failed[c] = _first_error_line(exc)
                continue
            assert np.allclose(H, ref, rtol=1e-13, atol=1e-12), (n, c)
        chunks = [c for c in chunks if c not in failed]
        variants = [Variant("py:primal", _py_repeat(f, x)),
                    Variant("jit:primal", lambda k: L["primal_k"](f, x, k))]
        for c in chunks:
            proto = h_api.hessian_prototype(c)
            variants.append(Variant(f"py:chunk{c}", _py_repeat(dualjit.hessian, f, x, chunk=c)))
            variants.append(Variant(f"jit:chunk{c}", lambda k, p=proto: L["hessian_kernel_k"](f, x, p, k)))
        variants.append(Variant("jit:verb", lambda k: L["hessian_verb_k"](f, x, k)))
        t = interleaved(variants, cfg["rounds"], cfg["min_sample"])
        best = min(chunks, key=lambda c: t[f"jit:chunk{c}"].median)
        dflt = f"jit:chunk{default_eff}" if default_eff not in failed else f"jit:chunk{best}"
        rows = [[n, "primal f(x)", fmt_time(t["py:primal"].median), fmt_time(t["jit:primal"].median),
                 "1×", "", "", "", ""]]
        jrows = []
        for c, msg in failed.items():
            nb = -(-n // c)
            rows.append([n, f"hessian chunk={c}" + (" (default)" if c == default_eff else ""),
                         "FAILS", "FAILS", "", "", str(nb * (nb + 1) // 2), "compiles", "MISS"])
            jrows.append({"chunk": c, "default": c == default_eff, "error": msg, "verdict": "MISS"})
            NOTES.append(f"hessian n={n} chunk={c} does not compile: {msg}")
        for c in chunks:
            key = f"jit:chunk{c}"
            nb = -(-n // c)
            passes = nb * (nb + 1) // 2
            r_p = t[key].median / t["jit:primal"].median
            r_d, q1, q3 = ratio(t, key, dflt)
            target, ver = "", ""
            if c == default_eff:
                r_best = t[dflt].median / t[f"jit:chunk{best}"].median
                target, ver = f"≤ 1.10× best ({best})", verdict(r_best, 1.10)
            rows.append([n, f"hessian chunk={c}" + (" (default)" if c == default_eff else ""),
                         fmt_time(t[f"py:chunk{c}"].median), fmt_time(t[key].median),
                         f"{r_p:.0f}×", f"{r_d:.2f}×", str(passes), target, ver])
            jrows.append({"chunk": c, "default": c == default_eff, "passes": passes,
                          "python_s": t[f"py:chunk{c}"].median, "compiled_s": t[key].median,
                          "ratio_to_primal": r_p, "ratio_to_default": r_d, "ratio_iqr": [q1, q3],
                          "target": target or None, "verdict": ver or None})
        r_p = t["jit:verb"].median / t["jit:primal"].median
        rows.append([n, f"dualjit.hessian in njit (chunk {DEFAULT_HESSIAN_CHUNK})", "",
                     fmt_time(t["jit:verb"].median), f"{r_p:.0f}×",
                     f"{t['jit:verb'].median / t[dflt].median:.2f}×", "", "", ""])
        all_rows.extend(rows)
        js[n] = {"chunks": jrows, "best_chunk": best, "default_chunk": default_eff,
                 "primal_python_s": t["py:primal"].median, "primal_compiled_s": t["jit:primal"].median,
                 "verb_in_njit_s": t["jit:verb"].median,
                 "timings": {k: v.to_json() for k, v in t.items()}}
        print(f"  [hessian n={n}: done]", file=sys.stderr, flush=True)
    print_table(
        f"3. Hessian of chained Rosenbrock, time per Hessian (median of {cfg['rounds']} "
        "interleaved rounds)",
        ["n", "variant", "Python call", "compiled call", "× primal", "× default", "passes",
         "target", "verdict"],
        all_rows,
        note="passes = upper blocks evaluated, (nb² + nb)/2 with nb = ceil(n/chunk); each pass "
             "evaluates f on HyperDual[chunk, chunk] numbers (chunk² cross terms).")
    RESULTS["hessian"] = js


# =====================================================================================
# Section 4: SLP vectorizer
# =====================================================================================

@contextmanager
def slp_vectorize(on: bool):
    """Numba reads config.SLP_VECTORIZE each time it optimizes a new library
    (numba/core/codegen.py: CPUCodegen._pass_builder), so compilations started inside
    this block use the setting; libraries compiled before keep theirs (see section 4b)."""
    old = numba_config.SLP_VECTORIZE
    numba_config.SLP_VECTORIZE = int(on)
    try:
        yield
    finally:
        numba_config.SLP_VECTORIZE = old


# (kind, n, chunk): measured in two fresh processes, NUMBA_SLP_VECTORIZE=0 and =1
SLP_CHILD_CASES = (
    [("gradient", 32, c) for c in (4, 8, 16)] + [("gradient", 128, c) for c in (8, 16)]
    + [("hessian", 8, c) for c in (2, 4, 8)] + [("hessian", 32, c) for c in (2, 4, 8)]
    + [("fike-dual", 500_000, 1), ("fike-hyperdual", 500_000, 1)])
SLP_CHILD_CASES_QUICK = (("gradient", 32, 8), ("hessian", 32, 4), ("fike-dual", 200_000, 1))
# measured in this process, compiled fresh under each setting
SLP_INPROC_CASES = (("gradient", 32, 8), ("hessian", 32, 4))


def make_fike_copy():
    @numba.njit
    def fike_copy(x):
        return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)
    return fike_copy


def _case_label(key):
    kind, n, c = key
    if kind.startswith("fike"):
        return f"Fike {'Dual' if kind == 'fike-dual' else 'HyperDual'} loop"
    return f"{kind} n={n} chunk={c}"


def _case_unit(key):
    return "point" if key[0].startswith("fike") else key[0]


def _build_case(key, f, loops, fike_fn):
    """Compile one case now (under the current SLP setting). Returns (Variant, asm stats)."""
    kind, n, c = key
    label = _case_label(key)
    if kind.startswith("fike"):
        _, dual_loop, hyper_loop = make_fike_loops(fike_fn)
        x = np.random.default_rng(7).uniform(0.0, 1.5, n)
        v, d, d2 = np.empty(n), np.empty(n), np.empty(n)
        if kind == "fike-dual":
            fn, run = dual_loop, (lambda k: [dual_loop(x, v, d) for _ in range(k)])
        else:
            fn, run = hyper_loop, (lambda k: [hyper_loop(x, v, d, d2) for _ in range(k)])
        run(1)
        return Variant(label, run, n), asm_vector_stats(fn.inspect_asm(fn.signatures[0]))
    x = _rosen_point(n)
    if kind == "gradient":
        proto, fn = g_api.prototype(c), loops["gradient_kernel_k"]
    else:
        proto, fn = h_api.hessian_prototype(c), loops["hessian_kernel_k"]
    fn(f, x, proto, 1)  # compiles now
    sig = [s for s in fn.signatures if s[0] == numba.typeof(f) and s[2] == numba.typeof(proto)][0]
    return (Variant(label, lambda k: fn(f, x, proto, k)),
            asm_vector_stats(fn.inspect_asm(sig)))


def _asm_cell(st):
    return f"{st['packed_ymm']}/{st['packed_xmm']}/{st['scalar_sd']}"


def slp_child(args):
    """Run by section 4 in a fresh process with NUMBA_SLP_VECTORIZE set; prints one JSON line."""
    cases = SLP_CHILD_CASES_QUICK if args.quick else SLP_CHILD_CASES
    variants, stats, units, skipped = [], {}, {}, []
    for key in cases:
        try:
            v, st = _build_case(key, rosenbrock, LOOPS, fike)
        except numba.core.errors.NumbaError as exc:
            skipped.append(f"{_case_label(key)}: {_first_error_line(exc)}")
            continue
        variants.append(v)
        stats[v.name], units[v.name] = _strip_calls(st), _case_unit(key)
    t = interleaved(variants, args.rounds or 11, args.min_sample or 0.01)
    out = {"slp_config": int(numba_config.SLP_VECTORIZE), "skipped": skipped, "cases": {
        name: {"median_s": t[name].median, "unit": units[name], "asm": stats[name]} for name in t}}
    print(json.dumps(out))


def _run_slp_children(cfg):
    child = {}
    for env_val in ("0", "1"):
        env = dict(os.environ, NUMBA_SLP_VECTORIZE=env_val)
        cmd = [sys.executable, os.path.abspath(__file__), "--slp-child",
               "--rounds", str(cfg["rounds"]), "--min-sample", str(cfg["min_sample"])]
        if cfg["quick"]:
            cmd.append("--quick")
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if proc.returncode != 0:
            NOTES.append(f"SLP child NUMBA_SLP_VECTORIZE={env_val} failed: {proc.stderr[-3000:]}")
            return None
        child[env_val] = json.loads(proc.stdout.strip().splitlines()[-1])
        for msg in child[env_val]["skipped"]:
            NOTES.append(f"SLP child NUMBA_SLP_VECTORIZE={env_val} skipped {msg}")
        print(f"  [SLP child NUMBA_SLP_VECTORIZE={env_val}: done]", file=sys.stderr, flush=True)
    return child


def section_slp(cfg):
    # --- 4a: two fresh processes, the reliable measurement ---------------------------
    child = _run_slp_children(cfg) if cfg["slp_children"] else None
    if not cfg["slp_children"]:
        print("\n4a. (separate-process SLP measurement skipped with --quick; run without it)")
    if child:
        off, on = child["0"]["cases"], child["1"]["cases"]
        rows, js_rows = [], []
        for case in off:
            a, b = off[case], on[case]
            r = b["median_s"] / a["median_s"]
            rows.append([case, f"per {a['unit']}", fmt_time(a["median_s"]), fmt_time(b["median_s"]),
                         f"{r:.2f}×", _asm_cell(a["asm"]), _asm_cell(b["asm"]), verdict(r, 1.0)])
            js_rows.append({"case": case, "unit": a["unit"], "slp_off_s": a["median_s"],
                            "slp_on_s": b["median_s"], "on_over_off": r, "asm_off": a["asm"],
                            "asm_on": b["asm"], "verdict_pays": verdict(r, 1.0)})
        best = _best_chunks(off, on)
        print_table(
            "4a. SLP vectorizer: NUMBA_SLP_VECTORIZE=0 vs =1, each in a fresh process "
            f"(median of {cfg['rounds']} interleaved rounds within each process)",
            ["case (compiled loop)", "unit", "SLP off", "SLP on", "on/off", "asm off ymm/xmm/sd",
             "asm on ymm/xmm/sd", "pays? (<1)"],
            rows,
            note="asm = packed double ops on ymm / packed on xmm / scalar sd ops in the compiled "
                 "module (whole call tree).\nSeparate processes: drift between them is not "
                 "cancelled by interleaving; treat differences under ~10% as noise.\n"
                 + "\n".join(best["lines"]))
        RESULTS["slp_subprocess"] = {"rows": js_rows, "best_chunks": best["data"], "raw": child}

    # --- 4b: toggling numba.core.config.SLP_VECTORIZE at runtime, in this process ----
    builds = {}
    for on_ in (False, True):  # off first: what a user toggling it mid-session would get
        with slp_vectorize(on_):
            f, loops = make_rosenbrock(), make_compiled_loops()
            builds[on_] = {key: _build_case(key, f, loops, None) for key in SLP_INPROC_CASES}
    outer = _slp_outermost_check()
    honoured = all(builds[True][k][1]["packed_ymm"] + builds[True][k][1]["packed_xmm"]
                   > builds[False][k][1]["packed_ymm"] + builds[False][k][1]["packed_xmm"]
                   for k in SLP_INPROC_CASES)
    variants = []
    for key in SLP_INPROC_CASES:
        for on_ in (False, True):
            v = builds[on_][key][0]
            v.name = f"{'on' if on_ else 'off'}:{v.name}"
            variants.append(v)
    t = interleaved(variants, cfg["rounds"], cfg["min_sample"])
    rows, js_rows = [], []
    for key in SLP_INPROC_CASES:
        label = _case_label(key)
        a, b = f"off:{label}", f"on:{label}"
        r, q1, q3 = ratio(t, b, a)
        fresh = ""
        if child and label in child["0"]["cases"]:
            fresh = f"{child['1']['cases'][label]['median_s'] / child['0']['cases'][label]['median_s']:.2f}×"
        rows.append([label, fmt_time(t[a].median), fmt_time(t[b].median), f"{r:.2f}×",
                     f"[{q1:.2f}, {q3:.2f}]", fresh, _asm_cell(builds[False][key][1]),
                     _asm_cell(builds[True][key][1])])
        js_rows.append({"case": label, "slp_off_s": t[a].median, "slp_on_s": t[b].median,
                        "on_over_off": r, "iqr": [q1, q3],
                        "asm_off": _strip_calls(builds[False][key][1]),
                        "asm_on": _strip_calls(builds[True][key][1])})
    print_table(
        "4b. SLP vectorizer toggled at runtime (numba.core.config.SLP_VECTORIZE) in this "
        f"process, fresh functions compiled under each setting (median of {cfg['rounds']} "
        "interleaved rounds)",
        ["case (compiled loop)", "SLP off", "SLP on", "on/off", "per-round IQR",
         "on/off fresh process (4a)", "asm off", "asm on"],
        rows,
        note=(f"Toggle honoured by new compilations (more packed ops in the asm): "
              f"{'YES' if honoured else 'NO'}.\n"
              "But the dualjit overloads, partials helpers and kernels that these functions call "
              "were already compiled earlier in this process with SLP off; each compiled "
              "library is cached process-wide and keeps the code it got at its first "
              "compilation, so the speed-up here can be far below that of a fresh process "
              "(compare the two on/off columns).\n"
              f"Callee compiled with SLP off, caller compiled with SLP on: {outer['summary']}"))
    RESULTS["slp_in_process"] = {"runtime_toggle_honoured_by_new_compilations": honoured,
                                 "outermost_check": outer, "rows": js_rows,
                                 "timings": {k: v.to_json() for k, v in t.items()}}


def _best_chunks(off, on):
    """Best chunk per (kind, n) under each setting, from the child results."""
    data, lines = {}, []
    groups: dict = {}
    for case in off:
        if not (case.startswith("gradient") or case.startswith("hessian")):
            continue
        kind, n, c = case.replace("n=", "").replace("chunk=", "").split()
        groups.setdefault((kind, int(n)), []).append(int(c))
    for (kind, n), chunks in groups.items():
        if len(chunks) < 2:
            continue
        lab = lambda c: f"{kind} n={n} chunk={c}"  # noqa: E731
        b_off = min(chunks, key=lambda c: off[lab(c)]["median_s"])
        b_on = min(chunks, key=lambda c: on[lab(c)]["median_s"])
        data[f"{kind} n={n}"] = {"chunks": chunks, "best_slp_off": b_off, "best_slp_on": b_on,
                                 "slp_on_gain_at_best": off[lab(b_off)]["median_s"] / on[lab(b_on)]["median_s"]}
        lines.append(f"{kind} n={n}: best chunk among {chunks} is {b_off} with SLP off, {b_on} with "
                     f"SLP on; best-on is {data[f'{kind} n={n}']['slp_on_gain_at_best']:.2f}× faster "
                     "than best-off.")
    return {"data": data, "lines": lines}


def _strip_calls(stats):
    return {k: v for k, v in stats.items() if k != "calls"}


def _slp_outermost_check():
    """Compile a callee with SLP off, then call it from a caller compiled with SLP on."""
    f = make_rosenbrock()
    x = _rosen_point(32)
    proto = g_api.prototype(8)
    with slp_vectorize(False):
        @numba.njit(**NP)
        def inner(f, x, proto):
            return value_and_gradient_kernel(f, x, proto, ())
        inner(f, x, proto)
        s_inner = asm_vector_stats(inner.inspect_asm(inner.signatures[0]))

    with slp_vectorize(True):
        @numba.njit(**NP)
        def outer(f, x, proto):
            return inner(f, x, proto)
        outer(f, x, proto)
        s_outer = asm_vector_stats(outer.inspect_asm(outer.signatures[0]))
    packed_inner = s_inner["packed_ymm"] + s_inner["packed_xmm"]
    packed_outer = s_outer["packed_ymm"] + s_outer["packed_xmm"]
    summary = (f"callee module {packed_inner} packed ops, caller module {packed_outer}: "
               + ("the caller's optimizer re-vectorizes the linked-in copy of the callee, so the "
                  "setting of the OUTERMOST compilation applies to what it inlines."
                  if packed_outer > packed_inner else
                  "the callee keeps the setting it was compiled with."))
    return {"inner_packed": packed_inner, "outer_packed": packed_outer, "summary": summary,
            "inner_asm": _strip_calls(s_inner), "outer_asm": _strip_calls(s_outer)}


# =====================================================================================
# Section 5: code inspection of the Fike loops (why a ratio is what it is)
# =====================================================================================

LIBM = ("sin", "cos", "sincos", "exp", "sqrt", "pow", "log")


def section_inspect(handles):
    rows, js = [], {}
    for name, fn in (("primal (user @njit f)", handles["primal_user"]),
                     ("Dual value+derivative", handles["dual_loop"]),
                     ("hand-written value+derivative", hand_loop),
                     ("HyperDual value+f'+f''", handles["hyper_loop"])):
        sig = fn.signatures[0]
        asm = fn.inspect_asm(sig).split("_ZN7cpython")[0]  # the native function, not the wrapper
        st = asm_vector_stats(asm)
        sites = asm_call_sites(asm)
        libm = {k: v for k, v in sites.items() if k in LIBM}
        other = {k: v for k, v in sites.items() if k not in LIBM}
        nrt = sum(v for k, v in sites.items() if k.startswith("NRT_"))
        vectorized = any(op in asm for op in ("vsqrtpd", "vdivpd", "sqrtpd\t", "divpd\t"))
        packed_div = asm.count("vdivpd") + asm.count("\tdivpd")
        rows.append([name, ", ".join(f"{k}×{v}" for k, v in sorted(libm.items())) or "-",
                     "yes (4-wide)" if "ymm" in asm and vectorized else ("yes" if vectorized else "no"),
                     str(packed_div), str(nrt),
                     ", ".join(f"{_demangle(k).split('[')[0]}×{v}" for k, v in other.items()
                               if not k.startswith("NRT_")) or "-",
                     f"{st['packed_ymm']}/{st['packed_xmm']}/{st['scalar_sd']}"])
        js[name] = {"libm_call_sites": libm, "other_call_sites": other, "nrt_calls": nrt,
                    "loop_vectorized": vectorized, "packed_div": packed_div,
                    "asm": _strip_calls(st), "ir_lines": len(fn.inspect_llvm(sig).splitlines())}
    print_table("5. Inspection of the compiled Fike loops (native function only, not the "
                "Python wrapper)",
                ["loop", "libm call sites", "loop-vectorized", "vdivpd", "NRT calls",
                 "other calls", "asm ymm/xmm/sd"],
                rows,
                note="Call sites, not calls per point: a loop-vectorized loop has a 4-lane vector "
                     "body (4 scalar libm calls, packed sqrt/div) plus a scalar remainder.\nSame "
                     "libm call sites in the Dual and hand-written loops = the derivative reuses "
                     "sin/cos (LLVM merges sin and cos of one argument into one sincos call).")
    RESULTS["inspection"] = js


RULE_CASES = (
    ("exp(x)", lambda x: math.exp(x)),
    ("sin(x)", lambda x: math.sin(x)),
    ("cos(x)", lambda x: math.cos(x)),
    ("sqrt(x)", lambda x: math.sqrt(x)),
    ("x ** 3", lambda x: x ** 3),
    ("1.0 / x", lambda x: 1.0 / x),
)


def section_rule_costs(cfg):
    """Dual/primal per elementary function used by the Fike function: which rule costs."""
    n = cfg["rule_points"]
    x = np.random.default_rng(11).uniform(0.1, 1.4, n)
    val, der = np.empty(n), np.empty(n)
    variants, info = [], {}
    for name, fn in RULE_CASES:
        f = numba.njit(fn)
        primal_loop, dual_loop, _ = make_fike_loops(f)
        primal_loop(x[:10], val[:10])
        dual_loop(x[:10], val[:10], der[:10])
        asm = dual_loop.inspect_asm(dual_loop.signatures[0]).split("_ZN7cpython")[0]
        sites = asm_call_sites(asm)
        info[name] = {
            "non_inlined_calls": sorted({k.split("B3v")[0].split("B2v")[0] for k in sites
                                         if k.startswith("_ZN")}),
            "libm": {k: v for k, v in sites.items() if k in LIBM},
            "vectorized": "ymm" in asm and any(op in asm for op in ("pd\t", "pd ")),
        }
        variants.append(Variant(f"primal {name}", lambda k, L=primal_loop: [L(x, val) for _ in range(k)], n))
        variants.append(Variant(f"dual {name}", lambda k, L=dual_loop: [L(x, val, der) for _ in range(k)], n))
    t = interleaved(variants, cfg["rounds"], cfg["min_sample"])
    rows, js = [], {}
    for name, _ in RULE_CASES:
        r, q1, q3 = ratio(t, f"dual {name}", f"primal {name}")
        calls = ", ".join(_demangle(c) for c in info[name]["non_inlined_calls"]) or "-"
        rows.append([name, f"{t[f'primal {name}'].median * 1e9:.2f}", f"{t[f'dual {name}'].median * 1e9:.2f}",
                     f"{r:.2f}×", f"[{q1:.2f}, {q3:.2f}]", calls])
        js[name] = {"primal_ns": t[f"primal {name}"].median * 1e9, "dual_ns": t[f"dual {name}"].median * 1e9,
                    "ratio": r, "iqr": [q1, q3], **info[name]}
    print_table(f"5b. Dual value+derivative vs primal per elementary function ({n:,} points in "
                f"[0.1, 1.4], median of {cfg['rounds']} interleaved rounds)",
                ["f(x)", "primal ns/pt", "Dual ns/pt", "Dual/primal", "per-round IQR",
                 "calls not inlined in the Dual loop"], rows,
                note="A function call left in the loop costs the call, a status check (Numba's "
                     "calling convention) and, above all, LLVM's loop vectorization of the loop.")
    RESULTS["rule_costs"] = js


def _demangle(sym: str) -> str:
    """'_ZN7dualjit5rules10elementary7sqrt_d1B3v20...' -> 'dualjit.rules.elementary.sqrt_d1'."""
    import re as _re
    body = sym[3:] if sym.startswith("_ZN") else sym
    parts, i = [], 0
    while i < len(body):
        m = _re.match(r"(\d+)", body[i:])
        if not m:
            break
        ln = int(m.group(1))
        i += len(m.group(1))
        parts.append(body[i:i + ln])
        i += ln
    return ".".join(parts) or sym


# =====================================================================================

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds (~1 min)")
    ap.add_argument("--json", metavar="PATH", help="write all results as JSON")
    ap.add_argument("--sections", default="1,2,3,4,5", help="comma-separated subset, e.g. 1,4")
    ap.add_argument("--rounds", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--min-sample", type=float, default=0.0, help=argparse.SUPPRESS)
    ap.add_argument("--slp-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.slp_child:
        return slp_child(args)

    if args.quick:
        cfg = {"quick": True, "fike_points": 1_000_000, "fike_rounds": 5, "rounds": 5,
               "min_sample": 0.004, "grad_sizes": (2, 32), "grad_chunks": (1, 4, 8, 16),
               "hess_sizes": (8,), "hess_chunks": (1, 2, 4), "rule_points": 200_000,
               "slp_children": False}
    else:
        cfg = {"quick": False, "fike_points": 10_000_000, "fike_rounds": 11, "rounds": 15,
               "min_sample": 0.015, "grad_sizes": (2, 8, 32, 128), "grad_chunks": GRAD_CHUNKS,
               "hess_sizes": (8, 32), "hess_chunks": HESS_CHUNKS, "rule_points": 1_000_000,
               "slp_children": True}
    if args.rounds:
        cfg["rounds"] = cfg["fike_rounds"] = args.rounds
    if args.min_sample:
        cfg["min_sample"] = args.min_sample
    sections = {s.strip() for s in args.sections.split(",")}

    info = machine_info()
    t_start = time.perf_counter()
    print("dualjit core benchmark" + (" (--quick)" if args.quick else ""))
    print(f"machine: {info['cpu']} ({info['llvm_host_cpu']}), {info['logical_cpus']} logical CPUs, "
          f"SIMD {'/'.join(info['simd'])}")
    print(f"python {info['python']}, numba {info['numba']}, llvmlite {info['llvmlite']}, "
          f"numpy {info['numpy']}, dualjit {info['dualjit']}; NUMBA_SLP_VECTORIZE="
          f"{info['numba_slp_vectorize']}, SVML {info['numba_svml']}")
    print(f"defaults under test: DEFAULT_CHUNK = {DEFAULT_CHUNK}, "
          f"DEFAULT_HESSIAN_CHUNK = {DEFAULT_HESSIAN_CHUNK}")
    try:
        print(f"load average at start: {os.getloadavg()[0]:.2f}")
    except OSError:
        pass
    sys.stdout.flush()

    handles = None
    timings = {}

    def run(label, fn, *a):
        t0 = time.perf_counter()
        out = fn(*a)
        timings[label] = time.perf_counter() - t0
        print(f"  [{label}: {timings[label]:.0f} s]", file=sys.stderr, flush=True)
        return out

    if "1" in sections or "5" in sections:
        handles = run("section 1", section_fike, cfg)
    if "2" in sections:
        run("section 2", section_gradient, cfg)
    if "3" in sections:
        run("section 3", section_hessian, cfg)
    if "5" in sections and handles:
        run("section 5", section_inspect, handles)
        run("section 5b", section_rule_costs, cfg)
    if "4" in sections:
        run("section 4", section_slp, cfg)  # last: it compiles under a changed global setting

    elapsed = time.perf_counter() - t_start
    for note in NOTES:
        print("NOTE:", note)
    print(f"\ntotal time {elapsed:.0f} s")
    if args.json:
        payload = {"machine": info, "config": {k: list(v) if isinstance(v, tuple) else v
                                               for k, v in cfg.items()},
                   "quick": args.quick, "default_chunk": DEFAULT_CHUNK,
                   "default_hessian_chunk": DEFAULT_HESSIAN_CHUNK, "elapsed_s": elapsed,
                   "notes": NOTES, "section_seconds": timings, "results": _jsonable(RESULTS)}
        with open(args.json, "w") as fh:
            json.dump(payload, fh, indent=1)
        print(f"results written to {args.json}")


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    return obj


if __name__ == "__main__":
    main()
