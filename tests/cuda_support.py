"""Test-only helpers: compile CUDA kernels to PTX and assemble them, without a GPU.

Nothing in ``src/`` may import this module; it exists so that tests can check that code
compiles for the CUDA target on a machine with no GPU and no CUDA driver.

Facts this module relies on (numba-cuda 0.30.4, nvidia wheels 13.5):

* ``numba.cuda.compile_ptx(pyfunc, argtypes, cc=...)`` compiles a *kernel* for an explicit
  compute capability without touching the driver.
* A plain ``@numba.njit`` function called from a kernel is turned into a CUDA device
  function (``CUDATypingContext.resolve_value_type`` wraps it in a ``CUDADispatcher`` with
  ``device=True`` and caches that on the njit dispatcher).  ``CUDADispatcher.compile_device``
  then asks ``numba.cuda.dispatcher.get_current_device().compute_capability``, which needs
  the driver ("CUDA driver library cannot be found").  That module-level name is the *only*
  one that has to be replaced; :func:`fake_current_device` does exactly that.
* libNVVM, libdevice and NVRTC are found automatically in a venv by ``cuda.pathfinder``
  (``site-packages/nvidia/cu13/lib/libnvvm.so.4``, ``nvidia/cu13/nvvm/libdevice``); no
  environment variable is needed.
* ``ptxas`` must come from the same CUDA release as the NVVM that wrote the PTX: NVVM 13.5
  writes ``.version 9.5``, which an older system ``ptxas`` (e.g. CUDA 13.0) rejects.  So
  :func:`find_ptxas` looks in the ``nvidia-cuda-nvcc`` wheel first and uses ``PATH`` last.
"""
from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import math
import os
import re
import shutil
import subprocess
import tempfile

__all__ = [
    "DEFAULT_CC",
    "PtxasError",
    "arch_for",
    "assemble_ptx",
    "compile_kernel_ptx",
    "fake_current_device",
    "find_ptxas",
    "ptx_toolchain_available",
    "undefined_calls",
]

DEFAULT_CC = (9, 0)

# Wheel distributions that ship ptxas: CUDA 13 wheels (nvidia/cu13/bin/ptxas) and
# CUDA 12 wheels (nvidia/cuda_nvcc/bin/ptxas).
_NVCC_DISTRIBUTIONS = ("nvidia-cuda-nvcc", "nvidia-cuda-nvcc-cu13", "nvidia-cuda-nvcc-cu12")
_PTXAS_NAMES = ("ptxas", "ptxas.exe")


class PtxasError(RuntimeError):
    """ptxas rejected a PTX module; ``stderr`` holds its diagnostics."""

    def __init__(self, message: str, returncode: int, stderr: str):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


def arch_for(cc) -> str:
    """``(9, 0)`` -> ``"sm_90"``."""
    major, minor = _check_cc(cc)
    return f"sm_{major}{minor}"


def _check_cc(cc) -> tuple[int, int]:
    if (not isinstance(cc, (tuple, list)) or len(cc) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in cc)):
        raise ValueError(f"cc must be a (major, minor) tuple of ints, got {cc!r}")
    return tuple(cc)


# --------------------------------------------------------------------------- device stand-in

class _StandInDevice:
    """What ``get_current_device()`` returns while no GPU exists: only a compute capability."""

    def __init__(self, cc: tuple[int, int]):
        self.compute_capability = cc

    def __repr__(self) -> str:
        return f"<stand-in CUDA device cc={self.compute_capability}>"


