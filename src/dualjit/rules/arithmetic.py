"""+, -, *, / and unary minus. The number types implement these in their algebra; the
rows document the derivatives and put the operations under the same tests and oracle."""
import operator

import mpmath as mp

from ..types import interval as I
from .enclosures import interval_kernel
from .schema import Domain, Enclosure, Rule

ONE = lambda *a: mp.mpf(1)  # noqa: E731
ZERO = lambda *a: mp.mpf(0)  # noqa: E731
BOTH = ((-1e3, 1e3), (-1e3, 1e3))


# --- interval enclosures: the primal is the interval algebra itself (correctly rounded
# +, -, *, / widened outward by one rounding, see dualjit.types.interval); the partials
# are constants or the algebra applied to the arguments.

@interval_kernel
def _ione():
    return I.make(1.0, 1.0)


@interval_kernel
def _izero():
    return I.make(0.0, 0.0)


@interval_kernel
def _add_first(x, z, y):
    return _ione(), _ione()


@interval_kernel
def _sub_first(x, z, y):
    return _ione(), I.make(-1.0, -1.0)


@interval_kernel
def _zero3(x, z, y, fx, fz):
    return _izero(), _izero(), _izero()


@interval_kernel
def _mul_first(x, z, y):
    return z, x


@interval_kernel
def _mul_second(x, z, y, fx, fz):
    return _izero(), _ione(), _izero()


@interval_kernel
def _div_first(x, z, y):
    """1/z and -x/z**2 = -(x/z)/z (y encloses x/z for every x in X, z in Z)."""
    return I.div(_ione(), z), I.neg(I.div(y, z))


@interval_kernel
def _div_second(x, z, y, fx, fz):
    """0, -1/z**2, 2x/z**3 = 2 (x/z) / z**2."""
    z2 = I.sqr(z)
    return _izero(), I.neg(I.div(_ione(), z2)), I.div(I.mul(I.make(2.0, 2.0), y), z2)


@interval_kernel
def _neg_first(x, y):
    return I.make(-1.0, -1.0)


@interval_kernel
def _neg_second(x, y, f1):
    return _izero()


_ALGEBRA = ("Correctly rounded IEEE operation: 0 ulps (the interval algebra widens each "
            "bound by one rounding, Rump et al. 2009); certified primal error {} ulp.")

ADD_ENCLOSURE = Enclosure(I.add, _add_first, _zero3, 0.0, _ALGEBRA.format("0.5"))
SUB_ENCLOSURE = Enclosure(I.sub, _sub_first, _zero3, 0.0, _ALGEBRA.format("0.5"))
MUL_ENCLOSURE = Enclosure(I.mul, _mul_first, _mul_second, 0.0, _ALGEBRA.format("0.497"))
DIV_ENCLOSURE = Enclosure(I.div, _div_first, _div_second, 0.0, _ALGEBRA.format("0.5"))
NEG_ENCLOSURE = Enclosure(I.neg, _neg_first, _neg_second, 0.0, "Exact (sign flip).")

RULES = (
    Rule(
        name="add", arity=2, algebra=True,
        primal=operator.add, targets=(operator.add, operator.iadd),
        first=lambda x, z, y: (1.0, 1.0),
        second=lambda x, z, y, fx, fz: (0.0, 0.0, 0.0),
        reference=(lambda x, z: x + z, (ONE, ONE), (ZERO, ZERO, ZERO)),
        sample_ranges=BOTH,
        enclosure=ADD_ENCLOSURE,
        notes="Partials add exactly as the value does.",
    ),
    Rule(
        name="sub", arity=2, algebra=True,
        primal=operator.sub, targets=(operator.sub, operator.isub),
        first=lambda x, z, y: (1.0, -1.0),
        second=lambda x, z, y, fx, fz: (0.0, 0.0, 0.0),
        reference=(lambda x, z: x - z, (ONE, lambda x, z: mp.mpf(-1)), (ZERO, ZERO, ZERO)),
        sample_ranges=BOTH,
        enclosure=SUB_ENCLOSURE,
        notes="Partials subtract exactly as the value does.",
    ),
    Rule(
        name="mul", arity=2, algebra=True,
        primal=operator.mul, targets=(operator.mul, operator.imul),
        first=lambda x, z, y: (z, x),
        second=lambda x, z, y, fx, fz: (0.0, 1.0, 0.0),
        reference=(lambda x, z: x * z, (lambda x, z: z, lambda x, z: x), (ZERO, ONE, ZERO)),
        sample_ranges=BOTH,
        enclosure=MUL_ENCLOSURE,
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
        enclosure=DIV_ENCLOSURE,
        notes="q' = (x' - q z')/z, dividing last: one rounding more than the exact "
              "quotient rule, and the value is exactly x/z. Second order from x = q z.",
    ),
    Rule(
        name="neg", arity=1, algebra=True,
        primal=operator.neg, targets=(operator.neg,),
        first=lambda x, y: -1.0,
        second=lambda x, y, d1: 0.0,
        reference=(lambda x: -x, lambda x: mp.mpf(-1), ZERO),
        enclosure=NEG_ENCLOSURE,
        notes="Exact.",
    ),
)
