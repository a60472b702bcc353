"""The one place that registers dualjit with Numba (types, operators, rules, arrays)."""
from . import operators, partials, rules, types  # noqa: F401  (registration side effects)
from .types import DualType, HyperDualType, NumberType

__all__ = ["DualType", "HyperDualType", "NumberType"]
