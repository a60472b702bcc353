"""Cost of a custom rule (dualjit.rule) against the built-in rule and differentiating the
function's body, on the logistic function over 10⁶ points.

Variants (value + derivative per point unless noted, all timed interleaved in this one
process, see _timing.py):

* primal              the plain float logistic;
* built-in            dualjit.sigmoid (a row of the rule table) on Dual;
* custom rule         a dualjit.rule logistic whose derivatives function returns
                      (y, y', y'') sharing exp(-|x|);
* through the body    the same primal, differentiated operation by operation;
* the HyperDual (f'') variants of the last three.

Question answered: does a custom rule cost what a built-in rule costs (the engine calls
one compiled derivatives function per operation)?

    python benchmarks/bench_custom_rules.py [--quick] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys

import numba
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from _timing import Variant, interleaved, machine_info, print_table, ratio  # noqa: E402

import dualjit  # noqa: E402
from dualjit import Dual, HyperDual  # noqa: E402

NP = dict(error_model="numpy", cache=True)


@numba.njit(**NP)
def logistic_body(x):
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@numba.njit(**NP)
def _logistic_derivatives(x):
    e = math.exp(-x) if x >= 0.0 else math.exp(x)
    p = 1.0 + e
    y = 1.0 / p if x >= 0.0 else e / p
    d1 = e / (p * p)
    if x >= 0.0:
        return y, d1, e * math.expm1(-x) / (p * p * p)
    return y, d1, -(e * math.expm1(x)) / (p * p * p)


logistic_rule = dualjit.rule(logistic_body, derivatives=_logistic_derivatives,
                             name="bench_logistic")


def _loops(fn):
    @numba.njit(**NP)
    def dual_loop(x, val, der):
        for i in range(x.shape[0]):
            r = fn(Dual(x[i], 1.0))
            val[i], der[i] = r.value, r.partials[0]

    @numba.njit(**NP)
    def hyper_loop(x, val, der2):
        for i in range(x.shape[0]):
            r = fn(HyperDual(x[i], 1.0, 1.0, 0.0))
            val[i], der2[i] = r.value, r.e12[0]
    return dual_loop, hyper_loop


@numba.njit(**NP)
def primal_loop(x, val):
    for i in range(x.shape[0]):
        val[i] = logistic_body(x[i])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^5 points, 5 rounds")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    n, rounds = (100_000, 5) if args.quick else (1_000_000, 15)
    x = np.random.default_rng(20240601).uniform(-20.0, 20.0, n)
    val, der = np.empty(n), np.empty(n)
    loops = {"built-in": _loops(dualjit.sigmoid), "custom rule": _loops(logistic_rule),
             "through the body": _loops(logistic_body)}
    variants = [Variant("primal", lambda k: [primal_loop(x, val) for _ in range(k)], n, 1)]
    for name, (dl, hl) in loops.items():
        variants.append(Variant(name, lambda k, dl=dl: [dl(x, val, der) for _ in range(k)], n, 1))
        variants.append(Variant(f"{name} f''", lambda k, hl=hl: [hl(x, val, der) for _ in range(k)],
                                n, 1))
    t = interleaved(variants, rounds)
    rows, results = [], {}
    for name, base in (("built-in", "primal"), ("custom rule", "primal"),
                       ("through the body", "primal"), ("custom rule", "built-in"),
                       ("custom rule", "through the body"), ("custom rule f''", "built-in f''"),
                       ("custom rule f''", "through the body f''")):
        r, q1, q3 = ratio(t, name, base)
        rows.append([name, f"{t[name].median * 1e9:.1f}", base, f"{r:.2f}×", f"[{q1:.2f}, {q3:.2f}]"])
        results[f"{name} / {base}"] = {"ratio": r, "iqr": [q1, q3]}
    print_table(f"Custom rule vs built-in rule vs the body on logistic, {n:,} points in "
                f"[-20, 20], {rounds} interleaved rounds", ["variant", "ns/point", "vs", "ratio",
                                                            "IQR"], rows)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"n": n, "results": results,
                                                       "machine": machine_info()}, indent=2))


if __name__ == "__main__":
    main()
