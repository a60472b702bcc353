"""Certify rules: sample, evaluate through the engine, ask the oracle, score.

:func:`certify_rules` runs everything for a list of rules with one
``ProcessPoolExecutor`` of ``workers`` processes: each rule's engine evaluation (its
kernels' compilation is the expensive part) and each oracle chunk is one task, so both
spread over the cores. Oracle chunks are saved under ``<out>/oracle/`` as they finish
(see :mod:`.references`) and skipped on a rerun; an interrupted run loses no finished
chunk. Engine results are recomputed every run (they are what is being certified).
"""
from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from pathlib import Path

from ..oracle import PrecisionPolicy
from .engine import engine_targets, evaluate_rule
from .references import ReferenceJob, _picklable_name, _work, process_pool
from .sampling import PROFILES, Profile, sample_rule
from .stats import rule_statistics

__all__ = ["certify_rules", "CertifyRun", "resolve_rules"]


@dataclass
class CertifyRun:
    """The outcome of :func:`certify_rules`: ``rules`` (statistics dicts, in order),
    ``profile``, ``seconds`` (wall time), ``chunks_cached`` / ``chunks_computed``
    (oracle work skipped / done), ``out_dir``."""

    rules: list
    profile: str
    seconds: float
    chunks_cached: int
    chunks_computed: int
    out_dir: str
    workers: int
    backend: str
    timings: dict = field(default_factory=dict)


def resolve_rules(names=None) -> list:
    """Rows of the table or custom rules (:func:`dualjit.rule`) by name (the table when
    ``names`` is None); unknown names raise ValueError listing the valid ones."""
    from ..api.rule import CUSTOM_RULES
    from ..rules import RULES, RULES_BY_NAME
    if names is None:
        return list(RULES)
    names = list(names)
    unknown = [n for n in names if n not in RULES_BY_NAME and n not in CUSTOM_RULES]
    if unknown:
        custom = f"; custom rules: {', '.join(CUSTOM_RULES)}" if CUSTOM_RULES else ""
        raise ValueError(f"unknown rule name(s): {', '.join(unknown)}; valid names: "
                         f"{', '.join(r.name for r in RULES)}{custom}")
    first_only = [n for n in names if n in CUSTOM_RULES and n not in RULES_BY_NAME
                  and CUSTOM_RULES[n].order == 1]
    if first_only:
        raise ValueError(f"custom rule(s) {', '.join(first_only)} give first derivatives only; "
                         "certification scores f'' on HyperDual numbers too: return the second "
                         "partials, or check the first with dualjit.testing.check_rule")
    return [RULES_BY_NAME[n] if n in RULES_BY_NAME else CUSTOM_RULES[n].rule
            for n in dict.fromkeys(names)]


def _engine_work(rule_or_name, points, all_targets, backend):
    """Evaluate one rule's targets (a worker task; also run in-process)."""
    if isinstance(rule_or_name, str):
        from ..rules import RULES_BY_NAME
        rule = RULES_BY_NAME[rule_or_name]
    else:
        rule = rule_or_name
    if backend == "formulas":
        return evaluate_rule(rule, points, backend="formulas")
    targets = engine_targets(rule)
    if not all_targets:
        targets = targets[:1]
    return evaluate_rule(rule, points, targets=targets)


def _bar(total, desc, enabled):
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc=desc, unit="pt" if "oracle" in desc else "rule",
                leave=False, dynamic_ncols=True)


