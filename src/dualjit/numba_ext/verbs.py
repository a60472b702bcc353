"""The verbs inside compiled code: result readers and njit-callable derivative, gradient,
jacobian, jvp and hessian (so users can write jitted Newton solvers on top)."""
from __future__ import annotations

import functools

import numpy as np
from numba.core import types
from numba.core.errors import TypingError
from numba.extending import overload, register_jitable

from .. import partials as P
from ..api import _outputs as out
from ..api import derivative as d_api
from ..api import enclose as e_api
from ..api import gradient as g_api
from ..api import hessian as h_api
from ..api import jacobian as j_api
from ..types import Dual, HyperDual
from .policy import JIT_OPTIONS
from .interval import IntervalType
from .types import REAL, DualType, HyperDualType, NumberType

for _fn in (g_api.seed_duals, d_api.value_and_derivative_kernel, d_api.second_derivative_kernel,
            d_api.nested_value_and_derivative_kernel,
            g_api.value_and_gradient_kernel, j_api.jacobian_kernel, j_api.jvp_kernel,
            h_api.hessian_kernel, e_api.enclose_first_kernel, e_api.enclose_second_kernel,
            e_api.enclose_gradient_kernel):
    register_jitable(**JIT_OPTIONS)(_fn)


@overload(e_api.bounds, jit_options=JIT_OPTIONS)
def _bounds(v):
    if isinstance(v, IntervalType):
        return lambda v: (v.lo, v.hi)
    if isinstance(v, REAL):
        return lambda v: (float(v), float(v))
    raise _bad_result(v, "a number computed from its input")


def _bad_result(r, what="a float"):
    return TypingError(f"the differentiated function must return {what} computed from its "
                       f"input, got {r}")


# --- reading results ------------------------------------------------------------------

@overload(out.value, jit_options=JIT_OPTIONS)
def _value(r):
    if isinstance(r, NumberType):
        return lambda r: r.value
    if isinstance(r, REAL):
        return lambda r: float(r)
    raise _bad_result(r)


@overload(out.partial, jit_options=JIT_OPTIONS)
def _partial(r, k):
    if isinstance(r, DualType):
        return lambda r, k: r.partials[k]
    if isinstance(r, HyperDualType):
        return lambda r, k: r.e1[k]
    if isinstance(r, REAL):
        return lambda r, k: 0.0
    raise _bad_result(r)


@overload(out.cross, jit_options=JIT_OPTIONS)
def _cross(r, k):
    if isinstance(r, HyperDualType):
        return lambda r, k: r.e12[k]
    if isinstance(r, REAL):
        return lambda r, k: 0.0
    raise _bad_result(r)


@overload(out.value_and_tangent, jit_options=JIT_OPTIONS)
def _value_and_tangent(r):
    if isinstance(r, types.Array):
        if r.ndim != 1:
            raise _bad_result(r, "a float or a 1-D array")

        def impl(r):
            vals, tans = np.empty(len(r)), np.empty(len(r))
            for i in range(len(r)):
                vals[i], tans[i] = out.value(r[i]), out.partial(r[i], 0)
            return vals, tans
        return impl
    return lambda r: (out.value(r), out.partial(r, 0))


@overload(j_api.vector_output, jit_options=JIT_OPTIONS)
def _vector_output(r):
    if isinstance(r, types.Array) and r.ndim == 1:
        return lambda r: r
    if isinstance(r, (NumberType,) + REAL):
        raise TypingError("jacobian needs a function returning a 1-D array; this one returns "
                          "a scalar: use gradient (or jvp) instead")
    raise _bad_result(r, "a 1-D array")


# --- nested differentiation ------------------------------------------------------------

@overload(out.outer_partials, jit_options=JIT_OPTIONS)
def _outer_partials(x, proto):
    if isinstance(x, DualType):
        return lambda x, proto: x.partials
    return lambda x, proto: P.zeros_like(proto.partials)


@functools.lru_cache(maxsize=None)
def _promote_args_impl(n):
    items = "".join(f"_promote(args[{i}], proto), " for i in range(n))
    scope = {"_promote": _promote}
    exec(f"def impl(args, proto):\n    return ({items})\n", scope)  # noqa: S102
    return scope["impl"]


def _promote(a, proto):
    return a


@overload(_promote, jit_options=JIT_OPTIONS)
def _ol_promote(a, proto):
    if isinstance(a, DualType):
        return lambda a, proto: HyperDual(a.value, a.partials, 0.0, P.zeros_like(a.partials))
    return lambda a, proto: a


@overload(out.promote_args, jit_options=JIT_OPTIONS)
def _promote_args(args, proto):
    return _promote_args_impl(len(args))


@overload(out.nested_result, jit_options=JIT_OPTIONS)
def _nested_result(r, proto):
    if isinstance(r, HyperDualType):
        return lambda r, proto: (Dual(r.value, r.e1), Dual(r.e2[0], r.e12))
    if isinstance(r, REAL):
        return lambda r, proto: (Dual(float(r), P.zeros_like(proto.partials)),
                                 Dual(0.0, P.zeros_like(proto.partials)))
    raise _bad_result(r)


