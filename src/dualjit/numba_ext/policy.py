"""JIT policy for everything dualjit compiles: one place, one set of options.

``error_model='numpy'``: the default 'python' model inserts a division-by-zero check
that raises, which pulls NRT calls into the user's loop and blocks vectorization; NaN
and inf must propagate as in NumPy instead.
"""
import numba

JIT_OPTIONS = {"error_model": "numpy"}


def jit(fn):
    """Compile a dualjit helper with the library's options (lazily, per signature)."""
    return numba.njit(**JIT_OPTIONS)(fn)


_JITABLE: set = set()


def jitable_once(fn):
    """Make a plain-Python helper callable from compiled code (once, however many rule
    rows share it)."""
    from numba.extending import register_jitable
    if id(fn) not in _JITABLE:
        _JITABLE.add(id(fn))
        register_jitable(**JIT_OPTIONS)(fn)
    return fn
