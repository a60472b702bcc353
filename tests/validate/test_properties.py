"""The ``ci`` property profile as Hypothesis tests: random programs from the rule table,
compiled with Numba, every property checked at many points per program.

Compilation dominates (a few seconds per program and number type), so few programs are
drawn and each is checked at many points; derandomized, so CI runs are reproducible.
A failure prints a standalone reproducer (the program's source and the inputs in hex).
"""
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dualjit.validate import strategies as vs
from dualjit.validate.runner import check_scalar_program, check_vector_programs

CI = dict(deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate, Phase.shrink),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.filter_too_much])


def _report(res):
    lines = []
    for f in res["failures"]:
        lines += [f"[{f['property']}] {f['message']}", f["reproducer"], ""]
    return "\n".join(lines)


def _assert_no_failures(res):
    failed = {k: c["fail"] for k, c in res["counts"].items() if c["fail"]}
    assert not failed, f"failed checks {failed}:\n{_report(res)}"


@settings(max_examples=4, **CI)
@given(program=vs.programs(max_depth=3), data=st.data())
def test_scalar_programs(program, data):
    points = data.draw(st.lists(vs.program_points(program), min_size=30, max_size=30))
    res = check_scalar_program(program, points)
    _assert_no_failures(res)
    counts = res["counts"]
    assert counts["value_exact"]["pass"] == 30      # checked at every point
    assert counts["types_agree"]["pass"] == 30


@settings(max_examples=1, **CI)
@given(pair=vs.vector_programs(max_depth=2, nvars=3, nout=2), data=st.data())
def test_vector_programs(pair, data):
    g, G = pair
    points = data.draw(st.lists(vs.program_points(g), min_size=5, max_size=5))
    res = check_vector_programs(g, G, points, draw=None)
    _assert_no_failures(res)
    assert res["counts"]["hessian_symmetric"]["pass"] >= 5
