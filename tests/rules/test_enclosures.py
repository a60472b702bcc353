"""Interval enclosures of the rule table (``rule.enclosure``), generically and per rule.

Generic harness, data-driven from each rule's sample_ranges, domain, special_points and
kinks, for every rule in dualjit.rules.RULES whose ``enclosure`` is set (unary and
binary alike):

* Containment: random intervals of varied shapes -- points, 1-ulp wide, narrow, wide,
  straddling the special/kink points and the domain's ends, log-uniform magnitudes,
  half-lines and the real line -- and points inside each (finite endpoints, random
  interior points, the special/kink points and 0 when inside). The exact f, f', f''
  (every partial for binary rules) from ``rule.reference`` at mp.dps = 40, compared as
  mpf against the float bounds, must lie in primal(X), first(X, Y), second(X, Y, F1).
  Points where the reference is undefined, complex or infinite (outside the domain,
  at a kink, at a pole) or outside ``rule.domain`` are skipped.
* Tightness, point intervals: the width of each enclosure of [x, x] (x from the sample
  ranges) in "relative ulps" of the exact value v, unit = max(|v| 2**-52, 2**-1074)
  (the widening of a k-ulp libm result is 2 (k + 1) such units): primal <= 2*ulps + 4;
  derivatives <= DERIV_BOUND[rule] (default DEFAULT_DERIV_BOUND): derivative enclosures
  go through a few interval operations. Values beyond the double range are skipped;
  partials that cancel (CANCELLATION_SCALE) are measured against their terms' size.
* Tightness, moderate intervals: primal(X) lies within 2*ulps + 4 units of the exact
  range [min f, max f] per side; the range is taken at a grid, the endpoints, the
  special points, 0 and (unary rules) the roots of f' located by bisection.

Rule-specific tests follow for exp .. radians (engineer E1a): unbounded arguments,
domain restrictions, the pow branches, powi, the constants' brackets, the empty set.
"""
from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from dualjit.rules import RULES, RULES_BY_NAME
from dualjit.rules import enclosures as E
from dualjit.types import interval as I
from dualjit.types.interval import Interval

INF = math.inf
ETA = 2.0 ** -1074
TWO_M52 = 2.0 ** -52
MAXF = I.MAX
DPS = 40

ENCLOSED = [r for r in RULES if r.enclosure is not None]

N_INTERVALS = 150        # containment: intervals per rule
N_POINT_TIGHT = 60       # tightness: point intervals per rule
N_WIDE_TIGHT = 16        # tightness: moderate intervals per rule

# Stated derivative tightness bounds (first, second), relative ulps, point intervals.
DEFAULT_DERIV_BOUND = (32, 64)
DERIV_BOUND = {
    # E1a's rules. exp..expm1: one libm call (+ one product by a constant bracket);
    # logs: a division (two for the second); sqrt: 0.5/Y then /2x; cbrt: a square, a
    # product, a division; pow: pow over the box of (z - 1) times Z (second: two more
    # products and a log); hyperbolic: exp/sqrt/divisions at |x|'s bounds, then products;
    # hypot: a division by Y (second: a square and one more division).
    "exp": (8, 8), "exp2": (16, 20), "expm1": (8, 8),
    "log": (4, 6), "log2": (4, 6), "log10": (4, 6), "log1p": (4, 6),
    "sqrt": (4, 6), "cbrt": (16, 16), "pow": (20, 32),
    "sinh": (12, 12), "cosh": (12, 12), "tanh": (16, 32),
    "asinh": (8, 24), "acosh": (8, 20), "atanh": (4, 10),
    "hypot": (12, 32), "degrees": (1, 0), "radians": (1, 0),
    # E1b's trigonometric rules (their own test file states the same bounds).
    "sin": (8, 8), "cos": (8, 8), "tan": (24, 60), "asin": (16, 48), "acos": (16, 48),
    "atan": (16, 32), "atan2": (24, 48),
}

# Partials that are a difference of terms of similar size (a cancellation no interval
# evaluation of the formula avoids): their width is measured in relative ulps of the
# terms' magnitude instead of the value. (rule, order, component) -> scale(x, z) as mpf.
CANCELLATION_SCALE = {
    # x**(z-1) (1 + z log x): the sum cancels on the curve z log x = -1
    ("pow", 2, 1): lambda x, z: abs(x ** (z - 1)) * (1 + abs(z * mp.log(x))) if x > 0 else None,
    # (x**2 - z**2) / (x**2 + z**2)**2 cancels on |x| = |z|
    ("atan2", 2, 1): lambda x, z: 1 / (x ** 2 + z ** 2) if x or z else None,
}


# --- references --------------------------------------------------------------------------------

