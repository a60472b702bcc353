"""dualjit.rule: custom derivative rules on every number type, with the same checks as
the built-in rules (oracle, check_rule, certification, validation)."""
import math

import mpmath as mp
import numba
import numpy as np
import pytest
from numba.core.errors import TypingError

import dualjit
from dualjit import Dual, HyperDual, Interval
from dualjit.testing import RuleCheckError, check_rule

import custom_rule_defs as defs
from custom_rule_defs import arcsine_density, logistic, naive_logistic, radius, softsign

POINTS = (-745.0, -40.0, -3.5, -1e-300, -0.0, 0.0, 1e-8, 0.5, 2.0, 36.0, 710.0)


@numba.njit(cache=True)
def uses_logistic(x):
    return logistic(2.0 * x) * x + logistic(x * x)


@numba.njit(cache=True)
def uses_radius(v):
    return radius(v[0], v[1]) * v[2]


# Straight-through estimator: the value rounds, the derivative is declared 1, which the
# body (derivative 0 almost everywhere) could never give.
def _ste_derivatives(x):
    return ste_round(x), 1.0, 0.0


@dualjit.rule(derivatives=_ste_derivatives)
def ste_round(x):
    return float(math.floor(x + 0.5))


@numba.njit
def uses_ste(x):
    return ste_round(3.0 * x)


def _bits(v):
    return np.float64(v).view(np.int64)


# --------------------------------------------------------------------------- the engine

def test_dual_and_hyperdual_use_the_rule_and_the_value_is_the_primal():
    for x in POINTS:
        y, d1, d2 = defs._logistic_derivatives(x)
        d = logistic(Dual(x, 1.0))
        h = logistic(HyperDual(x, 1.0, 1.0, 0.0))
        assert _bits(d.value) == _bits(h.value) == _bits(logistic(x))
        assert d.partials[0] == d1 == h.e1[0] == h.e2[0]
        assert h.e12[0] == d2


def test_the_rule_is_what_runs_not_the_body():
    assert dualjit.derivative(uses_ste, 0.4) == 3.0      # the body would give 0
    assert dualjit.value_and_derivative(uses_ste, 0.4) == (1.0, 3.0)


def test_verbs_through_user_code_apply_the_chain_rule():
    x = 0.75
    _, a1, a2 = defs._logistic_derivatives(2 * x)
    _, b1, b2 = defs._logistic_derivatives(x * x)
    expected1 = logistic(2 * x) + 2 * a1 * x + 2 * x * b1
    assert dualjit.derivative(uses_logistic, x) == pytest.approx(expected1, rel=1e-15)
    expected2 = 4 * a1 + 4 * x * a2 + 2 * b1 + 4 * x * x * b2
    assert dualjit.second_derivative(uses_logistic, x) == pytest.approx(expected2, rel=1e-14)


def test_binary_rule_gradient_hessian_and_mixed_operands():
    v = np.array([3.0, -4.0, 2.0])
    h, u, w, fxx, fxz, fzz = defs._hypot_derivatives(3.0, -4.0)
    assert np.array_equal(dualjit.gradient(uses_radius, v), [2 * u, 2 * w, h])
    H = dualjit.hessian(uses_radius, v)
    assert np.array_equal(H[:2, :2], 2 * np.array([[fxx, fxz], [fxz, fzz]]))
    assert H[0, 2] == H[2, 0] == u
    # one argument a number, the other a float (either side)
    assert radius(Dual(3.0, 1.0), -4.0).partials[0] == u
    assert radius(3.0, Dual(-4.0, 1.0)).partials[0] == w
    hx = radius(HyperDual(3.0, 1.0, 1.0, 0.0), -4.0)
    assert hx.e12[0] == fxx


def test_nan_value_gives_nan_partials_like_the_builtin_rules():
    for x in (math.nan, 1.5, -0.25):             # outside [0, 1]: NaN value
        d = arcsine_density(Dual(x, 1.0))
        h = arcsine_density(HyperDual(x, 1.0, 1.0, 0.0))
        assert math.isnan(d.value) and math.isnan(d.partials[0])
        assert math.isnan(h.e1[0]) and math.isnan(h.e12[0])


def test_a_first_order_rule_serves_duals_and_refuses_hyperduals_clearly():
    assert softsign(Dual(-3.0, 1.0)).partials[0] == 1.0 / 16.0
    assert dualjit.derivative(numba.njit(lambda x: softsign(x) * x), 1.0) == 0.5 + 0.25
    with pytest.raises(TypingError, match="softsign' gives first derivatives only"):
        dualjit.second_derivative(numba.njit(lambda x: softsign(x)), 1.0)


