"""Hypothesis strategies generated from the rule table.

Each strategy runs the generator of :mod:`dualjit.validate.space` with Hypothesis'
``draw`` (so examples shrink), the same generators the ``dualjit validate`` runner
drives with a seeded NumPy RNG: one definition of the input space.

* :func:`rule_inputs` -- inputs inside a rule's domain (its sample ranges, uniform
  over float encodings, its special and kink points);
* :func:`programs` -- random straight-line programs over the rules, with constants, of
  bounded depth, with domain wrappers (:class:`~dualjit.validate.space.Program`);
* :func:`program_points` -- inputs for a given program;
* :func:`vector_programs` -- pairs (g: R^n -> R, G: R^n -> R^m);
* :func:`constants` -- the program constants.

Hypothesis is a test dependency; importing this module needs it.
"""
from __future__ import annotations

from hypothesis import strategies as st

from . import space
from .space import HypothesisDraw

__all__ = ["rule_inputs", "programs", "program_points", "vector_programs", "constants",
           "program_rules"]


def _rule(rule):
    if isinstance(rule, str):
        return space.rule_by_name(rule)
    return rule


def rule_inputs(rule) -> st.SearchStrategy:
    """Tuples (one float per argument) inside ``rule``'s domain (a Rule or a name)."""
    r = _rule(rule)
    return st.composite(lambda draw: space.draw_rule_input(HypothesisDraw(draw), r))()


def constants(lo: float = -10.0, hi: float = 10.0) -> st.SearchStrategy:
    """Program constants: nice values (±0.5, 1, 2, π, ...) or short uniform ones."""
    return st.composite(lambda draw: space.draw_constant(HypothesisDraw(draw), lo, hi))()


def program_rules() -> tuple:
    """Names of the unary rules programs draw from (and the binary ones used with a
    constant second argument)."""
    return space.PROGRAM_RULES + tuple(n for n, _ in space.BINARY_CONST_RULES)


def programs(max_depth: int = 3, *, nvars: int = 0, nout: int = 1, rules=None,
             name: str = "f") -> st.SearchStrategy:
    """Random programs (:class:`~dualjit.validate.space.Program`): scalar f(x) by
    default; ``nvars`` > 0 for f(x) with x a length-``nvars`` array, ``nout`` > 1 for an
    array result. ``rules``: restrict the unary rules (names)."""
    if max_depth < 0:
        raise ValueError(f"max_depth must be >= 0, got {max_depth}")
    return st.composite(lambda draw: space.draw_program(
        HypothesisDraw(draw), max_depth=max_depth, nvars=nvars, nout=nout, rules=rules,
        name=name))()


def program_points(program) -> st.SearchStrategy:
    """Inputs for ``program``: tuples of ``max(nvars, 1)`` floats."""
    return st.composite(lambda draw: space.draw_program_point(HypothesisDraw(draw), program))()


def vector_programs(max_depth: int = 3, nvars: int = 3, nout: int = 2,
                    rules=None) -> st.SearchStrategy:
    """Pairs (g, G) of vector programs: g: R^nvars -> R and G: R^nvars -> R^nout."""
    return st.tuples(programs(max_depth, nvars=nvars, nout=1, rules=rules, name="g"),
                     programs(max_depth, nvars=nvars, nout=nout, rules=rules, name="G"))
