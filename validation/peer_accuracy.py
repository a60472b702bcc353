"""Derivative accuracy of dualjit's rules next to JAX's and PyTorch's, on the same points.

    /work/venv/bin/python validation/peer_accuracy.py [--rules exp,tanh] [--workers 2]
                                                       [--out validation/peers]

For every row of the rule table that has an equivalent in ``jax.numpy`` /
``jax.scipy.special`` / ``jax.nn`` and in ``torch`` / ``torch.special``, this script takes
the certification sample points of the row (``dualjit.certify.sampling.sample_rule(rule,
"quick")``), the oracle's truths for them (cached chunks under
``validation/certification/oracle``, computed where missing, exactly as ``dualjit
certify`` does), and scores with the certifier's own statistics
(:func:`dualjit.certify.stats.rule_statistics`, i.e. :func:`dualjit.oracle.ulp_error`):

* dualjit: the row's first target through the engine (``Dual`` / ``HyperDual``), as
  certification does;
* JAX (float64, ``jax_enable_x64``): ``jit(vmap(...))`` of ``jax.jvp`` (first partials) and
  of ``jvp`` of ``jvp`` (second partials);
* PyTorch (float64 tensors): ``torch.func.vmap`` of ``torch.func.jvp`` and of ``jvp`` of
  ``jvp``.

Every partial is scored: d/dx (and d/dz for binary rules), d²/dx² (and d²/dxdz, d²/dz²).
Points on a kink of the row are left out of the ulp statistics for everybody (as in
certification). NaN / inf / false-zero mismatches against the oracle are counted
separately (they are not in the ulp numbers) and make a result worse than any finite
ulp error when the three are compared. Writes ``accuracy.md`` and ``accuracy.json``
into ``--out``. A peer that is not installed is reported as skipped.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from dualjit.certify.engine import EngineResult, engine_targets, evaluate_rule, target_name
from dualjit.certify.references import ReferenceJob, _work, process_pool, run_jobs
from dualjit.certify.sampling import PROFILES, sample_rule
from dualjit.certify.stats import FAILING_KINDS, rule_statistics
from dualjit.oracle import PrecisionPolicy
from dualjit.rules import RULES, RULES_BY_NAME

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = HERE / "certification" / "oracle"
PROFILE = "quick"
TIE = 0.05  # ulp: max errors closer than this are a tie

# ---------------------------------------------------------------------------------------
# Peer equivalents of the rows: name -> (expression, builder). A builder takes the peer's
# module namespace and returns an elementwise function of 1 or 2 scalars (0-d arrays).
# ---------------------------------------------------------------------------------------


def _jax_map():
    import jax
    import jax.numpy as jnp
    import jax.scipy.special as jss
    return {
        "add": ("jnp.add", jnp.add), "sub": ("jnp.subtract", jnp.subtract),
        "mul": ("jnp.multiply", jnp.multiply), "div": ("jnp.divide", jnp.divide),
        "neg": ("jnp.negative", jnp.negative),
        "exp": ("jnp.exp", jnp.exp), "exp2": ("jnp.exp2", jnp.exp2), "expm1": ("jnp.expm1", jnp.expm1),
        "log": ("jnp.log", jnp.log), "log2": ("jnp.log2", jnp.log2), "log10": ("jnp.log10", jnp.log10),
        "log1p": ("jnp.log1p", jnp.log1p), "sqrt": ("jnp.sqrt", jnp.sqrt), "cbrt": ("jnp.cbrt", jnp.cbrt),
        "pow": ("jnp.power", jnp.power),
        "sin": ("jnp.sin", jnp.sin), "cos": ("jnp.cos", jnp.cos), "tan": ("jnp.tan", jnp.tan),
        "asin": ("jnp.arcsin", jnp.arcsin), "acos": ("jnp.arccos", jnp.arccos),
        "atan": ("jnp.arctan", jnp.arctan), "atan2": ("jnp.arctan2", jnp.arctan2),
        "sinh": ("jnp.sinh", jnp.sinh), "cosh": ("jnp.cosh", jnp.cosh), "tanh": ("jnp.tanh", jnp.tanh),
        "asinh": ("jnp.arcsinh", jnp.arcsinh), "acosh": ("jnp.arccosh", jnp.arccosh),
        "atanh": ("jnp.arctanh", jnp.arctanh), "hypot": ("jnp.hypot", jnp.hypot),
        "degrees": ("jnp.degrees", jnp.degrees), "radians": ("jnp.radians", jnp.radians),
        "erf": ("jax.scipy.special.erf", jss.erf), "erfc": ("jax.scipy.special.erfc", jss.erfc),
        "gamma": ("jax.scipy.special.gamma", jss.gamma),
        "lgamma": ("jax.scipy.special.gammaln", jss.gammaln),
        "sigmoid": ("jax.nn.sigmoid", jax.nn.sigmoid),
        "logit": ("jax.scipy.special.logit", jss.logit),
        "softplus": ("jax.nn.softplus", jax.nn.softplus),
        "logaddexp": ("jnp.logaddexp", jnp.logaddexp),
        "xlogy": ("jax.scipy.special.xlogy", jss.xlogy),
        "xlog1py": ("jax.scipy.special.xlog1py", jss.xlog1py),
        # jax.nn.log1mexp(x) = log(1 - exp(-x)); dualjit's is log(1 - exp(x)), x <= 0
        "log1mexp": ("jax.nn.log1mexp(-x)", lambda x: jax.nn.log1mexp(-x)),
        "abs": ("jnp.abs", jnp.abs), "floor": ("jnp.floor", jnp.floor),
        "ceil": ("jnp.ceil", jnp.ceil), "trunc": ("jnp.trunc", jnp.trunc),
        "copysign": ("jnp.copysign", jnp.copysign), "fmod": ("jnp.fmod", jnp.fmod),
        "max": ("jnp.maximum", jnp.maximum), "min": ("jnp.minimum", jnp.minimum),
        "maximum": ("jnp.maximum", jnp.maximum), "minimum": ("jnp.minimum", jnp.minimum),
    }


def _torch_map():
    import torch
    import torch.nn.functional as F
    return {
        "add": ("torch.add", torch.add), "sub": ("torch.sub", torch.sub),
        "mul": ("torch.mul", torch.mul), "div": ("torch.div", torch.div),
        "neg": ("torch.neg", torch.neg),
        "exp": ("torch.exp", torch.exp), "exp2": ("torch.exp2", torch.exp2),
        "expm1": ("torch.expm1", torch.expm1), "log": ("torch.log", torch.log),
        "log2": ("torch.log2", torch.log2), "log10": ("torch.log10", torch.log10),
        "log1p": ("torch.log1p", torch.log1p), "sqrt": ("torch.sqrt", torch.sqrt),
        "pow": ("torch.pow", torch.pow),
        "sin": ("torch.sin", torch.sin), "cos": ("torch.cos", torch.cos), "tan": ("torch.tan", torch.tan),
        "asin": ("torch.asin", torch.asin), "acos": ("torch.acos", torch.acos),
        "atan": ("torch.atan", torch.atan), "atan2": ("torch.atan2", torch.atan2),
        "sinh": ("torch.sinh", torch.sinh), "cosh": ("torch.cosh", torch.cosh),
        "tanh": ("torch.tanh", torch.tanh), "asinh": ("torch.asinh", torch.asinh),
        "acosh": ("torch.acosh", torch.acosh), "atanh": ("torch.atanh", torch.atanh),
        "hypot": ("torch.hypot", torch.hypot),
        "degrees": ("torch.rad2deg", torch.rad2deg), "radians": ("torch.deg2rad", torch.deg2rad),
        "erf": ("torch.special.erf", torch.special.erf),
        "erfc": ("torch.special.erfc", torch.special.erfc),
        "lgamma": ("torch.lgamma", torch.lgamma),
        "sigmoid": ("torch.sigmoid", torch.sigmoid), "logit": ("torch.logit", torch.logit),
        "softplus": ("torch.nn.functional.softplus (threshold=20)", F.softplus),
        "logaddexp": ("torch.logaddexp", torch.logaddexp),
        "xlogy": ("torch.special.xlogy", torch.special.xlogy),
        "xlog1py": ("torch.special.xlog1py", torch.special.xlog1py),
        "abs": ("torch.abs", torch.abs), "floor": ("torch.floor", torch.floor),
        "ceil": ("torch.ceil", torch.ceil), "trunc": ("torch.trunc", torch.trunc),
        "copysign": ("torch.copysign", torch.copysign), "fmod": ("torch.fmod", torch.fmod),
        "max": ("torch.maximum", torch.maximum), "min": ("torch.minimum", torch.minimum),
        "maximum": ("torch.maximum", torch.maximum), "minimum": ("torch.minimum", torch.minimum),
    }


MECHANISMS = (
    "tanh, sigmoid: both peers differentiate from the output (1 − y², y(1 − y)): the "
    "absolute error is ~ulp(1), so in the tails, where the true derivative is tiny, the "
    "relative error explodes (up to ~10^17 ulp) or the derivative is a false zero; dualjit "
    "computes the tails from u = exp(−2|x|) directly (tanh' = 4u/(1 + u)²).",
    "expm1: both peers use d/dx = y + 1, which cancels for x ≪ 0 (witness x ≈ −26.8: 2e10 "
    "ulp); dualjit uses exp(x).",
    "asin, acos, atanh (torch): 1/sqrt(1 − x²) and 1/(1 − x²) with 1 − x² rounded near "
    "|x| → 1 (10^4–10^5 ulp); dualjit forms 1 − x² in double-double.",
    "erf, erfc (both peers, ~400 ulp): 2/√π·exp(−x²) with x² rounded before the "
    "exponential, an error of ~x² ulp at large |x|; dualjit splits x² exactly (two_prod).",
    "lgamma, gamma: the peers' digamma has only absolute accuracy near its zeros on the "
    "negative axis (true derivative ~1e−17, computed ~1e−15).",
    "exp2, sinh, cosh (JAX, hundreds of ulp at |x| in the hundreds): compare the primal "
    "table below: the derivative inherits the error of JAX's own exp2 / sinh / cosh there.",
    "abs, copysign, hypot, max, min and many false zeros (JAX): XLA on the CPU flushes "
    "subnormal numbers to zero, so a subnormal argument or derivative becomes ±0 (a sign "
    "flip for abs at −5e−324, a tie 0.5/0.5 for max(0, 5e−324), zero derivatives).",
    "atan2, hypot (torch): x² + z² underflows for tiny arguments (witness x = z = 1e−160: "
    "7e10 ulp). pow df/dx at x = −1, z = −MAX (both peers): z·x^(z−1) with z − 1 rounded to "
    "z flips the sign (the same bug the oracle once found in dualjit's own reference).",
    "softplus (torch): F.softplus returns x above its threshold 20, so the derivative is "
    "exactly 1 there while the truth is 1 − e^−x (1.3e7 ulp).",
)

TORCH_MISSING = {"cbrt": "no torch.cbrt", "gamma": "no torch gamma (only lgamma)",
                 "log1mexp": "no torch log1mexp"}


# ---------------------------------------------------------------------------------------
# Evaluation through the peers' forward mode
# ---------------------------------------------------------------------------------------

def jax_evaluate(fn, arity, points):
    """(primal (n,), first (n, arity), second (n, 1 or 3)) through jit(vmap(jvp))."""
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
    one = jnp.float64(1.0)
    if arity == 1:
        def d1(x):
            return jax.jvp(fn, (x,), (one,))[1]

        def d2(x):
            return jax.jvp(d1, (x,), (one,))[1]
        k = jax.jit(jax.vmap(lambda x: (fn(x), d1(x), d2(x))))
        y, a, b = k(jnp.asarray(points[:, 0], dtype=jnp.float64))
        return np.asarray(y), np.asarray(a)[:, None], np.asarray(b)[:, None]

    def dx(x, z):
        return jax.jvp(lambda a: fn(a, z), (x,), (one,))[1]

    def dz(x, z):
        return jax.jvp(lambda b: fn(x, b), (z,), (one,))[1]

    def all_(x, z):
        dxx = jax.jvp(lambda a: dx(a, z), (x,), (one,))[1]
        dxz = jax.jvp(lambda b: dx(x, b), (z,), (one,))[1]
        dzz = jax.jvp(lambda b: dz(x, b), (z,), (one,))[1]
        return fn(x, z), dx(x, z), dz(x, z), dxx, dxz, dzz
    k = jax.jit(jax.vmap(all_))
    out = [np.asarray(o) for o in k(jnp.asarray(points[:, 0]), jnp.asarray(points[:, 1]))]
    return out[0], np.column_stack(out[1:3]), np.column_stack(out[3:6])


def torch_evaluate(fn, arity, points):
    """(primal, first, second) through torch.func.vmap of torch.func.jvp (jvp of jvp)."""
    import torch
    from torch.func import jvp, vmap

    def one(t):
        return torch.ones_like(t)

    def arr(t):
        # an exactly-zero tangent comes back as a ZeroTensor, which .numpy() refuses
        return t.numpy(force=True).copy()
    if arity == 1:
        def d1(x):
            return jvp(fn, (x,), (one(x),))[1]

        def d2(x):
            return jvp(d1, (x,), (one(x),))[1]
        x = torch.tensor(points[:, 0], dtype=torch.float64)
        y, a, b = vmap(lambda t: (fn(t), d1(t), d2(t)))(x)
        return arr(y), arr(a)[:, None], arr(b)[:, None]

    def dx(x, z):
        return jvp(lambda a: fn(a, z), (x,), (one(x),))[1]

    def dz(x, z):
        return jvp(lambda b: fn(x, b), (z,), (one(z),))[1]

    def all_(x, z):
        dxx = jvp(lambda a: dx(a, z), (x,), (one(x),))[1]
        dxz = jvp(lambda b: dx(x, b), (z,), (one(z),))[1]
        dzz = jvp(lambda b: dz(x, b), (z,), (one(z),))[1]
        return fn(x, z), dx(x, z), dz(x, z), dxx, dxz, dzz
    x = torch.tensor(points[:, 0], dtype=torch.float64)
    z = torch.tensor(points[:, 1], dtype=torch.float64)
    out = [arr(o) for o in vmap(all_)(x, z)]
    return out[0], np.column_stack(out[1:3]), np.column_stack(out[3:6])


def peer_result(label, primal, first, second) -> EngineResult:
    """A peer's answers in the engine's result shape, so the certifier scores them."""
    primal = np.asarray(primal, dtype=np.float64).reshape(-1)
    return EngineResult(label, primal, primal[:, None].copy(), (label,),
                        np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64), [])


# ---------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------

def _part(summary: dict) -> dict:
    """The numbers of one partial that the table shows."""
    c = summary["counts"]
    return {"max": summary["max"], "median": summary["median"], "p99": summary["p99"],
            "n": summary["n"], "witness": summary["witness"],
            "failing": {k: c[k] for k in FAILING_KINDS if c[k]},
            "undefined_mismatch": c["undefined_mismatch"],
            "unresolved": c["unresolved"]}


def _badness(p: dict | None):
    """Sort key: (failing mismatches, max ulp); None (not available) sorts last."""
    if p is None:
        return (math.inf, math.inf)
    return (sum(p["failing"].values()), p["max"] if p["max"] is not None else 0.0)


def best_of(parts: dict) -> str:
    """'dualjit' / 'jax' / 'torch' / 'tie: a=b' from {name: part or None}."""
    avail = {k: v for k, v in parts.items() if v is not None}
    if not avail:
        return "-"
    keyed = sorted(avail, key=lambda k: _badness(avail[k]))
    b0 = _badness(avail[keyed[0]])
    ties = [k for k in keyed if _badness(avail[k])[0] == b0[0]
            and abs(_badness(avail[k])[1] - b0[1]) <= TIE]
    return ties[0] if len(ties) == 1 else "=".join(ties)


def dualjit_loses(parts: dict):
    """The peer that is strictly more accurate than dualjit on this partial, or None."""
    dj = _badness(parts["dualjit"])
    for k in ("jax", "torch"):
        p = parts.get(k)
        if p is None:
            continue
        b = _badness(p)
        if b[0] < dj[0] or (b[0] == dj[0] and b[1] < dj[1] - TIE):
            return k
    return None


def evaluate_all(rules, cache, workers, log=print):
    prof = PROFILES[PROFILE]
    policy = PrecisionPolicy()
    samples = {r.name: sample_rule(r, prof) for r in rules}
    jobs = [ReferenceJob(r, samples[r.name].points, cache, prof.chunk, policy) for r in rules]
    todo = sum(len(j.todo) for j in jobs)
    log(f"oracle: {sum(len(j.chunks) for j in jobs) - todo} chunks cached, {todo} to compute")
    t0 = time.perf_counter()

    # dualjit's engine results (kernel compilation is the slow part: spread over the pool)
    from dualjit.certify.run import _engine_work
    engine = {}
    with process_pool(workers) as pool:
        futs, chunk_futs = {}, []
        if pool is not None:
            for job in jobs:  # missing oracle chunks first: they are the slow part
                for i in job.todo:
                    chunk_futs.append(pool.submit(_work, job.rule.name, job.chunks[i], str(job.path(i)),
                                                  (policy.start, policy.cap)))
            for r in rules:
                futs[r.name] = pool.submit(_engine_work, r.name, samples[r.name].points, False,
                                           "engine")
            for f in chunk_futs:
                f.result()
        else:
            run_jobs(jobs, workers=0)
        for r in rules:
            engine[r.name] = (futs[r.name].result() if r.name in futs
                              else _engine_work(r.name, samples[r.name].points, False, "engine"))
    log(f"oracle + engine: {time.perf_counter() - t0:.1f} s")

    # the peers are imported only now: JAX is multithreaded, the pool above forks
    try:
        jmap = _jax_map()
        import jax
        jax.config.update("jax_enable_x64", True)
        jax_info = {"version": jax.__version__, "backend": jax.default_backend()}
    except ImportError as exc:
        jmap, jax_info = None, {"skipped": f"not installed ({exc})"}
    try:
        tmap = _torch_map()
        import torch
        torch_info = {"version": torch.__version__}
    except ImportError as exc:
        tmap, torch_info = None, {"skipped": f"not installed ({exc})"}

    rows, skipped = [], []
    for r, job in zip(rules, jobs):
        s = samples[r.name]
        refs = job.references()
        res = {"dualjit": engine[r.name]}
        labels = {"dualjit": target_name(engine_targets(r)[0])}
        errors = {}
        for peer, pmap, ev in (("jax", jmap, jax_evaluate), ("torch", tmap, torch_evaluate)):
            if pmap is None:
                continue
            if r.name not in pmap:
                errors[peer] = TORCH_MISSING.get(r.name, "no equivalent")
                continue
            label, fn = pmap[r.name]
            labels[peer] = label
            try:
                with np.errstate(all="ignore"):
                    y, d1, d2 = ev(fn, r.arity, s.points)
            except Exception as exc:  # noqa: BLE001 - report, go on
                errors[peer] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
                continue
            res[peer] = [peer_result(label, y, d1, d2)]
        if set(res) == {"dualjit"}:
            skipped.append({"rule": r.name, "reasons": errors})
            continue
        stats = {k: rule_statistics(r, s.points, s.origins, v, refs) for k, v in res.items()}
        partials = []
        for order in ("first", "second"):
            for j, comp in enumerate(stats["dualjit"][order]):
                parts = {k: (_part(stats[k][order][j]) if k in stats else None)
                         for k in ("dualjit", "jax", "torch")}
                partials.append({"order": order, "label": comp["label"], **parts,
                                 "best": best_of(parts), "dualjit_loses_to": dualjit_loses(parts)})
        primal = {k: _part(stats[k]["primal"]) for k in stats}
        rows.append({"rule": r.name, "arity": r.arity, "n_points": len(s),
                     "scored_points": stats["dualjit"]["first"][0]["n"], "targets": labels,
                     "errors": errors, "primal": primal, "partials": partials})
        log(f"  {r.name}: done")
    return {"jax": jax_info, "torch": torch_info, "rows": rows, "skipped": skipped}


# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------

def _cell(p):
    if p is None:
        return "—"
    if p["max"] is None:
        s = "no finite score"
    else:
        s = f"{_num(p['max'])} / {_num(p['median'])}"
    if p["failing"]:
        s += " (" + ", ".join(f"{v} {k.replace('_mismatch', '').replace('_', ' ')}"
                              for k, v in p["failing"].items()) + ")"
    return s


def _num(x):
    if x is None:
        return "-"
    if x == 0:
        return "0"
    if x >= 1e4:
        return f"{x:.1e}"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.2f}"


def findings(res) -> list:
    """Headline lines (computed, not hand-written)."""
    lines = []
    first = [(r, p) for r in res["rows"] for p in r["partials"] if p["order"] == "first"]
    second = [(r, p) for r in res["rows"] for p in r["partials"] if p["order"] == "second"]
    for order, items in (("first", first), ("second", second)):
        n = len(items)
        loses = [(r["rule"], p["label"], p["dualjit_loses_to"]) for r, p in items if p["dualjit_loses_to"]]
        dj_worst = max((p["dualjit"]["max"] or 0.0 for _, p in items), default=0.0)
        dj_fail = sum(sum(p["dualjit"]["failing"].values()) for _, p in items)
        lines.append(
            f"**{order.capitalize()} derivatives ({n} partials of {len(res['rows'])} rules):** "
            f"dualjit is at least as accurate as the better peer on {n - len(loses)} of {n} "
            f"(max ulp error within {TIE} ulp, no more NaN/inf/false-zero mismatches); worst "
            f"dualjit max {dj_worst:.2f} ulp, {dj_fail} mismatches."
            + (" dualjit is less accurate on: " + "; ".join(f"{a} {b} (vs {c})" for a, b, c in loses)
               + "." if loses else ""))
    for peer in ("jax", "torch"):
        if "skipped" in res[peer]:
            lines.append(f"**{peer}**: skipped ({res[peer]['skipped']}).")
            continue
        bad = []
        for r, p in first:
            q = p[peer]
            if q is None:
                continue
            if q["failing"] or (q["max"] is not None and q["max"] > 4.0):
                bad.append((r["rule"], p["label"], q))
        bad.sort(key=lambda t: -(_badness(t[2])[1] if math.isfinite(_badness(t[2])[1]) else 0))
        if bad:
            cells = [f"{a} {b} {_cell(q)}" for a, b, q in bad]
            lines.append(f"**{peer} first derivatives worse than 4 ulp (max / median; mismatch "
                         f"counts) on {len(bad)} partials:** " + "; ".join(cells) + ".")
        else:
            lines.append(f"**{peer}**: every first derivative within 4 ulp.")
    return lines


def write_markdown(res, meta, path: Path):
    L = ["# Derivative accuracy: dualjit vs JAX vs PyTorch", ""]
    L.append(f"Produced by `validation/peer_accuracy.py` on {meta['generated']} "
             f"({meta['machine']}; dualjit {meta['dualjit']}, JAX "
             f"{res['jax'].get('version', 'skipped')}, PyTorch {res['torch'].get('version', 'skipped')}, "
             f"mpmath {meta['mpmath']}). Points: the certification sample of each rule "
             f"(`sample_rule(rule, \"{PROFILE}\")`, ~400–700 points: uniform ranges, float64 "
             "encodings over the domain, special and generic points); truths: the oracle's "
             "cached references; scoring: `dualjit.certify.stats.rule_statistics` (kink points "
             "left out for everybody). JAX: float64, `jit(vmap(jvp))`; PyTorch: float64, "
             "`torch.func.vmap(torch.func.jvp)`; second derivatives: jvp of jvp. Sampled maxima "
             "are lower bounds on the true maxima.")
    L += ["", "## FINDINGS", ""]
    L += [f"- {ln}" for ln in findings(res)]
    L += ["", "Why (read off the witnesses of this run, listed below; every witness is in "
          "accuracy.json):", ""]
    L += [f"- {ln}" for ln in MECHANISMS]
    L += ["", "Worst first-derivative witnesses of the peers (max ulp > 4):", "",
          "| rule | partial | peer | max ulp | input (hex) | peer's derivative | true | dualjit max ulp |",
          "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in res["rows"]:
        for p in r["partials"]:
            if p["order"] != "first":
                continue
            for peer in ("jax", "torch"):
                q = p[peer]
                if q is None or q["max"] is None or q["max"] <= 4.0 or q["witness"] is None:
                    continue
                w = q["witness"]
                L.append(f"| {r['rule']} | {p['label']} | {peer} | {_num(q['max'])} | "
                         f"{', '.join(w['input'])} | {w['computed']} | {w['true']} | "
                         f"{_num(p['dualjit']['max'])} |")
    L += ["", "Cells: max ulp / median ulp over the scored points; in parentheses the points "
          "where the result is NaN, ±inf or a false zero against a defined truth (not in the "
          "ulp numbers). *best*: smallest (mismatches, max ulp), ties within "
          f"{TIE} ulp shown as a=b. ⚠ marks a partial where dualjit is less accurate than a peer.", ""]
    for order, title in (("first", "First derivatives"), ("second", "Second derivatives")):
        L += [f"## {title}", "", "| rule | partial | dualjit | JAX jvp | torch jvp | best |",
              "| --- | --- | --- | --- | --- | --- |"]
        for r in res["rows"]:
            for p in r["partials"]:
                if p["order"] != order:
                    continue
                mark = " ⚠" if p["dualjit_loses_to"] else ""
                L.append(f"| {r['rule']} | {p['label']} | {_cell(p['dualjit'])} | {_cell(p['jax'])} | "
                         f"{_cell(p['torch'])} | {p['best']}{mark} |")
        L.append("")
    L += ["## Primal values (for context: the peers' own function values)", "",
          "| rule | libm via Numba | JAX | torch |", "| --- | --- | --- | --- |"]
    for r in res["rows"]:
        pr = r["primal"]
        L.append(f"| {r['rule']} | {_cell(pr.get('dualjit'))} | {_cell(pr.get('jax'))} | "
                 f"{_cell(pr.get('torch'))} |")
    L += ["", "## Functions compared", "", "| rule | dualjit target | JAX | torch |",
          "| --- | --- | --- | --- |"]
    for r in res["rows"]:
        t = r["targets"]
        L.append(f"| {r['rule']} | `{t['dualjit']}` | "
                 f"{'`' + t['jax'] + '`' if 'jax' in t else r['errors'].get('jax', '—')} | "
                 f"{'`' + t['torch'] + '`' if 'torch' in t else r['errors'].get('torch', '—')} |")
    if res["skipped"]:
        L += ["", "Rules with no peer equivalent at all (not compared): "
              + ", ".join(f"{s['rule']} ({'; '.join(f'{k}: {v}' for k, v in s['reasons'].items())})"
                          for s in res["skipped"]) + "."]
    path.write_text("\n".join(L) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", help="comma-separated rule names (default: all)")
    ap.add_argument("--workers", type=int, default=2, help="processes for dualjit's kernels")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="oracle chunk cache")
    ap.add_argument("--out", default=str(HERE / "peers"))
    ap.add_argument("--markdown-only", action="store_true",
                    help="rewrite accuracy.md from an existing accuracy.json (no evaluation)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    if args.markdown_only:
        data = json.loads((out / "accuracy.json").read_text())
        write_markdown(data, data["meta"], out / "accuracy.md")
        print(f"wrote {out / 'accuracy.md'}")
        return
    rules = RULES if not args.rules else [RULES_BY_NAME[n] for n in args.rules.split(",")]
    t0 = time.perf_counter()
    res = evaluate_all(list(rules), args.cache, args.workers,
                       log=lambda m: print(m, file=sys.stderr, flush=True))
    import dualjit
    import mpmath
    meta = {"generated": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} logical CPUs",
            "dualjit": dualjit.__version__, "mpmath": mpmath.__version__, "profile": PROFILE,
            "seconds": round(time.perf_counter() - t0, 1), "tie_ulp": TIE}
    out.mkdir(parents=True, exist_ok=True)
    write_markdown(res, meta, out / "accuracy.md")
    with open(out / "accuracy.json", "w") as fh:
        json.dump({"meta": meta, **res}, fh, indent=1, default=float)
    for ln in findings(res):
        print("-", ln)
    print(f"wrote {out / 'accuracy.md'} and {out / 'accuracy.json'} ({meta['seconds']} s)")


if __name__ == "__main__":
    main()
