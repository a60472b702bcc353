"""Certify a whole user function: the engine's value and derivatives at one point
against the exact derivatives of the *program*.

:func:`certify_function` re-runs the Python source of a user's ``@numba.njit``
function (``f.py_func``) on :class:`~dualjit.oracle.mpnumbers.MPHyperDual` numbers
(mpmath components), so every operation of the program is done at high precision and
every elementary function is evaluated from its mathematical definition (the rule
table's mpmath references with the chain rule). The float input x is taken exactly.
The result is the true value, f' and f'' of the program *as written*, at x: for
(x*x - 4)/(x - 2) that is x + 2 and a derivative of 1, wherever x != 2 -- not the
derivative of what float arithmetic happens to compute. Each component is escalated
with the oracle's policy (:func:`dualjit.oracle.evaluate`): accepted when two
consecutive precisions round to the same double, else ``unresolved``.

How the source is re-executed
-----------------------------
A new function object is built from ``f.py_func.__code__`` with a fresh globals dict.
Every global name the code (and its nested code objects) refers to is translated:

* a module (``math``, ``numpy``/``np``, ``dualjit``, ``numba``, any other) becomes a
  shim whose attributes are translated the same way on access;
* a callable with a rule-table row (``math.sin``, ``np.sin``, ``from math import exp``,
  ``dualjit.sigmoid``, ...) becomes its MP version
  (:data:`dualjit.oracle.mpnumbers.FUNCTIONS`);
* an njit dispatcher (or a ``dualjit.jit`` function) becomes the re-executed MP version
  of its own ``py_func``, recursively (recursion and mutual recursion work);
* numbers, strings, None and NumPy arrays pass through (floats are exact doubles);
* any other callable becomes a refusal raising
  :class:`~dualjit.oracle.mpnumbers.UnsupportedOperationError` naming it when called.

The builtins ``abs``, ``min``, ``max`` and ``pow`` are replaced by their MP versions
(plain ints and floats still behave as in Python); closure cells are translated like
globals; defaults pass through. ``np.float64(v)`` is the identity on hyper-duals;
``np.empty``/``zeros``/``ones`` (and ``dualjit.empty``/``zeros``...) make NumPy
object arrays of exact zeros, so an array can hold hyper-duals.

Not supported (a clear error, naming the construct): NumPy array functions without a
rule row (``np.sum``, ``np.dot``, ...), ``float()`` of a hyper-dual, ``%`` and ``//``
on hyper-duals, plain Python helpers (``register_jitable``/``@overload`` functions
other than dualjit's own), numba features without a Python meaning, functions called
through objects the translation cannot see (e.g. a dispatcher stored inside a list or
passed as an argument: it runs as compiled float code and fails on a hyper-dual). The
re-execution is plain Python: a slow program (long loops) is slow here too, once per
precision.

What "true" means: the program's operations in exact (high-precision) arithmetic on
the exact float input. So branches follow the exact comparisons (which may differ from
the float run's near a tie), intermediates never overflow or underflow (mpmath has
neither), and at a kink the derivative is the rule reference's value there (abs' = 0
at 0, max at a tie all to its second argument, sqrt' at 0 undefined) -- the
certificate lists every kink met so the caller knows the derivative is conventional.
"""
from __future__ import annotations

import builtins
import math
import numbers
import types
from dataclasses import dataclass, field

import mpmath as mp
import numpy as np

from ..oracle.mpnumbers import (MPHyperDual, UnsupportedOperationError, lift,
                                mp_function, recording_kinks)
from ..oracle.precision import (UNRESOLVED, Outcome, PrecisionPolicy, ReferenceBugError,
                                evaluate, resolve_policy)
from ..oracle.scoring import Score, ulp_error, value_agrees

__all__ = ["certify_function", "certify_gradient", "program_reference",
           "FunctionCertificate", "GradientCertificate", "ProgramReference", "mp_version",
           "UnsupportedOperationError"]


# --------------------------------------------------------------------------- argument checks

def _is_dispatcher(obj) -> bool:
    try:
        from numba.core.dispatcher import Dispatcher
    except ImportError:  # pragma: no cover - numba is a dependency
        return False
    return isinstance(obj, Dispatcher)


