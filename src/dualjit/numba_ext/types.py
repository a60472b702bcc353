"""Numba types for Dual and HyperDual: typing, data model, construction, casts, boxing.

Each section follows Numba's interval-type tutorial: typing, model, lowering, boxing.
Both families share one mechanism: a struct of a value and fixed-length tuples, all of
one *component* type: float64 (the plain numbers) or Interval (guaranteed enclosures,
``Dual[1, Interval]``). The algebra is the same code for both components.
"""
from __future__ import annotations

from numba.core import cgutils, types
from numba.core.typeconv import Conversion
from numba.core.imputils import lower_constant
from numba.extending import (NativeValue, box, intrinsic, lower_cast,
                             make_attribute_wrapper,
                             models, overload, overload_attribute, register_model, typeof_impl,
                             unbox)
from numba.core.errors import TypingError

from ..types import dual as dual_algebra
from ..types import hyperdual as hyperdual_algebra
from ..types.dual import Dual
from ..types.hyperdual import HyperDual
from ..types.interval import Interval
from .interval import IntervalType, interval_type

F64 = types.float64
REAL = (types.Integer, types.Float, types.Boolean)


# --- typing -------------------------------------------------------------------------

def component_of(ty):
    """The component type a value of numba type ``ty`` makes: float64 or Interval."""
    if isinstance(ty, IntervalType):
        return interval_type
    if isinstance(ty, REAL):
        return F64
    return None


def _suffix(component) -> str:
    return "" if component == F64 else f", {component}"


class NumberType(types.Type):
    """Base of dualjit's number types: a value plus fixed-length partials tuples."""

    pyclass: type
    algebra: object
    order: int
    component = F64

    def __init__(self, name):
        super().__init__(name=name)

    @property
    def is_interval(self) -> bool:
        return self.component == interval_type

    def is_constant(self, other) -> bool:
        """``other`` combines with this number as a constant (no partials)."""
        return isinstance(other, REAL) or (self.is_interval and isinstance(other, IntervalType))

    @property
    def fields(self):
        """[(attribute name, numba type)] in storage order."""
        raise NotImplementedError  # abstract: every concrete family defines its fields

    def unify(self, typingctx, other):
        # s = 0.0; s += dual  -> the variable becomes a dual
        if self.is_constant(other):
            return self
        return None

    def can_convert_from(self, typingctx, other):
        if self.is_constant(other):
            return Conversion.safe
        return None


class DualType(NumberType):
    pyclass = Dual
    algebra = dual_algebra
    order = 1

    def __init__(self, n: int, component=F64):
        self.n = int(n)
        self.component = component
        super().__init__(name=f"Dual[{self.n}{_suffix(component)}]")

    @property
    def fields(self):
        c = self.component
        return [("value", c), ("partials", types.UniTuple(c, self.n))]


class HyperDualType(NumberType):
    pyclass = HyperDual
    algebra = hyperdual_algebra
    order = 2

    def __init__(self, n: int, m: int, component=F64):
        self.n, self.m = int(n), int(m)
        self.component = component
        super().__init__(name=f"HyperDual[{self.n},{self.m}{_suffix(component)}]")

    @property
    def fields(self):
        tup, c = types.UniTuple, self.component
        return [("value", c), ("e1", tup(c, self.n)), ("e2", tup(c, self.m)),
                ("e12", tup(c, self.n * self.m))]


def _py_component(value):
    return interval_type if isinstance(value, Interval) else F64


@typeof_impl.register(Dual)
def _typeof_dual(val, c):
    return DualType(len(val.partials), _py_component(val.value))


@typeof_impl.register(HyperDual)
def _typeof_hyperdual(val, c):
    return HyperDualType(len(val.e1), len(val.e2), _py_component(val.value))


# --- data model ---------------------------------------------------------------------

@register_model(DualType)
@register_model(HyperDualType)
class NumberModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, fe_type.fields)


for _name in ("value", "partials"):
    make_attribute_wrapper(DualType, _name, _name)
for _name in ("value", "e1", "e2", "e12"):
    make_attribute_wrapper(HyperDualType, _name, _name)


@overload_attribute(DualType, "derivative")
def _dual_derivative(x):
    if x.n != 1:
        raise TypingError(f".derivative is defined for a Dual with one partial; {x} has "
                          f"{x.n}: use .partials")
    return lambda x: x.partials[0]


# --- construction -------------------------------------------------------------------

def _as_component_tuple(context, builder, fromty, value, tupty):
    """Cast a scalar or a tuple of scalars to ``tupty`` (a UniTuple of the component)."""
    c = tupty.dtype
    if isinstance(fromty, types.BaseTuple):
        items = [context.cast(builder, builder.extract_value(value, i), t, c)
                 for i, t in enumerate(fromty.types)]
    else:
        items = [context.cast(builder, value, fromty, c)]
    return context.make_tuple(builder, tupty, items)


def _scalar(ty, component) -> bool:
    return isinstance(ty, REAL) or (component == interval_type and isinstance(ty, IntervalType))