def _real(v):
    """v as a finite mpf, or None (complex, infinite, NaN, not a number)."""
    if isinstance(v, mp.mpc):
        if v.imag != 0:
            return None
        v = v.real
    if not isinstance(v, mp.mpf) or not mp.isfinite(v):
        return None
    return v


def _call(fn, args):
    try:
        with mp.workdps(DPS):
            return _real(fn(*args))
    except Exception:  # undefined there (the references raise ValueError, ...)
        return None


def reference(rule, args):
    """[f], [first partials], [second partials] as finite mpf or None each."""
    margs = [mp.mpf(a) for a in args]
    f, firsts, seconds = rule.reference
    if rule.arity == 1:
        firsts, seconds = (firsts,), (seconds,)
    return ([_call(f, margs)], [_call(g, margs) for g in firsts],
            [_call(g, margs) for g in seconds])


def evaluate(rule, boxes):
    """([Y], [first partials], [second partials]) enclosures over the argument box."""
    enc = rule.enclosure
    if rule.arity == 1:
        (x,) = boxes
        y = enc.primal(x)
        f1 = enc.first(x, y)
        return [y], [f1], [enc.second(x, y, f1)]
    x, z = boxes
    y = enc.primal(x, z)
    fx, fz = enc.first(x, z, y)
    return [y], [fx, fz], list(enc.second(x, z, y, fx, fz))


def float_out_of_range(rule, args):
    """The float primal raises, overflows, or underflows to 0 at nonzero arguments: the
    exact value is beyond the double range (or undefined), where mpmath can take 0.3 s a
    point (72**1e300); such points are left to the rule-specific tests."""
    try:
        with np.errstate(all="ignore"):  # NumPy primals warn where math raises
            v = float(rule.primal(*args))
    except (ValueError, OverflowError, ZeroDivisionError):
        return True
    if not math.isfinite(v):
        return True
    return v == 0.0 and all(a != 0.0 for a in args)


def in_domain(rule, args):
    d = rule.domain
    if not d.contains(args[0]):
        return False
    if rule.arity == 2 and not (d.lo2 <= args[1] <= d.hi2):
        return False
    return True


# --- what to sample ------------------------------------------------------------------------------

def _coords(rule, k):
    """Special coordinates of argument k: special points, kink points, domain ends, 0."""
    out = {0.0}
    for p in rule.special_points:
        p = p if isinstance(p, tuple) else (p,)
        if len(p) > k:
            out.add(float(p[k]))
    for kink in rule.kinks:
        for p in kink.points:
            if len(p) > k:
                out.add(float(p[k]))
    d = rule.domain
    for v in ((d.lo, d.hi) if k == 0 else (d.lo2, d.hi2)):
        if math.isfinite(v):
            out.add(v)
    return sorted(v for v in out if math.isfinite(v))


def _ranges(rule, k):
    rs = rule.sample_ranges or ((-10.0, 10.0),) * rule.arity
    if rule.arity == 1:
        return list(rs)
    return [rs[k]]


def _interval(lo, hi):
    return Interval(min(lo, hi), max(lo, hi))


def random_interval(rng, ranges, specials, i):
    lo, hi = ranges[rng.integers(len(ranges))]
    x = float(rng.uniform(lo, hi))
    if rng.random() < 0.3 and specials:
        x = float(specials[rng.integers(len(specials))])
    kind = i % 9
    if kind == 0:
        return Interval(x)
    if kind == 1:
        return Interval(x, math.nextafter(x, INF))
    if kind == 2:
        w = 10.0 ** rng.uniform(-15, -3) * max(abs(x), 1e-300)
        return _interval(x - w * rng.random(), x + w * rng.random())
    if kind == 3:
        return _interval(float(rng.uniform(lo, hi)), float(rng.uniform(lo, hi)))
    if kind in (4, 5) and specials:
        s = float(specials[rng.integers(len(specials))])
        w = 10.0 ** rng.uniform(-10, 0.5) * max(1.0, abs(s))
        if kind == 5:
            return Interval(s)
        return _interval(s - w * rng.random(), s + w * rng.random())
    if kind == 6:
        return [Interval(x, INF), Interval(-INF, x), Interval.entire()][i % 3]
    if kind == 7:  # log-uniform magnitude, clipped to the range
        m = float(np.clip(math.copysign(10.0 ** rng.uniform(-300, 300), rng.uniform(-1, 1)),
                          lo, hi))
        return Interval(m) if rng.random() < 0.5 else _interval(m, m * (1 + 1e-9))
    return Interval(x)


