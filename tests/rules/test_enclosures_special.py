"""Enclosures of the arithmetic, special, numerics and piecewise rows: containment of the
exact (mpmath) values and derivatives, tightness on point and moderate intervals, and the
constants and error bounds the enclosures rest on."""
from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from dualjit.rules import RULES_BY_NAME
from dualjit.rules import enclosures_special as ES
from dualjit.rules import special as SP
from dualjit.types import interval as I
from dualjit.types.interval import Interval

UNARY = ["neg", "erf", "erfc", "gamma", "lgamma", "sigmoid", "logit", "softplus", "log1mexp",
         "abs", "floor", "ceil", "trunc"]
BINARY = ["add", "sub", "mul", "div", "logaddexp", "xlogy", "xlog1py", "copysign", "fmod",
          "max", "min", "maximum", "minimum"]
DPS = 40
INF = math.inf

# special points worth straddling, per rule
STRADDLE = {
    "gamma": [0.0, -1.0, -2.0, -3.0, -9.0, SP._ROOT_A[0], SP._ROOT_A[1], SP._ROOT_A[3],
              -9.5, 1.0, 2.0],
    "lgamma": [0.0, -1.0, -2.0, -9.0, SP._ROOT_A[0], SP._ROOT_A[2], 1.0, 2.0, -9.5],
    "erf": [0.0], "erfc": [0.0], "sigmoid": [0.0], "softplus": [0.0], "logit": [0.5, 0.0, 1.0],
    "log1mexp": [-math.log(2.0), 0.0], "abs": [0.0], "floor": [0.0, 1.0, -2.0],
    "ceil": [0.0, 3.0, -1.0], "trunc": [0.0, 2.0, -2.0], "neg": [0.0],
}


def _ulp(v):
    """The relative ulp 2**-52 |v| (floored at the smallest subnormal): the unit in which
    lower/upper widen (a libm result with k ulps is widened by (k + 1) of them)."""
    v = abs(float(v))
    if v == INF:
        v = I.MAX
    return max(2.0 ** -52 * v, 2.0 ** -1074)


def _ref(fn, *args):
    """The mpmath value, or None where undefined (a pole, a domain edge, a kink ref)."""
    try:
        with mp.workdps(DPS):
            v = fn(*[mp.mpf(a) for a in args])
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    if not isinstance(v, mp.mpf) or not mp.isfinite(v):
        return None
    return v


def _inside(box, v):
    return box.lo <= v <= box.hi


def _random_interval(rng, lo, hi, straddle):
    kind = rng.integers(0, 8)
    x = float(rng.uniform(lo, hi))
    if kind == 0:
        return Interval(x)
    if kind == 1:
        return Interval(x, math.nextafter(x, INF))
    if kind == 2:
        w = abs(x) * 10.0 ** rng.uniform(-12, -3) + 1e-300
        return Interval(x, x + w)
    if kind == 3:
        y = float(rng.uniform(lo, hi))
        return Interval(min(x, y), max(x, y))
    if kind == 4 and straddle:
        c = straddle[rng.integers(0, len(straddle))]
        w = 10.0 ** rng.uniform(-12, 0)
        return Interval(c - w * rng.uniform(0, 1), c + w * rng.uniform(0, 1))
    if kind == 5 and straddle:
        c = straddle[rng.integers(0, len(straddle))]
        return Interval(c)
    if kind == 6:
        return Interval(x, INF) if rng.uniform() < 0.5 else Interval(-INF, x)
    return Interval(x - abs(x) * 1e-6, x + abs(x) * 1e-6)


def _points(rng, box, straddle, n=2):
    pts = []
    for v in (box.lo, box.hi):
        if math.isfinite(v):
            pts.append(v)
    a, b = max(box.lo, -1e300), min(box.hi, 1e300)
    for _ in range(n):
        pts.append(float(rng.uniform(a, b)) if a < b else a)
    pts += [c for c in straddle if box.lo <= c <= box.hi]
    return pts


def _ranges(rule):
    rs = rule.sample_ranges or ((-100.0, 100.0),)
    if rule.arity == 2 and not isinstance(rs[0][0], tuple):
        return [rs]
    return list(rs)


def _check_unary(rule, box, t):
    enc = rule.enclosure
    f, f1, f2 = rule.reference
    if not rule.domain.contains(t):
        return
    y = enc.primal(box)
    d1 = enc.first(box, y)
    d2 = enc.second(box, y, d1)
    for name, fn, out in (("f", f, y), ("f'", f1, d1), ("f''", f2, d2)):
        v = _ref(fn, t)
        if v is None:
            continue
        assert _inside(out, v), f"{rule.name} {name} at {t!r} in {box}: {out} misses {v}"


