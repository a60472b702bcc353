"""Oracle references for rules that are not in the table: derived from a primal's own
Python source (exact re-execution on high-precision hyper-duals), or given as mpmath
callables and checked for shape. Used by :func:`dualjit.testing.check_rule` and by
custom rules (:func:`dualjit.rule`)."""
from __future__ import annotations

__all__ = ["derived_reference", "normalise_reference"]


def derived_reference(primal, arity):
    """(f, firsts, seconds) mpmath callables obtained by re-executing ``primal``'s
    Python source on MP hyper-duals (exact arithmetic, rule references for math.*)."""
    from .function import _py_func_of, _Translator
    from ..oracle.mpnumbers import MPHyperDual, lift, mp_function

    py = _py_func_of(primal) or primal
    direct = mp_function(primal)     # math.tanh, np.sin, ...: a rule-table callable
    if direct is None and not isinstance(py, type(lambda: 0)):
        raise TypeError("reference=None derives the references from primal's Python "
                        "source, so primal must be a Python function or an njit function, "
                        f"got {type(primal).__name__}: {primal!r}")
    import mpmath as mp

    mp_f = direct if direct is not None else _Translator().function(py, key=primal)
    memo: dict = {}

    def run(*args):
        # One MP run per (seeding, arguments, precision), shared by the components.
        key = (mp.mp.prec,) + tuple((a.a, a.b, a.c, a.d) for a in args)
        if key not in memo:
            if len(memo) > 64:
                memo.clear()
            try:
                memo[key] = ("ok", lift(mp_f(*args)))
            except (ValueError, ZeroDivisionError) as e:
                memo[key] = ("err", e)
        kind, val = memo[key]
        if kind == "err":
            raise val
        return val

    if arity == 1:
        def seeded(x):
            return run(MPHyperDual(x, 1, 1, 0))

        return (lambda x: seeded(x).a, lambda x: seeded(x).b, lambda x: seeded(x).d)

    def sx(x, z):
        return run(MPHyperDual(x, 1, 1, 0), MPHyperDual(z))

    def sz(x, z):
        return run(MPHyperDual(x), MPHyperDual(z, 1, 1, 0))

    def sxz(x, z):
        return run(MPHyperDual(x, 1, 0, 0), MPHyperDual(z, 0, 1, 0))

    return (lambda x, z: run(MPHyperDual(x), MPHyperDual(z)).a,
            (lambda x, z: sx(x, z).b, lambda x, z: sz(x, z).b),
            (lambda x, z: sx(x, z).d, lambda x, z: sxz(x, z).d, lambda x, z: sz(x, z).d))


def normalise_reference(reference, arity, have_second):
    """A full (f, firsts, seconds) triple for Rule; missing seconds become refusals
    that are never called (the second derivative is then not checked)."""
    import mpmath as mp

    def missing(*a):
        return mp.mpf(0)  # not checked: second=None

    missing.missing = True  # marks an absent second-derivative reference

    if not isinstance(reference, (tuple, list)) or len(reference) not in (2, 3):
        raise TypeError("reference must be a tuple (f, f1[, f2]) of mpmath callables for a "
                        "unary rule, or (f, (fx, fz)[, (fxx, fxz, fzz)]) for a binary one, "
                        f"got {reference!r}")
    f, firsts = reference[0], reference[1]
    seconds = reference[2] if len(reference) == 3 else None
    if arity == 2:
        if not isinstance(firsts, (tuple, list)) or len(firsts) != 2:
            raise TypeError("reference[1] must be (fx, fz) for a binary rule, got "
                            f"{firsts!r}")
        if seconds is not None and (not isinstance(seconds, (tuple, list)) or len(seconds) != 3):
            raise TypeError("reference[2] must be (fxx, fxz, fzz) for a binary rule, got "
                            f"{seconds!r}")
        seconds = tuple(seconds) if seconds is not None else (missing,) * 3
        firsts = tuple(firsts)
    else:
        seconds = seconds if seconds is not None else missing
    for fn in (f, *(firsts if arity == 2 else (firsts,)),
               *(seconds if arity == 2 else (seconds,))):
        if not callable(fn):
            raise TypeError(f"reference entries must be callables taking mpf arguments, got "
                            f"{fn!r}")
    if have_second and (seconds is missing or (arity == 2 and seconds[0] is missing)):
        raise ValueError("second was given but reference has no second-derivative entry: "
                         "pass reference=(f, f1, f2), or reference=None to derive it")
    return (f, firsts, seconds)