def points_in(rng, box, specials, n=3):
    pts = []
    for v in (box.lo, box.hi):
        if math.isfinite(v):
            pts.append(v)
    for _ in range(n):
        lo, hi = box.lo, box.hi
        if math.isinf(lo) and math.isinf(hi):
            pts.append(math.copysign(10.0 ** rng.uniform(-5, 300), rng.uniform(-1, 1)))
        elif math.isinf(hi):
            pts.append(lo + 10.0 ** rng.uniform(-5, 300))
        elif math.isinf(lo):
            pts.append(hi - 10.0 ** rng.uniform(-5, 300))
        else:
            pts.append(float(lo + (hi - lo) * rng.random()) if hi - lo < INF
                       else float(rng.uniform(lo / 2, hi / 2)))
    pts += [s for s in specials if box.lo <= s <= box.hi]
    return sorted({p for p in pts if box.lo <= p <= box.hi and math.isfinite(p)})


# --- containment ---------------------------------------------------------------------------------

def _inside(enc, v):
    return enc.lo <= v <= enc.hi  # mpf against floats: exact comparisons


@pytest.mark.parametrize("rule", ENCLOSED, ids=lambda r: r.name)
def test_containment(rule):
    rng = np.random.default_rng(sum(map(ord, rule.name)) * 7919)
    ar = rule.arity
    specials = [_coords(rule, k) for k in range(ar)]
    ranges = [_ranges(rule, k) for k in range(ar)]
    checked = 0
    for i in range(N_INTERVALS):
        boxes = [random_interval(rng, ranges[k], specials[k], i + 3 * k) for k in range(ar)]
        encs = evaluate(rule, boxes)
        pts = [points_in(rng, boxes[k], specials[k]) for k in range(ar)]
        if ar == 1:
            combos = [(t,) for t in pts[0]]
        else:
            combos = [(t, s) for t in pts[0] for s in pts[1]]
            if len(combos) > 12:
                combos = [combos[j] for j in rng.choice(len(combos), 12, replace=False)]
        for args in combos:
            if not in_domain(rule, args) or float_out_of_range(rule, args):
                continue
            refs = reference(rule, args)
            for order, (encl, vals) in enumerate(zip(encs, refs)):
                for j, (e, v) in enumerate(zip(encl, vals)):
                    if v is None:
                        continue
                    checked += 1
                    assert _inside(e, v), (
                        f"{rule.name}: order {order} component {j} at {args!r} = "
                        f"{mp.nstr(v, 20)} not in {e!r}; boxes {boxes!r}")
    assert checked > 100


# --- tightness -----------------------------------------------------------------------------------

def _units(e, v, scale=None):
    """Width of enclosure e in relative ulps of the exact value v (or of ``scale``)."""
    unit = max(abs(v if scale is None else scale) * mp.mpf(TWO_M52), mp.mpf(ETA))
    if e.lo > e.hi:
        return INF
    if math.isinf(e.lo) or math.isinf(e.hi):
        return INF
    return float((mp.mpf(e.hi) - mp.mpf(e.lo)) / unit)


def _representable(v):
    return v is not None and abs(v) <= MAXF


def point_widths(rule, n=N_POINT_TIGHT, seed=1):
    """{order: [widths]} over point intervals from the sample ranges (the exact value's
    magnitude within the double range)."""
    rng = np.random.default_rng(seed + sum(map(ord, rule.name)))
    out = {0: [], 1: [], 2: []}
    ranges = [_ranges(rule, k) for k in range(rule.arity)]
    for i in range(n):
        args = []
        for k in range(rule.arity):
            lo, hi = ranges[k][i % len(ranges[k])]
            args.append(float(rng.uniform(lo, hi)))
        if not in_domain(rule, args):
            continue
        encs = evaluate(rule, [Interval(a) for a in args])
        refs = reference(rule, args)
        for order in range(3):
            for j, (e, v) in enumerate(zip(encs[order], refs[order])):
                if _representable(v):
                    scale = CANCELLATION_SCALE.get((rule.name, order, j))
                    if scale is not None:
                        with mp.workdps(DPS):
                            scale = scale(*[mp.mpf(a) for a in args])
                    out[order].append(_units(e, v, scale))
    return out


@pytest.mark.parametrize("rule", ENCLOSED, ids=lambda r: r.name)
def test_point_tightness(rule):
    widths = point_widths(rule)
    assert len(widths[0]) > N_POINT_TIGHT // 4
    bound0 = 2 * rule.enclosure.ulps + 4
    b1, b2 = DERIV_BOUND.get(rule.name, DEFAULT_DERIV_BOUND)
    for order, bound in ((0, bound0), (1, b1), (2, b2)):
        worst = max(widths[order], default=0.0)
        assert worst <= bound, (f"{rule.name}: order-{order} enclosure of a point interval "
                                f"{worst:.3g} relative ulps wide, bound {bound}")


