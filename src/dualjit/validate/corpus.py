"""Run dualjit on a corpus of FPCore expressions and score every partial derivative
against the oracle.

:func:`run_corpus` reads every ``*.fpcore`` file under a directory, compiles each
expression to an ``@numba.njit`` function (:mod:`dualjit.validate.fpcore`), samples its
precondition, and at every sample point compares dualjit's gradient
(``dualjit.value_and_gradient``) with the program's exact gradient
(:func:`dualjit.certify_gradient`: the function's own Python source re-executed on
high-precision hyper-duals). Per expression and per variable it reports the max and
median ulp error of the partial derivative, the input (in hex) of the max, the
non-differentiable points (kinks) touched, the points where the oracle could not
resolve the truth, mismatches (NaN/inf/false zero), and -- where ``dualjit.enclose``
exists -- whether the interval enclosure flags the partial as unreliable.

The truth is the derivative of the expression *as written*, evaluated exactly. Where
the expression cancels catastrophically in float64 (``sqrt(x+1) - sqrt(x)`` at large
x), the float derivative has large ulp errors that no forward-mode implementation can
avoid: these are expected, and are exactly what the interval enclosure must flag. The
report tells them apart from unexplained errors (see :func:`explain`).

Results are cached per expression in ``out_dir/cache`` as they finish; a rerun skips
the finished ones. ``corpus.json`` and ``corpus.md`` are (re)written at the end.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import statistics
import time
import traceback
from pathlib import Path

import numpy as np

from .fpcore import (FPCoreSyntaxError, Unsupported, compile_fpcore, parse_file,
                     parse_fpcores, parse_precondition, sample_points)

__all__ = ["run_corpus", "evaluate_expression", "explain", "write_report",
           "CACHE_VERSION", "BIG_ULP"]

#: Bump when the per-expression record changes: cached records of another version are
#: recomputed.
CACHE_VERSION = 2

#: A partial whose max error exceeds this many ulps is listed as a large error (a
#: composition of a few correctly rounded rules stays within a few ulps unless the
#: expression is ill-conditioned).
BIG_ULP = 16.0

#: The float primal's own error (ulps) above which an expression counts as
#: cancelling at a point.
CANCEL_ULP = 16.0

#: |error| * |x_i| / |f(x)| below which a partial's ulp error is attributed to the
#: partial being tiny compared with the function's natural scale f/x_i (its terms
#: cancel), not to an inaccurate computation.
NORMWISE_TOL = 1e-12

NO_INTERVALS = "n/a (intervals not yet available)"

#: ``dualjit.enclose``'s default tolerance: a point derivative is "reliable" when its
#: enclosure certifies it to this many ulps.
INTERVAL_TOLERANCE = 64.0


# --------------------------------------------------------------------------- helpers

def _hex(v: float) -> str:
    return float(v).hex()


def _json_float(v):
    if v is None:
        return None
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def _clean(obj):
    """obj with every non-finite float spelled as a string (strict JSON)."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return _json_float(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    return obj


def _first_line(e: BaseException) -> str:
    s = str(e).strip().splitlines()
    return f"{type(e).__name__}: {s[0] if s else ''}"[:300]


def _interval_flags(f, x):
    """Per-variable "unreliable" flags from ``dualjit.enclose`` (None if it does not
    exist; a string describing the failure if calling it fails)."""
    import dualjit

    enclose = getattr(dualjit, "enclose", None)
    if enclose is None:
        return None
    try:
        r = enclose(f, x, order=1)
    except Exception as e:  # noqa: BLE001 - a new API: report, don't crash the run
        return f"error: {_first_line(e)}"
    grad = getattr(r, "gradient", None)
    point = getattr(r, "point_gradient", None)
    certifies = getattr(type(r), "certifies", None)
    if grad is not None and point is not None and certifies is not None:
        tol = getattr(r, "tolerance_ulps", 64.0)
        return [not certifies(g, float(p), tol) for g, p in zip(grad, point)]
    v = getattr(r, "reliable", None)
    if isinstance(v, (bool, np.bool_)):
        return [not bool(v)] * len(x)
    return f"unrecognised result: {type(r).__name__}"


