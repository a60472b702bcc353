"""Profiles, batches, persistence, parallelism and the summary of ``dualjit validate``.

A run is a list of *batches*; batch i of a profile is one program (scalar, or a vector
pair g/G) and its points, all drawn from ``numpy.random.default_rng([seed, i])`` through
:mod:`dualjit.validate.space` -- the same generators the Hypothesis strategies use.
Each batch compiles its program once and runs every property of its kind on every
point. A finished batch is written atomically to ``OUT/batches/<run key>/<i>.json``;
the run key hashes the profile's parameters, so rerunning the same command skips the
batches already on disk (resume) and an interrupted run loses at most the batches in
flight. The summary (``OUT/summary.json``, ``OUT/summary.md``, ``OUT/reproducers/``)
is rebuilt from all batch files of the run key every time.

Batches run in this process (``workers=0``), on a local ``ProcessPoolExecutor``
(``workers=N``, spawn), or on a Dask cluster (``scheduler="tcp://host:8786"``; dask is
imported only then: ``pip install 'dualjit[distributed]'``). Results always come back
to this process, which alone writes files -- the workers need no shared disk.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
import traceback
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from . import budget as _budget
from .properties import PROPERTIES, Outcome, ProgramContext, VectorContext
from .space import Program, RngDraw, draw_program, draw_program_point

__all__ = ["ValidateProfile", "PROFILES", "run_profile", "run_batch", "batch_program",
           "check_scalar_program", "check_vector_programs", "write_summary", "run_key"]

FORMAT = 2
MAX_STORED_FAILURES = 3       # per property and batch (all are counted)


@dataclass(frozen=True)
class ValidateProfile:
    """``scalar_programs`` programs f(x) with ``scalar_points`` points each,
    ``vector_programs`` pairs g, G: R^nvars -> R, R^nout with ``vector_points`` each,
    expression depth at most ``max_depth``, all seeded by ``seed``."""

    name: str
    scalar_programs: int
    scalar_points: int
    vector_programs: int
    vector_points: int
    max_depth: int = 4
    nvars: int = 3
    nout: int = 2
    seed: int = 20240601
    rules: tuple | None = None       # unary rule names programs use (None: all)
    # Modules imported first (in every worker): they register custom rules by name.
    imports: tuple = ()

    @property
    def batches(self) -> int:
        return self.scalar_programs + self.vector_programs


PROFILES = {
    "ci": ValidateProfile("ci", scalar_programs=6, scalar_points=40, vector_programs=1,
                          vector_points=6, max_depth=3),
    "medium": ValidateProfile("medium", scalar_programs=100, scalar_points=80,
                              vector_programs=20, vector_points=12, max_depth=5),
    "thorough": ValidateProfile("thorough", scalar_programs=20_000, scalar_points=300,
                                vector_programs=4_000, vector_points=40, max_depth=6),
}


def run_key(profile: ValidateProfile) -> str:
    params = asdict(profile)
    if params.get("rules") is None:
        params.pop("rules", None)       # keys of runs without a rule subset stay stable
    else:
        params["rules"] = list(params["rules"])
    if not params.get("imports"):
        params.pop("imports", None)     # likewise for runs without custom rules
    else:
        params["imports"] = list(params["imports"])
    blob = json.dumps({"format": FORMAT, **params}, sort_keys=True)
    return f"{profile.name}-{hashlib.sha256(blob.encode()).hexdigest()[:10]}"


# --------------------------------------------------------------------------- one batch

def batch_program(profile: ValidateProfile, index: int):
    """(kind, programs, draw) of batch ``index``: the draw continues with the points."""
    d = RngDraw(np.random.default_rng([profile.seed, index]))
    if index < profile.scalar_programs:
        p = draw_program(d, max_depth=profile.max_depth, nvars=0, rules=profile.rules,
                         name=f"f{index}")
        return "scalar", (p,), d
    g = draw_program(d, max_depth=profile.max_depth, nvars=profile.nvars, nout=1,
                     rules=profile.rules, name=f"g{index}")
    G = draw_program(d, max_depth=profile.max_depth, nvars=profile.nvars, nout=profile.nout,
                     rules=profile.rules, name=f"G{index}")
    return "vector", (g, G), d


def _new_counts(kind, properties):
    return {p.name: {"pass": 0, "fail": 0, "skip": {}, "notes": {}, "max_ratio": 0.0,
                     "max_ulps": 0.0, "kappa_max": 0.0}
            for p in properties if p.kind == kind}


def _record(counts, failures, prop, outs, batch, point, program_names):
    c = counts[prop.name]
    stored = sum(1 for f in failures if f["property"] == prop.name)
    for o in outs:
        note = o.data.get("note")
        if note:
            c["notes"][note] = c["notes"].get(note, 0) + 1
        if o.status == "pass":
            c["pass"] += 1
            u, b = o.data.get("ulps"), o.data.get("budget")
            if u is not None and b:
                c["max_ratio"] = max(c["max_ratio"], u / b)
            if u is not None:
                c["max_ulps"] = max(c["max_ulps"], u)
            k = o.data.get("kappa")
            if k is not None and k == k and k != float("inf"):
                c["kappa_max"] = max(c["kappa_max"], k)
        elif o.status == "skip":
            c["skip"][o.reason] = c["skip"].get(o.reason, 0) + 1
        else:
            c["fail"] += 1
            if stored < MAX_STORED_FAILURES:
                stored += 1
                failures.append({"property": prop.name, "batch": batch,
                                 "programs": program_names,
                                 "point": [float(v).hex() for v in point],
                                 "message": o.reason, "reproducer": o.reproducer})


def _error_outcome(ctx, prop, point, exc) -> Outcome:
    msg = (f"{type(exc).__name__} raised during the check at x = "
           f"{[float(v) for v in point]}: {str(exc).splitlines()[0] if str(exc) else ''}")
    tb = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    p = ctx.program
    if p.nvars == 0:
        call = (f"x = float.fromhex('{float(point[0]).hex()}')\n"
                f"print({p.name}(Dual(x, 1.0)))\nprint({p.name}(Dual(x, (1.0, 0.0, 2.0))))\n"
                f"print({p.name}(HyperDual(x, 1.0, 1.0, 0.0)))\n"
                f"print(dualjit.value_and_derivative({p.name}, x), "
                f"dualjit.second_derivative({p.name}, x))\n"
                f"print(dualjit.certify_function({p.name}, x))\n")
        rep = ctx.header(prop.name, msg) + call
    else:
        names = (ctx.g_program, ctx.G_program)
        rep = ctx.header(prop.name, msg, "g") + "\n" + ctx.G_program.source() + (
            f"\n{ctx.G_program.name} = numba.njit(cache=False)({ctx.G_program.name})\n"
            "x = np.array([" + ", ".join(f"float.fromhex('{float(v).hex()}')" for v in point)
            + "])\n"
            f"print(dualjit.hessian({names[0].name}, x.copy()))\n"
            f"print(dualjit.certify_gradient({names[0].name}, x.copy()))\n"
            f"print(dualjit.jvp({names[1].name}, x.copy(), np.ones(len(x))))\n"
            f"print(dualjit.jacobian({names[1].name}, x.copy()))\n")
    rep = rep.replace("# Run as is:", f"# {tb}\n# Run as is:")
    return Outcome("fail", msg, rep)


def check_scalar_program(program: Program, points, draw=None, properties=PROPERTIES,
                         *, batch=-1, ctx=None) -> dict:
    """Run the scalar properties on ``program`` at ``points`` (tuples of one float);
    returns {"counts": {...}, "failures": [...]}."""
    props = [p for p in properties if p.kind == "scalar"]
    ctx = ctx or ProgramContext(program)
    draw = draw or RngDraw(np.random.default_rng(0))
    counts, failures = _new_counts("scalar", props), []
    for pt in points:
        for prop in props:
            try:
                outs = prop.check(ctx, tuple(pt), draw)
            except Exception as exc:  # noqa: BLE001 - an engine error is a failure
                outs = [_error_outcome(ctx, prop, pt, exc)]
            _record(counts, failures, prop, outs, batch, pt, [program.name])
    return {"counts": counts, "failures": failures}


def check_vector_programs(g: Program, G: Program, points, draw=None, properties=PROPERTIES,
                          *, batch=-1, ctx=None) -> dict:
    """Run the vector properties on the pair (g, G) at ``points`` (tuples of nvars)."""
    props = [p for p in properties if p.kind == "vector"]
    ctx = ctx or VectorContext(g, G)
    draw = draw or RngDraw(np.random.default_rng(0))
    counts, failures = _new_counts("vector", props), []
    for pt in points:
        for prop in props:
            try:
                outs = prop.check(ctx, tuple(pt), draw)
            except Exception as exc:  # noqa: BLE001
                outs = [_error_outcome(ctx, prop, pt, exc)]
            _record(counts, failures, prop, outs, batch, pt, [g.name, G.name])
    return {"counts": counts, "failures": failures}


def run_batch(profile: ValidateProfile, index: int, property_names=None) -> dict:
    """Compute batch ``index`` of ``profile`` (runs in a worker): a JSON-able dict."""
    t0 = time.perf_counter()
    props = _select(property_names)
    kind, progs, d = batch_program(profile, index)
    npts = profile.scalar_points if kind == "scalar" else profile.vector_points
    points = [draw_program_point(d, progs[0]) for _ in range(npts)]
    try:
        if kind == "scalar":
            res = check_scalar_program(progs[0], points, d, props, batch=index)
        else:
            res = check_vector_programs(progs[0], progs[1], points, d, props, batch=index)
        error = None
    except Exception as exc:  # noqa: BLE001 - e.g. the float program does not compile
        res = {"counts": _new_counts(kind, props), "failures": []}
        error = f"{type(exc).__name__}: {exc}"
        res["failures"].append({
            "property": "compile", "batch": index, "programs": [p.name for p in progs],
            "point": [], "message": f"program does not compile: {error}"[:2000],
            "reproducer": "# dualjit validate reproducer -- the program does not compile\n"
                          + "\n".join(p.source() for p in progs)
                          + "\nimport numba\n" + "\n".join(
                              f"numba.njit(cache=False)({p.name})(" +
                              ("0.5" if p.nvars == 0 else f"np.full({p.nvars}, 0.5)") + ")"
                              for p in progs) + "\n"})
    return {"format": FORMAT, "index": index, "kind": kind,
            "programs": [p.to_json() for p in progs], "sources": [p.source() for p in progs],
            "points": len(points), "error": error, **res,
            "seconds": time.perf_counter() - t0, "host": platform.node(), "pid": os.getpid()}


def _select(property_names):
    """Properties by name (None: all); Property objects pass through (in-process runs)."""
    if property_names is None:
        return list(PROPERTIES)
    names = [p for p in property_names if isinstance(p, str)]
    unknown = [n for n in names if n not in {p.name for p in PROPERTIES}]
    if unknown:
        raise ValueError(f"unknown properties {unknown}; known: {[p.name for p in PROPERTIES]}")
    return ([p for p in PROPERTIES if p.name in names]
            + [p for p in property_names if not isinstance(p, str)])


def _batch_task(profile_dict, index, property_names):
    """Top-level (picklable) entry for process pools and Dask workers."""
    prof = dict(profile_dict)
    if prof.get("rules") is not None:
        prof["rules"] = tuple(prof["rules"])
    prof["imports"] = tuple(prof.get("imports") or ())
    import_modules(prof["imports"])
    return run_batch(ValidateProfile(**prof), index, property_names)


def import_modules(names) -> None:
    """Import ``names`` (modules that register custom rules); a clear error if one is
    missing."""
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError as e:
            raise RuntimeError(f"cannot import {name!r} (given to register custom rules): "
                               f"{e}") from e


# --------------------------------------------------------------------------- the run

def _schedule(prof: ValidateProfile) -> list:
    """Batch indices in run order: vector batches spread evenly among the scalar ones,
    so a time-limited or interrupted run has covered both kinds in proportion."""
    ns, nv = prof.scalar_programs, prof.vector_programs
    return sorted(range(prof.batches),
                  key=lambda i: ((i + 0.5) / ns, 0) if i < ns else ((i - ns + 0.5) / nv, 1))


def _atomic_write(path: Path, text: str):
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, path)


def _batch_dir(out: Path, profile: ValidateProfile) -> Path:
    return out / "batches" / run_key(profile)


def _done_indices(bdir: Path) -> set:
    done = set()
    if bdir.is_dir():
        for p in bdir.glob("*.json"):
            try:
                done.add(int(p.stem))
            except ValueError:
                pass
    return done


def run_profile(profile, out_dir, *, workers: int = 0, scheduler: str | None = None,
                progress: bool = False, time_limit: float | None = None,
                properties=None, command: str | None = None, _on_batch=None) -> dict:
    """Run (or resume) ``profile`` (a name in :data:`PROFILES` or a
    :class:`ValidateProfile`), writing batch files and the summary under ``out_dir``.
    Returns the summary dict; its ``status`` is ``complete``, ``interrupted`` (Ctrl-C)
    or ``time-limited`` (``time_limit`` seconds passed: no new batch was started)."""
    prof = PROFILES[profile] if isinstance(profile, str) else profile
    if not isinstance(prof, ValidateProfile):
        raise TypeError(f"profile must be one of {sorted(PROFILES)} or a ValidateProfile")
    if workers < 0:
        raise ValueError(f"workers must be >= 0, got {workers}")
    import_modules(prof.imports)
    if prof.rules is not None:
        from .space import rule_by_name
        for name in prof.rules:
            try:
                rule = rule_by_name(name)
            except KeyError as e:
                raise ValueError(str(e.args[0])) from None
            if rule.arity != 1:
                raise ValueError(f"rules: programs call unary rules; {name!r} takes "
                                 f"{rule.arity} arguments")
    out = Path(out_dir)
    bdir = _batch_dir(out, prof)
    bdir.mkdir(parents=True, exist_ok=True)
    done = _done_indices(bdir)
    todo = [i for i in _schedule(prof) if i not in done]
    reused = prof.batches - len(todo)
    computed = 0
    t0 = time.monotonic()
    status = "complete"
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=prof.batches, initial=reused, unit="program",
                   desc=f"validate {prof.name}", file=sys.stderr)

    def finish(res):
        nonlocal computed
        _atomic_write(bdir / f"{res['index']:07d}.json", json.dumps(res))
        computed += 1
        if bar is not None:
            bar.update(1)
            fails = sum(c["fail"] for c in res["counts"].values())
            if fails:
                bar.set_postfix_str("failures found")
        if _on_batch is not None:
            _on_batch(res)

    def out_of_time():
        return time_limit is not None and time.monotonic() - t0 > time_limit

    pdict = asdict(prof)
    names = None if properties is None else list(properties)
    _select(names)      # unknown names fail before any work
    try:
        if scheduler:
            status = _run_dask(scheduler, pdict, todo, names, finish, out_of_time)
        elif workers == 0:
            for i in todo:
                if out_of_time():
                    status = "time-limited"
                    break
                finish(run_batch(prof, i, names))
        else:
            status = _run_pool(workers, pdict, todo, names, finish, out_of_time)
    except KeyboardInterrupt:
        status = "interrupted"
    finally:
        if bar is not None:
            bar.close()
    summary = write_summary(prof, out, status=status, reused=reused, computed=computed,
                            seconds=time.monotonic() - t0, command=command,
                            backend=("dask " + scheduler) if scheduler else
                            (f"{workers} processes" if workers else "in-process"))
    return summary


def _run_pool(workers, pdict, todo, names, finish, out_of_time) -> str:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"))
    pending = set()
    it = iter(todo)
    status = "complete"
    try:
        while True:
            while len(pending) < 2 * workers and status == "complete":
                if out_of_time():
                    status = "time-limited"
                    break
                i = next(it, None)
                if i is None:
                    break
                pending.add(pool.submit(_batch_task, pdict, i, names))
            if status != "complete":
                # Out of time: drop the queued batches, wait only for the running ones.
                pending = {f for f in pending if not f.cancel()}
            if not pending:
                break
            fin, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in fin:
                finish(fut.result())
        return status
    finally:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=False, cancel_futures=True)


def _run_dask(address, pdict, todo, names, finish, out_of_time) -> str:
    try:
        from dask.distributed import Client, as_completed
    except ImportError as e:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("--scheduler needs dask.distributed: pip install "
                           "'dualjit[distributed]'") from e
    client = Client(address)
    status = "complete"
    try:
        nworkers = max(1, sum(w.get("nthreads", 1) for w in
                              client.scheduler_info().get("workers", {}).values()))
        it = iter(todo)
        futs = [client.submit(_batch_task, pdict, i, names, pure=False)
                for i in [j for j, _ in zip(it, range(4 * nworkers))]]
        ac = as_completed(futs)
        for fut in ac:
            finish(fut.result())
            if status == "complete":
                if out_of_time():
                    status = "time-limited"
                    continue
                i = next(it, None)
                if i is not None:
                    ac.add(client.submit(_batch_task, pdict, i, names, pure=False))
        return status
    finally:
        client.close()


# --------------------------------------------------------------------------- summary

def _merge(total, counts):
    for name, c in counts.items():
        t = total.setdefault(name, {"pass": 0, "fail": 0, "skip": {}, "notes": {},
                                    "max_ratio": 0.0, "max_ulps": 0.0, "kappa_max": 0.0})
        for k, v in c.get("notes", {}).items():
            t["notes"][k] = t["notes"].get(k, 0) + v
        t["pass"] += c["pass"]
        t["fail"] += c["fail"]
        for k, v in c["skip"].items():
            t["skip"][k] = t["skip"].get(k, 0) + v
        for k in ("max_ratio", "max_ulps", "kappa_max"):
            t[k] = max(t[k], c.get(k, 0.0))


BUDGET_TEXT = (
    "Per point, budget' = C * B / |f'_true| and budget'' = C * D / |f''_true| ulps with "
    "C = 2, where B (D) is a first-order running error bound of the derivative, in units "
    "of u = 2^-53, propagated statement by statement by the oracle in mpmath: each rule "
    "contributes (2*beta + 2) * |its term| (beta = the rule's certified budget), plus the "
    "error of its f' (f'') at a rounded argument (second (third) partials times the "
    "argument's value bound A), plus the propagated bounds. Without cancellation this is "
    "about C * sum(2*beta + 2) over the statements, times the conditioning; "
    "kappa = B / (|f'| * sum(2*beta + 2)). Points with a budget above 2^20 ulps are "
    "counted as 'ill-conditioned' and skipped; points where an exact intermediate leaves "
    "the normal double range as 'out of the normal double range'. jvp/Hessian tolerances: "
    "C * 4u * (statements + n) * (absolute-value evaluation of the tangent / second-order "
    "sums).")


def write_summary(profile: ValidateProfile, out_dir, *, status="complete", reused=0,
                  computed=0, seconds=0.0, command=None, backend="") -> dict:
    """Aggregate every batch file of ``profile``'s run key into ``summary.json``,
    ``summary.md`` and ``reproducers/*.py`` under ``out_dir``; returns the dict."""
    out = Path(out_dir)
    bdir = _batch_dir(out, profile)
    totals: dict = {}
    failures: list = []
    programs = {"scalar": 0, "vector": 0}
    points = {"scalar": 0, "vector": 0}
    batch_seconds = 0.0
    files = sorted(bdir.glob("*.json")) if bdir.is_dir() else []
    for f in files:
        try:
            res = json.loads(f.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        programs[res["kind"]] += 1
        points[res["kind"]] += res["points"]
        batch_seconds += res.get("seconds", 0.0)
        _merge(totals, res["counts"])
        failures.extend(res["failures"])
    rdir = out / "reproducers"
    rdir.mkdir(parents=True, exist_ok=True)
    for old in rdir.glob("*.py"):
        old.unlink()
    nfail_by_prop: dict = {}
    for k, fl in enumerate(failures):
        nfail_by_prop[fl["property"]] = nfail_by_prop.get(fl["property"], 0) + 1
        fname = f"{fl['property']}_batch{fl['batch']}_{k}.py"
        (rdir / fname).write_text(fl["reproducer"])
        fl["reproducer_file"] = str(Path("reproducers") / fname)
    failed = sum(t["fail"] for t in totals.values()) + sum(
        1 for f in failures if f["property"] == "compile")
    desc = {p.name: p.description for p in PROPERTIES}
    resume = command or f"dualjit validate --profile {profile.name} --out {out}"
    summary = {
        "tool": "dualjit validate", "format": FORMAT, "status": status,
        "profile": asdict(profile), "run_key": run_key(profile), "backend": backend,
        "batches": {"total": profile.batches, "done": len(files), "reused": reused,
                    "computed": computed},
        "programs": programs, "points": points, "seconds_this_run": round(seconds, 1),
        "cpu_seconds_in_batches": round(batch_seconds, 1),
        "properties": {name: {"description": desc.get(name, ""), **t}
                       for name, t in totals.items()},
        "failed_checks": failed, "failures": failures, "budget_formula": BUDGET_TEXT,
        "constants": {"C": _budget.C_BUDGET, "ill_conditioned_ulps": _budget.ILL_CONDITIONED},
        "resume": resume,
    }
    _atomic_write(out / "summary.json", json.dumps(summary, indent=1))
    _atomic_write(out / "summary.md", _markdown(summary))
    return summary


def _markdown(s: dict) -> str:
    p = s["profile"]
    lines = [f"# dualjit validate: profile `{p['name']}`", ""]
    b = s["batches"]
    state = {"complete": "complete",
             "interrupted": "**interrupted** (rerun the same command to resume)",
             "time-limited": "**stopped by the time limit** (rerun to continue)"}
    lines += [f"- status: {state.get(s['status'], s['status'])}; batches done "
              f"{b['done']} of {b['total']} ({b['reused']} reused from earlier runs, "
              f"{b['computed']} computed now, {s['seconds_this_run']} s wall, "
              f"{s['cpu_seconds_in_batches']} s in batches; backend: {s['backend']})",
              f"- programs: {s['programs']['scalar']} scalar f(x) with up to "
              f"{p['scalar_points']} points each, {s['programs']['vector']} vector pairs "
              f"g: R^{p['nvars']} -> R, G: R^{p['nvars']} -> R^{p['nout']} with "
              f"{p['vector_points']} points each (max depth {p['max_depth']}, seed "
              f"{p['seed']})",
              f"- points: {s['points']['scalar']} scalar, {s['points']['vector']} vector",
              f"- failed checks: **{s['failed_checks']}**",
              f"- resume / rerun: `{s['resume']}`", "",
              "## Properties", "",
              "| property | passed | failed | skipped | max ulps / budget | max ulps | "
              "max kappa | what |", "|---|---:|---:|---|---:|---:|---:|---|"]
    for name, t in s["properties"].items():
        skip = ", ".join(f"{k}: {v}" for k, v in sorted(t["skip"].items())) or "0"
        lines.append(f"| {name} | {t['pass']} | {t['fail']} | {skip} | "
                     f"{t['max_ratio']:.3g} | {t['max_ulps']:.3g} | {t['kappa_max']:.3g} | "
                     f"{t['description']} |")
    notes = [(name, k, v) for name, t in s["properties"].items()
             for k, v in sorted(t.get("notes", {}).items())]
    if notes:
        lines += ["", "Notes (counts of passed checks):", ""]
        lines += [f"- {name}: {k}: {v}" for name, k, v in notes]
    lines += ["", "## Budget", "", s["budget_formula"], ""]
    lines += ["## Failures", ""]
    if not s["failures"]:
        lines.append("None.")
    for fl in s["failures"]:
        lines += [f"### {fl['property']} (batch {fl['batch']}, {', '.join(fl['programs'])})",
                  "", fl["message"], "", f"Reproducer (`{fl.get('reproducer_file', '')}`):",
                  "", "```python", fl["reproducer"].rstrip(), "```", ""]
    return "\n".join(lines) + "\n"


def with_points(profile: ValidateProfile, **kw) -> ValidateProfile:
    """A copy of ``profile`` with some fields changed (a different run key)."""
    return replace(profile, **kw)