def _bisect_root(g, a, b, ga):
    """A root of g (sign change on [a, b]) to ~2**-100 relative."""
    with mp.workdps(DPS):
        for _ in range(110):
            m = (a + b) / 2
            gm = g(m)
            if gm == 0:
                return m
            if (gm > 0) == (ga > 0):
                a, ga = m, gm
            else:
                b = m
        return (a + b) / 2


def _line_scan(fun, dfun, ts):
    """Values of a 1-D function at the points ts plus at the roots of its derivative
    found between them (bisection on sign changes). partial = some point undefined, or
    a jump (f moved against the sign its derivative has at both neighbours: a pole or a
    discontinuity between them): the range may then be wider than the values."""
    vals, partial, prev = [], False, None
    for t in ts:
        v = _call(fun, [mp.mpf(t)])
        if v is None:
            # undefined, complex or infinite: an infinite value is a real bound of the range
            with mp.workdps(DPS):
                try:
                    w = fun(mp.mpf(t))
                except Exception:
                    w = None
            if isinstance(w, mp.mpf) and mp.isinf(w):
                vals.append(w)
            partial, prev = True, None
            continue
        vals.append(v)
        g = _call(dfun, [mp.mpf(t)])
        if prev is not None and g is not None and prev[2] is not None:
            t0, v0, g0 = prev
            if g != 0 and g0 != 0 and (g > 0) != (g0 > 0):
                r = _bisect_root(lambda m: _call(dfun, [m]) or mp.mpf(0), mp.mpf(t0),
                                 mp.mpf(t), g0)
                v2 = _call(fun, [r])
                if v2 is not None:
                    vals.append(v2)
            elif g != 0 and g0 != 0 and v != v0 and (v > v0) != (g > 0):
                partial = True  # moved against its derivative: a jump in between
        prev = (t, v, g)
    return vals, partial


def _grid(box, coords, n):
    g = list(np.linspace(box.lo, box.hi, n)) + [s for s in coords if box.lo <= s <= box.hi]
    if box.lo < 0 < box.hi:
        g += [ETA, -ETA]
    return sorted({float(v) for v in g})


def exact_range(rule, boxes, rng):
    """(min, max, partial) of f over the box (mpf), from grid lines with the roots of the
    partial along each line; None if no point is defined; partial as in _line_scan."""
    if any(math.isinf(b.lo) or math.isinf(b.hi) for b in boxes):
        return None
    f, firsts = rule.reference[0], rule.reference[1]
    vals, partial = [], False
    if rule.arity == 1:
        (x,) = boxes
        ts = [t for t in _grid(x, _coords(rule, 0), 48)]
        partial = any(not in_domain(rule, (t,)) for t in ts)
        vals, part = _line_scan(f, firsts, [t for t in ts if in_domain(rule, (t,))])
        partial = partial or part
    else:
        gx = _grid(boxes[0], _coords(rule, 0), 5)
        gz = _grid(boxes[1], _coords(rule, 1), 5)
        fx, fz = firsts
        for s in gz:  # lines along x
            ts = [t for t in _grid(boxes[0], [], 13) + gx if in_domain(rule, (t, s))]
            v, part = _line_scan(lambda t, s=s: f(t, mp.mpf(s)),
                                 lambda t, s=s: fx(t, mp.mpf(s)), sorted(set(ts)))
            vals += v
            partial = partial or part or len(ts) < len(set(_grid(boxes[0], [], 13) + gx))
        for t in gx:  # lines along z
            ss = [s for s in _grid(boxes[1], [], 13) + gz if in_domain(rule, (t, s))]
            v, part = _line_scan(lambda s, t=t: f(mp.mpf(t), s),
                                 lambda s, t=t: fz(mp.mpf(t), s), sorted(set(ss)))
            vals += v
            partial = partial or part
    vals = [v for v in vals if not mp.isnan(v)]
    if not vals:
        return None
    return min(vals), max(vals), partial


def _below(a, b, k):
    """a <= b + k units of b (a, b mpf or float; infinities allowed)."""
    if b == INF or b == mp.inf:
        return True
    if a == -INF or a == mp.ninf:
        return True
    unit = max(abs(mp.mpf(b)) * mp.mpf(TWO_M52), mp.mpf(ETA))
    return mp.mpf(a) <= mp.mpf(b) + k * unit