def _py_func_of(obj):
    """The Python function behind an njit dispatcher or a dualjit.jit function, else None."""
    if _is_dispatcher(obj):
        return obj.py_func
    disp = getattr(type(obj), "dispatcher", None)
    if disp is not None:
        try:
            d = obj.dispatcher
        except Exception:  # noqa: BLE001
            return None
        if _is_dispatcher(d):
            return d.py_func
    return None


def _check_function(f, argname="f"):
    py = _py_func_of(f)
    if py is None:
        raise TypeError(f"{argname} must be a numba.njit function (or a dualjit.jit "
                        f"function), got {type(f).__name__}: {f!r}")
    return py


def _check_scalar(x, argname="x") -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{argname} must be a real scalar (a float), got "
                        f"{type(x).__name__}: {x!r}")
    return float(x)


def _check_vector(x, argname="x") -> np.ndarray:
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(f"{argname} must be a 1-D array of real numbers, got "
                        f"{type(x).__name__}: {x!r}")
    arr = np.asarray(x)
    if arr.ndim != 1 or arr.dtype == np.bool_ or not (
            np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
        raise TypeError(f"{argname} must be a 1-D array of real numbers, got an array of "
                        f"dtype {arr.dtype} and shape {arr.shape}")
    return np.ascontiguousarray(arr, dtype=np.float64)


# --------------------------------------------------------------------------- re-execution

def _unsupported(name):
    def refuse(*args, **kwargs):
        raise UnsupportedOperationError(
            f"{name} is not supported by certify_function: it has no row in dualjit's "
            "rule table (see dualjit.supported_functions()) and is not an njit function")

    refuse.__name__ = f"unsupported_{name}"
    return refuse


def _mp_zeros(shape, *args, **kwargs):
    out = np.empty(shape, dtype=object)
    out.fill(MPHyperDual(0))
    return out


def _mp_zeros_like(x, *args, **kwargs):
    return _mp_zeros(np.shape(x))


def _mp_ones(shape, *args, **kwargs):
    out = np.empty(shape, dtype=object)
    out.fill(MPHyperDual(1))
    return out


def _as_number(v=0.0):
    """np.float64(v) / float-like constructors: hyper-duals unchanged, reals exact."""
    if isinstance(v, MPHyperDual):
        return v
    return float(v)


_EXTRAS = {
    # module name -> {attribute: replacement}
    "numpy": {"float64": _as_number, "double": _as_number, "empty": _mp_zeros,
              "zeros": _mp_zeros, "ones": _mp_ones, "empty_like": _mp_zeros_like,
              "zeros_like": _mp_zeros_like, "pi": np.pi, "e": np.e, "inf": np.inf,
              "nan": np.nan},
    "dualjit": {"empty": lambda shape, like=None: _mp_zeros(shape),
                "zeros": lambda shape, like=None: _mp_zeros(shape),
                "empty_like": _mp_zeros_like, "zeros_like": _mp_zeros_like},
    "numba": {"prange": builtins.range, "literal_unroll": lambda t: t},
}


class _ModuleShim:
    """A module whose attributes are translated for the re-execution (MP numbers here;
    the CUDA simulator's numbers in :mod:`dualjit.cuda.simulator`)."""

    def __init__(self, module, translator):
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_translator", translator)
        object.__setattr__(self, "_extras", translator.extras.get(module.__name__, {}))

    def __getattr__(self, name):
        extras = self._extras
        if name in extras:
            return extras[name]
        try:
            value = getattr(self._module, name)
        except AttributeError:
            raise AttributeError(f"module {self._module.__name__!r} has no attribute "
                                 f"{name!r}") from None
        return self._translator.translate(value, f"{self._module.__name__}.{name}")

    def __repr__(self):
        return f"<{self._translator.label} shim of module {self._module.__name__!r}>"


def _code_names(code) -> set:
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names |= _code_names(c)
    return names


def _mp_builtins():
    b = dict(builtins.__dict__)
    for name in ("abs", "min", "max", "pow"):
        b[name] = mp_function(getattr(builtins, name))
    return b


class _Translator:
    """Turns the objects a program refers to into their MP counterparts (cached, so
    recursive njit functions map to one MP function).

    The same re-execution serves the CUDA simulator (:mod:`dualjit.cuda.simulator`) with
    other counterparts: ``function_for(obj)`` gives the replacement of a callable (or
    None), ``extras`` the per-module replacements, ``builtins`` the builtins dict and
    ``unsupported(name)`` the refusal for any other callable. The defaults are the MP ones.
    """

    def __init__(self, function_for=None, extras=None, builtins_dict=None,
                 unsupported=None, label="MP"):
        self._cache: dict = {}      # id(obj) -> (obj, translated)
        self._function_for = mp_function if function_for is None else function_for
        self.extras = _EXTRAS if extras is None else extras
        self._builtins = _mp_builtins() if builtins_dict is None else builtins_dict
        self._unsupported = _unsupported if unsupported is None else unsupported
        self.label = label

    def _remember(self, obj, out):
        self._cache[id(obj)] = (obj, out)
        return out

    def translate(self, obj, name="?"):
        hit = self._cache.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        if isinstance(obj, (bool, numbers.Number, str, bytes, type(None), np.ndarray,
                            mp.mpf, MPHyperDual, range, slice)):
            return obj
        if isinstance(obj, types.ModuleType):
            return self._remember(obj, _ModuleShim(obj, self))
        fn = self._function_for(obj)
        if fn is not None:
            return fn
        py = _py_func_of(obj)
        if py is not None:
            return self.function(py, key=obj)
        if isinstance(obj, tuple):
            return tuple(self.translate(o, f"{name}[{i}]") for i, o in enumerate(obj))
        if isinstance(obj, type):
            return self._unsupported(name if name != "?" else obj.__name__)
        if callable(obj):
            label = name if name != "?" else getattr(obj, "__qualname__", repr(obj))
            return self._remember(obj, self._unsupported(label))
        return obj

    def function(self, py, key=None):
        """The MP re-execution of the plain Python function ``py``."""
        key = py if key is None else key
        hit = self._cache.get(id(key))
        if hit is not None and hit[0] is key:
            return hit[1]
        code = py.__code__
        g = {"__builtins__": self._builtins, "__name__": py.__globals__.get("__name__")}
        closure = None
        if py.__closure__:
            closure = tuple(types.CellType(self._cell(c, code, i))
                            for i, c in enumerate(py.__closure__))
        new = types.FunctionType(code, g, py.__name__, py.__defaults__, closure)
        new.__kwdefaults__ = py.__kwdefaults__
        new.__qualname__ = f"{self.label.lower()}:{py.__qualname__}"
        self._remember(key, new)
        if key is not py:
            self._remember(py, new)
        src = py.__globals__
        for name in _code_names(code):
            if name in src:
                g[name] = self.translate(src[name], name)
        return new

    def _cell(self, cell, code, i):
        try:
            value = cell.cell_contents
        except ValueError:          # an empty cell
            return None
        name = code.co_freevars[i] if i < len(code.co_freevars) else "?"
        return self.translate(value, name)


def mp_version(f):
    """The MP re-execution of the njit function ``f`` (a plain Python function taking
    and returning MPHyperDual numbers). For inspection and tests."""
    py = _check_function(f)
    return _Translator().function(py, key=f)


# --------------------------------------------------------------------------- evaluation

class _Runs:
    """Runs the MP program once per working precision and hands out components, so
    each component can be escalated separately by :func:`evaluate` without recomputing."""

    def __init__(self, mpf_fn, make_args, name):
        self._fn = mpf_fn
        self._make_args = make_args
        self._name = name
        self._cache: dict = {}
        self.kinks: list = []

    def run(self, margs):
        prec = mp.mp.prec
        if prec not in self._cache:
            with recording_kinks() as kinks:
                try:
                    r = self._fn(*self._make_args(margs))
                    out = ("ok", lift(r) if not isinstance(r, MPHyperDual) else r)
                except (ValueError, ZeroDivisionError, mp.libmp.NoConvergence) as e:
                    out = ("err", e)
            for k in kinks:
                if k not in self.kinks:
                    self.kinks.append(k)
            self._cache[prec] = out
        kind, val = self._cache[prec]
        if kind == "err":
            raise val
        return val

    def component(self, attr):
        def fn(*margs):
            return getattr(self.run(margs), attr)

        return fn


def _evaluate(runs: _Runs, attr, args, policy, name) -> Outcome:
    """One component, escalated; errors of the re-execution re-raised readably."""
    try:
        return evaluate(runs.component(attr), args, policy)
    except ReferenceBugError as e:
        cause = e.__cause__
        if isinstance(cause, UnsupportedOperationError):
            raise cause.with_traceback(None) from None
        if isinstance(cause, (TypeError, AttributeError, NameError, IndexError,
                              KeyError, RecursionError)):
            raise UnsupportedOperationError(
                f"re-executing {name}'s source on MP hyper-dual numbers failed with "
                f"{type(cause).__name__}: {cause}") from cause
        raise


def _escalate(runs: _Runs, args, policy, name):
    return tuple(_evaluate(runs, attr, args, policy, name) for attr in ("a", "b", "d"))


def _score_float(s: Score) -> float:
    if s.kind == "ok":
        return s.ulps
    if s.kind == "unresolved":
        return math.nan
    return math.inf


# --------------------------------------------------------------------------- certificates

def _fmt(v) -> str:
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, float):
        return f"{v:.17g}" if math.isfinite(v) else str(v)
    return str(v)