def explain(primal_ulp, abs_error, x_i, f_value, max_ulp) -> str:
    """Why a partial's worst error is what it is, from the numbers at the worst point:

    * ``cancellation``: the float primal itself is more than :data:`CANCEL_ULP` ulps
      off there -- the expression cancels in float64 as written, and its derivative
      inherits (usually amplifies) that; expected, and what intervals must flag;
    * ``tiny partial``: |error| * |x_i| / |f(x)| < :data:`NORMWISE_TOL` -- the error is
      negligible at the function's natural scale f/x_i; the partial is near a zero of
      its own (its terms cancel), so its ulp count is large while its absolute error
      is not; expected;
    * ``accurate``: max error within :data:`BIG_ULP` ulps;
    * ``unexplained``: none of the above -- worth investigating as a possible engine
      inaccuracy.
    """
    if max_ulp is None or math.isnan(max_ulp) or max_ulp <= BIG_ULP:
        return "accurate"
    if primal_ulp is not None and (not math.isfinite(primal_ulp) or primal_ulp > CANCEL_ULP):
        return "cancellation"
    if (abs_error is not None and f_value not in (None, 0.0) and math.isfinite(f_value)
            and abs_error * max(abs(x_i), 1e-300) / abs(f_value) < NORMWISE_TOL):
        return "tiny partial"
    return "unexplained"


# --------------------------------------------------------------------------- one expression

def _skip_record(base, e: Unsupported):
    return dict(base, status="skipped", skip_reason=e.reason, skip_name=e.name,
                skip_detail=e.detail)


