"""FPCore expressions as ``@numba.njit`` functions, for running dualjit on real code.

`FPCore <https://fpbench.org/spec/>`_ is FPBench's format for floating-point
benchmarks: ``(FPCore name? (args ...) :prop value ... body)``. This module

* parses FPCore files (:func:`parse_file`, :func:`parse_fpcores`): s-expressions with
  ``[...]`` as ``(...)``, ``;`` comments, strings, and numbers -- decimals, rationals
  (``3/8``), hexadecimal floats (``0x1.8p3``) and ``(digits m e b)``; each number
  denotes its exact real value and is rounded once to binary64 when compiled;
* compiles one expression (:func:`compile_fpcore`) to the Python source of two
  ``@numba.njit`` functions: ``f(v)`` taking a 1-D float array (the form
  ``dualjit.gradient`` and ``dualjit.certify_gradient`` take) and ``f_scalar(x, y, ...)``
  taking one float per variable. The source is kept on the result
  (:attr:`CompiledFPCore.source`): it is the reproducer of whatever is found;
* parses the ``:pre`` precondition into per-variable intervals plus a residual
  predicate (:class:`Precondition`) and samples it (:func:`sample_points`).

Supported: ``+ - * /`` (unary ``-``), the elementary functions dualjit has rule rows
for (see :data:`OPERATORS`), ``let``/``let*``, ``if``, comparisons
(``< > <= >= == !=``, n-ary), ``and``/``or``/``not``, the constants (``PI``, ``E``,
``INFINITY``, ``NAN``, ``LN2``, ... ``TRUE``/``FALSE``) and ``!`` annotations that keep
binary64. Everything else is *skipped* with a reason (:class:`Unsupported`): an
operator without a dualjit rule (``fma``, ``fdim``, ``round``, ...) is reported by its
name; ``while``/``while*``/``for``/``for*``, tensors (``array``, ``tensor``, ``ref``,
``dim``, ``size``), ``cast`` and a precision other than binary64 (binary32, integer,
...) by the construct's name.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

__all__ = [
    "Symbol", "Number", "String", "FPCore", "CompiledFPCore", "Precondition",
    "Unsupported", "FPCoreSyntaxError", "OPERATORS", "CONSTANTS",
    "parse_sexprs", "parse_fpcores", "parse_file", "compile_fpcore",
    "parse_precondition", "sample_points", "to_fpcore_text",
]


# --------------------------------------------------------------------------- atoms

class FPCoreSyntaxError(ValueError):
    """The text is not well-formed FPCore (unbalanced brackets, a bad form)."""


class Unsupported(Exception):
    """An expression dualjit cannot run: ``reason`` is a short category
    (``operator``, ``construct``, ``precision``, ``argument``) and ``name`` the
    operator or construct (``fma``, ``while*``, ``binary32``)."""

    def __init__(self, reason: str, name: str, detail: str = ""):
        self.reason = reason
        self.name = name
        self.detail = detail
        super().__init__(f"unsupported {reason} {name!r}" + (f": {detail}" if detail else ""))

    @property
    def key(self) -> str:
        """``"operator fma"``, ``"construct while*"``, ``"precision binary32"``."""
        return f"{self.reason} {self.name}"


@dataclass(frozen=True)
class Symbol:
    name: str

    def __repr__(self):
        return self.name


@dataclass(frozen=True)
class Number:
    """A numeric literal: ``value`` is its exact rational value (a Fraction);
    ``text`` the spelling in the file."""

    value: Fraction
    text: str

    def __repr__(self):
        return self.text

    def to_float(self) -> float:
        return _fraction_to_float(self.value)


@dataclass(frozen=True)
class String:
    value: str

    def __repr__(self):
        return f'"{self.value}"'


def _fraction_to_float(q: Fraction) -> float:
    """The correctly rounded double of the rational ``q`` (±inf past the range)."""
    try:
        return float(q)  # Fraction.__float__ is correctly rounded (int / int)
    except OverflowError:
        return math.copysign(math.inf, q)


_DEC = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_RAT = re.compile(r"^[+-]?[0-9]+/[0-9]*[1-9][0-9]*$")
_HEX = re.compile(r"^[+-]?0[xX]([0-9a-fA-F]+(\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?$")


def _number(tok: str):
    if _DEC.match(tok):
        return Number(Fraction(tok), tok)
    if _RAT.match(tok):
        return Number(Fraction(tok), tok)
    if _HEX.match(tok):
        t = tok if re.search(r"[pP]", tok) else tok + "p0"
        return Number(Fraction(float.fromhex(t)) if _hex_fits(t) else _hex_fraction(t), tok)
    return None


def _hex_fits(t: str) -> bool:
    try:
        v = float.fromhex(t)
    except (OverflowError, ValueError):
        return False
    return math.isfinite(v) and Fraction(v) == _hex_fraction(t)


def _hex_fraction(t: str) -> Fraction:
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")[2:]
    mant, _, exp = t.lower().partition("p")
    whole, _, frac = mant.partition(".")
    digits = (whole or "0") + frac
    q = Fraction(int(digits, 16), 16 ** len(frac))
    e = int(exp or 0)
    q = q * (Fraction(2) ** e)
    return sign * q


# --------------------------------------------------------------------------- reader

_TOKEN = re.compile(r'\s+|;[^\n]*|"(?:[^"\\]|\\.)*"|[()\[\]]|[^\s()\[\]";]+')


def parse_sexprs(text: str) -> list:
    """All top-level s-expressions of ``text``: lists, :class:`Symbol`,
    :class:`Number`, :class:`String`. ``[`` ``]`` read as ``(`` ``)``."""
    stack: list = [[]]
    opener: list = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            raise FPCoreSyntaxError(f"unreadable text at offset {pos}: {text[pos:pos + 20]!r}")
        pos = m.end()
        tok = m.group()
        if tok[0].isspace() or tok[0] == ";":
            continue
        if tok in "([":
            stack.append([])
            opener.append((tok, m.start()))
        elif tok in ")]":
            if len(stack) == 1:
                raise FPCoreSyntaxError(f"unbalanced {tok!r} at offset {m.start()}")
            o, _ = opener.pop()
            if (o == "(") != (tok == ")"):
                raise FPCoreSyntaxError(f"{o!r} closed by {tok!r} at offset {m.start()}")
            done = stack.pop()
            stack[-1].append(done)
        elif tok[0] == '"':
            stack[-1].append(String(tok[1:-1].replace('\\"', '"').replace("\\\\", "\\")))
        else:
            num = _number(tok)
            stack[-1].append(num if num is not None else Symbol(tok))
    if pos != len(text):
        raise FPCoreSyntaxError(f"unreadable text at offset {pos}")
    if len(stack) != 1:
        raise FPCoreSyntaxError(f"unclosed {opener[-1][0]!r} opened at offset {opener[-1][1]}")
    return stack[0]


def to_fpcore_text(e) -> str:
    """Print an s-expression back as FPCore text (one line)."""
    if isinstance(e, list):
        return "(" + " ".join(to_fpcore_text(x) for x in e) + ")"
    return repr(e)


@dataclass
class FPCore:
    """One parsed ``(FPCore ...)`` form.

    ``args``: the argument names (strings; an argument that is annotated with ``!`` has
    its properties in ``arg_props``); ``props``: the properties (``:name`` etc.,
    keys without the colon, values as s-expressions); ``body``; ``pre`` (the ``:pre``
    s-expression or None); ``ident``: the identifier after ``FPCore`` if any;
    ``source``: the file's path and ``index``: position in that file (0-based);
    ``text``: the form printed back on one line.
    """

    args: tuple
    props: dict
    body: object
    ident: str | None = None
    arg_props: dict = field(default_factory=dict)
    source: str = ""
    index: int = 0
    text: str = ""
    array_args: tuple = ()

    @property
    def name(self) -> str:
        n = self.props.get("name")
        if isinstance(n, String):
            return n.value
        return self.ident or f"expr{self.index}"

    @property
    def pre(self):
        return self.props.get("pre")

    @property
    def precision(self) -> str:
        p = self.props.get("precision")
        return p.name if isinstance(p, Symbol) else ("binary64" if p is None else to_fpcore_text(p))


def _read_props(items, start):
    props, i = {}, start
    while i < len(items) - 1 and isinstance(items[i], Symbol) and items[i].name.startswith(":"):
        props[items[i].name[1:]] = items[i + 1]
        i += 2
    return props, i


def _fpcore_from(form, source="", index=0) -> FPCore:
    if not (isinstance(form, list) and form and form[0] == Symbol("FPCore")):
        raise FPCoreSyntaxError(f"not an FPCore form: {to_fpcore_text(form)[:60]}")
    i, ident = 1, None
    if len(form) > 1 and isinstance(form[1], Symbol):
        ident, i = form[1].name, 2
    if i >= len(form) or not isinstance(form[i], list):
        raise FPCoreSyntaxError(f"FPCore without an argument list: {to_fpcore_text(form)[:60]}")
    raw_args = form[i]
    props, j = _read_props(form, i + 1)
    if j != len(form) - 1:
        raise FPCoreSyntaxError(f"FPCore needs exactly one body after its properties: "
                                f"{to_fpcore_text(form)[:60]}")
    args, arg_props, array_args = [], {}, []
    for a in raw_args:
        if isinstance(a, Symbol):
            args.append(a.name)
        elif isinstance(a, list) and a and a[0] == Symbol("!") and isinstance(a[-1], Symbol):
            p, _ = _read_props(a, 1)
            args.append(a[-1].name)
            arg_props[a[-1].name] = p
        elif isinstance(a, list) and a and isinstance(a[0], Symbol):
            args.append(a[0].name)       # (x n m): a tensor argument
            array_args.append(a[0].name)
        else:
            raise FPCoreSyntaxError(f"bad FPCore argument {to_fpcore_text(a)}")
    return FPCore(tuple(args), props, form[-1], ident, arg_props, source, index,
                  to_fpcore_text(form), tuple(array_args))


def parse_fpcores(text: str, source: str = "") -> list:
    """The FPCore forms of ``text``, in order."""
    return [_fpcore_from(f, source, k) for k, f in enumerate(parse_sexprs(text))]


def parse_file(path) -> list:
    """The FPCore forms of the file at ``path``."""
    path = Path(path)
    return parse_fpcores(path.read_text(), str(path))


# --------------------------------------------------------------------------- operators

#: FPCore operator -> (Python callable spelled in the generated source, arity).
#: Each callable is a target of a dualjit rule row (checked by the tests against
#: ``dualjit.supported_functions()``). floor/ceil/trunc use NumPy's: Numba's math.floor
#: returns an int64 (wrong past 2**63).
OPERATORS = {
    "sqrt": ("math.sqrt", 1), "cbrt": ("math.cbrt", 1),
    "exp": ("math.exp", 1), "exp2": ("math.exp2", 1), "expm1": ("math.expm1", 1),
    "log": ("math.log", 1), "log2": ("math.log2", 1), "log10": ("math.log10", 1),
    "log1p": ("math.log1p", 1), "pow": ("math.pow", 2),
    "sin": ("math.sin", 1), "cos": ("math.cos", 1), "tan": ("math.tan", 1),
    "asin": ("math.asin", 1), "acos": ("math.acos", 1), "atan": ("math.atan", 1),
    "atan2": ("math.atan2", 2),
    "sinh": ("math.sinh", 1), "cosh": ("math.cosh", 1), "tanh": ("math.tanh", 1),
    "asinh": ("math.asinh", 1), "acosh": ("math.acosh", 1), "atanh": ("math.atanh", 1),
    "fabs": ("math.fabs", 1), "fmax": ("np.fmax", 2), "fmin": ("np.fmin", 2),
    "fmod": ("math.fmod", 2), "hypot": ("math.hypot", 2), "copysign": ("math.copysign", 2),
    "erf": ("math.erf", 1), "erfc": ("math.erfc", 1),
    "tgamma": ("math.gamma", 1), "lgamma": ("math.lgamma", 1),
    "floor": ("np.floor", 1), "ceil": ("np.ceil", 1), "trunc": ("np.trunc", 1),
}

#: Operators known to FPCore that dualjit has no rule for (skipped by name). Any other
#: unknown head symbol is skipped the same way.
KNOWN_UNSUPPORTED = ("fma", "fdim", "remainder", "round", "nearbyint", "rint", "lround",
                     "isfinite", "isinf", "isnan", "isnormal", "signbit")

_CONSTRUCTS = ("while", "while*", "for", "for*", "tensor", "tensor*", "array", "ref",
               "dim", "size", "cast")


def _const_values() -> dict:
    import mpmath as mp

    with mp.workprec(256):
        return {
            "E": float(mp.e), "LOG2E": float(1 / mp.log(2)), "LOG10E": float(1 / mp.log(10)),
            "LN2": float(mp.log(2)), "LN10": float(mp.log(10)), "PI": float(mp.pi),
            "PI_2": float(mp.pi / 2), "PI_4": float(mp.pi / 4), "M_1_PI": float(1 / mp.pi),
            "M_2_PI": float(2 / mp.pi), "M_2_SQRTPI": float(2 / mp.sqrt(mp.pi)),
            "SQRT2": float(mp.sqrt(2)), "SQRT1_2": float(mp.sqrt(mp.mpf(1) / 2)),
        }


#: FPCore constants -> their correctly rounded doubles (INFINITY, NAN, TRUE, FALSE
#: are spelled directly).
CONSTANTS = _const_values()

_COMPARE = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "==": "=="}


def _float_literal(v: float) -> str:
    if math.isnan(v):
        return "math.nan"
    if math.isinf(v):
        return "math.inf" if v > 0 else "(-math.inf)"
    r = repr(v)
    return f"({r})" if v < 0 or r.startswith("-") else r


# --------------------------------------------------------------------------- compiler

def _ident(name: str) -> str:
    s = re.sub(r"[^0-9A-Za-z_]", "_", name)
    if not s or s[0].isdigit():
        s = "v_" + s
    return s


class _Gen:
    """Expression -> (statements, Python expression) with fresh names per binding."""

    def __init__(self):
        self.lines: list = []
        self.indent = 1
        self.used: set = set()
        self.ops: set = set()

    def fresh(self, base: str) -> str:
        b = _ident(base)
        name, k = b, 1
        while name in self.used or name in ("math", "np", "numba", "v", "f", "f_scalar"):
            k += 1
            name = f"{b}_{k}"
        self.used.add(name)
        return name

    def emit(self, line: str):
        self.lines.append("    " * self.indent + line)

    def expr(self, e, env: dict) -> str:
        if isinstance(e, Number):
            return _float_literal(e.to_float())
        if isinstance(e, Symbol):
            n = e.name
            if n in env:
                return env[n]
            if n in CONSTANTS:
                return _float_literal(CONSTANTS[n])
            if n == "INFINITY":
                return "math.inf"
            if n == "NAN":
                return "math.nan"
            if n == "TRUE":
                return "True"
            if n == "FALSE":
                return "False"
            raise FPCoreSyntaxError(f"unbound variable {n!r}")
        if isinstance(e, String):
            raise FPCoreSyntaxError(f"a string in an expression: {e!r}")
        if not e:
            raise FPCoreSyntaxError("empty expression ()")
        head, rest = e[0], e[1:]
        if not isinstance(head, Symbol):
            raise FPCoreSyntaxError(f"bad operator {to_fpcore_text(head)}")
        op = head.name
        if op == "!":
            props, i = _read_props(e, 1)
            prec = props.get("precision")
            if prec is not None and prec != Symbol("binary64"):
                raise Unsupported("precision", to_fpcore_text(prec), "an annotated subexpression")
            if i != len(e) - 1:
                raise FPCoreSyntaxError(f"bad annotation {to_fpcore_text(e)[:60]}")
            return self.expr(e[-1], env)
        if op in _CONSTRUCTS:
            raise Unsupported("construct", op)
        if op in ("let", "let*"):
            return self._let(op, rest, env)
        if op == "if":
            return self._if(rest, env)
        if op in ("+", "-", "*", "/"):
            args = [self.expr(a, env) for a in rest]
            if op == "-" and len(args) == 1:
                return f"(-{args[0]})"
            if len(args) < 2:
                raise FPCoreSyntaxError(f"{op} needs two arguments: {to_fpcore_text(e)}")
            self.ops.add(op)
            out = args[0]
            for a in args[1:]:
                out = f"({out} {op} {a})"
            return out
        if op in _COMPARE or op == "!=":
            args = [self.expr(a, env) for a in rest]
            if len(args) < 2:
                return "True"
            if op == "!=":
                parts = [f"({args[i]} != {args[j]})" for i in range(len(args))
                         for j in range(i + 1, len(args))]
            else:
                parts = [f"({args[i]} {op} {args[i + 1]})" for i in range(len(args) - 1)]
            return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"
        if op in ("and", "or"):
            args = [self.expr(a, env) for a in rest]
            if not args:
                return "True" if op == "and" else "False"
            return "(" + f" {op} ".join(args) + ")"
        if op == "not":
            return f"(not {self.expr(rest[0], env)})"
        if op in OPERATORS:
            fn, arity = OPERATORS[op]
            if len(rest) != arity:
                raise FPCoreSyntaxError(f"{op} takes {arity} argument(s): {to_fpcore_text(e)}")
            self.ops.add(op)
            return f"{fn}({', '.join(self.expr(a, env) for a in rest)})"
        if op == "digits" and len(rest) == 3 and all(isinstance(a, Number) for a in rest):
            m, ex, b = (a.value for a in rest)
            return _float_literal(_fraction_to_float(m * Fraction(b) ** int(ex)))
        raise Unsupported("operator", op)

    def _let(self, op, rest, env):
        if len(rest) != 2 or not isinstance(rest[0], list):
            raise FPCoreSyntaxError(f"bad {op}")
        new = dict(env)
        for b in rest[0]:
            if not (isinstance(b, list) and len(b) == 2 and isinstance(b[0], Symbol)):
                raise FPCoreSyntaxError(f"bad {op} binding {to_fpcore_text(b)}")
            val = self.expr(b[1], new if op == "let*" else env)
            name = self.fresh(b[0].name)
            self.emit(f"{name} = {val}")
            new[b[0].name] = name
        return self.expr(rest[1], new)

    def _if(self, rest, env):
        if len(rest) != 3:
            raise FPCoreSyntaxError("if takes a condition and two branches")
        cond = self.expr(rest[0], env)
        out = self.fresh("t")
        self.emit(f"if {cond}:")
        self.indent += 1
        self.emit(f"{out} = {self.expr(rest[1], env)}")
        self.indent -= 1
        self.emit("else:")
        self.indent += 1
        self.emit(f"{out} = {self.expr(rest[2], env)}")
        self.indent -= 1
        return out


@dataclass
class CompiledFPCore:
    """An expression compiled to Python source.

    ``source``: a module defining ``f(v)`` (``v``: 1-D float64 array, one entry per
    variable in ``core.args`` order) and ``f_scalar(*args)``, both ``@numba.njit(error_model="numpy")`` (IEEE
    division: x/0 is ±inf or NaN, as in FPCore, not a ZeroDivisionError);
    ``variables``: the Python names of the arguments; ``operators``: the FPCore
    operators used. :meth:`load` executes the source and returns (f, f_scalar).
    """

    core: FPCore
    source: str
    variables: tuple
    operators: tuple

    def load(self, njit: bool = True):
        import numba

        ns = {"math": math, "np": np, "numba": numba}
        src = self.source if njit else self.source.replace(
            '@numba.njit(error_model="numpy")\n', "")
        exec(compile(src, f"<fpcore {self.core.name}>", "exec"), ns)
        return ns["f"], ns["f_scalar"]


def compile_fpcore(core: FPCore) -> CompiledFPCore:
    """Compile ``core`` (see the module docstring); raises :class:`Unsupported` for
    what dualjit cannot run and :class:`FPCoreSyntaxError` for malformed input."""
    if core.precision != "binary64":
        raise Unsupported("precision", core.precision)
    if core.array_args:
        raise Unsupported("argument", "tensor", f"tensor argument {core.array_args[0]!r}")
    for a, p in core.arg_props.items():
        prec = p.get("precision")
        if prec is not None and prec != Symbol("binary64"):
            raise Unsupported("precision", to_fpcore_text(prec), f"argument {a!r}")
    if not core.args:
        raise Unsupported("argument", "none", "an expression without variables")
    g = _Gen()
    env = {}
    for a in core.args:
        env[a] = g.fresh(a)
    body_lines_start = len(g.lines)
    result = g.expr(core.body, env)
    body = g.lines[body_lines_start:]
    names = tuple(env[a] for a in core.args)
    title = core.name.replace('"', "'")
    src = [f'"""FPCore {title!r} ({core.source or "?"} #{core.index})."""',
           "import math", "import numpy as np", "import numba", "", "",
           "@numba.njit(error_model=\"numpy\")", "def f(v):"]
    src += [f"    {n} = v[{i}]" for i, n in enumerate(names)]
    src += body + [f"    return {result}", "", "",
                   "@numba.njit(error_model=\"numpy\")", f"def f_scalar({', '.join(names)}):"]
    src += body + [f"    return {result}", ""]
    return CompiledFPCore(core, "\n".join(src), names, tuple(sorted(g.ops)))


