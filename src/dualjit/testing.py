"""pytest-friendly derivative checks against the oracle, not finite differences.

Two checks, each raising an ``AssertionError`` subclass with the failing input in hex,
the expected (true) and actual values and the error in ulps:

* :func:`check_derivatives` -- dualjit's derivative (scalar x: f', optionally f'') or
  gradient (1-D array x) of *your* ``@numba.njit`` function against the exact
  derivatives of its program (:func:`dualjit.certify_function` /
  :func:`dualjit.certify_gradient`: your function's Python source re-executed on
  high-precision hyper-dual numbers);
* :func:`check_rule` -- a derivative rule (``primal``, ``first``, ``second`` float
  callables, or a :class:`dualjit.rules.Rule` row such as
  ``dualjit.rules.RULES_BY_NAME['tanh']``) against analytic mpmath references, at
  sampled or given points.

Why not finite differences: a central difference at x has truncation error ~h² f'''
and rounding error ~eps |f| / h, so the best it can promise is about 1e-8 relative,
and real test suites compare at rtol 1e-3 or so. A rule that is wrong by a relative
1e-6, or loses every digit where its formula cancels (tanh' = 1 - tanh(x)² computed
from the rounded tanh), passes such a test. The oracle gives the correctly rounded
truth, so these checks measure errors in ulps with budgets of a few ulps.
See ``docs/testing.md``.

Default budgets
---------------
:data:`DEFAULT_MAX_ULP` (first derivatives) and :data:`DEFAULT_MAX_ULP_SECOND` (second
derivatives) for :func:`check_derivatives` are four times the largest per-rule budget
in dualjit's rule table (``Rule.budget_first`` = 4 ulps and ``budget_second`` = 8 ulps
for erf, erfc, gamma, lgamma; 2 and 4 for the others), so 16 and 32 ulps: every
elementary function contributes at most its rule budget and each arithmetic operation
of the chain rule half an ulp, so a well-conditioned function built from a handful of
operations stays within a few rule budgets. A function that cancels catastrophically
(``(1 - cos(x)) / x**2`` at small x) exceeds any such budget, because the derivative
of the program *as written* is ill-conditioned in float64; the failure message then
shows the primal's own error, which is large too. Pass ``max_ulp=`` to set your own.
:func:`check_rule` uses the row's own budgets for a :class:`~dualjit.rules.Rule`, and
the rule table's standard budgets (2 and 4 ulps) for callables.
"""
from __future__ import annotations

import inspect
import math
import numbers
from dataclasses import dataclass, field

import numpy as np

__all__ = ["check_derivatives", "check_rule", "DerivativeCheckError", "RuleCheckError",
           "RuleCheckResult", "DEFAULT_MAX_ULP", "DEFAULT_MAX_ULP_SECOND"]


def _table_budgets():
    from .rules import RULES

    return (max(r.budget_first for r in RULES), max(r.budget_second for r in RULES))


_RULE_FIRST, _RULE_SECOND = _table_budgets()
#: Default budget (ulps) of a first derivative in :func:`check_derivatives`.
DEFAULT_MAX_ULP = 4 * _RULE_FIRST
#: Default budget (ulps) of a second derivative in :func:`check_derivatives`.
DEFAULT_MAX_ULP_SECOND = 4 * _RULE_SECOND


class DerivativeCheckError(AssertionError):
    """:func:`check_derivatives` failed. ``certificate``: the
    :class:`~dualjit.FunctionCertificate` or :class:`~dualjit.GradientCertificate`;
    ``failures``: one dict per failing component (label, x, expected, actual, ulp,
    kind)."""

    def __init__(self, message, certificate=None, failures=()):
        super().__init__(message)
        self.certificate = certificate
        self.failures = tuple(failures)


class RuleCheckError(AssertionError):
    """:func:`check_rule` failed. ``result``: the :class:`RuleCheckResult`."""

    def __init__(self, message, result=None):
        super().__init__(message)
        self.result = result


# --------------------------------------------------------------------------- formatting

def _hexs(v) -> str:
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        return repr(v)
    return f"{v.hex()} ({v!r})"


