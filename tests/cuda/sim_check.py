"""Run by tests/cuda/test_simulator.py in a subprocess with NUMBA_ENABLE_CUDASIM=1.

Compares dualjit.cuda (simulator: Python fallback numbers generated from the rule
table) with the CPU path (compiled Dual/HyperDual) bit for bit, on every case of
rule_cases (every rule; every target with DUALJIT_CUDA_FULL=1), plus gradients and a
user-written kernel. Prints one JSON object on stdout.
"""
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

import numba  # noqa: E402
import numpy as np  # noqa: E402

assert numba.config.ENABLE_CUDASIM, "run with NUMBA_ENABLE_CUDASIM=1"

import dualjit  # noqa: E402
import dualjit.cuda as dcuda  # noqa: E402
from dualjit import Dual, HyperDual  # noqa: E402
from dualjit.api import _outputs as outputs  # noqa: E402
from numba import cuda  # noqa: E402

import custom_rule_defs as custom  # noqa: E402
import rule_cases  # noqa: E402


def bits_equal(a, b):
    a, b = np.float64(a), np.float64(b)
    if a != a and b != b:
        return True
    return a.view(np.int64) == b.view(np.int64)


def compiled_case(case, names):
    scope = dict(names, math=math, np=np)
    exec(f"def g(x):\n    return {case.expr}\n", scope)  # noqa: S102
    return numba.njit(error_model="numpy")(scope["g"])


def reference(g, xs):
    """The CPU path: g compiled for Dual and HyperDual, called on boxed numbers."""
    out = np.empty((len(xs), 3))
    for i, x in enumerate(xs):
        d = g(Dual(float(x), 1.0))
        h = g(HyperDual(float(x), 1.0, 1.0, 0.0))
        out[i] = outputs.value(d), outputs.partial(d, 0), outputs.cross(h, 0)
    return out


def main():
    t0 = time.perf_counter()
    pairs = rule_cases.rule_targets()
    names = rule_cases.target_names(pairs)
    full = rule_cases.full_coverage()
    all_cases = rule_cases.cases(pairs)
    mismatches, checked = [], 0
    t_cpu = t_sim = 0.0
    for case in all_cases:
        g = compiled_case(case, names)
        xs = np.array(case.points, dtype=np.float64)
        t = time.perf_counter()
        out = reference(g, xs)
        t_cpu += time.perf_counter() - t
        t = time.perf_counter()
        vals, ders = dcuda.value_and_derivative(g, xs)
        sec = dcuda.second_derivative(g, xs)
        der_only = dcuda.derivative(g, xs) if full or case is all_cases[0] else ders
        t_sim += time.perf_counter() - t
        for i, x in enumerate(xs):
            for what, got, want in (("value", vals[i], out[i, 0]), ("derivative", ders[i], out[i, 1]),
                                    ("derivative(verb)", der_only[i], out[i, 1]),
                                    ("second derivative", sec[i], out[i, 2])):
                checked += 1
                if not bits_equal(got, want):
                    mismatches.append(f"{case.label} at x={float(x).hex()}: {what} simulator "
                                      f"{float(got)!r} != CPU {float(want)!r}")

    # gradients: a batch of rows, CPU dualjit.gradient row by row
    @numba.njit(error_model="numpy")
    def rosen(x):
        s = 0.0
        for i in range(x.shape[0] - 1):
            s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
        return s + math.log1p(abs(x[0])) * np.tanh(x[-1])

    @numba.njit(error_model="numpy")
    def scaled(x, c):
        return c * math.sin(x[0]) * math.exp(x[1]) - math.hypot(x[1], x[2])

    rng = np.random.default_rng(5)
    grad_checked = 0
    for f, X, args in ((rosen, rng.uniform(-2, 2, (6, 11)), ()),
                       (scaled, rng.uniform(-2, 2, (5, 3)), (2.5,))):
        vals, grads = dcuda.value_and_gradient(f, X, *args)
        small = dcuda.gradient(f, X, *args, chunk=3)
        for i, row in enumerate(X):
            v, gr = dualjit.value_and_gradient(f, row, *args)
            grad_checked += 1
            if not (bits_equal(v, vals[i]) and all(bits_equal(a, b) for a, b in zip(gr, grads[i]))
                    and all(bits_equal(a, b) for a, b in zip(gr, small[i]))):
                mismatches.append(f"gradient of {f.__name__} differs at row {i}")

    # custom rules (dualjit.rule): unary, binary with each operand seeded, first order
    @numba.njit(error_model="numpy")
    def uses_custom(x):
        return custom.logistic(2.0 * x) * custom.radius(x, 0.5) + custom.radius(1.5, x * x)

    @numba.njit(error_model="numpy")
    def uses_first_order(x):
        return custom.softsign(x) * x

    custom_checked = 0
    xs = np.array([-30.0, -1.5, -0.0, 0.25, 3.0, 40.0, math.nan])
    out = reference(uses_custom, xs)
    vals, ders = dcuda.value_and_derivative(uses_custom, xs)
    sec = dcuda.second_derivative(uses_custom, xs)
    first = dcuda.derivative(uses_first_order, xs)
    for i, x in enumerate(xs):
        pairs_ = (("value", vals[i], out[i, 0]), ("derivative", ders[i], out[i, 1]),
                  ("second derivative", sec[i], out[i, 2]),
                  ("first-order rule", first[i], dualjit.derivative(uses_first_order, x)))
        for what, got, want in pairs_:
            custom_checked += 1
            if not bits_equal(got, want):
                mismatches.append(f"custom rule at x={float(x).hex()}: {what} simulator "
                                  f"{float(got)!r} != CPU {float(want)!r}")

    # device arrays in -> device arrays out
    d_xs = cuda.to_device(np.linspace(0.1, 1.0, 5))
    d_out = dcuda.derivative(rosen_1d, d_xs)
    device_kind = type(d_out).__name__

    # a user's own kernel calling the number types directly
    @cuda.jit
    def own_kernel(xs, out):
        i = cuda.grid(1)
        if i < xs.shape[0]:
            r = rosen_1d(Dual(xs[i], 1.0))
            out[i] = r.partials[0]
    xs = np.linspace(0.1, 1.0, 5)
    own = np.zeros(5)
    own_kernel[1, 5](xs, own)
    own_ok = all(bits_equal(own[i], dualjit.derivative(rosen_1d, x)) for i, x in enumerate(xs))

    print(json.dumps({
        "cases": len(all_cases), "rules": len({c.label.split(":")[0] for c in all_cases}),
        "targets": len(pairs), "checked": checked, "gradient_rows": grad_checked,
        "custom_checked": custom_checked,
        "mismatches": mismatches, "device_kind": device_kind,
        "device_equal": all(bits_equal(a, dualjit.derivative(rosen_1d, x))
                            for a, x in zip(d_out.copy_to_host(), d_xs.copy_to_host())),
        "own_kernel_equal": bool(own_ok), "full": rule_cases.full_coverage(),
        "seconds": {"total": time.perf_counter() - t0, "cpu": t_cpu, "simulator": t_sim},
    }))


@numba.njit(error_model="numpy")
def rosen_1d(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


if __name__ == "__main__":
    main()
