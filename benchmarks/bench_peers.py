"""dualjit against its peers: speed side by side, in one process, on the same inputs.

    /work/venv/bin/python benchmarks/bench_peers.py [--quick] [--json out.json] [--plot out.png]

Peers (each skipped, not failed, when it is not installed; ``pip install -e .[bench]``):
the plain ``@njit`` primal, a hand-written derivative (``@njit``), central finite
differences (``@njit``), sympy-lambdified derivatives (NumPy), JAX (float64, ``jit`` with
``jvp`` / ``jacfwd`` / ``hessian`` / ``vmap``, and ``grad`` as the reverse-mode reference)
and PyTorch (float64, ``torch.func.jvp`` / ``jacfwd`` / ``hessian`` / ``vmap``, eager, and
``torch.func.grad`` as the reverse-mode reference).

Every variant's result is checked against dualjit's before it is timed (a wrong one is
timed but marked WRONG). Timing follows benchmarks/_timing.py: warm-up, interleaved
rounds, medians, ratios of medians with the IQR of per-round ratios. Ratios are
``peer time / dualjit time`` within the same call style, so > 1 means dualjit is faster.

Call styles ("style" column)
  call   one derivative per Python call (what a user does at the prompt or in a script):
         ``dualjit.gradient(f, x)``, ``jax.jit(jax.jacfwd(f))(x)``, ``torch.func.jacfwd(f)(x)``,
         the sympy-lambdified function, the ``@njit`` hand/FD functions;
  njit   dualjit's verb called K times from compiled code (no Python dispatch);
  batch  B independent points per call: a compiled loop over ``dualjit.gradient`` vs
         ``jit(vmap(jacfwd(f)))`` and ``vmap(torch.func.jacfwd(f))`` (dispatch amortized).
The scalar sections are over arrays of points: dualjit's numbers there are a compiled
loop calling the user's ``@njit`` f on ``Dual`` / ``HyperDual`` numbers.

By default the peers run on one thread (``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false``,
``torch.set_num_threads(1)``), like dualjit's loops; ``--peer-threads default`` leaves
their thread pools alone.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import Variant, fmt_time, interleaved, machine_info, print_table, ratio  # noqa: E402

import numba  # noqa: E402

import dualjit  # noqa: E402
from dualjit import Dual, HyperDual  # noqa: E402

NP = {"error_model": "numpy"}
EPS = np.finfo(np.float64).eps

# =====================================================================================
# The test problems, written once per framework
# =====================================================================================


@numba.njit
def fike(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


@numba.njit
def rosenbrock(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


# Robertson's stiff chemical kinetics (3 species)
ROB_K = (0.04, 1e4, 3e7)


@numba.njit
def robertson(y):
    out = dualjit.empty(3, like=y)
    a = 0.04 * y[0]
    b = 1e4 * y[1] * y[2]
    c = 3e7 * y[1] ** 2
    out[0] = -a + b
    out[1] = a - b - c
    out[2] = c
    return out


# A 1-D reaction-diffusion system (method of lines, n interior points, u = 0 at both
# ends): u_i' = D (u_{i-1} - 2 u_i + u_{i+1}) / h^2 + lam (1 - u_i) exp(-E / (1 + u_i)),
# an Arrhenius-type reaction; stiff through the diffusion term (eigenvalues ~ -4D/h^2).
RD_D, RD_LAM, RD_E = 1.0, 50.0, 4.0


@numba.njit
def reaction_diffusion(u):
    n = u.shape[0]
    c = RD_D * (n + 1.0) ** 2
    out = dualjit.empty_like(u)
    for i in range(n):
        left = u[i - 1] if i > 0 else 0.0 * u[i]
        right = u[i + 1] if i < n - 1 else 0.0 * u[i]
        out[i] = c * (left - 2.0 * u[i] + right) + RD_LAM * (1.0 - u[i]) * math.exp(-RD_E / (1.0 + u[i]))
    return out


def fike_points(n, seed=20240601):
    return np.random.default_rng(seed).uniform(0.0, 1.5, n)


def rosen_point(n):
    return np.random.default_rng(n).uniform(-1.2, 1.2, n)


def rosen_batch(n, b):
    return np.random.default_rng(1000 + n).uniform(-1.2, 1.2, (b, n))


def robertson_point():
    return np.array([0.9, 2.5e-5, 0.1])


def rd_point(n):
    return 0.5 + 0.3 * np.sin(np.linspace(0.0, math.pi, n + 2)[1:-1]) \
        + 0.01 * np.random.default_rng(n).standard_normal(n)


# ---- hand-written derivatives --------------------------------------------------------

@numba.njit(**NP)
def fike_hand_d1(x, val, der):
    """f and f' = f (1 - g'/(2g)), g = s^3 + c^3, g' = 3sc(s - c), sharing exp/sin/cos/sqrt."""
    for i in range(x.shape[0]):
        t = x[i]
        e = math.exp(t)
        s = math.sin(t)
        c = math.cos(t)
        g = s ** 3 + c ** 3
        v = e / math.sqrt(g)
        val[i] = v
        der[i] = v * (1.0 - 1.5 * s * c * (s - c) / g)


@numba.njit(**NP)
def fike_hand_d2(x, val, der, der2):
    """f, f' = f q, f'' = f (q^2 + q') with q = 1 - g'/(2g), q' = -(g'' g - g'^2)/(2 g^2),
    g'' = 3((c^2 - s^2)(s - c) + sc(s + c))."""
    for i in range(x.shape[0]):
        t = x[i]
        e = math.exp(t)
        s = math.sin(t)
        c = math.cos(t)
        g = s ** 3 + c ** 3
        g1 = 3.0 * s * c * (s - c)
        g2 = 3.0 * ((c * c - s * s) * (s - c) + s * c * (s + c))
        v = e / math.sqrt(g)
        q = 1.0 - 0.5 * g1 / g
        dq = -0.5 * (g2 * g - g1 * g1) / (g * g)
        val[i] = v
        der[i] = v * q
        der2[i] = v * (q * q + dq)


