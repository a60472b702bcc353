"""Shared helpers for dualjit's benchmark scripts: interleaved timing, tables, machine info.

Timing discipline (every benchmark script uses it):

* every variant is compiled and run once before any measurement (warm-up);
* each variant gets an inner repetition count so that one *sample* lasts at least
  ``min_sample`` seconds (timer resolution and call jitter become negligible);
* samples are taken *interleaved*: A, B, C, A, B, C, ... so that slow drifts of the
  machine (frequency, other processes) hit all variants alike;
* a variant's time is the median of its samples; a ratio is the ratio of two medians,
  and its spread is the inter-quartile range of the per-round ratios (paired samples).
"""
from __future__ import annotations

import math
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

__all__ = ["Variant", "Timing", "calibrate", "interleaved", "ratio", "machine_info",
           "print_table", "verdict", "fmt_time", "asm_vector_stats", "asm_call_sites", "quartiles"]


@dataclass
class Variant:
    """One thing to time. ``run(inner)`` performs ``inner`` repetitions of the work and
    ``units_per_rep`` is how many units (points, gradients, ...) one repetition processes."""

    name: str
    run: Callable[[int], object]
    units_per_rep: float = 1.0
    inner: int = 0  # repetitions per sample; 0 = calibrate


@dataclass
class Timing:
    name: str
    inner: int
    units_per_rep: float
    samples: list = field(default_factory=list)  # seconds per sample (inner reps)

    @property
    def per_unit(self) -> list:
        return [s / (self.inner * self.units_per_rep) for s in self.samples]

    @property
    def median(self) -> float:
        """Median seconds per unit (per point, per gradient, ...)."""
        return statistics.median(self.per_unit)

    def to_json(self) -> dict:
        q1, q2, q3 = quartiles(self.per_unit)
        return {"name": self.name, "inner": self.inner, "units_per_rep": self.units_per_rep,
                "median_s_per_unit": q2, "q1_s_per_unit": q1, "q3_s_per_unit": q3,
                "samples_s_per_unit": self.per_unit}


def quartiles(xs: Sequence[float]):
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[1], q[2]


def calibrate(run: Callable[[int], object], min_sample: float, max_inner: int = 1 << 24) -> int:
    """The smallest power-of-two-ish repetition count whose sample lasts >= min_sample."""
    inner = 1
    while True:
        t0 = time.perf_counter()
        run(inner)
        dt = time.perf_counter() - t0
        if dt >= min_sample or inner >= max_inner:
            return inner
        # aim a little above the target; at least double
        grow = max(2, int(math.ceil(1.2 * min_sample / max(dt, 1e-9))))
        inner = min(max_inner, inner * grow)


def interleaved(variants: Sequence[Variant], rounds: int, min_sample: float = 0.01,
                warmup: bool = True) -> dict:
    """Time the variants A, B, C, A, B, C, ... for ``rounds`` rounds. Returns {name: Timing}."""
    for v in variants:
        if warmup:
            v.run(1)  # compiles, touches memory
        if v.inner <= 0:
            v.inner = calibrate(v.run, min_sample)
    out = {v.name: Timing(v.name, v.inner, v.units_per_rep) for v in variants}
    for _ in range(rounds):
        for v in variants:
            t0 = time.perf_counter()
            v.run(v.inner)
            out[v.name].samples.append(time.perf_counter() - t0)
    return out


def ratio(timings: dict, num: str, den: str):
    """(median(num)/median(den), q1, q3 of the per-round ratios)."""
    a, b = timings[num], timings[den]
    r = a.median / b.median
    per_round = [x / y for x, y in zip(a.per_unit, b.per_unit)]
    q1, _, q3 = quartiles(per_round)
    return r, q1, q3


def verdict(value: float, target: float, le: bool = True) -> str:
    ok = value <= target if le else value >= target
    return "PASS" if ok else "MISS"