def evaluate_expression(job: dict) -> dict:
    """Evaluate one expression (a job from :func:`_jobs`): compile, sample, certify.
    Runs in a worker process; returns a JSON-able record."""
    import dualjit
    from ..certify.function import UnsupportedOperationError, certify_gradient

    t0 = time.perf_counter()
    base = {k: job[k] for k in ("key", "file", "index", "name", "fpcore")}
    base["cache_version"] = CACHE_VERSION
    core = parse_fpcores(job["fpcore"], job["file"])[0]
    core.index = job["index"]
    try:
        comp = compile_fpcore(core)
    except Unsupported as e:
        return _skip_record(base, e)
    base["source"] = comp.source
    base["variables"] = list(core.args)
    base["operators"] = list(comp.operators)
    try:
        pre = parse_precondition(core)
    except Unsupported as e:
        return _skip_record(base, e)
    base["intervals"] = {a: [_json_float(lo), _json_float(hi)] for a, (lo, hi) in
                         pre.intervals.items()}
    try:
        f, _ = comp.load()
        warm = np.full(len(core.args), 0.7853981633974483)
        with np.errstate(all="ignore"):
            f(warm)  # compile the float version now
            dualjit.gradient(f, warm)  # and the dual one
    except Exception as e:  # noqa: BLE001 - numba typing/lowering errors
        return dict(base, status="compile_error", error=_first_line(e))
    compile_seconds = time.perf_counter() - t0

    def finite_primal(row):
        try:
            with np.errstate(all="ignore"):
                return math.isfinite(float(f(row)))
        except Exception:  # noqa: BLE001
            return False

    seed = int.from_bytes(hashlib.sha256(f"{job['seed']}:{job['key']}".encode())
                          .digest()[:8], "little")
    pts, origins, tries = sample_points(pre, job["points"], np.random.default_rng(seed),
                                        accept=finite_primal)
    nv = len(core.args)
    per = [dict(ulps=[], worst=None, kinds={}, unresolved=0, kink_points=0,
                kink_max_ulp=None, flagged=0, big_flagged=0, big=0, missed=0,
                missed_example=None) for _ in range(nv)]
    kink_ops: dict = {}
    flags_state = None
    flag_errors, flag_error = 0, None
    n_done, errors, truncated = 0, [], False
    tl = job.get("time_limit")
    for p, origin in zip(pts, origins):
        if tl is not None and time.perf_counter() - t0 > tl:
            truncated = True
            break
        try:
            with np.errstate(all="ignore"):
                cert = certify_gradient(f, p)
        except UnsupportedOperationError as e:
            return dict(base, status="oracle_error", error=_first_line(e))
        except Exception as e:  # noqa: BLE001
            errors.append({"x": [_hex(v) for v in p], "error": _first_line(e)})
            continue
        n_done += 1
        with np.errstate(all="ignore"):
            flags = _interval_flags(f, p.copy())
        if flags is None:
            flags_state = NO_INTERVALS
        elif isinstance(flags, str):
            flag_errors += 1
            if flag_error is None:
                flag_error = flags
            flags = None
        else:
            flags_state = "ok"
        at_kink = bool(cert.kinks)
        for op, _ in cert.kinks:
            kink_ops[op] = kink_ops.get(op, 0) + 1
        for i in range(nv):
            s = cert.gradient_scores[i]
            st = per[i]
            big = False
            if flags is not None and flags[i]:
                st["flagged"] += 1
            if s.kind == "unresolved":
                st["unresolved"] += 1
                continue
            if at_kink:
                st["kink_points"] += 1
                if s.kind == "ok":
                    st["kink_max_ulp"] = max(st["kink_max_ulp"] or 0.0, s.ulps)
                continue
            if s.kind != "ok":
                d = st["kinds"].setdefault(s.kind, {"count": 0, "example": None})
                d["count"] += 1
                big = True
                if d["example"] is None:
                    d["example"] = {"x": [_hex(v) for v in p], "computed": _json_float(
                        s.computed), "true": _json_float(s.true)}
            else:
                st["ulps"].append(s.ulps)
                big = s.ulps > BIG_ULP
                w = st["worst"]
                if w is None or s.ulps > w["ulp"]:
                    abs_err = float(s.abs_error) if s.abs_error is not None else None
                    st["worst"] = {
                        "ulp": s.ulps, "x": [_hex(v) for v in p],
                        "x_decimal": [float(v) for v in p], "origin": origin,
                        "computed": _json_float(s.computed), "true": _json_float(s.true),
                        "abs_error": abs_err, "primal_ulp": _json_float(cert.primal_ulp),
                        "value": _json_float(cert.value),
                        "true_value": _json_float(cert.true_value),
                        "flagged": None if flags is None else bool(flags[i]),
                        "explanation": explain(cert.primal_ulp, abs_err, float(p[i]),
                                               cert.true_value, s.ulps),
                    }
            if big:
                st["big"] += 1
                if flags is not None and flags[i]:
                    st["big_flagged"] += 1
            # An error beyond the enclosure's own tolerance that it does not flag would
            # be a soundness failure of the intervals (the exact value is inside them).
            beyond = s.kind != "ok" or s.ulps > INTERVAL_TOLERANCE
            if flags is not None and beyond and not flags[i]:
                st["missed"] += 1
                if st["missed_example"] is None:
                    st["missed_example"] = {"x": [_hex(v) for v in p], "kind": s.kind,
                                            "ulp": s.ulps, "computed": _json_float(s.computed),
                                            "true": _json_float(s.true)}
    variables = []
    for i, a in enumerate(core.args):
        st = per[i]
        u = st.pop("ulps")
        st["variable"] = a
        st["n_scored"] = len(u)
        st["max_ulp"] = max(u) if u else None
        st["median_ulp"] = statistics.median(u) if u else None
        st["interval_flag"] = (flags_state if flags_state != "ok" else
                               f"{st['flagged']}/{n_done} flagged; "
                               f"{st['big_flagged']}/{st['big']} errors >{BIG_ULP:g} ulp "
                               f"flagged; {st['missed']} missed")
        if flag_errors:
            st["interval_flag"] = (f"{st['interval_flag'] or ''}; enclose failed at "
                                   f"{flag_errors} points: {flag_error}").lstrip("; ")
        st["interval_errors"] = flag_errors
        st["explanation"] = st["worst"]["explanation"] if st["worst"] else (
            "mismatch" if st["kinds"] else "no scored points")
        if st["kinds"]:
            st["explanation"] = (st["explanation"] + "; mismatches: " +
                                 ", ".join(f"{k} x{v['count']}" for k, v in st["kinds"].items()))
        variables.append(st)
    return dict(base, status="evaluated", n_points=n_done, n_sampled=len(pts), tries=tries,
                truncated=truncated, errors=errors[:5], n_errors=len(errors),
                kinks=kink_ops, partials=variables,
                compile_seconds=round(compile_seconds, 2),
                seconds=round(time.perf_counter() - t0, 2))


# --------------------------------------------------------------------------- the corpus

