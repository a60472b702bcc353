"""Error budgets for whole programs: a first-order running error bound, computed by
the oracle side (mpmath) from the program's SSA form and the rule table's budgets.

The formula
-----------
Let u = 2**-53. Every statement n of a program computes a value a_n, first partials
b_n[j] (one per input variable) and second partials d_n[j,k]. The engine's float
versions differ from the exact ones (which mpmath evaluates along the same code); to
first order those errors are bounded by u·A_n, u·B_n[j] and u·D_n[j,k], where A, B, D
are propagated statement by statement, for g(u, v) with exact partials g_u, g_v,
g_uu, g_uv, g_vv and third partials g_uuu ... at the exact arguments, and with the
rule's certified budgets β1 (f'), β2 (f'') in ulps (one ulp ≤ 2u relative):

* variables and constants: A = B = D = 0 (seeds and literals are exact);
* A_n = |g_u| A_u + |g_v| A_v + 2|a_n|                          (value rounding)
* B_n = |g_u| B_u + |g_v| B_v                                   (propagated)
  + (|g_uu| A_u + |g_uv| A_v) |b_u| + (|g_uv| A_u + |g_vv| A_v) |b_v|   (f' at a rounded argument)
  + (2β1 + 2) (|g_u b_u| + |g_v b_v|)                            (the rule's f' and the products)
* D_n = the same for d = g_u d_u + g_v d_v + g_uu b_u b_u + 2 g_uv b_u b_v + g_vv b_v b_v:
  propagated D, the partials' argument errors (second and third partials times A),
  the first partials' errors (|g_..| |b| B), 2β1 on the g_u d terms, 2β2 on the
  second-partial terms and 4u for the products and sums.

Unary statements are the same with v absent; + - * / and x**n have exact closed-form
partials (their β are the table's algebra rows: 2 and 4); for the other rules the
first two partials are the rule's mpmath references and the third is mpmath's
numerical derivative of the second (the A terms are first order, so its accuracy is
immaterial). The predicted error of the program's f' in ulps is then at most
B/|f'| (because ulp(y) ≥ u|y|), and the **budget** of one point is

    budget' = C · B / |f'_true|,    budget'' = C · D / |f''_true|,    C = 2,

(f'_true, f''_true from :func:`dualjit.certify_function`). Without cancellation this
is about C·Σ_nodes (2β+2)·(amplification), i.e. the sum of the rules' certified
budgets scaled by the conditioning, so ``kappa = B / (|f'| · Σ(2β1 + 2))`` is reported
as the derivative's condition number. A point whose budget exceeds
:data:`ILL_CONDITIONED` ulps (2**20: more than 20 bits lost to cancellation) is
counted as *ill-conditioned, skipped*, not scored. A point where some statement's
exact value or partial leaves the normal double range (overflow, or a nonzero
magnitude below 2**-1022) is counted as *out of range, skipped*: the float program
over/underflows there and the first-order model does not apply.

For the symmetry/linearity properties only the rounding of the derivative parts
matters (both sides share the same float values): the absolute-value evaluations
Gabs[j] (|g_u| Gabs_u + |g_v| Gabs_v) and Habs[j,k] (every term of d in absolute
value) bound those sums' condition, and the tolerance is C · u · (statements) · Gabs
(resp. Habs).
"""
from __future__ import annotations

import math

import mpmath as mp

from .space import Program, rule_by_name

__all__ = ["ProgramBounds", "program_bounds", "C_BUDGET", "ILL_CONDITIONED", "U",
           "ALGEBRA_BETA"]

C_BUDGET = 2.0
ILL_CONDITIONED = 2.0 ** 20
U = 2.0 ** -53
MIN_NORMAL = 2.0 ** -1022
MAX_FLOAT = 1.7976931348623157e308
ALGEBRA_BETA = (2.0, 4.0)
PREC = 160


class Undefined(ValueError):
    """Some statement's value does not exist at this point (outside a domain).
    ``out_of_range``: an earlier statement already left the double range (so the float
    program overflowed before reaching the domain error)."""

    out_of_range = False