# --------------------------------------------------------------------------- preconditions

@dataclass
class Precondition:
    """``intervals``: {variable: (lo, hi)} closed bounds implied by the conjuncts of
    ``:pre`` that compare one variable with constants (±inf where unbounded);
    ``predicate``: a Python function of the variables (floats, in argument order)
    evaluating the whole ``:pre`` (None when there is none): sampled points are
    rejected unless it holds (strict bounds, ``!=``, ``or``, relations between
    variables). ``source``: the predicate's Python source."""

    variables: tuple
    intervals: dict
    predicate: object = None
    source: str = ""

    def holds(self, point) -> bool:
        if self.predicate is None:
            return True
        try:
            return bool(self.predicate(*[float(v) for v in point]))
        except (ValueError, ZeroDivisionError, OverflowError):
            return False


def _const(e):
    """The double of a constant expression, or None."""
    if isinstance(e, Number):
        return e.to_float()
    if isinstance(e, Symbol):
        if e.name in CONSTANTS:
            return CONSTANTS[e.name]
        return {"INFINITY": math.inf}.get(e.name)
    if isinstance(e, list) and len(e) == 2 and e[0] == Symbol("-"):
        v = _const(e[1])
        return None if v is None else -v
    return None


def _conjuncts(e):
    if isinstance(e, list) and e and e[0] == Symbol("and"):
        for c in e[1:]:
            yield from _conjuncts(c)
    else:
        yield e


