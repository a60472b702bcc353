"""Rule certification: every rule of the table, evaluated through the engine on many
deterministic points and scored against the mpmath oracle.

* :mod:`.sampling` -- :func:`sample_rule`: uniform ranges, float64 encodings, special,
  kink and generic points; profiles ``quick`` and ``thorough``;
* :mod:`.engine` -- :func:`evaluate_rule`: one compiled kernel per (rule, target),
  value/primal/first/second partials through Dual, vector Dual and HyperDual;
* :mod:`.references` -- the oracle on many points: chunked, parallel, resumable;
* :mod:`.stats` -- :func:`rule_statistics`: value agreement, ulp errors, budgets;
* :mod:`.run` -- :func:`certify_rules`: all of the above for a list of rules;
* :mod:`.report` -- report.json (schema ``report_schema.json``), report.md, report.html.

Sampled maxima are lower bounds on the true maximum errors.
"""
from .engine import EngineResult, evaluate_rule
from .references import compute_references
from .run import CertifyRun, certify_rules, resolve_rules
from .sampling import PROFILES, Profile, SampleSet, sample_rule
from .stats import rule_statistics

__all__ = ["sample_rule", "SampleSet", "Profile", "PROFILES", "evaluate_rule",
           "EngineResult", "compute_references", "rule_statistics", "certify_rules",
           "CertifyRun", "resolve_rules"]
