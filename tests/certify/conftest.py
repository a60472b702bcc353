"""Shared fixtures for the certification tests: a tiny profile keeps them fast."""
import pytest

from dualjit.certify.sampling import Profile

TINY = Profile("tiny", uniform=30, bits=20, chunk=16, all_targets=False)


@pytest.fixture
def tiny():
    return TINY
