"""Property check at scale: interval enclosures contain the oracle's exact values.

For every rule with an enclosure, at its certification sample points (bit patterns, the
row's ranges, special points; the ``containment`` profile has about 2000 points a rule,
over 10^5 in all) the compiled engine runs the rule's first target on a HyperDual whose
components are point Intervals (both arguments seeded, for binary rules). The oracle's
exact value, first and second partials (mpmath, at least 160 bits, from the certification
cache) must lie inside the value, e1 and e12 enclosures: 100 % is the bar. The script
also reports the median and maximum enclosure width in ulps per rule and the points
skipped because the oracle has no value there (outside the domain, at a pole or kink).

    python validation/interval_containment.py [--out validation/intervals] [--workers 2]

Finished oracle chunks are cached under OUT/oracle (a rerun resumes).
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys
import time

import mpmath as mp
import numba
import numpy as np

import dualjit
from dualjit import HyperDual, Interval
from dualjit.certify.references import compute_references
from dualjit.certify.sampling import Profile, sample_rule
from dualjit.rules import RULES

PROFILE = Profile("containment", uniform=1000, bits=1000, chunk=512, all_targets=False)
_KERNELS: dict = {}


def _kernel(target, arity):
    """out[i] = (value lo, hi, then lo, hi of each e1 entry, then of each e12 entry)."""
    if (target, arity) in _KERNELS:
        return _KERNELS[(target, arity)]
    if arity == 1:
        @numba.njit(error_model="numpy")
        def kernel(pts, out):
            one = Interval(1.0)
            for i in range(pts.shape[0]):
                h = target(HyperDual(Interval(pts[i, 0]), one, one, 0.0))
                out[i, 0], out[i, 1] = h.value.lo, h.value.hi
                out[i, 2], out[i, 3] = h.e1[0].lo, h.e1[0].hi
                out[i, 4], out[i, 5] = h.e12[0].lo, h.e12[0].hi
    else:
        @numba.njit(error_model="numpy")
        def kernel(pts, out):
            zeros = (0.0, 0.0, 0.0, 0.0)
            for i in range(pts.shape[0]):
                x = HyperDual(Interval(pts[i, 0]), (1.0, 0.0), (1.0, 0.0), zeros)
                z = HyperDual(Interval(pts[i, 1]), (0.0, 1.0), (0.0, 1.0), zeros)
                h = target(x, z)
                out[i, 0], out[i, 1] = h.value.lo, h.value.hi
                for k in range(2):
                    out[i, 2 + 2 * k], out[i, 3 + 2 * k] = h.e1[k].lo, h.e1[k].hi
                for k in range(4):
                    out[i, 6 + 2 * k], out[i, 7 + 2 * k] = h.e12[k].lo, h.e12[k].hi
    _KERNELS[(target, arity)] = kernel
    return kernel


def _truths(ref, arity):
    """The exact components in the kernel's column order (None where undefined)."""
    def exact(o):
        if o.status == "ok":
            return o.exact
        if o.status == "overflow" and o.exact is not None and mp.isfinite(o.exact):
            return o.exact  # finite but beyond the largest double
        return None  # undefined, or an infinite limit (log 0): no real value to enclose
    if arity == 1:
        return [exact(ref.value), exact(ref.first[0]), exact(ref.second[0])]
    fxx, fxz, fzz = ref.second
    return ([exact(ref.value)] + [exact(o) for o in ref.first]
            + [exact(o) for o in (fxx, fxz, fxz, fzz)])


def _width_ulps(lo, hi, t):
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return math.inf
    scale = max(math.ulp(abs(float(t))), 2.0 ** -1074) if t is not None and mp.isfinite(t) else 2.0 ** -1074
    return (hi - lo) / scale


