"""The input space of the property checks, defined once.

Everything random in ``dualjit validate`` -- which rule inputs, which programs, which
points -- is drawn by the functions here through a tiny :class:`Draw` interface with
two implementations:

* :class:`RngDraw`: a NumPy ``Generator`` (the runner: deterministic per seed, cheap,
  no Hypothesis machinery, identical on every machine);
* :class:`HypothesisDraw`: Hypothesis' ``draw`` inside ``st.composite`` (the public
  strategies of :mod:`dualjit.validate.strategies` and the ``@given`` tests, so
  failures shrink).

So the strategies and the thorough runner share one definition of the input space.

Programs
--------
A :class:`Program` is straight-line code in SSA form over the rule table: each
statement ``tK = ...`` is a variable, a constant, a unary rule call (``math.sin(t2)``,
``np.log(t1)``, ``dualjit.sigmoid(t0)``, ``abs(t3)``, ``-t1``, ``t1 ** 2``), a binary
arithmetic operation (``t1 * t4``) or a binary rule with a constant second argument
(``math.pow(t2, 1.5)``, ``math.hypot(t1, 2.0)``, ``max(t3, 0.25)``). Shared
subexpressions make it a DAG. Arguments of rules with a restricted domain are, with
probability 3/4, built through a *domain wrapper* that keeps them inside it
(``log(c + u*u)``, ``asin(c*tanh(u))``, ``acosh(1 + c + u*u)``, ``logit(sigmoid(u))``,
``log1mexp(-(c + u*u))``); otherwise they may leave the domain, and NaN outcomes are
checked for consistent propagation instead. :meth:`Program.source` is the Python text
(what the reproducers print); it is compiled with ``numba.njit(cache=False)``.

Scalar programs ``f(x)`` have one variable; vector programs take a 1-D array ``x`` of
``nvars`` entries and return either a scalar (``g``, for gradients and Hessians) or a
1-D array of ``nout`` entries (``G``, for jvp and Jacobians).
"""
from __future__ import annotations

import abc

import math
from dataclasses import dataclass, field

import numpy as np

from ..certify.sampling import MAX_FLOAT, _key, _unkey

__all__ = ["Draw", "RngDraw", "HypothesisDraw", "Program", "PROGRAM_RULES", "BINARY_CONST_RULES",
           "draw_rule_input", "draw_program", "draw_program_point", "draw_constant",
           "rule_by_name"]


# --------------------------------------------------------------------------- draws

class Draw(abc.ABC):
    """The primitive choices every generator is written in; a source of randomness
    (NumPy for the runner, Hypothesis for the tests) supplies the two abstract ones."""

    @abc.abstractmethod
    def integer(self, lo: int, hi: int) -> int:
        """An int in [lo, hi] (inclusive)."""

    @abc.abstractmethod
    def uniform(self, lo: float, hi: float) -> float:
        """A float in [lo, hi]."""

    def random(self) -> float:
        return self.uniform(0.0, 1.0)

    def choice(self, seq):
        seq = list(seq)
        return seq[self.integer(0, len(seq) - 1)]

    def bits(self, lo: float, hi: float) -> float:
        """A double uniform over the encodings in [lo, hi] (sign of zero random)."""
        lo = max(float(lo), -MAX_FLOAT)
        hi = min(float(hi), MAX_FLOAT)
        k = self.integer(_key(lo), _key(hi))
        v = float(_unkey(np.array([k]))[0])
        if v == 0.0 and self.integer(0, 1):
            v = -0.0
        return v


class RngDraw(Draw):
    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def integer(self, lo, hi):
        return int(self.rng.integers(lo, hi, endpoint=True))

    def uniform(self, lo, hi):
        if lo == hi:
            return float(lo)
        return float(self.rng.uniform(lo, hi))


class HypothesisDraw(Draw):
    def __init__(self, draw):
        self.draw = draw

    def integer(self, lo, hi):
        from hypothesis import strategies as st
        return self.draw(st.integers(lo, hi))

    def uniform(self, lo, hi):
        from hypothesis import strategies as st
        if lo == hi:
            return float(lo)
        return self.draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False))


# --------------------------------------------------------------------------- rules

def rule_by_name(name):
    """A row of the rule table, or a custom rule's row (:func:`dualjit.rule`)."""
    from ..api.rule import CUSTOM_RULES
    from ..rules import RULES_BY_NAME
    if name in RULES_BY_NAME:
        return RULES_BY_NAME[name]
    if name in CUSTOM_RULES:
        return CUSTOM_RULES[name].rule
    raise KeyError(f"no rule named {name!r} (custom rules must be registered first: import "
                   "the module that defines them)")


def _custom(rule):
    """The CustomRule behind a custom rule's row, else None."""
    from ..api.rule import custom_rule_of
    return custom_rule_of(rule.targets[0]) if rule.targets else None


