"""+, -, *, / and unary minus. The number types implement these in their algebra; the
rows document the derivatives and put the operations under the same tests and oracle."""
import operator

import mpmath as mp

from .schema import Domain, Rule

ONE = lambda *a: mp.mpf(1)  # noqa: E731
ZERO = lambda *a: mp.mpf(0)  # noqa: E731
BOTH = ((-1e3, 1e3), (-1e3, 1e3))

RULES = (
    Rule(
        name="add", arity=2, algebra=True,
        primal=operator.add, targets=(operator.add, operator.iadd),
        first=lambda x, z, y: (1.0, 1.0),
        second=lambda x, z, y, fx, fz: (0.0, 0.0, 0.0),
        reference=(lambda x, z: x + z, (ONE, ONE), (ZERO, ZERO, ZERO)),
        sample_ranges=BOTH,
        notes="Partials add exactly as the value does.",
    ),
    Rule(
        name="sub", arity=2, algebra=True,
        primal=operator.sub, targets=(operator.sub, operator.isub),
        first=lambda x, z, y: (1.0, -1.0),
        second=lambda x, z, y, fx, fz: (0.0, 0.0, 0.0),
        reference=(lambda x, z: x - z, (ONE, lambda x, z: mp.mpf(-1)), (ZERO, ZERO, ZERO)),
        sample_ranges=BOTH,
        notes="Partials subtract exactly as the value does.",
    ),
    Rule(
        name="mul", arity=2, algebra=True,
        primal=operator.mul, targets=(operator.mul, operator.imul),
        first=lambda x, z, y: (z, x),
        second=lambda x, z, y, fx, fz: (0.0, 1.0, 0.0),
        reference=(lambda x, z: x * z, (lambda x, z: z, lambda x, z: x), (ZERO, ONE, ZERO)),
        sample_ranges=BOTH,
        notes="Product rule x'z + xz': each partial is one product and one sum.",
    ),
    Rule(
        name="div", arity=2, algebra=True,
        primal=operator.truediv, targets=(operator.truediv, operator.itruediv),
        first=lambda x, z, y: (1.0 / z, -y / z),
        second=lambda x, z, y, fx, fz: (0.0, -fx / z, 2.0 * y / z / z),
        reference=(lambda x, z: x / z, (lambda x, z: 1 / z, lambda x, z: -x / z**2),
                   (ZERO, lambda x, z: -1 / z**2, lambda x, z: 2 * x / z**3)),
        domain=Domain(note="z != 0"),
        sample_ranges=BOTH,
        notes="q' = (x' - q z')/z, dividing last: one rounding more than the exact "
              "quotient rule, and the value is exactly x/z. Second order from x = q z.",
    ),
    Rule(
        name="neg", arity=1, algebra=True,
        primal=operator.neg, targets=(operator.neg,),
        first=lambda x, y: -1.0,
        second=lambda x, y, d1: 0.0,
        reference=(lambda x: -x, lambda x: mp.mpf(-1), ZERO),
        notes="Exact.",
    ),
)
