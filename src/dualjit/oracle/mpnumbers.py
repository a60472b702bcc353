"""High-precision hyper-dual numbers for re-executing a user's program exactly.

:class:`MPHyperDual` is a + b e1 + c e2 + d e1e2 (e1² = e2² = 0) with mpmath ``mpf``
components. Seeded as ``MPHyperDual(x, 1, 1, 0)`` and pushed through a program, it
carries the program's value (a), first derivative (b = c) and second derivative (d),
each computed at mpmath's working precision: the arithmetic (+ - * / and integer or
real powers) is mpmath's, rounded once per operation at the working precision, and
every elementary function is the rule table's mpmath ``reference`` triple (f, f', f'')
applied with the chain rule -- never the engine's float formulas.

:data:`FUNCTIONS` maps Python callables (``math.sin``, ``np.sin``, ``abs``, ``max``,
``pow``, ``math.floor``, ``dualjit.sigmoid``, ...) to their MPHyperDual versions, built
from every row of :data:`dualjit.rules.RULES` (through each row's ``targets``), plus a
few value predicates (``math.isnan``/``isinf``/``isfinite`` and NumPy's).

Kinks. Whenever one of these functions is evaluated at a non-differentiable point of
its rule (the rows' ``kinks``: abs at 0, a max/min tie, floor/ceil/trunc at an
integer, sqrt at 0, copysign at a zero, fmod where the quotient is an integer, ...)
with at least one hyper-dual argument, ``(operation name, argument values as
doubles)`` is appended to the list of the innermost :func:`recording_kinks` block.
At a kink the derivative reported is what the row's reference gives there (e.g.
abs' = sign(0) = 0, max at a tie: all to the second argument): a one-sided or
conventional value, not a derivative -- the kink list is what tells the caller.

Derivative components that do not exist (the reference raises a domain error or a
division by zero, e.g. sqrt' at 0) become mpmath NaN; a value that does not exist
(log(-1), 1/0) raises ``ValueError``/``ZeroDivisionError``, which the oracle's
escalation reports as ``undefined``. Partials are evaluated lazily: a derivative
reference is not called when the seeds it multiplies are all zero.

Literal floats and ints are converted exactly (a double is exactly its binary value,
an int exactly its integer), whatever the working precision.
"""
from __future__ import annotations

import builtins
import contextlib
import contextvars
import math
import numbers
import operator
from fractions import Fraction

import mpmath as mp
import numpy as np
from mpmath import libmp

from ..rules.schema import qualified_name
from .rounding import to_float64

__all__ = [
    "MPHyperDual", "FUNCTIONS", "UnsupportedOperationError", "mp_function",
    "recording_kinks", "record_kink", "exact", "lift", "KINK_PREDICATES",
]


class UnsupportedOperationError(TypeError):
    """The program uses something the MP re-execution cannot evaluate exactly."""


# --------------------------------------------------------------------------- kinks

_KINKS: contextvars.ContextVar = contextvars.ContextVar("dualjit_mp_kinks", default=None)


@contextlib.contextmanager
def recording_kinks():
    """``with recording_kinks() as kinks:`` -- kinks met inside the block are appended
    to the list ``kinks`` as (operation name, tuple of argument doubles)."""
    kinks: list = []
    token = _KINKS.set(kinks)
    try:
        yield kinks
    finally:
        _KINKS.reset(token)


def record_kink(name: str, args) -> None:
    """Append (name, argument values as doubles) to the active kink list, if any."""
    kinks = _KINKS.get()
    if kinks is None:
        return
    vals = []
    for a in args:
        v = a.a if isinstance(a, MPHyperDual) else a
        if isinstance(v, mp.mpf):
            vals.append(_to_double(v))
        else:
            vals.append(float(v))
    kinks.append((name, tuple(vals)))


def _to_double(v) -> float:
    if mp.isnan(v):
        return math.nan
    if mp.isinf(v):
        return math.inf if v > 0 else -math.inf
    return to_float64(v)


# --------------------------------------------------------------------------- numbers