#: Unary rules programs call (their plain callables: math./np./dualjit./builtin).
#: floor/ceil/trunc are left out (math.* returns an int; the derivative is 0 a.e.).
PROGRAM_RULES = (
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt",
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
    "asinh", "acosh", "atanh", "degrees", "radians", "erf", "erfc", "gamma", "lgamma",
    "sigmoid", "logit", "softplus", "log1mexp", "abs",
)
#: Binary rules used with a constant second argument: (name, constant range).
BINARY_CONST_RULES = (
    ("pow", (-3.0, 3.0)), ("hypot", (-4.0, 4.0)), ("atan2", (-4.0, 4.0)),
    ("logaddexp", (-4.0, 4.0)), ("max", (-2.0, 2.0)), ("min", (-2.0, 2.0)),
)
ARITH = ("+", "-", "*", "/")

_SRC_MOD = {"math": "math", "numpy": "np", "dualjit": "dualjit", "": ""}


def _callables(rule) -> list:
    """Source spellings of a rule's plain callables ('math.exp', 'np.exp', 'abs';
    custom rules: 'dualjit.custom_rules.NAME')."""
    if _custom(rule) is not None:
        return [f"dualjit.custom_rules.{rule.name}"]
    out = []
    for q in rule.qualified_targets:
        mod, _, name = q.rpartition(".")
        if mod == "operator" or q == "pow":
            continue
        if mod not in _SRC_MOD:
            continue
        if mod == "numpy" and name in ("fmax", "fmin"):
            continue
        out.append(f"{_SRC_MOD[mod]}.{name}" if mod else name)
    return out


# --------------------------------------------------------------------------- rule inputs

def draw_rule_input(d: Draw, rule) -> tuple:
    """One input of ``rule`` inside its domain: from the row's sample ranges, uniform
    over the domain's encodings, or one of its special/kink points (weights 4:4:2)."""
    from ..certify.sampling import in_domain
    dom = rule.domain
    ranges = tuple(rule.sample_ranges) or ((-10.0, 10.0),) * rule.arity
    specials = [tuple(p) if isinstance(p, (tuple, list)) else (p,) for p in rule.special_points]
    for k in rule.kinks:
        specials.extend(tuple(p) for p in k.points)
    specials = [p for p in specials if len(p) == rule.arity and in_domain(rule, p)]
    for _ in range(20):
        r = d.integer(0, 9)
        if r < 2 and specials:
            return tuple(float(v) for v in d.choice(specials))
        if r < 6:
            if rule.arity == 1:
                lo, hi = d.choice(ranges)
                p = (d.uniform(lo, hi),)
            else:
                p = (d.uniform(*ranges[0]), d.uniform(*ranges[1]))
        else:
            if rule.arity == 1:
                p = (d.bits(dom.lo, dom.hi),)
            else:
                p = (d.bits(dom.lo, dom.hi), d.bits(dom.lo2, dom.hi2))
        if in_domain(rule, p):
            return p
    # Fall back to a range midpoint (always inside for the table's rows).
    return tuple(0.5 * (lo + hi) for lo, hi in ranges[:rule.arity])


# --------------------------------------------------------------------------- programs

@dataclass(frozen=True)
class Program:
    """Straight-line SSA code. ``ops``: tuple of statements, each one of
    ``("var", i)``, ``("const", c)``, ``("un", rule, callable, a)``, ``("neg", a)``,
    ``("ipow", a, n)``, ``("bin", op, a, b)``, ``("binc", rule, callable, a, c)`` with
    a, b indices of earlier statements. ``outputs``: indices returned. ``nvars``: 0
    means the scalar program f(x); n > 0 a function of a length-n array."""

    ops: tuple
    outputs: tuple
    nvars: int = 0
    name: str = "f"
    vector_out: bool = False
    rules_used: tuple = field(default=())

    @property
    def nodes(self) -> int:
        """Operations that round (everything but variables and constants)."""
        return sum(1 for op in self.ops if op[0] not in ("var", "const"))

    def _expr(self, op) -> str:
        k = op[0]
        if k == "var":
            return "x" if self.nvars == 0 else f"x[{op[1]}]"
        if k == "const":
            return _const_src(op[1])
        if k == "un":
            return f"{op[2]}(t{op[3]})"
        if k == "neg":
            return f"-t{op[1]}"
        if k == "ipow":
            return f"t{op[1]} ** {op[2]}"
        if k == "bin":
            return f"t{op[2]} {op[1]} t{op[3]}"
        if k == "binc":
            return f"{op[2]}(t{op[3]}, {_const_src(op[4])})"
        raise ValueError(op)

    def source(self) -> str:
        """The program as Python source (imports included), defining ``self.name``."""
        lines = ["import math", "import numpy as np", "import dualjit"]
        for mod in custom_rule_modules(self.rules_used):
            lines.append(f"import {mod}  # registers custom rules")
        lines += ["", "", f"def {self.name}(x):"]
        for i, op in enumerate(self.ops):
            lines.append(f"    t{i} = {self._expr(op)}")
        if self.vector_out:
            lines.append(f"    out = dualjit.empty({len(self.outputs)}, x[0])")
            for j, o in enumerate(self.outputs):
                lines.append(f"    out[{j}] = t{o}")
            lines.append("    return out")
        else:
            lines.append(f"    return t{self.outputs[0]}")
        return "\n".join(lines) + "\n"

    def compile(self):
        """``numba.njit(cache=False)`` of the program's function."""
        import numba
        ns: dict = {}
        code = compile(self.source(), f"<dualjit-validate {self.name}>", "exec")
        exec(code, ns)  # noqa: S102 - our own generated source
        fn = ns[self.name]
        # certify_function re-executes py_func with its globals: keep them alive.
        return numba.njit(cache=False)(fn)

    def to_json(self) -> dict:
        return {"ops": [list(o) for o in self.ops], "outputs": list(self.outputs),
                "nvars": self.nvars, "name": self.name, "vector_out": self.vector_out,
                "rules_used": list(self.rules_used)}

    @classmethod
    def from_json(cls, d) -> "Program":
        return cls(tuple(tuple(o) for o in d["ops"]), tuple(d["outputs"]), d["nvars"],
                   d["name"], d["vector_out"], tuple(d["rules_used"]))


