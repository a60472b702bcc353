"""dualjit.cuda on a GPU: throughput against the plain float kernel and JAX, and the
CPU-vs-GPU difference of every rule.

Run where a CUDA GPU exists::

    python benchmarks/bench_cuda.py                       # 10**8 points, table + JSON
    python benchmarks/bench_cuda.py --n 10000000 --json out.json

Smoke test without a GPU (the simulator; tiny sizes, timings meaningless)::

    NUMBA_ENABLE_CUDASIM=1 python benchmarks/bench_cuda.py --n 64 --rule-points 8 --rules sin,pow

Sections:

1. Throughput of f(x) = exp(x) / sqrt(sin(x)^3 + cos(x)^3) over ``--n`` points already on
   the device: the plain float64 kernel, dualjit.cuda derivative, value_and_derivative and
   second_derivative (points per second, achieved memory bandwidth from the bytes each
   kernel must move, ratio to the float kernel -- the target is <= 1.3x), and JAX's
   ``jit(vmap(jvp))`` / nested jvp on the GPU when JAX with a GPU backend is installed.
2. Per rule (every target with ``--all-targets``): the max ulp difference between the GPU
   and the CPU (dualjit's compiled CPU path) in the value, f' and f'', on
   ``--rule-points`` points inside the rule's sampling range. Differences come from the
   GPU's libdevice functions (a different libm) and from fma contraction of the
   derivative formulas and the chain rule (see docs/cuda.md).

Without a GPU and without the simulator it exits with status 2 and says so.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time

import numpy as np


def _fail_without_gpu():
    import numba
    if getattr(numba.config, "ENABLE_CUDASIM", 0):
        return None
    try:
        from numba import cuda
    except ImportError as exc:
        return f"numba-cuda is not installed ({exc}); pip install dualjit[cuda]"
    if not cuda.is_available():
        return ("no CUDA GPU is available: this benchmark measures GPU throughput and needs "
                "an NVIDIA GPU with a working driver. For a smoke test without a GPU run it "
                "under the simulator with tiny sizes: NUMBA_ENABLE_CUDASIM=1 python "
                "benchmarks/bench_cuda.py --n 64 --rule-points 8")
    return None


def fike(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


def _timeit(fn, repeat, sync):
    fn()
    sync()  # warm-up (compilation)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        sync()
        best = min(best, time.perf_counter() - t)
    return best


def throughput(n, repeat, use_jax):
    import numba
    from numba import cuda

    import dualjit.cuda as dcuda

    f = numba.njit(error_model="numpy")(fike)

    # built from source with `cuda` as a global: the simulator swaps a kernel's global
    # `cuda` for its fake module, not a closure variable
    ns = {"cuda": cuda, "f": f}
    exec("def float_kernel(xs, out):\n"  # noqa: S102
         "    i = cuda.grid(1)\n"
         "    if i < xs.shape[0]:\n"
         "        out[i] = f(xs[i])\n", ns)
    float_kernel = cuda.jit(ns["float_kernel"])

    xs = cuda.to_device(np.linspace(0.1, 1.4, n))
    out = cuda.device_array(n)
    blocks, threads = dcuda.launch_config(n)
    sync = cuda.synchronize
    rows = []

    def record(name, seconds, nbytes):
        rows.append({"kernel": name, "seconds": seconds, "points_per_second": n / seconds,
                     "bandwidth_GBps": nbytes / seconds / 1e9})

    record("float64 f(x)", _timeit(lambda: float_kernel[blocks, threads](xs, out), repeat, sync),
           16 * n)
    record("dualjit derivative", _timeit(lambda: dcuda.derivative(f, xs), repeat, sync), 16 * n)
    record("dualjit value_and_derivative",
           _timeit(lambda: dcuda.value_and_derivative(f, xs), repeat, sync), 24 * n)
    record("dualjit second_derivative",
           _timeit(lambda: dcuda.second_derivative(f, xs), repeat, sync), 16 * n)
    if use_jax:
        rows += _jax_rows(n, repeat)
    base = rows[0]["seconds"]
    for r in rows:
        r["ratio_to_float"] = r["seconds"] / base
    return rows


def _jax_rows(n, repeat):
    try:
        import jax
        import jax.numpy as jnp
        jax.config.update("jax_enable_x64", True)
        if not any(d.platform == "gpu" for d in jax.devices()):
            return []
    except Exception:  # noqa: BLE001 - JAX absent or without a GPU backend
        return []

    def g(x):
        return jnp.exp(x) / jnp.sqrt(jnp.sin(x) ** 3 + jnp.cos(x) ** 3)

    d1 = jax.jit(jax.vmap(lambda x: jax.jvp(g, (x,), (1.0,))[1]))
    d2 = jax.jit(jax.vmap(lambda x: jax.jvp(lambda y: jax.jvp(g, (y,), (1.0,))[1], (x,), (1.0,))[1]))
    prim = jax.jit(g)
    xs = jnp.linspace(0.1, 1.4, n, dtype=jnp.float64)
    rows = []
    for name, fn in (("jax f(x)", prim), ("jax jvp derivative", d1), ("jax nested jvp f''", d2)):
        best = float("inf")
        fn(xs).block_until_ready()
        for _ in range(repeat):
            t = time.perf_counter()
            fn(xs).block_until_ready()
            best = min(best, time.perf_counter() - t)
        seconds = best
        rows.append({"kernel": name, "seconds": seconds, "points_per_second": n / seconds,
                     "bandwidth_GBps": 16 * n / seconds / 1e9})
    return rows


# --------------------------------------------------------------------------- per rule

def _ulp(v):
    v = abs(float(v))
    if not math.isfinite(v):
        return float("nan")
    return max(math.ulp(v), 2.0 ** -1074)


def _ulp_diff(a, b):
    if (a != a) and (b != b):
        return 0.0
    if a == b:
        return 0.0
    if not (math.isfinite(a) and math.isfinite(b)):
        return float("inf")
    return abs(a - b) / _ulp(b)


def rule_differences(points, all_targets, only=None):
    import numba

    import dualjit
    import dualjit.cuda as dcuda
    from dualjit import Dual, HyperDual
    from dualjit.rules import RULES

    rows = []
    for rule in RULES:
        if only and rule.name not in only:
            continue
        targets = rule.targets if all_targets else rule.targets[:1]
        ranges = rule.sample_ranges or ((-2.0, 2.0),) * rule.arity
        for target in targets:
            lo, hi = max(ranges[0][0], -1e3), min(ranges[0][1], 1e3)
            c = 0.5 * (ranges[1][0] + ranges[1][1]) + 0.29 if rule.arity == 2 else 0.0
            g = _make_g(target, rule.arity, c)
            span = hi - lo
            xs = np.linspace(lo + 0.0131 * span, hi - 0.0117 * span, points)

            @numba.njit(error_model="numpy")
            def cpu(xs, out):
                for i in range(xs.shape[0]):
                    d = g(Dual(xs[i], 1.0))
                    h = g(HyperDual(xs[i], 1.0, 1.0, 0.0))
                    out[i, 0] = dualjit.api._outputs.value(d)
                    out[i, 1] = dualjit.api._outputs.partial(d, 0)
                    out[i, 2] = dualjit.api._outputs.cross(h, 0)

            ref = np.empty((points, 3))
            cpu(xs, ref)
            vals, ders = dcuda.value_and_derivative(g, xs)
            sec = dcuda.second_derivative(g, xs)
            worst = [max(_ulp_diff(float(a), float(b)) for a, b in zip(got, ref[:, k]))
                     for k, got in enumerate((vals, ders, sec))]
            name = getattr(target, "__name__", str(target))
            rows.append({"rule": rule.name, "target": name, "points": points,
                         "max_ulp_value": worst[0], "max_ulp_first": worst[1],
                         "max_ulp_second": worst[2]})
    return rows


def _make_g(target, arity, c):
    """The rule's target as an njit function of x (binary: t(x, c + x/8), both dual)."""
    import numba
    if arity == 1:
        def g(x):
            return target(x)
    else:
        def g(x):
            return target(x, c + 0.125 * x)
    return numba.njit(error_model="numpy")(g)