def _outer_dual(verb, x, args):
    """The outer Dual type when x or an argument carries an outer derivative, else None."""
    outer = [t for t in (x,) + tuple(args) if isinstance(t, NumberType)]
    if not outer:
        _check_args(args, verb)
        return None
    if any(not isinstance(t, DualType) or t != outer[0] for t in outer):
        raise TypingError(f"dualjit.{verb}: nested differentiation supports one outer level of "
                          f"Dual numbers of the same width, got {outer}")
    if any(isinstance(a, types.Array) and isinstance(a.dtype, NumberType) for a in args):
        raise TypingError(f"dualjit.{verb}: nested differentiation with arrays of duals as extra "
                          "arguments is not supported; pass the scalars")
    return outer[0]


# --- the verbs, called from compiled code ---------------------------------------------

def _check_point(x, verb):
    if not isinstance(x, (types.Float, types.Integer)):
        raise TypingError(f"dualjit.{verb}: x must be a real scalar, got {x}")


def _check_vector(x, verb, argname="x"):
    if not (isinstance(x, types.Array) and x.ndim == 1 and isinstance(x.dtype, (types.Float, types.Integer))):
        raise TypingError(f"dualjit.{verb}: {argname} must be a 1-D array of reals, got {x}")


def _check_function(f, verb):
    if not isinstance(f, (types.Dispatcher, types.Function)):
        raise TypingError(f"dualjit.{verb}: f must be a numba.njit function, got {f}")


def _check_args(args, verb):
    for a in args:
        if isinstance(a, NumberType) or (isinstance(a, types.Array) and isinstance(a.dtype, NumberType)):
            raise TypingError(
                f"dualjit.{verb}: an extra argument is a dualjit number ({a}): the function is "
                "being differentiated by an outer derivative. Nesting is supported by derivative "
                "and value_and_derivative (with scalar arguments); for this verb, differentiate "
                "twice with second_derivative or hessian instead")


def _derivative_overload(verb, index):
    """value_and_derivative (index None) or derivative (index 1); nested when x or an
    extra argument is a Dual from an outer differentiation."""
    def typer(f, x, *args):
        _check_function(f, verb)
        outer = _outer_dual(verb, x, args)
        if outer is not None:
            proto = Dual(0.0, (0.0,) * outer.n)
            if index is None:
                return lambda f, x, *args: d_api.nested_value_and_derivative_kernel(f, x, proto, args)
            return lambda f, x, *args: d_api.nested_value_and_derivative_kernel(f, x, proto, args)[1]
        _check_point(x, verb)
        if index is None:
            return lambda f, x, *args: d_api.value_and_derivative_kernel(f, float(x), args)
        return lambda f, x, *args: d_api.value_and_derivative_kernel(f, float(x), args)[1]
    return typer


overload(d_api.value_and_derivative, jit_options=JIT_OPTIONS)(
    _derivative_overload("value_and_derivative", None))
overload(d_api.derivative, jit_options=JIT_OPTIONS)(_derivative_overload("derivative", 1))


@overload(d_api.second_derivative, jit_options=JIT_OPTIONS)
def _ol_second_derivative(f, x, *args):
    _check_function(f, "second_derivative"); _check_point(x, "second_derivative")
    _check_args(args, "second_derivative")
    return lambda f, x, *args: d_api.second_derivative_kernel(f, float(x), args)[2]


# In compiled code the chunk is the default one (Numba cannot bind a keyword argument
# after *args in an overload); call the Python-level verb to choose another.
def _gradient_overload(verb):
    def typer(f, x, *args):
        _check_function(f, verb); _check_vector(x, verb); _check_args(args, verb)
        proto = Dual(0.0, (0.0,) * g_api.DEFAULT_CHUNK)
        if verb == "jacobian":
            return lambda f, x, *args: j_api.jacobian_kernel(f, x.astype(np.float64), proto, args)
        if verb == "gradient":
            return lambda f, x, *args: g_api.value_and_gradient_kernel(
                f, x.astype(np.float64), proto, args)[1]
        return lambda f, x, *args: g_api.value_and_gradient_kernel(
            f, x.astype(np.float64), proto, args)
    return typer


for _verb, _fn in (("value_and_gradient", g_api.value_and_gradient), ("gradient", g_api.gradient),
                   ("jacobian", j_api.jacobian)):
    overload(_fn, jit_options=JIT_OPTIONS)(_gradient_overload(_verb))


@overload(j_api.jvp, jit_options=JIT_OPTIONS)
def _ol_jvp(f, x, v, *args):
    _check_function(f, "jvp"); _check_vector(x, "jvp"); _check_vector(v, "jvp", "v")
    _check_args(args, "jvp")
    return lambda f, x, v, *args: j_api.jvp_kernel(f, x.astype(np.float64), v.astype(np.float64), args)


@overload(h_api.hessian, jit_options=JIT_OPTIONS)
def _ol_hessian(f, x, *args):
    _check_function(f, "hessian"); _check_vector(x, "hessian"); _check_args(args, "hessian")
    width = h_api.DEFAULT_HESSIAN_CHUNK
    zeros = (0.0,) * width
    proto = HyperDual(0.0, zeros, zeros, (0.0,) * (width * width))
    return lambda f, x, *args: h_api.hessian_kernel(f, x.astype(np.float64), proto, args)