def exact(v):
    """An exact mpf for a Python/NumPy real number (or an mpf, returned as is)."""
    if isinstance(v, mp.mpf):
        return v
    if isinstance(v, (bool, np.bool_)):
        v = int(v)
    if isinstance(v, numbers.Integral):
        return mp.make_mpf(libmp.from_int(int(v)))
    if isinstance(v, numbers.Real):
        return mp.make_mpf(libmp.from_float(float(v)))
    raise UnsupportedOperationError(
        f"cannot use a {type(v).__name__} ({v!r}) as a real number in the MP re-execution")


def _is_real(v) -> bool:
    return isinstance(v, (numbers.Real, mp.mpf, np.bool_)) and not isinstance(v, mp.mpc)


def lift(v) -> "MPHyperDual":
    """``v`` as an MPHyperDual (a constant: zero partials) if it is not one already."""
    if isinstance(v, MPHyperDual):
        return v
    return MPHyperDual(exact(v))


_ZERO = mp.make_mpf(libmp.fzero)


def _nz(v) -> bool:
    """True when v is not an exact zero (NaN counts as nonzero)."""
    return not (isinstance(v, mp.mpf) and v == 0 and not mp.isnan(v))


def _scale(p, s):
    """p*s, but exactly 0 when the seed s is 0 (so an undefined p stays harmless)."""
    return p * s if _nz(s) else _ZERO


class MPHyperDual:
    """a + b e1 + c e2 + d e1e2 with mpf components (see the module docstring)."""

    __slots__ = ("a", "b", "c", "d")
    __array_ufunc__ = None        # NumPy scalars defer to our reflected operators
    __array_priority__ = 1000

    def __init__(self, a, b=0, c=0, d=0):
        self.a = exact(a)
        self.b = exact(b)
        self.c = exact(c)
        self.d = exact(d)

    # -- helpers
    @property
    def has_partials(self) -> bool:
        return _nz(self.b) or _nz(self.c) or _nz(self.d)

    @staticmethod
    def _coerce(other):
        if isinstance(other, MPHyperDual):
            return other
        if _is_real(other):
            return MPHyperDual(exact(other))
        return None

    def __repr__(self):
        return f"MPHyperDual({self.a}, {self.b}, {self.c}, {self.d})"

    # -- arithmetic
    def __add__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return MPHyperDual(self.a + o.a, self.b + o.b, self.c + o.c, self.d + o.d)

    __radd__ = __add__

    def __sub__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return MPHyperDual(self.a - o.a, self.b - o.b, self.c - o.c, self.d - o.d)

    def __rsub__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return o - self

    def __mul__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        x, y = self, o
        return MPHyperDual(x.a * y.a, x.a * y.b + x.b * y.a, x.a * y.c + x.c * y.a,
                           x.a * y.d + x.b * y.c + x.c * y.b + x.d * y.a)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return _divide(self, o)

    def __rtruediv__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return _divide(o, self)

    def __neg__(self):
        return MPHyperDual(-self.a, -self.b, -self.c, -self.d)

    def __pos__(self):
        return self

    def __abs__(self):
        return FUNCTIONS[abs](self)

    def __pow__(self, other, mod=None):
        if mod is not None:
            raise UnsupportedOperationError("pow with a modulus is not supported")
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return _POW(self, o)

    def __rpow__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return _POW(o, self)

    # -- comparisons act on the value
    def _cmp(self, other, op):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return op(self.a, o.a)

    def __eq__(self, other):
        return self._cmp(other, operator.eq)

    def __ne__(self, other):
        return self._cmp(other, operator.ne)

    def __lt__(self, other):
        return self._cmp(other, operator.lt)

    def __le__(self, other):
        return self._cmp(other, operator.le)

    def __gt__(self, other):
        return self._cmp(other, operator.gt)

    def __ge__(self, other):
        return self._cmp(other, operator.ge)

    __hash__ = None

    def __bool__(self):
        return bool(self.a)

    def __int__(self):
        return int(self.a)       # truncation, as int(float)

    def __float__(self):
        raise UnsupportedOperationError(
            "float() of a hyper-dual number would drop its derivatives and round its "
            "value; the MP re-execution does not support it")


