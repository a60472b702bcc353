"""dualjit.cuda under numba-cuda's simulator equals the CPU path bit for bit.

The simulator must be chosen before numba.cuda is imported, so the whole check runs once
in a subprocess (tests/cuda/sim_check.py, NUMBA_ENABLE_CUDASIM=1): every rule (every
target with DUALJIT_CUDA_FULL=1) in every call form -- t(x), t(x, c), t(c, x), t(x, dual),
integer powers, ties -- through value_and_derivative, derivative and second_derivative;
gradients of batches against dualjit.value_and_gradient; device arrays in and out; and a
user's own kernel calling the number types directly.
"""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))

try:
    from numba import cuda as _cuda  # noqa: F401
    _MISSING = None
except ImportError as exc:  # pragma: no cover
    _MISSING = f"numba-cuda is not installed ({exc}); install dualjit[cuda]"


@pytest.fixture(scope="module")
def report():
    if _MISSING:
        pytest.skip(_MISSING)
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    proc = subprocess.run([sys.executable, os.path.join(HERE, "sim_check.py")],
                          capture_output=True, text=True, env=env, timeout=1800)
    assert proc.returncode == 0, f"simulator check failed:\n{proc.stderr[-6000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_every_rule_matches_the_cpu_bit_for_bit(report):
    from dualjit.rules import RULES
    assert report["rules"] == len(RULES)
    assert report["checked"] > 4 * report["cases"]
    assert report["mismatches"] == [], "\n".join(report["mismatches"][:40])


def test_custom_rules_match_the_cpu(report):
    assert report["custom_checked"] == 28
    assert not [m for m in report["mismatches"] if m.startswith("custom rule")]


def test_gradient_batches_match_the_cpu(report):
    assert report["gradient_rows"] == 11
    assert not [m for m in report["mismatches"] if m.startswith("gradient")]


def test_device_arrays_in_device_arrays_out(report):
    assert report["device_kind"] == "FakeCUDAArray"
    assert report["device_equal"]


def test_own_kernel_with_number_types_runs_in_the_simulator(report):
    assert report["own_kernel_equal"]
