"""The implementations that benchmarks/bench_peers.py times compute the right thing.

Each hand-written derivative, finite difference, ODE right-hand side and JAX / PyTorch /
sympy implementation is compared with dualjit on a few points, so the benchmark cannot
silently time wrong code. Nothing here is timed. Peers that are not installed are skipped.
"""
import math
import os
import sys

import numpy as np
import pytest

import dualjit

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks"))
import bench_peers as bp  # noqa: E402

X_FIKE = np.linspace(0.05, 1.45, 29)


def _close(a, b, tol):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape
    scale = np.maximum(1.0, np.abs(b))
    err = float(np.max(np.abs(a - b) / scale))
    assert err <= tol, err


def _dualjit_fike(order):
    n = X_FIKE.size
    v, d, d2 = np.empty(n), np.empty(n), np.empty(n)
    if order == 1:
        bp.dual_loop(X_FIKE, v, d)
        return v, d
    bp.hyperdual_loop(X_FIKE, v, d, d2)
    return v, d, d2


def test_fike_loops_agree_with_the_scalar_verbs():
    v, d = _dualjit_fike(1)
    _, _, d2 = _dualjit_fike(2)
    for i in (0, 7, 28):
        assert d[i] == pytest.approx(dualjit.derivative(bp.fike, X_FIKE[i]), rel=1e-15)
        assert d2[i] == pytest.approx(dualjit.second_derivative(bp.fike, X_FIKE[i]), rel=1e-14)
    p = np.empty(X_FIKE.size)
    bp.primal_loop(X_FIKE, p)
    assert np.array_equal(p, v)


@pytest.mark.parametrize("order,tol_hand,tol_fd", [(1, 1e-13, 1e-7), (2, 1e-12, 1e-5)])
def test_fike_hand_written_and_finite_differences(order, tol_hand, tol_fd):
    ref = _dualjit_fike(order)
    n = X_FIKE.size
    bufs = [np.empty(n) for _ in range(order + 1)]
    (bp.fike_hand_d1 if order == 1 else bp.fike_hand_d2)(X_FIKE, *bufs)
    for a, b in zip(bufs, ref):
        _close(a, b, tol_hand)
    (bp.fike_fd_d1 if order == 1 else bp.fike_fd_d2)(X_FIKE, *bufs)
    for a, b in zip(bufs, ref):
        _close(a, b, tol_fd)


@pytest.mark.parametrize("n", [2, 9])
def test_rosenbrock_gradient_and_hessian(n):
    x = bp.rosen_point(n)
    g = dualjit.gradient(bp.rosenbrock, x)
    _close(bp.rosen_grad_hand(x), g, 1e-13)
    _close(bp.FD_GRADIENT(x), g, 1e-6)
    H = dualjit.hessian(bp.rosenbrock, x)
    _close(bp.rosen_hess_hand(x), H, 1e-13)
    _close(bp.FD_HESSIAN(x), H, 1e-6)
    X = bp.rosen_batch(n, 3)
    _close(bp.gradient_batch(bp.rosenbrock, X), np.stack([dualjit.gradient(bp.rosenbrock, r) for r in X]), 1e-15)
    _close(bp.hessian_batch(bp.rosenbrock, X), np.stack([dualjit.hessian(bp.rosenbrock, r) for r in X]), 1e-15)


def test_ode_right_hand_sides_and_jacobians():
    y = bp.robertson_point()
    k1, k2, k3 = bp.ROB_K
    f = bp.robertson(y)
    assert f[0] == pytest.approx(-k1 * y[0] + k2 * y[1] * y[2], rel=1e-15)
    assert f[2] == pytest.approx(k3 * y[1] ** 2, rel=1e-15)
    assert abs(f.sum()) <= 1e-12 * np.abs(f).max()       # mass is conserved
    J = dualjit.jacobian(bp.robertson, y)
    _close(bp.robertson_jac_hand(y), J, 1e-14)
    _close(bp.FD_JAC_ROBERTSON(y), J, 1e-3)

    n = 8
    u = bp.rd_point(n)
    r = bp.reaction_diffusion(u)
    c = bp.RD_D * (n + 1.0) ** 2
    i = 3
    react = bp.RD_LAM * (1 - u[i]) * math.exp(-bp.RD_E / (1 + u[i]))
    assert r[i] == pytest.approx(c * (u[i - 1] - 2 * u[i] + u[i + 1]) + react, rel=1e-13)
    assert r[0] == pytest.approx(c * (-2 * u[0] + u[1]) + bp.RD_LAM * (1 - u[0]) * math.exp(-bp.RD_E / (1 + u[0])),
                                 rel=1e-13)
    J = dualjit.jacobian(bp.reaction_diffusion, u)
    _close(bp.rd_jac_hand(u), J, 1e-13)
    _close(bp.FD_JAC_RD(u), J, 1e-6)


def test_check_error_catches_wrong_results():
    a = np.arange(4.0)
    assert bp.check_error(a, a) == 0.0
    assert bp.check_error(a[:3], a) == math.inf
    assert bp.check_error(a + 1e-3, a) > 1e-4
    assert bp.check_error((a, 2 * a), [a, 2 * a + 1]) > 0.1