def _divide(x: MPHyperDual, y: MPHyperDual) -> MPHyperDual:
    """q = x / y with one rounding for the value; partials from x = q y."""
    if y.a == 0:
        raise ZeroDivisionError("division by zero")
    q = x.a / y.a
    b = (x.b - q * y.b) / y.a
    c = (x.c - q * y.c) / y.a
    d = (x.d - q * y.d - b * y.c - c * y.b) / y.a
    return MPHyperDual(q, b, c, d)


# --------------------------------------------------------------------------- chain rules

def _real_value(r, name):
    """The reference's value as an mpf; a non-real value raises ValueError."""
    if isinstance(r, mp.mpc):
        if r.imag != 0:
            raise ValueError(f"{name} is not real here (complex result)")
        r = r.real
    if isinstance(r, (numbers.Integral, numbers.Real)) and not isinstance(r, mp.mpf):
        r = exact(r)
    return r


def _partial(fn, args):
    """A derivative reference at args, or mpmath NaN where it does not exist."""
    try:
        r = fn(*args)
    except (ValueError, ZeroDivisionError):
        return mp.nan
    if isinstance(r, mp.mpc):
        return r.real if r.imag == 0 else mp.nan
    if not isinstance(r, mp.mpf):
        r = exact(r)
    return r


def chain1(x: MPHyperDual, v, f1, f2) -> MPHyperDual:
    """g(x) for a hyper-dual x, g(x.a) = v, with g' and g'' from the callables f1, f2
    (called lazily with x.a)."""
    if not x.has_partials:
        return MPHyperDual(v)
    d1 = _partial(f1, (x.a,))
    d2 = _partial(f2, (x.a,)) if (_nz(x.b) and _nz(x.c)) else _ZERO
    return MPHyperDual(v, _scale(d1, x.b), _scale(d1, x.c),
                       _scale(d1, x.d) + _scale(_scale(d2, x.b), x.c))


def chain2(x: MPHyperDual, z: MPHyperDual, v, firsts, seconds) -> MPHyperDual:
    """g(x, z) with the partial references ``firsts`` = (gx, gz) and ``seconds`` =
    (gxx, gxz, gzz), each called lazily with (x.a, z.a) only if its seeds are nonzero."""
    args = (x.a, z.a)
    xp, zp = x.has_partials, z.has_partials
    if not (xp or zp):
        return MPHyperDual(v)
    gx = _partial(firsts[0], args) if xp else _ZERO
    gz = _partial(firsts[1], args) if zp else _ZERO
    need_xx = _nz(x.b) and _nz(x.c)
    need_xz = (_nz(x.b) and _nz(z.c)) or (_nz(x.c) and _nz(z.b))
    need_zz = _nz(z.b) and _nz(z.c)
    gxx = _partial(seconds[0], args) if need_xx else _ZERO
    gxz = _partial(seconds[1], args) if need_xz else _ZERO
    gzz = _partial(seconds[2], args) if need_zz else _ZERO
    b = _scale(gx, x.b) + _scale(gz, z.b)
    c = _scale(gx, x.c) + _scale(gz, z.c)
    d = (_scale(gx, x.d) + _scale(gz, z.d) + _scale(_scale(gxx, x.b), x.c)
         + (_scale(gxz, x.b * z.c + x.c * z.b) if need_xz else _ZERO)
         + _scale(_scale(gzz, z.b), z.c))
    return MPHyperDual(v, b, c, d)


# --------------------------------------------------------------------------- kinks per rule

def _isint(v) -> bool:
    return bool(mp.isfinite(v) and mp.isint(v))


def _pow_kink(x, z):
    return x.a == 0 or (x.a < 0 and z.has_partials)


