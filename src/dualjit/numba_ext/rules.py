"""Overloads generated from the rule table, for every number type.

For each rule and each of its targets (math.sin, np.sin, ...), one overload computes
the value by calling the target itself on the float value (so it is bit-for-bit what
the plain program computes), the derivatives from the rule's formulas, and hands them
to the number type's chain rule. Hand-written exceptions are marked as such.
"""
from __future__ import annotations

import math
import operator

import numpy as np
from numba.core import types
from numba.core.errors import TypingError
from numba.extending import overload

from ..rules import RULES, SCALAR_KERNELS
from ..rules import enclosures
from .interval import IntervalType, as_interval
from .operators import WHOLE_ARRAY_HINT, is_number_array, number_operands
from .policy import JIT_OPTIONS, jitable_once
from .types import REAL, NumberType

SUPPORTED_HINT = "see dualjit.supported_functions() (or docs/rules.md) for the supported list"

# Exception: Numba has no float64 implementation of these math functions; give them the
# NumPy one so that plain floats and duals both work in user code.
FLOAT_FALLBACKS = {getattr(math, "cbrt", None): np.cbrt, math.fmod: np.fmod}
FLOAT_FALLBACKS.pop(None, None)

# Exception: Numba's math.floor/ceil/trunc return an int, like the primal. Their
# derivative is identically zero, so the int loses nothing and keeps indexing working.
INT_VALUED = (math.floor, math.ceil, math.trunc)

# Exception: x ** n with an integer n uses Numba's exact repeated multiplication for the
# value, and n * x**(n-1) for the derivative (no log, defined for negative x).
POW_TARGETS = (operator.pow, operator.ipow, pow, math.pow, np.power)

ALL_TARGETS = frozenset(t for r in RULES for t in r.targets)


def _own_function(fn) -> bool:
    """A dualjit function (sigmoid, ...): its float version is registered here too."""
    return getattr(fn, "__module__", "").startswith("dualjit")


for _kernel in SCALAR_KERNELS:
    jitable_once(_kernel)
for _rule in RULES:
    jitable_once(_rule.first)
    jitable_once(_rule.second)
    if _rule.enclosure is not None:
        for _fn in (_rule.enclosure.primal, _rule.enclosure.first, _rule.enclosure.second):
            jitable_once(_fn)


# Convention, applied here once for every rule: where the value is NaN (outside the
# domain, as log(-1), or a NaN input) every derivative is NaN too, as in NumPy; a formula
# such as log' = 1/x would otherwise return a finite number for an undefined value.
NAN = float("nan")


def _is_nan(y):
    return y != y


def _never(y):
    # Interval values: an empty or NaN-free enclosure is never "NaN" here.
    return False


def _to_float(v):
    return float(v)


for _fn in (_is_nan, _never, _to_float):
    jitable_once(_fn)


def _unary_chain_impl(value, first, second, alg, order, undefined):
    """f(x) for a number x: ``value``/``first``/``second`` evaluate the rule on the
    value part (floats: the target and the row's formulas; intervals: the enclosure);
    where ``undefined(y)`` every partial is NaN."""
    chain = alg.chain
    if order == 1:
        def impl(x):
            a = x.value
            y = value(a)
            if undefined(y):
                return chain(x, y, NAN, 0.0)
            return chain(x, y, first(a, y), 0.0)
    else:
        def impl(x):
            a = x.value
            y = value(a)
            if undefined(y):
                return chain(x, y, NAN, NAN)
            d1 = first(a, y)
            return chain(x, y, d1, second(a, y, d1))
    return impl


def _binary_chain_impl(value, first, second, alg, order, x_is_number, z_is_number,
                       constant, undefined):
    """f(x, z) with one or both arguments numbers (the other a constant, converted by
    ``constant``); see :func:`_unary_chain_impl`."""
    chain, chain2 = alg.chain, alg.chain2
    if x_is_number and z_is_number:
        def impl(x, z):
            a, b = x.value, z.value
            y = value(a, b)
            if undefined(y):
                return chain2(x, z, y, NAN, NAN, NAN, NAN, NAN)
            fx, fz = first(a, b, y)
            if order == 1:
                return chain2(x, z, y, fx, fz, 0.0, 0.0, 0.0)
            fxx, fxz, fzz = second(a, b, y, fx, fz)
            return chain2(x, z, y, fx, fz, fxx, fxz, fzz)
    elif x_is_number:
        def impl(x, z):
            a, b = x.value, constant(z)
            y = value(a, b)
            if undefined(y):
                return chain(x, y, NAN, NAN)
            fx, fz = first(a, b, y)
            if order == 1:
                return chain(x, y, fx, 0.0)
            return chain(x, y, fx, second(a, b, y, fx, fz)[0])
    else:
        def impl(x, z):
            a, b = constant(x), z.value
            y = value(a, b)
            if undefined(y):
                return chain(z, y, NAN, NAN)
            fx, fz = first(a, b, y)
            if order == 1:
                return chain(z, y, fz, 0.0)
            return chain(z, y, fz, second(a, b, y, fx, fz)[2])
    return impl