def _fmt_ulp(s: Score) -> str:
    if s.kind == "ok":
        return f"{s.ulps:.3g}"
    return s.kind


@dataclass(frozen=True)
class FunctionCertificate:
    """The engine's answer for f at x against the exact derivatives of f's program.

    Engine side: ``value``, ``derivative`` (``dualjit.value_and_derivative``),
    ``second_derivative`` (``dualjit.second_derivative``), ``primal`` (plain f(x)).
    Truth (correctly rounded doubles; NaN when undefined/unresolved):
    ``true_value``, ``true_derivative``, ``true_second_derivative``; the oracle's
    Outcomes are in ``value_outcome``, ``derivative_outcome``,
    ``second_derivative_outcome`` (status ok/undefined/overflow/unresolved).
    Errors in ulps of the truth: ``value_ulp``, ``primal_ulp``, ``derivative_ulp``,
    ``second_derivative_ulp`` -- a float: the ulp count when the score's kind is
    ``ok``, +inf for a mismatch (NaN/inf mismatch, false zero, defined vs undefined),
    NaN when the truth is unresolved. The full :class:`~dualjit.oracle.Score` of each
    is in ``value_score``, ``primal_score``, ``derivative_score``,
    ``second_derivative_score`` (``.kind`` tells which case).
    ``value_agrees``: |value - true| <= |primal - true| (None if undecidable).
    ``kinks``: (operation, argument doubles) for every non-differentiable point the
    program's evaluation touched -- where the derivative of the program may not exist,
    the "true" derivatives above are one-sided/conventional values of the rule
    references, and their ulp scores mean little.
    """

    x: float
    value: float
    derivative: float
    second_derivative: float
    primal: float
    true_value: float
    true_derivative: float
    true_second_derivative: float
    value_ulp: float
    primal_ulp: float
    derivative_ulp: float
    second_derivative_ulp: float
    value_agrees: bool | None
    kinks: tuple
    value_score: Score = field(repr=False)
    primal_score: Score = field(repr=False)
    derivative_score: Score = field(repr=False)
    second_derivative_score: Score = field(repr=False)
    value_outcome: Outcome = field(repr=False)
    derivative_outcome: Outcome = field(repr=False)
    second_derivative_outcome: Outcome = field(repr=False)
    function: str = ""
    # dualjit.enclose(f, x, order=2): Intervals guaranteed to hold the exact value, f' and
    # f''; None when the enclosure could not be formed (enclosure_error says why).
    enclosure: object = field(default=None, repr=False)
    enclosure_error: str = ""

    @property
    def derivative_enclosure(self):
        return None if self.enclosure is None else self.enclosure.derivative

    @property
    def second_derivative_enclosure(self):
        return None if self.enclosure is None else self.enclosure.second_derivative

    @property
    def derivative_reliable(self) -> bool:
        """The point derivative lies in its enclosure, within the enclosure's tolerance
        (64 ulps by default) of every value it allows; False when the enclosure is too
        wide, misses the point derivative or could not be formed."""
        return bool(self.enclosure is not None and self.enclosure.reliable)

    @property
    def resolved(self) -> bool:
        """True when the oracle resolved all three true components."""
        return all(o.status != UNRESOLVED for o in (
            self.value_outcome, self.derivative_outcome, self.second_derivative_outcome))

    @property
    def at_kink(self) -> bool:
        return bool(self.kinks)

    def __repr__(self):
        rows = [
            ("value", self.value, self.true_value, self.value_score, self.value_outcome),
            ("primal f(x)", self.primal, self.true_value, self.primal_score,
             self.value_outcome),
            ("f'", self.derivative, self.true_derivative, self.derivative_score,
             self.derivative_outcome),
            ("f''", self.second_derivative, self.true_second_derivative,
             self.second_derivative_score, self.second_derivative_outcome),
        ]
        head = (f"FunctionCertificate({self.function or 'f'} at x = {_fmt(self.x)} "
                f"[{self.x.hex()}])")
        lines = [head, f"  {'':<12} {'computed':>24}  {'true':>24}  {'ulp error':>12}"]
        for label, comp, true, score, outc in rows:
            t = _fmt(true) if outc.status in ("ok", "overflow") else outc.status
            lines.append(f"  {label:<12} {_fmt(comp):>24}  {t:>24}  {_fmt_ulp(score):>12}")
        lines.append(f"  value agrees (|v - true| <= |f(x) - true|): {self.value_agrees}")
        if self.enclosure is not None:
            e = self.enclosure
            lines.append(f"  f' enclosure  [{_fmt(e.derivative.lo)}, {_fmt(e.derivative.hi)}]: "
                         + ("reliable" if self.derivative_reliable else
                            f"UNRELIABLE (not certified to {e.tolerance_ulps:g} ulps)"))
            lines.append(f"  f'' enclosure [{_fmt(e.second_derivative.lo)}, "
                         f"{_fmt(e.second_derivative.hi)}]")
        else:
            lines.append(f"  no enclosure: {self.enclosure_error}")
        if self.kinks:
            lines.append("  kinks (non-differentiable points touched; derivatives there "
                         "are conventional):")
            for op, args in self.kinks:
                lines.append(f"    {op}{tuple(args)}")
        else:
            lines.append("  kinks: none")
        return "\n".join(lines)


