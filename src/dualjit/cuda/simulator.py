"""Python fallback numbers for the CUDA simulator, generated from the rule table.

Under ``NUMBA_ENABLE_CUDASIM=1`` numba-cuda runs device code as plain Python: the native
Dual/HyperDual extension types do not exist there and ``math.sin(dual)`` cannot work
(``math.sin`` calls ``__float__``). So the high-level API (:mod:`dualjit.cuda.api`) runs
the user's function like this in the simulator:

* :class:`SimDual` and :class:`SimHyperDual` are the boxed number types with their
  algebra (``dualjit.types.dual`` / ``hyperdual``, the very same functions, re-bound to
  the subclasses) and components stored as ``numpy.float64``, so that a division by zero
  or an overflow gives inf/NaN as in compiled code instead of raising.
* :data:`SIM_FUNCTIONS` maps every target of every rule (``math.sin``, ``np.sin``,
  ``abs``, ``max``, ``pow``, ``dualjit.sigmoid``, ...) to a Python function generated
  from the rule's row. It mirrors the compiled overloads of
  :mod:`dualjit.numba_ext.rules` exactly: the value is the target itself on the float
  value, the derivatives come from the rule's ``first``/``second`` formulas with the
  NaN-value convention (a NaN value makes every derivative NaN), and the type's own
  ``chain``/``chain2`` combine them; ``x ** n`` with an integer ``n`` repeats Numba's
  integer power (repeated squaring) and ``n * x**(n-1)``; ``math.floor/ceil/trunc``
  return the int. The float coefficients ``(f, f', f'')`` of each target are computed by
  a small CPU-compiled kernel built from the row (compiled once per target on first
  use), so the value and every coefficient are bit-for-bit the CPU path's.
* Every ``numpy`` ufunc target is also a method of the number classes, so ``np.sin(x)``
  works on a SimDual object even without translation (NumPy calls ``x.sin()``).
* :func:`sim_function` re-executes the user's ``f.py_func`` with its global ``math``,
  ``numpy``, ``dualjit`` (and other) modules swapped for shims that dispatch on these
  numbers: the re-execution machinery of :mod:`dualjit.certify.function` with other
  counterparts. Called njit functions (and plain Python helpers) are translated
  recursively.

Result: in the simulator ``dualjit.cuda.derivative(f, xs)`` equals ``dualjit.derivative``
on the CPU bit for bit, for every rule (tests/cuda/test_simulator.py checks all of them).
A real GPU may differ by fma contractions (see docs/cuda.md).
"""
from __future__ import annotations

import builtins
import math
import numbers
import operator
import types as pytypes
import weakref

import numpy as np

from ..api.rule import CustomRule
from ..rules import RULES
from ..types import Dual, HyperDual
from ..types import dual as _dual_module
from ..types import hyperdual as _hyper_module
from ..types.base import Number

__all__ = ["SimDual", "SimHyperDual", "SIM_FUNCTIONS", "sim_function", "to_sim",
           "SimulatorUnsupportedError"]

NAN = np.float64("nan")

# The same exceptions as dualjit.numba_ext.rules (kept in step by tests/cuda).
INT_VALUED = (math.floor, math.ceil, math.trunc)
POW_TARGETS = (operator.pow, operator.ipow, pow, math.pow, np.power)
INPLACE_FORMS = {operator.pow: operator.ipow}


class SimulatorUnsupportedError(TypeError):
    """The function uses something the simulator's re-execution cannot run on duals."""


def _f64(v):
    if isinstance(v, Number):
        raise TypeError(f"expected a real number, got {type(v).__name__} {v!r}")
    return np.float64(v)


def _f64_tuple(p):
    if isinstance(p, (tuple, list, np.ndarray)):
        if len(p) == 0:
            raise ValueError("a dualjit number needs at least one partial")
        return tuple(np.float64(v) for v in p)
    return (np.float64(p),)


# --------------------------------------------------------------------------- number types

