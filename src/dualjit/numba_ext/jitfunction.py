"""A JitFunction is its dispatcher to Numba: usable from other njit code and passable to
compiled functions exactly like the ``numba.njit`` function it wraps."""
import numba
from numba.extending import typeof_impl

from ..api.jit import JitFunction


@typeof_impl.register(JitFunction)
def _typeof_jit_function(val, c):
    return numba.typeof(val.dispatcher)
