"""Cost of guaranteed enclosures: interval Dual vs plain Dual on the Fike–Alonso function.

The same unchanged user function f(x) = exp(x)/sqrt(sin³x + cos³x) runs over 10⁶ points
on ``Dual(x, 1.0)`` (value + derivative) and on ``Dual(Interval(x), Interval(1.0))``
(enclosures of the exact value + derivative), and on the HyperDual pair for f''. Timed
interleaved in one process (see _timing.py). Target: interval Dual ≤ 4× plain Dual.

    python benchmarks/bench_intervals.py [--quick] [--json out.json]
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
from _timing import Variant, interleaved, machine_info, print_table, ratio, verdict  # noqa: E402

from dualjit import Dual, HyperDual, Interval  # noqa: E402

NP = dict(error_model="numpy", cache=True)
TARGET = 4.0


@numba.njit(**NP)
def fike(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


@numba.njit(**NP)
def primal_loop(x, val):
    for i in range(x.shape[0]):
        val[i] = fike(x[i])


@numba.njit(**NP)
def dual_loop(x, val, der):
    for i in range(x.shape[0]):
        r = fike(Dual(x[i], 1.0))
        val[i] = r.value
        der[i] = r.partials[0]


@numba.njit(**NP)
def interval_dual_loop(x, box, dbox):
    one = Interval(1.0)
    for i in range(x.shape[0]):
        r = fike(Dual(Interval(x[i]), one))
        box[i, 0], box[i, 1] = r.value.lo, r.value.hi
        dbox[i, 0], dbox[i, 1] = r.partials[0].lo, r.partials[0].hi


@numba.njit(**NP)
def hyperdual_loop(x, val, der, der2):
    for i in range(x.shape[0]):
        r = fike(HyperDual(x[i], 1.0, 1.0, 0.0))
        val[i], der[i], der2[i] = r.value, r.e1[0], r.e12[0]


@numba.njit(**NP)
def interval_hyperdual_loop(x, box, dbox, d2box):
    one = Interval(1.0)
    for i in range(x.shape[0]):
        r = fike(HyperDual(Interval(x[i]), one, one, 0.0))
        box[i, 0], box[i, 1] = r.value.lo, r.value.hi
        dbox[i, 0], dbox[i, 1] = r.e1[0].lo, r.e1[0].hi
        d2box[i, 0], d2box[i, 1] = r.e12[0].lo, r.e12[0].hi


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^5 points, 5 rounds")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    n, rounds = (100_000, 5) if args.quick else (1_000_000, 15)
    x = np.random.default_rng(20240601).uniform(0.0, 1.5, n)
    val, der, der2 = np.empty(n), np.empty(n), np.empty(n)
    box, dbox, d2box = np.empty((n, 2)), np.empty((n, 2)), np.empty((n, 2))
    variants = [
        Variant("primal", lambda k: [primal_loop(x, val) for _ in range(k)], n, 1),
        Variant("Dual", lambda k: [dual_loop(x, val, der) for _ in range(k)], n, 1),
        Variant("Dual[Interval]", lambda k: [interval_dual_loop(x, box, dbox) for _ in range(k)], n, 1),
        Variant("HyperDual", lambda k: [hyperdual_loop(x, val, der, der2) for _ in range(k)], n, 1),
        Variant("HyperDual[Interval]",
                lambda k: [interval_hyperdual_loop(x, box, dbox, d2box) for _ in range(k)], n, 1),
    ]
    t = interleaved(variants, rounds)
    # sanity: the enclosures hold the float results' neighbourhood and are narrow
    dual_loop(x, val, der)
    interval_dual_loop(x, box, dbox)
    inside = np.mean((dbox[:, 0] <= der) & (der <= dbox[:, 1]))
    rel_width = np.median((dbox[:, 1] - dbox[:, 0]) / np.abs(der))
    rows, results = [], {}
    for name, base, target in (("Dual", "primal", None), ("Dual[Interval]", "Dual", TARGET),
                               ("HyperDual", "primal", None),
                               ("HyperDual[Interval]", "HyperDual", TARGET)):
        r, q1, q3 = ratio(t, name, base)
        rows.append([name, f"{t[name].median * 1e9:.1f}", base, f"{r:.2f}×", f"[{q1:.2f}, {q3:.2f}]",
                     f"≤ {target}" if target else "", verdict(r, target) if target else ""])
        results[name] = {"ns_per_point": t[name].median * 1e9, "vs": base, "ratio": r,
                         "iqr": [q1, q3], "target": target}
    print_table(f"Interval enclosures on Fike–Alonso, {n:,} points in [0, 1.5] "
                f"(median of {rounds} interleaved rounds)",
                ["variant", "ns/point", "vs", "ratio", "per-round IQR", "target", "verdict"], rows,
                note=f"float derivative inside its interval enclosure at {inside:.1%} of points; "
                     f"median relative width of the derivative enclosure {rel_width:.2e}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(
            {"machine": machine_info(), "points": n, "rounds": rounds, "results": results,
             "float_derivative_inside": float(inside), "median_relative_width": float(rel_width)},
            indent=1) + "\n")


if __name__ == "__main__":
    main()