def _ulp_text(u) -> str:
    if u is None:
        return "-"
    u = float(u)
    if math.isnan(u):
        return "unresolved"
    if math.isinf(u):
        return "inf"
    return f"{u:.4g}"


_KIND_TEXT = {
    "nan_mismatch": "NaN where the truth is a number",
    "inf_mismatch": "infinite where the truth is finite, or the wrong infinity",
    "false_zero": "zero where the truth is not",
    "undefined_mismatch": "a number where the truth is undefined (NaN expected)",
    "unresolved": "the oracle could not resolve the truth (precision cap reached)",
}


# --------------------------------------------------------------------------- argument checks

def _check_budget(v, name, default):
    if v is None:
        return float(default)
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a non-negative real number of ulps or None, got "
                        f"{type(v).__name__}: {v!r}")
    v = float(v)
    if not v >= 0:  # also rejects NaN
        raise ValueError(f"{name} must be a non-negative number of ulps, got {v!r}")
    return v


def _check_bool(v, name):
    if not isinstance(v, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(v).__name__}: {v!r}")
    return bool(v)


# --------------------------------------------------------------------------- check_derivatives

def check_derivatives(f, x, *, order: int = 1, max_ulp=None, max_ulp_second=None,
                      check_value: bool = True, allow_kinks: bool = False,
                      allow_unresolved: bool = False, policy=None):
    """Assert that dualjit differentiates the njit function ``f`` correctly at ``x``.

    ``x``: a real scalar (checks f'(x), and f''(x) with ``order=2``) or a 1-D array of
    reals (checks the gradient of f: array -> float; ``order`` must be 1). The truth is
    the exact derivative of f's program at the float input (see
    :func:`dualjit.certify_function`).

    Fails (:class:`DerivativeCheckError`, an ``AssertionError``) when a derivative is
    more than ``max_ulp`` ulps (second derivatives: ``max_ulp_second``) from the truth,
    is NaN/inf/zero where the truth is not (or a number where it is undefined), when
    ``check_value`` and dualjit's value is further from the truth than plain ``f(x)``,
    when x touches a non-differentiable point (abs at 0, a max tie, ...) unless
    ``allow_kinks`` (then the derivatives at such an x are not compared: they are
    conventions there -- dualjit's are the rule rows' ``Kink`` entries, tested with
    the rule table -- and the oracle's one-sided reference values need not match
    them), and when the oracle cannot resolve the truth unless
    ``allow_unresolved``. The message gives x in hex, expected and actual values and the
    ulp error of every failing component.

    Returns the certificate (:class:`~dualjit.FunctionCertificate` or
    :class:`~dualjit.GradientCertificate`) when the check passes.
    Defaults: :data:`DEFAULT_MAX_ULP`, :data:`DEFAULT_MAX_ULP_SECOND` (see the module
    docstring for why).
    """
    from .certify.function import _check_function, certify_function, certify_gradient

    _check_function(f, "f")
    if isinstance(order, bool) or not isinstance(order, numbers.Integral):
        raise TypeError(f"order must be 1 or 2 (an int), got {type(order).__name__}: {order!r}")
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    max_ulp = _check_budget(max_ulp, "max_ulp", DEFAULT_MAX_ULP)
    max_ulp_second = _check_budget(max_ulp_second, "max_ulp_second", DEFAULT_MAX_ULP_SECOND)
    check_value = _check_bool(check_value, "check_value")
    allow_kinks = _check_bool(allow_kinks, "allow_kinks")
    allow_unresolved = _check_bool(allow_unresolved, "allow_unresolved")

    scalar = isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))
    if not scalar:
        if isinstance(x, (bool, np.bool_, str, bytes)) or not hasattr(x, "__len__"):
            raise TypeError(f"x must be a real scalar or a 1-D array of reals, got "
                            f"{type(x).__name__}: {x!r}")
        arr = np.asarray(x)
        if (arr.ndim != 1 or arr.dtype == np.bool_
                or not (np.issubdtype(arr.dtype, np.floating)
                        or np.issubdtype(arr.dtype, np.integer))):
            raise TypeError(f"x must be a real scalar or a 1-D array of reals, got an array "
                            f"of dtype {arr.dtype} and shape {arr.shape}")
        if order == 2:
            raise ValueError("order=2 needs a scalar x: for an array x only the gradient "
                             "is certified (order=1)")
        cert = certify_gradient(f, arr.astype(np.float64), policy)
        xs = cert.x
        comps = [(f"df/dx[{i}]", g, t, s, max_ulp) for i, (g, t, s) in
                 enumerate(zip(cert.gradient, cert.true_gradient, cert.gradient_scores))]
        where = "x = [" + ", ".join(float(v).hex() for v in xs) + "]"
        where_dec = "    (" + ", ".join(repr(float(v)) for v in xs) + ")"
    else:
        cert = certify_function(f, float(x), policy)
        comps = [("f'(x)", cert.derivative, cert.true_derivative, cert.derivative_score,
                  max_ulp)]
        if order == 2:
            comps.append(("f''(x)", cert.second_derivative, cert.true_second_derivative,
                          cert.second_derivative_score, max_ulp_second))
        where = f"x = {_hexs(cert.x)}"
        where_dec = None
    name = cert.function or getattr(f, "__name__", "f")

    failures = []
    notes = []
    if cert.kinks and not allow_kinks:
        failures.append({"label": "kink", "kind": "kink", "x": where, "expected": None,
                         "actual": None, "ulp": None})
        notes.append("x touches a non-differentiable point: " + ", ".join(
            f"{op}{tuple(args)}" for op, args in cert.kinks) + " -- the derivative "
            "there is a convention; pass allow_kinks=True to accept such points "
            "without comparing derivatives")
    for label, actual, true, score, budget in comps:
        if cert.kinks and allow_kinks:
            break  # conventions at a kink: not compared (see the docstring)
        if score.kind == "unresolved":
            if not allow_unresolved:
                failures.append({"label": label, "kind": "unresolved", "x": where,
                                 "expected": None, "actual": actual, "ulp": None})
            continue
        if score.kind != "ok":
            failures.append({"label": label, "kind": score.kind, "x": where,
                             "expected": true, "actual": actual, "ulp": None})
        elif score.ulps > budget:
            failures.append({"label": label, "kind": "ulp", "x": where, "expected": true,
                             "actual": actual, "ulp": score.ulps, "budget": budget})
    if check_value and cert.value_agrees is False:
        failures.append({"label": "value", "kind": "value", "x": where,
                         "expected": cert.true_value, "actual": cert.value,
                         "ulp": cert.value_ulp})
        notes.append(f"dualjit's value is further from the truth than plain f(x) = "
                     f"{_hexs(cert.primal)}")
    if not failures:
        return cert

    lines = [f"check_derivatives: {name} failed at {where}"]
    if where_dec:
        lines.append(where_dec)
    for fl in failures:
        if fl["kind"] == "kink":
            continue
        if fl["kind"] == "ulp":
            lines.append(f"  {fl['label']}: ulp error {_ulp_text(fl['ulp'])} > budget "
                         f"{fl['budget']:g}")
        elif fl["kind"] == "value":
            lines.append(f"  value: ulp error {_ulp_text(fl['ulp'])} (worse than the "
                         f"primal's {_ulp_text(cert.primal_ulp)})")
        else:
            lines.append(f"  {fl['label']}: {_KIND_TEXT.get(fl['kind'], fl['kind'])}")
        if fl["expected"] is not None:
            lines.append(f"    expected {_hexs(fl['expected'])}")
        lines.append(f"    actual   {_hexs(fl['actual'])}")
    lines.append(f"  primal f(x) = {_hexs(cert.primal)} is {_ulp_text(cert.primal_ulp)} ulp "
                 "from the true value" + (
                     " -- f itself cancels here: the program as written is "
                     "ill-conditioned at x, and so is its float derivative"
                     if cert.primal_ulp is not None and cert.primal_ulp > DEFAULT_MAX_ULP
                     else ""))
    lines += [f"  note: {n}" for n in notes]
    raise DerivativeCheckError("\n".join(lines), cert, failures)


