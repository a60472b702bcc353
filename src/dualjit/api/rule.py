"""``@dualjit.rule``: a derivative rule for your own function.

A custom rule is a row of the rule table made at run time: the engine calls your
``derivatives`` function (value and partials in one call, free to share intermediate
values) wherever the function meets a dualjit number, on the CPU and in CUDA kernels,
and the oracle, :func:`dualjit.testing.check_rule`, ``dualjit certify`` and
``dualjit validate`` treat it like any built-in rule::

    import math, dualjit

    def logistic_derivatives(x):
        s = logistic(x)                 # the rule function itself, on a float
        d1 = s * (1.0 - s)
        return s, d1, d1 * (1.0 - 2.0 * s)

    @dualjit.rule(derivatives=logistic_derivatives)
    def logistic(x):
        return 1.0 / (1.0 + math.exp(-x))

Interval numbers do not use ``derivatives`` (its float formulas carry no error bound):
unless an :class:`~dualjit.rules.schema.Enclosure` is given, they differentiate the
primal's own body, which gives guaranteed enclosures of the primal's exact derivatives.
"""
from __future__ import annotations

import functools
import inspect
import math
import numbers

import numba
from numba.core import types

from ..numba_ext.policy import JIT_OPTIONS
from ..rules.schema import Domain, Enclosure, Kink, Rule

__all__ = ["rule", "CustomRule", "CUSTOM_RULES", "custom_rule_of", "normalise_domain",
           "normalise_sample_ranges"]

#: Registered custom rules by name (the latest registration of a name wins).
CUSTOM_RULES: dict = {}

#: Output counts ``derivatives`` may return: {arity: {count: order}}.
_SHAPES = {1: {2: 1, 3: 2}, 2: {3: 1, 6: 2}}
_SHAPE_TEXT = {1: "(y, f1) or (y, f1, f2)", 2: "(y, fx, fz) or (y, fx, fz, fxx, fxz, fzz)"}


def _dispatcher(fn, argname):
    """``fn`` compiled by Numba: an njit dispatcher as given, a plain function jitted
    with dualjit's options."""
    from numba.core.dispatcher import Dispatcher
    if isinstance(fn, Dispatcher):
        return fn
    if isinstance(fn, CustomRule):
        raise TypeError(f"{argname} is already a dualjit.rule function ({fn.__name__}); "
                        "pass its plain primal instead")
    if not inspect.isfunction(fn):
        raise TypeError(f"{argname} must be a Python function or a numba.njit function, got "
                        f"{type(fn).__name__}: {fn!r}")
    return numba.njit(**JIT_OPTIONS)(fn)


def _arity(disp, argname) -> int:
    sig = inspect.signature(disp.py_func)
    params = list(sig.parameters.values())
    if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) or p.default is not p.empty
           for p in params):
        raise TypeError(f"{argname} must take one or two plain positional arguments (no "
                        f"defaults, *args or keywords), got {disp.py_func.__name__}{sig}")
    if len(params) not in (1, 2):
        raise TypeError(f"{argname} must take one or two arguments, got "
                        f"{disp.py_func.__name__}{sig}")
    return len(params)


def normalise_domain(domain, arity) -> Domain:
    """A :class:`Domain` from None (all reals), a Domain, or a ``(lo, hi)`` pair (for
    both arguments of a binary rule)."""
    if domain is None:
        return Domain()
    if isinstance(domain, Domain):
        return domain
    try:
        lo, hi = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise TypeError(f"domain must be a (lo, hi) pair or a dualjit.rules.Domain, "
                        f"got {domain!r}") from None
    if not lo <= hi:
        raise ValueError(f"domain must have lo <= hi, got {domain!r}")
    return Domain(lo, hi) if arity == 1 else Domain(lo, hi, lo2=lo, hi2=hi)


