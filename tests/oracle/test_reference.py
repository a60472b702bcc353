"""rule_reference: value and partials of a rule row from its mpmath references."""
import math
import pathlib
import random
import re
import subprocess
import sys
from fractions import Fraction

import mpmath as mp
import pytest

from dualjit.oracle import (OK, OVERFLOW, UNDEFINED, UNRESOLVED, PrecisionPolicy, Reference,
                            ReferenceBugError, backend_info, component_labels,
                            precision_policy, rule_reference, to_float64)
from dualjit.rules import RULES, RULES_BY_NAME

ORACLE_SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "dualjit" / "oracle"


def truth_1000(fn, *args):
    """fn at 1000 bits, written in this test from the mathematical definition."""
    with mp.workprec(1000):
        return fn(*(mp.mpf(a) for a in args))


# Independent formulas (value, first partials, second partials), not the rows' references.
INDEPENDENT = {
    "exp": (mp.exp, (mp.exp,), (mp.exp,)),
    "sin": (mp.sin, (mp.cos,), (lambda x: -mp.sin(x),)),
    # 1 + x formed exactly (at 1000 bits 1 + 1e-300 would round to 1)
    "log1p": (lambda x: mp.log(mp.fadd(1, x, exact=True)),
              (lambda x: 1 / mp.fadd(1, x, exact=True),),
              (lambda x: -mp.fadd(1, x, exact=True) ** -2,)),
    "atan2": (lambda y, x: mp.atan2(y, x),
              (lambda y, x: x / (x * x + y * y), lambda y, x: -y / (x * x + y * y)),
              (lambda y, x: -2 * x * y / (x * x + y * y) ** 2,
               lambda y, x: (y * y - x * x) / (x * x + y * y) ** 2,
               lambda y, x: 2 * x * y / (x * x + y * y) ** 2)),
    "pow": (lambda x, z: mp.power(x, z),
            (lambda x, z: z * mp.power(x, z - 1), lambda x, z: mp.power(x, z) * mp.ln(x)),
            (lambda x, z: z * (z - 1) * mp.power(x, z - 2),
             lambda x, z: mp.power(x, z - 1) + z * mp.power(x, z - 1) * mp.ln(x),
             lambda x, z: mp.power(x, z) * mp.ln(x) ** 2)),
}
KNOWN_POINTS = {
    "exp": [(-3.7,), (0.1,), (1.0,), (25.5,), (700.0,), (-700.0,)],
    "sin": [(0.5,), (3.0,), (100.0,), (math.pi,), (1e22,)],
    "log1p": [(-0.5,), (1e-10,), (-1e-300,), (3.0,), (1e300,)],
    "atan2": [(1.0, 2.0), (-3.0, 0.5), (1e-5, -2.0), (2.5, -7.0), (1e-300, 1e300)],
    "pow": [(2.0, 0.5), (3.5, -2.25), (0.1, 7.5), (1e10, 3.3), (1.0000001, 1e6)],
}


@pytest.mark.parametrize("name", sorted(KNOWN_POINTS))
def test_known_values_against_mpmath_at_1000_bits(name):
    rule = RULES_BY_NAME[name]
    f, firsts, seconds = INDEPENDENT[name]
    for args in KNOWN_POINTS[name]:
        ref = rule_reference(rule, args)
        assert ref.resolved and ref.args == args and ref.rule == name
        for label, comp, fn in zip(ref.labels, ref.components, (f, *firsts, *seconds)):
            want = truth_1000(fn, *args)
            assert comp.status == OK, (name, args, label, comp)
            assert comp.value == to_float64(want), (name, args, label, comp, want)
            with mp.workprec(1000):  # the kept mpf is good to ~its precision
                assert abs(comp.exact - want) <= abs(want) * mp.mpf(2) ** -190


def test_pow_at_negative_base_integer_exponent():
    """(-2)**3 is real with a real d/dx; d/dz involves log(-2): no real derivative."""
    ref = rule_reference(RULES_BY_NAME["pow"], (-2.0, 3.0))
    assert ref.value.value == -8.0
    assert ref.statuses() == {"f": OK, "df/dx": OK, "df/dz": UNDEFINED, "d2f/dx2": OK,
                              "d2f/dxdz": UNDEFINED, "d2f/dz2": UNDEFINED}
    assert ref.second[0].value == -12.0 and ref.first[0].value == 12.0