def parse_precondition(core: FPCore) -> Precondition:
    """The :class:`Precondition` of ``core`` (unbounded intervals without ``:pre``)."""
    args = core.args
    iv = {a: [-math.inf, math.inf] for a in args}
    pre = core.pre
    if pre is None:
        return Precondition(args, {a: tuple(v) for a, v in iv.items()})
    for c in _conjuncts(pre):
        if not (isinstance(c, list) and c and isinstance(c[0], Symbol)
                and c[0].name in ("<", "<=", ">", ">=", "==")):
            continue
        op = c[0].name
        terms = c[1:]
        for left, right in zip(terms, terms[1:]):
            if op in (">", ">="):
                left, right = right, left       # left <= right from here on
            lv, rv = _const(left), _const(right)
            if isinstance(left, Symbol) and left.name in iv and rv is not None:
                iv[left.name][1] = min(iv[left.name][1], rv)
                if op == "==":
                    iv[left.name][0] = max(iv[left.name][0], rv)
            if isinstance(right, Symbol) and right.name in iv and lv is not None:
                iv[right.name][0] = max(iv[right.name][0], lv)
                if op == "==":
                    iv[right.name][1] = min(iv[right.name][1], lv)
    g = _Gen()
    env = {a: g.fresh(a) for a in args}
    expr = g.expr(pre, env)
    src = "\n".join([f"def pre({', '.join(env[a] for a in args)}):"] + g.lines
                    + [f"    return {expr}"])
    ns = {"math": math, "np": np}
    exec(compile(src, f"<fpcore pre {core.name}>", "exec"), ns)
    return Precondition(args, {a: tuple(v) for a, v in iv.items()}, ns["pre"], src)