@numba.njit(**NP)
def rosen_grad_hand(x):
    n = x.shape[0]
    g = np.zeros(n)
    for i in range(n - 1):
        a = x[i + 1] - x[i] ** 2
        g[i] += -400.0 * x[i] * a - 2.0 * (1.0 - x[i])
        g[i + 1] += 200.0 * a
    return g


@numba.njit(**NP)
def rosen_hess_hand(x):
    n = x.shape[0]
    H = np.zeros((n, n))
    for i in range(n - 1):
        H[i, i] += 1200.0 * x[i] ** 2 - 400.0 * x[i + 1] + 2.0
        H[i + 1, i + 1] += 200.0
        H[i, i + 1] = -400.0 * x[i]
        H[i + 1, i] = -400.0 * x[i]
    return H


@numba.njit(**NP)
def robertson_jac_hand(y):
    k1, k2, k3 = ROB_K
    J = np.zeros((3, 3))
    J[0, 0] = -k1
    J[0, 1] = k2 * y[2]
    J[0, 2] = k2 * y[1]
    J[1, 0] = k1
    J[1, 1] = -k2 * y[2] - 2.0 * k3 * y[1]
    J[1, 2] = -k2 * y[1]
    J[2, 1] = 2.0 * k3 * y[1]
    return J


@numba.njit(**NP)
def rd_jac_hand(u):
    n = u.shape[0]
    c = RD_D * (n + 1.0) ** 2
    J = np.zeros((n, n))
    for i in range(n):
        w = 1.0 + u[i]
        r = math.exp(-RD_E / w)
        J[i, i] = -2.0 * c + RD_LAM * r * (-1.0 + (1.0 - u[i]) * RD_E / (w * w))
        if i > 0:
            J[i, i - 1] = c
        if i < n - 1:
            J[i, i + 1] = c
    return J


# ---- central finite differences --------------------------------------------------------

@numba.njit(**NP)
def fike_fd_d1(x, val, der):
    for i in range(x.shape[0]):
        t = x[i]
        h = EPS ** (1.0 / 3.0) * max(1.0, abs(t))
        val[i] = fike(t)
        der[i] = (fike(t + h) - fike(t - h)) / ((t + h) - (t - h))


@numba.njit(**NP)
def fike_fd_d2(x, val, der, der2):
    for i in range(x.shape[0]):
        t = x[i]
        h = EPS ** (1.0 / 4.0) * max(1.0, abs(t))
        fp, f0, fm = fike(t + h), fike(t), fike(t - h)
        val[i] = f0
        der[i] = (fp - fm) / (2.0 * h)
        der2[i] = (fp - 2.0 * f0 + fm) / (h * h)


def make_fd_gradient(f):
    """Central-difference gradient of f, compiled with f as a constant (passing a
    dispatcher as an argument from Python costs Numba's slow typeof path per call)."""
    @numba.njit(**NP)
    def fd_gradient(x):
        return _fd_gradient(f, x)
    return fd_gradient


@numba.njit(**NP)
def _fd_gradient(f, x):
    n = x.shape[0]
    g = np.empty(n)
    xp = x.copy()
    for i in range(n):
        h = EPS ** (1.0 / 3.0) * max(1.0, abs(x[i]))
        xp[i] = x[i] + h
        fp = f(xp)
        xp[i] = x[i] - h
        fm = f(xp)
        xp[i] = x[i]
        g[i] = (fp - fm) / (2.0 * h)
    return g


def make_fd_jacobian(f):
    @numba.njit(**NP)
    def fd_jacobian(x):
        return _fd_jacobian(f, x)
    return fd_jacobian


@numba.njit(**NP)
def _fd_jacobian(f, x):
    n = x.shape[0]
    xp = x.copy()
    J = np.empty((f(x).shape[0], n))
    for j in range(n):
        h = EPS ** (1.0 / 3.0) * max(1.0, abs(x[j]))
        xp[j] = x[j] + h
        fp = f(xp)
        xp[j] = x[j] - h
        fm = f(xp)
        xp[j] = x[j]
        for i in range(J.shape[0]):
            J[i, j] = (fp[i] - fm[i]) / (2.0 * h)
    return J


def make_fd_hessian_of_gradient(grad):
    @numba.njit(**NP)
    def fd_hessian(x):
        return _fd_hessian_of_gradient(grad, x)
    return fd_hessian


@numba.njit(**NP)
def _fd_hessian_of_gradient(grad, x):
    """Central differences of an analytic gradient (2n gradient calls), symmetrized."""
    n = x.shape[0]
    H = np.empty((n, n))
    xp = x.copy()
    for j in range(n):
        h = EPS ** (1.0 / 3.0) * max(1.0, abs(x[j]))
        xp[j] = x[j] + h
        gp = grad(xp)
        xp[j] = x[j] - h
        gm = grad(xp)
        xp[j] = x[j]
        for i in range(n):
            H[i, j] = (gp[i] - gm[i]) / (2.0 * h)
    return 0.5 * (H + H.T)


FD_GRADIENT = make_fd_gradient(rosenbrock)
FD_JAC_ROBERTSON = make_fd_jacobian(robertson)
FD_JAC_RD = make_fd_jacobian(reaction_diffusion)
FD_HESSIAN = make_fd_hessian_of_gradient(rosen_grad_hand)


# ---- dualjit: compiled loops over points / repeated calls --------------------------------

@numba.njit(**NP)
def primal_loop(x, val):
    for i in range(x.shape[0]):
        val[i] = fike(x[i])


@numba.njit(**NP)
def dual_loop(x, val, der):
    for i in range(x.shape[0]):
        r = fike(Dual(x[i], 1.0))
        val[i] = r.value
        der[i] = r.partials[0]


@numba.njit(**NP)
def hyperdual_loop(x, val, der, der2):
    for i in range(x.shape[0]):
        r = fike(HyperDual(x[i], 1.0, 1.0, 0.0))
        val[i] = r.value
        der[i] = r.e1[0]
        der2[i] = r.e12[0]


