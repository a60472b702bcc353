"""dualjit: exact forward-mode derivatives of Numba code, with certified accuracy."""
from . import numba_ext as _numba_ext  # noqa: F401  (registers the types with Numba)
from .types import Dual, HyperDual

__all__ = ["Dual", "HyperDual"]