def custom_rule_modules(names) -> list:
    """The modules defining the custom rules among ``names`` (for runnable sources)."""
    from ..api.rule import CUSTOM_RULES
    mods = []
    for n in names:
        c = CUSTOM_RULES.get(n)
        if c is not None and c.__module__ not in mods and c.__module__ != "__main__":
            mods.append(c.__module__)
    return mods


def _const_src(c: float) -> str:
    if c == int(c) and abs(c) < 2 ** 53:
        return repr(float(c))
    r = repr(float(c))
    if float(r) == c:
        return r
    return f"float.fromhex('{c.hex()}')"  # pragma: no cover - repr round-trips


_NICE = (0.5, 1.0, 2.0, 3.0, 0.25, 0.1, 1e-3, 10.0, math.pi, 1.5)


def draw_constant(d: Draw, lo=-10.0, hi=10.0) -> float:
    """A program constant: a 'nice' value or a uniform one in [lo, hi] (short repr)."""
    if d.integer(0, 2) == 0:
        c = d.choice(_NICE) * (1 if d.integer(0, 3) else -1)
        return float(min(max(c, lo), hi))
    c = d.uniform(lo, hi)
    return float(f"{c:.6g}")


class _Builder:
    def __init__(self, d: Draw, nvars: int, max_depth: int, rules, binary_rules, arith_weight):
        self.d = d
        self.nvars = nvars
        self.max_depth = max_depth
        self.ops: list = []
        self.rules = rules
        self.binary_rules = binary_rules
        self.arith_weight = arith_weight
        self.used: list = []
        self.var_index: dict = {}

    def emit(self, op) -> int:
        self.ops.append(op)
        return len(self.ops) - 1

    def var(self, i=0) -> int:
        if i not in self.var_index:
            self.var_index[i] = self.emit(("var", i))
        return self.var_index[i]

    def const(self, lo=-10.0, hi=10.0) -> int:
        return self.emit(("const", draw_constant(self.d, lo, hi)))

    def leaf(self) -> int:
        d = self.d
        if d.integer(0, 4) == 0:
            return self.const()
        return self.var(d.integer(0, max(self.nvars, 1) - 1))

    def unary(self, name, a) -> int:
        rule = rule_by_name(name)
        if name not in self.used:
            self.used.append(name)
        return self.emit(("un", name, self.d.choice(_callables(rule)), a))

    def square_plus(self, a, c) -> int:
        sq = self.emit(("bin", "*", a, a)) if self.d.integer(0, 1) else self.emit(("ipow", a, 2))
        if c == 0.0:
            return sq
        return self.emit(("bin", "+", self.emit(("const", c)), sq))

    def wrapped(self, name, a) -> int:
        """``a`` mapped into the domain of rule ``name`` (see the module docstring)."""
        d = self.d
        if name in ("log", "log2", "log10", "sqrt", "gamma", "lgamma"):
            return self.square_plus(a, d.choice((1e-3, 0.1, 0.5, 1.0, 2.0)))
        if name == "log1p":
            return self.square_plus(a, 0.0)
        if name == "acosh":
            return self.square_plus(a, d.choice((1.0, 1.5, 3.0)))
        if name in ("asin", "acos", "atanh"):
            t = self.unary("tanh", a)
            return self.emit(("bin", "*", self.emit(("const", d.choice((0.5, 0.9, 0.99)))), t))
        if name == "logit":
            return self.unary("sigmoid", a)
        if name == "log1mexp":
            return self.emit(("neg", self.square_plus(a, d.choice((1e-3, 0.5, 1.0)))))
        rule = rule_by_name(name)
        if _custom(rule) is not None:
            return self._into_domain(rule.domain, a)
        return a

    def _into_domain(self, dom, a) -> int:
        """A custom rule's argument mapped into its domain [lo, hi] (strictly inside)."""
        lo, hi = dom.lo, dom.hi
        if math.isfinite(lo) and math.isfinite(hi):
            s = self.unary("sigmoid", a)   # in (0, 1); lo + (hi - lo) s
            w = self.emit(("bin", "*", self.emit(("const", 0.98 * (hi - lo))), s))
            return self.emit(("bin", "+", self.emit(("const", lo + 0.01 * (hi - lo))), w))
        if math.isfinite(lo):
            return self.emit(("bin", "+", self.emit(("const", lo)),
                              self.square_plus(a, self.d.choice((1e-3, 0.5, 1.0)))))
        if math.isfinite(hi):
            return self.emit(("bin", "-", self.emit(("const", hi)),
                              self.square_plus(a, self.d.choice((1e-3, 0.5, 1.0)))))
        return a

    def node(self, depth) -> int:
        d = self.d
        if depth >= self.max_depth or (depth > 0 and d.integer(0, 3) == 0):
            return self.leaf()
        r = d.integer(0, 9)
        if r < 10 - self.arith_weight - 2:              # unary rule
            name = d.choice(self.rules)
            a = self.node(depth + 1)
            if rule_by_name(name).domain != rule_by_name("sin").domain and d.integer(0, 3):
                a = self.wrapped(name, a)
            return self.unary(name, a)
        if r < 10 - self.arith_weight:                   # neg / ipow / binary rule with const
            s = d.integer(0, 3)
            a = self.node(depth + 1)
            if s == 0:
                return self.emit(("neg", a))
            if s == 1:
                return self.emit(("ipow", a, d.choice((2, 3))))
            name, (lo, hi) = d.choice(self.binary_rules)
            rule = rule_by_name(name)
            if name not in self.used:
                self.used.append(name)
            c = draw_constant(d, lo, hi)
            if name == "pow":
                a = self.square_plus(a, d.choice((0.5, 1.0)))   # pow's real domain: x > 0
            return self.emit(("binc", name, d.choice(_callables(rule)), a, c))
        op = d.choice(ARITH)
        a = self.node(depth + 1)
        b = self.node(depth + 1)
        if op == "/" and d.integer(0, 2):
            b = self.square_plus(b, d.choice((0.5, 1.0, 2.0)))    # keep most divisors away from 0
        return self.emit(("bin", op, a, b))


