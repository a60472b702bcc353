"""Compiled partials operations, generated per tuple length from dualjit.partials.

Every operation becomes straight-line code over the tuple elements: no loops, no
allocation, and a shape LLVM's SLP vectorizer can turn into vector instructions.
"""
from __future__ import annotations

import functools

from numba.core import types
from numba.core.errors import TypingError
from numba.extending import overload

from .. import partials as P
from .policy import JIT_OPTIONS


def _compile(src: str, name: str):
    scope: dict = {}
    exec(src, scope)  # noqa: S102 - source generated from dualjit.partials' constant table
    return scope[name]


def tuple_display(elements: list[str]) -> str:
    """Source for a tuple of the given element expressions. Python compiles a display of
    more than 30 elements through a list (LIST_TO_TUPLE), which Numba cannot type, so long
    tuples are written as a concatenation of short ones."""
    groups = [elements[i:i + 16] for i in range(0, len(elements), 16)] or [[]]
    return " + ".join("(" + "".join(e + ", " for e in g) + ")" for g in groups)


def _tuple_length(argtypes, names, opname):
    lengths = {len(t) for t, n in zip(argtypes, names) if n in P.TUPLE_PARAMS}
    if any(not isinstance(t, types.BaseTuple) for t, n in zip(argtypes, names) if n in P.TUPLE_PARAMS):
        raise TypingError(f"partials.{opname}: expected tuples, got {argtypes}")
    if len(lengths) != 1:
        raise TypingError(f"partials.{opname}: tuples of different lengths {sorted(lengths)}")
    return lengths.pop()


@functools.lru_cache(maxsize=None)
def _elementwise_impl(name: str, n: int):
    params, expr = P.ELEMENTWISE[name]
    expr = P.expand_strong_zero(expr)
    elems = tuple_display([expr.replace("[i]", f"[{k}]") for k in range(n)])
    return _compile(f"def impl({params}):\n    return {elems}\n", "impl")


def _register_elementwise(name: str, params: str):
    names = [s.strip() for s in params.split(",")]
    # The typing function must have the same parameter names as the Python version.
    src = (f"def typer({params}):\n"
           f"    return _impl(_name, _length(({', '.join(names)},), _names, _name))\n")
    typer = _compile(src, "typer")
    typer.__globals__.update(_impl=_elementwise_impl, _name=name, _length=_tuple_length,
                             _names=names)
    overload(getattr(P, name), jit_options=JIT_OPTIONS)(typer)


for _name, (_params, _expr) in P.ELEMENTWISE.items():
    _register_elementwise(_name, _params)


@functools.lru_cache(maxsize=None)
def _outer_impl(n: int, m: int):
    elems = tuple_display([f"(p[{i}] * q[{j}] if p[{i}] != 0.0 and q[{j}] != 0.0 else 0.0)"
                           for i in range(n) for j in range(m)])
    return _compile(f"def impl(p, q):\n    return {elems}\n", "impl")


@overload(P.outer, jit_options=JIT_OPTIONS)
def _outer(p, q):
    return _outer_impl(len(p), len(q))


@functools.lru_cache(maxsize=None)
def _zeros_impl(n: int):
    return _compile(f"def impl(p):\n    return {tuple_display(['0.0'] * n)}\n", "impl")


@overload(P.zeros_like, jit_options=JIT_OPTIONS)
def _zeros_like(p):
    return _zeros_impl(len(p))


@functools.lru_cache(maxsize=None)
def _unit_like_impl(n: int):
    elems = tuple_display([f"(1.0 if j == {k} else 0.0)" for k in range(n)])
    return _compile(f"def impl(p, j):\n    return {elems}\n", "impl")


@overload(P.unit_like, jit_options=JIT_OPTIONS)
def _unit_like(p, j):
    return _unit_like_impl(len(p))