def test_plain_calls_from_python_and_njit_give_the_primal():
    assert _bits(logistic(0.3)) == _bits(logistic.primal(0.3))
    assert numba.njit(lambda x: logistic(x))(0.3) == logistic(0.3)
    assert logistic.__name__ == "logistic" and "dualjit.rule logistic" in repr(logistic)


def test_interval_numbers_enclose_the_primals_exact_derivative():
    e = dualjit.enclose(uses_logistic, 0.75, order=2)
    assert e.reliable
    assert e.derivative.contains(dualjit.derivative(uses_logistic, 0.75))
    X = Interval(0.5, 0.625)
    y = logistic(X)
    assert y.lo <= logistic(0.5) and logistic(0.625) <= y.hi
    r = dualjit.enclose(uses_logistic, X)
    for x in np.linspace(0.5, 0.625, 9):
        assert r.derivative.contains(dualjit.derivative(uses_logistic, x))


def test_a_given_enclosure_serves_interval_numbers():
    f = numba.njit(lambda x: defs.logistic_enclosed(x))
    e = dualjit.enclose(f, 0.3, order=2)
    assert e.derivative == Interval(0.0, 0.25)          # the rule's own (wide) enclosure
    assert e.second_derivative == Interval(-0.1, 0.1)
    assert e.value.contains(logistic(0.3)) and not e.reliable
    y = defs.logistic_enclosed(Interval(0.0, 1.0))
    assert y.lo <= 0.5 and logistic(1.0) <= y.hi


def test_pickles_by_name_for_worker_processes():
    import pickle
    assert pickle.loads(pickle.dumps(logistic)) is logistic


def test_supported_functions_lists_custom_rules():
    assert dualjit.supported_functions()["logistic"] == ("custom_rule_defs.logistic",)
    assert dualjit.custom_rules.logistic is logistic


# --------------------------------------------------------------------------- errors

def test_registration_errors_name_the_argument():
    with pytest.raises(TypeError, match="derivatives must be a function"):
        dualjit.rule(lambda x: x, derivatives=None)
    with pytest.raises(TypeError, match="derivatives must take the same arguments as primal"):
        dualjit.rule(lambda x: x, derivatives=lambda x, z: (x, 1.0))
    with pytest.raises(TypeError, match="primal must take one or two arguments"):
        dualjit.rule(lambda x, y, z: x, derivatives=lambda x, y, z: (x, 1.0))
    with pytest.raises(TypeError, match="primal must be a Python function or a numba.njit"):
        dualjit.rule(math.sin, derivatives=lambda x: (x, 1.0))
    with pytest.raises(ValueError, match="'sin' is a built-in rule"):
        dualjit.rule(lambda x: x, derivatives=lambda x: (x, 1.0), name="sin")
    with pytest.raises(ValueError, match="domain must have lo <= hi"):
        dualjit.rule(lambda x: x, derivatives=lambda x: (x, 1.0), domain=(1.0, 0.0), name="f")
    with pytest.raises(ValueError, match="budget_first must be a positive number"):
        dualjit.rule(lambda x: x, derivatives=lambda x: (x, 1.0), budget_first=0, name="f")
    with pytest.raises(TypeError, match=r"reference must be a tuple \(f, f1\[, f2\]\)"):
        dualjit.rule(lambda x: x, derivatives=lambda x: (x, 1.0), reference=mp.sin, name="f")
    with pytest.raises(ValueError, match="name must be an identifier string, got '<lambda>'"):
        dualjit.rule(lambda x: x, derivatives=lambda x: (x, 1.0))


def test_a_wrong_derivatives_shape_is_reported_at_first_use():
    def bad_derivatives(x):
        return x, 1.0, 2.0, 3.0

    @dualjit.rule(derivatives=bad_derivatives)
    def four_outputs(x):
        return x

    with pytest.raises(TypingError, match=r"four_outputs': derivatives must return the real "
                                          r"numbers \(y, f1\) or \(y, f1, f2\)"):
        four_outputs(Dual(1.0, 1.0))
    with pytest.raises(TypeError, match="takes 1 argument"):
        four_outputs(1.0, 2.0)


def test_arrays_of_numbers_get_the_elementwise_hint():
    xs = dualjit.zeros(3, Dual(0.0, 1.0))
    with pytest.raises(TypingError, match="logistic on an array of dualjit numbers"):
        numba.njit(lambda a: logistic(a))(xs)


# --------------------------------------------------------------------------- the checks

def test_check_rule_passes_accurate_custom_rules():
    for r, budget in ((logistic, 4.0), (radius, 2.0), (softsign, 3.0)):
        res = check_rule(r, n=120)
        assert res.passed and res.budget_first == budget and res.points > 100
    assert check_rule(softsign, n=60).max_ulp_second == 0.0   # first order: f'' not checked


