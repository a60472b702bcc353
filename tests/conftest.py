"""Shared test configuration: the tests folder is importable (reference, cuda_support)."""
