"""Dual and HyperDual as values: construction, boxing, repr, arithmetic, mixing, errors."""
import math
import operator

import numba
import numpy as np
import pytest

import dualjit
from dualjit import Dual, HyperDual


# --- construction and boxing --------------------------------------------------------

def test_dual_construction_and_attributes():
    d = Dual(3, 2)
    assert (d.value, d.partials, d.derivative) == (3.0, (2.0,), 2.0)
    v = Dual(1.5, [1, 0, -2])
    assert v.partials == (1.0, 0.0, -2.0)
    with pytest.raises(AttributeError, match="one partial"):
        v.derivative
    assert repr(d) == "Dual(3.0, 2.0)" and repr(v) == "Dual(1.5, (1.0, 0.0, -2.0))"


def test_hyperdual_construction_and_repr():
    h = HyperDual(2.0, 1.0, 1.0)
    assert (h.value, h.e1, h.e2, h.e12) == (2.0, (1.0,), (1.0,), (0.0,))
    assert repr(h) == "HyperDual(2.0, 1.0, 1.0, 0.0)"
    block = HyperDual(1.0, (1.0, 0.0), (0.0, 1.0, 0.0))
    assert len(block.e12) == 6
    with pytest.raises(ValueError, match="e12 must hold"):
        HyperDual(1.0, (1.0, 0.0), 1.0, (0.0,))


@pytest.mark.parametrize("bad", ["1.0", 1j, None, True, [1.0]])
def test_dual_value_must_be_real(bad):
    with pytest.raises(TypeError, match="value must be a real number"):
        Dual(bad, 1.0)


def test_partials_must_be_real_and_nonempty():
    with pytest.raises(TypeError, match=r"partials\[1\] must be a real number"):
        Dual(1.0, (1.0, "x"))
    with pytest.raises(ValueError, match="at least one partial"):
        Dual(1.0, ())


@numba.njit
def _roundtrip(d, h):
    return d, h, Dual(d.value * 2.0, d.partials), HyperDual(1.0, 2.0, 3.0, 4.0)


def test_boxing_roundtrip_through_njit():
    d, h, d2, h2 = _roundtrip(Dual(1.5, (1.0, -1.0)), HyperDual(0.5, (1.0, 2.0), 3.0, (4.0, 5.0)))
    assert (d.value, d.partials) == (1.5, (1.0, -1.0))
    assert (h.e1, h.e2, h.e12) == ((1.0, 2.0), (3.0,), (4.0, 5.0))
    assert d2.value == 3.0 and h2.e12 == (4.0,)


# --- arithmetic in both orders, with ints and floats ----------------------------------

OPS = [operator.add, operator.sub, operator.mul, operator.truediv]


_APPLY = {op: numba.njit(lambda a, b, op=op: op(a, b)) for op in OPS}


def _check(result, value, partial):
    assert result.value == value and result.partials[0] == pytest.approx(partial, rel=1e-15)


@pytest.mark.parametrize("op", OPS, ids=lambda o: o.__name__)
def test_arithmetic_with_numbers_in_both_orders(op):
    # derivative of op(x, c) and op(c, x) at x = 3, with c an int or a float
    x = Dual(3.0, 1.0)
    expected = {operator.add: (1.0, 1.0), operator.sub: (1.0, -1.0),
                operator.mul: (2.0, 2.0), operator.truediv: (0.5, -2.0 / 9.0)}[op]
    for c in (2, 2.0):
        for result, value, partial in ((_APPLY[op](x, c), op(3.0, c), expected[0]),
                                       (_APPLY[op](c, x), op(c, 3.0), expected[1]),
                                       (op(x, c), op(3.0, c), expected[0]),
                                       (op(c, x), op(c, 3.0), expected[1])):
            _check(result, value, partial)


@numba.njit
def _inplace(x):
    y = x
    y += 1.0
    y *= x
    y -= 2
    y /= x
    y **= 2
    return y, -x, +x


def test_inplace_and_unary_operators():
    y, neg, pos = _inplace(Dual(2.0, 1.0))
    # y = ((x+1)x - 2)/x)^2 = (x + 1 - 2/x)^2 ; at 2: 4; y' = 2(x+1-2/x)(1+2/x^2) = 6
    assert y.value == 4.0 and y.partials[0] == pytest.approx(6.0, rel=1e-15)
    assert (neg.value, neg.partials) == (-2.0, (-1.0,)) and pos.partials == (1.0,)


@numba.njit
def _compare(x, y):
    return (x < y, x <= y, x > y, x >= y, x == y, x != y, x < 3.0, 1 < x, bool(x))


def test_comparisons_use_the_value():
    assert _compare(Dual(1.0, 5.0), Dual(2.0, -5.0)) == (True, True, False, False, False, True,
                                                          True, False, True)
    assert Dual(1.0, 2.0) == Dual(1.0, 3.0) and Dual(1.0, 1.0) < 2


# --- mixing floats and duals in user code ---------------------------------------------

@numba.njit
def _sum_of_squares(x):
    s = 0.0
    for i in range(len(x)):
        s += x[i] * x[i]
    return s


@numba.njit
def _fill(x):
    out = dualjit.empty_like(x)
    for i in range(len(x)):
        out[i] = 3.0 if i == 0 else x[i] * 2
    return out[0] + out[1]