def _rebind_algebra(module, cls_name, sim_cls):
    """The module's algebra functions, unchanged, with the type name bound to ``sim_cls``."""
    g = dict(module.__dict__)
    g[cls_name] = sim_cls
    ns = {}
    for name, fn in module.__dict__.items():
        if isinstance(fn, pytypes.FunctionType) and fn.__module__ == module.__name__:
            new = pytypes.FunctionType(fn.__code__, g, name, fn.__defaults__, fn.__closure__)
            new.__doc__ = fn.__doc__
            ns[name] = g[name] = new
    ns["ORDER"] = module.ORDER
    return pytypes.SimpleNamespace(**ns)


class _SimMixin:
    __slots__ = ()

    def __pow__(self, other, mod=None):
        if mod is not None:
            raise TypeError("pow() with a modulus is not supported on dualjit numbers")
        return SIM_FUNCTIONS[operator.pow](self, other)

    def __rpow__(self, other):
        return SIM_FUNCTIONS[operator.pow](other, self)

    def __abs__(self):
        return SIM_FUNCTIONS[abs](self)


class SimDual(_SimMixin, Dual):
    """A :class:`~dualjit.Dual` for the CUDA simulator (components are numpy.float64)."""

    __slots__ = ()

    def __init__(self, value, partials=0.0):
        self.value = _f64(value)
        self.partials = _f64_tuple(partials)


class SimHyperDual(_SimMixin, HyperDual):
    """A :class:`~dualjit.HyperDual` for the CUDA simulator (components are numpy.float64)."""

    __slots__ = ()

    def __init__(self, value, e1=0.0, e2=0.0, e12=None):
        self.value = _f64(value)
        self.e1 = _f64_tuple(e1)
        self.e2 = _f64_tuple(e2)
        size = len(self.e1) * len(self.e2)
        self.e12 = (np.float64(0.0),) * size if e12 is None else _f64_tuple(e12)
        if len(self.e12) != size:
            raise ValueError(f"e12 must hold len(e1)*len(e2) = {size} values, got {len(self.e12)}")


SimDual._algebra = _rebind_algebra(_dual_module, "Dual", SimDual)
SimHyperDual._algebra = _rebind_algebra(_hyper_module, "HyperDual", SimHyperDual)


def to_sim(x):
    """A boxed Dual/HyperDual as its simulator counterpart (others unchanged)."""
    if isinstance(x, (SimDual, SimHyperDual)):
        return x
    if isinstance(x, Dual):
        return SimDual(x.value, x.partials)
    if isinstance(x, HyperDual):
        return SimHyperDual(x.value, x.e1, x.e2, x.e12)
    return x


# --------------------------------------------------------------------------- coefficients