def test_undefined_log_at_minus_one_and_gamma_pole():
    log = rule_reference(RULES_BY_NAME["log"], (-1.0,))
    assert [c.status for c in log.components] == [UNDEFINED] * 3
    assert log.value.reason == "complex result"
    assert log.first[0].reason == "the value is undefined"   # 1/x = -1 is not consulted
    assert all(math.isnan(v) for v in log.floats())
    gamma = rule_reference(RULES_BY_NAME["gamma"], (-3.0,))
    assert gamma.value.status == UNDEFINED and "pole" in gamma.value.reason
    assert all(c.status == UNDEFINED for c in gamma.components)


def test_overflow_exp_at_710():
    ref = rule_reference(RULES_BY_NAME["exp"], (710.0,))
    for comp in ref.components:
        assert comp.status == OVERFLOW and comp.value == math.inf
        with mp.workprec(300):
            assert abs(comp.exact / mp.exp(710) - 1) < mp.mpf(2) ** -200   # exact stays finite
    near = rule_reference(RULES_BY_NAME["exp"], (709.78,))
    assert near.value.status == OK and math.isfinite(near.value.value)


def test_subnormal_and_underflowing_results():
    exp = RULES_BY_NAME["exp"]
    assert rule_reference(exp, (-745.0,)).value.value == 5e-324          # rounds up to 2**-1074
    assert rule_reference(exp, (-740.0,)).value.value == to_float64(truth_1000(mp.exp, -740.0))
    gone = rule_reference(exp, (-746.0,)).value                           # below 2**-1075
    assert gone.status == OK and gone.value == 0.0 and gone.exact > 0


def test_signed_zero_is_reported_as_plus_zero():
    for name in ("sin", "tanh", "atan"):
        ref = rule_reference(RULES_BY_NAME[name], (-0.0,))
        assert ref.value.status == OK and ref.value.exact == 0
        assert math.copysign(1.0, ref.value.value) == 1.0                # +0.0, sign lost


def test_nan_and_infinite_arguments():
    row = RULES_BY_NAME["exp"]
    ref = rule_reference(row, (math.nan,))
    assert all(c.status == UNDEFINED and c.reason == "NaN argument" for c in ref.components)
    ref = rule_reference(RULES_BY_NAME["atan2"], (1.0, math.nan))
    assert all(c.status == UNDEFINED for c in ref.components)
    up = rule_reference(row, (math.inf,))
    assert up.value.status == OVERFLOW and up.value.reason == "infinite"
    down = rule_reference(row, (-math.inf,))
    assert down.value.status == OK and down.value.value == 0.0
    assert rule_reference(RULES_BY_NAME["sin"], (math.inf,)).value.status == UNDEFINED
    assert rule_reference(RULES_BY_NAME["atan"], (math.inf,)).value.value == math.pi / 2


def test_reference_object():
    ref = rule_reference(RULES_BY_NAME["atan2"], (1.0, 2.0))
    assert isinstance(ref, Reference) and ref.policy.ladder[0] == 126
    assert ref.labels == component_labels(2) == (
        "f", "df/dx", "df/dz", "d2f/dx2", "d2f/dxdz", "d2f/dz2")
    assert len(ref.first) == 2 and len(ref.second) == 3 and len(ref.floats()) == 6
    assert component_labels(1) == ("f", "df/dx", "d2f/dx2")
    assert rule_reference(RULES_BY_NAME["exp"], 1.0).value.value == math.e   # bare float ok
    policy = PrecisionPolicy(start=200, cap=1000)
    assert rule_reference(RULES_BY_NAME["exp"], (1.0,), policy).value.precisions == (200, 253)
    with precision_policy(start=300):
        assert rule_reference(RULES_BY_NAME["exp"], (1.0,)).value.prec == 353


def test_argument_validation():
    exp, atan2 = RULES_BY_NAME["exp"], RULES_BY_NAME["atan2"]
    with pytest.raises(ValueError, match=r"args must hold 2 value\(s\) for rule 'atan2'"):
        rule_reference(atan2, (1.0,))
    with pytest.raises(ValueError, match=r"args must hold 1 value"):
        rule_reference(exp, (1.0, 2.0))
    with pytest.raises(TypeError, match=r"args\[0\] must be a float"):
        rule_reference(exp, ("1.0",))
    with pytest.raises(TypeError, match=r"args\[1\] must be a float"):
        rule_reference(atan2, (1.0, True))
    with pytest.raises(TypeError, match="args must be a tuple"):
        rule_reference(atan2, 1.0)
    with pytest.raises(TypeError, match="rule must be a dualjit rule"):
        rule_reference("exp", (1.0,))
    with pytest.raises(TypeError, match="policy must be a PrecisionPolicy"):
        rule_reference(exp, (1.0,), policy=4096)


