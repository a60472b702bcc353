"""Error-free transformations and small float64 building blocks for rule formulas.

Plain Python so the rule table runs anywhere (CPython, the CUDA simulator); the
``scalar_kernel`` mark makes each helper callable from compiled rule code too.
"""
import math

from .schema import scalar_kernel

_SPLITTER = 134217729.0  # 2**27 + 1, Veltkamp splitting constant for float64


@scalar_kernel
def two_sum(a, b):
    """s + e == a + b exactly, with s = fl(a + b) (Knuth)."""
    s = a + b
    bb = s - a
    e = (a - (s - bb)) + (b - bb)
    return s, e


@scalar_kernel
def two_prod(a, b):
    """p + e == a * b exactly, with p = fl(a * b) (Dekker; no fma needed).

    Exact unless a*b overflows or the low part underflows: callers keep arguments
    in range (|a*b| < 2**996) or accept the rounded product.
    """
    p = a * b
    t = _SPLITTER * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLITTER * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


@scalar_kernel
def exp_neg_square(x):
    """exp(-x*x) without the error of rounding x*x first (about 1 ulp for all x).

    exp(-(h + l)) = exp(-h) * exp(-l) ~= exp(-h) * (1 - l) where x*x = h + l exactly.
    """
    if not (abs(x) < 1.0e150):
        return math.exp(-x * x)
    h, l = two_prod(x, x)
    e = math.exp(-h)
    return e - e * l
