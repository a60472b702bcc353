"""derivative, second_derivative, value_and_derivative over many points, and gradient over a
batch of input vectors, on a CUDA GPU (or numba-cuda's simulator).

For each (function, verb, extra-argument count[, row length, chunk]) one kernel is built
and cached: thread i seeds a Dual (or HyperDual) at point i, calls the user's ``f`` on it
-- the user's ``@numba.njit`` function, which numba-cuda compiles as a device function --
and writes the parts of the result, as :mod:`dualjit.numba_ext.verbs` does on the CPU.
Under the simulator the same kernel source runs with the Python fallback numbers of
:mod:`dualjit.cuda.simulator` and the re-executed Python source of ``f``.

Host NumPy arrays are copied to the device and the results copied back (NumPy arrays
out); device arrays stay on the device (device arrays out, nothing copied).
"""
from __future__ import annotations

import functools
import re
import weakref

import numpy as np

from .. import partials as P
from ..api import _outputs as out
from ..api._validate import as_chunk, as_function
from ..types import Dual, HyperDual
from .launch import (as_extra_args, as_points, as_rows, cuda_module as _cuda_module,
                     is_simulator, launch_config, require_gpu)

__all__ = ["derivative", "second_derivative", "value_and_derivative", "gradient",
           "value_and_gradient", "kernel_for", "kernel_function", "DEFAULT_CHUNK"]

#: Partials carried per pass by gradient (as dualjit.gradient on the CPU).
DEFAULT_CHUNK = 8

# verb -> (seed expression, output expressions)
_POINT_VERBS = {
    "derivative": ("Dual(xs[i], 1.0)", ("partial(r, 0)",)),
    "value_and_derivative": ("Dual(xs[i], 1.0)", ("value(r)", "partial(r, 0)")),
    "second_derivative": ("HyperDual(xs[i], 1.0, 1.0, 0.0)", ("cross(r, 0)",)),
}

_KERNELS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _indent(lines, n):
    return [" " * n + line for line in lines]


def _point_kernel_source(verb: str, nargs: int, sim: bool) -> str:
    seed, outputs = _POINT_VERBS[verb]
    args = "".join(f", a{k}" for k in range(nargs))
    outs = "".join(f", out{k}" for k in range(len(outputs)))
    body = [f"r = f({seed}{args})"] + [f"out{k}[i] = {e}" for k, e in enumerate(outputs)]
    if sim:  # NumPy scalars: inf/NaN as on the device, without warnings
        body = ["with errstate(all='ignore'):"] + _indent(body, 4)
    return "\n".join([f"def kernel(xs{outs}{args}):",
                      "    i = cuda.grid(1)",
                      "    if i < xs.shape[0]:"] + _indent(body, 8)) + "\n"


def _gradient_kernel_source(nargs: int, sim: bool) -> str:
    args = "".join(f", a{k}" for k in range(nargs))
    local = "np.empty(N, dtype=object)" if sim else "cuda.local.array(N, dt)"
    body = [
        f"xd = {local}",
        "for start in range(0, N, W):",
        "    for j in range(N):",
        "        xd[j] = Dual(X[i, j], P.unit_like(proto.partials, j - start))",
        f"    r = f(xd{args})",
        "    vals[i] = value(r)",
        "    for k in range(min(W, N - start)):",
        "        grads[i, start + k] = partial(r, k)",
    ]
    if sim:
        body = ["with errstate(all='ignore'):"] + _indent(body, 4)
    return "\n".join([f"def kernel(X, grads, vals{args}):",
                      "    i = cuda.grid(1)",
                      "    if i < X.shape[0]:"] + _indent(body, 8)) + "\n"


@functools.lru_cache(maxsize=None)
def _prototype(width: int):
    return Dual(0.0, (0.0,) * width)


def _namespace(f, cuda, sim: bool) -> dict:
    if sim:
        from .simulator import SimDual, SimHyperDual, sim_function
        fn, dual, hyper = sim_function(f), SimDual, SimHyperDual
    else:
        fn, dual, hyper = f, Dual, HyperDual
    return {"cuda": cuda, "f": fn, "Dual": dual, "HyperDual": hyper, "value": out.value,
            "partial": out.partial, "cross": out.cross, "P": P, "np": np,
            "errstate": np.errstate}


def kernel_function(f, verb: str, nargs: int = 0, n: int | None = None,
                    width: int | None = None, sim: bool = False):
    """The plain Python source function of the kernel dualjit.cuda launches for ``verb``
    (not yet ``cuda.jit``-compiled; ``sim`` picks the simulator's variant). For tests and
    inspection, e.g. compiling it to PTX without a GPU."""
    cuda = _cuda_module()
    ns = _namespace(f, cuda, sim)
    if verb == "gradient":
        if not (isinstance(n, int) and isinstance(width, int) and n >= 1 and width >= 1):
            raise ValueError("the gradient kernel needs the row length n and the chunk width")
        proto = _prototype(width)
        ns.update(N=n, W=width, proto=proto)
        if not sim:
            import numba
            ns["dt"] = numba.typeof(proto)
        source = _gradient_kernel_source(nargs, sim)
    elif verb in _POINT_VERBS:
        source = _point_kernel_source(verb, nargs, sim)
    else:
        raise ValueError(f"unknown verb {verb!r}; expected one of "
                         f"{sorted(_POINT_VERBS) + ['gradient']}")
    filename = f"<dualjit.cuda {verb} kernel for {getattr(f, '__name__', 'f')}>"
    exec(compile(source, filename, "exec"), ns)  # noqa: S102 - source built above
    kernel = ns["kernel"]
    label = re.sub(r"\W", "_", getattr(f, "__name__", "f"))
    kernel.__qualname__ = kernel.__name__ = f"dualjit_{verb}_{label}"
    return kernel


