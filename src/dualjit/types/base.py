"""What every number type shares in Python: validation, operators, comparisons.

The algebra itself lives in each type's module as plain functions; compiled code and
boxed Python objects run the very same functions.
"""
from __future__ import annotations

import math
import numbers

import numpy as np


def as_float(value, argname: str) -> float:
    """A real number as float, or a TypeError naming the argument."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{argname} must be a real number, got {type(value).__name__}: {value!r}")
    return float(value)


def as_component(value, argname: str, interval: bool = False):
    """A number's component: a float, or an Interval when ``interval`` (a float then
    becomes the point interval holding it)."""
    from .interval import Interval
    if isinstance(value, Interval):
        if not interval:
            raise TypeError(f"{argname} is an Interval but the value is a float: all "
                            "components of a number must be of one kind")
        return value
    v = as_float(value, argname)
    return Interval._raw(v, v) if interval else v


def is_interval(value) -> bool:
    from .interval import Interval
    return isinstance(value, Interval)


def as_partials(value, argname: str, interval: bool = False) -> tuple:
    """A number or a sequence of numbers as a non-empty tuple of components."""
    if isinstance(value, (tuple, list, np.ndarray)):
        if len(value) == 0:
            raise ValueError(f"{argname} must hold at least one partial, got an empty sequence")
        return tuple(as_component(v, f"{argname}[{i}]", interval) for i, v in enumerate(value))
    return (as_component(value, argname, interval),)


def _fmt(v) -> str:
    return repr(v) if not isinstance(v, float) or math.isfinite(v) else str(v)


def fmt_tuple(t: tuple) -> str:
    return "(" + ", ".join(_fmt(v) for v in t) + ("," if len(t) == 1 else "") + ")"


class Number:
    """Base of the boxed number types; subclasses set ``_algebra`` and ``__slots__``."""

    __slots__ = ()
    _algebra = None  # the module holding add, mul, chain, ...

    def _binary(self, other, same, with_const, const_with=None, reflected=False):
        alg = self._algebra
        if isinstance(other, type(self)):
            return getattr(alg, same)(other, self) if reflected else getattr(alg, same)(self, other)
        if isinstance(other, Number):
            raise TypeError(f"cannot combine {type(self).__name__} with {type(other).__name__}")
        c = as_component(other, "other operand", is_interval(self.value))
        if reflected and const_with:
            return getattr(alg, const_with)(c, self)
        return getattr(alg, with_const)(self, c)

    def __add__(self, o): return self._binary(o, "add", "add_const")
    def __radd__(self, o): return self._binary(o, "add", "add_const", reflected=True)
    def __sub__(self, o): return self._binary(o, "sub", "sub_const")
    def __rsub__(self, o): return self._binary(o, "sub", "sub_const", "const_sub", reflected=True)
    def __mul__(self, o): return self._binary(o, "mul", "mul_const")
    def __rmul__(self, o): return self._binary(o, "mul", "mul_const", reflected=True)
    def __truediv__(self, o): return self._binary(o, "div", "div_const")
    def __rtruediv__(self, o): return self._binary(o, "div", "div_const", "const_div", reflected=True)
    def __neg__(self): return self._algebra.neg(self)
    def __pos__(self): return self

    def _cmp_value(self, other):
        if isinstance(other, Number):
            return other.value
        return as_component(other, "other operand", is_interval(self.value))

    def __eq__(self, o):
        if not isinstance(o, (Number, numbers.Real, np.floating, np.integer)):
            return NotImplemented
        return self.value == self._cmp_value(o)

    def __ne__(self, o):
        eq = self.__eq__(o)
        return eq if eq is NotImplemented else not eq

    def __lt__(self, o): return self.value < self._cmp_value(o)
    def __le__(self, o): return self.value <= self._cmp_value(o)
    def __gt__(self, o): return self.value > self._cmp_value(o)
    def __ge__(self, o): return self.value >= self._cmp_value(o)
    __hash__ = None  # mutable-free but compared by value only: not hashable on purpose

    def __float__(self):
        raise TypeError(
            f"float() of a {type(self).__name__} would silently drop its derivative; "
            "take the value explicitly with x.value"
        )