@numba.njit(**NP)
def primal_k(f, x, k):
    acc = 0.0
    for _ in range(k):
        acc += f(x)
    return acc


@numba.njit(**NP)
def gradient_k(f, x, k):
    acc = 0.0
    for _ in range(k):
        acc += dualjit.gradient(f, x)[0]
    return acc


@numba.njit(**NP)
def hessian_k(f, x, k):
    acc = 0.0
    for _ in range(k):
        acc += dualjit.hessian(f, x)[0, 0]
    return acc


@numba.njit(**NP)
def jacobian_k(f, x, k):
    acc = 0.0
    for _ in range(k):
        acc += dualjit.jacobian(f, x)[0, 0]
    return acc


@numba.njit(**NP)
def gradient_batch(f, X):
    G = np.empty_like(X)
    for b in range(X.shape[0]):
        G[b] = dualjit.gradient(f, X[b])
    return G


@numba.njit(**NP)
def hessian_batch(f, X):
    H = np.empty((X.shape[0], X.shape[1], X.shape[1]))
    for b in range(X.shape[0]):
        H[b] = dualjit.hessian(f, X[b])
    return H


# =====================================================================================
# Peers (imported lazily; a missing one is reported as skipped)
# =====================================================================================

SKIPPED: dict = {}
_PEERS: dict = {}


def load_jax(threads="1"):
    """The jax module with float64 on, or None (reason in SKIPPED)."""
    if "jax" in _PEERS:
        return _PEERS["jax"]
    if threads == "1" and "jax" not in sys.modules:
        flag = "--xla_cpu_multi_thread_eigen=false"
        if flag not in os.environ.get("XLA_FLAGS", ""):
            os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + flag).strip()
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
        jax.config.update("jax_platforms", "cpu")
    except Exception as exc:  # noqa: BLE001 - ImportError or a broken install
        SKIPPED["jax"] = f"{type(exc).__name__}: {exc}"
        jax = None
    _PEERS["jax"] = jax
    return jax


def load_torch(threads="1"):
    if "torch" in _PEERS:
        return _PEERS["torch"]
    try:
        import torch
        import torch.func  # noqa: F401
        if threads == "1":
            torch.set_num_threads(1)
    except Exception as exc:  # noqa: BLE001
        SKIPPED["torch"] = f"{type(exc).__name__}: {exc}"
        torch = None
    _PEERS["torch"] = torch
    return torch


def load_sympy():
    if "sympy" in _PEERS:
        return _PEERS["sympy"]
    try:
        import sympy
    except Exception as exc:  # noqa: BLE001
        SKIPPED["sympy"] = f"{type(exc).__name__}: {exc}"
        sympy = None
    _PEERS["sympy"] = sympy
    return sympy


# ---- JAX --------------------------------------------------------------------------------

def jax_problems(jax):
    jnp = jax.numpy

    def fike_j(x):
        return jnp.exp(x) / jnp.sqrt(jnp.sin(x) ** 3 + jnp.cos(x) ** 3)

    def rosen_j(x):
        return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    def robertson_j(y):
        a = 0.04 * y[0]
        b = 1e4 * y[1] * y[2]
        c = 3e7 * y[1] ** 2
        return jnp.stack([-a + b, a - b - c, c])

    def rd_j(u):
        n = u.shape[0]
        c = RD_D * (n + 1.0) ** 2
        z = jnp.zeros(1, dtype=u.dtype)
        left = jnp.concatenate([z, u[:-1]])
        right = jnp.concatenate([u[1:], z])
        return c * (left - 2.0 * u + right) + RD_LAM * (1.0 - u) * jnp.exp(-RD_E / (1.0 + u))
    return {"fike": fike_j, "rosenbrock": rosen_j, "robertson": robertson_j, "rd": rd_j}


def jax_scalar(jax):
    """jit(vmap(jvp)) value+f' and value+f'+f'' of the Fike function over an array."""
    f = jax_problems(jax)["fike"]
    ones = jax.numpy.ones_like

    def vd(x):
        return jax.jvp(f, (x,), (ones(x),))

    def vdd(x):
        (v, d), (_, dd) = jax.jvp(vd, (x,), (ones(x),))
        return v, d, dd
    return jax.jit(jax.vmap(vd)), jax.jit(jax.vmap(vdd))


def jax_block(out):
    for o in (out if isinstance(out, (tuple, list)) else (out,)):
        o.block_until_ready()
    return out


# ---- torch ---------------------------------------------------------------------------

def torch_problems(torch):
    def fike_t(x):
        return torch.exp(x) / torch.sqrt(torch.sin(x) ** 3 + torch.cos(x) ** 3)

    def rosen_t(x):
        return torch.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    def robertson_t(y):
        a = 0.04 * y[0]
        b = 1e4 * y[1] * y[2]
        c = 3e7 * y[1] ** 2
        return torch.stack([-a + b, a - b - c, c])

    def rd_t(u):
        n = u.shape[0]
        c = RD_D * (n + 1.0) ** 2
        z = torch.zeros(1, dtype=u.dtype)
        left = torch.cat([z, u[:-1]])
        right = torch.cat([u[1:], z])
        return c * (left - 2.0 * u + right) + RD_LAM * (1.0 - u) * torch.exp(-RD_E / (1.0 + u))
    return {"fike": fike_t, "rosenbrock": rosen_t, "robertson": robertson_t, "rd": rd_t}


def torch_scalar(torch):
    """vmap(torch.func.jvp) value+f' and value+f'+f'' of the Fike function."""
    from torch.func import jvp, vmap
    f = torch_problems(torch)["fike"]

    def vd(x):
        return jvp(f, (x,), (torch.ones_like(x),))

    def vdd(x):
        (v, d), (_, dd) = jvp(vd, (x,), (torch.ones_like(x),))
        return v, d, dd
    return vmap(vd), vmap(vdd)


# ---- sympy ---------------------------------------------------------------------------

