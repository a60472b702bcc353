"""numerics rules (being written)."""
RULES = ()