@contextlib.contextmanager
def fake_current_device(cc=DEFAULT_CC):
    """Replace numba-cuda's current-device lookup by a stand-in reporting ``cc``.

    Patches only ``numba.cuda.dispatcher.get_current_device`` (the name
    ``CUDADispatcher.compile_device`` calls when a kernel calls a device function or an
    ``@njit`` function) and restores the original on exit, also on error.  Nesting works.
    Usable directly or from a pytest yield-fixture::

        with fake_current_device((8, 0)) as device:
            ...
    """
    cc = _check_cc(cc)
    from numba.cuda import dispatcher as dispatcher_module

    if not hasattr(dispatcher_module, "get_current_device"):
        raise RuntimeError(
            "numba.cuda.dispatcher.get_current_device no longer exists: numba-cuda changed; "
            "find the new current-device lookup used by CUDADispatcher.compile_device"
        )
    original = dispatcher_module.get_current_device
    device = _StandInDevice(cc)
    dispatcher_module.get_current_device = lambda: device
    try:
        yield device
    finally:
        dispatcher_module.get_current_device = original


# --------------------------------------------------------------------------- compilation

def compile_kernel_ptx(kernel_pyfunc, argtypes, cc=DEFAULT_CC, **options) -> str:
    """Compile a kernel (as ``numba.cuda.jit`` would) to PTX for compute capability ``cc``.

    ``kernel_pyfunc`` is a plain Python function (a ``cuda.jit``/``njit`` dispatcher is
    accepted too: its ``py_func`` is used); ``argtypes`` a tuple of Numba types or a
    signature string.  ``@njit`` functions it calls become device functions.  Extra keyword
    arguments (``fastmath``, ``lineinfo``, ``opt``, ...) go to ``numba.cuda.compile_ptx``.

    Caveat: numba-cuda compiles each device function once per argument types and caches it
    on the njit dispatcher, so a helper first compiled under one cc is reused under another.
    The cc only changes a few lowering choices (float32 fastmath tanh, f64 atomics); the
    final PTX is always generated for ``cc``.
    """
    cc = _check_cc(cc)
    from numba import cuda, types

    pyfunc = getattr(kernel_pyfunc, "py_func", kernel_pyfunc)
    if isinstance(argtypes, list):
        argtypes = tuple(argtypes)
    with fake_current_device(cc):
        ptx, restype = cuda.compile_ptx(pyfunc, argtypes, cc=cc, device=False, **options)
    if restype != types.void:
        raise TypeError(f"a kernel must return nothing, {pyfunc.__name__} returns {restype}")
    return ptx


# --------------------------------------------------------------------------- ptxas

@functools.lru_cache(maxsize=None)
def find_ptxas() -> str | None:
    """Path of ptxas: the nvidia-cuda-nvcc wheel, then cuda.pathfinder, then ``PATH``."""
    for dist_name in _NVCC_DISTRIBUTIONS:
        try:
            dist = importlib.metadata.distribution(dist_name)
        except importlib.metadata.PackageNotFoundError:
            continue
        for file in dist.files or ():
            if file.name in _PTXAS_NAMES and file.parent.name == "bin":
                path = str(dist.locate_file(file))
                if os.path.isfile(path) and os.access(path, os.X_OK):
                    return path
    try:
        from cuda.pathfinder import find_nvidia_binary_utility
        path = find_nvidia_binary_utility("ptxas")
    except Exception:  # not installed, or an older cuda-pathfinder without the function
        path = None
    return path or shutil.which("ptxas")


def assemble_ptx(ptx: str, arch: str = "sm_90") -> None:
    """Assemble ``ptx`` with ptxas for ``arch`` (e.g. ``"sm_90"``); raise PtxasError on failure."""
    if not isinstance(ptx, str) or not ptx.strip():
        raise ValueError("ptx must be a non-empty string of PTX assembly")
    if not isinstance(arch, str) or not re.fullmatch(r"sm_\d+[af]?", arch):
        raise ValueError(f"arch must look like 'sm_90', got {arch!r}")
    ptxas = find_ptxas()
    if ptxas is None:
        raise RuntimeError("ptxas not found: install the nvidia-cuda-nvcc wheel")
    with tempfile.TemporaryDirectory(prefix="dualjit-ptxas-") as tmp:
        source = os.path.join(tmp, "module.ptx")
        with open(source, "w", encoding="utf-8") as handle:
            handle.write(ptx)
        proc = subprocess.run(
            [ptxas, "--gpu-name", arch, source, "--output-file", os.path.join(tmp, "module.cubin")],
            capture_output=True, text=True, timeout=300,
        )
    if proc.returncode != 0:
        raise PtxasError(
            f"ptxas ({ptxas}) failed for {arch} with exit code {proc.returncode}:\n"
            f"{proc.stderr.strip() or proc.stdout.strip()}",
            proc.returncode, proc.stderr,
        )