# ---- peers -------------------------------------------------------------------------------

def test_jax_implementations():
    pytest.importorskip("jax")
    jax = bp.load_jax("default")
    if jax is None:
        pytest.skip(bp.SKIPPED.get("jax", "jax unusable"))
    P = bp.jax_problems(jax)
    j1, j2 = bp.jax_scalar(jax)
    v, d = _dualjit_fike(1)
    _close(np.asarray(j1(X_FIKE)[1]), d, 1e-13)
    _close(np.asarray(j1(X_FIKE)[0]), v, 1e-15)
    _close(np.asarray(j2(X_FIKE)[2]), _dualjit_fike(2)[2], 1e-12)
    x = bp.rosen_point(7)
    assert float(P["rosenbrock"](x)) == pytest.approx(bp.rosenbrock(x), rel=1e-14)
    g = dualjit.gradient(bp.rosenbrock, x)
    _close(np.asarray(jax.jit(jax.jacfwd(P["rosenbrock"]))(x)), g, 1e-13)
    _close(np.asarray(jax.jit(jax.grad(P["rosenbrock"]))(x)), g, 1e-13)
    _close(np.asarray(jax.jit(jax.hessian(P["rosenbrock"]))(x)), dualjit.hessian(bp.rosenbrock, x), 1e-13)
    X = bp.rosen_batch(7, 3)
    _close(np.asarray(jax.vmap(jax.jacfwd(P["rosenbrock"]))(X)),
           np.stack([dualjit.gradient(bp.rosenbrock, r) for r in X]), 1e-13)
    y = bp.robertson_point()
    _close(np.asarray(P["robertson"](y)), bp.robertson(y), 1e-15)
    _close(np.asarray(jax.jacfwd(P["robertson"])(y)), dualjit.jacobian(bp.robertson, y), 1e-14)
    u = bp.rd_point(8)
    _close(np.asarray(P["rd"](u)), bp.reaction_diffusion(u), 1e-13)
    _close(np.asarray(jax.jacfwd(P["rd"])(u)), dualjit.jacobian(bp.reaction_diffusion, u), 1e-13)


def test_torch_implementations():
    torch = pytest.importorskip("torch")
    from torch.func import grad, hessian, jacfwd, vmap
    P = bp.torch_problems(torch)
    t1, t2 = bp.torch_scalar(torch)
    xt = torch.from_numpy(X_FIKE)
    v, d = _dualjit_fike(1)
    _close(t1(xt)[1].numpy(), d, 1e-13)
    _close(t1(xt)[0].numpy(), v, 1e-15)
    _close(t2(xt)[2].numpy(), _dualjit_fike(2)[2], 1e-12)
    x = bp.rosen_point(7)
    xt = torch.from_numpy(x)
    assert float(P["rosenbrock"](xt)) == pytest.approx(bp.rosenbrock(x), rel=1e-14)
    g = dualjit.gradient(bp.rosenbrock, x)
    _close(jacfwd(P["rosenbrock"])(xt).numpy(), g, 1e-13)
    _close(grad(P["rosenbrock"])(xt).numpy(), g, 1e-13)
    _close(hessian(P["rosenbrock"])(xt).numpy(), dualjit.hessian(bp.rosenbrock, x), 1e-13)
    X = bp.rosen_batch(7, 3)
    _close(vmap(jacfwd(P["rosenbrock"]))(torch.from_numpy(X)).numpy(),
           np.stack([dualjit.gradient(bp.rosenbrock, r) for r in X]), 1e-13)
    y = bp.robertson_point()
    _close(jacfwd(P["robertson"])(torch.from_numpy(y)).numpy(), dualjit.jacobian(bp.robertson, y), 1e-14)
    u = bp.rd_point(8)
    _close(P["rd"](torch.from_numpy(u)).numpy(), bp.reaction_diffusion(u), 1e-13)
    _close(jacfwd(P["rd"])(torch.from_numpy(u)).numpy(), dualjit.jacobian(bp.reaction_diffusion, u), 1e-13)


def test_sympy_implementations():
    sympy = pytest.importorskip("sympy")
    s1, s2 = bp.sympy_scalar(sympy)
    v, d = _dualjit_fike(1)
    _close(s1(X_FIKE)[1], d, 1e-13)
    _close(s2(X_FIKE)[2], _dualjit_fike(2)[2], 1e-12)
    x = bp.rosen_point(5)
    _close(bp.sympy_rosenbrock(sympy, 5, 1)(x), dualjit.gradient(bp.rosenbrock, x), 1e-13)
    _close(bp.sympy_rosenbrock(sympy, 5, 2)(x), dualjit.hessian(bp.rosenbrock, x), 1e-13)
    y = bp.robertson_point()
    _close(bp.sympy_jacobian(sympy, "robertson", 3)(y), dualjit.jacobian(bp.robertson, y), 1e-14)
    u = bp.rd_point(8)
    _close(bp.sympy_jacobian(sympy, "rd", 8)(u), dualjit.jacobian(bp.reaction_diffusion, u), 1e-13)
