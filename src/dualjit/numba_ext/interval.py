"""The native Interval type: typing, data model, construction, casts, boxing, operators.

The arithmetic is :mod:`dualjit.types.interval` compiled as is; this module only tells
Numba what an Interval is and which algebra function serves each operator. The section
layout follows Numba's interval-type tutorial.
"""
from __future__ import annotations

import operator

from numba.core import cgutils, types
from numba.core.errors import TypingError
from numba.core.imputils import lower_constant
from numba.core.typeconv import Conversion
from numba.extending import (NativeValue, box, intrinsic, lower_cast, make_attribute_wrapper,
                             models, overload, overload_attribute, overload_method,
                             register_model, typeof_impl, unbox)

from ..rules.enclosures import INTERVAL_KERNELS
from ..types import interval as I
from ..types.interval import Interval
from .policy import JIT_OPTIONS, jitable_once

F64 = types.float64
REAL = (types.Integer, types.Float, types.Boolean)


# --- typing -------------------------------------------------------------------------------

class IntervalType(types.Type):
    """[lo, hi]: a closed interval of reals with float64 bounds."""

    def __init__(self):
        super().__init__(name="Interval")

    def unify(self, typingctx, other):
        # `p * c if p != 0.0 else 0.0` in the partials algebra: the branches unify
        if isinstance(other, REAL):
            return self
        return None

    def can_convert_from(self, typingctx, other):
        if isinstance(other, REAL):
            return Conversion.safe
        return None


interval_type = IntervalType()


@typeof_impl.register(Interval)
def _typeof_interval(val, c):
    return interval_type


# --- data model ---------------------------------------------------------------------------

@register_model(IntervalType)
class IntervalModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("lo", F64), ("hi", F64)])


make_attribute_wrapper(IntervalType, "lo", "lo")
make_attribute_wrapper(IntervalType, "hi", "hi")


# --- construction -------------------------------------------------------------------------

def _struct(context, builder, lo, hi):
    s = cgutils.create_struct_proxy(interval_type)(context, builder)
    s.lo, s.hi = lo, hi
    return s._getvalue()


@intrinsic
def new_interval(typingctx, lo, hi):
    """[lo, hi] without checks (the algebra's constructor)."""
    if not (isinstance(lo, REAL) and isinstance(hi, REAL)):
        raise TypingError(f"Interval bounds must be real numbers, got {lo} and {hi}")

    def codegen(context, builder, sig, args):
        return _struct(context, builder, context.cast(builder, args[0], sig.args[0], F64),
                       context.cast(builder, args[1], sig.args[1], F64))
    return interval_type(lo, hi), codegen


@overload(I.make, jit_options=JIT_OPTIONS)
def _make(lo, hi):
    return lambda lo, hi: new_interval(lo, hi)


@overload(Interval, jit_options=JIT_OPTIONS)
def _interval_ctor(lo, hi=None):
    if not isinstance(lo, REAL):
        raise TypingError(f"Interval(lo, hi): lo must be a real number, got {lo}")
    if hi is None or isinstance(hi, (types.NoneType, types.Omitted)):
        def point_impl(lo, hi=None):
            if lo != lo:
                raise ValueError("Interval(lo): lo is NaN; an interval's bounds must be numbers")
            if lo == I.INF or lo == -I.INF:
                raise ValueError("Interval(lo): a point interval must be finite")
            return new_interval(lo, lo)
        return point_impl
    if not isinstance(hi, REAL):
        raise TypingError(f"Interval(lo, hi): hi must be a real number, got {hi}")

    def impl(lo, hi=None):
        if lo != lo or hi != hi:
            raise ValueError("Interval(lo, hi): a bound is NaN; an interval's bounds must be numbers")
        if lo > hi:
            raise ValueError("Interval(lo, hi): lo must not exceed hi")
        if lo == I.INF or hi == -I.INF:
            raise ValueError("Interval(lo, hi): lo cannot be +inf nor hi -inf")
        return new_interval(lo, hi)
    return impl


# --- casts: a real number is the point interval holding it ------------------------------

@lower_cast(types.Integer, IntervalType)
@lower_cast(types.Float, IntervalType)
@lower_cast(types.Boolean, IntervalType)
def _real_to_interval(context, builder, fromty, toty, val):
    v = context.cast(builder, val, fromty, F64)
    return _struct(context, builder, v, v)


@lower_constant(IntervalType)
def _constant_interval(context, builder, typ, pyval):
    return cgutils.make_anonymous_struct(
        builder, [context.get_constant(F64, pyval.lo), context.get_constant(F64, pyval.hi)])


# --- boxing -------------------------------------------------------------------------------

