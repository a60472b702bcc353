"""Oracle references for many points: chunked, parallel, resumable.

The oracle (:func:`dualjit.oracle.rule_reference`) is the slow part of certification.
:func:`compute_references` splits a rule's points into chunks and evaluates them in a
``ProcessPoolExecutor`` (``workers`` processes; 0 = in this process). Each finished
chunk is written by the worker itself, atomically, to ``<cache>/<rule>/<index>.json.gz``;
a rerun loads every chunk whose file holds exactly the same points and evaluates only
the others. Ctrl-C cancels pending chunks and never loses finished ones.

A chunk file (gzipped JSON) stores per point and component: the status, the correctly
rounded double, the exact value as its residual in ulps of that double (rounded to 53
bits: the scoring error it adds is below 2**-54 ulp) and the reason.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import inspect
import json
import math
import os
import tempfile
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import mpmath as mp
from mpmath import libmp

from ..oracle import Outcome, PrecisionPolicy, rule_reference, to_float64, ulp

__all__ = ["compute_references", "ReferenceJob", "run_jobs", "StoredReference", "chunk_path", "EXACT_BITS",
           "CACHE_VERSION"]

EXACT_BITS = 160
CACHE_VERSION = 2


class StoredReference:
    """The oracle's answer at one point, as loaded from a chunk: ``value``, ``first``,
    ``second`` (Outcomes; ``exact`` rounded to EXACT_BITS bits)."""

    __slots__ = ("value", "first", "second")

    def __init__(self, value, first, second):
        self.value, self.first, self.second = value, tuple(first), tuple(second)


def _enc_float(x: float):
    x = float(x)
    return x if math.isfinite(x) else repr(x)   # JSON has no inf/NaN


def _dec_float(x) -> float:
    return float(x)


def _enc_outcome(o: Outcome) -> list:
    """[status, value, exact, reason]; exact is ``[r]`` with r = (exact - value) /
    ulp(value) rounded to a double (|r| <= 1/2: 53 bits of the residual, plenty for
    ulp scoring) when the value is finite, the exact mpf rounded to EXACT_BITS bits as
    [sign, hex mantissa, exponent] when it overflowed, '+inf'/'-inf', or None."""
    exact = None
    if o.exact is not None:
        if mp.isinf(o.exact):
            exact = "+inf" if o.exact > 0 else "-inf"
        elif math.isfinite(o.value):
            unit = ulp(o.value)
            d = libmp.mpf_sub(o.exact._mpf_, libmp.from_float(o.value), 0)
            r = libmp.mpf_shift(d, -(math.frexp(unit)[1] - 1))
            exact = [to_float64(mp.make_mpf(r))]
        else:
            sgn, man, e, _ = libmp.mpf_pos(o.exact._mpf_, EXACT_BITS, libmp.round_nearest)
            exact = [sgn, hex(man), e]
    return [o.status, _enc_float(o.value), exact, o.reason]


def _dec_outcome(rec) -> Outcome:
    status, value, exact, reason = rec
    value = _dec_float(value)
    if exact is None:
        ex = None
    elif isinstance(exact, str):
        ex = mp.inf if exact == "+inf" else mp.ninf
    elif len(exact) == 1:
        unit_exp = math.frexp(ulp(value))[1] - 1
        r = libmp.mpf_shift(libmp.from_float(float(exact[0])), unit_exp)
        ex = mp.make_mpf(libmp.mpf_add(libmp.from_float(value), r, 0))
    else:
        sgn, man, e = exact
        man = int(man, 16)
        ex = mp.make_mpf(libmp.from_man_exp(-man if sgn else man, e))
    return Outcome(status, value, ex, None, (), reason)


def chunk_path(cache_dir, rule_name: str, index: int) -> Path:
    return Path(cache_dir) / rule_name / f"{index:06d}.json.gz"


def _reference_callables(reference):
    for item in reference:
        if isinstance(item, (tuple, list)):
            yield from _reference_callables(item)
        else:
            yield item


def reference_fingerprint(rule) -> str:
    """A digest of the code behind a rule's mpmath references: the source files that
    define them (and the mpmath version). Editing a reference, or a helper beside it,
    invalidates that rule's cached chunks instead of silently reusing stale truths."""
    digest = hashlib.sha256(f"mpmath {mp.__version__}".encode())
    files = set()
    for fn in _reference_callables(rule.reference):
        try:
            files.add(inspect.getsourcefile(fn))
        except TypeError:  # a builtin such as abs or max
            digest.update(getattr(fn, "__qualname__", repr(type(fn))).encode())
    for name in sorted(f for f in files if f):
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:20]


def _points_key(points) -> list:
    return [[float(a).hex() if math.isfinite(a) else repr(float(a)) for a in p] for p in points]


def _load_chunk(path: Path, keys: list, policy: PrecisionPolicy, fingerprint: str):
    try:
        with gzip.open(path, "rt") as fh:
            data = json.load(fh)
    except (OSError, ValueError, EOFError):
        return None
    if (data.get("version") != CACHE_VERSION or data.get("points") != keys
            or data.get("policy") != [policy.start, policy.cap]
            or data.get("reference") != fingerprint):
        return None
    out = []
    for comps in data["refs"]:
        v = _dec_outcome(comps["value"])
        out.append(StoredReference(v, [_dec_outcome(c) for c in comps["first"]],
                                   [_dec_outcome(c) for c in comps["second"]]))
    return out