def check_rule(rule, cache, workers):
    samples = sample_rule(rule, PROFILE)
    finite = np.all(np.isfinite(samples.points), axis=1)  # intervals hold real numbers only
    pts = np.ascontiguousarray(samples.points[finite], dtype=np.float64)
    refs = compute_references(rule, pts, cache, chunk=PROFILE.chunk, workers=workers)
    ncols = 3 if rule.arity == 1 else 7
    out = np.empty((pts.shape[0], 2 * ncols))
    _kernel(rule.targets[0], rule.arity)(pts, out)
    failures, widths_v, widths_d, checked, skipped = [], [], [], 0, 0
    with mp.workprec(200):
        for i, ref in enumerate(refs):
            truths = _truths(ref, rule.arity)
            for c, t in enumerate(truths):
                lo, hi = out[i, 2 * c], out[i, 2 * c + 1]
                if t is None:
                    skipped += 1
                    continue
                checked += 1
                # the oracle's value carries >= 160 bits: a tie within 2**-140 of a bound
                # is below its resolution, never a double's
                slack = abs(t) * mp.mpf(2) ** -140
                inside = lo - slack <= t <= hi + slack
                if not inside:
                    failures.append({"input": [float(v).hex() for v in pts[i]], "component": c,
                                     "enclosure": [lo, hi], "exact": mp.nstr(t, 20)})
                elif c == 0:
                    widths_v.append(_width_ulps(lo, hi, t))
                elif c == 1:
                    widths_d.append(_width_ulps(lo, hi, t))
    med = (lambda w: float(np.median(w)) if w else math.nan)
    finite_max = (lambda w: float(max((v for v in w if math.isfinite(v)), default=math.nan)))
    return {"rule": rule.name, "target": dualjit.rules.schema.qualified_name(rule.targets[0]),
            "points": int(pts.shape[0]), "infinite_inputs_skipped": int((~finite).sum()), "checked": checked, "skipped_undefined": skipped,
            "failures": failures, "value_width_median": med(widths_v),
            "value_width_max": finite_max(widths_v), "first_width_median": med(widths_d),
            "first_width_max": finite_max(widths_d),
            "unbounded_first": sum(1 for w in widths_d if not math.isfinite(w))}


def markdown(results, seconds):
    total = sum(r["checked"] for r in results)
    fails = sum(len(r["failures"]) for r in results)
    pts = sum(r["points"] for r in results)
    lines = ["# Interval containment of the oracle's exact values", "",
             f"Generated by `python validation/interval_containment.py` in {seconds:.0f} s. "
             f"{len(results)} rules, {pts} points (point intervals through the compiled "
             f"HyperDual with Interval components), {total} exact components checked "
             f"(value, every first and second partial): **{fails} containment failures**.", "",
             "Widths are in ulps of the exact value (point intervals). Skipped: components "
             "the oracle leaves undefined (outside the domain, kinks) or infinite (log 0, "
             "a pole: no real number to enclose); infinite inputs are not intervals and are "
             "left out.", "",
             "| rule | points | components checked | skipped | failures | value width median / max | f′ width median / max | f′ unbounded |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['rule']} | {r['points']} | {r['checked']} | {r['skipped_undefined']} | "
                     f"{len(r['failures'])} | {r['value_width_median']:.3g} / {r['value_width_max']:.3g} | "
                     f"{r['first_width_median']:.3g} / {r['first_width_max']:.3g} | {r['unbounded_first']} |")
    bad = [(r["rule"], f) for r in results for f in r["failures"]]
    if bad:
        lines += ["", "## Failures", ""] + [f"- {n}: {f}" for n, f in bad[:200]]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "intervals"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rules", default=None, help="comma-separated rule names")
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = set(args.rules.split(",")) if args.rules else None
    rules = [r for r in RULES if r.enclosure is not None and (names is None or r.name in names)]
    start, results = time.time(), []
    for k, rule in enumerate(rules, 1):
        res = check_rule(rule, out / "oracle", args.workers)
        results.append(res)
        print(f"[{k}/{len(rules)}] {rule.name}: {res['checked']} checked, "
              f"{len(res['failures'])} failures", file=sys.stderr, flush=True)
    seconds = time.time() - start
    (out / "containment.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    (out / "containment.md").write_text(markdown(results, seconds))
    return 1 if any(r["failures"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