#: Half-width of the box used for uniform draws along an unbounded side.
UNBOUNDED_UNIFORM = 100.0


def _uniform_range(lo: float, hi: float):
    a = lo if math.isfinite(lo) else (min(-UNBOUNDED_UNIFORM, hi - 2 * UNBOUNDED_UNIFORM)
                                      if math.isfinite(hi) else -UNBOUNDED_UNIFORM)
    b = hi if math.isfinite(hi) else max(UNBOUNDED_UNIFORM, a + 2 * UNBOUNDED_UNIFORM)
    if math.isfinite(lo) and not math.isfinite(hi):
        b = max(UNBOUNDED_UNIFORM, lo + 2 * UNBOUNDED_UNIFORM)
    return a, b


def sample_points(pre: Precondition, n: int, rng: np.random.Generator, *, accept=None,
                  max_tries: int | None = None):
    """Up to ``n`` points (an (m, nvars) float64 array) and their origins (``uniform``
    or ``bits``), alternating draw by draw: ``uniform`` draws each variable uniformly in its
    interval (an unbounded side is cut at ±:data:`UNBOUNDED_UNIFORM`), ``bits`` draws
    it uniformly over the float64 encodings in the interval (every binade equally
    likely). A point is kept when the whole precondition holds and ``accept(point)``
    (e.g. "the float primal is finite") returns True; at most ``max_tries`` draws
    (default 50 n). Returns (points, origins, tries)."""
    from ..certify.sampling import uniform_bits

    nv = len(pre.variables)
    max_tries = 50 * n if max_tries is None else max_tries
    pts, origins, tries = [], [], 0
    seen = set()
    if any(pre.intervals[a][0] > pre.intervals[a][1] for a in pre.variables):
        return np.empty((0, nv)), [], 0
    while len(pts) < n and tries < max_tries:
        # Alternate by draw, not by accepted point: a mode that rarely satisfies the
        # precondition (encodings of a half-unbounded box) cannot starve the other.
        mode = "uniform" if tries % 2 == 0 else "bits"
        tries += 1
        row = np.empty(nv)
        for k, a in enumerate(pre.variables):
            lo, hi = pre.intervals[a]
            if mode == "uniform":
                ulo, uhi = _uniform_range(lo, hi)
                row[k] = rng.uniform(ulo, uhi) if ulo < uhi else ulo
            else:
                row[k] = uniform_bits(rng, lo, hi, 1)[0]
        key = row.tobytes()
        if key in seen or not pre.holds(row):
            continue
        if accept is not None and not accept(row):
            continue
        seen.add(key)
        pts.append(row)
        origins.append(mode)
    arr = np.array(pts, dtype=np.float64).reshape(-1, nv)
    return arr, origins, tries