def _unary_impl(target, rule, alg, order):
    return _unary_chain_impl(target, rule.first, rule.second, alg, order, _is_nan)


def _binary_impl(target, rule, alg, order, x_is_number, z_is_number):
    return _binary_chain_impl(target, rule.first, rule.second, alg, order, x_is_number,
                              z_is_number, _to_float, _is_nan)


# --- interval components: every formula is the rule's enclosure --------------------------

def _no_enclosure(rule):
    return TypingError(f"dualjit has no interval extension for {rule.name} yet; "
                       f"{SUPPORTED_HINT}")


def _interval_unary_impl(rule, alg, order):
    enc = rule.enclosure
    if enc is None:
        raise _no_enclosure(rule)
    return _unary_chain_impl(enc.primal, enc.first, enc.second, alg, order, _never)


def _interval_binary_impl(rule, alg, order, x_is_number, z_is_number):
    enc = rule.enclosure
    if enc is None:
        raise _no_enclosure(rule)
    return _binary_chain_impl(enc.primal, enc.first, enc.second, alg, order, x_is_number,
                              z_is_number, as_interval, _never)


def _interval_power_impl(alg, order):
    """x ** n for an integer n: the integer power of the interval (defined for x < 0)."""
    powi, chain = enclosures.powi, alg.chain

    def impl(x, z):
        xv = x.value
        y = powi(xv, z)
        if z == 0:
            return chain(x, y, 0.0, 0.0)
        d1 = float(z) * powi(xv, z - 1)
        if order == 1 or z == 1:
            return chain(x, y, d1, 0.0)
        return chain(x, y, d1, float(z * (z - 1)) * powi(xv, z - 2))
    return impl


def _plain_interval_impl(rule, arity):
    """math.sin(Interval) and friends: the rule's enclosure of the primal."""
    if rule.enclosure is None:
        raise _no_enclosure(rule)
    primal = rule.enclosure.primal
    if arity == 1:
        return lambda x: primal(x)
    return lambda x, z: primal(as_interval(x), as_interval(z))


def _literal_power_impl(alg, order, n):
    """x ** n for a literal n: every power below is a literal too, so Numba unrolls them
    into multiplications (the value is exactly what the plain x ** n computes)."""
    chain = alg.chain
    n1, n2 = n - 1, n - 2
    c1, c2 = float(n), float(n * (n - 1))
    if n == 0:
        return lambda x, z: chain(x, x.value ** 0, 0.0, 0.0)
    if n == 1:
        return lambda x, z: chain(x, x.value ** 1, 1.0, 0.0)

    def impl(x, z):
        a = x.value
        y = a ** n
        if y != y:
            return chain(x, y, NAN, NAN)
        d2 = 0.0 if order == 1 else c2 * a ** n2
        return chain(x, y, c1 * a ** n1, d2)
    return impl


def _int_power_impl(alg, order):
    chain = alg.chain

    def impl(x, z):  # z: the integer exponent
        a = x.value
        y = a ** z
        if y != y:
            return chain(x, y, NAN, NAN)
        if z == 0:
            return chain(x, y, 0.0, 0.0)
        d1 = z * a ** (z - 1)
        d2 = 0.0 if order == 1 or z == 1 else z * (z - 1) * a ** (z - 2)
        return chain(x, y, d1, d2)
    return impl


def _float_impl(target, arity):
    """Plain floats: dualjit's own functions compile their own body; the FLOAT_FALLBACKS
    call the NumPy function."""
    if target not in FLOAT_FALLBACKS:
        return target
    fn = FLOAT_FALLBACKS[target]
    if arity == 1:
        return lambda x: fn(x)
    return lambda x, z: fn(x, z)


