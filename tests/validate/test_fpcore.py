"""FPCore parsing, compilation to njit source, skip reasons, precondition sampling."""
import math
from fractions import Fraction

import numpy as np
import pytest

import dualjit
from dualjit.validate.fpcore import (CONSTANTS, OPERATORS, FPCoreSyntaxError, Number, Symbol,
                                     Unsupported, compile_fpcore, parse_fpcores,
                                     parse_precondition, parse_sexprs, sample_points)


def one(text):
    (core,) = parse_fpcores(text)
    return core


def test_reader_numbers_brackets_comments_strings():
    (e,) = parse_sexprs('; comment\n(f [x 1/3] 0x1.8p1 -2.5e-3 "a \\"q\\"" t*) ; end')
    assert e[0] == Symbol("f")
    assert e[1] == [Symbol("x"), Number(Fraction(1, 3), "1/3")]
    assert e[2].value == 3 and e[3].value == Fraction("-2.5e-3")
    assert e[4].value == 'a "q"' and e[5] == Symbol("t*")


@pytest.mark.parametrize("text", ["(a (b)", "(a))", "(a ]", ")"])
def test_reader_rejects_unbalanced(text):
    with pytest.raises(FPCoreSyntaxError):
        parse_sexprs(text)


def test_fpcore_form_name_props_precondition():
    core = one('(FPCore ident (x (! :precision binary64 y)) :name "n" :pre (<= 0 x 1) '
               '(+ x y))')
    assert core.args == ("x", "y") and core.ident == "ident" and core.name == "n"
    assert core.precision == "binary64" and core.pre is not None


def test_compile_numbers_are_rounded_once_from_their_exact_value():
    comp = compile_fpcore(one("(FPCore (x) (+ x (+ 1/3 (+ 0x1.8p1 (+ 1e-400 PI)))))"))
    f, fs = comp.load(njit=False)
    assert fs(0.0) == 1 / 3 + (3.0 + (0.0 + math.pi))
    assert repr(1 / 3) in comp.source


def test_compile_let_let_star_if_and_comparisons_match_python():
    src = """(FPCore (x y)
      (let ([a (* x 2)] [b y])
        (let* ([a (+ a 1)] [c (* a b)])
          (if (and (< 0 x 10) (not (== y 3)) (!= x y 7))
              (- c)
              (fmax (fabs c) (sqrt (hypot x y)))))))"""
    comp = compile_fpcore(one(src))
    f, fs = comp.load()  # numba compiles it
    for x, y in [(1.0, 2.0), (11.0, 2.0), (1.0, 3.0), (7.0, 1.0), (-2.0, 5.0)]:
        a = x * 2 + 1
        c = a * y
        if 0 < x < 10 and y != 3 and x != y and x != 7 and y != 7:
            want = -c
        else:
            want = max(abs(c), math.sqrt(math.hypot(x, y)))
        assert fs(x, y) == want and f(np.array([x, y])) == want


def test_let_is_parallel_and_shadowing_works():
    comp = compile_fpcore(one("(FPCore (x) (let ([x (+ x 1)] [y x]) (- x y)))"))
    _, fs = comp.load(njit=False)
    assert fs(5.0) == 1.0  # y is bound to the outer x


def test_names_are_sanitised_and_do_not_clash():
    comp = compile_fpcore(one("(FPCore (f v t*) (let ([t* (* f v)]) (+ t* t*)))"))
    f, fs = comp.load()
    assert fs(2.0, 3.0, 0.0) == 12.0 and f(np.array([2.0, 3.0, 0.0])) == 12.0


def test_every_operator_is_a_dualjit_target():
    supported = {t for targets in dualjit.supported_functions().values() for t in targets}
    for op, (py, _) in OPERATORS.items():
        assert py.replace("np.", "numpy.") in supported, op


def test_constants():
    assert CONSTANTS["PI"] == math.pi and CONSTANTS["E"] == math.e
    assert CONSTANTS["SQRT2"] == math.sqrt(2)
    _, fs = compile_fpcore(one("(FPCore (x) (if (< x 0) INFINITY NAN))")).load(njit=False)
    assert fs(-1.0) == math.inf and math.isnan(fs(1.0))


def test_ieee_division_by_zero():
    f, fs = compile_fpcore(one("(FPCore (x) (/ 1 x))")).load()
    assert fs(0.0) == math.inf


@pytest.mark.parametrize("text, key", [
    ("(FPCore (x) (fma x x x))", "operator fma"),
    ("(FPCore (x) (+ (fdim x 1) x))", "operator fdim"),
    ("(FPCore (x) (while (< x 1) ([x x (* 2 x)]) x))", "construct while"),
    ("(FPCore (x) (while* (< x 1) ([x x (* 2 x)]) x))", "construct while*"),
    ("(FPCore (x) :precision binary32 (+ x 1))", "precision binary32"),
    ("(FPCore (x) (! :precision binary32 (+ x 1)))", "precision binary32"),
    ("(FPCore ((! :precision binary32 x)) (+ x 1))", "precision binary32"),
    ("(FPCore (x) (array x x))", "construct array"),
    ("(FPCore ((v 3)) (ref v 0))", "argument tensor"),
])
def test_skip_reasons_name_the_operator_or_construct(text, key):
    with pytest.raises(Unsupported) as info:
        compile_fpcore(one(text))
    assert info.value.key == key


def test_precondition_intervals_and_residual_predicate():
    core = one("(FPCore (x y z w) :pre (and (<= -1 x 2) (< 0 y) (>= 5 z) (<= w 0 1) "
               "(!= x 0)) (+ x y z w))")
    pre = parse_precondition(core)
    assert pre.intervals == {"x": (-1.0, 2.0), "y": (0.0, math.inf),
                             "z": (-math.inf, 5.0), "w": (-math.inf, 0.0)}
    assert not pre.holds((0.0, 1.0, 1.0, 0.0))      # x != 0
    assert not pre.holds((1.0, 0.0, 1.0, 0.0))      # strict 0 < y
    assert pre.holds((1.0, 1e-300, 1.0, -1.0))


def test_sampling_respects_the_precondition_and_mixes_modes():
    core = one("(FPCore (x y) :pre (and (<= 1/10 x 3/2) (<= 1 y 1e6) (< x y) (!= y 2)) (+ x y))")
    pre = parse_precondition(core)
    pts, origins, tries = sample_points(pre, 40, np.random.default_rng(1))
    assert pts.shape == (40, 2) and set(origins) == {"uniform", "bits"}
    assert np.all((pts[:, 0] >= 0.1) & (pts[:, 0] <= 1.5)) and np.all(pts[:, 1] > pts[:, 0])
    again, _, _ = sample_points(pre, 40, np.random.default_rng(1))
    assert np.array_equal(pts, again)               # deterministic for a seed
    # bits mode reaches tiny and huge magnitudes in the box
    assert pts[:, 1].max() > 1e3 and tries >= 40


def test_sampling_accept_filter_and_empty_box():
    core = one("(FPCore (x) :pre (<= 2 x 1) x)")
    pts, _, _ = sample_points(parse_precondition(core), 5, np.random.default_rng(0))
    assert pts.shape == (0, 1)
    core = one("(FPCore (x) (sqrt x))")
    pts, _, _ = sample_points(parse_precondition(core), 10, np.random.default_rng(0),
                              accept=lambda p: p[0] >= 0)
    assert np.all(pts >= 0)