# --------------------------------------------------------------------------- fma in PTX

def fma_report(all_targets=False, only=None):
    """Per rule: how many a*b+c were contracted into fma.rn.f64 by NVVM, in the float
    primal kernel, the Dual[1] derivative kernel and the HyperDual second-derivative
    kernel: the count of fma.rn.f64 with NVVM's default contraction (fma=1) minus the
    count with contraction off (fma=0). libdevice's own fma (explicit intrinsics) cancel
    out. Needs no GPU: without one it uses the test suite's device stand-in."""
    import re

    import numba
    from numba import cuda, types
    from numba.cuda.cudadrv import nvvm

    import dualjit  # noqa: F401
    import dualjit.cuda  # noqa: F401  (installs the CUDA ufunc loops)
    from dualjit import Dual, HyperDual
    from dualjit.rules import RULES

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
    from cuda_support import fake_current_device

    state = {"fma": True}
    original = nvvm.compile_ir

    def compile_ir(llvmir, **options):
        options["fma"] = state["fma"]
        return original(llvmir, **options)

    nvvm.compile_ir = compile_ir
    arr = types.Array(types.float64, 1, "C")
    rows = []

    def count(kernel_src, scope):
        out = []
        for fma in (True, False):
            state["fma"] = fma
            ns = dict(scope)
            exec(kernel_src, ns)  # noqa: S102
            with fake_current_device((9, 0)):
                ptx, _ = cuda.compile_ptx(ns["kernel"], (arr, arr), cc=(9, 0))
            out.append(len(re.findall(r"\bfma\.rn\.f64\b", ptx)))
        return out[0] - out[1], out[0]

    for rule in RULES:
        if only and rule.name not in only:
            continue
        for target in (rule.targets if all_targets else rule.targets[:1]):
            call = "t(x)" if rule.arity == 1 else "t(x, 0.75 + 0.125 * x)"
            if target in (math.floor, math.ceil, math.trunc):
                call = "t(x) + 0.0 * x"  # they return the primal int: no derivative part
            scope = {"t": target, "numba": numba, "cuda": cuda, "Dual": Dual,
                     "HyperDual": HyperDual, "math": math}
            row = {"rule": rule.name, "target": getattr(target, "__name__", str(target))}
            for label, seed, read in (("float", "x", "r"),
                                      ("dual", "Dual(x, 1.0)", "r.partials[0]"),
                                      ("hyperdual", "HyperDual(x, 1.0, 1.0, 0.0)", "r.e12[0]")):
                src = ("g = numba.njit(error_model='numpy')(lambda x: " + call + ")\n"
                       "def kernel(xs, out):\n"
                       "    i = cuda.grid(1)\n"
                       "    if i < xs.shape[0]:\n"
                       f"        x = {seed.replace('x', 'xs[i]', 1) if label != 'float' else 'xs[i]'}\n"
                       "        r = g(x)\n"
                       f"        out[i] = {read}\n")
                contracted, total = count(src, scope)
                row[f"{label}_contracted"] = contracted
                row[f"{label}_fma_total"] = total
            rows.append(row)
            print(f"{row['rule']:10s} {row['target']:10s} contracted fma: float "
                  f"{row['float_contracted']:3d}  Dual[1] {row['dual_contracted']:3d}  "
                  f"HyperDual {row['hyperdual_contracted']:3d}   (all fma: {row['float_fma_total']}, "
                  f"{row['dual_fma_total']}, {row['hyperdual_fma_total']})", flush=True)
    nvvm.compile_ir = original
    return rows