def _register_unary(target, rule):
    def typer(x):
        if isinstance(x, IntervalType):
            return _plain_interval_impl(rule, 1)
        if isinstance(x, NumberType) and x.is_interval:
            return _interval_unary_impl(rule, x.algebra, x.order)
        if isinstance(x, NumberType):
            if target in INT_VALUED:
                return lambda x: target(x.value)
            return _unary_impl(target, rule, x.algebra, x.order)
        if isinstance(x, REAL) and (_own_function(target) or target in FLOAT_FALLBACKS):
            return _float_impl(target, 1)
    # strict=False: dualjit's own functions name their parameters freely (logit(p)).
    overload(target, jit_options=JIT_OPTIONS, strict=False)(typer)


def _register_binary(target, rule):
    def typer(x, z):
        t = number_operands(rule.name, x, z)
        if t is None and (isinstance(x, IntervalType) or isinstance(z, IntervalType)):
            if isinstance(x, (IntervalType,) + REAL) and isinstance(z, (IntervalType,) + REAL):
                if target in POW_TARGETS and isinstance(z, types.Integer):
                    return lambda x, z: enclosures.powi(x, z)
                return _plain_interval_impl(rule, 2)
            return None
        if t is not None and t.is_interval:
            if target in POW_TARGETS and isinstance(x, NumberType) and isinstance(z, types.Integer):
                return _interval_power_impl(t.algebra, t.order)
            return _interval_binary_impl(rule, t.algebra, t.order, isinstance(x, NumberType),
                                         isinstance(z, NumberType))
        if t is None:
            if isinstance(x, REAL) and isinstance(z, REAL) and (
                    _own_function(target) or target in FLOAT_FALLBACKS):
                return _float_impl(target, 2)
            return None
        if target in POW_TARGETS and isinstance(x, NumberType) and isinstance(z, types.IntegerLiteral):
            return _literal_power_impl(t.algebra, t.order, z.literal_value)
        if target in POW_TARGETS and isinstance(x, NumberType) and isinstance(z, types.Integer):
            return _int_power_impl(t.algebra, t.order)
        return _binary_impl(target, rule, t.algebra, t.order,
                            isinstance(x, NumberType), isinstance(z, NumberType))
    overload(target, jit_options=JIT_OPTIONS, strict=False)(typer)


# x **= y is x = x ** y: a rule for operator.pow serves operator.ipow too.
INPLACE_FORMS = {operator.pow: operator.ipow}

for _rule in RULES:
    if _rule.algebra:
        continue  # + - * / are the number types' own algebra (numba_ext.operators)
    _targets = _rule.targets + tuple(INPLACE_FORMS[t] for t in _rule.targets
                                     if t in INPLACE_FORMS and INPLACE_FORMS[t] not in _rule.targets)
    for _target in _targets:
        (_register_unary if _rule.arity == 1 else _register_binary)(_target, _rule)


# --- a clear error for functions the table does not cover -------------------------

def _unsupported(name):
    def typer(*args, **kwargs):
        if any(is_number_array(a) for a in args):
            raise TypingError(f"{name} on an array of dualjit numbers: {WHOLE_ARRAY_HINT}")
        if any(isinstance(a, NumberType) for a in args):
            raise TypingError(f"dualjit has no derivative rule for {name}; {SUPPORTED_HINT}")
        if any(isinstance(a, IntervalType) for a in args):
            raise TypingError(f"dualjit has no interval extension for {name}; {SUPPORTED_HINT}")
    return typer


# NumPy functions (not ufuncs) that Numba supports and users apply to scalars or arrays.
NUMPY_FUNCTIONS = ("sinc", "sum", "prod", "mean", "dot", "cumsum", "linalg.norm", "var", "std",
                   "max", "min", "amax", "amin", "sort", "diff", "interp", "i0", "clip", "round")


def _uncovered_callables():
    for name in dir(math):
        fn = getattr(math, name)
        if callable(fn) and not name.startswith("_") and fn not in ALL_TARGETS:
            yield f"math.{name}", fn
    for name in dir(np):
        fn = getattr(np, name)
        if isinstance(fn, np.ufunc) and fn.nin in (1, 2):
            yield f"numpy.{name}", fn  # arrays of duals need the hint even for covered ufuncs
    for name in NUMPY_FUNCTIONS:
        fn = np
        for part in name.split("."):
            fn = getattr(fn, part, None)
        if fn is not None:
            yield f"numpy.{name}", fn


for _qualname, _fn in _uncovered_callables():
    try:
        overload(_fn)(_unsupported(_qualname))
    except Exception:  # pragma: no cover - a callable Numba refuses to overload
        pass
