"""argnums: which arguments of f are differentiated (an int or a tuple of ints, as in JAX).

An int moves that argument to the front; a tuple packs the chosen arguments (floats and
1-D arrays) into one flat vector. Either way a small adapter, generated and compiled once
per (function, layout), calls f with every argument back in its place, and the verbs
differentiate the adapter with respect to its first argument. Results of a tuple argnums
are split back into one entry per differentiated argument.
"""
from __future__ import annotations

import numbers
import weakref
from dataclasses import dataclass

import numpy as np

from ..numba_ext.policy import jit
from ._validate import as_point, as_vector

_ADAPTERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Slot:
    """One differentiated argument: its position, and its slice of the flat vector."""
    position: int
    scalar: bool
    start: int
    stop: int


@dataclass(frozen=True)
class Layout:
    nargs: int
    slots: tuple      # of Slot, in argnums order
    packed: bool      # tuple argnums: arguments packed into one flat vector

    @property
    def positions(self):
        return tuple(s.position for s in self.slots)


def normalize(argnums, nargs: int, verb: str):
    """(tuple of positions, packed?) after checking argnums against the call."""
    if isinstance(argnums, (bool, np.bool_)):
        raise TypeError(f"{verb}: argnums must be an int or a tuple of ints, got {argnums!r}")
    if isinstance(argnums, (numbers.Integral, np.integer)):
        positions, packed = (int(argnums),), False
    elif isinstance(argnums, tuple) and argnums and all(
            isinstance(a, (numbers.Integral, np.integer)) and not isinstance(a, bool) for a in argnums):
        positions, packed = tuple(int(a) for a in argnums), True
    else:
        raise TypeError(f"{verb}: argnums must be an int or a non-empty tuple of ints, got {argnums!r}")
    for p in positions:
        if not -nargs <= p < nargs:
            raise ValueError(f"{verb}: argnums {argnums!r} is out of range for a call with "
                             f"{nargs} argument{'s' if nargs != 1 else ''}")
    positions = tuple(p % nargs for p in positions)
    if len(set(positions)) != len(positions):
        raise ValueError(f"{verb}: argnums {argnums!r} names an argument twice")
    return positions, packed


def split_call(args: tuple, argnums, verb: str, scalar_only=False, vector_only=False):
    """(x, rest, layout): x is what the verb differentiates (a float or a 1-D float64
    array), rest are the other arguments in order."""
    if not args:
        raise TypeError(f"{verb}: missing the point to differentiate at (f's first argument)")
    if argnums == 0 and type(argnums) is int:  # the common case, kept cheap
        x = args[0]
        if scalar_only or (np.ndim(x) == 0 and not vector_only):
            return as_point(x, "x"), args[1:], _FIRST_SCALAR
        x = as_vector(x, "x")
        return x, args[1:], _FIRST_VECTOR
    positions, packed = normalize(argnums, len(args), verb)
    pieces, slots, start = [], [], 0
    for p in positions:
        name = "x" if p == 0 else f"argument {p}"
        value = args[p]
        is_scalar = np.ndim(value) == 0 and not vector_only
        if is_scalar:
            piece = np.array([as_point(value, name)])
        elif scalar_only and not packed:
            piece = np.array([as_point(value, name)])  # raises: a scalar is required
        else:
            piece = as_vector(value, name)
        if scalar_only and not is_scalar:
            raise TypeError(f"{verb}: {name} must be a real scalar, got an array")
        slots.append(Slot(p, is_scalar, start, start + piece.shape[0]))
        pieces.append(piece)
        start += piece.shape[0]
    layout = Layout(len(args), tuple(slots), packed)
    rest = tuple(a for i, a in enumerate(args) if i not in positions)
    if packed:
        x = np.concatenate(pieces)
    elif slots[0].scalar:
        x = float(pieces[0][0])
    else:
        x = pieces[0]
    return x, rest, layout


# Layouts of argnums=0 (unpacked: the slice bounds are not used).
_FIRST_SCALAR = Layout(0, (Slot(0, True, 0, 1),), False)
_FIRST_VECTOR = Layout(0, (Slot(0, False, 0, 0),), False)


def adapter(f, layout: Layout):
    """f itself when argnums == 0 (unpacked), else a compiled reordering/unpacking call."""
    if not layout.packed and layout.positions == (0,):
        return f
    per_function = _ADAPTERS.get(f)
    if per_function is None:
        per_function = _ADAPTERS[f] = {}
    fn = per_function.get(layout)
    if fn is None:
        fn = per_function[layout] = jit(_generate(f, layout))
    return fn


def _generate(f, layout: Layout):
    rest_names = [f"r{i}" for i in range(layout.nargs - len(layout.slots))]
    by_position = {s.position: s for s in layout.slots}
    call, rest = [], iter(rest_names)
    for p in range(layout.nargs):
        s = by_position.get(p)
        if s is None:
            call.append(next(rest))
        elif not layout.packed:
            call.append("v")
        elif s.scalar:
            call.append(f"v[{s.start}]")
        else:
            call.append(f"v[{s.start}:{s.stop}]")
    params = ", ".join(["v"] + rest_names)
    src = f"def adapter({params}):\n    return f({', '.join(call)})\n"
    scope = {"f": f}
    exec(src, scope)  # noqa: S102 - source built from positions only
    return scope["adapter"]


def split_vector(g: np.ndarray, layout: Layout, axis: int = -1):
    """Split a result along ``axis`` into one entry per differentiated argument (a tuple
    for a packed layout; scalar arguments give their single element)."""
    if not layout.packed:
        return g
    out = []
    for s in layout.slots:
        part = np.take(g, range(s.start, s.stop), axis=axis)
        out.append(np.take(part, 0, axis=axis) if s.scalar else part)
    return tuple(float(p) if np.ndim(p) == 0 else p for p in out)


def split_matrix(H: np.ndarray, layout: Layout):
    """A Hessian split into blocks: ((H_00, H_01, ...), (H_10, ...), ...)."""
    if not layout.packed:
        return H
    rows = split_vector(H, layout, axis=0)
    return tuple(split_vector(np.atleast_1d(np.asarray(r)), layout, axis=-1) for r in rows)