def _check_binary(rule, bx, bz, x, z):
    enc = rule.enclosure
    f, (fx, fz), (fxx, fxz, fzz) = rule.reference
    d = rule.domain
    if not (d.lo <= x <= d.hi and d.lo2 <= z <= d.hi2):
        return
    y = enc.primal(bx, bz)
    gx, gz = enc.first(bx, bz, y)
    hxx, hxz, hzz = enc.second(bx, bz, y, gx, gz)
    for name, fn, out in (("f", f, y), ("fx", fx, gx), ("fz", fz, gz), ("fxx", fxx, hxx),
                          ("fxz", fxz, hxz), ("fzz", fzz, hzz)):
        v = _ref(fn, x, z)
        if v is None:
            continue
        assert _inside(out, v), (f"{rule.name} {name} at ({x!r}, {z!r}) in {bx} x {bz}: "
                                 f"{out} misses {v}")


N_INTERVALS = {"gamma": 40, "lgamma": 45, "erfc": 50, "erf": 80}


@pytest.mark.parametrize("name", UNARY)
def test_unary_containment(name):
    rule = RULES_BY_NAME[name]
    rng = np.random.default_rng(1234 + len(name))
    straddle = STRADDLE.get(name, [])
    ranges = _ranges(rule)
    for i in range(N_INTERVALS.get(name, 120)):
        lo, hi = ranges[i % len(ranges)]
        box = _random_interval(rng, lo, hi, straddle)
        for t in _points(rng, box, straddle):
            _check_unary(rule, box, t)
    for t in rule.special_points:
        t = t[0] if isinstance(t, tuple) else t
        if math.isfinite(t):
            _check_unary(rule, Interval(t), t)


@pytest.mark.parametrize("name", BINARY)
def test_binary_containment(name):
    rule = RULES_BY_NAME[name]
    rng = np.random.default_rng(99 + len(name))
    (xl, xh), (zl, zh) = rule.sample_ranges or ((-100.0, 100.0), (-100.0, 100.0))
    straddle = [0.0, 1.0, -1.0, 2.0, 3.0]
    for _ in range(60):
        bx = _random_interval(rng, xl, xh, straddle)
        bz = _random_interval(rng, zl, zh, straddle)
        if rng.uniform() < 0.1:  # ties and overlaps for max/min
            bz = bx
        px = _points(rng, bx, [], 1)
        pz = _points(rng, bz, [], 1)
        for x in px:
            for z in pz[:2]:
                _check_binary(rule, bx, bz, x, z)
    for p in rule.special_points + tuple(k for kk in rule.kinks for k in kk.points):
        x, z = p
        if math.isfinite(x) and math.isfinite(z):
            _check_binary(rule, Interval(x), Interval(z), x, z)


# --- tightness --------------------------------------------------------------------------

# derivative widths for point intervals, in ulps of the exact value (stated bounds)
FIRST_ULPS = 24.0
SECOND_ULPS = 64.0


def _width_ulps(box, v):
    if box.lo == box.hi:
        return 0.0
    return (box.hi - box.lo) / _ulp(v)


def _measurable(v):
    """Tightness is measured in relative ulps, so not where the truth is 0 or subnormal
    (there the widening's absolute term (k + 1) * 2**-1074 per operation dominates)."""
    return v is not None and abs(v) >= 2.0 ** -1022


def _tight_points(name, rng, n=60):
    rule = RULES_BY_NAME[name]
    ranges = _ranges(rule)
    pts = []
    for i in range(n):
        lo, hi = ranges[i % len(ranges)]
        if name == "gamma":
            lo, hi = max(lo, -170.0), min(hi, 171.0)
        if name == "lgamma":
            if hi <= 0.0:
                continue  # near the zeros of log|Gamma| on x < 0: coarse (documented)
            lo = max(lo, 0.0)
        t = float(rng.uniform(lo, hi))
        if name == "lgamma" and (abs(t - 1.0) < 0.05 or abs(t - 2.0) < 0.05):
            continue  # absolute error 2**-56 next to the zeros at 1 and 2 (documented)
        if name in ("floor", "ceil", "trunc", "abs") and abs(t) > 1e300:
            continue
        pts.append(t)
    return pts


TIGHT_STATS = {}