def _real(r) -> mp.mpf:
    if isinstance(r, mp.mpc):
        if r.imag != 0:
            raise Undefined("complex result")
        r = r.real
    r = mp.mpf(r)
    if not mp.isfinite(r):
        raise Undefined("non-finite result")
    return r


class ProgramBounds:
    """Exact a, b, d of every output plus the bound coefficients (mpf), see the module
    docstring. ``out_of_range``: some statement left the normal double range.
    ``beta_sum``: Σ (2β1 + 2) over the statements (for kappa)."""

    def __init__(self, outputs, out_of_range, beta_sum, nodes, partials_out_of_range=False):
        self.outputs = outputs          # list of dicts per output
        self.out_of_range = out_of_range
        # Some rule's exact partial (f', f'') is outside the normal range: no float
        # implementation can carry it, the ulp budget does not apply (but a NaN where
        # the truth is finite is still a failure).
        self.partials_out_of_range = partials_out_of_range
        self.beta_sum = beta_sum
        self.nodes = nodes

    def first_budget(self, true_first: float, out=0, j=0) -> float:
        """C·B/|f'| in ulps (inf when f' == 0 but B > 0; 0 when both are 0)."""
        B = self.outputs[out]["B"][j]
        if true_first == 0 or not math.isfinite(true_first):
            return 0.0 if B == 0 else math.inf
        return float(C_BUDGET * B / abs(mp.mpf(true_first)))

    def second_budget(self, true_second: float, out=0, j=0, k=0) -> float:
        D = self.outputs[out]["D"][j][k]
        if true_second == 0 or not math.isfinite(true_second):
            return 0.0 if D == 0 else math.inf
        return float(C_BUDGET * D / abs(mp.mpf(true_second)))

    def kappa(self, true_first: float, out=0, j=0) -> float:
        B = self.outputs[out]["B"][j]
        if self.beta_sum == 0:
            return 0.0
        if true_first == 0:
            return math.inf if B else 0.0
        return float(B / (abs(mp.mpf(true_first)) * self.beta_sum))

    def gabs(self, out=0):
        return [float(v) for v in self.outputs[out]["G"]]

    def habs(self, out=0):
        return [[float(v) for v in row] for row in self.outputs[out]["H"]]


#: Working precision for references derived from a custom rule's source: re-executing
#: the primal can cancel (logistic'' = s'(1 - 2s) near 0 loses ~log2(1/|x|) bits), which
#: the analytic references of the table's rows never do.
DERIVED_PREC = 1200


def _unary_partials(rule, a, c=None):
    """(value, (f1,), (f2,), (f3,)) of a unary rule (or a binary one with constant c)."""
    from ..api.rule import custom_rule_of
    custom = custom_rule_of(rule.targets[0]) if rule.targets else None
    if custom is not None and custom.reference_derived:
        with mp.workprec(max(mp.mp.prec, DERIVED_PREC)):
            v, g1, g2, g3 = _partials(rule.reference, a, c)
        return +v, +g1, +g2, +g3
    return _partials(rule.reference, a, c)


def _partials(ref, a, c):
    if c is None:
        f, f1, f2 = ref
    else:
        cc = mp.mpf(c)
        f = (lambda t, r=ref[0]: r(t, cc))
        f1 = (lambda t, r=ref[1][0]: r(t, cc))
        f2 = (lambda t, r=ref[2][0]: r(t, cc))
    try:
        v = _real(f(a))
        g1 = _real(f1(a))
        g2 = _real(f2(a))
    except (ValueError, ZeroDivisionError, TypeError) as e:
        raise Undefined(str(e)) from e
    try:
        g3 = abs(_real(mp.diff(lambda t: _real(f2(t)), a)))
    except Exception:  # noqa: BLE001 - a kink or an edge: the first-order term is unknown
        g3 = mp.inf
    return v, g1, g2, g3