# --------------------------------------------------------------------------- main

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=None, help="points (default 10**8; 64 in the simulator)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--rule-points", type=int, default=None,
                   help="points per rule for the CPU/GPU ulp table (default 100000; 8 in the simulator)")
    p.add_argument("--all-targets", action="store_true", help="every target of every rule")
    p.add_argument("--no-jax", action="store_true")
    p.add_argument("--json", default="bench_cuda.json", help="where to write the results")
    p.add_argument("--fma-report", action="store_true",
                   help="no GPU needed: count the fma contractions NVVM makes per rule in the "
                        "PTX (float, Dual, HyperDual kernels) and write them to --json")
    p.add_argument("--rules", default="", help="only these rules (comma-separated names) in the per-rule sections")
    args = p.parse_args(argv)

    if args.fma_report:
        rows = fma_report(args.all_targets, args.rules.split(",") if args.rules else None)
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"fma_contractions": rows}, fh, indent=2)
        print(f"wrote {os.path.abspath(args.json)}")
        return 0

    problem = _fail_without_gpu()
    if problem:
        print(f"bench_cuda: {problem}", file=sys.stderr)
        return 2
    import numba
    sim = bool(numba.config.ENABLE_CUDASIM)
    n = args.n or (64 if sim else 10 ** 8)
    rule_points = args.rule_points or (8 if sim else 100_000)
    if sim:
        print("NOTE: running in the CUDA simulator: a smoke test, the timings mean nothing.")

    rows = throughput(n, 1 if sim else args.repeat, use_jax=not args.no_jax and not sim)
    print(f"\nf(x) = exp(x)/sqrt(sin(x)^3 + cos(x)^3) over {n:.3g} points (device arrays)")
    print(f"{'kernel':32s} {'seconds':>10s} {'points/s':>12s} {'GB/s':>8s} {'x float':>8s}")
    for r in rows:
        print(f"{r['kernel']:32s} {r['seconds']:10.4g} {r['points_per_second']:12.4g} "
              f"{r['bandwidth_GBps']:8.3g} {r.get('ratio_to_float', float('nan')):8.3f}")
    deriv = next(r for r in rows if r["kernel"] == "dualjit derivative")
    print(f"derivative / float kernel = {deriv['ratio_to_float']:.3f} (target <= 1.3)")

    rules = rule_differences(rule_points, args.all_targets,
                             args.rules.split(",") if args.rules else None)
    print(f"\nmax ulp difference GPU vs CPU per rule ({rule_points} points each)")
    print(f"{'rule':12s} {'target':12s} {'value':>10s} {'f1':>10s} {'f2':>10s}")
    for r in rules:
        print(f"{r['rule']:12s} {r['target']:12s} {r['max_ulp_value']:10.3g} "
              f"{r['max_ulp_first']:10.3g} {r['max_ulp_second']:10.3g}")

    device = "simulator"
    if not sim:
        from numba import cuda
        dev = cuda.get_current_device()
        device = f"{dev.name.decode() if isinstance(dev.name, bytes) else dev.name} cc={dev.compute_capability}"
    result = {"n": n, "device": device, "simulator": sim, "python": platform.python_version(),
              "numba": numba.__version__, "throughput": rows, "rules": rules,
              "derivative_ratio_target": 1.3,
              "derivative_ratio_met": deriv["ratio_to_float"] <= 1.3}
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
    print(f"\nwrote {os.path.abspath(args.json)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