def test_reference_bug_names_rule_and_component():
    bad = RULES_BY_NAME["exp"].__class__(
        name="planted", arity=1, primal=math.exp, first=None, second=None, targets=(),
        reference=(mp.exp, lambda x: math.exp(x), mp.exp))
    with pytest.raises(ReferenceBugError, match=r"rule 'planted', df/dx at \('0x1.0000000000000p\+0',\)"):
        rule_reference(bad, (1.0,))


# --- the whole rule table ------------------------------------------------------------

def table_points(rule):
    """Special points, kink points and a few points per sampling range (its ends, its
    middle, two seeded uniform draws)."""
    rng = random.Random(f"oracle-smoke-{rule.name}")
    ranges = rule.sample_ranges or ((-10.0, 10.0),) * rule.arity
    pts = []
    if rule.arity == 1:
        for lo, hi in ranges:
            pts += [(lo,), (hi,), ((lo + hi) / 2,), (rng.uniform(lo, hi),), (rng.uniform(lo, hi),)]
    else:
        (a, b), (c, d) = ranges
        pts += [(a, c), (b, d), ((a + b) / 2, (c + d) / 2)]
        pts += [(rng.uniform(a, b), rng.uniform(c, d)) for _ in range(3)]
    pts += [tuple(p) if isinstance(p, tuple) else (p,) for p in rule.special_points]
    pts += [tuple(p) for k in rule.kinks for p in k.points]
    return pts


EXTREMES = (0.0, -0.0, 5e-324, 1e-310, -1.0, 1.7e308, -1.7e308, math.inf, -math.inf)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_reference_resolves(rule):
    """Smoke test: every row's references run under escalation at its special points
    and sampling ranges without raising (a ReferenceBugError would be a rule-table bug)
    and without an unresolved component; at extreme arguments they may be undefined
    but must not raise."""
    problems = []
    for args in table_points(rule):
        ref = rule_reference(rule, args)
        problems += [(args, lab) for lab, c in zip(ref.labels, ref.components)
                     if c.status == UNRESOLVED]
    assert not problems, f"{rule.name}: unresolved components {problems}"
    extremes = ([(x,) for x in EXTREMES] if rule.arity == 1
                else [(x, z) for x in EXTREMES[::2] for z in EXTREMES[1::2]])
    for args in extremes:
        rule_reference(rule, args)


@pytest.mark.parametrize("x, z", [(1e300, 7.0), (5.5e100, 1.1), (1e300, 3.0), (1e22, 3.0)])
def test_fmod_row_with_huge_quotients(x, z):
    """The fmod row's reference x - trunc(x/z)*z rounds x/z at the working precision: for
    |x/z| beyond it, 126 and 212 bits both collapse to an exact 0 (a wrong answer that
    agrees with itself). The exact-zero rule sends such a zero to the cap, and the
    answer is the exact remainder (computed here with fractions)."""
    want = float(Fraction(x) - int(Fraction(x) / Fraction(z)) * Fraction(z))
    ref = rule_reference(RULES_BY_NAME["fmod"], (x, z))
    assert ref.value.status == OK and ref.value.value == want


# --- independence --------------------------------------------------------------------

def test_oracle_never_imports_numba_nor_the_engine():
    """Imported on its own (as a top-level package, without dualjit/__init__, which
    pulls in numba) the oracle loads neither numba nor any other part of dualjit."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import oracle; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('numba', 'dualjit')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    run = subprocess.run([sys.executable, "-c", code, str(ORACLE_SRC.parent)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    for path in ORACLE_SRC.glob("*.py"):
        text = path.read_text()
        assert not re.search(r"\bimport numba|from numba|\.primal\b|rule\.first|rule\.second",
                             text), path.name


def test_mpmath_runs_on_gmpy2():
    info = backend_info()
    assert info["backend"] == mp.libmp.BACKEND == "gmpy"
    assert info["gmpy_backend"] is True and info["gmpy2"]