def _jobs(corpus_dir: Path, points: int, seed: int, time_limit):
    files = sorted(Path(corpus_dir).rglob("*.fpcore"))
    jobs, problems = [], []
    for path in files:
        rel = str(path.relative_to(corpus_dir))
        try:
            cores = parse_file(path)
        except FPCoreSyntaxError as e:
            problems.append({"file": rel, "error": _first_line(e)})
            continue
        for core in cores:
            h = hashlib.sha256(f"{core.text}|{points}|{seed}|{time_limit}|{CACHE_VERSION}"
                               .encode()).hexdigest()[:10]
            key = f"{path.stem}-{core.index:03d}-{h}"
            jobs.append({"key": key, "file": rel, "index": core.index, "name": core.name,
                         "fpcore": core.text, "points": points, "seed": seed,
                         "time_limit": time_limit})
    return files, jobs, problems


def _load_cached(path: Path):
    try:
        rec = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return rec if rec.get("cache_version") == CACHE_VERSION else None


def _save(path: Path, rec: dict):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(_clean(rec), indent=1, allow_nan=False))
    os.replace(tmp, path)


def _safe_evaluate(job):
    try:
        return evaluate_expression(job)
    except Exception as e:  # noqa: BLE001 - one bad expression must not stop the run
        return {k: job[k] for k in ("key", "file", "index", "name", "fpcore")} | {
            "status": "error", "error": _first_line(e),
            "traceback": traceback.format_exc()[-2000:], "cache_version": CACHE_VERSION}


def run_corpus(corpus_dir, out_dir, *, points: int = 64, workers: int = 1,
               progress=True, seed: int = 0, time_limit: float | None = 120.0) -> dict:
    """Evaluate every expression of every ``*.fpcore`` file under ``corpus_dir``;
    write ``corpus.json`` and ``corpus.md`` to ``out_dir`` and return the JSON's dict.

    ``points``: sample points per expression (half uniform in the precondition's
    box, half uniform over float encodings; points where the float primal is not
    finite are redrawn); ``workers``: processes (1: in this process); ``progress``:
    show a tqdm bar (or a callable ``progress(done, total, record)``); ``seed``: the
    sampling seed (each expression's stream is derived from it and its text);
    ``time_limit``: seconds per expression after which its remaining points are
    dropped (the record says ``truncated``; None: no limit).

    Per-expression records are saved in ``out_dir/cache/<key>.json`` as they finish
    (the key hashes the expression and the parameters); a rerun reuses them. A
    hand-written ``out_dir/notes.md``, if present, is included in corpus.md as its
    "Analysis" section.
    """
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    if not corpus_dir.is_dir():
        raise ValueError(f"corpus_dir must be a directory, got {str(corpus_dir)!r}")
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise ValueError(f"points must be a positive int, got {points!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive int, got {workers!r}")
    cache = out_dir / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    files, jobs, problems = _jobs(corpus_dir, points, seed, time_limit)
    records, todo = {}, []
    for job in jobs:
        rec = _load_cached(cache / f"{job['key']}.json")
        if rec is not None:
            records[job["key"]] = rec
        else:
            todo.append(job)
    reused = len(records)

    bar = None
    callback = progress if callable(progress) else None
    if progress and callback is None and todo:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), desc="fpcore", unit="expr")

    def done(rec):
        records[rec["key"]] = rec
        _save(cache / f"{rec['key']}.json", rec)
        if bar is not None:
            bar.set_postfix_str(rec["name"][:30])
            bar.update(1)
        if callback is not None:
            callback(len(records) - reused, len(todo), rec)

    try:
        if workers == 1 or len(todo) <= 1:
            for job in todo:
                done(_safe_evaluate(job))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                futs = [pool.submit(_safe_evaluate, job) for job in todo]
                for fut in as_completed(futs):
                    done(fut.result())
    finally:
        if bar is not None:
            bar.close()

    ordered = [_clean(records[j["key"]]) for j in jobs]
    result = _summarise(ordered, files, problems, corpus_dir, points=points, seed=seed,
                        time_limit=time_limit, reused=reused,
                        seconds=round(time.time() - t0, 1))
    notes_file = out_dir / "notes.md"
    if notes_file.exists():  # a hand-written analysis, kept across reruns
        result["notes"] = notes_file.read_text()
    (out_dir / "corpus.json").write_text(json.dumps(_clean(result), indent=1,
                                                    allow_nan=False))
    (out_dir / "corpus.md").write_text(write_report(result))
    return result


# --------------------------------------------------------------------------- summary

