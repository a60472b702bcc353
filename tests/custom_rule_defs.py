"""Custom rules (dualjit.rule) shared by the tests; importable by name so worker
processes and `--import custom_rule_defs` can register them."""
import math

import mpmath as mp

import dualjit
from dualjit.rules import Enclosure


# --- logistic: value and derivatives share exp(-|x|); accurate in both tails -----------

def _logistic_derivatives(x):
    e = math.exp(-x) if x >= 0.0 else math.exp(x)
    p = 1.0 + e
    y = 1.0 / p if x >= 0.0 else e / p      # the primal's own expression, bit for bit
    d1 = e / (p * p)
    if x >= 0.0:
        return y, d1, e * math.expm1(-x) / (p * p * p)
    return y, d1, -(e * math.expm1(x)) / (p * p * p)


@dualjit.rule(derivatives=_logistic_derivatives, budget_first=4.0, budget_second=8.0,
              special_points=(0.0, 1e-300, 40.0, -40.0, 700.0, -700.0))
def logistic(x):
    # No abs(): the oracle derives the truth from this source, and abs is a kink at 0.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# --- the textbook rule: s' = s(1 - s), s'' = s'(1 - 2s) from the rounded s ------------

def _naive_derivatives(x):
    s = naive_logistic(x)
    d1 = s * (1.0 - s)
    return s, d1, d1 * (1.0 - 2.0 * s)


@dualjit.rule(derivatives=_naive_derivatives)
def naive_logistic(x):
    return 1.0 / (1.0 + math.exp(-x))


# --- binary, second partials, an analytic reference for the oracle ---------------------

def _hypot_derivatives(x, z):
    h = math.hypot(x, z)
    # Tiny arguments are scaled by 2**600 first: a subnormal h has lost its digits, and
    # x / h would inherit that error.
    s = 2.0 ** 600 if max(abs(x), abs(z)) < 2.0 ** -500 else 1.0
    hs = math.hypot(x * s, z * s)
    u, v = (x * s) / hs, (z * s) / hs
    # (v / hs) * v, not v * v / h: the square of a tiny ratio would underflow first; the
    # mixed partial divides the smaller ratio by h (u / h can overflow where v = 0).
    uv = -(u * (v / hs)) if abs(v) <= abs(u) else -((u / hs) * v)
    return h, u, v, (v / hs) * v * s, uv * s, (u / hs) * u * s


HYPOT_REFERENCE = (
    lambda x, z: mp.sqrt(x * x + z * z),
    (lambda x, z: x / mp.sqrt(x * x + z * z), lambda x, z: z / mp.sqrt(x * x + z * z)),
    (lambda x, z: z * z / mp.sqrt(x * x + z * z) ** 3,
     lambda x, z: -x * z / mp.sqrt(x * x + z * z) ** 3,
     lambda x, z: x * x / mp.sqrt(x * x + z * z) ** 3),
)


@dualjit.rule(derivatives=_hypot_derivatives, reference=HYPOT_REFERENCE,
              domain=(-1e100, 1e100), budget_first=2.0, budget_second=8.0,
              sample_ranges=((-10.0, 10.0), (-10.0, 10.0)))
def radius(x, z):
    return math.hypot(x, z)


# --- first derivatives only --------------------------------------------------------------

def _softsign_derivatives(x):
    p = 1.0 + abs(x)
    d1 = 1.0 / (p * p) if p < 1e150 else (1.0 / p) / p    # p * p overflows beyond 1e154
    return x / p, d1


@dualjit.rule(derivatives=_softsign_derivatives, budget_first=3.0)
def softsign(x):
    return x / (1.0 + abs(x))


# --- a bounded domain ------------------------------------------------------------------

def _arcsine_law_derivatives(p):
    g = p * (1.0 - p)
    y = 1.0 / (math.pi * math.sqrt(g))
    c = p - 0.5
    return y, y * c / g, (y / g) * (1.0 + 3.0 * c * c / g)


@dualjit.rule(derivatives=_arcsine_law_derivatives, domain=(0.0, 1.0), budget_first=4.0,
              budget_second=8.0)
def arcsine_density(p):
    return 1.0 / (math.pi * math.sqrt(p * (1.0 - p)))


# --- an interval extension given by the user ---------------------------------------------

def _wide_first(X, Y):
    # logistic' lies in [0, 1/4] everywhere: valid, and recognisable in tests
    return dualjit.Interval(0.0, 0.25)


def _wide_second(X, Y, F1):
    return dualjit.Interval(-0.1, 0.1)   # |logistic''| <= 1/(6 sqrt 3) < 0.0963


LOGISTIC_ENCLOSURE = Enclosure(
    primal=lambda X: 1.0 / (1.0 + math.exp(-X)),
    first=_wide_first, second=_wide_second,
    justification="bounds of logistic' and logistic'' over the reals")


@dualjit.rule(derivatives=_logistic_derivatives, enclosure=LOGISTIC_ENCLOSURE,
              name="logistic_enclosed")
def logistic_enclosed(x):
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