@pytest.mark.parametrize("name", [n for n in UNARY])
def test_unary_point_tightness(name):
    rule = RULES_BY_NAME[name]
    enc = rule.enclosure
    f, f1, f2 = rule.reference
    rng = np.random.default_rng(7)
    worst = [0.0, 0.0, 0.0]
    widths = []
    for t in _tight_points(name, rng):
        if not rule.domain.contains(t) or (rule.domain.open_lo and t == rule.domain.lo):
            continue
        box = Interval(t)
        y = enc.primal(box)
        d1 = enc.first(box, y)
        d2 = enc.second(box, y, d1)
        for k, (fn, out, bound) in enumerate(((f, y, 2 * enc.ulps + 4), (f1, d1, FIRST_ULPS),
                                              (f2, d2, SECOND_ULPS))):
            v = _ref(fn, t)
            if not _measurable(v):
                continue
            w = _width_ulps(out, v)
            worst[k] = max(worst[k], w)
            if k == 0:
                widths.append(w)
            assert w <= bound, f"{name} {'f f1 f2'.split()[k]} at {t!r}: {out} is {w} ulps"
    TIGHT_STATS[name] = (float(np.median(widths)) if widths else 0.0, *worst)


@pytest.mark.parametrize("name", BINARY)
def test_binary_point_tightness(name):
    rule = RULES_BY_NAME[name]
    enc = rule.enclosure
    f, fs, ss = rule.reference
    rng = np.random.default_rng(8)
    (xl, xh), (zl, zh) = rule.sample_ranges
    for _ in range(60):
        x, z = float(rng.uniform(xl, xh)), float(rng.uniform(zl, zh))
        if name in ("xlogy", "xlog1py") and z == zl:
            continue
        bx, bz = Interval(x), Interval(z)
        y = enc.primal(bx, bz)
        g = enc.first(bx, bz, y)
        h = enc.second(bx, bz, y, *g)
        v = _ref(f, x, z)
        if _measurable(v) and not (name == "logaddexp" and abs(v) < 0.5):
            assert _width_ulps(y, v) <= 2 * enc.ulps + 4, (name, x, z, y, v)
        for fn, out in zip(fs, g):
            v = _ref(fn, x, z)
            if _measurable(v):
                assert _width_ulps(out, v) <= FIRST_ULPS, (name, x, z, out, v)
        for fn, out in zip(ss, h):
            v = _ref(fn, x, z)
            if _measurable(v):
                assert _width_ulps(out, v) <= SECOND_ULPS, (name, x, z, out, v)


# exact range over [a, b] = extremes of f at the ends and at interior critical points
CRITICAL = {"gamma": [SP._ROOT_A[0]], "lgamma": [SP._ROOT_A[0]]}
MODERATE = {"erf": (-5.0, 5.0), "erfc": (-5.0, 20.0), "gamma": (0.1, 30.0),
            "lgamma": (2.5, 100.0), "sigmoid": (-30.0, 30.0), "logit": (0.01, 0.99),
            "softplus": (-30.0, 30.0), "log1mexp": (-30.0, -0.01)}


@pytest.mark.parametrize("name", sorted(MODERATE))
def test_moderate_interval_tightness(name):
    rule = RULES_BY_NAME[name]
    f = rule.reference[0]
    lo, hi = MODERATE[name]
    rng = np.random.default_rng(11)
    for _ in range(40):
        a, b = sorted(float(v) for v in rng.uniform(lo, hi, 2))
        y = rule.enclosure.primal(Interval(a, b))
        cands = [a, b] + [c for c in CRITICAL.get(name, []) if a <= c <= b]
        vals = [_ref(f, c) for c in cands]
        if name in ("gamma", "lgamma") and any(a <= c <= b for c in CRITICAL[name]):
            with mp.workdps(DPS):
                r = mp.findroot(mp.digamma, SP._ROOT_A[0])
                vals.append(f(r))
        vmin, vmax = min(vals), max(vals)
        k = 2 * rule.enclosure.ulps + 4
        assert vmin - k * _ulp(vmin) <= y.lo <= vmin, (name, a, b, y, vmin)
        assert vmax <= y.hi <= vmax + k * _ulp(vmax), (name, a, b, y, vmax)


