"""The rule table: one row per elementary function (see :mod:`dualjit.rules.schema`).

Overloads, tests, sampling, the oracle's coverage and the docs all iterate over
:data:`RULES`. Adding a function means adding a row to one of the modules below.
"""
from . import arithmetic, elementary, numerics, piecewise, special
from .schema import SCALAR_KERNELS, Domain, Enclosure, Kink, Rule, scalar_kernel

RULES: tuple = (
    arithmetic.RULES + elementary.RULES + special.RULES + numerics.RULES + piecewise.RULES
)
RULES_BY_NAME: dict = {r.name: r for r in RULES}
if len(RULES_BY_NAME) != len(RULES):
    raise RuntimeError("duplicate rule names in the rule table")

__all__ = ["RULES", "RULES_BY_NAME", "Rule", "Kink", "Domain", "Enclosure", "scalar_kernel",
           "SCALAR_KERNELS"]