def _width(ty, argname, component=F64):
    what = "a real number" if component == F64 else "a real number or an Interval"
    if _scalar(ty, component):
        return 1
    if isinstance(ty, types.BaseTuple) and len(ty) > 0 and all(_scalar(t, component) for t in ty.types):
        return len(ty)
    raise TypingError(f"{argname} must be {what} or a non-empty tuple of them, got {ty}")


def _build(context, builder, numtype, args, argtypes):
    s = cgutils.create_struct_proxy(numtype)(context, builder)
    for (name, fty), val, ty in zip(numtype.fields, args, argtypes):
        if isinstance(fty, types.BaseTuple):
            val = _as_component_tuple(context, builder, ty, val, fty)
        else:
            val = context.cast(builder, val, ty, fty)
        setattr(s, name, val)
    return s._getvalue()


def _value_component(value, what):
    c = component_of(value)
    if c is None:
        raise TypingError(f"{what}: value must be a real number or an Interval, got {value}")
    return c


@intrinsic
def new_dual(typingctx, value, partials):
    c = _value_component(value, "Dual(value, partials)")
    sig = DualType(_width(partials, "Dual(value, partials): partials", c), c)(value, partials)
    return sig, lambda context, builder, sig, args: _build(context, builder, sig.return_type,
                                                           args, sig.args)


@intrinsic
def new_hyperdual(typingctx, value, e1, e2, e12):
    c = _value_component(value, "HyperDual(value, e1, e2, e12)")
    n, m = _width(e1, "HyperDual: e1", c), _width(e2, "HyperDual: e2", c)
    if _width(e12, "HyperDual: e12", c) != n * m:
        raise TypingError(f"HyperDual: e12 must hold len(e1)*len(e2) = {n * m} values, got {e12}")
    sig = HyperDualType(n, m, c)(value, e1, e2, e12)
    return sig, lambda context, builder, sig, args: _build(context, builder, sig.return_type,
                                                           args, sig.args)


@overload(Dual, jit_options={"error_model": "numpy"})
def _dual_ctor(value, partials=0.0):
    return lambda value, partials=0.0: new_dual(value, partials)


@overload(HyperDual, jit_options={"error_model": "numpy"})
def _hyperdual_ctor(value, e1=0.0, e2=0.0, e12=None):
    if e12 is None or isinstance(e12, (types.NoneType, types.Omitted)):
        n = 1 if isinstance(e1, REAL) else len(e1)
        m = 1 if isinstance(e2, REAL) else len(e2)
        zeros = (0.0,) * (n * m)
        return lambda value, e1=0.0, e2=0.0, e12=None: new_hyperdual(value, e1, e2, zeros)
    return lambda value, e1=0.0, e2=0.0, e12=None: new_hyperdual(value, e1, e2, e12)


# --- casts: a real number becomes a constant (all partials zero) --------------------

@lower_cast(types.Integer, DualType)
@lower_cast(types.Float, DualType)
@lower_cast(types.Boolean, DualType)
@lower_cast(types.Integer, HyperDualType)
@lower_cast(types.Float, HyperDualType)
@lower_cast(types.Boolean, HyperDualType)
@lower_cast(IntervalType, DualType)
@lower_cast(IntervalType, HyperDualType)
def _real_to_number(context, builder, fromty, toty, val):
    s = cgutils.create_struct_proxy(toty)(context, builder)
    c = toty.component
    zero = context.cast(builder, context.get_constant(F64, 0.0), F64, c)
    for name, fty in toty.fields:
        if isinstance(fty, types.BaseTuple):
            setattr(s, name, context.make_tuple(builder, fty, [zero] * fty.count))
        else:
            setattr(s, name, context.cast(builder, val, fromty, c))
    return s._getvalue()


@lower_constant(DualType)
@lower_constant(HyperDualType)
def _constant_number(context, builder, typ, pyval):
    """A Dual or HyperDual global or closure constant in compiled code."""
    return cgutils.make_anonymous_struct(
        builder, [context.get_constant_generic(builder, fty, getattr(pyval, name))
                  for name, fty in typ.fields])


# --- boxing -------------------------------------------------------------------------

@unbox(DualType)
@unbox(HyperDualType)
def _unbox_number(typ, obj, c):
    s = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    failed = cgutils.alloca_once_value(c.builder, cgutils.false_bit)
    for name, fty in typ.fields:
        attr = c.pyapi.object_getattr_string(obj, name)
        native = c.unbox(fty, attr)
        c.pyapi.decref(attr)
        setattr(s, name, native.value)
        with c.builder.if_then(native.is_error, likely=False):
            c.builder.store(cgutils.true_bit, failed)
    return NativeValue(s._getvalue(), is_error=c.builder.load(failed))


@box(DualType)
@box(HyperDualType)
def _box_number(typ, val, c):
    s = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    cls = c.pyapi.unserialize(c.pyapi.serialize_object(typ.pyclass))
    items = [c.box(fty, getattr(s, name)) for name, fty in typ.fields]
    res = c.pyapi.call_function_objargs(cls, items)
    for obj in items:
        c.pyapi.decref(obj)
    c.pyapi.decref(cls)
    return res


__all__ = ["NumberType", "DualType", "HyperDualType", "new_dual", "new_hyperdual", "component_of"]