def fmt_time(seconds: float) -> str:
    """A duration with a readable unit."""
    if seconds < 1e-6:
        return f"{seconds * 1e9:.1f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence], note: str = ""):
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    print()
    print(title)
    print("=" * len(title))
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print(line)
    for r in cells:
        print("  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(r, widths)))
    if note:
        for para in note.strip().split("\n"):
            print(para)
    sys.stdout.flush()


def _numeric(s: str) -> bool:
    return bool(re.match(r"^[-+]?[\d.]+(e[-+]?\d+)?( ?(ns|µs|ms|s|×|%))?$", s.strip()))


def machine_info() -> dict:
    import numba
    import numpy as np
    cpu = "unknown"
    flags = ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name") and cpu == "unknown":
                    cpu = line.split(":", 1)[1].strip()
                if line.startswith("flags") and not flags:
                    flags = line.split(":", 1)[1]
    except OSError:
        cpu = platform.processor() or "unknown"
    simd = [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f") if f" {f} " in f" {flags} "]
    try:
        import llvmlite
        llvm = llvmlite.__version__
    except Exception:  # pragma: no cover
        llvm = "?"
    try:
        import dualjit
        dj = dualjit.__version__
    except Exception:  # pragma: no cover
        dj = "?"
    from numba.core import config
    return {
        "cpu": cpu, "simd": simd, "logical_cpus": os.cpu_count(),
        "llvm_host_cpu": _host_cpu(),
        "python": platform.python_version(), "numba": numba.__version__, "llvmlite": llvm,
        "numpy": np.__version__, "dualjit": dj, "platform": platform.platform(),
        "numba_slp_vectorize": int(config.SLP_VECTORIZE),
        "numba_loop_vectorize": int(config.LOOP_VECTORIZE),
        "numba_opt": str(config.OPT), "numba_svml": bool(config.USING_SVML),
    }


def _host_cpu() -> str:
    try:
        import llvmlite.binding as ll
        return ll.get_host_cpu_name()
    except Exception:  # pragma: no cover
        return "?"


_PACKED = re.compile(r"^\s*v?(add|sub|mul|div|fmadd\d*|fmsub\d*|fnmadd\d*|fnmsub\d*|sqrt|max|min)pd\s+(.*)$")
_SCALAR = re.compile(r"^\s*v?(add|sub|mul|div|fmadd\d*|fmsub\d*|fnmadd\d*|fnmsub\d*|sqrt|max|min)sd\s")
_CALL = re.compile(r"^\s*(call|jmp)q?\s+(\S+)")


def asm_vector_stats(asm: str) -> dict:
    """Counts of packed (vector) vs scalar double-precision arithmetic in x86 assembly,
    and the called symbols. Packed ops on ymm are 4-wide, on xmm 2-wide."""
    ymm = xmm = scalar = 0
    calls: dict = {}
    for line in asm.splitlines():
        m = _PACKED.match(line)
        if m:
            if "ymm" in m.group(2):
                ymm += 1
            elif "zmm" in m.group(2):
                ymm += 1
            else:
                xmm += 1
            continue
        if _SCALAR.match(line):
            scalar += 1
            continue
        m = _CALL.match(line)
        if m and (m.group(1) == "call" or not m.group(2).startswith(".")):
            name = m.group(2)
            calls[name] = calls.get(name, 0) + 1
    return {"packed_ymm": ymm, "packed_xmm": xmm, "scalar_sd": scalar, "calls": calls}


_MOVABS = re.compile(r"^\s*movabsq\s+\$([A-Za-z_][\w.@]*),\s*(%\w+)")
_CALLQ = re.compile(r"^\s*callq?\s+(\*?)(%?[\w.@$]+)")


def asm_call_sites(asm: str) -> dict:
    """{symbol: number of call instructions} in x86 assembly printed by Numba, which calls
    external functions as ``movabsq $sym, %reg`` ... ``callq *%reg``. Call *sites*, not
    calls per iteration: a loop-vectorized loop has a vector body (one call per lane) and
    a scalar remainder."""
    reg: dict = {}
    out: dict = {}
    for line in asm.splitlines():
        m = _MOVABS.match(line)
        if m:
            reg[m.group(2)] = m.group(1)
            continue
        m = _CALLQ.match(line)
        if m:
            sym = reg.get(m.group(2), "?indirect") if m.group(1) == "*" else m.group(2)
            out[sym] = out.get(sym, 0) + 1
    return out