#: Rule name -> predicate on the (hyper-dual) arguments telling whether the call is at
#: one of the row's ``kinks``. Every rule with kinks has one (checked by the tests).
KINK_PREDICATES = {
    "abs": lambda x: x.a == 0,
    "floor": lambda x: _isint(x.a),
    "ceil": lambda x: _isint(x.a),
    "trunc": lambda x: _isint(x.a) and x.a != 0,
    "copysign": lambda x, z: x.a == 0 or z.a == 0,
    "fmod": None,        # decided inside fmod, from its exact remainder
    "max": lambda x, z: x.a == z.a,
    "min": lambda x, z: x.a == z.a,
    "maximum": lambda x, z: x.a == z.a,
    "minimum": lambda x, z: x.a == z.a,
    "sqrt": lambda x: x.a == 0,
    "cbrt": lambda x: x.a == 0,
    "log": lambda x: x.a == 0,
    "log2": lambda x: x.a == 0,
    "log10": lambda x: x.a == 0,
    "log1p": lambda x: x.a == -1,
    "pow": _pow_kink,
    "asin": lambda x: abs(x.a) == 1,
    "acos": lambda x: abs(x.a) == 1,
    "atanh": lambda x: abs(x.a) == 1,
    "acosh": lambda x: x.a == 1,
    "atan2": lambda x, z: x.a == 0 and z.a == 0,
    "hypot": lambda x, z: x.a == 0 and z.a == 0,
    "gamma": lambda x: _isint(x.a) and x.a <= 0,
    "lgamma": lambda x: _isint(x.a) and x.a <= 0,
    "logaddexp": lambda x, z: x.a == z.a and mp.isinf(x.a),
    "xlogy": lambda x, z: x.a == 0,
    "xlog1py": lambda x, z: x.a == 0,
}


# --------------------------------------------------------------------------- function table

def _any_mp(args) -> bool:
    return any(isinstance(a, MPHyperDual) for a in args)


def _make_unary(rule, label):
    f0, f1, f2 = rule.reference
    pred = KINK_PREDICATES.get(rule.name)

    def fn(x):
        hyper = isinstance(x, MPHyperDual)
        x = lift(x)
        if hyper and pred is not None and pred(x):
            record_kink(label, (x,))
        v = _real_value(f0(x.a), label)
        return chain1(x, v, f1, f2)

    fn.__name__ = f"mp_{rule.name}"
    fn.__qualname__ = fn.__name__
    fn.rule = rule.name
    return fn


def _make_binary(rule, label):
    f0, firsts, seconds = rule.reference
    pred = KINK_PREDICATES.get(rule.name)

    def fn(x, z):
        hyper = isinstance(x, MPHyperDual) or isinstance(z, MPHyperDual)
        x, z = lift(x), lift(z)
        if hyper and pred is not None and pred(x, z):
            record_kink(label, (x, z))
        v = _real_value(f0(x.a, z.a), label)
        return chain2(x, z, v, firsts, seconds)

    fn.__name__ = f"mp_{rule.name}"
    fn.__qualname__ = fn.__name__
    fn.rule = rule.name
    return fn


def _exact_fmod(xa, za):
    """(x - n z, n) with n = trunc(x/z), from the exact binary values."""
    if not (mp.isfinite(xa)) or za == 0 or mp.isnan(za):
        raise ValueError("fmod is undefined here")
    if mp.isinf(za):
        return xa, 0
    p, q = libmp.to_rational(xa._mpf_)
    r, s = libmp.to_rational(za._mpf_)
    fx, fz = Fraction(int(p), int(q)), Fraction(int(r), int(s))
    n = int(fx / fz)             # truncates toward zero
    rem = fx - n * fz
    return mp.mpf(rem.numerator) / rem.denominator, n


def _make_fmod(label):
    def fn(x, z):
        hyper = isinstance(x, MPHyperDual) or isinstance(z, MPHyperDual)
        x, z = lift(x), lift(z)
        v, n = _exact_fmod(x.a, z.a)
        if hyper and v == 0:
            record_kink(label, (x, z))
        nn = exact(-n)
        return chain2(x, z, v, (lambda a, b: mp.mpf(1), lambda a, b: nn),
                      (lambda a, b: _ZERO,) * 3)

    fn.__name__ = "mp_fmod"
    fn.rule = "fmod"
    return fn


def _make_int_step(rule, label, np_version):
    """math.floor/ceil/trunc return a Python int (as in plain Numba); the NumPy forms a
    constant hyper-dual (zero partials)."""
    f0 = rule.reference[0]
    pred = KINK_PREDICATES[rule.name]

    def fn(x):
        hyper = isinstance(x, MPHyperDual)
        x = lift(x)
        if hyper and pred(x):
            record_kink(label, (x,))
        v = _real_value(f0(x.a), label)
        if np_version:
            return MPHyperDual(v)
        if not mp.isfinite(v):
            raise ValueError(f"{label} of a non-finite value")
        return int(v)

    fn.__name__ = f"mp_{rule.name}"
    fn.rule = rule.name
    return fn