@pytest.mark.parametrize("rule", ENCLOSED, ids=lambda r: r.name)
def test_range_tightness(rule):
    rng = np.random.default_rng(2 + sum(map(ord, rule.name)))
    k = 2 * rule.enclosure.ulps + 4
    ranges = [_ranges(rule, j)[0] for j in range(rule.arity)]
    done = partials = 0
    n_boxes = N_WIDE_TIGHT if rule.arity == 1 else N_WIDE_TIGHT // 2
    for i in range(n_boxes):
        boxes = []
        for lo, hi in ranges:
            c = float(rng.uniform(lo, hi))
            w = (hi - lo) * 10.0 ** rng.uniform(-4, -0.3)
            boxes.append(Interval(max(lo, c - w * rng.random()), min(hi, c + w * rng.random())))
        r = exact_range(rule, boxes, rng)
        if r is None:
            continue
        y = evaluate(rule, boxes)[0][0]
        rmin, rmax, partial = r
        assert y.lo <= rmin and rmax <= y.hi, (rule.name, boxes, y, r)
        if partial:
            partials += 1
            continue  # an open domain end, an undefined point, a jump: only containment
        assert _below(-y.lo, -rmin, k) and _below(y.hi, rmax, k), (
            f"{rule.name}: {y!r} over {boxes!r} is more than {k} units wider than the "
            f"exact range [{mp.nstr(rmin, 17)}, {mp.nstr(rmax, 17)}]")
        done += 1
    assert done + partials >= n_boxes // 2


# =================================================================================================
# E1a's rules: exp, exp2, expm1, log, log2, log10, log1p, sqrt, cbrt, pow, sinh, cosh, tanh,
# asinh, acosh, atanh, hypot, degrees, radians.
# =================================================================================================

MINE = ("exp exp2 expm1 log log2 log10 log1p sqrt cbrt pow sinh cosh tanh asinh acosh atanh "
        "hypot degrees radians").split()


def enc(name):
    return RULES_BY_NAME[name].enclosure


def test_mine_all_have_enclosures():
    for name in MINE:
        e = enc(name)
        assert e is not None, name
        assert "ulp" in e.justification, name


@pytest.mark.parametrize("name,exact", [("LN2_I", lambda: mp.ln2),
                                        ("INV_LN2_I", lambda: 1 / mp.ln2),
                                        ("INV_LN10_I", lambda: 1 / mp.ln(10)),
                                        ("DEG_I", lambda: 180 / mp.pi),
                                        ("RAD_I", lambda: mp.pi / 180)])
def test_constant_brackets(name, exact):
    lo, hi = getattr(E, name)
    with mp.workdps(60):
        v = +exact()
        assert lo < v < hi
    assert math.nextafter(lo, INF) == hi  # one ulp wide


def test_overflow_thresholds():
    assert math.isfinite(math.exp(E.EXP_MAX)) and math.isfinite(math.sinh(E.SINH_MAX))
    assert math.isfinite(math.cosh(E.SINH_MAX))
    with mp.workdps(30):
        assert mp.exp(math.nextafter(E.EXP_MAX, INF)) > MAXF
        assert mp.sinh(math.nextafter(E.SINH_MAX, INF)) > MAXF


@pytest.mark.parametrize("name", MINE)
def test_empty_in_empty_out(name):
    r = RULES_BY_NAME[name]
    boxes = [Interval.empty()] * r.arity
    encs = evaluate(r, boxes)
    for group in encs:
        for e in group:
            assert e.is_empty, (name, e)


def test_exp_unbounded():
    y = enc("exp").primal(Interval(-INF, 0.0))
    assert y.lo == 0.0 and 1.0 <= y.hi < 1.0 + 1e-15
    assert enc("exp").primal(Interval(-INF, INF)) == Interval(0.0, INF)
    y = enc("exp").primal(Interval(709.0, 710.0))  # overflows: still finite lower bound
    assert math.isfinite(y.lo) and y.hi == INF
    y = enc("exp").primal(Interval(-1000.0, -800.0))  # underflows to 0
    assert y.lo == 0.0 and 0.0 < y.hi < 1e-320
    assert enc("expm1").primal(Interval(-INF, 0.0)) .lo == -1.0
    assert enc("exp2").primal(Interval(1024.0, INF)).hi == INF


def test_log_domain():
    e = enc("log")
    assert e.primal(Interval(-2.0, -1.0)).is_empty
    assert e.primal(Interval(0.0, 0.0)).is_empty
    y = e.primal(Interval(-1.0, 1.0))
    assert y.lo == -INF and 0.0 <= y.hi < 1e-300
    f1 = e.first(Interval(-1.0, 2.0), y)
    assert f1.lo == 0.5 and f1.hi == INF  # 1/x over (0, 2]
    assert e.first(Interval(0.0), e.primal(Interval(0.0))).is_empty
    for name in ("log2", "log10", "log1p"):
        ee = enc(name)
        edge = -1.0 if name == "log1p" else 0.0
        assert ee.primal(Interval(-5.0, edge)).is_empty
        assert ee.primal(Interval(edge, 1.0)).lo == -INF
        assert ee.primal(Interval(edge, INF)).hi == INF


