"""The no-GPU CUDA test helpers (tests/cuda_support.py), on plain float code only.

Kernels are compiled to PTX with numba-cuda (NVVM from the nvidia-nvvm wheel) and
assembled with ptxas from the nvidia-cuda-nvcc wheel; no GPU or driver is needed.
"""
import math

import numba
import pytest

try:  # the kernels below refer to cuda.grid; without numba-cuda every such test skips
    from numba import cuda
except ImportError:  # pragma: no cover
    cuda = None

from cuda_support import (
    DEFAULT_CC,
    PtxasError,
    arch_for,
    assemble_ptx,
    compile_kernel_ptx,
    fake_current_device,
    ptx_toolchain_available,
    undefined_calls,
)


@pytest.fixture(scope="module")
def toolchain():
    ok, reason = ptx_toolchain_available()
    if not ok:
        pytest.skip(f"no PTX toolchain: {reason}")


def _f64_array():
    return numba.types.float64[:]


# --------------------------------------------------------------------------- kernels

@numba.njit
def f(x):
    return math.sin(x) * math.exp(-x)


def sin_exp_kernel(out, x):
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = f(x[i])


@numba.njit
def special(x, y):
    """Math functions whose device support the library's rule table depends on.

    Compiled for the device only: math.fmod, math.remainder and math.modf compile for
    CUDA but Numba 0.68.1's CPU target rejects them, so this helper fails under njit.
    """
    return (math.erf(x) + math.erfc(x) + math.lgamma(x) + math.gamma(x)
            + math.atan2(y, x) + math.hypot(x, y) + math.expm1(x) + math.log1p(x)
            + math.asinh(x) + math.acosh(y) + math.atanh(x) + math.tanh(x)
            + math.pow(x, y) + math.copysign(x, y) + math.fmod(x, y) + math.remainder(x, y)
            + math.nextafter(x, y) + math.ldexp(x, 3) + math.exp2(x) + math.log2(y)
            + math.log10(y) + math.sqrt(y) + math.trunc(x) + math.floor(x) + math.ceil(y)
            + math.frexp(x)[0] + math.modf(x)[0] + math.degrees(x) + math.radians(y))


def special_kernel(out, x, y):
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = special(x[i], y[i])


# --------------------------------------------------------------------------- tests

@pytest.mark.parametrize("cc", [(8, 0), (9, 0)], ids=arch_for)
def test_njit_helper_kernel_compiles_and_assembles(toolchain, cc):
    ptx = compile_kernel_ptx(sin_exp_kernel, (_f64_array(), _f64_array()), cc=cc)
    assert f".target {arch_for(cc)}" in ptx
    assert ".entry" in ptx
    assert undefined_calls(ptx) == set()
    assemble_ptx(ptx, arch_for(cc))


def test_special_math_functions_compile_on_device(toolchain):
    ptx = compile_kernel_ptx(special_kernel, (_f64_array(),) * 3)
    assert undefined_calls(ptx) == set()
    assemble_ptx(ptx, arch_for(DEFAULT_CC))


# math.cbrt is not among these: dualjit registers it (through np.cbrt) for floats too.
@pytest.mark.parametrize("expr", ["math.dist((x, 1.0), (2.0, x))",
                                  "math.log(x, 2.0)", "math.ulp(x)", "math.fsum((x, 1.0))"])
def test_math_functions_without_device_support(toolchain, expr):
    """Known gaps (also on the CPU in Numba 0.68.1). If this starts failing, numba-cuda
    gained support: update the rule table notes and drop the case."""
    # numba-cuda raises its own TypingError class (numba.cuda.core.errors), which shares
    # only NumbaError with numba.core.errors.TypingError
    from numba.core.errors import NumbaError

    namespace = {"math": math}
    exec(f"def helper(x):\n    return {expr}\n", namespace)
    helper = numba.njit(namespace["helper"])

    def kernel(out, x):
        out[0] = helper(x[0])

    with pytest.raises(NumbaError) as info:
        compile_kernel_ptx(kernel, (_f64_array(), _f64_array()))
    assert type(info.value).__name__ == "TypingError"


def test_undefined_call_is_reported_and_rejected_by_ptxas(toolchain):
    missing = cuda.declare_device("dualjit_missing_fn", "float64(float64)")

    def kernel(x):
        x[0] = missing(x[0])

    ptx = compile_kernel_ptx(kernel, (_f64_array(),))
    assert undefined_calls(ptx) == {"dualjit_missing_fn"}
    with pytest.raises(PtxasError, match="dualjit_missing_fn") as info:
        assemble_ptx(ptx, "sm_90")
    assert info.value.returncode != 0 and "Unresolved extern function" in info.value.stderr


def test_stand_in_reports_cc_and_restores_original(toolchain):
    from numba.cuda import dispatcher

    original = dispatcher.get_current_device
    with fake_current_device((8, 6)) as device:
        assert dispatcher.get_current_device() is device
        assert device.compute_capability == (8, 6)
        with fake_current_device():
            assert dispatcher.get_current_device().compute_capability == DEFAULT_CC
        assert dispatcher.get_current_device() is device
    assert dispatcher.get_current_device is original
    with pytest.raises(ZeroDivisionError):
        with fake_current_device():
            1 / 0
    assert dispatcher.get_current_device is original


def test_stand_in_is_needed_without_a_gpu(toolchain):
    from numba.cuda.cudadrv.error import CudaSupportError

    if cuda.is_available():
        pytest.skip("a CUDA driver is present: the stand-in is not needed here")

    @numba.njit
    def fresh(x):  # never compiled for the device before
        return x + 1.0

    def kernel(x):
        x[0] = fresh(x[0])

    with pytest.raises(CudaSupportError, match="CUDA driver library cannot be found"):
        cuda.compile_ptx(kernel, (_f64_array(),), cc=DEFAULT_CC)


def test_assemble_ptx_checks_arguments():
    with pytest.raises(ValueError, match="arch"):
        assemble_ptx(".version 9.5\n", arch="90")
    with pytest.raises(ValueError, match="ptx"):
        assemble_ptx("   ")
    with pytest.raises(ValueError, match="cc"):
        arch_for((9,))


# --------------------------------------------------------------------------- PTX parsing

SYNTHETIC_PTX = """
.version 9.5
.target sm_90
.address_size 64
	// .globl	kern
.func  (.param .align 8 .b8 func_retval0[16]) forward_declared
(
	.param .b64 forward_declared_param_0
)
;
.extern .func  (.param .b32 func_retval0) missing_one
(
	.param .b64 missing_one_param_0
)
;
.extern .func declared_not_called
(
	.param .b64 p
)
;
.extern .func missing_no_ret
(
	.param .b64 q
)
;
.visible .entry kern(
	.param .u64 kern_param_0
)
{
	{ // callseq 0, 0
	call.uni (retval0),
	forward_declared,
	(
	param0
	);
	} // callseq 0
	call.uni (retval0), missing_one, (param0);
	call.uni missing_no_ret, (param0);
	call (retval0), %rd4, (param0), prototype_0;
	// call.uni commented_out, (param0);
	ret;
}
.func  (.param .align 8 .b8 func_retval0[16]) forward_declared(
	.param .b64 forward_declared_param_0
)
{
	ret;
}
"""


def test_undefined_calls_on_synthetic_ptx():
    assert undefined_calls(SYNTHETIC_PTX) == {"missing_one", "missing_no_ret"}


def test_undefined_calls_without_calls():
    assert undefined_calls(".version 9.5\n.target sm_90\n.visible .entry k()\n{\n\tret;\n}\n") == set()
