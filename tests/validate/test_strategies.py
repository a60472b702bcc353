"""The Hypothesis strategies and the shared input space (no compilation: fast)."""
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualjit.certify.sampling import in_domain
from dualjit.rules import RULES, RULES_BY_NAME
from dualjit.validate import strategies as vs
from dualjit.validate.budget import ILL_CONDITIONED, Undefined, program_bounds
from dualjit.validate.runner import PROFILES, batch_program
from dualjit.validate.space import Program, RngDraw, draw_program, draw_program_point

FAST = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_inputs_are_inside_the_domain(rule):
    @settings(max_examples=25, deadline=None, derandomize=True)
    @given(vs.rule_inputs(rule))
    def check(p):
        assert len(p) == rule.arity
        assert all(isinstance(v, float) for v in p)
        assert in_domain(rule, p)

    check()


def test_rule_inputs_accepts_names():
    @settings(max_examples=10, deadline=None, derandomize=True)
    @given(vs.rule_inputs("log"))
    def check(p):
        assert p[0] >= 0

    check()


@FAST
@given(vs.programs(max_depth=4))
def test_programs_are_valid_python_of_bounded_depth(p):
    src = p.source()
    ns = {}
    exec(compile(src, "<p>", "exec"), ns)
    assert callable(ns[p.name])
    assert "x" in src and "return" in src
    assert p.nvars == 0 and not p.vector_out
    assert any(op[0] == "var" for op in p.ops)
    for i, op in enumerate(p.ops):          # SSA: arguments come before their use
        args = {"un": [op[3]] if op[0] == "un" else [], "neg": [], "ipow": [],
                "bin": [], "binc": []}.get(op[0], [])
        if op[0] in ("neg", "ipow"):
            args = [op[1]]
        elif op[0] == "bin":
            args = [op[2], op[3]]
        elif op[0] == "binc":
            args = [op[3]]
        assert all(a < i for a in args)
    for name in p.rules_used:
        assert name in RULES_BY_NAME
    assert Program.from_json(p.to_json()) == p


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@FAST
@given(vs.programs(max_depth=3), st.data())
def test_programs_run_as_plain_python_on_their_points(p, data):
    ns = {}
    exec(compile(p.source(), "<p>", "exec"), ns)
    x = data.draw(vs.program_points(p))
    assert len(x) == 1
    try:
        y = ns[p.name](x[0])
    except (ValueError, OverflowError, ZeroDivisionError):
        return        # math.* raises where the compiled program returns NaN/inf
    assert isinstance(y, (float, int, np.floating))


@settings(max_examples=20, deadline=None, derandomize=True)
@given(vs.vector_programs(max_depth=2, nvars=3, nout=2))
def test_vector_programs(pair):
    g, G = pair
    assert g.nvars == 3 and not g.vector_out
    assert G.nvars == 3 and G.vector_out and len(G.outputs) == 2
    src = G.source()
    assert "dualjit.empty(2, x[0])" in src
    for i in range(3):          # every variable takes part
        assert any(op == ("var", i) for op in g.ops)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(vs.programs(max_depth=3, rules=("sin", "log")))
def test_programs_respect_a_rule_subset(p):
    # Domain wrappers may add tanh/sigmoid only for rules that need them.
    allowed = {"sin", "log"} | {n for n, _ in __import__(
        "dualjit.validate.space", fromlist=["x"]).BINARY_CONST_RULES}
    assert set(p.rules_used) <= allowed


@FAST
@given(vs.constants(-3.0, 3.0))
def test_constants(c):
    assert -3.0 <= c <= 3.0 and math.isfinite(c)


def test_the_runner_draws_deterministically():
    prof = PROFILES["ci"]
    a = batch_program(prof, 0)
    b = batch_program(prof, 0)
    assert a[1] == b[1]
    assert [draw_program_point(a[2], a[1][0]) for _ in range(5)] == \
        [draw_program_point(b[2], b[1][0]) for _ in range(5)]
    assert batch_program(prof, 1)[1] != a[1]
    assert batch_program(prof, prof.scalar_programs)[0] == "vector"


def test_rng_and_hypothesis_share_the_generator():
    d = RngDraw(np.random.default_rng(3))
    p = draw_program(d, max_depth=3)
    assert isinstance(p, Program) and p.nodes >= 1


def _prog(ops, out, nvars=0):
    return Program(tuple(ops), (out,), nvars)


def test_budget_plain_composition():
    # f(x) = sin(x) * x: no cancellation at x = 1 -> a small budget.
    p = _prog([("var", 0), ("un", "sin", "math.sin", 0), ("bin", "*", 1, 0)], 2)
    b = program_bounds(p, (1.0,))
    true1 = math.cos(1.0) * 1.0 + math.sin(1.0)
    bud = b.first_budget(true1)
    assert 5 < bud < 100
    assert not b.out_of_range
    assert b.second_budget(-math.sin(1.0) + 2 * math.cos(1.0)) < 1000


def test_budget_detects_cancellation():
    # f(x) = sin(x) - x: f'(x) = cos(x) - 1 cancels near 0.
    p = _prog([("var", 0), ("un", "sin", "math.sin", 0), ("bin", "-", 1, 0)], 2)
    x = 1e-5
    b = program_bounds(p, (x,))
    assert b.first_budget(math.cos(x) - 1) > ILL_CONDITIONED
    assert b.kappa(math.cos(x) - 1) > 1e6


def test_budget_out_of_range_and_undefined():
    p = _prog([("var", 0), ("un", "exp", "math.exp", 0)], 1)
    assert program_bounds(p, (800.0,)).out_of_range
    q = _prog([("var", 0), ("un", "log", "math.log", 0)], 1)
    with pytest.raises(Undefined):
        program_bounds(q, (-1.0,))


def test_budget_vector_abs_evaluations():
    # g(x) = x0 * x1 + x2: Gabs = (|x1|, |x0|, 1), Habs[0][1] = 1.
    p = _prog([("var", 0), ("var", 1), ("bin", "*", 0, 1), ("var", 2), ("bin", "+", 2, 3)],
              4, nvars=3)
    b = program_bounds(p, (2.0, -3.0, 1.0))
    assert b.gabs(0) == [3.0, 2.0, 1.0]
    assert b.habs(0)[0][1] == 1.0 and b.habs(0)[0][0] == 0.0