def program_bounds(program: Program, x) -> ProgramBounds:
    """The exact values/partials and bound coefficients of ``program`` at ``x`` (a
    tuple of floats, one per variable). Raises :class:`Undefined` where a statement
    has no real value."""
    n = max(program.nvars, 1)
    Z = mp.mpf(0)
    with mp.workprec(PREC):
        st = []       # per statement: dict a, A, b[n], B[n], d[n][n], D[n][n], G[n], H[n][n]
        beta_sum = 0.0
        out_of_range = False
        partials_oor = False
        for op in program.ops:
            kind = op[0]
            if kind == "var":
                i = op[1]
                a = mp.mpf(x[i])
                b = [mp.mpf(1) if j == i else Z for j in range(n)]
                s = dict(a=a, A=Z, b=b, B=[Z] * n, d=[[Z] * n for _ in range(n)],
                         D=[[Z] * n for _ in range(n)], G=[abs(v) for v in b],
                         H=[[Z] * n for _ in range(n)])
                st.append(s)
                continue
            if kind == "const":
                st.append(dict(a=mp.mpf(op[1]), A=Z, b=[Z] * n, B=[Z] * n,
                               d=[[Z] * n for _ in range(n)], D=[[Z] * n for _ in range(n)],
                               G=[Z] * n, H=[[Z] * n for _ in range(n)]))
                continue
            # partials: g, first (gu, gv), second (guu, guv, gvv), third (guuu, guuv, guvv, gvvv)
            if kind in ("un", "binc", "neg", "ipow"):
                u = st[op[3] if kind in ("un", "binc") else op[1]]
                args = [u]
                au = u["a"]
                if kind == "neg":
                    g, g1, g2, g3 = -au, mp.mpf(-1), Z, Z
                    beta = ALGEBRA_BETA
                elif kind == "ipow":
                    m = op[2]
                    g, g1 = au ** m, m * au ** (m - 1)
                    g2 = m * (m - 1) * au ** (m - 2) if m >= 2 else Z
                    g3 = abs(m * (m - 1) * (m - 2) * au ** (m - 3)) if m >= 3 else Z
                    beta = ALGEBRA_BETA
                else:
                    rule = rule_by_name(op[1])
                    try:
                        g, g1, g2, g3 = _unary_partials(rule, au,
                                                        op[4] if kind == "binc" else None)
                    except Undefined as e:
                        e.out_of_range = out_of_range
                        raise
                    beta = (rule.budget_first, rule.budget_second)
                first, second, third = (g1,), (g2,), (g3,)
            else:   # bin
                sym = op[1]
                u, v = st[op[2]], st[op[3]]
                args = [u, v]
                au, av = u["a"], v["a"]
                beta = ALGEBRA_BETA
                if sym == "+":
                    g, first, second, third = au + av, (1, 1), (Z, Z, Z), (Z, Z, Z, Z)
                elif sym == "-":
                    g, first, second, third = au - av, (1, -1), (Z, Z, Z), (Z, Z, Z, Z)
                elif sym == "*":
                    g, first, second, third = au * av, (av, au), (Z, 1, Z), (Z, Z, Z, Z)
                else:
                    if av == 0:
                        e = Undefined("division by zero")
                        e.out_of_range = out_of_range
                        raise e
                    g = au / av
                    first = (1 / av, -au / av ** 2)
                    second = (Z, -1 / av ** 2, 2 * au / av ** 3)
                    third = (Z, Z, 2 / av ** 3, -6 * au / av ** 4)
                first = tuple(mp.mpf(t) for t in first)
            beta_sum += 2 * beta[0] + 2
            for val in tuple(first) + tuple(second):
                if val != 0 and not (MIN_NORMAL <= abs(val) <= MAX_FLOAT):
                    partials_oor = True
            s = _combine(args, g, first, second, third, beta, n)
            for val in [s["a"]] + s["b"] + [t for row in s["d"] for t in row]:
                if val != 0 and not (MIN_NORMAL <= abs(val) <= MAX_FLOAT):
                    out_of_range = True
            st.append(s)
        outs = [st[o] for o in program.outputs]
    return ProgramBounds(outs, out_of_range, beta_sum, program.nodes, partials_oor)