def _bucket(u):
    u = float(u)
    for lim, name in ((0.5, "<= 0.5"), (1, "<= 1"), (4, "<= 4"), (16, "<= 16"),
                      (1024, "<= 1024"), (2 ** 20, "<= 2^20")):
        if u <= lim:
            return name
    return "> 2^20"


BUCKETS = ("<= 0.5", "<= 1", "<= 4", "<= 16", "<= 1024", "<= 2^20", "> 2^20")


def _summarise(records, files, problems, corpus_dir, **meta) -> dict:
    import dualjit
    from ..oracle import backend_info

    by_status: dict = {}
    skipped: dict = {}
    for r in records:
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
        if r["status"] == "skipped":
            k = f"{r['skip_reason']} {r['skip_name']}"
            skipped.setdefault(k, []).append(f"{r['file']}#{r['index']} {r['name']}")
    partials = [(r, p) for r in records if r["status"] == "evaluated" for p in r["partials"]]
    buckets = {b: 0 for b in BUCKETS}
    explanations: dict = {}
    mismatch = unresolved = kink_partials = 0
    for r, p in partials:
        if p["max_ulp"] is not None:
            buckets[_bucket(p["max_ulp"])] += 1
        if p["kinds"]:
            mismatch += 1
        unresolved += p["unresolved"] > 0
        kink_partials += p["kink_points"] > 0
        explanations[p["explanation"].split(";")[0]] = explanations.get(
            p["explanation"].split(";")[0], 0) + 1
    meds = [p["median_ulp"] for _, p in partials if p["median_ulp"] is not None]
    summary = {
        "files": len(files), "expressions": len(records), "parse_errors": problems,
        "compiled": sum(1 for r in records if "source" in r),
        "by_status": by_status,
        "skipped": {k: {"count": len(v), "expressions": v} for k, v in
                    sorted(skipped.items(), key=lambda kv: -len(kv[1]))},
        "points": sum(r.get("n_points", 0) for r in records),
        "compute_seconds": round(sum(r.get("seconds", 0) for r in records), 1),
        "partials": len(partials),
        "partials_by_max_ulp": buckets,
        "partials_with_mismatches": mismatch,
        "partials_with_unresolved": unresolved,
        "partials_touching_kinks": kink_partials,
        "median_of_median_ulp": statistics.median(meds) if meds else None,
        "interval": {
            "flagged_points": sum(p.get("flagged", 0) for _, p in partials),
            "large_errors": sum(p.get("big", 0) for _, p in partials),
            "large_errors_flagged": sum(p.get("big_flagged", 0) for _, p in partials),
            "missed": sum(p.get("missed", 0) for _, p in partials),
            "partials_with_missed": [f"{r['file']}#{r['index']} {r['name']} "
                                     f"d/d{p['variable']}" for r, p in partials
                                     if p.get("missed")],
            "enclose_errors": sum(p.get("interval_errors", 0) for _, p in partials),
        },
        "explanations": explanations,
    }
    meta = dict(meta, corpus=str(corpus_dir), dualjit=dualjit.__version__,
                oracle=backend_info(), intervals=hasattr(dualjit, "enclose"),
                big_ulp=BIG_ULP, cancel_ulp=CANCEL_ULP, normwise_tol=NORMWISE_TOL)
    return {"meta": meta, "summary": summary, "expressions": records}


def _fmt_ulp(u):
    if u is None:
        return "-"
    if u == "nan" or u == "inf":
        return u
    u = float(u)
    if u >= 1e4:
        return f"{u:.3g}"
    return f"{u:.3g}" if u < 10 else f"{u:.0f}"


_EXPLAIN_TEXT = {
    "cancellation": "the expression cancels in float64 here (the float primal itself is "
                    "off by {p} ulp); the derivative of the program as written is "
                    "ill-conditioned -- expected, intervals must flag it",
    "tiny partial": "the partial is tiny next to the function's scale f/x_i (its terms "
                    "cancel): |error|*|x_i|/|f| = {n:.1e}; expected, intervals must flag it",
    "unexplained": "primal accurate ({p} ulp) and no cancellation detected: investigate",
    "accurate": "within budget",
}


def _explain_text(p):
    w = p["worst"]
    if w is None:
        return p["explanation"]
    kind = w["explanation"]
    pu = _fmt_ulp(w["primal_ulp"])
    nw = math.nan
    tv = w["true_value"]
    if isinstance(tv, float) and tv != 0 and w["abs_error"] is not None:
        nw = w["abs_error"] * max(abs(w["x_decimal"][p.get("_index", 0)]), 1e-300) / abs(tv)
    return _EXPLAIN_TEXT.get(kind, kind).format(p=pu, n=nw)


