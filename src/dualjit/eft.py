"""Error-free transformations of float64 sums and products: the bottom layer shared by
the rule formulas' double-double arithmetic (:mod:`dualjit.rules.fp`) and the interval
algebra's tight rounding (:mod:`dualjit.types.interval`). Plain Python that Numba
compiles unchanged."""

_SPLITTER = 134217729.0  # 2**27 + 1, Veltkamp splitting constant for float64


def two_sum(a, b):
    """s + e == a + b exactly, with s = fl(a + b) (Knuth); any finite a, b unless a + b
    overflows."""
    s = a + b
    bb = s - a
    e = (a - (s - bb)) + (b - bb)
    return s, e


def fast_two_sum(a, b):
    """s + e == a + b exactly, with s = fl(a + b) (Dekker), provided |a| >= |b| (or
    a == 0); 3 flops instead of two_sum's 6."""
    s = a + b
    return s, b - (s - a)


def two_prod(a, b):
    """p + e == a * b exactly, with p = fl(a * b) (Dekker; no fma needed).

    Exact for |a|, |b| < 2**996 (the Veltkamp splitting overflows beyond) and
    2**-969 <= |a*b| < 2**1023; below, the low part underflows and e is only rounded.
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
