"""Test functions with known derivatives, compiled once and shared by the API tests."""
import math

import mpmath as mp
import numba
import numpy as np

import dualjit


@numba.njit(error_model="numpy", cache=True)
def fike(x):
    """The Fike–Alonso hyper-dual test function."""
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


def fike_reference(x):
    """(f, f', f'') at the float x in exact analysis, evaluated with mpmath at 300 bits.

    ln f = x - ln(g)/2 with g = sin³ + cos³, so f' = f h with h = 1 - g'/(2g) and
    f'' = f (h² + h'), h' = -(g'' g - g'²)/(2 g²).
    """
    with mp.workprec(300):
        x = mp.mpf(x)
        s, c = mp.sin(x), mp.cos(x)
        g = s**3 + c**3
        g1 = 3 * s**2 * c - 3 * c**2 * s
        g2 = 6 * s * c**2 - 3 * s**3 + 6 * c * s**2 - 3 * c**3
        f = mp.exp(x) / mp.sqrt(g)
        h = 1 - g1 / (2 * g)
        h1 = -(g2 * g - g1**2) / (2 * g**2)
        return f, f * h, f * (h**2 + h1)


@numba.njit(error_model="numpy", cache=True)
def rosenbrock(x):
    s = 0.0
    for i in range(len(x) - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


def rosenbrock_gradient(x):
    g = np.zeros_like(x)
    for i in range(len(x) - 1):
        g[i] += -400.0 * x[i] * (x[i + 1] - x[i] ** 2) - 2.0 * (1.0 - x[i])
        g[i + 1] += 200.0 * (x[i + 1] - x[i] ** 2)
    return g


def rosenbrock_hessian(x):
    n = len(x)
    H = np.zeros((n, n))
    for i in range(n - 1):
        H[i, i] += 1200.0 * x[i] ** 2 - 400.0 * x[i + 1] + 2.0
        H[i + 1, i + 1] += 200.0
        H[i, i + 1] = H[i + 1, i] = -400.0 * x[i]
    return H


@numba.njit(error_model="numpy", cache=True)
def quadratic_form(x, A):
    s = 0.0
    for i in range(len(x)):
        for j in range(len(x)):
            s += x[i] * A[i, j] * x[j]
    return s


@numba.njit(error_model="numpy", cache=True)
def lorenz(u):
    out = dualjit.empty_like(u)
    out[0] = 10.0 * (u[1] - u[0])
    out[1] = u[0] * (28.0 - u[2]) - u[1]
    out[2] = u[0] * u[1] - 8.0 / 3.0 * u[2]
    return out


def lorenz_jacobian(u):
    return np.array([[-10.0, 10.0, 0.0],
                     [28.0 - u[2], -1.0, -u[0]],
                     [u[1], u[0], -8.0 / 3.0]])
