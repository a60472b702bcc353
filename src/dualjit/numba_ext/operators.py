"""Arithmetic, in-place arithmetic and comparisons for every number type.

The implementations are the types' own algebra functions (dualjit.types.*); this module
only decides, from the operand types, which algebra function serves a call.
"""
from __future__ import annotations

import operator

from numba.core import types
from numba.core.errors import TypingError
from numba.extending import overload, register_jitable

from .policy import JIT_OPTIONS
from .interval import IntervalType
from .types import REAL, DualType, HyperDualType, NumberType

ALGEBRAS = (DualType.algebra, HyperDualType.algebra)
_ALGEBRA_FUNCTIONS = ("lift", "add", "add_const", "sub", "sub_const", "const_sub", "neg",
                      "mul", "mul_const", "div", "div_const", "const_div", "chain", "chain2")
for _alg in ALGEBRAS:
    for _fname in _ALGEBRA_FUNCTIONS:
        register_jitable(**JIT_OPTIONS)(getattr(_alg, _fname))


def is_number_array(t) -> bool:
    return isinstance(t, types.Array) and isinstance(t.dtype, NumberType)


WHOLE_ARRAY_HINT = ("whole-array operations on arrays of dualjit numbers are not supported "
                    "yet; write the loop over the elements (for i in range(len(x)): ...)")


def number_operands(opname, *argtypes):
    """The common NumberType of the operands, None if none is one; errors on mixtures."""
    if any(is_number_array(t) for t in argtypes):
        raise TypingError(f"{opname} on {', '.join(map(str, argtypes))}: {WHOLE_ARRAY_HINT}")
    nums = [t for t in argtypes if isinstance(t, NumberType)]
    if not nums:
        return None
    if any(isinstance(t, IntervalType) for t in argtypes) and not nums[0].is_interval:
        raise TypingError(f"{opname}: cannot combine {' and '.join(map(str, argtypes))}; an "
                          "Interval combines with numbers whose components are Intervals "
                          "(Dual(Interval(x), Interval(1.0)))")
    if any(not (isinstance(t, NumberType) or nums[0].is_constant(t)) for t in argtypes):
        return None  # leave arrays, complex, ... to Numba (and its error message)
    if any(t != nums[0] for t in nums):
        raise TypingError(f"{opname}: cannot combine {' and '.join(map(str, argtypes))}; "
                          "both operands must be the same number type with the same partials")
    return nums[0]


def _register_binary(ops, same, with_const, const_with=None):
    """x OP y with (number, number), (number, real) and (real, number) operands."""
    def typer(x, y):
        t = number_operands(ops[0].__name__, x, y)
        if t is None:
            return None
        alg = t.algebra
        if isinstance(x, NumberType) and isinstance(y, NumberType):
            return getattr(alg, same)
        if isinstance(x, NumberType):
            fn = getattr(alg, with_const)
            return lambda x, y: fn(x, y)
        if const_with is None:  # commutative: c OP x == x OP c
            fn = getattr(alg, with_const)
            return lambda x, y: fn(y, x)
        fn = getattr(alg, const_with)
        return lambda x, y: fn(x, y)
    for op in ops:
        overload(op, jit_options=JIT_OPTIONS)(typer)


_register_binary((operator.add, operator.iadd), "add", "add_const")
_register_binary((operator.mul, operator.imul), "mul", "mul_const")
_register_binary((operator.sub, operator.isub), "sub", "sub_const", "const_sub")
_register_binary((operator.truediv, operator.itruediv), "div", "div_const", "const_div")


@overload(operator.neg, jit_options=JIT_OPTIONS)
def _neg(x):
    if isinstance(x, NumberType):
        return x.algebra.neg


@overload(operator.pos, jit_options=JIT_OPTIONS)
def _pos(x):
    if isinstance(x, NumberType):
        return lambda x: x


def value_of(x):
    """The float value of a real number or a dualjit number (compiled per type)."""
    return getattr(x, "value", x)


@overload(value_of, jit_options=JIT_OPTIONS)
def _value_of(x):
    if isinstance(x, NumberType):
        return lambda x: x.value
    if isinstance(x, REAL + (IntervalType,)):
        return lambda x: x


def _register_comparison(op):
    def typer(x, y):
        if number_operands(op.__name__, x, y) is not None:
            return lambda x, y: op(value_of(x), value_of(y))
    overload(op, jit_options=JIT_OPTIONS)(typer)


for _op in (operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne):
    _register_comparison(_op)


@overload(float)
def _float(x):
    if isinstance(x, NumberType):
        raise TypingError(f"float() of a {x} would silently drop its derivative; take the "
                          "value explicitly with x.value")


@overload(int)
def _int(x):
    if isinstance(x, NumberType):
        raise TypingError(f"int() of a {x} would silently drop its derivative; take the "
                          "value explicitly with int(x.value)")


@overload(bool)
def _bool(x):
    if isinstance(x, NumberType):
        return lambda x: x.value != 0.0


__all__ = ["number_operands", "value_of", "is_number_array", "WHOLE_ARRAY_HINT", "ALGEBRAS"]