def test_sqrt_domain_and_kink():
    e = enc("sqrt")
    assert e.primal(Interval(-4.0, -1.0)).is_empty
    y = e.primal(Interval(-4.0, 4.0))
    assert y.lo == 0.0 and 2.0 <= y.hi <= 2.0 + 1e-15
    assert e.primal(Interval(4.0)).contains(2.0)
    f1 = e.first(Interval(0.0, 4.0), y)
    assert f1.hi == INF and f1.lo <= 0.25
    y0 = e.primal(Interval(-1.0, 0.0))
    assert y0 == Interval(0.0, 0.0)
    assert e.first(Interval(-1.0, 0.0), y0).is_empty  # +inf is not a real derivative
    f2 = e.second(Interval(0.0, 4.0), y, f1)
    assert f2.lo == -INF and f2.hi < 0


def test_cbrt_verified_bounds():
    rng = np.random.default_rng(7)
    xs = [27.0, -8.0, 5e-324, -5e-324, 1.7e308, 3.0, 1e-310] + list(
        np.sign(rng.uniform(-1, 1, 300)) * 10.0 ** rng.uniform(-320, 308, 300))
    with mp.workdps(40):
        for x in xs:
            lo, hi = E.cbrt_bounds(float(x))
            t = mp.cbrt(abs(mp.mpf(float(x)))) * (1 if x >= 0 else -1)
            assert lo <= t <= hi, x
            assert (mp.mpf(hi) - mp.mpf(lo)) / abs(t) <= 4 * TWO_M52, x
    assert enc("cbrt").primal(Interval(-INF, INF)) == Interval.entire()
    assert enc("cbrt").primal(Interval(27.0)).contains(3.0)
    f1 = enc("cbrt").first(Interval(-1.0, 1.0), enc("cbrt").primal(Interval(-1.0, 1.0)))
    assert f1.hi == INF and f1.lo <= 1 / 3
    assert enc("cbrt").second(Interval(-1.0, 1.0), Interval(-1.0, 1.0), f1) == Interval.entire()


def test_powi_even_odd_negative():
    p = E.powi
    assert p(Interval(-2.0, 3.0), 2).lo == 0.0 and p(Interval(-2.0, 3.0), 2).contains(9.0)
    assert p(Interval(-2.0, 3.0), 2).hi < 9.0 + 1e-13
    y = p(Interval(-2.0, 3.0), 3)
    assert y.contains(-8.0) and y.contains(27.0) and y.lo > -8.0 - 1e-13
    y = p(Interval(-3.0, -2.0), 3)
    assert y.contains(-27.0) and y.contains(-8.0) and y.hi < 0
    assert p(Interval(-3.0, -2.0), 2).lo >= 4.0 - 1e-14
    assert p(Interval(-3.0, 5.0), 0) == Interval(1.0)
    assert p(Interval(0.0), 0) == Interval(1.0)
    assert p(Interval(-1.0, 2.0), -2) == Interval(p(Interval(2.0), -2).lo, INF)
    assert p(Interval(-1.0, 2.0), -1) == Interval.entire()
    assert p(Interval(0.0, 2.0), -1).hi == INF and p(Interval(0.0, 2.0), -1).lo <= 0.5
    assert p(Interval(-2.0, 0.0), -1).lo == -INF and p(Interval(-2.0, 0.0), -1).hi >= -0.5
    assert p(Interval(0.0), -3).is_empty
    y = p(Interval(-4.0, -2.0), -1)
    assert y.contains(-0.25) and y.contains(-0.5) and y.hi < 0
    assert p(Interval(10.0), 400).hi == INF and math.isfinite(p(Interval(10.0), 400).lo)
    assert p(Interval.empty(), 2).is_empty
    # containment against mpmath on random intervals and integer powers
    rng = np.random.default_rng(11)
    for _ in range(400):
        n = int(rng.integers(-9, 10))
        a, b = sorted(rng.uniform(-3, 3, 2) * 10.0 ** rng.uniform(-3, 2))
        y = p(Interval(a, b), n)
        for t in (a, b, (a + b) / 2, a + (b - a) * rng.random()):
            if t == 0 and n < 0:
                continue
            assert y.contains(mp.mpf(t) ** n), (a, b, n, t, y)


