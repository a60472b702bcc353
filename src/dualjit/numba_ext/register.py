"""Load every registration module (imported once by dualjit/__init__.py)."""
from . import arrays, interval, jitfunction, operators, partials, rules, types, verbs  # noqa: F401
