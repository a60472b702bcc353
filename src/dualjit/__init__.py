"""dualjit: exact forward-mode derivatives of Numba code, with certified accuracy.

Use the number types inside your own ``@numba.njit`` functions, or the verbs::

    import numba, math, dualjit

    @numba.njit
    def f(x):
        return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)

    dualjit.derivative(f, 1.5)
"""
from .types import Dual, HyperDual
from .types.interval import Interval
from .rules.numerics import logaddexp, log1mexp, logit, sigmoid, softplus, xlog1py, xlogy
from .api.arrays import empty, empty_like, zeros, zeros_like
from .api.derivative import derivative, second_derivative, value_and_derivative
from .api.gradient import gradient, value_and_gradient
from .api.jacobian import jacobian, jvp
from .api.hessian import hessian
from .api.enclose import Enclosures, enclose
from .api.jit import JitFunction, jit
from .api.rule import CustomRule, rule
from . import custom_rules  # noqa: F401  (custom rules by name)
from .rules import RULES
from .numba_ext import register as _register  # noqa: F401  (registers everything with Numba)
from .certify.function import FunctionCertificate, GradientCertificate, certify_function, certify_gradient

__version__ = "0.1.0"


def __getattr__(name):
    # Submodules with heavy imports load on first use: dualjit.cuda imports numba.cuda
    # (seconds), dualjit.testing the oracle's test helpers.
    if name in ("cuda", "testing"):
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dualjit' has no attribute {name!r}")


def supported_functions() -> dict:
    """{rule name: the callables dualjit differentiates with it}: the rule table and the
    custom rules registered with :func:`rule`."""
    from .api.rule import CUSTOM_RULES
    out = {r.name: r.qualified_targets for r in RULES}
    out.update({name: (f"{c.__module__}.{c.__qualname__}",) for name, c in CUSTOM_RULES.items()})
    return out


__all__ = [
    "jit", "JitFunction", "rule", "CustomRule", "Dual", "HyperDual", "Interval", "enclose", "Enclosures",
    "derivative", "second_derivative", "value_and_derivative",
    "gradient", "value_and_gradient", "jacobian", "jvp", "hessian",
    "empty", "empty_like", "zeros", "zeros_like",
    "sigmoid", "logit", "softplus", "logaddexp", "xlogy", "xlog1py", "log1mexp",
    "certify_function", "certify_gradient", "FunctionCertificate", "GradientCertificate",
    "supported_functions",
]
