"""``@dualjit.jit``: compile with Numba and get the derivative verbs as methods."""
from __future__ import annotations

import functools
import inspect

import numba
import numpy as np

from ..numba_ext.policy import JIT_OPTIONS
from . import derivative as _d
from . import gradient as _g
from . import hessian as _h
from . import jacobian as _j

__all__ = ["jit", "JitFunction"]

# Options that would break what dualjit promises (exact, certified derivatives).
REFUSED = {
    "fastmath": "fastmath lets LLVM reassociate and contract floating-point operations, "
                "which breaks the value's bit-for-bit agreement with the plain program and "
                "the derivatives' accuracy guarantees",
    "forceobj": "object mode cannot run dualjit's number types",
    "nopython": None,  # allowed only as True (see _check_options)
}


def _check_options(options: dict) -> dict:
    for name, value in options.items():
        if name == "nopython":
            if value is not True:
                raise ValueError("dualjit.jit: nopython must be True (object mode cannot run "
                                 "dualjit's number types)")
        elif name in REFUSED and value:
            raise ValueError(f"dualjit.jit: {name}={value!r} is refused: {REFUSED[name]}")
    merged = dict(JIT_OPTIONS)
    merged.update(options)
    return merged


class JitFunction:
    """A Numba-compiled function that calls exactly like ``numba.njit(fn)`` (also from
    other njit code) and offers the derivative verbs as methods."""

    def __init__(self, dispatcher):
        self._dispatcher = dispatcher
        functools.update_wrapper(self, dispatcher.py_func)
        self.__signature__ = inspect.signature(dispatcher.py_func)

    @property
    def dispatcher(self):
        """The underlying Numba dispatcher."""
        return self._dispatcher

    def __call__(self, *args, **kwargs):
        return self._dispatcher(*args, **kwargs)

    def __getattr__(self, name):  # py_func, signatures, inspect_llvm, ...
        if name.startswith("_"):  # not set yet (copy, pickle): no recursion into ourselves
            raise AttributeError(name)
        return getattr(self._dispatcher, name)

    def __repr__(self):
        return f"<dualjit.jit function {self.__name__}{self.__signature__}>"

    def derivative(self, *args, argnums=0):
        return _d.derivative(self._dispatcher, *args, argnums=argnums)

    def second_derivative(self, *args, argnums=0):
        return _d.second_derivative(self._dispatcher, *args, argnums=argnums)

    def value_and_derivative(self, *args, argnums=0):
        return _d.value_and_derivative(self._dispatcher, *args, argnums=argnums)

    def gradient(self, *args, argnums=0, chunk=_g.DEFAULT_CHUNK):
        return _g.gradient(self._dispatcher, *args, argnums=argnums, chunk=chunk)

    def value_and_gradient(self, *args, argnums=0, chunk=_g.DEFAULT_CHUNK):
        return _g.value_and_gradient(self._dispatcher, *args, argnums=argnums, chunk=chunk)

    def jacobian(self, *args, argnums=0, chunk=_g.DEFAULT_CHUNK):
        return _j.jacobian(self._dispatcher, *args, argnums=argnums, chunk=chunk)

    def jvp(self, x, v, *args, argnums=0):
        return _j.jvp(self._dispatcher, x, v, *args, argnums=argnums)

    def hessian(self, *args, argnums=0, chunk=_h.DEFAULT_HESSIAN_CHUNK):
        return _h.hessian(self._dispatcher, *args, argnums=argnums, chunk=chunk)

    def enclose(self, x, *args, order=1, tolerance_ulps=64.0, chunk=8):
        """:func:`dualjit.enclose`: guaranteed enclosures of the value and derivatives."""
        from .enclose import enclose
        return enclose(self._dispatcher, x, *args, order=order,
                       tolerance_ulps=tolerance_ulps, chunk=chunk)

    def certify(self, x, policy=None):
        """Certify the engine's answers at ``x`` against the exact derivatives of this
        function's program: :func:`dualjit.certify_function` for a real scalar ``x``
        (f: float -> float), :func:`dualjit.certify_gradient` for a 1-D array ``x``
        (f: array -> float). Functions of further arguments: bind them first
        (``dualjit.jit(lambda x: f(x, c))``)."""
        from ..certify.function import certify_function, certify_gradient
        if isinstance(x, np.ndarray) or isinstance(x, (list, tuple)):
            return certify_gradient(self._dispatcher, x, policy)
        return certify_function(self._dispatcher, x, policy)


def jit(fn=None, **options):
    """Compile ``fn`` with ``numba.njit`` (``error_model='numpy'`` unless you say
    otherwise) and return a :class:`JitFunction`. Use as ``@dualjit.jit`` or
    ``@dualjit.jit(cache=True, parallel=True)``; ``fastmath`` is refused."""
    options = _check_options(options)
    if fn is None:
        return lambda f: jit(f, **options)
    if isinstance(fn, JitFunction):
        fn = fn.py_func
    if not callable(fn) or not hasattr(fn, "__code__"):
        raise TypeError(f"dualjit.jit: expected a Python function, got {type(fn).__name__}: {fn!r}")
    return JitFunction(numba.njit(**options)(fn))