def write_report(result: dict) -> str:
    """corpus.md from :func:`run_corpus`'s result."""
    m, s = result["meta"], result["summary"]
    recs = result["expressions"]
    for r in recs:
        for i, p in enumerate(r.get("partials", ())):
            p["_index"] = i
    L = []
    L.append("# dualjit on the FPBench corpus: derivatives against the oracle\n")
    L.append(f"Generated by `dualjit.validate.corpus.run_corpus` on `{m['corpus']}` "
             f"(dualjit {m['dualjit']}, mpmath {m['oracle']['mpmath']} / "
             f"{m['oracle']['backend']}), {m['points']} points per expression, seed "
             f"{m['seed']}, time limit {m['time_limit']} s per expression; "
             f"{s['compute_seconds']} s of evaluation in all (this report: "
             f"{m['seconds']} s, {m['reused']} expressions reused from the cache).\n")
    L.append("Each expression is compiled to an `@numba.njit` function of its variables; "
             "at every sample point dualjit's gradient (`dualjit.value_and_gradient`) is "
             "compared with the exact gradient of the program as written "
             "(`dualjit.certify_gradient`: the function's Python source re-executed on "
             "high-precision hyper-dual numbers). Points are drawn half uniformly in the "
             "precondition's box (unbounded sides cut at ±100) and half uniformly over the "
             "float64 encodings in it; points failing `:pre` or where the float primal is "
             "not finite are redrawn. Errors are in ulps of the correctly rounded true "
             "partial. Points touching a kink (abs at 0, fmax tie, ...) are excluded from "
             "the ulp statistics and counted separately.\n")
    L.append("## Headline\n")
    bs = s["by_status"]
    L.append(f"* {s['files']} files, **{s['expressions']} expressions parsed**, "
             f"{s['compiled']} compiled, **{bs.get('skipped', 0)} skipped**, "
             f"**{bs.get('evaluated', 0)} evaluated** "
             f"({bs.get('compile_error', 0)} numba compile errors, "
             f"{bs.get('oracle_error', 0)} oracle errors, {bs.get('error', 0)} other errors); "
             f"{s['points']} points, {s['partials']} partial derivatives.")
    b = s["partials_by_max_ulp"]
    L.append("* Max ulp error per partial (over its points): " +
             ", ".join(f"{k}: {v}" for k, v in b.items()) + ".")
    L.append(f"* Median (over partials) of the median ulp error: "
             f"{_fmt_ulp(s['median_of_median_ulp'])}.")
    L.append(f"* Partials with NaN/inf/false-zero mismatches: "
             f"{s['partials_with_mismatches']}; with unresolved oracle points: "
             f"{s['partials_with_unresolved']}; touching kinks: "
             f"{s['partials_touching_kinks']}.")
    L.append("* Worst-point classification per partial: " +
             ", ".join(f"{k}: {v}" for k, v in sorted(s["explanations"].items())) + ".")
    iv = s.get("interval", {})
    if m["intervals"]:
        L.append(f"* Interval enclosure (`dualjit.enclose(f, x)`, point gradient certified "
                 f"to {INTERVAL_TOLERANCE:g} ulps): {iv.get('flagged_points', 0)} "
                 f"(point, partial) pairs flagged unreliable; of the "
                 f"{iv.get('large_errors', 0)} with an error > {m['big_ulp']:g} ulp or a "
                 f"mismatch, {iv.get('large_errors_flagged', 0)} flagged; errors beyond "
                 f"{INTERVAL_TOLERANCE:g} ulp *not* flagged (would be unsound): "
                 f"{iv.get('missed', 0)}" + (f" ({'; '.join(iv['partials_with_missed'][:10])})"
                                              if iv.get('partials_with_missed') else "") +
                 f"; enclose failures: {iv.get('enclose_errors', 0)}.\n")
    else:
        L.append(f"* Interval enclosure: {NO_INTERVALS}.\n")
    notes = result.get("notes")
    if notes:
        L.append("## Analysis\n")
        L.append(notes.strip() + "\n")
    L.append("The oracle differentiates the expression *as written*, exactly. A large "
             "ulp error in an expression that cancels catastrophically in float64 is "
             "therefore **expected**: the float program's derivative inherits the "
             "cancellation (`sqrt(x+1) - sqrt(x)` at large x, `(1 - cos x)/x²` at small "
             "x), and no forward-mode implementation evaluating that program in float64 "
             "can avoid it. Those are exactly the partials the interval enclosure must "
             "flag as unreliable. `cancellation` = the float primal itself is more than "
             f"{m['cancel_ulp']:.0f} ulp off at the worst point; `tiny partial` = the "
             f"error is below {m['normwise_tol']:.0e} of the natural scale f/x_i (the "
             "partial sits near a zero of its own); `unexplained` = neither.\n")
    if s["skipped"]:
        L.append("## Skipped\n")
        L.append("| reason | count | expressions |\n|---|---:|---|")
        for k, v in s["skipped"].items():
            L.append(f"| {k} | {v['count']} | {'; '.join(v['expressions'])} |")
        L.append("")
    others = [r for r in recs if r["status"] not in ("evaluated", "skipped")]
    if others:
        L.append("## Errors\n")
        for r in others:
            L.append(f"* {r['file']}#{r['index']} {r['name']}: {r['status']}: "
                     f"{r.get('error', '')}")
        L.append("")
    rows = [(r, p) for r in recs if r["status"] == "evaluated" for p in r["partials"]
            if p["max_ulp"] is not None]
    rows.sort(key=lambda rp: -float(rp[1]["max_ulp"]))
    L.append("## Worst partial derivatives\n")
    L.append("| expression | var | max ulp | at (hex, all variables) | computed | true | "
             "primal ulp there | interval flag | why |\n|---|---|---:|---|---|---|---:|---|---|")
    for r, p in rows[:25]:
        w = p["worst"]
        L.append(f"| {r['file']}#{r['index']} {r['name']} | {p['variable']} | "
                 f"{_fmt_ulp(p['max_ulp'])} | `{', '.join(w['x'])}` | {w['computed']!r} | "
                 f"{w['true']!r} | {_fmt_ulp(w['primal_ulp'])} | "
                 f"{'-' if w['flagged'] is None else w['flagged']} | {_explain_text(p)} |")
    L.append("")
    mis = [(r, p) for r in recs if r["status"] == "evaluated" for p in r["partials"]
           if p["kinds"]]
    if mis:
        L.append("## Mismatches (NaN/inf/false zero where the truth is finite, or the "
                 "reverse)\n")
        for r, p in mis:
            for k, v in p["kinds"].items():
                ex = v["example"]
                L.append(f"* {r['file']}#{r['index']} {r['name']}, d/d{p['variable']}: "
                         f"{k} x{v['count']}, e.g. at `{', '.join(ex['x'])}`: computed "
                         f"{ex['computed']}, true {ex['true']}")
        L.append("")
    L.append("## All expressions\n")
    L.append("| expression | var | points | max ulp | median ulp | worst input (hex) | "
             "kinks touched | unresolved | mismatches | interval flag |\n"
             "|---|---|---:|---:|---:|---|---|---:|---|---|")
    for r in recs:
        if r["status"] != "evaluated":
            continue
        kinks = ", ".join(f"{k} x{v}" for k, v in r["kinks"].items()) or "-"
        for p in r["partials"]:
            w = p["worst"]
            mm = ", ".join(f"{k} x{v['count']}" for k, v in p["kinds"].items()) or "-"
            L.append(f"| {r['file']}#{r['index']} {r['name']}"
                     f"{' (truncated)' if r['truncated'] else ''} | {p['variable']} | "
                     f"{r['n_points']} | {_fmt_ulp(p['max_ulp'])} | "
                     f"{_fmt_ulp(p['median_ulp'])} | "
                     f"{'`' + ', '.join(w['x']) + '`' if w else '-'} | {kinks} | "
                     f"{p['unresolved']} | {mm} | {p['interval_flag']} |")
    L.append("")
    L.append("The generated njit source of every expression (the reproducer) is in "
             "`corpus.json` (`expressions[i].source`); `dualjit.certify_gradient(f, x)` "
             "with `x = np.array([float.fromhex(h) for h in worst_input])` reproduces a "
             "row.\n")
    for r in recs:
        for p in r.get("partials", ()):
            p.pop("_index", None)
    return "\n".join(L)
