"""IEEE 1788 conformance of dualjit's interval enclosures against the ITF1788 test vectors.

Usage::

    python validation/itf1788.py CORPUS_DIR [--out validation/itf1788]

Reads every ``*.itl`` file of the ITF1788 suite (Oliver Heimlich's portable test
vectors: ``testlibrary``/``testcase NAME { op args = result; ... }`` blocks), and for
each test case whose operation dualjit's interval type supports evaluates our enclosure
on the Python ``Interval`` objects (the same functions Numba compiles) and checks

* containment: our result contains the expected interval (the bar: zero failures);
* tightness: our result equals the expected one (the tightest double interval).

Inputs: decorations (``_com``, ``_dac``, ...) are dropped (the interval part is
compared), ``[nai]`` cases and ``signal ...`` annotations are skipped. Literals are parsed
exactly (decimal and hexadecimal, as fractions) and rounded OUTWARD to doubles, for
inputs and for expected results alike (the tightest double interval holding the literal,
as IEEE 1788 text-to-interval; a literal that is a double is taken as it is).

Operations map to the rules' enclosure primals (``RULES_BY_NAME[name].enclosure.primal``)
and the algebra of :mod:`dualjit.types.interval`; IEEE 1788 ``pow`` is defined for
x >= 0 only, so its first argument is intersected with [0, inf) first. Everything else
is listed as unsupported with its count.

Output: ``conformance.md`` and ``conformance.json`` in the output directory: a table per
operation (cases, applicable, contained, tightest, failures) and every containment
failure with its file, line and text.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from dualjit.rules import RULES_BY_NAME  # noqa: E402
from dualjit.rules.enclosures import powi  # noqa: E402
from dualjit.types import interval as I  # noqa: E402

INF = math.inf


# --- literals ---------------------------------------------------------------------------

_HEX = re.compile(r"^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+)$", re.I)


def parse_number(tok: str):
    """A literal as an exact Fraction, or +-inf as a float."""
    t = tok.strip()
    low = t.lower()
    if low in ("infinity", "+infinity", "inf", "+inf"):
        return INF
    if low in ("-infinity", "-inf"):
        return -INF
    m = _HEX.match(t)
    if m:
        sign, ip, fp, ex = m.groups()
        fp = fp or ""
        mant = int((ip or "0") + fp, 16) if (ip or fp) else 0
        v = Fraction(mant) * Fraction(2) ** (int(ex) - 4 * len(fp))
        return -v if sign == "-" else v
    return Fraction(t)  # decimal, exactly (Fraction parses 1e-3, -0.0, 1.5 ...)


def round_down(v) -> float:
    if isinstance(v, float):
        return v
    f = float(v)  # correctly rounded (may be +-inf on overflow)
    if f == INF:
        return I.MAX
    if math.isfinite(f) and Fraction(f) > v:
        f = math.nextafter(f, -INF)
    return f


def round_up(v) -> float:
    if isinstance(v, float):
        return v
    f = float(v)
    if f == -INF:
        return -I.MAX
    if math.isfinite(f) and Fraction(f) < v:
        f = math.nextafter(f, INF)
    return f


class Unsupported(Exception):
    pass


_IVL = re.compile(r"\[([^\]]*)\](_[a-z]+)?")


def parse_interval(text: str):
    """'[a, b]', '[a]', '[empty]', '[entire]' (decoration dropped) -> Interval, or None
    for [nai]."""
    m = _IVL.fullmatch(text.strip())
    if not m:
        raise Unsupported(f"not an interval literal: {text}")
    body = m.group(1).strip().lower()
    if body == "nai":
        return None
    if body == "empty":
        return I.empty()
    if body == "entire":
        return I.entire()
    parts = [p.strip() for p in body.split(",")]
    if len(parts) == 1:
        parts = parts * 2
    lo, hi = parse_number(parts[0]), parse_number(parts[1])
    if lo == INF or hi == -INF or lo > hi:
        raise Unsupported(f"invalid interval literal {text}")
    return I.make(round_down(lo) + 0.0, round_up(hi) + 0.0)  # + 0.0: -0 -> +0


_TOKEN = re.compile(r"\[[^\]]*\](?:_[a-z]+)?|\"[^\"]*\"|[^\s]+")


def tokenize_args(text: str):
    return _TOKEN.findall(text)


# --- the operations ---------------------------------------------------------------------

def _enc(name):
    return RULES_BY_NAME[name].enclosure.primal


def _pow(x, z):
    xd = I.intersect(x, I.make(0.0, INF))
    if I.is_empty(xd) or I.is_empty(z):
        return I.empty()
    return _enc("pow")(xd, z)


def _pown(x, n):
    if I.is_empty(x):
        return I.empty()
    return powi(x, n)


def _recip(x):
    return I.div(I.make(1.0, 1.0), x)


# op name -> (arity in intervals, extra integer argument?, function)
OPS = {
    "pos": (1, False, lambda x: x),
    "neg": (1, False, I.neg),
    "add": (2, False, I.add),
    "sub": (2, False, I.sub),
    "mul": (2, False, I.mul),
    "div": (2, False, I.div),
    "recip": (1, False, _recip),
    "sqr": (1, False, I.sqr),
    "pown": (1, True, _pown),
    "pow": (2, False, _pow),
    "intersection": (2, False, I.intersect),
    "convexHull": (2, False, I.hull),
}
for _name in ("exp", "exp2", "log", "log2", "log10", "sqrt", "sin", "cos", "tan", "asin",
              "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "abs",
              "floor", "ceil", "trunc"):
    OPS[_name] = (1, False, _enc(_name))
for _name in ("atan2", "min", "max"):
    OPS[_name] = (2, False, _enc(_name))


# --- the runner ---------------------------------------------------------------------------

_CASE = re.compile(r"^\s*([A-Za-z][\w-]*)\s+(.*?)\s*=\s*(.*?)\s*;\s*$")


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def iter_cases(path: Path):
    """(line number, op, args text, result text, raw line) for every test line."""
    text = _strip_comments(path.read_text())
    for no, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith(("testcase", "testlibrary", "{", "}")):
            continue
        m = _CASE.match(s)
        if not m:
            continue
        op, args, result = m.groups()
        result = re.sub(r"\s+signal\s+\w+(\s+\w+)*$", "", result)
        yield no, op, args, result, s


def _same(a, b):
    if I.is_empty(a) or I.is_empty(b):
        return I.is_empty(a) and I.is_empty(b)
    return a.lo == b.lo and a.hi == b.hi


def _contains(outer, inner):
    if I.is_empty(inner):
        return True
    if I.is_empty(outer):
        return False
    return outer.lo <= inner.lo and inner.hi <= outer.hi


def evaluate(op, args_text):
    """Our result for one test line (raises Unsupported when not applicable)."""
    arity, with_int, fn = OPS[op]
    toks = tokenize_args(args_text)
    ivals = []
    ints = []
    for t in toks:
        if t.startswith("["):
            ivals.append(parse_interval(t))
        else:
            ints.append(t)
    if len(ivals) != arity or len(ints) != (1 if with_int else 0):
        raise Unsupported("argument shape")
    if any(v is None for v in ivals):
        raise Unsupported("NaI")
    if with_int:
        n = int(ints[0])
        return fn(ivals[0], n)
    return fn(*ivals)


def run(corpus: Path, files=None):
    stats: dict = {}
    unsupported: dict = {}
    failures = []
    paths = sorted(corpus.glob("*.itl")) if files is None else [Path(f) for f in files]
    for path in paths:
        for no, op, args, result, raw in iter_cases(path):
            if op not in OPS:
                unsupported[op] = unsupported.get(op, 0) + 1
                continue
            st = stats.setdefault(op, {"cases": 0, "applicable": 0, "contained": 0,
                                       "tightest": 0, "failures": 0})
            st["cases"] += 1
            try:
                expected = parse_interval(result)
                if expected is None:
                    raise Unsupported("NaI result")
                ours = evaluate(op, args)
            except Unsupported:
                continue
            st["applicable"] += 1
            if _contains(ours, expected):
                st["contained"] += 1
                if _same(ours, expected):
                    st["tightest"] += 1
            else:
                st["failures"] += 1
                failures.append({"file": path.name, "line": no, "text": raw, "ours":
                                 "empty" if I.is_empty(ours) else [ours.lo, ours.hi],
                                 "expected": "empty" if I.is_empty(expected)
                                 else [expected.lo, expected.hi]})
    total = {k: sum(s[k] for s in stats.values())
             for k in ("cases", "applicable", "contained", "tightest", "failures")}
    return {"operations": dict(sorted(stats.items())), "total": total,
            "unsupported": dict(sorted(unsupported.items(), key=lambda kv: -kv[1])),
            "failures": failures, "files": [p.name for p in paths]}


def to_markdown(report) -> str:
    t = report["total"]
    lines = ["# ITF1788 conformance of dualjit's interval enclosures", "",
             f"Files: {', '.join(report['files'])}", "",
             f"**{t['applicable']} applicable test cases: {t['contained']} contained "
             f"({t['failures']} containment failures), {t['tightest']} tightest "
             f"({100.0 * t['tightest'] / max(t['applicable'], 1):.1f}%).**", "",
             "Containment: our enclosure contains the expected (tightest) interval. "
             "Tightest: it equals it. Decorations are dropped; [nai] cases are not "
             "applicable; literals are rounded outward.", "",
             "| operation | cases | applicable | contained | tightest | failures |",
             "|---|---:|---:|---:|---:|---:|"]
    for op, s in report["operations"].items():
        lines.append(f"| {op} | {s['cases']} | {s['applicable']} | {s['contained']} | "
                     f"{s['tightest']} | {s['failures']} |")
    lines.append(f"| **total** | {t['cases']} | {t['applicable']} | {t['contained']} | "
                 f"{t['tightest']} | {t['failures']} |")
    lines += ["", "## Unsupported operations (test lines)", ""]
    lines += [f"- {op}: {n}" for op, n in report["unsupported"].items()]
    lines += ["", "## Containment failures", ""]
    if not report["failures"]:
        lines.append("None.")
    for f in report["failures"]:
        lines.append(f"- {f['file']}:{f['line']}: `{f['text']}` -> ours {f['ours']}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path, default=HERE / "itf1788")
    a = ap.parse_args(argv)
    report = run(a.corpus)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "conformance.json").write_text(json.dumps(report, indent=1))
    (a.out / "conformance.md").write_text(to_markdown(report))
    t = report["total"]
    print(f"{t['applicable']} applicable, {t['contained']} contained, {t['tightest']} "
          f"tightest, {t['failures']} containment failures -> {a.out}")
    return 1 if t["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
