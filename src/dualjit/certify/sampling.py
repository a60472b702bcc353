"""Deterministic sample points for certifying one rule.

Every rule gets, seeded by its name and the profile (so reruns and other machines draw
exactly the same points):

* ``uniform``: uniform draws over each of the row's ``sample_ranges`` (binary rules:
  pairs, x from the first range and z from the second);
* ``bits``: draws uniform over the float64 *encodings* inside the domain (every binade
  is equally likely, so tiny, huge and subnormal arguments are all reached); binary
  rules draw pairs;
* ``special``: the row's ``special_points`` (known hard cases, zeros of f' and f'');
* ``kink``: the points of the row's ``kinks`` (scored against the documented convention,
  not in ulps);
* ``generic``: ±0, ±the smallest subnormal, ±1, and each domain edge and a few ulps
  either side of it (the largest finite double stands in for an infinite edge: ±inf
  is sampled only where the row lists it, since the oracle's answer there depends on
  how the reference is written);
  binary rules get the cross product of both arguments' generic values.

Points outside the domain (:func:`in_domain`) are dropped, duplicates (same bit
patterns) are removed keeping the first origin. Random sampling finds lower bounds on
the maximum error, never the maximum itself.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Profile", "PROFILES", "SampleSet", "sample_rule", "in_domain",
           "uniform_bits", "ORIGINS"]

ORIGINS = ("uniform", "bits", "special", "kink", "generic")
MAX_FLOAT = float.fromhex("0x1.fffffffffffffp+1023")
MIN_SUBNORMAL = 5e-324


@dataclass(frozen=True)
class Profile:
    """How many points: ``uniform`` per rule spread over the row's ranges, ``bits``
    over encodings; ``chunk``: points per oracle work unit (and per saved file);
    ``all_targets``: certify every target of a row (else only its first: math.sin
    stands for np.sin -- they share the formulas, and compiling a kernel per target
    costs seconds)."""

    name: str
    uniform: int
    bits: int
    chunk: int
    all_targets: bool


PROFILES = {
    "quick": Profile("quick", uniform=200, bits=200, chunk=128, all_targets=False),
    # The committed report in validation/certification-medium (about 25 min on 2 cores).
    "medium": Profile("medium", uniform=5_000, bits=5_000, chunk=1024, all_targets=True),
    "thorough": Profile("thorough", uniform=500_000, bits=500_000, chunk=4096,
                        all_targets=True),
}


@dataclass
class SampleSet:
    """``points``: (n, arity) float64; ``origins``: (n,) str, one of :data:`ORIGINS`."""

    rule: str
    profile: str
    points: np.ndarray
    origins: np.ndarray

    def __len__(self):
        return self.points.shape[0]


def _seed(rule_name: str, profile: str) -> int:
    digest = hashlib.sha256(f"dualjit-certify:{rule_name}:{profile}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def in_domain(rule, point) -> bool:
    """Whether ``point`` (a tuple of floats) lies in the row's domain. NaN never does;
    for binary rules the second argument must lie in [lo2, hi2]."""
    d = rule.domain
    x = float(point[0])
    if x != x or not d.contains(x):
        return False
    if rule.arity == 2:
        z = float(point[1])
        if z != z or not (d.lo2 <= z <= d.hi2):
            return False
    return True


def _key(x: float) -> int:
    """Monotone map from doubles to integers (both zeros map to 0)."""
    i = int(np.array(x, dtype=np.float64).view(np.int64))
    return i if i >= 0 else -(i & 0x7FFF_FFFF_FFFF_FFFF)


def _unkey(k: np.ndarray) -> np.ndarray:
    k = np.asarray(k, dtype=np.int64)
    bits = np.where(k >= 0, k, (-k) | np.int64(-0x8000_0000_0000_0000))
    return bits.view(np.float64)


def uniform_bits(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` doubles uniform over the encodings in [lo, hi] (infinite bounds clamp to
    the largest finite double; both zeros count once)."""
    lo = max(float(lo), -MAX_FLOAT)
    hi = min(float(hi), MAX_FLOAT)
    if n <= 0 or lo > hi:
        return np.empty(0)
    a, b = _key(lo), _key(hi)
    ks = rng.integers(a, b, size=n, endpoint=True, dtype=np.int64)
    out = _unkey(ks)
    # The sign of zero is drawn at random too: -0.0 and +0.0 are both worth a look.
    zero = out == 0.0
    if zero.any():
        out[zero] = np.where(rng.random(int(zero.sum())) < 0.5, 0.0, -0.0)
    return out


