"""Per-rule certification statistics from engine results and oracle references.

:func:`rule_statistics` returns a plain-JSON dict (the ``rules[*]`` entries of
report.json, see ``report_schema.json``):

* ``value``: the value part of every number type against the primal: the share that is
  bit-for-bit the primal, every violation of the criterion |v - v_true| <= |f(x) - v_true|
  (:func:`dualjit.oracle.value_agrees`) with its hex input, the undecided count
  (unresolved truth) and a verdict: ``exact`` | ``agrees`` | ``FAILED``;
* ``primal``: the primal's own ulp error against the oracle (the libm baseline);
* ``first`` / ``second``: per partial (d f/dx, ...) the ulp error: max with its witness
  (hex input, target, computed and true doubles), median, p99, and the counts of every
  :data:`dualjit.oracle.SCORE_KINDS`; ``near_zero``: the largest absolute error where
  the true derivative is tiny (|f'| < :data:`NEAR_ZERO`), where ulps of the truth say
  little;
* ``kinks``: the engine's first partials at the row's kink points against the
  documented convention (these points are left out of the ulp statistics); points that
  satisfy a kink's ``where`` equation (``x == z``) without being listed are left out
  too, counted as ``unlisted`` and shown with the engine's partials;
* ``consistency``: points where two number types disagree on a partial;
* ``budget``: whether the first and second derivatives meet the row's budgets. A budget
  is met when the max ulp error is within it and there is no NaN or inf mismatch and
  no false zero (``reasons`` says what failed). Undefined mismatches (a derivative
  where the oracle has none) are ``warnings``: conventions to document, not accuracy.
  Unresolved points are counted, never scored.

Random sampling gives lower bounds on the maximum errors, never the maxima themselves.
The key ``_plot`` (per-point |x| and worst ulp error, for the HTML plots) is private:
report.json leaves out keys starting with an underscore.
"""
from __future__ import annotations

import math

import numpy as np

from ..oracle import component_labels, ulp_error, value_agrees

__all__ = ["rule_statistics", "summarize_ulps", "NEAR_ZERO", "MISMATCH_KINDS", "FAILING_KINDS",
           "MAX_LISTED", "LOWER_BOUND_NOTE"]

NEAR_ZERO = 2.0 ** -26
MISMATCH_KINDS = ("nan_mismatch", "inf_mismatch", "false_zero", "undefined_mismatch")
#: Mismatches that fail a budget. An ``undefined_mismatch`` (the engine returns a
#: derivative where the oracle's reference has none: a pole, an undocumented kink, an
#: infinite argument) is a convention to document, reported as a warning.
FAILING_KINDS = ("nan_mismatch", "inf_mismatch", "false_zero")
MAX_LISTED = 50
LOWER_BOUND_NOTE = ("Points are sampled (uniform ranges, float64 encodings, special and "
                    "kink points): each maximum is a lower bound on the true maximum error.")


def _fmt(x: float) -> str:
    return repr(float(x))


def _hexargs(p) -> list:
    return [float(a).hex() if math.isfinite(a) else repr(float(a)) for a in p]


def summarize_ulps(ulps, witnesses=None) -> dict:
    """max (with its witness), median and p99 of a list of ulp errors."""
    if len(ulps) == 0:
        return {"n": 0, "max": None, "median": None, "p99": None, "witness": None}
    a = np.asarray(ulps, dtype=np.float64)
    k = int(np.argmax(a))
    return {"n": int(a.size), "max": float(a[k]), "median": float(np.median(a)),
            "p99": float(np.percentile(a, 99, method="higher")),
            "witness": None if witnesses is None else witnesses[k]}


class _Component:
    """Accumulates scores of one reference component over points and targets."""

    def __init__(self, label):
        self.label = label
        self.ulps, self.wit, self.where = [], [], []
        self.counts = {k: 0 for k in ("ok",) + MISMATCH_KINDS + ("unresolved",)}
        self.mismatches = []
        self.near_zero = None
        self.near_zero_n = 0

    def add(self, score, args, target, i):
        self.counts[score.kind] += 1

        def w():
            return {"input": _hexargs(args), "target": target,
                    "computed": _fmt(score.computed), "true": _fmt(score.true)}
        if score.kind == "ok":
            self.ulps.append(score.ulps)
            # Witnesses are built lazily: only the max's is ever written.
            self.wit.append((tuple(float(a) for a in args), target, score.computed, score.true))
            self.where.append(i)
        elif score.kind in MISMATCH_KINDS:
            if self.counts[score.kind] <= MAX_LISTED:  # up to MAX_LISTED of each kind
                self.mismatches.append(dict(w(), kind=score.kind))
        if score.abs_error is not None and math.isfinite(score.true) and abs(score.true) < NEAR_ZERO:
            self.near_zero_n += 1
            err = float(score.abs_error)
            if self.near_zero is None or err > self.near_zero["abs_error"]:
                self.near_zero = dict(w(), abs_error=err)

    def summary(self, budget=None) -> dict:
        out = summarize_ulps(self.ulps, self.wit)
        if out["witness"] is not None:
            args, target, computed, true = out["witness"]
            out["witness"] = {"input": _hexargs(args), "target": target,
                              "computed": _fmt(computed), "true": _fmt(true)}
        out["label"] = self.label
        out["counts"] = dict(self.counts)
        out["mismatches"] = self.mismatches
        out["near_zero"] = {"threshold": NEAR_ZERO, "n": self.near_zero_n,
                            "max_abs_error": None if self.near_zero is None
                            else self.near_zero["abs_error"],
                            "witness": self.near_zero}
        if budget is not None:
            n_mis = sum(self.counts[k] for k in FAILING_KINDS)
            within = out["max"] is None or out["max"] <= budget
            out["budget"] = budget
            out["budget_met"] = bool(within and n_mis == 0)
        return out


