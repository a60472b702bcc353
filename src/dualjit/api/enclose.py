"""enclose: intervals guaranteed to contain a program's exact value and derivatives.

``enclose(f, x)`` runs the user's unchanged function on Dual (or HyperDual) numbers whose
components are Intervals. Every operation rounds outward and every rule uses its
enclosure from the rule table, so the result contains what f and its derivatives would
be if every operation of the program were carried out in exact real arithmetic at the
float input x (or over every x in an Interval input). Comparing that with the ordinary
float derivative tells whether floating point has ruined it.
"""
from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from .. import partials as P
from ..numba_ext.arrays import empty_number_array
from ..types import Dual, HyperDual
from ..types import interval as I
from ..types.interval import Interval
from . import _outputs as out
from ._dispatch import specialized
from ._validate import as_chunk, as_function

__all__ = ["enclose", "Enclosures", "DEFAULT_TOLERANCE_ULPS"]

#: A point derivative counts as reliable when the enclosure of the exact derivative holds
#: it and allows no exact value farther than this many of its ulps from it.
DEFAULT_TOLERANCE_ULPS = 64.0


# --- compiled kernels (plain Python; numba_ext compiles them) ---------------------------

def bounds(v):
    """(lo, hi) of an Interval result; a float result (f ignores x) is taken as exact."""
    return (v.lo, v.hi) if isinstance(v, Interval) else (float(v), float(v))


def enclose_first_kernel(f, x, args):
    r = f(Dual(I.make(x[0], x[1]), 1.0), *args)
    vlo, vhi = bounds(out.value(r))
    dlo, dhi = bounds(out.partial(r, 0))
    return vlo, vhi, dlo, dhi


def enclose_second_kernel(f, x, args):
    one = I.make(1.0, 1.0)
    r = f(HyperDual(I.make(x[0], x[1]), one, one, 0.0), *args)
    vlo, vhi = bounds(out.value(r))
    dlo, dhi = bounds(out.partial(r, 0))
    slo, shi = bounds(out.cross(r, 0))
    return vlo, vhi, dlo, dhi, slo, shi


def enclose_gradient_kernel(f, box, proto, args):
    n = box.shape[0]
    width = len(proto.partials)
    xd = empty_number_array(n, proto)
    grad = np.empty((n, 2))
    vlo, vhi = 0.0, 0.0
    for start in range(0, n, width):
        for i in range(n):
            xd[i] = Dual(I.make(box[i, 0], box[i, 1]), P.unit_like(proto.partials, i - start))
        r = f(xd, *args)
        vlo, vhi = bounds(out.value(r))
        for k in range(min(width, n - start)):
            grad[start + k, 0], grad[start + k, 1] = bounds(out.partial(r, k))
    return vlo, vhi, grad


@functools.lru_cache(maxsize=None)
def interval_prototype(width: int):
    """A zero interval Dual with ``width`` partials (its type sets the chunk size)."""
    zero = Interval(0.0)
    return Dual(zero, (zero,) * width)


# --- the result -------------------------------------------------------------------------------

def _ulp(v: float) -> float:
    v = abs(v)
    if not math.isfinite(v):
        return math.inf
    return max(math.ulp(v), 2.0 ** -1074)


class Enclosures:
    """Enclosures of f's exact value and derivatives at (or over) x, next to the plain
    floating-point results.

    ``value``, ``derivative`` (``second_derivative`` with order=2) are Intervals; for an
    array input ``gradient`` is a tuple of Intervals. ``point_derivative`` is what the
    ordinary Dual evaluation returns (only for a float input), and ``reliable`` says
    whether the enclosure certifies it to ``tolerance_ulps``.
    """

    def __init__(self, x, value, derivative=None, second_derivative=None, gradient=None,
                 point_derivative=None, point_gradient=None,
                 tolerance_ulps=DEFAULT_TOLERANCE_ULPS):
        self.x = x
        self.value = value
        self.derivative = derivative
        self.second_derivative = second_derivative
        self.gradient = gradient
        self.point_derivative = point_derivative
        self.point_gradient = point_gradient
        self.tolerance_ulps = tolerance_ulps

    @staticmethod
    def error_bound(enclosure: Interval, point: float) -> float:
        """A guaranteed bound of |point - exact| (inf when the point lies outside the
        enclosure: then it is certainly not the exact value)."""
        if enclosure.is_empty or not math.isfinite(point) or not enclosure.contains(point):
            return math.inf
        return max(point - enclosure.lo, enclosure.hi - point)

    @classmethod
    def certifies(cls, enclosure: Interval, point: float, tolerance_ulps: float) -> bool:
        """``point`` is within ``tolerance_ulps`` ulps of every value the enclosure allows."""
        bound = cls.error_bound(enclosure, point)
        return math.isfinite(bound) and bound <= tolerance_ulps * _ulp(point)

    @property
    def derivative_error(self):
        """Guaranteed bound(s) of the point derivative's (or gradient's) absolute error
        against the exact-arithmetic derivative; None for an Interval input."""
        if self.point_derivative is not None:
            return self.error_bound(self.derivative, self.point_derivative)
        if self.point_gradient is not None:
            return tuple(self.error_bound(g, p) for g, p in zip(self.gradient, self.point_gradient))
        return None

    @property
    def reliable(self):
        """True when every point derivative is certified to ``tolerance_ulps`` ulps of the
        exact derivative by its enclosure; None for an Interval input."""
        if self.point_derivative is not None:
            return self.certifies(self.derivative, self.point_derivative, self.tolerance_ulps)
        if self.point_gradient is not None:
            return all(self.certifies(g, p, self.tolerance_ulps)
                       for g, p in zip(self.gradient, self.point_gradient))
        return None

    def __repr__(self):
        lines = [f"Enclosures at x = {self.x!r}", f"  value:             {self.value!r}"]
        if self.derivative is not None:
            lines.append(f"  derivative:        {self.derivative!r}")
        if self.second_derivative is not None:
            lines.append(f"  second derivative: {self.second_derivative!r}")
        if self.gradient is not None:
            lines.append(f"  gradient:          {list(self.gradient)!r}")
        if self.point_derivative is not None:
            lines.append(f"  point derivative:  {self.point_derivative!r}")
        if self.reliable is not None:
            verdict = ("reliable" if self.reliable else
                       f"UNRELIABLE (not certified to {self.tolerance_ulps:g} ulps: outside the "
                       f"enclosure or the enclosure is too wide)")
            lines.append(f"  point derivative is {verdict}")
        return "\n".join(lines)