def test_float_accumulator_becomes_a_dual():
    assert dualjit.gradient(_sum_of_squares, [1.0, 2.0, -3.0]).tolist() == [2.0, 4.0, -6.0]
    assert _sum_of_squares(np.array([1.0, 2.0])) == 5.0  # the plain function is untouched


def test_float_stored_into_a_dual_array_is_a_constant():
    assert dualjit.gradient(_fill, [5.0, 7.0]).tolist() == [0.0, 2.0]


@numba.njit
def _array_features(x):
    n, = x.shape
    tail = x[1:]
    t = 0.0
    for v in tail:
        t += v
    y = dualjit.zeros_like(x)
    m = dualjit.zeros((2, 2), x)
    m[0, 1] = x[0]
    return t + len(x) * y[0] + m[0, 1] * n


def test_array_operations_on_dual_arrays():
    assert dualjit.gradient(_array_features, [1.0, 2.0, 3.0]).tolist() == [3.0, 1.0, 1.0]


@numba.njit
def _returns_dual_array(x):
    out = dualjit.empty(2, x)
    out[0], out[1] = x[0] * 2.0, x[0] + x[1]
    return out


def test_dual_array_returned_to_python_is_a_structured_array():
    @numba.njit
    def make():
        x = dualjit.empty(2, Dual(0.0, (0.0, 0.0)))
        x[0], x[1] = Dual(1.0, (1.0, 0.0)), Dual(2.0, (0.0, 1.0))
        return _returns_dual_array(x)

    out = make()
    assert out.dtype.names == ("value", "partials")
    assert out["value"].tolist() == [2.0, 3.0]
    assert out["partials"].tolist() == [[2.0, 0.0], [1.0, 1.0]]
    assert dualjit.jacobian(_returns_dual_array, [1.0, 2.0]).tolist() == [[2.0, 0.0], [1.0, 1.0]]


# --- what must be refused --------------------------------------------------------------

def test_float_of_a_dual_is_refused_inside_njit():
    @numba.njit
    def f(x):
        return float(x)

    with pytest.raises(numba.core.errors.TypingError, match="silently drop its derivative"):
        f(Dual(1.0, 1.0))
    with pytest.raises(TypeError, match="silently drop"):
        float(Dual(1.0, 1.0))


def test_mixing_number_types_is_refused():
    @numba.njit
    def f(a, b):
        return a + b

    with pytest.raises(numba.core.errors.TypingError, match="cannot combine"):
        f(Dual(1.0, 1.0), Dual(1.0, (1.0, 0.0)))
    with pytest.raises(numba.core.errors.TypingError, match="cannot combine"):
        f(Dual(1.0, 1.0), HyperDual(1.0, 1.0, 1.0))


def test_unsupported_function_names_itself_and_the_list():
    @numba.njit
    def f(x):
        return np.sinc(x)

    with pytest.raises(numba.core.errors.TypingError, match=r"no derivative rule for numpy\.sinc.*supported"):
        f(Dual(1.0, 1.0))


def test_nan_and_out_of_domain_propagate():
    r = numba.njit(lambda x: math.log(x) + math.sqrt(x))(Dual(-1.0, 1.0))
    assert math.isnan(r.value) and math.isnan(r.partials[0])
    r = numba.njit(lambda x: x / 0.0)(Dual(1.0, 1.0))
    assert r.value == math.inf and r.partials[0] == math.inf


def test_many_partials_compile_and_agree():
    # 33 partials and a 6x6 hyper-dual block cross Python's 30-element tuple-display limit.
    f = numba.njit(lambda x: math.sin(x) * x / (1.0 + x * x))
    seeds = tuple((-1.0) ** k * 2.0 ** (k % 11 - 5) for k in range(33))  # exact scalings
    many = f(Dual(0.7, seeds))
    one = f(Dual(0.7, 1.0))
    assert many.partials == tuple(one.partials[0] * s for s in seeds)
    unit = tuple(1.0 if k == 0 else 0.0 for k in range(6))
    h = f(HyperDual(0.7, unit, unit))
    assert h.e12[0] == f(HyperDual(0.7, 1.0, 1.0)).e12[0] and h.e12[1:] == (0.0,) * 35


@numba.njit(error_model="numpy")
def _literal_powers(x):
    return x ** -2, x ** 0, x ** 1, x ** 2, x ** 3, x ** 5


@numba.njit(error_model="numpy")
def _runtime_power(x, n):
    return x ** n


EXPONENTS = (-2, 0, 1, 2, 3, 5)


@pytest.mark.parametrize("x", [-1.7, 0.3, 2.5])
def test_integer_powers_literal_and_runtime(x):
    # Literal exponents take an unrolled path, run-time ones Numba's power loop: both give
    # the plain program's value and the exact-rule derivatives.
    plain = _literal_powers(x)
    duals, hypers = _literal_powers(Dual(x, 1.0)), _literal_powers(HyperDual(x, 1.0, 1.0, 0.0))
    for n, p, d, h in zip(EXPONENTS, plain, duals, hypers):
        assert d.value == p == h.value
        assert d.partials[0] == pytest.approx(0.0 if n == 0 else n * x ** (n - 1), rel=1e-15)
        assert h.e12[0] == pytest.approx(0.0 if n in (0, 1) else n * (n - 1) * x ** (n - 2), rel=1e-15)
        r = _runtime_power(Dual(x, 1.0), n)
        assert r.value == _runtime_power(x, n) and r.partials[0] == pytest.approx(d.partials[0], rel=1e-15)
