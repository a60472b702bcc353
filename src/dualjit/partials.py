"""Elementwise operations on partials tuples: the bottom layer of every number type.

Each operation is declared once as an element expression over tuples indexed by ``i``.
From that one declaration this module builds the plain-Python version (used by boxed
objects and the CUDA simulator) and :mod:`dualjit.numba_ext.partials` generates the
compiled, fully unrolled version for each tuple length (straight-line code that LLVM can
vectorize across the partials).
"""
from __future__ import annotations

__all__ = ["ELEMENTWISE", "add", "sub", "neg", "scale", "div", "axpby", "quotient",
           "muldiv", "add3", "outer", "zeros_like", "unit_like"]

#: name -> (parameters, element expression). Parameters named p, q, r are tuples
#: (the first one sets the length); the others are floats.
#:
#: Strong zero: a coefficient times a partial that is exactly zero gives exactly zero,
#: even for an infinite or NaN coefficient. A zero partial means "does not depend on this
#: direction", so e.g. sqrt of a constant 0, or pow(x, z) with x < 0 and a constant
#: dual z, must not turn the derivative into NaN. Written out as ``SZ(a, p[i])``.
ELEMENTWISE: dict[str, tuple[str, str]] = {
    "add": ("p, q", "p[i] + q[i]"),
    "sub": ("p, q", "p[i] - q[i]"),
    "neg": ("p", "-p[i]"),
    "scale": ("a, p", "SZ(a, p[i])"),
    "div": ("p, d", "p[i] / d"),
    "axpby": ("a, p, b, q", "SZ(a, p[i]) + SZ(b, q[i])"),
    # (p - a*q) / d: the derivative part of a quotient, divided last for accuracy
    "quotient": ("p, a, q, d", "(p[i] - SZ(a, q[i])) / d"),
    "muldiv": ("a, p, d", "SZ(a, p[i]) / d"),
    "add3": ("p, q, r", "p[i] + q[i] + r[i]"),
}


def expand_strong_zero(expr: str) -> str:
    """SZ(a, b) -> (a * b if b != 0.0 else 0.0), textually (b is a simple operand)."""
    import re
    return re.sub(r"SZ\((\w+), ([\w\[\]{}]+)\)", r"(\1 * \2 if \2 != 0.0 else 0.0)", expr)


TUPLE_PARAMS = frozenset("pqr")


def _python_version(name: str, params: str, expr: str):
    names = [s.strip() for s in params.split(",")]
    first_tuple = next(n for n in names if n in TUPLE_PARAMS)
    src = (f"def {name}({params}):\n"
           f"    return tuple({expand_strong_zero(expr)} for i in range(len({first_tuple})))\n")
    scope: dict = {}
    exec(src, scope)  # noqa: S102 - source built from the constant table above
    fn = scope[name]
    fn.__doc__ = f"Elementwise ``{expr}`` over the partials."
    return fn


def _op(name):
    return _python_version(name, *ELEMENTWISE[name])


add, sub, neg, scale, div = _op("add"), _op("sub"), _op("neg"), _op("scale"), _op("div")
axpby, quotient, muldiv, add3 = _op("axpby"), _op("quotient"), _op("muldiv"), _op("add3")


def outer(p, q):
    """Row-major outer product (element (i, j) at index i*len(q) + j), strong zero."""
    return tuple(a * b if a != 0.0 and b != 0.0 else 0.0 for a in p for b in q)


def zeros_like(p):
    return tuple(0.0 for _ in p)


def unit_like(p, j: int):
    """The j-th unit tuple as long as p (all zeros when j is outside 0..len(p)-1)."""
    return tuple(1.0 if i == j else 0.0 for i in range(len(p)))
