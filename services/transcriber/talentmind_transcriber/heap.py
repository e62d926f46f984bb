"""The C heap under long recordings: large buffers mapped on their own, freed memory handed back.

Decoding and voice-activity detection allocate and free window-sized arrays (megabytes) thousands of times a job.
glibc serves blocks above its mmap threshold with their own mappings, unmapped on free, but raises that threshold
each time such a block is freed (up to 32 MB), after which the same arrays come from the heap, which fragments
and is never shrunk from the top. Measured on three hours of speech in 60-second windows: the process grew by
245 MB with the threshold left to move, 56 MB with it fixed at 256 kB, decode and VAD 25% slower (a few percent
of a job, which is mostly recognition). :func:`limit_heap_growth` fixes it; :func:`release_memory` trims what
is left after a job. Both do nothing where the C library is not glibc (musl and macOS return memory themselves).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD_BYTES = 256 * 1024


def limit_heap_growth(threshold_bytes: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Serve allocations above ``threshold_bytes`` with their own mappings from now on (and stop glibc raising
    the threshold). Process-wide; the transcriber calls it once, when it loads its pipeline. True where applied."""
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(M_MMAP_THRESHOLD, threshold_bytes) == 1)


def release_memory() -> None:
    """Hand freed C-heap memory back to the operating system (``malloc_trim``): numpy's buffers, FFmpeg's frames
    and onnxruntime's tensors are freed after a job, but glibc keeps freed heap memory for reuse. Trimming is
    cheap (milliseconds) next to a job; without it glibc kept 950 MB of the 1 GB a four-hour file had taken."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _glibc() -> Any | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt.argtypes, libc.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
    except (OSError, AttributeError):  # not glibc
        return None
    return libc