@dataclass(frozen=True)
class GradientCertificate:
    """The engine's gradient of f: R^n -> R at x against the program's exact gradient.

    ``value``/``gradient`` (``dualjit.value_and_gradient``), ``primal`` (plain f(x)),
    ``true_value``, ``true_gradient`` (tuple of doubles), ``value_ulp``, ``primal_ulp``,
    ``gradient_ulp`` (tuple; +inf for mismatches, NaN if unresolved), the Scores in
    ``value_score``/``primal_score``/``gradient_scores``, ``value_agrees``, ``kinks``
    (union over the per-component runs), ``x`` (tuple of doubles).
    """

    x: tuple
    value: float
    gradient: tuple
    primal: float
    true_value: float
    true_gradient: tuple
    value_ulp: float
    primal_ulp: float
    gradient_ulp: tuple
    value_agrees: bool | None
    kinks: tuple
    value_score: Score = field(repr=False)
    primal_score: Score = field(repr=False)
    gradient_scores: tuple = field(repr=False)
    value_outcome: Outcome = field(repr=False)
    gradient_outcomes: tuple = field(repr=False)
    function: str = ""
    # dualjit.enclose(f, x): Intervals guaranteed to hold the exact value and gradient
    enclosure: object = field(default=None, repr=False)
    enclosure_error: str = ""

    @property
    def gradient_reliable(self) -> bool:
        """Every gradient entry is certified by its enclosure (see Enclosures.reliable)."""
        return bool(self.enclosure is not None and self.enclosure.reliable)

    @property
    def max_gradient_ulp(self) -> float:
        return max(self.gradient_ulp, default=0.0)

    def __repr__(self):
        lines = [f"GradientCertificate({self.function or 'f'} at x of length {len(self.x)})",
                 f"  {'':<12} {'computed':>24}  {'true':>24}  {'ulp error':>12}"]
        vt = _fmt(self.true_value) if self.value_outcome.defined else self.value_outcome.status
        lines.append(f"  {'value':<12} {_fmt(self.value):>24}  {vt:>24}  "
                     f"{_fmt_ulp(self.value_score):>12}")
        lines.append(f"  {'primal f(x)':<12} {_fmt(self.primal):>24}  {vt:>24}  "
                     f"{_fmt_ulp(self.primal_score):>12}")
        for i, (g, t, s, o) in enumerate(zip(self.gradient, self.true_gradient,
                                             self.gradient_scores, self.gradient_outcomes)):
            ts = _fmt(t) if o.defined else o.status
            lines.append(f"  {f'df/dx[{i}]':<12} {_fmt(g):>24}  {ts:>24}  {_fmt_ulp(s):>12}")
        lines.append(f"  value agrees (|v - true| <= |f(x) - true|): {self.value_agrees}")
        if self.enclosure is not None:
            for i, g in enumerate(self.enclosure.gradient):
                lines.append(f"  df/dx[{i}] enclosure [{_fmt(g.lo)}, {_fmt(g.hi)}]")
            lines.append("  gradient " + ("reliable" if self.gradient_reliable else
                         f"UNRELIABLE (not certified to {self.enclosure.tolerance_ulps:g} ulps)"))
        else:
            lines.append(f"  no enclosure: {self.enclosure_error}")
        if self.kinks:
            lines.append("  kinks (non-differentiable points touched):")
            lines.extend(f"    {op}{tuple(args)}" for op, args in self.kinks)
        else:
            lines.append("  kinks: none")
        return "\n".join(lines)


