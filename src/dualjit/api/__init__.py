"""The verbs: one module per verb family, each callable from Python and from njit code."""