# --- the verb ----------------------------------------------------------------------------------

def _as_box(x, argname="x"):
    """(box as an (n, 2) float array, is_point, is_vector)."""
    if isinstance(x, Interval):
        return np.array([x.lo, x.hi]), False, False
    if isinstance(x, (numbers.Real, np.floating, np.integer)) and not isinstance(x, (bool, np.bool_)):
        v = float(x)
        if v != v:
            raise ValueError(f"{argname} is NaN: there is nothing to enclose")
        if math.isinf(v):
            raise ValueError(f"{argname} is infinite: intervals hold real numbers only")
        return np.array([v, v]), True, False
    items = list(x) if isinstance(x, (list, tuple, np.ndarray)) else None
    if not items:
        raise TypeError(f"{argname} must be a real number, an Interval, or a non-empty 1-D "
                        f"sequence of them, got {type(x).__name__}: {x!r}")
    rows, is_point = [], True
    for i, item in enumerate(items):
        row, point, vector = _as_box(item, f"{argname}[{i}]")
        if vector:
            raise ValueError(f"{argname} must be 1-D, got a nested sequence at {argname}[{i}]")
        rows.append(row)
        is_point = is_point and point
    return np.array(rows), is_point, True


def _check_order(order):
    if isinstance(order, bool) or order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")


def _interval(lo, hi) -> Interval:
    return I.make(lo, hi)


def enclose(f, x, *args, order=1, tolerance_ulps=DEFAULT_TOLERANCE_ULPS, chunk=8):
    """Guaranteed enclosures of f's exact-arithmetic value and derivatives.

    ``x`` is a float (enclosures at that point), an ``Interval`` (enclosures of the range
    of f, f', f'' over it) or a 1-D sequence of them (value and gradient of
    f: array -> float). ``args`` are f's other arguments, taken as exact constants.
    With a float input the ordinary derivative is computed too, and ``reliable`` tells
    whether the enclosure certifies it to within ``tolerance_ulps``.
    """
    _check_order(order)
    if not (isinstance(tolerance_ulps, (int, float)) and tolerance_ulps >= 0):
        raise ValueError(f"tolerance_ulps must be a non-negative number, got {tolerance_ulps!r}")
    box, is_point, is_vector = _as_box(x)
    g = as_function(f)
    if is_vector:
        if order != 1:
            raise ValueError("order=2 needs a scalar x: enclose the Hessian entries one "
                             "second derivative at a time")
        width = min(as_chunk(chunk), box.shape[0])
        vlo, vhi, grad = specialized(g, enclose_gradient_kernel, interval_prototype(width))(box, args)
        gradient = tuple(_interval(lo, hi) for lo, hi in grad)
        point = None
        if is_point:
            from .gradient import gradient as point_gradient_of
            point = tuple(point_gradient_of(g, box[:, 0].copy(), *args))
        return Enclosures(x, _interval(vlo, vhi), gradient=gradient, point_gradient=point,
                          tolerance_ulps=tolerance_ulps)
    point = None
    if is_point:
        from .derivative import derivative as point_derivative_of
        point = point_derivative_of(g, box[0], *args)
    if order == 1:
        vlo, vhi, dlo, dhi = specialized(g, enclose_first_kernel)(box, args)
        return Enclosures(x, _interval(vlo, vhi), _interval(dlo, dhi), point_derivative=point,
                          tolerance_ulps=tolerance_ulps)
    vlo, vhi, dlo, dhi, slo, shi = specialized(g, enclose_second_kernel)(box, args)
    return Enclosures(x, _interval(vlo, vhi), _interval(dlo, dhi), _interval(slo, shi),
                      point_derivative=point, tolerance_ulps=tolerance_ulps)