def _name(py) -> str:
    return getattr(py, "__qualname__", getattr(py, "__name__", "f"))


@dataclass(frozen=True)
class ProgramReference:
    """The exact value, f' and f'' of f's program at x (oracle Outcomes, each escalated
    on its own), and the kinks its evaluation touched."""

    x: float
    value: Outcome
    first: Outcome
    second: Outcome
    kinks: tuple
    function: str = ""

    def floats(self) -> tuple:
        """(value, f', f'') as doubles; NaN where undefined or unresolved."""
        return (self.value.value, self.first.value, self.second.value)


def program_reference(f, x, policy: PrecisionPolicy | None = None) -> ProgramReference:
    """The oracle half of :func:`certify_function`: re-execute f's source on MP
    hyper-duals seeded at the real scalar ``x`` (no engine call, no compilation)."""
    py = _check_function(f, "f")
    x = _check_scalar(x, "x")
    policy = resolve_policy(policy)
    mp_f = _Translator().function(py, key=f)
    runs = _Runs(mp_f, lambda margs: (MPHyperDual(margs[0], 1, 1, 0),), _name(py))
    tv, td, td2 = _escalate(runs, (x,), policy, _name(py))
    return ProgramReference(x, tv, td, td2, tuple(runs.kinks), _name(py))