# --------------------------------------------------------------------------- PTX inspection

_COMMENT_RE = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_IDENT = r"[A-Za-z_$][\w$]*"
# [.visible|.weak|.extern ...] .func|.entry [(return param)] name [(params)] [attrs] ; or {
_FUNC_RE = re.compile(
    r"((?:\.(?:visible|weak|extern)\s+)*)\.(?:func|entry)\s*(?:\([^()]*\)\s*)?"
    rf"({_IDENT})\s*(?:\([^()]*\))?[^;{{]*([;{{])"
)
# call[.uni] [(ret),] callee, ...   -- indirect calls through a %register are skipped
_CALL_RE = re.compile(rf"\bcall(?:\.uni)?\s+(?:\([^()]*\)\s*,\s*)?({_IDENT})")


def undefined_calls(ptx: str) -> set[str]:
    """Names of functions called in ``ptx`` that the module does not define.

    These are the callees declared ``.extern .func`` (a forward declaration followed by a
    body later in the module counts as defined); a self-contained kernel gives ``set()``.
    """
    text = _COMMENT_RE.sub("", ptx)
    defined = {m.group(2) for m in _FUNC_RE.finditer(text) if m.group(3) == "{"}
    called = set(_CALL_RE.findall(text))
    return called - defined


# --------------------------------------------------------------------------- availability

def _probe_kernel(out, x):  # compiled by ptx_toolchain_available; needs libdevice (sin)
    out[0] = math.sin(x[0])


@functools.lru_cache(maxsize=None)
def ptx_toolchain_available() -> tuple[bool, str]:
    """``(True, "")`` if kernels can be compiled to PTX and assembled here, else
    ``(False, reason)`` naming what is missing (for ``pytest.skip``).  Cached."""
    try:
        import numba
        from numba import cuda
    except ImportError as exc:
        return False, f"numba-cuda is not installed ({exc}); install dualjit[cuda]"
    if getattr(numba.config, "ENABLE_CUDASIM", 0):
        return False, "NUMBA_ENABLE_CUDASIM=1: the CUDA simulator cannot produce PTX"
    if not hasattr(cuda, "compile_ptx"):
        return False, "numba.cuda has no compile_ptx (numba-cuda missing or too old)"
    try:
        from numba.cuda.cudadrv.nvvm import NVVM
        NVVM()
    except Exception as exc:
        return False, (f"libNVVM cannot be loaded ({type(exc).__name__}: "
                       f"{_first_line(exc)}); install the nvidia-nvvm wheel")
    try:
        from numba import types
        ptx = compile_kernel_ptx(_probe_kernel, (types.float64[:], types.float64[:]))
    except Exception as exc:
        return False, (f"compiling a probe kernel to PTX failed ({type(exc).__name__}: "
                       f"{_first_line(exc)}); check nvidia-nvvm / libdevice")
    ptxas = find_ptxas()
    if ptxas is None:
        return False, "ptxas not found; install the nvidia-cuda-nvcc wheel"
    try:
        assemble_ptx(ptx, arch_for(DEFAULT_CC))
    except PtxasError as exc:
        return False, (f"ptxas at {ptxas} cannot assemble NVVM's PTX "
                       f"(older CUDA release than NVVM?): {_first_line(exc.stderr)}")
    except Exception as exc:
        return False, f"running ptxas at {ptxas} failed ({type(exc).__name__}: {_first_line(exc)})"
    return True, ""


def _first_line(text) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""