def certify_rules(rules, profile="quick", out_dir="certification", workers: int = 2,
                  backend: str = "engine", progress: bool = False,
                  policy: PrecisionPolicy | None = None) -> CertifyRun:
    """Certify ``rules`` (Rule rows: the table's or modified ones) with ``profile``
    (a name in :data:`~.sampling.PROFILES` or a Profile). ``backend``: ``"engine"``
    (the targets through dualjit's Numba types) or ``"formulas"`` (the rows' float
    formulas in plain Python; see :mod:`.engine`). ``workers``: processes (0: all in
    this one). Modified rows whose references are not the table's run in-process."""
    t0 = time.perf_counter()
    prof = PROFILES[profile] if isinstance(profile, str) else profile
    if not isinstance(prof, Profile):
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}")
    if backend not in ("engine", "formulas"):
        raise ValueError(f"backend must be 'engine' or 'formulas', got {backend!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValueError(f"workers must be an int >= 0, got {workers!r}")
    policy = policy or PrecisionPolicy()
    out = Path(out_dir)
    rules = list(rules)
    # Rules run in batches of at most BATCH_POINTS sampled points (quick: all rules in
    # one batch; thorough: one rule at a time), so memory holds one batch's points,
    # engine results and references, never the whole table's.
    per_rule = prof.uniform + prof.bits
    size = max(1, BATCH_POINTS // max(per_rule, 1))
    batches = [rules[i:i + size] for i in range(0, len(rules), size)]
    stats, cached, computed, t_eval = [], 0, 0, 0.0
    with process_pool(workers) as pool:
        for batch in batches:
            t1 = time.perf_counter()
            st, c1, c2 = _run_batch(batch, prof, out / "oracle", pool, backend, progress, policy)
            t_eval += time.perf_counter() - t1
            stats += st
            cached += c1
            computed += c2
    seconds = time.perf_counter() - t0
    return CertifyRun(stats, prof.name, seconds, cached, computed, str(out), workers, backend,
                      {"evaluate_and_score": t_eval, "cpu_count": os.cpu_count(),
                       "batches": len(batches)})


BATCH_POINTS = 200_000


def _run_batch(rules, prof, cache, pool, backend, progress, policy):
    """Engine and oracle for one batch of rules (tasks spread over ``pool``), then the
    statistics. Returns (stats, chunks cached, chunks computed)."""
    samples = [sample_rule(r, prof) for r in rules]
    jobs = [ReferenceJob(r, s.points, cache, prof.chunk, policy) for r, s in zip(rules, samples)]
    cached = sum(len(j.chunks) - len(j.todo) for j in jobs)
    computed = sum(len(j.todo) for j in jobs)
    engine: list = [None] * len(rules)
    pb = (policy.start, policy.cap)
    bar_o = _bar(sum(j.todo_points for j in jobs), "oracle", progress)
    bar_e = _bar(len(rules), "engine", progress)
    futs = {}
    try:
        local_engine, local_chunks = [], []
        for k, (rule, s, job) in enumerate(zip(rules, samples, jobs)):
            name = _picklable_name(rule)
            by_name = name is not None and (backend == "engine" or rule is _table_row(name))
            if pool is not None and by_name:
                f = pool.submit(_engine_work, name, s.points, prof.all_targets, backend)
                futs[f] = ("engine", k)
            else:
                local_engine.append(k)
            for i in job.todo:
                if pool is not None and name is not None:
                    f = pool.submit(_work, name, job.chunks[i], str(job.path(i)), pb)
                    futs[f] = ("oracle", len(job.chunks[i]))
                else:
                    local_chunks.append((job, i))
        for k in local_engine:
            engine[k] = _engine_work(rules[k], samples[k].points, prof.all_targets, backend)
            if bar_e is not None:
                bar_e.update(1)
        for job, i in local_chunks:
            _work(job.rule, job.chunks[i], job.path(i), pb)
            if bar_o is not None:
                bar_o.update(len(job.chunks[i]))
        pending = set(futs)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                what, arg = futs[f]
                res = f.result()
                if what == "engine":
                    engine[arg] = res
                    if bar_e is not None:
                        bar_e.update(1)
                elif bar_o is not None:
                    bar_o.update(arg)
    finally:
        for b in (bar_o, bar_e):
            if b is not None:
                b.close()
    stats = []
    for k, (rule, s, job) in enumerate(zip(rules, samples, jobs)):
        stats.append(rule_statistics(rule, s.points, s.origins, engine[k], job.references()))
        engine[k] = None
    return stats, cached, computed


def _table_row(name):
    from ..rules import RULES_BY_NAME
    return RULES_BY_NAME.get(name)