def kernel_for(f, verb: str, nargs: int = 0, n: int | None = None, width: int | None = None):
    """The (cached) ``numba.cuda.jit`` kernel that dualjit.cuda launches for ``verb``.

    ``f`` is a ``numba.njit`` dispatcher. Point verbs (``derivative``,
    ``value_and_derivative``, ``second_derivative``) take ``(xs, out..., *args)``;
    ``gradient`` takes ``(X, grads, vals, *args)`` and needs the row length ``n`` and the
    chunk ``width``.
    """
    cuda = require_gpu(verb)
    sim = is_simulator()
    key = (verb, nargs, n, width, sim)
    per_f = _KERNELS.get(f)
    if per_f is None:
        per_f = _KERNELS[f] = {}
    kernel = per_f.get(key)
    if kernel is None:
        kernel = per_f[key] = cuda.jit(kernel_function(f, verb, nargs, n, width, sim))
    return kernel


def _function(f, verb):
    try:
        return as_function(f)
    except TypeError as exc:
        raise TypeError(f"dualjit.cuda.{verb}: {exc}") from None


def _run_points(verb, f, xs, args):
    f = _function(f, verb)
    xs, on_device = as_points(xs, verb)
    args = as_extra_args(args, verb)
    cuda = require_gpu(verb)
    n = xs.shape[0]
    nout = len(_POINT_VERBS[verb][1])
    if n == 0:
        outs = [np.empty(0) for _ in range(nout)]
        return [cuda.to_device(o) for o in outs] if on_device else outs
    kernel = kernel_for(f, verb, len(args))
    d_xs = xs if on_device else cuda.to_device(xs)
    d_outs = [cuda.device_array(n, dtype=np.float64) for _ in range(nout)]
    blocks, threads = launch_config(n)
    kernel[blocks, threads](d_xs, *d_outs, *args)
    if on_device:
        return d_outs
    return [o.copy_to_host() for o in d_outs]


def derivative(f, xs, *args):
    """``f'(x)`` at every point of ``xs`` (1-D float64, host or device array; same kind out).

    ``f`` is a ``numba.njit`` function of one real argument (plus ``args``: real scalars
    passed unchanged at every point); it runs on the GPU as a device function.
    """
    return _run_points("derivative", f, xs, args)[0]


def value_and_derivative(f, xs, *args):
    """``(f(x), f'(x))`` at every point of ``xs``: two arrays of the kind of ``xs``."""
    vals, ders = _run_points("value_and_derivative", f, xs, args)
    return vals, ders


def second_derivative(f, xs, *args):
    """``f''(x)`` at every point of ``xs``, by hyper-dual numbers (no truncation error)."""
    return _run_points("second_derivative", f, xs, args)[0]


def value_and_gradient(f, X, *args, chunk=DEFAULT_CHUNK):
    """``(f(x), ∇f(x))`` for every row x of ``X`` (2-D float64, host or device array):
    an array of m values and an (m, n) array of gradients, of the kind of ``X``.

    ``f`` takes a 1-D array of n numbers (plus ``args``) and returns a scalar. Each thread
    differentiates one row in passes of ``chunk`` partials (a thread-local array of
    ``n`` Dual numbers: keep n modest, it lives in registers/local memory).
    """
    verb = "gradient"
    f = _function(f, verb)
    chunk = as_chunk(chunk)
    X, on_device = as_rows(X, verb)
    args = as_extra_args(args, verb)
    cuda = require_gpu(verb)
    m, n = X.shape
    if m == 0:
        vals, grads = np.empty(0), np.empty((0, n))
        return (cuda.to_device(vals), cuda.to_device(grads)) if on_device else (vals, grads)
    width = min(chunk, n)
    kernel = kernel_for(f, verb, len(args), n, width)
    d_X = X if on_device else cuda.to_device(X)
    d_grads = cuda.device_array((m, n), dtype=np.float64)
    d_vals = cuda.device_array(m, dtype=np.float64)
    blocks, threads = launch_config(m)
    kernel[blocks, threads](d_X, d_grads, d_vals, *args)
    if on_device:
        return d_vals, d_grads
    return d_vals.copy_to_host(), d_grads.copy_to_host()


def gradient(f, X, *args, chunk=DEFAULT_CHUNK):
    """``∇f(x)`` for every row x of ``X``: an (m, n) array of the kind of ``X``."""
    return value_and_gradient(f, X, *args, chunk=chunk)[1]