def _kink_expectations(rule) -> dict:
    """{bit pattern: (where, expected first partials, exact)}. A point that differs from
    a listed kink point only in the sign of a zero is a kink point too, held to the
    listed convention (``exact`` False) unless it is listed itself."""
    exp = {}
    for k in rule.kinks:
        for p, e in zip(k.points, k.expected_first):
            p = tuple(float(a) for a in p)
            for q in _zero_sign_variants(p):
                key = tuple(np.array(q, dtype=np.float64).view(np.int64))
                listed = all(math.copysign(1, a) == math.copysign(1, b) for a, b in zip(p, q))
                if listed or key not in exp:
                    exp[key] = (k.where, tuple(e), listed)
    return exp


def _kink_predicates(rule) -> list:
    """Kinks whose ``where`` is an equation over x (and z) that Python can read
    (``x == z``, ``x == 0 and z == 0``): (where, predicate). They recognise points of a
    kink beyond the listed ones (max at every tie). Inequalities (``x < 0``: a region,
    not a kink) and prose are ignored."""
    out = []
    names = ("x", "z") if rule.arity == 2 else ("x",)
    for k in rule.kinks:
        w = k.where
        if "==" not in w or "<" in w or ">" in w:
            continue
        try:
            code = compile(w, "<kink>", "eval")
        except SyntaxError:
            continue
        if not set(code.co_names) <= set(names) | {"inf"}:
            continue

        def pred(p, code=code):
            env = dict(zip(names, (float(a) for a in p)), inf=math.inf)
            try:
                return bool(eval(code, {"__builtins__": {}}, env))  # noqa: S307 - table text
            except Exception:  # noqa: BLE001
                return False
        out.append((w, pred))
    return out


def _zero_sign_variants(p):
    out = [()]
    for a in p:
        out = [o + (v,) for o in out for v in ((0.0, -0.0) if a == 0 else (a,))]
    return out


def _same_partial(a, b) -> bool:
    return a == b or (a != a and b != b)