# --------------------------------------------------------------------------- check_rule

@dataclass
class RuleCheckResult:
    """What :func:`check_rule` measured. ``points``: how many were scored;
    ``skipped``: {reason: count} (outside the function's domain, at a listed kink,
    oracle unresolved); ``max_ulp_first`` / ``max_ulp_second`` and the inputs where
    they occur (``worst_first``/``worst_second``: tuples of doubles); ``failures``:
    one dict per failing (point, component); ``warnings``: (point, component) pairs
    where the formula returns a number but the reference is undefined (a pole, an
    infinite argument) -- conventions, not failures, as in ``dualjit certify``."""

    name: str
    points: int = 0
    skipped: dict = field(default_factory=dict)
    max_ulp_first: float = 0.0
    max_ulp_second: float = 0.0
    worst_first: tuple = ()
    worst_second: tuple = ()
    failures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    budget_first: float = 0.0
    budget_second: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures


def _n_params(fn) -> int | None:
    try:
        sig = inspect.signature(getattr(fn, "py_func", fn))
    except (TypeError, ValueError):
        return None
    ps = [p for p in sig.parameters.values()
          if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    return len(ps)


def _points_from(points, arity):
    out = []
    try:
        items = list(points)
    except TypeError:
        raise TypeError(f"points must be an iterable of floats (unary) or of pairs "
                        f"(binary), got {type(points).__name__}: {points!r}") from None
    if not items:
        raise ValueError("points must not be empty")
    for k, p in enumerate(items):
        tup = (p,) if arity == 1 and isinstance(p, numbers.Real) else p
        try:
            tup = tuple(tup)
        except TypeError:
            raise TypeError(f"points[{k}] must be a float or a tuple of {arity} floats, got "
                            f"{p!r}") from None
        if len(tup) != arity or any(isinstance(v, bool) or not isinstance(v, numbers.Real)
                                    for v in tup):
            raise TypeError(f"points[{k}] must hold {arity} real number(s), got {p!r}")
        out.append(tuple(float(v) for v in tup))
    return out


def _as_tuple(v, n):
    if n == 1:
        return (float(v),)
    t = tuple(float(c) for c in v)
    if len(t) != n:
        raise TypeError(f"expected {n} partials, got {v!r}")
    return t


def check_rule(primal, first=None, second=None, *, reference=None, points=None,
               domain=None, sample_ranges=None, n: int = 200, arity=None, name=None,
               max_ulp=None, max_ulp_second=None, allow_unresolved: bool = True,
               policy=None) -> RuleCheckResult:
    """Assert that a derivative rule's float formulas agree with the truth in ulps.

    The rule is a :class:`dualjit.rules.Rule` (``check_rule(RULES_BY_NAME['tanh'])``:
    its formulas, references, domain, sampling ranges, kinks and budgets), a custom rule
    made by :func:`dualjit.rule` (``check_rule(logistic)``: the same, from its
    registration; f'' is checked when its derivatives return it), or plain float
    callables in dualjit's rule convention:

    * unary: ``primal(x) -> y``, ``first(x, y) -> f1``, ``second(x, y, f1) -> f2``;
    * binary: ``primal(x, z) -> y``, ``first(x, z, y) -> (fx, fz)``,
      ``second(x, z, y, fx, fz) -> (fxx, fxz, fzz)``.

    ``second`` is optional (then only the first derivative is checked). ``reference``:
    the *analytic* truth as mpmath callables taking mpf arguments -- ``(f, f1[, f2])``
    for a unary rule, ``(f, (fx, fz)[, (fxx, fxz, fzz)])`` for a binary one -- or None
    to derive it from ``primal``'s own Python source by exact re-execution on
    high-precision hyper-duals (primal must then be written with ``math``/``numpy``
    functions dualjit has rules for; e.g. ``lambda x: 1 / (1 + math.exp(-x))``).
    Never numerical differentiation.

    Points: ``points`` (floats, or pairs for binary rules), else ``n`` deterministic
    samples (half uniform over ``sample_ranges``, default ((-10, 10),) per argument; half
    uniform over the float encodings of ``domain`` = (lo, hi), default all reals; plus
    ±0, ±1, subnormals and the domain's edges), drawn by
    :func:`dualjit.certify.sampling.sample_rule` and seeded by ``name``. Points where
    the true value is undefined, listed kinks of a Rule, and (with
    ``allow_unresolved``) points the oracle cannot resolve are skipped and counted.

    Budgets: ``max_ulp`` / ``max_ulp_second``, default the Rule's ``budget_first`` /
    ``budget_second``, or 2 and 4 ulps (the rule table's standard) for callables.

    Raises :class:`RuleCheckError` (an ``AssertionError``) listing the worst failing
    inputs in hex with expected and actual values and ulp errors; returns a
    :class:`RuleCheckResult` when every point passes.
    """
    from .api.rule import CustomRule, normalise_domain, normalise_sample_ranges
    from .certify.derived import derived_reference, normalise_reference
    from .certify.sampling import Profile, sample_rule
    from .oracle.precision import ReferenceBugError
    from .oracle.reference import rule_reference
    from .oracle.scoring import ulp_error
    from .rules.schema import Rule

    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    allow_unresolved = _check_bool(allow_unresolved, "allow_unresolved")
    if isinstance(primal, CustomRule):
        primal = primal.rule
    if isinstance(primal, Rule):
        rule = primal
        for argname, v in (("first", first), ("second", second), ("reference", reference),
                           ("domain", domain), ("sample_ranges", sample_ranges),
                           ("arity", arity)):
            if v is not None:
                raise TypeError(f"{argname} must not be given with a Rule: the row "
                                f"provides it")
        budget1 = _check_budget(max_ulp, "max_ulp", rule.budget_first)
        budget2 = _check_budget(max_ulp_second, "max_ulp_second", rule.budget_second)
        check_second = rule.order == 2
        kink_points = {tuple(float(v) for v in p) for k in rule.kinks for p in k.points}
    else:
        if not callable(primal):
            raise TypeError(f"primal must be a callable (or a dualjit.rules.Rule), got "
                            f"{type(primal).__name__}: {primal!r}")
        if not callable(first):
            raise TypeError(f"first must be a callable first(x, y) (unary) or "
                            f"first(x, z, y) (binary), got {type(first).__name__}: {first!r}")
        if second is not None and not callable(second):
            raise TypeError(f"second must be a callable or None, got "
                            f"{type(second).__name__}: {second!r}")
        if arity is None:
            arity = _n_params(primal)
            if arity not in (1, 2):
                raise ValueError("cannot tell primal's arity from its signature: pass "
                                 "arity=1 or arity=2")
        elif isinstance(arity, bool) or arity not in (1, 2):
            raise ValueError(f"arity must be 1 or 2, got {arity!r}")
        if name is None:
            name = getattr(primal, "__name__", "rule")
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}: {name!r}")
        if reference is None:
            ref = derived_reference(primal, arity)
        else:
            ref = normalise_reference(reference, arity, second is not None)
        dom = normalise_domain(domain, arity)
        sample_ranges = normalise_sample_ranges(sample_ranges, dom, arity)
        zero2 = (lambda *a: (0.0, 0.0, 0.0)) if arity == 2 else (lambda *a: 0.0)
        rule = Rule(name=name, arity=arity, primal=primal, first=first,
                    second=second if second is not None else zero2, targets=(),
                    reference=ref, domain=dom, sample_ranges=tuple(sample_ranges))
        budget1 = _check_budget(max_ulp, "max_ulp", 2.0)
        budget2 = _check_budget(max_ulp_second, "max_ulp_second", 4.0)
        check_second = second is not None
        kink_points = set()

    ar = rule.arity
    if points is not None:
        pts = _points_from(points, ar)
        origins = ["given"] * len(pts)
    else:
        prof = Profile(f"check_rule-{n}", uniform=n - n // 2, bits=n // 2, chunk=n,
                       all_targets=False)
        ss = sample_rule(rule, prof)
        pts = [tuple(float(v) for v in p) for p in ss.points]
        origins = list(ss.origins)

    res = RuleCheckResult(rule.name, budget_first=budget1, budget_second=budget2)

    def skip(reason):
        res.skipped[reason] = res.skipped.get(reason, 0) + 1

    labels1 = ("f'",) if ar == 1 else ("df/dx", "df/dz")
    labels2 = ("f''",) if ar == 1 else ("d2f/dx2", "d2f/dxdz", "d2f/dz2")
    ieee: dict = {}

    def formulas(p, compiled):
        fns = (rule.primal, rule.first, rule.second)
        if compiled:
            if "fns" not in ieee:
                import numba

                ieee["fns"] = tuple(
                    fn if hasattr(fn, "py_func") else numba.njit(error_model="numpy")(fn)
                    for fn in fns)
            fns = ieee["fns"]
        with np.errstate(all="ignore"):
            y = float(fns[0](*p))
            d1t = _as_tuple(fns[1](*p, y), ar)
            d2t = (_as_tuple(fns[2](*p, y, *d1t), 1 if ar == 1 else 3)
                   if check_second else ())
        return d1t, d2t

    for p, origin in zip(pts, origins):
        if origin == "kink" or p in kink_points:
            skip("at a listed kink")
            continue
        try:
            d1t, d2t = formulas(p, False)
        except (ValueError, ZeroDivisionError, OverflowError):
            # Python raises where float64 code returns inf/NaN (x ** 2 overflowing,
            # 1 / 0.0): evaluate the formulas as compiled float code (IEEE semantics,
            # Numba with error_model="numpy"); NaN if they cannot be compiled.
            try:
                d1t, d2t = formulas(p, True)
            except Exception:  # noqa: BLE001
                d1t = (math.nan,) * ar
                d2t = (math.nan,) * (1 if ar == 1 else 3) if check_second else ()
        try:
            ref = rule_reference(rule, p, policy)
        except ReferenceBugError as e:
            raise TypeError(f"the reference of {rule.name!r} failed at "
                            f"{tuple(v.hex() for v in p)}: {e}") from e
        if ref.value.status == "undefined":
            skip("outside the function's domain")
            continue
        res.points += 1
        comps = [(labels1[i], d1t[i], ref.first[i], budget1, 1) for i in range(ar)]
        if check_second:
            comps += [(labels2[i], d2t[i], ref.second[i], budget2, 2)
                      for i in range(len(labels2))]
        for label, actual, outcome, budget, order in comps:
            s = ulp_error(actual, outcome)
            if s.kind == "unresolved":
                skip("oracle unresolved")
                if allow_unresolved:
                    continue
            if s.kind == "undefined_mismatch":
                # A derivative where the reference has none (a pole, an infinite
                # argument): a convention to document, a warning as in certification.
                res.warnings.append({"x": p, "component": label, "actual": float(actual)})
                continue
            if s.kind == "ok":
                if order == 1 and s.ulps > res.max_ulp_first:
                    res.max_ulp_first, res.worst_first = s.ulps, p
                if order == 2 and s.ulps > res.max_ulp_second:
                    res.max_ulp_second, res.worst_second = s.ulps, p
                if s.ulps <= budget:
                    continue
            res.failures.append({"x": p, "component": label, "expected": s.true,
                                 "actual": float(actual), "ulp": s.ulps, "kind": s.kind,
                                 "budget": budget})
    if res.points == 0:
        raise ValueError(f"check_rule({rule.name!r}): no point could be scored "
                         f"(skipped: {res.skipped}); give points inside the domain")
    if res.passed:
        return res

    def badness(fl):
        return math.inf if fl["ulp"] is None else fl["ulp"]

    worst = sorted(res.failures, key=badness, reverse=True)
    lines = [f"check_rule: {rule.name!r} failed at {len(res.failures)} of "
             f"{res.points * (len(labels1) + (len(labels2) if check_second else 0))} "
             f"(point, derivative) checks on {res.points} points "
             f"(budgets: first {budget1:g} ulp, second {budget2:g} ulp); worst:"]
    for fl in worst[:5]:
        xs = ", ".join(v.hex() for v in fl["x"])
        xd = ", ".join(repr(v) for v in fl["x"])
        what = (f"ulp error {_ulp_text(fl['ulp'])}" if fl["kind"] == "ok"
                else _KIND_TEXT.get(fl["kind"], fl["kind"]))
        lines.append(f"  {fl['component']} at x = {xs}  ({xd}): {what}")
        lines.append(f"    expected {_hexs(fl['expected'])}")
        lines.append(f"    actual   {_hexs(fl['actual'])}")
    if len(worst) > 5:
        lines.append(f"  ... and {len(worst) - 5} more")
    raise RuleCheckError("\n".join(lines), res)
