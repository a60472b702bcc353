"""Compiled entry points specialized per user function, so a Python-level call types only
its array/float arguments.

Passing the user's dispatcher and a prototype Dual as call arguments sends Numba down its
slow Python typeof path (~50-100 µs a call, measured in benchmarks/bench_core.py section
2b). Here each (function, verb, chunk) gets a small compiled wrapper that holds both as
compile-time constants, remembered for as long as the function lives.
"""
from __future__ import annotations

import weakref

from ..numba_ext.policy import jit

_WRAPPERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def specialized(f, kernel, *constants):
    """A compiled ``wrapper(x, args) = kernel(f, x, *constants, args)`` (cached)."""
    per_function = _WRAPPERS.get(f)
    if per_function is None:
        per_function = _WRAPPERS[f] = {}
    # Prototypes are cached singletons per chunk width (and the rest are strings), so
    # their identity is a cheap, exact key.
    key = (kernel,) + tuple(id(c) for c in constants)
    wrapper = per_function.get(key)
    if wrapper is None:
        wrapper = per_function[key] = jit(_make_wrapper(f, kernel, constants))
    return wrapper


def _make_wrapper(f, kernel, constants):
    if not constants:
        def wrapper(x, args):
            return kernel(f, x, args)
    elif constants == ("x and v",):  # jvp: the point and the direction travel as one tuple
        def wrapper(x, args):
            return kernel(f, x[0], x[1], args)
    else:
        proto = constants[0]

        def wrapper(x, args):
            return kernel(f, x, proto, args)
    return wrapper