def test_pow_branches():
    pw = enc("pow")
    # IEEE 1788 part: x >= 0
    y = pw.primal(Interval(2.0, 4.0), Interval(0.5, 2.0))
    assert y.contains(math.sqrt(2.0)) and y.contains(16.0)
    assert pw.primal(Interval(0.0, 1.0), Interval(-1.0, 1.0)).hi == INF
    assert pw.primal(Interval(0.0), Interval(1.0, 2.0)) == Interval(0.0)
    assert pw.primal(Interval(0.0), Interval(-2.0, -1.0)).is_empty   # 0**z, z < 0: pole
    assert pw.primal(Interval(0.0), Interval(-1.0, 1.0)) == Interval(0.0, 1.0)  # 0**0 = 1
    assert pw.primal(Interval(-3.0, -1.0), Interval(0.25, 0.75)).is_empty     # no integer z
    # point integer Z: powi, negative bases with exact sign
    y = pw.primal(Interval(-3.0, -2.0), Interval(3.0))
    assert y.hi < 0 and y.contains(-27.0) and y.contains(-8.0)
    y = pw.primal(Interval(-3.0, -2.0), Interval(2.0))
    assert y.lo >= 4.0 - 1e-14 and y.contains(9.0)
    assert pw.primal(Interval(-2.0, 2.0), Interval(0.0)) == Interval(1.0)
    # Z holding one integer with negative X: that integer's power
    y = pw.primal(Interval(-3.0, -2.0), Interval(1.5, 2.5))
    assert y.contains(4.0) and y.contains(9.0) and y.lo > 0
    # Z holding several integers: both signs
    y = pw.primal(Interval(-2.0, -1.0), Interval(1.5, 3.5))
    assert y.contains(-8.0) and y.contains(4.0)
    # unbounded
    assert pw.primal(Interval(2.0, INF), Interval(1.0, 2.0)).hi == INF
    assert pw.primal(Interval(0.5), Interval(-INF, INF)) == Interval(0.0, INF)
    assert pw.primal(Interval(1.0), Interval(-INF, INF)) == Interval(1.0)
    # huge point exponents: no exception, sound bounds
    y = pw.primal(Interval(1.0 + 2.0 ** -52), Interval(2.0 ** 60))
    with mp.workdps(50):
        assert y.contains(mp.mpf(1.0 + 2.0 ** -52) ** mp.mpf(2.0 ** 60))
    y = pw.primal(Interval(10.0), Interval(308.2))
    with mp.workdps(30):
        assert y.contains(mp.mpf(10) ** mp.mpf(308.2))
    assert pw.primal(Interval(10.0), Interval(308.3, 400.5)).hi == INF


def test_pow_derivative_conventions():
    pw = enc("pow")
    X, Z = Interval(-2.0), Interval(3.0)
    y = pw.primal(X, Z)
    fx, fz = pw.first(X, Z, y)
    assert fx.contains(12.0) and fx.hi - fx.lo < 1e-13
    assert fz == Interval.entire()           # log of a negative base: real line
    assert I.mul(fz, Interval(0.0)) == Interval(0.0)  # a constant exponent cancels it
    X, Z = Interval(0.0), Interval(2.0)
    y = pw.primal(X, Z)
    fx, fz = pw.first(X, Z, y)
    assert fx == Interval(0.0) and fz == Interval(0.0)
    fxx, fxz, fzz = pw.second(X, Z, y, fx, fz)
    assert fxx.contains(2.0) and fxz == Interval(0.0) and fzz == Interval(0.0)
    X, Z = Interval(0.0), Interval(1.0)
    fx, fz = pw.first(X, Z, pw.primal(X, Z))
    assert fx == Interval(1.0)
    X, Z = Interval(0.0), Interval(0.0)
    y = pw.primal(X, Z)
    assert y == Interval(1.0)
    fx, fz = pw.first(X, Z, y)
    assert fx == Interval(0.0) and fz == Interval.entire()
    fxx, _, _ = pw.second(X, Z, y, fx, fz)
    assert fxx == Interval(0.0)
    X, Z = Interval(0.0, 1.0), Interval(0.5)  # sqrt-like: d/dx unbounded at 0
    fx, fz = pw.first(X, Z, pw.primal(X, Z))
    assert fx.hi == INF and fx.lo <= 0.5 and fz.contains(0.0)
    X, Z = Interval(0.0), Interval(0.5)
    fx, _ = pw.first(X, Z, pw.primal(X, Z))
    assert fx.is_empty                       # +inf is not a real derivative


def test_cosh_tanh_clamps():
    c = enc("cosh").primal(Interval(-1e-10, 1e-10))
    assert c.lo == 1.0
    assert enc("cosh").primal(Interval(-INF, 0.0)) == Interval(1.0, INF)
    t = enc("tanh").primal(Interval(-INF, INF))
    assert t == Interval(-1.0, 1.0)
    f1 = enc("tanh").first(Interval(-INF, INF), t)
    assert f1.lo == 0.0 and f1.hi == 1.0
    assert enc("sinh").primal(Interval(711.0, INF)).hi == INF
    x = Interval(400.0)  # sech**2 = 4e-348: subnormal, but bounded by a few 2**-1074
    f1 = enc("tanh").first(x, enc("tanh").primal(x))
    assert f1.lo >= 0.0 and f1.hi <= 16 * ETA