def sympy_scalar(sympy):
    """Lambdified (NumPy, cse) value+f' and value+f'+f'' of the Fike function."""
    x = sympy.Symbol("x", real=True)
    f = sympy.exp(x) / sympy.sqrt(sympy.sin(x) ** 3 + sympy.cos(x) ** 3)
    d = sympy.diff(f, x)
    dd = sympy.diff(d, x)
    return (sympy.lambdify(x, (f, d), modules="numpy", cse=True),
            sympy.lambdify(x, (f, d, dd), modules="numpy", cse=True))


def sympy_rosenbrock(sympy, n, order):
    """Lambdified gradient (order 1) or Hessian (order 2) of Rosenbrock in n variables."""
    xs = sympy.symbols(f"x0:{n}", real=True)
    f = sum(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1))
    if order == 1:
        expr = [sympy.diff(f, v) for v in xs]
    else:
        expr = sympy.hessian(f, xs)
    g = sympy.lambdify([xs], expr, modules="numpy", cse=True)
    return lambda x: np.asarray(g(x), dtype=np.float64)


def sympy_jacobian(sympy, which, n):
    if which == "robertson":
        y = sympy.symbols("y0:3", real=True)
        k1, k2, k3 = ROB_K
        a, b, c = k1 * y[0], k2 * y[1] * y[2], k3 * y[1] ** 2
        F = sympy.Matrix([-a + b, a - b - c, c])
        xs = y
    else:
        xs = sympy.symbols(f"u0:{n}", real=True)
        c = RD_D * (n + 1.0) ** 2
        rows = []
        for i in range(n):
            left = xs[i - 1] if i > 0 else 0
            right = xs[i + 1] if i < n - 1 else 0
            rows.append(c * (left - 2 * xs[i] + right)
                        + RD_LAM * (1 - xs[i]) * sympy.exp(-RD_E / (1 + xs[i])))
        F = sympy.Matrix(rows)
    J = F.jacobian(xs)
    g = sympy.lambdify([xs], J, modules="numpy", cse=True)
    return lambda x: np.asarray(g(x), dtype=np.float64)


# =====================================================================================
# Running a case: check every implementation, time them interleaved, tabulate
# =====================================================================================

@dataclass
class Impl:
    """One implementation: ``call()`` computes one unit's result (for the check);
    ``run(k)`` repeats the work k times (default: k calls). ``units``: derivatives per
    call (points for the scalar case, B for batched rows)."""

    name: str
    family: str          # dualjit | primal | hand | fd | sympy | jax | torch
    mode: str            # forward | reverse | symbolic | finite differences | hand | primal
    style: str           # call | njit | batch | loop
    call: Callable
    run: Callable | None = None
    units: float = 1.0
    tol: float = 1e-10   # max |result - dualjit| / max(1, max |dualjit|)
    check: bool = True
    expect: Callable | None = None  # the reference, when not dualjit's call-style result
    extra: dict = field(default_factory=dict)

    def repeat(self):
        if self.run is not None:
            return self.run
        call = self.call

        def run(k):
            for _ in range(k):
                call()
        return run


def _as_np(r):
    if isinstance(r, (tuple, list)):
        return [_as_np(a) for a in r]
    if hasattr(r, "detach"):
        return r.detach().numpy()
    return np.asarray(r)


def check_error(result, reference) -> float:
    """max |result - reference| / max(1, max |reference|), over every component."""
    res, ref = _as_np(result), _as_np(reference)
    if not isinstance(ref, list):
        res, ref = [res], [ref]
    worst = 0.0
    for a, b in zip(res, ref):
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if a.shape != b.shape:
            return math.inf
        scale = max(1.0, float(np.max(np.abs(b))))
        worst = max(worst, float(np.max(np.abs(a - b))) / scale)
    return worst


RESULTS: dict = {"sections": {}}
VERDICTS: list = []


