"""Overloads for custom rules (:func:`dualjit.rule`), for every number type.

Like the table's generated overloads (:mod:`.rules`), with one difference: the rule's
``derivatives`` function gives the value and the partials in one call. Plain floats and
other arguments go to the primal itself; interval numbers differentiate the primal's
own body unless the rule has an enclosure.
"""
from __future__ import annotations

from numba.core.errors import TypingError
from numba.extending import overload

from .interval import IntervalType
from .operators import WHOLE_ARRAY_HINT, is_number_array, number_operands
from .policy import JIT_OPTIONS, jitable_once
from .rules import NAN, _interval_binary_impl, _interval_unary_impl
from .types import NumberType

__all__ = ["register_custom_rule"]


def _order_or_error(custom, needed):
    try:
        order = custom.order
    except TypeError as e:
        raise TypingError(str(e)) from None
    if order < needed:
        raise TypingError(f"dualjit.rule {custom.name!r} gives first derivatives only "
                          f"(derivatives returns {'(y, f1)' if custom.arity == 1 else '(y, fx, fz)'}); "
                          "HyperDual numbers (second derivatives, hessian) need the second "
                          "partials too")
    return order


def _unary_impl(derivatives, alg, order):
    chain = alg.chain
    if order == 1:
        def impl(x):
            r = derivatives(x.value)
            y = float(r[0])
            return chain(x, y, float(r[1]) if y == y else NAN, 0.0)
    else:
        def impl(x):
            r = derivatives(x.value)
            y = float(r[0])
            if y != y:
                return chain(x, y, NAN, NAN)
            return chain(x, y, float(r[1]), float(r[2]))
    return impl


def _binary_impl(derivatives, alg, order, x_is_number, z_is_number):
    chain, chain2 = alg.chain, alg.chain2
    if x_is_number and z_is_number:
        if order == 1:
            def impl(x, z):
                r = derivatives(x.value, z.value)
                y = float(r[0])
                if y != y:
                    return chain2(x, z, y, NAN, NAN, 0.0, 0.0, 0.0)
                return chain2(x, z, y, float(r[1]), float(r[2]), 0.0, 0.0, 0.0)
        else:
            def impl(x, z):
                r = derivatives(x.value, z.value)
                y = float(r[0])
                if y != y:
                    return chain2(x, z, y, NAN, NAN, NAN, NAN, NAN)
                return chain2(x, z, y, float(r[1]), float(r[2]), float(r[3]), float(r[4]),
                              float(r[5]))
    elif x_is_number:
        if order == 1:
            def impl(x, z):
                r = derivatives(x.value, float(z))
                y = float(r[0])
                return chain(x, y, float(r[1]) if y == y else NAN, 0.0)
        else:
            def impl(x, z):
                r = derivatives(x.value, float(z))
                y = float(r[0])
                if y != y:
                    return chain(x, y, NAN, NAN)
                return chain(x, y, float(r[1]), float(r[3]))
    else:
        if order == 1:
            def impl(x, z):
                r = derivatives(float(x), z.value)
                y = float(r[0])
                return chain(z, y, float(r[2]) if y == y else NAN, 0.0)
        else:
            def impl(x, z):
                r = derivatives(float(x), z.value)
                y = float(r[0])
                if y != y:
                    return chain(z, y, NAN, NAN)
                return chain(z, y, float(r[2]), float(r[5]))
    return impl


def _is_interval(t) -> bool:
    return isinstance(t, IntervalType) or (isinstance(t, NumberType) and t.is_interval)


def _register_unary(custom):
    primal = custom.primal

    def typer(x):
        if is_number_array(x):
            raise TypingError(f"{custom.name} on an array of dualjit numbers: {WHOLE_ARRAY_HINT}")
        if _is_interval(x):
            if custom.enclosure is not None and isinstance(x, NumberType):
                return _interval_unary_impl(custom.rule, x.algebra, x.order)
            # Guaranteed enclosures of the primal's exact derivatives: its own body.
            return lambda x: primal(x)
        if isinstance(x, NumberType):
            order = _order_or_error(custom, x.order)
            return _unary_impl(custom.derivatives, x.algebra, min(order, x.order))
        return lambda x: primal(x)  # floats, ints, arrays of floats: the primal itself
    overload(custom, jit_options=JIT_OPTIONS, strict=False)(typer)


def _register_binary(custom):
    primal = custom.primal

    def typer(x, z):
        t = number_operands(custom.name, x, z)
        if t is None and (isinstance(x, IntervalType) or isinstance(z, IntervalType)):
            return lambda x, z: primal(x, z)
        if t is None:
            return lambda x, z: primal(x, z)
        if t.is_interval:
            if custom.enclosure is not None:
                return _interval_binary_impl(custom.rule, t.algebra, t.order,
                                             isinstance(x, NumberType), isinstance(z, NumberType))
            return lambda x, z: primal(x, z)
        order = _order_or_error(custom, t.order)
        return _binary_impl(custom.derivatives, t.algebra, min(order, t.order),
                            isinstance(x, NumberType), isinstance(z, NumberType))
    overload(custom, jit_options=JIT_OPTIONS, strict=False)(typer)


def register_custom_rule(custom) -> None:
    """Make ``custom`` (a :class:`dualjit.api.rule.CustomRule`) callable from compiled
    code on floats and on every dualjit number type."""
    if custom.enclosure is not None:
        enc = custom.enclosure
        for fn in (enc.primal, enc.first, enc.second):
            jitable_once(fn)
    (_register_unary if custom.arity == 1 else _register_binary)(custom)