def _combine(args, g, first, second, third, beta, n):
    """A, B, D, Gabs, Habs of one statement from its arguments (see the docstring)."""
    b1, b2 = beta
    u = args[0]
    v = args[1] if len(args) == 2 else None
    Z = mp.mpf(0)
    gu = first[0]
    gv = first[1] if v is not None else Z
    if v is None:
        guu, guv, gvv = second[0], Z, Z
        guuu, guuv, guvv, gvvv = third[0], Z, Z, Z
        v = dict(a=Z, A=Z, b=[Z] * n, B=[Z] * n, d=[[Z] * n for _ in range(n)],
                 D=[[Z] * n for _ in range(n)], G=[Z] * n, H=[[Z] * n for _ in range(n)])
    else:
        guu, guv, gvv = second
        guuu, guuv, guvv, gvvv = third
    Au, Av = u["A"], v["A"]
    a = mp.mpf(g)
    A = abs(gu) * Au + abs(gv) * Av + 2 * abs(a)

    def m(c, e):        # c·e with 0·inf = 0 (an unknown third partial times no error)
        return Z if e == 0 else abs(c) * e

    err_gu = m(guu, Au) + m(guv, Av)
    err_gv = m(guv, Au) + m(gvv, Av)
    err_guu = m(guuu, Au) + m(guuv, Av)
    err_guv = m(guuv, Au) + m(guvv, Av)
    err_gvv = m(guvv, Au) + m(gvvv, Av)
    bu, bv, Bu, Bv = u["b"], v["b"], u["B"], v["B"]
    b = [gu * bu[j] + gv * bv[j] for j in range(n)]
    B = [abs(gu) * Bu[j] + abs(gv) * Bv[j] + err_gu * abs(bu[j]) + err_gv * abs(bv[j])
         + (2 * b1 + 2) * (abs(gu * bu[j]) + abs(gv * bv[j])) for j in range(n)]
    G = [abs(gu) * u["G"][j] + abs(gv) * v["G"][j] for j in range(n)]
    d = [[Z] * n for _ in range(n)]
    D = [[Z] * n for _ in range(n)]
    H = [[Z] * n for _ in range(n)]
    for j in range(n):
        for k in range(n):
            T = (gu * u["d"][j][k], gv * v["d"][j][k], guu * bu[j] * bu[k],
                 guv * bu[j] * bv[k], guv * bv[j] * bu[k], gvv * bv[j] * bv[k])
            d[j][k] = sum(T, Z)
            D[j][k] = (abs(gu) * u["D"][j][k] + abs(gv) * v["D"][j][k]
                       + err_gu * abs(u["d"][j][k]) + err_gv * abs(v["d"][j][k])
                       + err_guu * abs(bu[j] * bu[k])
                       + err_guv * (abs(bu[j] * bv[k]) + abs(bv[j] * bu[k]))
                       + err_gvv * abs(bv[j] * bv[k])
                       + abs(guu) * (abs(bu[j]) * Bu[k] + abs(bu[k]) * Bu[j])
                       + abs(guv) * (abs(bu[j]) * Bv[k] + abs(bv[k]) * Bu[j]
                                     + abs(bv[j]) * Bu[k] + abs(bu[k]) * Bv[j])
                       + abs(gvv) * (abs(bv[j]) * Bv[k] + abs(bv[k]) * Bv[j])
                       + 2 * b1 * (abs(T[0]) + abs(T[1]))
                       + 2 * b2 * (abs(T[2]) + abs(T[3]) + abs(T[4]) + abs(T[5]))
                       + 4 * sum((abs(t) for t in T), Z))
            H[j][k] = (abs(gu) * u["H"][j][k] + abs(gv) * v["H"][j][k]
                       + abs(guu) * u["G"][j] * u["G"][k]
                       + abs(guv) * (u["G"][j] * v["G"][k] + v["G"][j] * u["G"][k])
                       + abs(gvv) * v["G"][j] * v["G"][k])
    return dict(a=a, A=A, b=b, B=B, d=d, D=D, G=G, H=H)