def normalise_sample_ranges(sample_ranges, dom: Domain, arity) -> tuple:
    """Uniform sampling ranges: the given (lo, hi) pairs checked, or the domain clipped
    to [-10, 10] per argument."""
    if sample_ranges is None:
        out = []
        for lo, hi in ((dom.lo, dom.hi), (dom.lo2, dom.hi2))[:arity]:
            a, b = max(lo, -10.0), min(hi, 10.0)
            out.append((a, b) if a < b else (lo, hi))
        return tuple(out)
    try:
        out = tuple((float(lo), float(hi)) for lo, hi in sample_ranges)
    except (TypeError, ValueError):
        raise TypeError(f"sample_ranges must be a tuple of (lo, hi) pairs, got "
                        f"{sample_ranges!r}") from None
    if len(out) != arity or any(not (math.isfinite(lo) and math.isfinite(hi) and lo < hi)
                                for lo, hi in out):
        raise ValueError(f"sample_ranges must hold {arity} finite (lo, hi) pair(s) with "
                         f"lo < hi, got {sample_ranges!r}")
    return out


def _budget(v, name) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not v > 0:
        raise ValueError(f"{name} must be a positive number of ulps, got {v!r}")
    return float(v)


class CustomRule:
    """A function with its own derivative rule (made by :func:`rule`).

    Calls like the primal: plain floats give the primal's value; dualjit numbers (from
    Python or inside ``@numba.njit`` code) use ``derivatives``. Attributes: ``rule``
    (the rule-table row, built on first use), ``primal`` and ``derivatives`` (Numba
    dispatchers), ``arity``, ``order`` (2 when ``derivatives`` returns second partials;
    known after its first compilation)."""

    def __init__(self, primal, derivatives, *, name, reference, domain, sample_ranges,
                 kinks, special_points, budget_first, budget_second, notes, enclosure):
        self.primal = _dispatcher(primal, "primal")
        self.derivatives = _dispatcher(derivatives, "derivatives")
        self.arity = _arity(self.primal, "primal")
        if _arity(self.derivatives, "derivatives") != self.arity:
            raise TypeError(f"derivatives must take the same arguments as primal "
                            f"({self.arity}), got {self.derivatives.py_func.__name__}"
                            f"{inspect.signature(self.derivatives.py_func)}")
        functools.update_wrapper(self, self.primal.py_func)
        self.__signature__ = inspect.signature(self.primal.py_func)
        self.name = self.primal.py_func.__name__ if name is None else name
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"name must be an identifier string, got {self.name!r}")
        from ..rules import RULES_BY_NAME
        if self.name in RULES_BY_NAME:
            raise ValueError(f"name {self.name!r} is a built-in rule of dualjit; pick another "
                             "name for the custom rule")
        if reference is not None:
            from ..certify.derived import normalise_reference
            reference = normalise_reference(reference, self.arity, have_second=False)
        self._reference = reference
        #: True when the oracle's references come from the primal's source (no reference=)
        self.reference_derived = reference is None
        self.domain = normalise_domain(domain, self.arity)
        self.sample_ranges = normalise_sample_ranges(sample_ranges, self.domain, self.arity)
        self.kinks = tuple(kinks)
        if any(not isinstance(k, Kink) for k in self.kinks):
            raise TypeError(f"kinks must be dualjit.rules.Kink objects, got {kinks!r}")
        self.special_points = tuple(
            (float(p),) if isinstance(p, numbers.Real) else tuple(float(v) for v in p)
            for p in special_points)
        if any(len(p) != self.arity for p in self.special_points):
            raise ValueError(f"special_points must hold {self.arity} float(s) each, got "
                             f"{special_points!r}")
        self.budget_first = _budget(budget_first, "budget_first")
        self.budget_second = _budget(budget_second, "budget_second")
        if not isinstance(notes, str):
            raise TypeError(f"notes must be a str, got {notes!r}")
        self.notes = notes
        if enclosure is not None and not isinstance(enclosure, Enclosure):
            raise TypeError(f"enclosure must be a dualjit.rules.Enclosure or None, got "
                            f"{enclosure!r}")
        self.enclosure = enclosure
        self._order = None
        self._rule = None
        self._entry = None

    # ---------------------------------------------------------------- the derivatives' shape

    @property
    def order(self) -> int:
        """1 or 2: the highest derivative ``derivatives`` returns (compiles it for
        float64 on first use; raises TypeError naming the problem)."""
        if self._order is None:
            argtypes = (types.float64,) * self.arity
            from numba.core.compiler import Flags
            from numba.core.target_extension import target_override
            from numba.core.targetconfig import ConfigStack
            try:
                # A CPU compilation with CPU flags, also when asked while typing a CUDA
                # kernel (whose flags it would otherwise inherit).
                with target_override("cpu"), ConfigStack().enter(Flags()):
                    self.derivatives.compile(argtypes)
            except Exception as e:  # noqa: BLE001 - reported with the rule's name
                raise TypeError(f"dualjit.rule {self.name!r}: derivatives"
                                f"{inspect.signature(self.derivatives.py_func)} does not "
                                f"compile for float64 arguments: {e}") from e
            ret = self.derivatives.overloads[argtypes].signature.return_type
            count = ret.count if isinstance(ret, types.BaseTuple) else None
            if (count not in _SHAPES[self.arity] or
                    any(not isinstance(t, types.Number) or isinstance(t, types.Complex)
                        for t in ret)):
                raise TypeError(f"dualjit.rule {self.name!r}: derivatives must return the "
                                f"real numbers {_SHAPE_TEXT[self.arity]}, got {ret}")
            self._order = _SHAPES[self.arity][count]
        return self._order

    # ---------------------------------------------------------------- the rule-table row

    @property
    def rule(self) -> Rule:
        """This rule as a row of the rule table (what certification and checks read)."""
        if self._rule is None:
            self._rule = self._make_rule()
        return self._rule

    @property
    def reference(self) -> tuple:
        """The oracle's references: the given mpmath callables, or derived from the
        primal's Python source by exact re-execution on high-precision hyper-duals."""
        if self._reference is None:
            from ..certify.derived import derived_reference
            self._reference = derived_reference(self.primal, self.arity)
        return self._reference

    def _make_rule(self) -> Rule:
        order = self.order
        derivatives = self.derivatives
        if self.arity == 1:
            def first(x, y):
                return float(derivatives(x)[1])

            def second(x, y, f1):
                return float(derivatives(x)[2]) if order == 2 else math.nan
        else:
            def first(x, z, y):
                r = derivatives(x, z)
                return float(r[1]), float(r[2])

            def second(x, z, y, fx, fz):
                if order == 1:
                    return math.nan, math.nan, math.nan
                r = derivatives(x, z)
                return float(r[3]), float(r[4]), float(r[5])
        seconds = self.reference[2]
        if order == 2 and getattr(seconds[0] if self.arity == 2 else seconds, "missing", False):
            raise TypeError(f"dualjit.rule {self.name!r}: derivatives returns second partials "
                            "but reference has no second-derivative entry; give "
                            "reference=(f, f1, f2) or leave reference=None to derive it")
        return Rule(name=self.name, arity=self.arity, primal=self.primal, first=first,
                    second=second, targets=(self,), reference=self.reference,
                    domain=self.domain, sample_ranges=self.sample_ranges, kinks=self.kinks,
                    value_class="exact", notes=self.notes or "custom rule (dualjit.rule)",
                    budget_first=self.budget_first, budget_second=self.budget_second,
                    special_points=self.special_points, enclosure=self.enclosure,
                    derivatives=derivatives, order=order)

    # ---------------------------------------------------------------- calls from Python

    def __call__(self, *args):
        if len(args) != self.arity:
            raise TypeError(f"{self.name}() takes {self.arity} argument(s), got {len(args)}")
        if all(isinstance(a, numbers.Real) for a in args):
            return self.primal(*args)
        if self._entry is None:
            this = self
            if self.arity == 1:
                self._entry = numba.njit(**JIT_OPTIONS)(lambda x: this(x))
            else:
                self._entry = numba.njit(**JIT_OPTIONS)(lambda x, z: this(x, z))
        return self._entry(*args)

    @property
    def dispatcher(self):
        """The primal's Numba dispatcher (what the oracle re-executes when no reference
        was given)."""
        return self.primal

    def __repr__(self):
        return f"<dualjit.rule {self.name} of {self.arity} argument(s)>"

    def __reduce__(self):
        # Worker processes find the rule by importing the module that defines it.
        return (_lookup, (self.name, self.__module__))