def _edges(lo: float, hi: float) -> list:
    vals = [0.0, -0.0, MIN_SUBNORMAL, -MIN_SUBNORMAL, 1.0, -1.0]
    for e in (lo, hi):
        if math.isinf(e):
            # Infinite arguments are certified only where the row lists them: what
            # the oracle answers there depends on how the reference is written.
            e = math.copysign(MAX_FLOAT, e)
            vals.append(e)
        else:
            vals.append(e)
        up = down = e
        for _ in range(3):
            up, down = math.nextafter(up, math.inf), math.nextafter(down, -math.inf)
            vals += [v for v in (up, down) if math.isfinite(v)]
    return vals


def sample_rule(rule, profile="quick") -> SampleSet:
    """The deterministic :class:`SampleSet` of ``rule`` for ``profile`` (a name in
    :data:`PROFILES` or a :class:`Profile`)."""
    prof = PROFILES[profile] if isinstance(profile, str) else profile
    if not isinstance(prof, Profile):
        raise TypeError(f"profile must be one of {sorted(PROFILES)} or a Profile, got {profile!r}")
    rng = np.random.default_rng(_seed(rule.name, prof.name))
    ar = rule.arity
    d = rule.domain
    pts, origins = [], []

    def add(block, origin):
        block = np.asarray(block, dtype=np.float64).reshape(-1, ar)
        pts.append(block)
        origins.extend([origin] * block.shape[0])

    ranges = tuple(rule.sample_ranges) or ((-10.0, 10.0),) * ar
    if ar == 1:
        per = max(1, prof.uniform // len(ranges))
        for lo, hi in ranges:
            add(rng.uniform(lo, hi, per), "uniform")
        add(uniform_bits(rng, d.lo, d.hi, prof.bits), "bits")
    else:
        (xlo, xhi), (zlo, zhi) = ranges[0], ranges[1]
        add(np.column_stack([rng.uniform(xlo, xhi, prof.uniform),
                             rng.uniform(zlo, zhi, prof.uniform)]), "uniform")
        add(np.column_stack([uniform_bits(rng, d.lo, d.hi, prof.bits),
                             uniform_bits(rng, d.lo2, d.hi2, prof.bits)]), "bits")
    for p in rule.special_points:
        add(tuple(p) if isinstance(p, (tuple, list)) else (p,), "special")
    for k in rule.kinks:
        for p in k.points:
            add(tuple(p), "kink")
    if ar == 1:
        add(_edges(d.lo, d.hi), "generic")
    else:
        gx, gz = _edges(d.lo, d.hi), _edges(d.lo2, d.hi2)
        add([(x, z) for x in gx for z in gz], "generic")

    allpts = np.concatenate(pts, axis=0)
    seen, keep = {}, []
    bits = allpts.view(np.int64)
    for i in range(allpts.shape[0]):
        key = tuple(bits[i])
        if key in seen or not in_domain(rule, allpts[i]):
            # A kink point repeated by an earlier origin still counts as a kink.
            if key in seen and origins[i] == "kink":
                origins[seen[key]] = "kink"
            continue
        seen[key] = i
        keep.append(i)
    keep = np.array(keep, dtype=np.int64)
    return SampleSet(rule.name, prof.name, np.ascontiguousarray(allpts[keep]),
                     np.array(origins, dtype=object)[keep])
