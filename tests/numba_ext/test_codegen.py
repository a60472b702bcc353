"""The generated code: no allocation in a dual loop on the CPU, and valid PTX for CUDA."""
import math
import re

import numba
import numpy as np
import pytest
from numba import types

from dualjit import Dual, HyperDual
from cuda_support import (assemble_ptx, compile_kernel_ptx, ptx_toolchain_available,
                          undefined_calls)


@numba.njit(error_model="numpy")
def fike(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


@numba.njit(error_model="numpy")
def mixed(x):
    s = 0.0
    for k in range(3):
        s += x * x / (k + 1.0) - abs(x) + max(x, 0.5) + math.tanh(x) ** 2.0 + math.atan2(x, 2.0)
    return s


@numba.njit(error_model="numpy")
def dual_loop(xs, out):
    for i in range(xs.shape[0]):
        r = fike(Dual(xs[i], 1.0)) + mixed(Dual(xs[i], 1.0))
        out[i, 0] = r.value
        out[i, 1] = r.partials[0]


@numba.njit(error_model="numpy")
def vector_loop(xs, out):
    for i in range(xs.shape[0]):
        r = fike(Dual(xs[i], (1.0, 2.0, 3.0, 4.0)))
        out[i, 0] = r.partials[3]


@numba.njit(error_model="numpy")
def hyper_loop(xs, out):
    for i in range(xs.shape[0]):
        r = fike(HyperDual(xs[i], 1.0, 1.0, 0.0))
        out[i, 0] = r.e12[0]


def _llvm(dispatcher, *args):
    dispatcher(*args)
    return "\n".join(dispatcher.inspect_llvm().values())


def _native_calls(ir):
    """{compiled function: {callee: call sites}}, leaving out the Python wrappers."""
    out = {}
    for fn in re.split(r"\n(?=define )", ir):
        name = re.match(r"define[^@]*@\"?([\w.$]+)", fn)
        if name is None or "cpython" in name.group(1) or name.group(1).startswith(("cfunc.", "NRT_")):
            continue
        calls = out.setdefault(name.group(1), {})
        for callee in re.findall(r"call [^@]*@\"?([\w.$]+)", fn):
            calls[callee] = calls.get(callee, 0) + 1
    return out


@pytest.mark.parametrize("loop", [dual_loop, vector_loop, hyper_loop], ids=lambda f: f.__name__)
def test_dual_loop_makes_no_nrt_calls(loop):
    functions = _native_calls(_llvm(loop, np.linspace(0.1, 1.4, 8), np.empty((8, 2))))
    outer = next(name for name in functions if loop.__name__ in name)
    for name, calls in functions.items():
        nrt = {k: v for k, v in calls.items() if "NRT" in k}
        if name == outer:
            # one reference count up and down per array argument, on entry and exit
            assert set(nrt) <= {"NRT_incref", "NRT_decref"}, nrt
            assert nrt.get("NRT_incref", 0) <= 2 and nrt.get("NRT_decref", 0) <= 2, nrt
        else:  # the dual arithmetic and every rule: no runtime calls at all
            assert not nrt, (name, nrt)


def test_dual_loop_keeps_no_division_error_checks():
    # error_model='python' would raise ZeroDivisionError from the loop instead of NaN/inf.
    ir = _llvm(dual_loop, np.linspace(0.1, 1.4, 8), np.empty((8, 2)))
    assert "ZeroDivisionError" not in ir


# --- CUDA: compile to PTX without a GPU ------------------------------------------------

available, reason = ptx_toolchain_available()
needs_ptx = pytest.mark.skipif(not available, reason=f"CUDA PTX toolchain: {reason}")


def dual_kernel(xs, out):
    i = numba.cuda.grid(1)
    if i < xs.shape[0]:
        r = mixed(Dual(xs[i], 1.0)) * fike(Dual(xs[i], 1.0))
        out[i] = r.partials[0]


def vector_kernel(xs, out):
    i = numba.cuda.grid(1)
    if i < xs.shape[0]:
        r = mixed(Dual(xs[i], (1.0, 0.5)))
        out[i] = r.partials[1]


def hyper_kernel(xs, out):
    i = numba.cuda.grid(1)
    if i < xs.shape[0]:
        r = fike(HyperDual(xs[i], 1.0, 1.0, 0.0)) / mixed(HyperDual(xs[i], 1.0, 1.0, 0.0))
        out[i] = r.e12[0]


@needs_ptx
@pytest.mark.parametrize("kernel", [dual_kernel, vector_kernel, hyper_kernel], ids=lambda f: f.__name__)
@pytest.mark.parametrize("cc", [(8, 0), (9, 0)], ids=lambda cc: f"sm_{cc[0]}{cc[1]}")
def test_number_types_compile_to_ptx(kernel, cc):
    arr = types.Array(types.float64, 1, "C")
    ptx = compile_kernel_ptx(kernel, (arr, arr), cc=cc)
    assert not undefined_calls(ptx)
    assemble_ptx(ptx, arch=f"sm_{cc[0]}{cc[1]}")