def certify_function(f, x, policy: PrecisionPolicy | None = None) -> FunctionCertificate:
    """Certify the engine's value, f' and f'' of the njit function ``f`` at the real
    scalar ``x`` against the exact value and derivatives of f's program (see the module
    docstring). ``policy``: the oracle's precision policy (default: the one in force).

    Raises TypeError for a non-njit ``f`` or a non-real ``x`` and
    :class:`UnsupportedOperationError` (a TypeError) naming whatever in f's source the
    MP re-execution cannot evaluate (before the engine is called).
    """
    ref = program_reference(f, x, policy)
    x = ref.x
    from ..api.derivative import second_derivative, value_and_derivative

    tv, td, td2 = ref.value, ref.first, ref.second
    primal = float(f(x))
    value, deriv = (float(v) for v in value_and_derivative(f, x))
    second = float(second_derivative(f, x))
    vs, ps = ulp_error(value, tv), ulp_error(primal, tv)
    ds, d2s = ulp_error(deriv, td), ulp_error(second, td2)
    enclosure, enclosure_error = _enclosure(f, x)
    return FunctionCertificate(
        x=x, value=value, derivative=deriv, second_derivative=second, primal=primal,
        true_value=tv.value, true_derivative=td.value, true_second_derivative=td2.value,
        value_ulp=_score_float(vs), primal_ulp=_score_float(ps),
        derivative_ulp=_score_float(ds), second_derivative_ulp=_score_float(d2s),
        value_agrees=value_agrees(value, primal, tv), kinks=ref.kinks,
        value_score=vs, primal_score=ps, derivative_score=ds, second_derivative_score=d2s,
        value_outcome=tv, derivative_outcome=td, second_derivative_outcome=td2,
        function=ref.function, enclosure=enclosure, enclosure_error=enclosure_error)