def run_case(section: str, case: str, impls: list, cfg: dict, rounds: int | None = None,
             min_sample: float | None = None, targets: dict | None = None) -> dict:
    """Check, time (interleaved) and return rows for one case. ``targets``:
    {impl name: minimum ratio impl/dualjit-of-same-style}."""
    targets = targets or {}
    refs = {}
    for im in impls:
        if im.family == "dualjit":
            refs[im.style] = im.call()
    reference = refs.get("call", refs.get("loop", next(iter(refs.values()))))
    checks = {}
    for im in impls:
        if not im.check:
            checks[im.name] = None
            continue
        if im.expect is not None:
            ref = im.expect()
        elif im.family == "dualjit":
            ref = reference
        else:
            ref = refs.get(im.style, reference)
        try:
            checks[im.name] = check_error(im.call(), ref)
        except Exception as exc:  # noqa: BLE001 - a failing peer is reported, not fatal
            checks[im.name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    runnable = [im for im in impls if not isinstance(checks[im.name], str)]
    variants = [Variant(im.name, im.repeat(), im.units, im.extra.get("inner", 0)) for im in runnable]
    t = interleaved(variants, rounds or cfg["rounds"], min_sample or cfg["min_sample"])
    base = {im.style: im.name for im in runnable if im.family == "dualjit"}
    rows = []
    for im in impls:
        row = {"impl": im.name, "family": im.family, "mode": im.mode, "style": im.style,
               "check_error": checks[im.name], "tol": im.tol}
        if isinstance(checks[im.name], str):
            row.update({"status": "FAILED", "error": checks[im.name]})
            rows.append(row)
            continue
        ok = checks[im.name] is None or checks[im.name] <= im.tol
        row["status"] = "ok" if ok else "WRONG"
        row["median_s"] = t[im.name].median
        b = base.get(im.style) or base.get("call") or base.get("loop")
        if b:
            r, q1, q3 = ratio(t, im.name, b)
            row.update({"ratio_to_dualjit": r, "ratio_iqr": [q1, q3], "dualjit_baseline": b})
        if im.name in targets and b:
            tgt = targets[im.name]
            row["target"] = tgt
            row["verdict"] = "PASS" if row["ratio_to_dualjit"] >= tgt and ok else "MISS"
            VERDICTS.append({"section": section, "case": case, "impl": im.name, "target": tgt,
                             "ratio": row["ratio_to_dualjit"], "verdict": row["verdict"]})
        row["timing"] = t[im.name].to_json()
        rows.append(row)
    out = {"case": case, "rows": rows}
    RESULTS["sections"].setdefault(section, []).append(out)
    return out


def table_rows(case_out: dict, unit_fmt=fmt_time) -> list:
    rows = []
    for r in case_out["rows"]:
        if r["status"] == "FAILED":
            rows.append([case_out["case"], r["impl"], r["style"], "FAILED", "", "", "", "",
                         r["error"][:60]])
            continue
        ratio_s = f"{r['ratio_to_dualjit']:.2f}×" if "ratio_to_dualjit" in r else ""
        iqr = f"[{r['ratio_iqr'][0]:.2f}, {r['ratio_iqr'][1]:.2f}]" if "ratio_iqr" in r else ""
        ce = r["check_error"]
        chk = "" if ce is None else (f"{ce:.0e}" if r["status"] == "ok" else f"WRONG {ce:.0e}")
        tgt = f"≥ {r['target']}" if "target" in r else ""
        rows.append([case_out["case"], r["impl"], r["style"], unit_fmt(r["median_s"]), ratio_s, iqr,
                     tgt, r.get("verdict", ""), chk])
    return rows


HEADERS = ["case", "implementation", "style", "time", "× dualjit", "per-round IQR", "target",
           "verdict", "check"]
RATIO_NOTE = ("× dualjit = this time / dualjit's time in the same style (> 1: dualjit is "
              "faster). check = max |result − dualjit| / max(1, |dualjit|) before timing.")


# =====================================================================================
# Section 1: the Fike–Alonso function over many points
# =====================================================================================

def section_scalar(cfg):
    n = cfg["fike_points"]
    x = fike_points(n)
    val, der, der2 = np.empty(n), np.empty(n), np.empty(n)
    jax, torch, sympy = load_jax(cfg["threads"]), load_torch(cfg["threads"]), load_sympy()
    out = {}
    for order in (1, 2):
        impls = [Impl("primal f (njit loop)", "primal", "primal", "loop",
                      lambda: (primal_loop(x, val), val.copy())[1], units=n, check=False,
                      run=lambda k: [primal_loop(x, val) for _ in range(k)])]
        if order == 1:
            impls += [
                Impl("dualjit Dual loop", "dualjit", "forward", "loop",
                     lambda: (dual_loop(x, val, der), (val.copy(), der.copy()))[1], units=n,
                     run=lambda k: [dual_loop(x, val, der) for _ in range(k)]),
                Impl("hand-written (njit)", "hand", "hand", "loop",
                     lambda: (fike_hand_d1(x, val, der), (val.copy(), der.copy()))[1], units=n,
                     run=lambda k: [fike_hand_d1(x, val, der) for _ in range(k)],
                     tol=1e-13),
                Impl("central FD (njit)", "fd", "finite differences", "loop",
                     lambda: (fike_fd_d1(x, val, der), (val.copy(), der.copy()))[1], units=n, tol=1e-7,
                     run=lambda k: [fike_fd_d1(x, val, der) for _ in range(k)]),
            ]
        else:
            impls += [
                Impl("dualjit HyperDual loop", "dualjit", "forward", "loop",
                     lambda: (hyperdual_loop(x, val, der, der2), (val.copy(), der.copy(), der2.copy()))[1],
                     units=n, run=lambda k: [hyperdual_loop(x, val, der, der2) for _ in range(k)]),
                Impl("hand-written (njit)", "hand", "hand", "loop",
                     lambda: (fike_hand_d2(x, val, der, der2), (val.copy(), der.copy(), der2.copy()))[1],
                     units=n, tol=1e-12, run=lambda k: [fike_hand_d2(x, val, der, der2) for _ in range(k)]),
                Impl("central FD (njit)", "fd", "finite differences", "loop",
                     lambda: (fike_fd_d2(x, val, der, der2), (val.copy(), der.copy(), der2.copy()))[1],
                     units=n, tol=1e-5, run=lambda k: [fike_fd_d2(x, val, der, der2) for _ in range(k)]),
            ]
        targets = {}
        if sympy is not None:
            s1, s2 = sympy_scalar(sympy)
            fn = s1 if order == 1 else s2
            impls.append(Impl("sympy lambdify (NumPy)", "sympy", "symbolic", "loop",
                              lambda fn=fn: fn(x), units=n, tol=1e-11))
        if jax is not None:
            j1, j2 = jax_scalar(jax)
            xj = jax.device_put(x)
            fn = j1 if order == 1 else j2
            name = "JAX jit(vmap(jvp))" if order == 1 else "JAX jit(vmap(jvp∘jvp))"
            impls.append(Impl(name, "jax", "forward", "loop",
                              lambda fn=fn: jax_block(fn(xj)), units=n))
            if order == 1:
                targets[name] = 1.3
        if torch is not None:
            t1, t2 = torch_scalar(torch)
            xt = torch.from_numpy(x)
            fn = t1 if order == 1 else t2
            name = "torch vmap(func.jvp)" if order == 1 else "torch vmap(jvp∘jvp)"
            impls.append(Impl(name, "torch", "forward", "loop", lambda fn=fn: fn(xt), units=n))
            if order == 1:
                targets[name] = 4.0
        for im in impls:
            im.extra["inner"] = 1  # one pass over the points is one sample
        label = "f'" if order == 1 else "f''"
        out[label] = run_case("scalar", f"Fike {label}", impls, cfg, rounds=cfg["fike_rounds"],
                              targets=targets)
        print(f"  [scalar {label}: done]", file=sys.stderr, flush=True)
    rows = table_rows(out["f'"], lambda s: f"{s * 1e9:.2f} ns/pt") \
        + table_rows(out["f''"], lambda s: f"{s * 1e9:.2f} ns/pt")
    print_table(f"1. Fike–Alonso f(x) = exp(x)/sqrt(sin³x + cos³x): value and derivatives at "
                f"{n:,} points in [0, 1.5] (median of {cfg['fike_rounds']} interleaved rounds)",
                HEADERS, rows,
                note=RATIO_NOTE + "\nEvery variant returns the value and f' (and f'') at every "
                     "point. Targets (issue #7): JAX jvp ≥ 1.3×, torch forward mode ≥ 4× "
                     "dualjit's time.")


# =====================================================================================
# Section 2: gradient of Rosenbrock
# =====================================================================================

def gradient_impls(n, cfg, jax, torch, sympy):
    x = rosen_point(n)
    B = cfg["batch"]
    X = rosen_batch(n, B)
    impls = [
        Impl("primal f (njit, from Python)", "primal", "primal", "call", lambda: rosenbrock(x),
             check=False),
        Impl("dualjit.gradient", "dualjit", "forward", "call", lambda: dualjit.gradient(rosenbrock, x)),
        Impl("hand-written (njit)", "hand", "hand", "call", lambda: rosen_grad_hand(x), tol=1e-12),
        Impl("central FD (njit)", "fd", "finite differences", "call",
             lambda: FD_GRADIENT(x), tol=1e-5),
        Impl("dualjit.gradient in njit", "dualjit", "forward", "njit",
             lambda: dualjit.gradient(rosenbrock, x), run=lambda k: gradient_k(rosenbrock, x, k)),
        Impl("primal f in njit", "primal", "primal", "njit", lambda: rosenbrock(x),
             run=lambda k: primal_k(rosenbrock, x, k), check=False),
        Impl(f"dualjit batch (njit loop, B={B})", "dualjit", "forward", "batch",
             lambda: gradient_batch(rosenbrock, X), units=B,
             expect=lambda: np.stack([dualjit.gradient(rosenbrock, r) for r in X])),
    ]
    if sympy is not None and n <= cfg["sympy_max_grad"]:
        g = sympy_rosenbrock(sympy, n, 1)
        impls.append(Impl("sympy lambdify", "sympy", "symbolic", "call", lambda g=g: g(x)))
    if jax is not None:
        fj = jax_problems(jax)["rosenbrock"]
        xj, Xj = jax.device_put(x), jax.device_put(X)
        jf, jr = jax.jit(jax.jacfwd(fj)), jax.jit(jax.grad(fj))
        bf, br = jax.jit(jax.vmap(jax.jacfwd(fj))), jax.jit(jax.vmap(jax.grad(fj)))
        impls += [Impl("JAX jit(jacfwd)", "jax", "forward", "call", lambda jf=jf: jax_block(jf(xj))),
                  Impl("JAX jit(grad) [reverse]", "jax", "reverse", "call",
                       lambda jr=jr: jax_block(jr(xj))),
                  Impl("JAX jit(vmap(jacfwd))", "jax", "forward", "batch",
                       lambda bf=bf: jax_block(bf(Xj)), units=B),
                  Impl("JAX jit(vmap(grad)) [reverse]", "jax", "reverse", "batch",
                       lambda br=br: jax_block(br(Xj)), units=B)]
    if torch is not None:
        from torch.func import grad, jacfwd, vmap
        ft = torch_problems(torch)["rosenbrock"]
        xt, Xt = torch.from_numpy(x), torch.from_numpy(X)
        tf, tr = jacfwd(ft), grad(ft)
        bf, br = vmap(jacfwd(ft)), vmap(grad(ft))
        impls += [Impl("torch func.jacfwd", "torch", "forward", "call", lambda tf=tf: tf(xt)),
                  Impl("torch func.grad [reverse]", "torch", "reverse", "call", lambda tr=tr: tr(xt)),
                  Impl("torch vmap(jacfwd)", "torch", "forward", "batch", lambda bf=bf: bf(Xt), units=B),
                  Impl("torch vmap(grad) [reverse]", "torch", "reverse", "batch", lambda br=br: br(Xt),
                       units=B)]
    return impls


def section_gradient(cfg):
    jax, torch, sympy = load_jax(cfg["threads"]), load_torch(cfg["threads"]), load_sympy()
    rows = []
    for n in cfg["grad_sizes"]:
        impls = gradient_impls(n, cfg, jax, torch, sympy)
        out = run_case("gradient", f"n={n}", impls, cfg)
        rows += table_rows(out)
        print(f"  [gradient n={n}: done]", file=sys.stderr, flush=True)
    print_table(f"2. Gradient of chained Rosenbrock, time per gradient (median of {cfg['rounds']} "
                "interleaved rounds)", HEADERS, rows,
                note=RATIO_NOTE + f"\nbatch rows: time per gradient with B = {cfg['batch']} points "
                     "per call. [reverse] = reverse mode, the reference for large n: one "
                     "reverse sweep costs a few f evaluations whatever n is, forward mode "
                     "costs n/chunk passes, so forward mode loses by nature as n grows.")


# =====================================================================================
# Section 3: Jacobian of stiff ODE right-hand sides
# =====================================================================================

def jacobian_impls(which, n, cfg, jax, torch, sympy):
    if which == "robertson":
        f, x, hand, fdj = robertson, robertson_point(), robertson_jac_hand, FD_JAC_ROBERTSON
    else:
        f, x, hand, fdj = reaction_diffusion, rd_point(n), rd_jac_hand, FD_JAC_RD
    impls = [
        Impl("RHS f (njit, from Python)", "primal", "primal", "call", lambda: f(x), check=False),
        Impl("dualjit.jacobian", "dualjit", "forward", "call", lambda: dualjit.jacobian(f, x)),
        Impl("hand-written (njit)", "hand", "hand", "call", lambda: hand(x), tol=1e-12),
        Impl("central FD (njit)", "fd", "finite differences", "call", lambda: fdj(x),
             tol=1e-3 if which == "robertson" else 1e-5),
        Impl("dualjit.jacobian in njit", "dualjit", "forward", "njit", lambda: dualjit.jacobian(f, x),
             run=lambda k: jacobian_k(f, x, k)),
    ]
    if sympy is not None:
        g = sympy_jacobian(sympy, which, len(x))
        impls.append(Impl("sympy lambdify", "sympy", "symbolic", "call", lambda: g(x)))
    if jax is not None:
        fj = jax_problems(jax)["robertson" if which == "robertson" else "rd"]
        xj = jax.device_put(x)
        jf, jr = jax.jit(jax.jacfwd(fj)), jax.jit(jax.jacrev(fj))
        impls += [Impl("JAX jit(jacfwd)", "jax", "forward", "call", lambda jf=jf: jax_block(jf(xj))),
                  Impl("JAX jit(jacrev) [reverse]", "jax", "reverse", "call",
                       lambda jr=jr: jax_block(jr(xj)))]
    if torch is not None:
        from torch.func import jacfwd, jacrev
        ft = torch_problems(torch)["robertson" if which == "robertson" else "rd"]
        xt = torch.from_numpy(x)
        tf, tr = jacfwd(ft), jacrev(ft)
        impls += [Impl("torch func.jacfwd", "torch", "forward", "call", lambda tf=tf: tf(xt)),
                  Impl("torch func.jacrev [reverse]", "torch", "reverse", "call", lambda tr=tr: tr(xt))]
    return impls


def section_jacobian(cfg):
    jax, torch, sympy = load_jax(cfg["threads"]), load_torch(cfg["threads"]), load_sympy()
    rows = []
    for which, n in (("robertson", 3), ("reaction-diffusion", cfg["rd_n"])):
        out = run_case("jacobian", f"{which} n={n}", jacobian_impls(which, n, cfg, jax, torch, sympy), cfg)
        rows += table_rows(out)
        print(f"  [jacobian {which}: done]", file=sys.stderr, flush=True)
    print_table(f"3. Jacobian of stiff ODE right-hand sides, time per Jacobian (median of "
                f"{cfg['rounds']} interleaved rounds)", HEADERS, rows,
                note=RATIO_NOTE + "\nRobertson: 3 species, rate constants 0.04, 1e4, 3e7. "
                     f"Reaction-diffusion: n = {cfg['rd_n']} interior points, u_i' = D Δ_h u + "
                     "λ (1 − u_i) exp(−E/(1 + u_i)); its Jacobian is tridiagonal, every "
                     "method here computes it dense.")


# =====================================================================================
# Section 4: Hessian of Rosenbrock
# =====================================================================================

def hessian_impls(n, cfg, jax, torch, sympy):
    x = rosen_point(n)
    B = cfg["hess_batch"]
    X = rosen_batch(n, B)
    impls = [
        Impl("primal f (njit, from Python)", "primal", "primal", "call", lambda: rosenbrock(x),
             check=False),
        Impl("dualjit.hessian", "dualjit", "forward", "call", lambda: dualjit.hessian(rosenbrock, x)),
        Impl("hand-written (njit)", "hand", "hand", "call", lambda: rosen_hess_hand(x), tol=1e-12),
        Impl("central FD of hand gradient (njit)", "fd", "finite differences", "call",
             lambda: FD_HESSIAN(x), tol=1e-5),
        Impl("dualjit.hessian in njit", "dualjit", "forward", "njit", lambda: dualjit.hessian(rosenbrock, x),
             run=lambda k: hessian_k(rosenbrock, x, k)),
        Impl(f"dualjit batch (njit loop, B={B})", "dualjit", "forward", "batch",
             lambda: hessian_batch(rosenbrock, X), units=B,
             expect=lambda: np.stack([dualjit.hessian(rosenbrock, r) for r in X])),
    ]
    if sympy is not None and n <= cfg["sympy_max_hess"]:
        g = sympy_rosenbrock(sympy, n, 2)
        impls.append(Impl("sympy lambdify", "sympy", "symbolic", "call", lambda g=g: g(x)))
    if jax is not None:
        fj = jax_problems(jax)["rosenbrock"]
        xj, Xj = jax.device_put(x), jax.device_put(X)
        h, hf = jax.jit(jax.hessian(fj)), jax.jit(jax.jacfwd(jax.jacfwd(fj)))
        hb = jax.jit(jax.vmap(jax.hessian(fj)))
        impls += [Impl("JAX jit(hessian)", "jax", "forward-over-reverse", "call",
                       lambda h=h: jax_block(h(xj))),
                  Impl("JAX jit(jacfwd(jacfwd))", "jax", "forward", "call", lambda hf=hf: jax_block(hf(xj))),
                  Impl("JAX jit(vmap(hessian))", "jax", "forward-over-reverse", "batch",
                       lambda hb=hb: jax_block(hb(Xj)), units=B)]
    if torch is not None:
        from torch.func import hessian, vmap
        ft = torch_problems(torch)["rosenbrock"]
        xt, Xt = torch.from_numpy(x), torch.from_numpy(X)
        th, tb = hessian(ft), vmap(hessian(ft))
        impls += [Impl("torch func.hessian", "torch", "forward-over-reverse", "call", lambda th=th: th(xt)),
                  Impl("torch vmap(hessian)", "torch", "forward-over-reverse", "batch", lambda tb=tb: tb(Xt),
                       units=B)]
    targets = {"JAX jit(hessian)": 1.0} if n <= 32 else {}
    return impls, targets


def section_hessian(cfg):
    jax, torch, sympy = load_jax(cfg["threads"]), load_torch(cfg["threads"]), load_sympy()
    rows = []
    for n in cfg["hess_sizes"]:
        impls, targets = hessian_impls(n, cfg, jax, torch, sympy)
        out = run_case("hessian", f"n={n}", impls, cfg, targets=targets)
        rows += table_rows(out)
        print(f"  [hessian n={n}: done]", file=sys.stderr, flush=True)
    print_table(f"4. Hessian of chained Rosenbrock, time per Hessian (median of {cfg['rounds']} "
                "interleaved rounds)", HEADERS, rows,
                note=RATIO_NOTE + f"\nTarget (issue #7): faster than JAX's hessian for n ≤ 32 "
                     f"(one Python call each). batch rows: B = {cfg['hess_batch']} points per "
                     "call. JAX/torch hessian = jacfwd(jacrev(f)) (forward over reverse).")


# =====================================================================================
# Plot and main
# =====================================================================================

def write_plot(path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        print(f"plot skipped: matplotlib not importable ({exc})")
        return
    secs = [(s, RESULTS["sections"][s]) for s in ("scalar", "gradient", "jacobian", "hessian")
            if s in RESULTS["sections"]]
    colors = {"jax": "tab:blue", "torch": "tab:orange", "sympy": "tab:green", "fd": "tab:gray",
              "hand": "tab:purple", "primal": "lightgray", "dualjit": "black"}
    fig, axes = plt.subplots(len(secs), 1, figsize=(11, 3.2 + 0.0 * len(secs)), squeeze=False)
    fig.set_size_inches(11, sum(1.2 + 0.22 * sum(len(c["rows"]) for c in cases) for _, cases in secs))
    for ax, (sec, cases) in zip(axes[:, 0], secs):
        labels, vals, cols = [], [], []
        for c in cases:
            for r in c["rows"]:
                if r.get("family") == "dualjit" or "ratio_to_dualjit" not in r:
                    continue
                labels.append(f"{c['case']}: {r['impl']} [{r['style']}]"
                              + (" WRONG" if r["status"] == "WRONG" else ""))
                vals.append(r["ratio_to_dualjit"])
                cols.append(colors.get(r["family"], "tab:red"))
        y = np.arange(len(vals))[::-1]
        ax.barh(y, vals, color=cols)
        ax.set_yticks(y)
        ax.set_yticklabels(labels, fontsize=6)
        ax.set_xscale("log")
        ax.axvline(1.0, color="black", lw=1)
        ax.set_title(f"{sec}: time / dualjit's time (> 1: dualjit faster)", fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"plot written to {path}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds (~1 min)")
    ap.add_argument("--json", metavar="PATH", help="write every number as JSON")
    ap.add_argument("--plot", metavar="PATH", help="write a PNG of the ratios (matplotlib)")
    ap.add_argument("--sections", default="1,2,3,4", help="comma-separated subset, e.g. 1,4")
    ap.add_argument("--peer-threads", choices=("1", "default"), default="1",
                    help="run JAX/torch on one thread (default) or with their own thread pools")
    ap.add_argument("--rounds", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.quick:
        cfg = {"quick": True, "fike_points": 1_000_000, "fike_rounds": 5, "rounds": 5,
               "min_sample": 0.004, "grad_sizes": (2, 32, 1024), "hess_sizes": (8, 32),
               "batch": 32, "hess_batch": 16, "rd_n": 64, "sympy_max_grad": 32,
               "sympy_max_hess": 8}
    else:
        cfg = {"quick": False, "fike_points": 10_000_000, "fike_rounds": 7, "rounds": 11,
               "min_sample": 0.01, "grad_sizes": (2, 8, 32, 128, 1024), "hess_sizes": (8, 32, 128),
               "batch": 64, "hess_batch": 32, "rd_n": 64, "sympy_max_grad": 128,
               "sympy_max_hess": 32}
    if args.rounds:
        cfg["rounds"] = cfg["fike_rounds"] = args.rounds
    cfg["threads"] = args.peer_threads
    sections = {s.strip() for s in args.sections.split(",")}

    t_start, cpu_start = time.perf_counter(), time.process_time()
    jax, torch, sympy = load_jax(cfg["threads"]), load_torch(cfg["threads"]), load_sympy()
    info = machine_info()
    info["jax"] = getattr(jax, "__version__", None)
    info["torch"] = getattr(torch, "__version__", None)
    info["sympy"] = getattr(sympy, "__version__", None)
    info["peer_threads"] = cfg["threads"]
    if torch is not None:
        info["torch_num_threads"] = torch.get_num_threads()
    info["XLA_FLAGS"] = os.environ.get("XLA_FLAGS", "")
    print("dualjit vs peers" + (" (--quick)" if args.quick else ""))
    print(f"machine: {info['cpu']} ({info['llvm_host_cpu']}), {info['logical_cpus']} logical CPUs, "
          f"SIMD {'/'.join(info['simd'])}")
    print(f"python {info['python']}, numba {info['numba']}, numpy {info['numpy']}, dualjit "
          f"{info['dualjit']}; JAX {info['jax'] or 'not installed'}, PyTorch "
          f"{info['torch'] or 'not installed'}, sympy {info['sympy'] or 'not installed'}; "
          f"peer threads: {cfg['threads']}")
    for k, v in SKIPPED.items():
        print(f"SKIPPED {k}: {v}")
    try:
        info["loadavg_start"] = os.getloadavg()[0]
        print(f"load average at start: {info['loadavg_start']:.2f}")
    except OSError:
        pass
    sys.stdout.flush()
    if "1" in sections:
        section_scalar(cfg)
    if "2" in sections:
        section_gradient(cfg)
    if "3" in sections:
        section_jacobian(cfg)
    if "4" in sections:
        section_hessian(cfg)

    total = time.perf_counter() - t_start
    cpu = time.process_time() - cpu_start
    if VERDICTS:
        print_table("Targets (issue #7)", ["section", "case", "implementation", "target", "measured",
                                           "verdict"],
                    [[v["section"], v["case"], v["impl"], f"≥ {v['target']}×", f"{v['ratio']:.2f}×",
                      v["verdict"]] for v in VERDICTS])
    if SKIPPED:
        print("\nSkipped peers (not installed): " + ", ".join(f"{k} ({v})" for k, v in SKIPPED.items()))
    try:
        info["loadavg_end"] = os.getloadavg()[0]
    except OSError:
        pass
    print(f"\ntotal time: {total:.0f} s wall, {cpu:.0f} s CPU in this process (all threads)")
    RESULTS.update({"machine": info, "config": cfg, "verdicts": VERDICTS, "skipped": SKIPPED,
                    "seconds": total, "cpu_seconds": cpu})
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(RESULTS, fh, indent=1, default=float)
        print(f"JSON written to {args.json}")
    if args.plot:
        write_plot(args.plot)


if __name__ == "__main__":
    main()
