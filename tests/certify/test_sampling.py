import math

import numpy as np
import pytest

from dualjit.certify.sampling import PROFILES, in_domain, sample_rule, uniform_bits
from dualjit.rules import RULES, RULES_BY_NAME


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_quick_points_are_deterministic_and_inside_the_domain(rule):
    a, b = sample_rule(rule, "quick"), sample_rule(rule, "quick")
    assert a.points.shape == b.points.shape and a.points.shape[1] == rule.arity
    assert np.array_equal(a.points.view(np.int64), b.points.view(np.int64))
    assert list(a.origins) == list(b.origins)
    assert all(in_domain(rule, p) for p in a.points)
    assert 250 <= len(a) <= 800
    # bit patterns are unique
    assert len({tuple(r) for r in a.points.view(np.int64)}) == len(a)


def test_profiles_and_rules_seed_different_points(tiny):
    sin, cos = RULES_BY_NAME["sin"], RULES_BY_NAME["cos"]
    q, t = sample_rule(sin, tiny), sample_rule(sin, "quick")
    assert not np.array_equal(q.points[:10], t.points[:10])
    assert not np.array_equal(sample_rule(cos, tiny).points[:10], q.points[:10])


def test_origins_cover_special_kink_and_generic_points():
    rule = RULES_BY_NAME["sqrt"]
    s = sample_rule(rule, "quick")
    got = {(o, float(p[0]).hex()) for o, p in zip(s.origins, s.points)}
    assert ("kink", (0.0).hex()) in got and ("kink", (-0.0).hex()) in got
    assert any(o == "special" for o, _ in got)
    assert any(p == (5e-324).hex() for _, p in got)   # listed as special, also generic
    assert set(s.origins) <= {"uniform", "bits", "special", "kink", "generic"}
    # domain edge 0 and a few ulps above it; nothing below
    assert ("generic", (1e-323).hex()) in got
    assert (s.points >= 0).all()


def test_binary_rules_sample_pairs_in_both_domains():
    rule = RULES_BY_NAME["xlogy"]  # z >= 0
    s = sample_rule(rule, "quick")
    assert s.points.shape[1] == 2
    assert (s.points[:, 1] >= 0).all()
    assert {"uniform", "bits", "special", "kink", "generic"} <= set(s.origins)


def test_uniform_bits_covers_the_binades():
    rng = np.random.default_rng(0)
    xs = uniform_bits(rng, 0.0, math.inf, 4000)
    assert np.isfinite(xs).all() and (xs >= 0).all()
    # uniform over encodings: about half of them are below 1.0, many are tiny
    assert 0.4 < np.mean(xs < 1.0) < 0.6
    assert np.mean(xs < 1e-300) > 0.01
    ys = uniform_bits(rng, -1.0, 1.0, 2000)
    assert (np.abs(ys) <= 1.0).all() and 0.4 < np.mean(ys < 0) < 0.6


def test_thorough_profile_has_a_million_points():
    p = PROFILES["thorough"]
    assert p.uniform + p.bits == 1_000_000 and p.all_targets
