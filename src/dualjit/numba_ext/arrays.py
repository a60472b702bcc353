"""Arrays whose elements are dualjit numbers, allocated inside compiled code.

NumPy cannot hold a Numba struct type, so these arrays live only inside njit code: they
support indexing, len, shape, slicing and iteration like any Numba array.
"""
from __future__ import annotations

from numba.core import types
from numba.core.errors import TypingError
from numba.extending import intrinsic, overload
from numba.np import numpy_support
from numba.np.arrayobj import _empty_nd_impl

from ..api import arrays as api_arrays
from .interval import IntervalType
from .policy import JIT_OPTIONS
from .types import REAL, NumberType

INTERVAL_DTYPE = __import__("numpy").dtype([("lo", "f8"), ("hi", "f8")])


def structured_dtype(numtype):
    """The NumPy dtype with the exact memory layout of a number type or an Interval
    (structs of float64: an Interval component is a (lo, hi) pair)."""
    import numpy as np
    if isinstance(numtype, IntervalType):
        return INTERVAL_DTYPE

    def component(fty):
        return np.float64 if fty == types.float64 else INTERVAL_DTYPE
    return np.dtype([(name, component(fty)) if not isinstance(fty, types.BaseTuple)
                     else (name, component(fty.dtype), (fty.count,))
                     for name, fty in numtype.fields])


def _install_dtype_hook():
    """Exception to "no patching Numba": Numba compiles a Python wrapper for every jitted
    function, even one only called from compiled code, and boxing an array result asks
    numpy_support.as_dtype for its dtype, which has no extension hook. Our number types
    are structs of float64, so a structured dtype describes them exactly; the user also
    receives arrays of duals in Python as structured arrays (fields value, partials...)."""
    original = numpy_support.as_dtype
    if getattr(original, "_dualjit", False):
        return

    def as_dtype(nbtype):
        if isinstance(nbtype, (NumberType, IntervalType)):
            return structured_dtype(nbtype)
        return original(nbtype)

    as_dtype._dualjit = True
    numpy_support.as_dtype = as_dtype


_install_dtype_hook()


def _shape_ndim(shape, argname):
    if isinstance(shape, types.Integer):
        return 1
    if isinstance(shape, types.BaseTuple) and all(isinstance(t, types.Integer) for t in shape):
        return len(shape)
    raise TypingError(f"{argname} must be an int or a tuple of ints, got {shape}")


@intrinsic
def empty_number_array(typingctx, shape, like):
    """An uninitialized C-contiguous array of the number type of ``like`` (a number or an
    array of numbers)."""
    dtype = like.dtype if isinstance(like, types.Array) else like
    if not isinstance(dtype, NumberType):
        raise TypingError(f"empty_number_array: like must be a dualjit number, got {like}")
    ndim = _shape_ndim(shape, "shape")
    arrtype = types.Array(dtype, ndim, "C")

    def codegen(context, builder, sig, args):
        if isinstance(sig.args[0], types.Integer):
            dims = [context.cast(builder, args[0], sig.args[0], types.intp)]
        else:
            dims = [context.cast(builder, builder.extract_value(args[0], i), t, types.intp)
                    for i, t in enumerate(sig.args[0].types)]
        return _empty_nd_impl(context, builder, arrtype, dims)._getvalue()

    return arrtype(shape, like), codegen


def _number_dtype(like):
    if isinstance(like, types.Array):
        return like.dtype
    return like


@overload(api_arrays.empty, jit_options=JIT_OPTIONS)
def _empty(shape, like):
    _shape_ndim(shape, "shape")
    if isinstance(_number_dtype(like), NumberType):
        return lambda shape, like: empty_number_array(shape, like)
    if isinstance(_number_dtype(like), REAL):
        import numpy as np
        return lambda shape, like: np.empty(shape, np.float64)
    raise TypingError(f"dualjit.empty: like must be a float, a dualjit number or an array of "
                      f"them, got {like}")


@overload(api_arrays.empty_like, jit_options=JIT_OPTIONS)
def _empty_like(x):
    if not isinstance(x, types.Array):
        raise TypingError(f"dualjit.empty_like: x must be an array, got {x}")
    if isinstance(x.dtype, NumberType):
        return lambda x: empty_number_array(x.shape, x)
    import numpy as np
    return lambda x: np.empty_like(x)


@overload(api_arrays.zeros_like, jit_options=JIT_OPTIONS)
def _zeros_like(x):
    if not isinstance(x, types.Array):
        raise TypingError(f"dualjit.zeros_like: x must be an array, got {x}")
    def impl(x):
        out = api_arrays.empty_like(x)
        flat = out.reshape(out.size)
        for i in range(flat.size):
            flat[i] = 0.0
        return out
    return impl


@overload(api_arrays.zeros, jit_options=JIT_OPTIONS)
def _zeros(shape, like):
    def impl(shape, like):
        out = api_arrays.empty(shape, like)
        flat = out.reshape(out.size)
        for i in range(flat.size):
            flat[i] = 0.0
        return out
    return impl


__all__ = ["empty_number_array", "structured_dtype"]