def test_inverse_hyperbolic_domains():
    assert enc("acosh").primal(Interval(-1.0, 0.5)).is_empty
    y = enc("acosh").primal(Interval(0.0, 2.0))
    assert y.lo == 0.0
    f1 = enc("acosh").first(Interval(0.0, 2.0), y)
    assert f1.hi == INF and f1.lo <= 1 / math.sqrt(3)
    assert enc("acosh").first(Interval(1.0), enc("acosh").primal(Interval(1.0))).is_empty
    e = enc("atanh")
    assert e.primal(Interval(1.0, 2.0)).is_empty and e.primal(Interval(-3.0, -1.0)).is_empty
    assert e.primal(Interval(-2.0, 2.0)) == Interval.entire()
    y = e.primal(Interval(0.0, 1.0))
    assert y.lo <= 0.0 and y.hi == INF
    assert e.first(Interval(0.0, 1.0), y) == Interval(1.0, INF)
    y = enc("asinh").primal(Interval(1e300))
    f1 = enc("asinh").first(Interval(1e300), y)
    assert f1.contains(1e-300) and f1.hi - f1.lo < 1e-314


def test_hypot_origin_and_huge():
    h = enc("hypot")
    X, Z = Interval(-1.0, 2.0), Interval(-3.0, 1.0)
    y = h.primal(X, Z)
    assert y.lo == 0.0 and y.contains(math.hypot(2.0, 3.0))
    fx, fz = h.first(X, Z, y)
    assert fx == Interval(-1.0, 1.0) and fz == Interval(-1.0, 1.0)
    assert all(e == Interval.entire() for e in h.second(X, Z, y, fx, fz))
    y = h.primal(Interval(1.7e308), Interval(1.7e308))
    assert y.hi == INF and y.lo >= 1.7e308
    y = h.primal(Interval(3.0), Interval(-4.0))
    assert y.contains(5.0) and y.lo >= 4.0
    fx, fz = h.first(Interval(3.0), Interval(-4.0), y)
    assert fx.contains(0.6) and fz.contains(-0.8)


def test_degrees_radians_exact_constants():
    y = enc("degrees").primal(Interval(math.pi))
    assert y.contains(mp.mpf(math.pi) * 180 / mp.pi)
    assert enc("radians").first(Interval(1.0), enc("radians").primal(Interval(1.0))) == \
        Interval(*E.RAD_I)
    assert enc("degrees").primal(Interval(-INF, 1.0)).lo == -INF


def test_all_kernels_registered():
    """Every function the enclosures call is registered for compilation."""
    for name in MINE:
        e = enc(name)
        for fn in (e.primal, e.first, e.second):
            assert fn in E.INTERVAL_KERNELS, (name, fn)
    for fn in (E.powi, E.powi_f, E.pow_enc, E._pow_shift, E._pow_corners, E.iabs, E.const,
               E.cbrt_enc, E.sqrt_enc, E.times_pow2, E.exp_enc, E.log_enc, E.cosh_enc):
        assert fn in E.INTERVAL_KERNELS, fn


def test_pow_negative_bases_and_integer_exponents():
    """Containment where the generic sampling rarely goes: x < 0 with integer z (point
    and non-point Z), x = 0, exponents near integers; all partials the reference defines."""
    rule = RULES_BY_NAME["pow"]
    rng = np.random.default_rng(23)
    checked = 0
    for i in range(150):
        a, b = sorted(rng.uniform(-4, 2, 2))
        x = Interval(a, b) if i % 4 else Interval(a)
        n = float(rng.integers(-6, 7))
        z = [Interval(n), Interval(n - 0.5, n + 0.5), Interval(n - 1.5, n + 0.25),
             Interval(n + 0.1, n + 0.9)][i % 4]
        encs = evaluate(rule, [x, z])
        ts = {x.lo, x.hi, 0.5 * (x.lo + x.hi)} | ({0.0} if x.lo <= 0 <= x.hi else set())
        zs = {z.lo, z.hi} | {float(k) for k in range(math.ceil(z.lo), math.floor(z.hi) + 1)}
        for t in ts:
            for s in zs:
                refs = reference(rule, (t, s))
                for order in range(3):
                    for e, v in zip(encs[order], refs[order]):
                        if v is not None:
                            checked += 1
                            assert _inside(e, v), (x, z, t, s, order, e, v)
    assert checked > 500