@unbox(IntervalType)
def _unbox_interval(typ, obj, c):
    s = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    failed = cgutils.alloca_once_value(c.builder, cgutils.false_bit)
    for name in ("lo", "hi"):
        attr = c.pyapi.object_getattr_string(obj, name)
        native = c.unbox(F64, attr)
        c.pyapi.decref(attr)
        setattr(s, name, native.value)
        with c.builder.if_then(native.is_error, likely=False):
            c.builder.store(cgutils.true_bit, failed)
    return NativeValue(s._getvalue(), is_error=c.builder.load(failed))


@box(IntervalType)
def _box_interval(typ, val, c):
    s = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    make = c.pyapi.unserialize(c.pyapi.serialize_object(I.make))
    lo, hi = c.box(F64, s.lo), c.box(F64, s.hi)
    res = c.pyapi.call_function_objargs(make, [lo, hi])
    for obj in (lo, hi, make):
        c.pyapi.decref(obj)
    return res


# --- the algebra, compiled ------------------------------------------------------------------

# every function of the algebra module (make has its own intrinsic above)
_ALGEBRA = [name for name, obj in vars(I).items()
            if callable(obj) and getattr(obj, "__module__", None) == I.__name__
            and not isinstance(obj, type) and name != "make" and not name.startswith("_check")]
for _name in _ALGEBRA:
    jitable_once(getattr(I, _name))
for _kernel in INTERVAL_KERNELS:
    jitable_once(_kernel)


@overload_attribute(IntervalType, "width")
def _width(x):
    return lambda x: I.width(x)


@overload_attribute(IntervalType, "mid")
def _mid(x):
    return lambda x: I.mid(x)


@overload_attribute(IntervalType, "is_empty")
def _is_empty(x):
    return lambda x: I.is_empty(x)


@overload_method(IntervalType, "contains")
def _contains(x, v):
    if isinstance(v, IntervalType):
        return lambda x, v: I.is_empty(v) or (x.lo <= v.lo and v.hi <= x.hi)
    if isinstance(v, REAL):
        return lambda x, v: x.lo <= v <= x.hi


# --- operators ------------------------------------------------------------------------------

def _operands(x, y):
    """True when the operands are an interval and an interval or a real number."""
    return ((isinstance(x, IntervalType) and isinstance(y, (IntervalType,) + REAL))
            or (isinstance(y, IntervalType) and isinstance(x, REAL)))


def as_interval(v):
    return v


@overload(as_interval, jit_options=JIT_OPTIONS)
def _as_interval(v):
    if isinstance(v, IntervalType):
        return lambda v: v
    if isinstance(v, REAL):
        return lambda v: new_interval(v, v)


def _register_arithmetic(ops, fn):
    def typer(x, y):
        if _operands(x, y):
            return lambda x, y: fn(as_interval(x), as_interval(y))
    for op in ops:
        overload(op, jit_options=JIT_OPTIONS)(typer)


_register_arithmetic((operator.add, operator.iadd), I.add)
_register_arithmetic((operator.sub, operator.isub), I.sub)
_register_arithmetic((operator.mul, operator.imul), I.mul)
_register_arithmetic((operator.truediv, operator.itruediv), I.div)


@overload(operator.neg, jit_options=JIT_OPTIONS)
def _neg(x):
    if isinstance(x, IntervalType):
        return lambda x: I.neg(x)


@overload(operator.pos, jit_options=JIT_OPTIONS)
def _pos(x):
    if isinstance(x, IntervalType):
        return lambda x: x


def set_equal(x, y):
    return (x.lo > x.hi and y.lo > y.hi) or (x.lo == y.lo and x.hi == y.hi)


jitable_once(set_equal)


@overload(operator.eq, jit_options=JIT_OPTIONS)
def _eq(x, y):
    if _operands(x, y):
        return lambda x, y: set_equal(as_interval(x), as_interval(y))


@overload(operator.ne, jit_options=JIT_OPTIONS)
def _ne(x, y):
    if _operands(x, y):
        return lambda x, y: not set_equal(as_interval(x), as_interval(y))


def _register_order(op, swap, strict):
    def typer(x, y):
        if not _operands(x, y):
            return None
        if swap:
            return lambda x, y: I.certainly_less(as_interval(y), as_interval(x), strict)
        return lambda x, y: I.certainly_less(as_interval(x), as_interval(y), strict)
    overload(op, jit_options=JIT_OPTIONS)(typer)


_register_order(operator.lt, False, True)
_register_order(operator.le, False, False)
_register_order(operator.gt, True, True)
_register_order(operator.ge, True, False)


@overload(float)
def _float(x):
    if isinstance(x, IntervalType):
        raise TypingError("float() of an Interval would pick an arbitrary point; use .lo, .hi "
                          "or .mid")


__all__ = ["IntervalType", "interval_type", "new_interval", "as_interval"]
