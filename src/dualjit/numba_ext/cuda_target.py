"""CUDA-target fixes for dualjit's overloads (numba-cuda 0.30.4).

numba-cuda sees every ``numba.extending`` registration of :mod:`dualjit.numba_ext`, so
the number types and the generated rule overloads need nothing CUDA-specific, with one
exception found by compiling every rule target to PTX (tests/cuda/test_ptx.py):

numba-cuda's ufunc database (``numba.cuda.ufuncs.ufunc_db()``) has no loops for 38 NumPy
ufuncs that Numba's CPU target supports -- among them ``exp, exp2, expm1, log1p, sqrt,
cbrt, power, logaddexp, absolute, fabs, floor, ceil, trunc, copysign, fmod, rint`` -- so
even plain float code such as ``np.exp(x)`` in a kernel fails to lower with
``KeyError: <ufunc 'exp'>``. It hits dualjit in three ways: the ``numpy.*`` targets of
those rules fail on floats and on duals (the overload calls the target on the float
value); ``math.cbrt`` (which Numba lacks, so :data:`dualjit.numba_ext.rules.FLOAT_FALLBACKS`
sends it to ``np.cbrt``) fails everywhere on the GPU; and fmod's derivative formula calls
``np.rint``, so fmod on a Dual fails on the GPU.

:func:`install` adds the missing float32/float64 loops, using numba-cuda's own element
implementations (``numba.cuda.np.npyfuncs``: libdevice calls), to the database numba-cuda
caches. It only adds missing keys, never replaces one, so a numba-cuda release that
ships them wins. It is idempotent and imports nothing unless numba-cuda is installed;
:mod:`dualjit.cuda` calls it on import.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["install", "MISSING_UFUNCS", "installed_loops"]

#: ufunc -> how its real loops are lowered on the device: ("math", fn) = numba-cuda's
#: libdevice implementation of the math function (numba.cuda.mathimpl); ("npyfuncs",
#: name) = numba-cuda's own NumPy element function; ("python", fn) = compiled from the
#: Python function. (npyfuncs' exp, exp2, fabs and logaddexp emit LLVM intrinsics that
#: NVVM rejects as invalid IR, and its expm1, log1p and sqrt call the C library's
#: functions, undefined on the device: those go through libdevice.)
MISSING_UFUNCS = {
    np.exp: ("math", "exp"),
    np.exp2: ("math", "exp2"),
    np.expm1: ("math", "expm1"),
    np.log1p: ("math", "log1p"),
    np.sqrt: ("math", "sqrt"),
    np.cbrt: ("npyfuncs", "np_real_cbrt_impl"),
    np.power: ("npyfuncs", "real_float_power_impl"),
    np.logaddexp: ("python", "logaddexp"),
    np.absolute: ("math", "fabs"),
    np.fabs: ("math", "fabs"),
    np.floor: ("math", "floor"),
    np.ceil: ("math", "ceil"),
    np.trunc: ("math", "trunc"),
    np.copysign: ("npyfuncs", "np_real_copysign_impl"),
    np.fmod: ("npyfuncs", "np_real_fmod_impl"),
    # used by rule formulas (fmod's kink test) or common in user code
    np.rint: ("libdevice", "rint"),
    np.square: ("npyfuncs", "np_real_square_impl"),
    np.reciprocal: ("npyfuncs", "np_real_reciprocal_impl"),
}

_LOGE2 = 0.693147180559945309417232121458176568


def _logaddexp(x, y):
    """NumPy's npy_logaddexp (as Numba's CPU loop computes it)."""
    if x == y:
        return x + _LOGE2  # handles infinities of the same sign
    tmp = x - y
    if tmp > 0:
        return x + math.log1p(math.exp(-tmp))
    elif tmp <= 0:
        return y + math.log1p(math.exp(tmp))
    return tmp  # NaN


def _libdevice_impl(name):
    """A call of libdevice's __nv_<name> (float64) / __nv_<name>f (float32)."""
    def impl(context, builder, sig, args):
        from llvmlite import ir
        from numba.core import cgutils
        ty = sig.return_type
        fname = f"__nv_{name}" + ("f" if str(ty) == "float32" else "")
        fty = context.get_value_type(ty)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(fty, [fty] * len(args)),
                                            fname)
        return builder.call(fn, args)
    return impl


def _loop_impl(kind, name, nin):
    if kind == "npyfuncs":
        from numba.cuda.np import npyfuncs
        return getattr(npyfuncs, name, None)
    if kind == "math":
        from numba.cuda.mathimpl import get_unary_impl_for_fn_and_ty
        fn = getattr(math, name)

        def impl(context, builder, sig, args):
            return get_unary_impl_for_fn_and_ty(fn, sig.args[0])(context, builder, sig, args)
        return impl
    if kind == "libdevice":
        return _libdevice_impl(name)
    python_fn = {"logaddexp": _logaddexp}[name]

    def impl(context, builder, sig, args):
        return context.compile_internal(builder, python_fn, sig, args)
    return impl


_INSTALLED: list = []


def install() -> list:
    """Add the missing real loops to numba-cuda's ufunc database; returns the
    ``(ufunc name, loop)`` pairs added (by this call or an earlier one)."""
    if _INSTALLED:
        return list(_INSTALLED)
    import numba
    if getattr(numba.config, "ENABLE_CUDASIM", 0):
        return []  # the simulator runs NumPy itself
    try:
        from numba.cuda import ufuncs
    except ImportError:  # numba-cuda is not installed: nothing to fix
        return []
    db = ufuncs.ufunc_db()  # lru_cache'd: the very dict numba-cuda's lowering reads
    added = []
    for ufunc, (kind, name) in MISSING_UFUNCS.items():
        impl = _loop_impl(kind, name, ufunc.nin)
        if impl is None:  # pragma: no cover - a numba-cuda without it
            continue
        loops = db.setdefault(ufunc, {})
        sigs = ("f->f", "d->d") if ufunc.nin == 1 else ("ff->f", "dd->d")
        for sig in sigs:
            if sig not in loops:
                loops[sig] = impl
                added.append((ufunc.__name__, sig))
    _INSTALLED.extend(added or [("none needed", "")])
    return added


def installed_loops() -> list:
    """The loops :func:`install` added in this process."""
    return [pair for pair in _INSTALLED if pair[1]]