def test_check_rule_fails_the_textbook_rule_that_finite_differences_pass():
    grid = np.linspace(-5.0, 5.0, 101)
    fd_ok = all(math.isclose(naive_logistic(Dual(x, 1.0)).partials[0],
                             (naive_logistic(x + 1e-6) - naive_logistic(x - 1e-6)) / 2e-6,
                             rel_tol=1e-3) for x in grid)
    assert fd_ok
    with pytest.raises(RuleCheckError, match=r"'naive_logistic' failed") as exc:
        check_rule(naive_logistic, n=200)
    assert "0x1." in str(exc.value)               # witnesses in hex
    res = exc.value.result
    assert max(f["ulp"] or math.inf for f in res.failures) > 1e3


def test_the_oracle_uses_a_given_reference_and_derives_a_missing_one(monkeypatch):
    from dualjit.oracle.mpnumbers import FUNCTIONS
    assert FUNCTIONS.lookup(radius) is not None            # reference given: analytic
    assert FUNCTIONS.lookup(logistic) is None              # derived from the primal's source
    cert = dualjit.certify_function(uses_logistic, 0.75)
    assert cert.derivative_ulp <= 8 and cert.value_agrees
    assert not cert.kinks
    g = dualjit.certify_gradient(uses_radius, np.array([3.0, -4.0, 2.0]))
    assert g.max_gradient_ulp <= 4


def test_certification_of_custom_rules(tmp_path):
    from dualjit.certify.report import missed_budgets, write_reports
    from dualjit.certify.run import certify_rules, resolve_rules
    from dualjit.certify.sampling import Profile

    prof = Profile("tiny", uniform=40, bits=40, chunk=64, all_targets=True)
    run = certify_rules(resolve_rules(["logistic", "naive_logistic"]), profile=prof,
                        out_dir=tmp_path, workers=0)
    report = write_reports(run)["report"]
    missed = dict(missed_budgets(report))
    assert list(missed) == ["naive_logistic"]
    assert any("f′ df/dx" in m for m in missed["naive_logistic"])
    with pytest.raises(ValueError, match="softsign give first derivatives only"):
        resolve_rules(["softsign"])


def test_cli_certify_imports_the_module_that_registers_the_rule(tmp_path, capsys):
    from dualjit.cli import main
    code = main(["certify", "--import", "custom_rule_defs", "--rules", "radius", "--out",
                 str(tmp_path), "--workers", "0", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "radius" in out and "1 of 1 rules certified" in out
    with pytest.raises(SystemExit):
        main(["certify", "--import", "no_such_module_here", "--rules", "radius"])
    assert "--import no_such_module_here" in capsys.readouterr().err


def test_random_programs_call_custom_rules_and_pass_the_properties(tmp_path):
    from dualjit.validate.runner import ValidateProfile, batch_program, run_profile

    prof = ValidateProfile("custom", scalar_programs=1, scalar_points=8, vector_programs=0,
                           vector_points=0, max_depth=2, seed=9,
                           rules=("logistic", "arcsine_density"), imports=("custom_rule_defs",))
    program = batch_program(prof, 0)[1][0]
    assert {"logistic", "arcsine_density"} <= set(program.rules_used)
    src = program.source()
    assert "dualjit.custom_rules.logistic(" in src and "import custom_rule_defs" in src
    s = run_profile(prof, tmp_path, workers=0,
                    properties=["value_exact", "oracle"])
    assert s["failed_checks"] == 0
    assert s["properties"]["oracle"]["pass"] > 0
    with pytest.raises(ValueError, match="no rule named 'nosuch'"):
        run_profile(ValidateProfile("x", 1, 1, 0, 0, rules=("nosuch",)), tmp_path)


def test_validation_budget_of_a_derived_reference_survives_cancellation():
    # logistic'' = s'(1 - 2s) re-executed from the source cancels near 0: at the budget's
    # working precision the derived f'' was 0 and so was the budget (seen in a ci run).
    from dualjit.validate.budget import program_bounds
    from dualjit.validate.space import Program

    program = Program(ops=(("var", 0), ("un", "logistic", "dualjit.custom_rules.logistic", 0),
                           ("bin", "-", 1, 0)), outputs=(2,), rules_used=("logistic",))
    x = float.fromhex("-0x1.263678c5f0858p-554")
    cert = dualjit.certify_function(program.compile(), x)
    budget = program_bounds(program, (x,)).second_budget(cert.true_second_derivative)
    assert budget > 0.5
    assert cert.second_derivative_ulp <= budget