class _Coefficients:
    """The float part of one target's rule, compiled for the CPU on first use:
    unary ``a -> (y, f1, f2)``, binary ``(a, b) -> (y, fx, fz, fxx, fxz, fzz)``, with the
    NaN-value convention of :mod:`dualjit.numba_ext.rules`; ``value`` is the target alone."""

    def __init__(self, target, rule):
        self.target, self.rule = target, rule
        self._coeffs = self._value = None

    def _jit(self, fn):
        from ..numba_ext import register  # noqa: F401  (the float overloads: cbrt, fmod, ...)
        from ..numba_ext.policy import jit
        return jit(fn)

    def coeffs(self, *args):
        if self._coeffs is None:
            self._coeffs = self._jit(self._make())
        return self._coeffs(*args)

    def value(self, *args):
        if self._value is None:
            target = self.target
            if self.rule.arity == 1:
                self._value = self._jit(lambda a: target(a))
            else:
                self._value = self._jit(lambda a, b: target(a, b))
        return self._value(*args)

    def _make(self):
        if self.rule.derivatives is not None:
            return self._make_custom()
        target, first, second = self.target, self.rule.first, self.rule.second
        if self.rule.arity == 1:
            def unary(a):
                y = target(a)
                if y != y:
                    return y, NAN_F, NAN_F
                d1 = first(a, y)
                return y, d1, second(a, y, d1)
            return unary

        def binary(a, b):
            y = target(a, b)
            if y != y:
                return y, NAN_F, NAN_F, NAN_F, NAN_F, NAN_F
            fx, fz = first(a, b, y)
            fxx, fxz, fzz = second(a, b, y, fx, fz)
            return y, fx, fz, fxx, fxz, fzz
        return binary


    def _make_custom(self):
        """A custom rule (dualjit.rule): its derivatives function, called once; second
        partials NaN for a first-order rule (never used: HyperDual refuses it)."""
        derivatives = self.rule.derivatives
        if self.rule.arity == 1:
            if self.rule.order == 1:
                def unary1(a):
                    r = derivatives(a)
                    y = float(r[0])
                    return y, float(r[1]) if y == y else NAN_F, NAN_F
                return unary1

            def unary(a):
                r = derivatives(a)
                y = float(r[0])
                if y != y:
                    return y, NAN_F, NAN_F
                return y, float(r[1]), float(r[2])
            return unary
        if self.rule.order == 1:
            def binary1(a, b):
                r = derivatives(a, b)
                y = float(r[0])
                if y != y:
                    return y, NAN_F, NAN_F, NAN_F, NAN_F, NAN_F
                return y, float(r[1]), float(r[2]), NAN_F, NAN_F, NAN_F
            return binary1

        def binary(a, b):
            r = derivatives(a, b)
            y = float(r[0])
            if y != y:
                return y, NAN_F, NAN_F, NAN_F, NAN_F, NAN_F
            return y, float(r[1]), float(r[2]), float(r[3]), float(r[4]), float(r[5])
        return binary


NAN_F = float("nan")  # a plain float constant for the compiled coefficient kernels


def _is_float(v) -> bool:
    return isinstance(v, (float, np.floating))


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _plain_call(target, coeffs, *args):
    """A rule target on plain numbers: floats through the compiled float target (NaN/inf
    instead of Python's exceptions), anything else through the target itself."""
    if all(_is_float(a) for a in args):
        return coeffs.value(*(np.float64(a) for a in args))
    return target(*args)


def _int_power(a, n):
    """Numba's float ** int (repeated squaring; ``math.pow`` beyond 0x10000)."""
    a = np.float64(a)
    e = -n if n < 0 else n
    if e > 0x10000:
        return np.float64(_POW_COEFFS.value(a, np.float64(n)))
    r = np.float64(1.0)
    while e != 0:
        if e & 1:
            r = r * a
        e >>= 1
        a = a * a
    return np.float64(1.0) / r if n < 0 else r


def _check_pair(name, x, z):
    if isinstance(x, Number) and isinstance(z, Number):
        if type(x) is not type(z) or _shape(x) != _shape(z):
            raise TypeError(f"{name}: cannot combine {x!r} and {z!r}; both operands must be "
                            "the same number type with the same partials")
    for v in (x, z):
        if not isinstance(v, (Number, numbers.Real, np.floating, np.integer)):
            raise TypeError(f"{name}: unsupported operand {type(v).__name__} {v!r} next to a "
                            "dualjit number")


def _shape(x):
    return (len(x.partials),) if isinstance(x, Dual) else (len(x.e1), len(x.e2))


def _make_unary(target, rule):
    coeffs = _Coefficients(target, rule)
    int_valued = target in INT_VALUED

    def fn(x):
        if not isinstance(x, Number):
            return _plain_call(target, coeffs, x)
        if int_valued:
            return coeffs.value(x.value)
        y, d1, d2 = coeffs.coeffs(x.value)
        return x._algebra.chain(x, np.float64(y), np.float64(d1), np.float64(d2))

    fn.__name__ = f"sim_{getattr(target, '__name__', rule.name)}"
    fn.__qualname__ = fn.__name__
    return fn


