"""certify_function: the exact derivatives of a user's program against the engine.

Only two functions go through the engine (each costs a few seconds of compilation);
the rest of the tests exercise the oracle half, program_reference, which re-executes
the source on MP hyper-duals without compiling anything.
"""
import math

import mpmath as mp
import numba
import numpy as np
import pytest

import dualjit
from dualjit.certify.function import (FunctionCertificate, UnsupportedOperationError,
                                      certify_function, certify_gradient, mp_version,
                                      program_reference)
from dualjit.oracle import to_float64
from dualjit.oracle.mpnumbers import FUNCTIONS, KINK_PREDICATES, MPHyperDual, recording_kinks
from dualjit.rules import RULES

# ---------------------------------------------------------------- functions under test


@numba.njit
def fike_alonso(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


@numba.njit
def cancellation(x):
    return (x * x - 4.0) / (x - 2.0)


@numba.njit
def abs_kink(x):
    return abs(x - 1.0) * 2


@numba.njit
def max_tie(x):
    return max(x, 1.5) * 3.0


@numba.njit
def np_maximum_tie(x):
    return np.maximum(x, 2.0 * x)


@numba.njit
def floor_int(x):
    return x * math.floor(x) + np.floor(2.0 * x)


@numba.njit
def sqrt_zero(x):
    return math.sqrt(x) + 1.0


@numba.njit
def inner(x):
    return np.sin(x) * dualjit.sigmoid(x)


@numba.njit
def outer(x):
    return inner(x) + math.log1p(x * x)


@numba.njit
def uses_sinc(x):
    return np.sinc(x) + x


def plain_helper(x):
    return x


@numba.njit
def uses_plain(x):
    return plain_helper(x) * 2.0


@numba.njit
def branchy(x):
    s = 0.0
    for i in range(3):
        if x > i:
            s += x ** i
        else:
            s -= pow(x, 2)
    return s


def exact(x):
    return mp.mpf(float(x))


def correctly_rounded(fn, prec=400):
    with mp.workprec(prec):
        return to_float64(fn())


# ---------------------------------------------------------------- Fike-Alonso


def fike_alonso_truth(x):
    """f, f', f'' from the analytic formulas, at 400 bits, correctly rounded."""
    def comps():
        t = exact(x)
        s, c = mp.sin(t), mp.cos(t)
        g = s ** 3 + c ** 3
        g1 = 3 * s ** 2 * c - 3 * c ** 2 * s
        g2 = 6 * s * c ** 2 - 3 * s ** 3 + 6 * c * s ** 2 - 3 * c ** 3
        f = mp.exp(t) / mp.sqrt(g)
        h = 1 - g1 / (2 * g)
        h1 = -(g2 * g - g1 ** 2) / (2 * g ** 2)
        return f, f * h, f * (h ** 2 + h1)

    with mp.workprec(400):
        return tuple(to_float64(v) for v in comps())


@pytest.fixture(scope="module")
def fa_cert():
    return certify_function(fike_alonso, 1.5)


def test_fike_alonso_truth_matches_analytic(fa_cert):
    v, d1, d2 = fike_alonso_truth(1.5)
    assert isinstance(fa_cert, FunctionCertificate)
    assert (fa_cert.true_value, fa_cert.true_derivative, fa_cert.true_second_derivative) \
        == (v, d1, d2)
    assert fa_cert.resolved


def test_fike_alonso_engine_within_2_ulp(fa_cert):
    assert fa_cert.value_ulp <= 1.0
    assert fa_cert.derivative_ulp <= 2.0
    assert fa_cert.second_derivative_ulp <= 2.0
    assert fa_cert.value_agrees is True
    assert fa_cert.kinks == ()
    assert fa_cert.primal == fike_alonso(1.5)
    assert (fa_cert.value, fa_cert.derivative) == dualjit.value_and_derivative(fike_alonso, 1.5)
    assert fa_cert.derivative_score.kind == "ok"


def test_repr_is_a_readable_table(fa_cert):
    text = repr(fa_cert)
    lines = text.splitlines()
    assert "fike_alonso" in lines[0] and "0x1.8" in lines[0]
    assert "computed" in lines[1] and "true" in lines[1] and "ulp" in lines[1]
    for label in ("value", "primal f(x)", "f'", "f''"):
        assert any(line.strip().startswith(label) for line in lines[2:6])
    assert "kinks: none" in text


def test_mpmath_precision_is_restored(fa_cert):
    assert mp.mp.prec == 53
    program_reference(fike_alonso, 0.25)
    assert mp.mp.prec == 53


# ---------------------------------------------------------------- cancellation


@pytest.mark.parametrize("gamma", [2.0 ** -10, 2.0 ** -20, 2.0 ** -30, 2.0 ** -40])
def test_cancellation_true_derivative_is_one(gamma):
    x = 2.0 + gamma
    ref = program_reference(cancellation, x)
    # in exact arithmetic the program is x + 2 (for x != 2)
    assert ref.value.value == correctly_rounded(lambda: exact(x) + 2)
    assert ref.first.value == 1.0
    assert ref.second.value == 0.0
    assert ref.kinks == ()


@pytest.fixture(scope="module")
def canc_certs():
    return {g: certify_function(cancellation, 2.0 + g)
            for g in (2.0 ** -30, 2.0 ** -35, 2.0 ** -40)}


def test_cancellation_engine_derivative_is_flagged(canc_certs):
    for g, cert in canc_certs.items():
        assert cert.true_derivative == 1.0
        assert cert.derivative == 2.0          # chain rule under cancellation
        assert cert.derivative_ulp > 1e15
        assert cert.value == cert.primal
        assert cert.value_agrees is True
        assert cert.kinks == ()
    text = repr(canc_certs[2.0 ** -30])
    assert "4.5e+15" in text


# ---------------------------------------------------------------- kinks


def test_abs_at_zero_is_reported():
    ref = program_reference(abs_kink, 1.0)
    assert ref.kinks == (("abs", (0.0,)),)
    assert program_reference(abs_kink, 1.5).kinks == ()
    assert ref.value.value == 0.0


def test_max_tie_and_floor_at_integer_are_reported():
    assert program_reference(max_tie, 1.5).kinks == (("max", (1.5, 1.5)),)
    assert program_reference(max_tie, 1.25).kinks == ()
    assert program_reference(np_maximum_tie, 0.0).kinks == (("numpy.maximum", (0.0, 0.0)),)
    ref = program_reference(floor_int, 2.0)
    assert ("math.floor", (2.0,)) in ref.kinks and ("numpy.floor", (4.0,)) in ref.kinks
    assert ref.value.value == 2.0 * 2.0 + 4.0
    assert ref.first.value == 2.0            # d/dx of x*floor(x): floor's piece constant
    assert program_reference(floor_int, 2.2).kinks == ()


def test_sqrt_at_zero_is_reported_and_the_value_survives():
    ref = program_reference(sqrt_zero, 0.0)
    assert ref.kinks == (("math.sqrt", (0.0,)),)
    assert ref.value.value == 1.0
    assert ref.first.status == "undefined"   # sqrt' at 0 does not exist


def test_every_rule_with_kinks_has_a_predicate():
    missing = [r.name for r in RULES if r.kinks and r.name not in KINK_PREDICATES]
    assert missing == []


def test_every_non_algebra_target_has_an_mp_version():
    for r in RULES:
        if r.algebra:
            continue
        for t in r.targets:
            if t is not None:
                assert FUNCTIONS.lookup(t) is not None, (r.name, t)


# ---------------------------------------------------------------- calls, loops, branches


def test_njit_callee_np_sin_and_sigmoid():
    x = 0.7
    ref = program_reference(outer, x)

    def comps():
        t = exact(x)
        s = 1 / (1 + mp.exp(-t))
        s1 = s * (1 - s)
        s2 = s1 * (1 - 2 * s)
        sn, cs = mp.sin(t), mp.cos(t)
        f = sn * s + mp.log1p(t * t)
        f1 = cs * s + sn * s1 + 2 * t / (1 + t * t)
        f2 = -sn * s + 2 * cs * s1 + sn * s2 + (2 - 2 * t * t) / (1 + t * t) ** 2
        return f, f1, f2

    with mp.workprec(400):
        truth = tuple(to_float64(v) for v in comps())
    assert ref.floats() == truth
    assert ref.kinks == ()


def test_loops_branches_and_integer_powers():
    x = 1.5   # i = 0, 1 take x**i; i = 2 takes -x**2
    ref = program_reference(branchy, x)
    assert ref.floats() == (1.0 + 1.5 - 2.25, 1.0 - 3.0, -2.0)


def _make_closure(c):
    @numba.njit
    def h(x):
        return inner(x) * 0.0 + c * x * x
    return h


@numba.njit
def power(x, n):
    return 1.0 if n == 0 else x * power(x, n - 1)


@numba.njit
def calls_recursive(x):
    return power(x, 5)


def test_closures_and_recursion():
    assert program_reference(_make_closure(3.0), 2.0).floats() == (12.0, 12.0, 6.0)
    assert program_reference(calls_recursive, 1.5).floats() == (1.5 ** 5, 5 * 1.5 ** 4,
                                                                 20 * 1.5 ** 3)


@numba.njit
def uses_mod(x):
    return x % 1.0


def test_unsupported_operator_is_reported():
    with pytest.raises(UnsupportedOperationError, match="uses_mod.*%"):
        program_reference(uses_mod, 2.5)


def test_mp_version_runs_on_hyperduals():
    g = mp_version(cancellation)
    with mp.workprec(200):
        r = g(MPHyperDual(3.0, 1, 1, 0))
    assert (r.a, r.b, r.d) == (5, 1, 0)


def test_recording_kinks_outside_a_run():
    with recording_kinks() as kinks:
        FUNCTIONS[abs](MPHyperDual(0.0, 1, 1, 0))
        FUNCTIONS[abs](0.0)                  # a constant: no derivative, no kink
    assert kinks == [("abs", (0.0,))]


# ---------------------------------------------------------------- errors


def test_unsupported_function_is_named():
    with pytest.raises(UnsupportedOperationError, match="numpy.sinc"):
        program_reference(uses_sinc, 0.5)
    with pytest.raises(UnsupportedOperationError, match="plain_helper"):
        program_reference(uses_plain, 0.5)
    with pytest.raises(TypeError, match="numpy.sinc"):   # it is a TypeError
        certify_function(uses_sinc, 0.5)


def test_bad_arguments_name_the_argument():
    with pytest.raises(TypeError, match=r"\bf must be a numba.njit function"):
        certify_function(lambda x: x, 1.0)
    with pytest.raises(TypeError, match=r"\bf must be"):
        certify_function(math.sin, 1.0)
    with pytest.raises(TypeError, match=r"\bx must be a real scalar"):
        certify_function(cancellation, "1.0")
    with pytest.raises(TypeError, match=r"\bx must be a real scalar"):
        certify_function(cancellation, True)
    with pytest.raises(TypeError, match=r"\bx must be a real scalar"):
        program_reference(cancellation, np.array([1.0]))
    with pytest.raises(TypeError, match=r"\bx must be a 1-D array"):
        certify_gradient(cancellation, np.ones((2, 2)))
    with pytest.raises(TypeError, match=r"\bf must be"):
        certify_gradient(None, np.ones(2))


def test_jit_function_is_accepted():
    jf = dualjit.jit(lambda x: x * x - 4.0)
    ref = program_reference(jf, 3.0)
    assert ref.floats() == (5.0, 6.0, 2.0)


def test_certificate_reports_the_kink():
    cert = certify_function(abs_kink, 1.0)
    assert cert.kinks == (("abs", (0.0,)),)
    assert cert.at_kink
    assert cert.value == cert.primal == 0.0 and cert.value_agrees is True
    assert "abs(0.0,)" in repr(cert)


# ---------------------------------------------------------------- gradient


@numba.njit
def weighted_log(v):
    s = 0.0
    for i in range(v.shape[0]):
        s += v[i] * v[i] * (i + 1)
    return math.log(s) + abs(v[0] - 1.0)


def test_certify_gradient():
    x = np.array([1.0, 2.0, 3.0])
    cert = certify_gradient(weighted_log, x)
    with mp.workprec(400):
        s = sum(exact(v) ** 2 * (i + 1) for i, v in enumerate(x))
        truth = tuple(to_float64(2 * (i + 1) * exact(v) / s) for i, v in enumerate(x))
        # d/dx0 of abs(x0 - 1) at the kink: the reference's sign(0) = 0
        value = to_float64(mp.log(s))
    assert cert.true_value == value
    assert cert.true_gradient == truth
    assert cert.kinks == (("abs", (0.0,)),)
    assert cert.gradient_ulp[1] <= 2.0 and cert.gradient_ulp[2] <= 2.0
    assert cert.value_agrees is True
    assert "df/dx[2]" in repr(cert)


@numba.njit(error_model="numpy", cache=True)
def _cancelling(x):
    return (x * x - 4.0) / (x - 2.0)


def test_certificate_reports_the_enclosure_and_flags_cancellation():
    bad = certify_function(_cancelling, 2.0 + 2.0 ** -30)
    assert bad.derivative == 2.0 and bad.derivative_enclosure.contains(bad.true_derivative)
    assert not bad.derivative_reliable and "UNRELIABLE" in repr(bad)
    good = certify_function(_cancelling, 2.5)
    assert good.derivative_reliable and good.second_derivative_enclosure.contains(0.0)


def test_gradient_certificate_reports_the_enclosure():
    cert = certify_gradient(weighted_log, np.array([1.5, 2.0, 3.0]))
    assert cert.gradient_reliable and "gradient reliable" in repr(cert)
    assert all(g.contains(t) for g, t in zip(cert.enclosure.gradient, cert.true_gradient))