def _enclosure(f, x, order=2):
    """(dualjit.enclose(f, x, order=order), '') or (None, why not)."""
    from numba.core.errors import TypingError

    from ..api.enclose import enclose
    if not all(math.isfinite(v) for v in (x if isinstance(x, tuple) else (x,))):
        return None, "x is not finite (intervals hold real numbers)"
    try:
        return enclose(f, list(x) if isinstance(x, tuple) else x, order=order), ""
    except ValueError as err:  # a branch on an undecidable comparison
        return None, str(err)
    except TypingError as err:
        return None, str(err).splitlines()[0]


def certify_gradient(f, x, policy: PrecisionPolicy | None = None) -> GradientCertificate:
    """Certify ``dualjit.value_and_gradient(f, x)`` for f: 1-D float array -> float at
    the 1-D array ``x``: one MP run per component i, with x[i] seeded as a hyper-dual
    (1, 1, 0) and the others constant; the program receives a NumPy object array."""
    py = _check_function(f, "f")
    xs = _check_vector(x, "x")
    policy = resolve_policy(policy)
    from ..api.gradient import value_and_gradient

    mp_f = _Translator().function(py, key=f)
    n = len(xs)
    kinks: list = []
    value_outcome = None
    grad_outcomes = []
    for i in range(n):
        def make_args(margs, i=i):
            arr = np.empty(n, dtype=object)
            for j, m in enumerate(margs):
                arr[j] = MPHyperDual(m, 1, 1, 0) if j == i else MPHyperDual(m)
            return (arr,)

        runs = _Runs(lambda arr: mp_f(arr), make_args, _name(py))
        comps = []
        for attr in (("a", "b") if i == 0 else ("b",)):
            comps.append(_evaluate(runs, attr, tuple(xs), policy, _name(py)))
        if i == 0:
            value_outcome = comps[0]
        grad_outcomes.append(comps[-1])
        for k in runs.kinks:
            if k not in kinks:
                kinks.append(k)
    if n == 0:
        runs = _Runs(lambda arr: mp_f(arr), lambda margs: (np.empty(0, dtype=object),),
                     _name(py))
        value_outcome = evaluate(runs.component("a"), (), policy)

    primal = float(f(xs.copy()))
    value, grad = value_and_gradient(f, xs.copy())
    value = float(value)
    grad = tuple(float(g) for g in np.asarray(grad, dtype=np.float64).ravel())
    vs, ps = ulp_error(value, value_outcome), ulp_error(primal, value_outcome)
    gs = tuple(ulp_error(g, o) for g, o in zip(grad, grad_outcomes))
    enclosure, enclosure_error = _enclosure(f, tuple(float(v) for v in xs), order=1)
    return GradientCertificate(
        x=tuple(float(v) for v in xs), value=value, gradient=grad, primal=primal,
        true_value=value_outcome.value, true_gradient=tuple(o.value for o in grad_outcomes),
        value_ulp=_score_float(vs), primal_ulp=_score_float(ps),
        gradient_ulp=tuple(_score_float(s) for s in gs),
        value_agrees=value_agrees(value, primal, value_outcome), kinks=tuple(kinks),
        value_score=vs, primal_score=ps, gradient_scores=gs, value_outcome=value_outcome,
        gradient_outcomes=tuple(grad_outcomes), function=_name(py),
        enclosure=enclosure, enclosure_error=enclosure_error)