def _lookup(name, module):
    import importlib
    if name not in CUSTOM_RULES:
        importlib.import_module(module)
    return CUSTOM_RULES[name]


def _register_mp_version(custom):
    """The oracle's MP version of ``custom`` from its given references (with no
    reference, the oracle re-executes the primal's source instead, via ``dispatcher``)."""
    # The table's own MP constructors (private to the oracle, shared on purpose).
    from ..oracle.mpnumbers import FUNCTIONS, _make_binary, _make_unary
    built: list = []

    def mp_version(*args):
        if not built:
            make = _make_unary if custom.arity == 1 else _make_binary
            built.append(make(custom.rule, custom.name))
        return built[0](*args)

    mp_version.__name__ = f"mp_{custom.name}"
    FUNCTIONS[custom] = mp_version


def custom_rule_of(obj):
    """``obj`` if it is a registered custom rule function, else None."""
    return obj if isinstance(obj, CustomRule) else None


def rule(primal=None, *, derivatives, name=None, reference=None, domain=None,
         sample_ranges=None, kinks=(), special_points=(), budget_first=2.0,
         budget_second=4.0, notes="", enclosure=None):
    """Register a derivative rule for ``primal`` and return the function to call.

    ``derivatives`` computes the value and the partials in one call (plain float code,
    or an njit function): for ``primal(x)`` it returns ``(y, f1)`` or ``(y, f1, f2)``;
    for ``primal(x, z)`` it returns ``(y, fx, fz)`` or ``(y, fx, fz, fxx, fxz, fzz)``.
    Return the same ``y`` as ``primal``: the engine uses it as the value part, and
    certification checks that it is the primal's bit for bit. Where ``y`` is NaN every
    partial is NaN, as for the built-in rules. Without second partials the rule serves
    Dual numbers only (HyperDual and ``hessian`` raise a TypingError saying so).

    Use as a decorator, ``@dualjit.rule(derivatives=...)``, or call it,
    ``softclip = dualjit.rule(softclip_primal, derivatives=...)``. Use the returned
    function in your njit code (the primal stays an ordinary function).

    What the oracle and the checks use (all optional): ``reference`` -- the analytic
    truth as mpmath callables, ``(f, f1[, f2])`` or ``(f, (fx, fz)[, (fxx, fxz, fzz)])``
    (default: derived from the primal's own source); ``domain`` -- ``(lo, hi)`` or a
    :class:`~dualjit.rules.Domain`; ``sample_ranges``; ``kinks`` (:class:`Kink`);
    ``special_points``; ``budget_first`` / ``budget_second`` in ulps (2 and 4, the
    table's standard); ``notes``; ``enclosure`` -- an interval extension for interval
    numbers (default: the primal's body, differentiated). ``name`` defaults to the
    primal's ``__name__`` and must not be a built-in rule's.
    """
    if derivatives is None or not callable(derivatives):
        raise TypeError(f"derivatives must be a function returning the value and its "
                        f"partials, got {derivatives!r}")

    def register(fn):
        from ..numba_ext.custom import register_custom_rule
        custom = CustomRule(fn, derivatives, name=name, reference=reference, domain=domain,
                            sample_ranges=sample_ranges, kinks=kinks,
                            special_points=special_points, budget_first=budget_first,
                            budget_second=budget_second, notes=notes, enclosure=enclosure)
        register_custom_rule(custom)
        if reference is not None:
            _register_mp_version(custom)
        CUSTOM_RULES[custom.name] = custom
        from .. import custom_rules
        setattr(custom_rules, custom.name, custom)
        return custom

    if primal is None:
        return register
    if not callable(primal):
        raise TypeError(f"primal must be a function, got {type(primal).__name__}: {primal!r}")
    return register(primal)
