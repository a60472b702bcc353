"""Property-based validation of dualjit (issue #6).

* :mod:`.space` -- the input space (rule inputs, random programs, points), defined once;
* :mod:`.strategies` -- Hypothesis strategies over that space;
* :mod:`.budget` -- the per-program error budget (oracle-side running error bound);
* :mod:`.properties` -- the checked properties, one entry each in ``PROPERTIES``;
* :mod:`.runner` -- profiles (``ci``, ``medium``, ``thorough``), resumable batches,
  process pools / Dask, summaries with reproducers (``dualjit validate``).

``run_corpus`` (FPCore corpus runner) lives in :mod:`.corpus` and is loaded lazily.
"""
from __future__ import annotations

from .properties import PROPERTIES, Property
from .runner import PROFILES, ValidateProfile, run_profile
from .space import Program

__all__ = ["PROPERTIES", "Property", "PROFILES", "ValidateProfile", "run_profile", "Program",
           "strategies", "run_corpus"]


def __getattr__(name):
    import importlib
    if name == "run_corpus":
        return importlib.import_module(".corpus", __name__).run_corpus
    if name == "strategies":
        return importlib.import_module(".strategies", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
