"""Every rule and every number type compiles to PTX for sm_80 and sm_90 and assembles
with ptxas -- no GPU needed (tests/cuda_support.py supplies the device stand-in).

One kernel per number type calls the rules (rule_cases.every_rule_source). Compiling
every rule for one dual type takes minutes on a busy 2-core machine (1.5 MB of PTX), so
by default the rules (first target each) are dealt out in turn to Dual[1], Dual[4] and
HyperDual[1,1] -- every rule compiles on one dual type, every dual type compiles a third
of the rules -- and the float64 kernel calls every target of every rule (it catches the
device gaps in NumPy ufuncs, see dualjit/numba_ext/cuda_target.py). DUALJIT_CUDA_FULL=1
compiles every target of every rule on every number type.
"""
import math

import numba
import numpy as np
import pytest
from numba import types

from cuda_support import (arch_for, assemble_ptx, compile_kernel_ptx, ptx_toolchain_available,
                          undefined_calls)

import rule_cases

available, reason = ptx_toolchain_available()
pytestmark = pytest.mark.skipif(not available, reason=f"CUDA PTX toolchain: {reason}")

if available:
    from numba import cuda

    import dualjit.cuda  # noqa: F401  (installs the CUDA ufunc loops)
    from dualjit import Dual, HyperDual
    from dualjit.cuda.api import kernel_function

ARR = types.Array(types.float64, 1, "C")
ARR2 = types.Array(types.float64, 2, "C")
CCS = [(8, 0), (9, 0)]


def _every_rule(pairs):
    scope = dict(rule_cases.target_names(pairs), math=math, np=np)
    exec(rule_cases.every_rule_source(pairs), scope)  # noqa: S102
    return numba.njit(error_model="numpy")(scope["every_rule"])


# number type -> (seed of x, seed of y, read the result) in kernel source
NUMBER_TYPES = {
    "float64": ("xs[i]", "xs[i] + 1.0", "r"),
    "Dual[1]": ("Dual(xs[i], 1.0)", "Dual(xs[i] + 1.0, 0.5)", "r.value + r.partials[0]"),
    "Dual[4]": ("Dual(xs[i], (1.0, 0.0, 2.0, 0.5))", "Dual(xs[i] + 1.0, (0.0, 1.0, 0.0, 0.25))",
                "r.partials[0] + r.partials[3]"),
    "HyperDual[1,1]": ("HyperDual(xs[i], 1.0, 1.0, 0.0)", "HyperDual(xs[i] + 1.0, 0.5, 0.0, 0.0)",
                       "r.e1[0] + r.e12[0]"),
}


def _kernel(every, seed_x, seed_y, read):
    scope = {"cuda": cuda, "every": every, "Dual": Dual, "HyperDual": HyperDual}
    exec("def kernel(xs, out):\n"
         "    i = cuda.grid(1)\n"
         "    if i < xs.shape[0]:\n"
         f"        r = every({seed_x}, {seed_y})\n"
         f"        out[i] = {read}\n", scope)  # noqa: S102
    return scope["kernel"]


DUAL_TYPES = ["Dual[1]", "Dual[4]", "HyperDual[1,1]"]


def _pairs_for(number_type):
    if number_type == "float64" or rule_cases.full_coverage():
        return rule_cases.rule_targets(full=True)
    return rule_cases.share(rule_cases.rule_targets(full=False), DUAL_TYPES.index(number_type),
                            len(DUAL_TYPES))


@pytest.fixture(scope="module")
def every_rule():
    from dualjit.numba_ext import cuda_target
    cuda_target.install()
    return {t: _every_rule(_pairs_for(t)) for t in NUMBER_TYPES}


def test_every_rule_is_covered():
    from dualjit.rules import RULES
    covered = set()
    for t in DUAL_TYPES:
        covered |= {rule.name for rule, _ in _pairs_for(t)}
    assert covered == {r.name for r in RULES}


@pytest.mark.parametrize("cc", CCS, ids=arch_for)
@pytest.mark.parametrize("number_type", list(NUMBER_TYPES))
def test_every_rule_compiles_and_assembles(every_rule, number_type, cc):
    every = every_rule[number_type]
    ptx = compile_kernel_ptx(_kernel(every, *NUMBER_TYPES[number_type]), (ARR, ARR), cc=cc)
    assert f".target {arch_for(cc)}" in ptx
    assert undefined_calls(ptx) == set()
    assemble_ptx(ptx, arch_for(cc))


@numba.njit(error_model="numpy")
def fike(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


@numba.njit(error_model="numpy")
def rosen(x, c):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += c * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


@pytest.mark.parametrize("verb", ["derivative", "value_and_derivative", "second_derivative"])
def test_api_point_kernels_compile_and_assemble(verb):
    nout = 2 if verb == "value_and_derivative" else 1
    kernel = kernel_function(fike, verb)
    ptx = compile_kernel_ptx(kernel, (ARR,) * (1 + nout), cc=(9, 0))
    assert undefined_calls(ptx) == set()  # the simple dual kernel calls no missing function
    assemble_ptx(ptx, "sm_90")


@pytest.mark.parametrize("cc", CCS, ids=arch_for)
def test_api_gradient_kernel_compiles_and_assembles(cc):
    kernel = kernel_function(rosen, "gradient", nargs=1, n=10, width=4)
    ptx = compile_kernel_ptx(kernel, (ARR2, ARR2, ARR, types.float64), cc=cc)
    assert undefined_calls(ptx) == set()
    assemble_ptx(ptx, arch_for(cc))


def test_cuda_target_fills_numba_cuda_ufunc_gaps():
    from numba.cuda.ufuncs import ufunc_db

    from dualjit.numba_ext import cuda_target
    cuda_target.install()
    db = ufunc_db()
    for ufunc in cuda_target.MISSING_UFUNCS:
        sigs = ("d->d",) if ufunc.nin == 1 else ("dd->d",)
        assert all(s in db[ufunc] for s in sigs), ufunc


def test_custom_rules_compile_and_assemble():
    """dualjit.rule functions in a kernel: on floats, Dual (binary, first-order rule) and
    HyperDual; their derivatives functions are CPU njit functions compiled for the GPU."""
    import custom_rule_defs as custom

    def kernel(xs, out):
        i = cuda.grid(1)
        if i < xs.shape[0]:
            h = custom.logistic(HyperDual(xs[i], 1.0, 1.0, 0.0))
            d = custom.radius(Dual(xs[i], 1.0), 4.0)
            s = custom.softsign(Dual(xs[i], 1.0))
            out[i] = h.e12[0] + d.partials[0] + s.partials[0] + custom.logistic(xs[i])

    for cc in CCS:
        ptx = compile_kernel_ptx(kernel, (ARR, ARR), cc=cc)
        assert undefined_calls(ptx) == set()
        assemble_ptx(ptx, arch_for(cc))