def rule_statistics(rule, points, origins, results, refs) -> dict:
    """Statistics of one rule (see the module doc). ``points`` (n, arity); ``origins``
    (n,) sample origins; ``results``: list of EngineResult (one per target); ``refs``:
    the oracle's answers (objects with ``value``, ``first``, ``second`` Outcomes)."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, rule.arity)
    n = points.shape[0]
    labels = component_labels(rule.arity)
    first_labels = labels[1:1 + rule.arity]
    second_labels = labels[1 + rule.arity:]
    kink_exp = _kink_expectations(rule)
    bits = points.view(np.int64)

    primal = _Component(labels[0])
    firsts = [_Component(lab) for lab in first_labels]
    seconds = [_Component(lab) for lab in second_labels]
    v_total = v_identical = v_undecided = 0
    v_violations = []
    n_violations = 0
    kink_checked, kink_bad = 0, []
    kink_preds = _kink_predicates(rule)
    kink_other, kink_other_list = 0, []
    consistency = []
    memo: dict = {}

    def score(i, comp, c, outcome):
        key = (i, comp, float(c).hex() if c == c else "nan")
        s = memo.get(key)
        if s is None:
            s = memo[key] = ulp_error(float(c), outcome)
        return s

    for res in results:
        for i, msg in res.consistency:
            if len(consistency) < MAX_LISTED:
                consistency.append({"input": _hexargs(points[i]), "target": res.target,
                                    "message": msg})
        for i in range(n):
            args = points[i]
            ref = refs[i]
            p = float(res.primal[i])
            primal.add(score(i, "primal", p, ref.value), args, res.target, i)
            for j, lab in enumerate(res.value_labels):
                v = float(res.values[i, j])
                v_total += 1
                if (v == p and math.copysign(1, v) == math.copysign(1, p)) or (v != v and p != p):
                    v_identical += 1
                    continue
                ok = value_agrees(v, p, ref.value)
                if ok is None:
                    v_undecided += 1
                elif not ok:
                    n_violations += 1
                    if len(v_violations) < MAX_LISTED:
                        v_violations.append({"input": _hexargs(args), "target": res.target,
                                             "type": lab, "value": _fmt(v), "primal": _fmt(p),
                                             "true": _fmt(ref.value.value)})
            key = tuple(bits[i])
            if key not in kink_exp and any(pred(args) for _, pred in kink_preds):
                # On a kink the row describes but does not list this point: no ulp score,
                # no expectation to check; counted and shown.
                kink_other += 1
                if len(kink_other_list) < MAX_LISTED:
                    kink_other_list.append({"input": _hexargs(args), "target": res.target,
                                            "where": next(w for w, pr in kink_preds if pr(args)),
                                            "got": [_fmt(g) for g in res.first[i]]})
                continue
            if origins[i] == "kink" or key in kink_exp:
                if key in kink_exp:
                    where, expected, listed = kink_exp[key]
                    if not listed:
                        where += " (signed-zero variant of a listed kink point)"
                    got = tuple(float(g) for g in res.first[i])
                    kink_checked += 1
                    if not all(_same_partial(g, e) for g, e in zip(got, expected)):
                        kink_bad.append({"input": _hexargs(args), "target": res.target,
                                         "where": where, "expected": [_fmt(e) for e in expected],
                                         "got": [_fmt(g) for g in got]})
                continue
            for j, comp in enumerate(firsts):
                comp.add(score(i, f"d{j}", res.first[i, j], ref.first[j]), args, res.target, i)
            for j, comp in enumerate(seconds):
                comp.add(score(i, f"dd{j}", res.second[i, j], ref.second[j]), args, res.target, i)

    if n_violations:
        verdict = "FAILED"
    elif v_identical == v_total:
        verdict = "exact"
    else:
        verdict = "agrees"
    first_s = [c.summary(rule.budget_first) for c in firsts]
    second_s = [c.summary(rule.budget_second) for c in seconds]

    def worst(parts):
        best = None
        for s in parts:
            if s["max"] is not None and (best is None or s["max"] > best["max"]):
                best = s
        return best

    def budget_entry(parts, budget):
        w = worst(parts)
        reasons = []
        for s in parts:
            if s["max"] is not None and s["max"] > budget:
                reasons.append(f"{s['label']}: {s['max']:.3g} ulp > {budget:g} at "
                               f"{s['witness']['input']}")
        warnings = []
        for s in parts:
            for k in MISMATCH_KINDS:
                if s["counts"][k]:
                    m = next((m for m in s["mismatches"] if m["kind"] == k), None)
                    where = f" (e.g. at {m['input']}: got {m['computed']})" if m else ""
                    (reasons if k in FAILING_KINDS else warnings).append(
                        f"{s['label']}: {s['counts'][k]} {k}{where}")
        return {"budget": budget, "met": not reasons,
                "max": None if w is None else w["max"],
                "witness": None if w is None else dict(w["witness"], label=w["label"]),
                "reasons": reasons, "warnings": warnings}

    b1 = budget_entry(first_s, rule.budget_first)
    b2 = budget_entry(second_s, rule.budget_second)
    unresolved = sum(1 for r in refs
                     if any(o.status == "unresolved" for o in (r.value,) + r.first + r.second))
    certified = (b1["met"] and b2["met"] and verdict != "FAILED" and not kink_bad
                 and not consistency)
    def series(parts):
        # Per point, the worst ulp error over partials and targets (for plots).
        worst_at = {}
        for c in parts:
            for i, u in zip(c.where, c.ulps):
                worst_at[i] = max(u, worst_at.get(i, 0.0))
        idx = sorted(worst_at)
        return {"abs_x": [abs(float(points[i, 0])) for i in idx],
                "ulps": [worst_at[i] for i in idx]}

    return {
        "_plot": {"first": series(firsts), "second": series(seconds),
                  "primal": series([primal])},
        "rule": rule.name,
        "arity": rule.arity,
        "targets": [r.target for r in results],
        "n_points": n,
        "origins": {o: int(np.sum(np.asarray(origins) == o)) for o in sorted(set(origins))},
        "unresolved_points": unresolved,
        "value": {"class": rule.value_class, "verdict": verdict, "n": v_total,
                  "identical_share": (v_identical / v_total) if v_total else 1.0,
                  "undecided": v_undecided, "n_violations": n_violations,
                  "violations": v_violations},
        "primal": primal.summary(),
        "first": first_s,
        "second": second_s,
        "kinks": {"checked": kink_checked, "mismatches": kink_bad,
                  "unlisted": kink_other, "unlisted_points": kink_other_list},
        "consistency": consistency,
        "budget": {"first": b1, "second": b2},
        "certified": bool(certified),
        "note": LOWER_BOUND_NOTE,
    }
