#!/usr/bin/python3
"""OpenBLAS's float32 GEMM, the baseline `fp4sim bench sgemm` is compared with in scripts/bench.sh.

Usage: /usr/bin/python3 scripts/sgemm_openblas.py M N K THREADS ROUNDS
  Times numpy's float32 matmul C = A @ B (A M x K, B K x N, seeded standard normal values, C preallocated) on
  THREADS threads (<= 0: all cores), best of ROUNDS after one warm-up, and checks that the BLAS numpy called is
  really OpenBLAS (Debian's python3-numpy calls whatever the libblas.so.3 alternative points to).
  stdout: a line naming the library, its build and the threads, then `openblas <GFLOP/s> <library>`
  (GFLOP/s = 2*M*N*K / seconds; <library> is the loaded OpenBLAS file's name, e.g. libopenblasp-r0.3.21.so).
  Exit 2: bad arguments; exit 3: numpy or OpenBLAS missing, with one line on stderr naming the package to install.
"""
import ctypes
import os
import sys
import time


def fail(code, message):
    print(f"sgemm_openblas.py: {message}", file=sys.stderr)
    sys.exit(code)


def parse(argv):
    if len(argv) != 5:
        fail(2, "expected 5 arguments: M N K THREADS ROUNDS")
    try:
        m, n, k, threads, rounds = (int(a) for a in argv)
    except ValueError:
        fail(2, f"arguments must be integers: {' '.join(argv)}")
    if not all(1 <= d <= 65536 for d in (m, n, k)) or not 1 <= rounds <= 1000:
        fail(2, "M, N, K must be in 1..65536 and ROUNDS in 1..1000")
    return m, n, k, threads if threads > 0 else len(os.sched_getaffinity(0)), rounds


def matmul_blas():
    """A ctypes handle on numpy's matmul extension: its symbols resolve through the libraries it links, its BLAS
    among them. (Not just any libopenblas in the process: numpy.linalg may load OpenBLAS's LAPACK while matmul calls
    another BLAS.)"""
    try:
        from numpy._core import _multiarray_umath as extension  # numpy 2
    except ImportError:
        from numpy.core import _multiarray_umath as extension  # numpy 1
    return ctypes.CDLL(extension.__file__)


def openblas_file():
    """The path of the OpenBLAS shared object mapped into this process."""
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "libopenblas" in line})
    return paths[0] if paths else "libopenblas"


def main():
    m, n, k, threads, rounds = parse(sys.argv[1:])
    # OpenBLAS reads its thread count once, when it is loaded: set it before numpy is imported (the pthread build reads
    # OPENBLAS_NUM_THREADS, the OpenMP build OMP_NUM_THREADS).
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    try:
        import numpy as np
    except ImportError:
        fail(3, f"numpy is not installed for {sys.executable} (run it with /usr/bin/python3; apt-get install python3-numpy)")
    # Checked before any work: the reference BLAS would take minutes over a large warm-up.
    blas = matmul_blas()
    if not hasattr(blas, "openblas_get_config"):
        fail(3, "numpy's matmul does not call OpenBLAS (its libblas.so.3 is another BLAS; apt-get install libopenblas0-pthread)")

    rng = np.random.default_rng(1)
    try:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        c = np.empty((m, n), dtype=np.float32)
    except MemoryError:
        fail(3, f"out of memory for {m}x{n}x{k}")
    np.matmul(a, b, out=c)  # warm-up (OpenBLAS starts its threads)
    path = openblas_file()
    blas.openblas_get_config.restype = ctypes.c_char_p
    blas.openblas_get_corename.restype = ctypes.c_char_p
    used = blas.openblas_get_num_threads()

    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        np.matmul(a, b, out=c)
        best = min(best, time.perf_counter() - start)
    gflops = 2.0 * m * n * k / best / 1e9
    print(f"{blas.openblas_get_config().decode()} ({path}), core {blas.openblas_get_corename().decode()}, "
          f"{used} threads (asked {threads}); numpy {np.__version__}; M {m} N {n} K {k}, best of {rounds}: "
          f"{best * 1e3:.3f} ms, {gflops:.1f} GFLOP/s")
    print(f"openblas {gflops:.1f} {os.path.basename(path)}")


if __name__ == "__main__":
    main()
