"""The one place that registers dualjit with Numba: types, operators, rules, arrays, verbs.

Importing :mod:`dualjit` imports :mod:`dualjit.numba_ext.register`, which loads every
module below for its registrations. Nothing outside this package talks to Numba's
extension registries.
"""