def draw_program(d: Draw, max_depth: int = 3, nvars: int = 0, nout: int = 1,
                 rules=None, name: str = "f") -> Program:
    """A random program (see the module docstring). ``nvars`` 0: scalar f(x); n > 0:
    f(x) for a length-n array; ``nout`` > 1 (vector programs only): returns an array.
    ``rules``: the unary rule names to use (default :data:`PROGRAM_RULES`)."""
    rules = tuple(rules) if rules is not None else PROGRAM_RULES
    b = _Builder(d, nvars, max_depth, rules, BINARY_CONST_RULES, arith_weight=3)
    outputs = []
    for _ in range(nout):
        outputs.append(b.node(0))
    if nvars > 0:
        # Every variable takes part, so Jacobians/Hessians have no identically-zero column.
        for i in range(nvars):
            if i not in b.var_index:
                o = outputs[i % nout]
                outputs[i % nout] = b.emit(("bin", d.choice(("+", "*")), o, b.var(i)))
    elif not b.var_index:
        outputs[0] = b.emit(("bin", "+", outputs[0], b.var(0)))
    return Program(tuple(b.ops), tuple(outputs), nvars, name, nout > 1 or False,
                   tuple(b.used))


def draw_program_point(d: Draw, program: Program) -> tuple:
    """One input for ``program``: per variable, uniform in [-5, 5] (weight 4), from a
    rule used in the program (:func:`draw_rule_input`: its ranges, encodings or special
    points, weight 4), or a small nice value (weight 2). Returns a tuple of floats
    (length 1 for scalar programs)."""
    n = max(program.nvars, 1)
    out = []
    for _ in range(n):
        r = d.integer(0, 9)
        if r < 4 or not program.rules_used:
            v = d.uniform(-5.0, 5.0)
        elif r < 8:
            v = draw_rule_input(d, rule_by_name(d.choice(program.rules_used)))[0]
        else:
            v = d.choice((0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e-8, -3.0))
        out.append(float(v))
    return tuple(out)