def _make_binary(target, rule):
    coeffs = _Coefficients(target, rule)
    is_pow = target in POW_TARGETS
    name = getattr(target, "__name__", rule.name)

    def fn(x, z):
        xn, zn = isinstance(x, Number), isinstance(z, Number)
        if not (xn or zn):
            return _plain_call(target, coeffs, x, z)
        _check_pair(name, x, z)
        if is_pow and xn and _is_int(z):
            return _int_power_rule(x, int(z))
        if xn and zn:
            alg = x._algebra
            y, fx, fz, fxx, fxz, fzz = map(np.float64, coeffs.coeffs(x.value, z.value))
            return alg.chain2(x, z, y, fx, fz, fxx, fxz, fzz)
        if xn:
            y, fx, fz, fxx, fxz, fzz = map(np.float64, coeffs.coeffs(x.value, np.float64(z)))
            return x._algebra.chain(x, y, fx, fxx)
        y, fx, fz, fxx, fxz, fzz = map(np.float64, coeffs.coeffs(np.float64(x), z.value))
        return z._algebra.chain(z, y, fz, fzz)

    fn.__name__ = f"sim_{name}"
    fn.__qualname__ = fn.__name__
    return fn


def _int_power_rule(x, z):
    """x ** z for an integer z: dualjit.numba_ext.rules._int_power_impl in Python."""
    alg, a = x._algebra, x.value
    y = _int_power(a, z)
    if y != y:
        return alg.chain(x, y, NAN, NAN)
    if z == 0:
        return alg.chain(x, y, np.float64(0.0), np.float64(0.0))
    d1 = z * _int_power(a, z - 1)
    d2 = np.float64(0.0) if alg.ORDER == 1 or z == 1 else z * (z - 1) * _int_power(a, z - 2)
    return alg.chain(x, y, d1, d2)


def _build_functions():
    table = {}
    for rule in RULES:
        if rule.algebra:  # + - * / and unary -: the number classes' own operators
            for target in rule.targets:
                table[target] = target
            continue
        targets = rule.targets + tuple(INPLACE_FORMS[t] for t in rule.targets
                                       if t in INPLACE_FORMS and INPLACE_FORMS[t] not in rule.targets)
        for target in targets:
            table[target] = (_make_unary if rule.arity == 1 else _make_binary)(target, rule)
    return table


#: Every rule target -> its simulator version (generated from dualjit.rules.RULES).
SIM_FUNCTIONS: dict = _build_functions()
_POW_COEFFS = _Coefficients(math.pow, next(r for r in RULES if math.pow in r.targets))


def _value_predicate(fn):
    def pred(x, *rest):
        return fn(x.value if isinstance(x, Number) else x, *rest)
    pred.__name__ = f"sim_{fn.__name__}"
    return pred


for _p in (math.isnan, math.isinf, math.isfinite, np.isnan, np.isinf, np.isfinite, np.signbit):
    SIM_FUNCTIONS.setdefault(_p, _value_predicate(_p))


def _method(fn):
    def method(self, *args):
        return fn(self, *args)
    method.__name__ = fn.__name__
    return method


# np.sin(obj) on an object calls obj.sin(): give the classes one method per ufunc target.
for _target, _fn in list(SIM_FUNCTIONS.items()):
    if isinstance(_target, np.ufunc):
        for _cls in (SimDual, SimHyperDual):
            if not hasattr(_cls, _target.__name__):
                setattr(_cls, _target.__name__, _method(_fn))


# --------------------------------------------------------------------------- re-execution

def _sim_float(v=0.0):
    """float(...) / np.float64(...) in the re-executed code: numpy.float64 (a float
    subclass that gives inf/NaN where a Python float raises); duals pass through."""
    if isinstance(v, Number):
        return v
    return np.float64(v)


def _refuse(name):
    def refuse(*args, **kwargs):
        raise SimulatorUnsupportedError(
            f"{name} cannot be used in the CUDA simulator's re-execution of a dualjit "
            "function: it has no row in dualjit's rule table (see "
            "dualjit.supported_functions()) and is not an njit or plain Python function")
    refuse.__name__ = f"unsupported_{name}"
    return refuse


