"""Numba types for Dual and HyperDual: typing, data model, construction, casts, boxing.

Each section follows Numba's interval-type tutorial: typing, model, lowering, boxing.
Both families share one mechanism: a struct of a float64 value and float64 tuples.
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

F64 = types.float64
REAL = (types.Integer, types.Float, types.Boolean)


# --- typing -------------------------------------------------------------------------

class NumberType(types.Type):
    """Base of dualjit's number types: a value plus fixed-length partials tuples."""

    pyclass: type
    algebra: object
    order: int

    def __init__(self, name):
        super().__init__(name=name)

    @property
    def fields(self):
        """[(attribute name, numba type)] in storage order."""
        raise NotImplementedError  # abstract: every concrete family defines its fields

    def unify(self, typingctx, other):
        # s = 0.0; s += dual  -> the variable becomes a dual
        if isinstance(other, REAL):
            return self
        return None

    def can_convert_from(self, typingctx, other):
        if isinstance(other, REAL):
            return Conversion.safe
        return None


class DualType(NumberType):
    pyclass = Dual
    algebra = dual_algebra
    order = 1

    def __init__(self, n: int):
        self.n = int(n)
        super().__init__(name=f"Dual[{self.n}]")

    @property
    def fields(self):
        return [("value", F64), ("partials", types.UniTuple(F64, self.n))]


class HyperDualType(NumberType):
    pyclass = HyperDual
    algebra = hyperdual_algebra
    order = 2

    def __init__(self, n: int, m: int):
        self.n, self.m = int(n), int(m)
        super().__init__(name=f"HyperDual[{self.n},{self.m}]")

    @property
    def fields(self):
        tup = types.UniTuple
        return [("value", F64), ("e1", tup(F64, self.n)), ("e2", tup(F64, self.m)),
                ("e12", tup(F64, self.n * self.m))]


@typeof_impl.register(Dual)
def _typeof_dual(val, c):
    return DualType(len(val.partials))


@typeof_impl.register(HyperDual)
def _typeof_hyperdual(val, c):
    return HyperDualType(len(val.e1), len(val.e2))


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

def _as_float_tuple(context, builder, fromty, value, n):
    """Cast a float, int or tuple of them to UniTuple(float64, n) (n == 1 for scalars)."""
    if isinstance(fromty, types.BaseTuple):
        items = [context.cast(builder, builder.extract_value(value, i), t, F64)
                 for i, t in enumerate(fromty.types)]
    else:
        items = [context.cast(builder, value, fromty, F64)]
    return context.make_tuple(builder, types.UniTuple(F64, n), items)


def _width(ty, argname):
    if isinstance(ty, REAL):
        return 1
    if isinstance(ty, types.BaseTuple) and len(ty) > 0 and all(isinstance(t, REAL) for t in ty.types):
        return len(ty)
    raise TypingError(f"{argname} must be a real number or a non-empty tuple of them, got {ty}")


def _build(context, builder, numtype, args, argtypes):
    s = cgutils.create_struct_proxy(numtype)(context, builder)
    for (name, fty), val, ty in zip(numtype.fields, args, argtypes):
        if fty is F64:
            val = context.cast(builder, val, ty, F64)
        else:
            val = _as_float_tuple(context, builder, ty, val, fty.count)
        setattr(s, name, val)
    return s._getvalue()


@intrinsic
def new_dual(typingctx, value, partials):
    if not isinstance(value, REAL):
        raise TypingError(f"Dual(value, partials): value must be a real number, got {value}")
    sig = DualType(_width(partials, "Dual(value, partials): partials"))(value, partials)
    return sig, lambda context, builder, sig, args: _build(context, builder, sig.return_type,
                                                           args, sig.args)


@intrinsic
def new_hyperdual(typingctx, value, e1, e2, e12):
    if not isinstance(value, REAL):
        raise TypingError(f"HyperDual(value, e1, e2, e12): value must be a real number, got {value}")
    n, m = _width(e1, "HyperDual: e1"), _width(e2, "HyperDual: e2")
    if _width(e12, "HyperDual: e12") != n * m:
        raise TypingError(f"HyperDual: e12 must hold len(e1)*len(e2) = {n * m} values, got {e12}")
    sig = HyperDualType(n, m)(value, e1, e2, e12)
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
def _real_to_number(context, builder, fromty, toty, val):
    s = cgutils.create_struct_proxy(toty)(context, builder)
    zero = context.get_constant(F64, 0.0)
    for name, fty in toty.fields:
        if fty is F64:
            setattr(s, name, context.cast(builder, val, fromty, F64))
        else:
            setattr(s, name, context.make_tuple(builder, fty, [zero] * fty.count))
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


__all__ = ["NumberType", "DualType", "HyperDualType", "new_dual", "new_hyperdual"]