def _make_select(rule, label, builtin):
    """max/min (builtins: any number of arguments or one iterable) and NumPy's
    maximum/minimum (two arguments) built on the binary rule."""
    pair = _make_binary(rule, label)
    py = {"max": builtins.max, "min": builtins.min}.get(rule.name)

    def fn(*args, **kwargs):
        if kwargs:
            raise UnsupportedOperationError(f"{label} with keyword arguments is not supported")
        if builtin and len(args) == 1:
            args = tuple(args[0])
        if len(args) < 2 and builtin:
            if len(args) == 1:
                return args[0]
            raise TypeError(f"{label} expected at least 1 argument")
        if not builtin and len(args) != 2:
            raise UnsupportedOperationError(f"{label} takes exactly two arguments here")
        if not _any_mp(args) and py is not None:
            return py(*args)
        acc = args[0]
        for a in args[1:]:
            acc = pair(acc, a)
        return acc

    fn.__name__ = f"mp_{rule.name}"
    fn.rule = rule.name
    return fn


def _make_abs(rule, label, builtin):
    un = _make_unary(rule, label)

    def fn(x):
        if builtin and not isinstance(x, MPHyperDual):
            return builtins.abs(x)           # ints stay ints: exact either way
        return un(x)

    fn.__name__ = "mp_abs"
    fn.rule = "abs"
    return fn


def _make_pow(rule, label):
    binary = _make_binary(rule, label)

    def fn(x, z, *mod):
        if mod:
            raise UnsupportedOperationError(f"{label} with a modulus is not supported")
        if (isinstance(x, int) and isinstance(z, int) and not isinstance(x, bool)
                and not isinstance(z, bool)):
            return builtins.pow(x, z)        # integer arithmetic is exact already
        return binary(x, z)

    fn.__name__ = "mp_pow"
    fn.rule = "pow"
    return fn


_label = qualified_name


def _value_predicate(pred, label):
    def fn(x):
        v = x.a if isinstance(x, MPHyperDual) else exact(x)
        return bool(pred(v))

    fn.__name__ = f"mp_{label.split('.')[-1]}"
    return fn


class _Table(dict):
    """{callable: MP version}; callables that are unhashable are looked up by id."""

    def lookup(self, obj):
        try:
            return self.get(obj)
        except TypeError:
            return None


def _build_table():
    from ..rules import RULES

    table = _Table()
    for rule in RULES:
        if rule.algebra:
            continue
        for t in rule.targets:
            if t is None:
                continue
            label = _label(t)
            if rule.name in ("floor", "ceil", "trunc"):
                fn = _make_int_step(rule, label, np_version=isinstance(t, np.ufunc))
            elif rule.name in ("max", "min", "maximum", "minimum"):
                fn = _make_select(rule, label, builtin=t in (builtins.max, builtins.min))
            elif rule.name == "abs":
                fn = _make_abs(rule, label, builtin=t is builtins.abs)
            elif rule.name == "fmod":
                fn = _make_fmod(label)
            elif rule.name == "pow":
                fn = _make_pow(rule, label)
            elif rule.arity == 1:
                fn = _make_unary(rule, label)
            else:
                fn = _make_binary(rule, label)
            table[t] = fn
    for t, pred in ((math.isnan, mp.isnan), (math.isinf, mp.isinf),
                    (math.isfinite, mp.isfinite), (np.isnan, mp.isnan),
                    (np.isinf, mp.isinf), (np.isfinite, mp.isfinite)):
        table[t] = _value_predicate(pred, _label(t))
    return table


FUNCTIONS: _Table = _build_table()
_POW = FUNCTIONS[builtins.pow]


def mp_function(obj):
    """The MPHyperDual version of the callable ``obj`` (math.sin, np.sin, abs,
    dualjit.sigmoid, ...), or None if the rule table has no row for it."""
    return FUNCTIONS.lookup(obj)