def _plain_only(fn, name):
    """A non-rule callable: fine on plain values, a clear error on a dualjit number."""
    def call(*args, **kwargs):
        if any(isinstance(a, Number) for a in args) or any(
                isinstance(v, Number) for v in kwargs.values()):
            raise SimulatorUnsupportedError(
                f"dualjit has no derivative rule for {name}; see dualjit.supported_functions()")
        return fn(*args, **kwargs)
    call.__name__ = f"plain_{getattr(fn, '__name__', 'fn')}"
    return call


_SIM_EXTRAS = {
    "numpy": {"float64": _sim_float, "double": _sim_float, "pi": np.pi, "e": np.e,
              "inf": np.inf, "nan": np.nan},
    "numba": {"prange": builtins.range, "literal_unroll": lambda t: t},
}


def _pairwise_builtin(name):
    """min/max/pow: the rule's function for two operands, the builtin for other forms
    (max(iterable), max(a, b, c), pow(a, b, mod))."""
    original, fn = getattr(builtins, name), SIM_FUNCTIONS[getattr(builtins, name)]

    def call(*args, **kwargs):
        if len(args) == 2 and not kwargs:
            return fn(*args)
        if name in ("min", "max") and len(args) > 2 and not kwargs:
            r = fn(args[0], args[1])
            for a in args[2:]:
                r = fn(r, a)
            return r
        return original(*args, **kwargs)
    call.__name__ = f"sim_{name}"
    return call


def _sim_builtins():
    b = dict(builtins.__dict__)
    b["abs"] = SIM_FUNCTIONS[abs]
    for name in ("min", "max", "pow"):
        b[name] = _pairwise_builtin(name)
    b["float"] = _sim_float
    return b


def _make_translator():
    from ..certify.function import _py_func_of, _Translator

    translator = None

    def function_for(obj):
        try:
            fn = SIM_FUNCTIONS.get(obj)
        except TypeError:  # unhashable
            return None
        if fn is not None:
            return fn
        if isinstance(obj, CustomRule):  # a dualjit.rule function: its own rule
            fn = SIM_FUNCTIONS[obj] = (_make_unary if obj.arity == 1 else _make_binary)(
                obj, obj.rule)
            return fn
        if obj is Dual or obj is SimDual:
            return SimDual
        if obj is HyperDual or obj is SimHyperDual:
            return SimHyperDual
        if _py_func_of(obj) is not None or isinstance(obj, type):
            return None
        if isinstance(obj, pytypes.FunctionType) and not getattr(obj, "__module__", "").startswith(
                ("numpy", "dualjit.cuda")):
            return translator.function(obj)  # a plain Python helper: re-execute it too
        if callable(obj) and not isinstance(obj, pytypes.ModuleType):
            return _plain_only(obj, getattr(obj, "__qualname__", repr(obj)))
        return None

    translator = _Translator(function_for=function_for, extras=_SIM_EXTRAS,
                             builtins_dict=_sim_builtins(), unsupported=_refuse, label="Sim")
    return translator


_TRANSLATED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def sim_function(f):
    """The simulator version of ``f`` (an njit dispatcher, a dualjit.jit function or a plain
    Python function): its Python source re-executed on SimDual/SimHyperDual numbers."""
    from ..certify.function import _py_func_of

    try:
        return _TRANSLATED[f]
    except (KeyError, TypeError):
        pass
    py = _py_func_of(f)
    if py is None:
        if not isinstance(f, pytypes.FunctionType):
            raise TypeError(f"f must be a numba.njit function or a plain Python function, got "
                            f"{type(f).__name__}: {f!r}")
        py = f
    translated = _make_translator().function(py, key=f)
    try:
        _TRANSLATED[f] = translated
    except TypeError:
        pass
    return translated

