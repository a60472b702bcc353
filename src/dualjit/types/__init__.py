"""Number types: each supplies its data, its algebra (+, -, *, /) and its chain rule."""
from .dual import Dual
from .hyperdual import HyperDual

__all__ = ["Dual", "HyperDual"]