def _resolve_rule(rule_or_name):
    if isinstance(rule_or_name, str):
        from ..rules import RULES_BY_NAME
        return RULES_BY_NAME[rule_or_name]
    return rule_or_name


def _work(rule_or_name, points, path, policy_bits):
    """Evaluate one chunk and write it atomically. Runs in a worker process."""
    rule = _resolve_rule(rule_or_name)
    policy = PrecisionPolicy(*policy_bits)
    refs = []
    for p in points:
        r = rule_reference(rule, tuple(p), policy)
        refs.append({"value": _enc_outcome(r.value),
                     "first": [_enc_outcome(o) for o in r.first],
                     "second": [_enc_outcome(o) for o in r.second]})
    data = {"version": CACHE_VERSION, "rule": rule.name, "policy": list(policy_bits),
            "reference": reference_fingerprint(rule), "points": _points_key(points), "refs": refs}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json.gz")
    with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(json.dumps(data, separators=(",", ":")).encode())
    os.replace(tmp, path)
    return len(points)


def _picklable_name(rule):
    """Workers look the rule up by name; only valid when the row's references are the
    table's (a planted row made with dataclasses.replace keeps them)."""
    from ..rules import RULES_BY_NAME
    base = RULES_BY_NAME.get(rule.name)
    return rule.name if base is not None and base.reference is rule.reference else None


class ReferenceJob:
    """One rule's points split into chunks; ``todo``: indices of chunks not in the cache."""

    def __init__(self, rule, points, cache_dir, chunk, policy):
        self.rule, self.cache_dir, self.policy = rule, cache_dir, policy
        self.fingerprint = reference_fingerprint(rule)
        pts = [tuple(float(a) for a in p) for p in points]
        self.chunks = [pts[i:i + chunk] for i in range(0, len(pts), chunk)]
        self.results: list = [None] * len(self.chunks)
        self.todo = []
        for i, c in enumerate(self.chunks):
            loaded = _load_chunk(self.path(i), _points_key(c), policy, self.fingerprint)
            if loaded is None:
                self.todo.append(i)
            else:
                self.results[i] = loaded

    def path(self, i):
        return chunk_path(self.cache_dir, self.rule.name, i)

    @property
    def n_points(self):
        return sum(len(c) for c in self.chunks)

    @property
    def todo_points(self):
        return sum(len(self.chunks[i]) for i in self.todo)

    def references(self) -> list:
        """Load the finished chunks (after :func:`run_jobs`)."""
        for i in self.todo:
            self.results[i] = _load_chunk(self.path(i), _points_key(self.chunks[i]), self.policy,
                                          self.fingerprint)
            if self.results[i] is None:  # pragma: no cover - the worker just wrote it
                raise RuntimeError(f"chunk {i} of rule {self.rule.name!r} was not written")
        self.todo = []
        return [r for block in self.results for r in block]


@contextlib.contextmanager
def process_pool(workers: int):
    """A process pool (None for workers <= 0). On an error or Ctrl-C the queued chunks
    are cancelled instead of awaited; finished chunks are already on disk."""
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 0 else None
    try:
        yield pool
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    if pool is not None:
        pool.shutdown(wait=True)


def run_jobs(jobs, workers: int = 2, progress=None, while_running=None):
    """Evaluate every missing chunk of ``jobs`` with ``workers`` processes (0: in this
    process). ``while_running()`` is called in this process once the chunks are queued
    (the engine's compilation overlaps the oracle's work). ``progress(n)`` is called
    with the number of points of each finished chunk (from a helper thread)."""
    pbits = lambda job: (job.policy.start, job.policy.cap)  # noqa: E731
    tasks = [(job, i) for job in jobs for i in job.todo]
    serial = [(j, i) for j, i in tasks if workers <= 0 or _picklable_name(j.rule) is None]
    parallel = [(j, i) for j, i in tasks if not (workers <= 0 or _picklable_name(j.rule) is None)]
    with process_pool(workers if parallel else 0) as pool:
        futs = []
        if parallel:
            for job, i in parallel:
                f = pool.submit(_work, job.rule.name, job.chunks[i], str(job.path(i)), pbits(job))
                if progress:
                    n = len(job.chunks[i])
                    f.add_done_callback(lambda fut, n=n: fut.exception() is None and progress(n))
                futs.append(f)
        if while_running is not None:
            while_running()
        for job, i in serial:
            _work(job.rule, job.chunks[i], job.path(i), pbits(job))
            if progress:
                progress(len(job.chunks[i]))
        pending = set(futs)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                f.result()


def compute_references(rule, points, cache_dir, chunk: int = 128, workers: int = 2,
                       policy: PrecisionPolicy | None = None, progress=None,
                       stats: dict | None = None) -> list:
    """The oracle's :class:`StoredReference` at each of ``points`` ((n, arity)), using
    and filling the chunk cache under ``cache_dir``. ``stats``, if given, is updated
    with ``chunks_cached`` and ``chunks_computed``."""
    job = ReferenceJob(rule, points, cache_dir, chunk, policy or PrecisionPolicy())
    if stats is not None:
        stats["chunks_cached"] = stats.get("chunks_cached", 0) + len(job.chunks) - len(job.todo)
        stats["chunks_computed"] = stats.get("chunks_computed", 0) + len(job.todo)
    run_jobs([job], workers=workers if len(job.todo) > 1 else 0, progress=progress)
    return job.references()