def test_unbounded_and_empty():
    e = Interval.empty()
    for name in UNARY:
        enc = RULES_BY_NAME[name].enclosure
        assert enc.primal(e).is_empty, name
    assert RULES_BY_NAME["erf"].enclosure.primal(Interval(-INF, INF)) == Interval(-1.0, 1.0)
    assert RULES_BY_NAME["sigmoid"].enclosure.primal(Interval(-INF, INF)) == Interval(0.0, 1.0)
    assert RULES_BY_NAME["gamma"].enclosure.primal(Interval(-3.5, 1.0)) == Interval.entire()
    assert RULES_BY_NAME["gamma"].enclosure.primal(Interval(-2.0)).is_empty
    g = RULES_BY_NAME["gamma"].enclosure.primal(Interval(0.0, 5.0))
    assert g.hi == INF and 0.88 < g.lo <= 0.8856031944108887
    assert RULES_BY_NAME["lgamma"].enclosure.primal(Interval(1.0, 2.0)).hi == 0.0
    assert RULES_BY_NAME["floor"].enclosure.primal(Interval(-INF, 2.5)) == Interval(-INF, 2.0)
    fl = RULES_BY_NAME["floor"].enclosure
    assert fl.first(Interval(1.5, 2.5), None) == Interval.entire()
    assert fl.first(Interval(2.0, 2.5), None) == Interval(0.0)
    ab = RULES_BY_NAME["abs"].enclosure
    assert ab.first(Interval(0.0), None) == Interval(-1.0, 1.0)
    mx = RULES_BY_NAME["max"].enclosure
    fx, fz = mx.first(Interval(1.0, 3.0), Interval(2.0, 4.0), None)
    assert fx == Interval(0.0, 1.0) and fz == Interval(0.0, 1.0)
    lae = RULES_BY_NAME["logaddexp"].enclosure.primal(Interval(-INF, 0.0), Interval(-INF, 0.0))
    assert lae.lo == -INF and lae.hi >= math.log(2.0)
    assert RULES_BY_NAME["xlogy"].enclosure.primal(Interval(0.0), Interval(0.0)) == Interval(0.0)


# --- the numbers the enclosures rest on ----------------------------------------------------

def test_constant_brackets():
    with mp.workprec(300):
        exact = {"PI": mp.pi, "PI2": mp.pi ** 2, "LN2": mp.log(2), "LOG_PI": mp.log(mp.pi),
                 "TWO_OVER_SQRTPI": 2 / mp.sqrt(mp.pi), "EULER": mp.euler,
                 "LOG_SQRT_2PI": mp.log(2 * mp.pi) / 2}
        for k, v in exact.items():
            lo, hi = getattr(ES, k)
            assert mp.mpf(lo) < v < mp.mpf(hi), k
            assert math.nextafter(lo, INF) == hi, k  # the tightest bracket
    assert math.isfinite(math.exp(ES.EXP_MAX))
    with pytest.raises(OverflowError):
        math.exp(math.nextafter(ES.EXP_MAX, INF))


def test_gamma_extrema_are_lower_bounds():
    with mp.workprec(200):
        for i in range(len(SP._ROOT_A)):
            r = mp.findroot(mp.digamma, SP._ROOT_A[i])
            g = abs(mp.gamma(r))
            assert mp.mpf(SP._GEXT[i]) <= g < mp.mpf(SP._GEXT[i]) * (1 + 2.0 ** -50)
            assert mp.mpf(SP._LGEXT[i]) <= mp.log(g)


def _ulp_err(c, v):
    return float(abs(mp.mpf(c) - v) / mp.mpf(_ulp(v)))


def test_double_double_gamma_error_within_ulps():
    rng = np.random.default_rng(5)
    xs = list(rng.uniform(-199.0, 171.0, 150)) + list(rng.uniform(-5.0, 5.0, 150))
    worst = 0.0
    with mp.workprec(160):
        for x in xs:
            x = float(x)
            if abs(x) < 2.0 ** -30 or x == math.floor(x) and x <= 0:
                continue
            gh, gl, k = SP._gamma_dd(x)
            worst = max(worst, _ulp_err(math.ldexp(gh + gl, k), mp.gamma(x)) if k == 0 else 0.0)
    assert worst <= SP.GAMMA_DD_ULPS / 2, worst  # margin 2x


def test_digamma_trigamma_error_within_ulps():
    rng = np.random.default_rng(6)
    xs = list(rng.uniform(-30.0, 30.0, 120)) + list(SP._ROOT_A)
    worst = 0.0
    with mp.workprec(160):
        for x in xs:
            x = float(x)
            worst = max(worst, _ulp_err(SP.digamma(x), mp.digamma(x)))
            if x > 0:
                worst = max(worst, _ulp_err(SP.trigamma(x), mp.psi(1, x)))
    assert worst <= SP.PSI_ULPS / 2, worst


def test_lgamma_bounds_absolute_error():
    """The double-double log Gamma on x > 0 stays within its stated absolute error
    (2**-56) plus one ulp, including next to the zeros at 1 and 2."""
    rng = np.random.default_rng(9)
    xs = list(rng.uniform(2.0 ** -30, 25.0, 300)) + [1 + 1e-9, 2 - 1e-12, 2 + 2.0 ** -51]
    with mp.workprec(200):
        for x in xs:
            x = float(x)
            lo, hi = SP._lgamma_bounds(x)
            v = mp.loggamma(x)
            assert lo <= v <= hi, x
            assert hi - lo <= 4 * SP.LG_ABS + 8 * _ulp(v), x
