"""Kept speech that need not be in memory: float32 mono samples read back by range.

A long interview keeps hours of speech (64 kB per second as float32). Held in one array, four hours cost 0.9 GB of
resident memory, and recognising it in one call cost twice more (faster-whisper copies the chunks and computes
every chunk's features before decoding). :class:`KeptAudio` writes the samples as they come to a spooled
temporary file (in memory up to ``spool_bytes``, then on disk in the job's work folder) and the pipeline reads
back only the range it is working on: a recognition chunk, the middle of one speaker turn.

Written by hand on ``tempfile.SpooledTemporaryFile``: ``numpy.memmap`` would make every page it reads resident in
the process (counted against its memory limit until the kernel drops it), while ``readinto`` of one range is
exactly that range.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Protocol

import numpy as np

SAMPLE_BYTES = 4  # float32
# Short recordings stay in memory: two minutes of speech is 7.7 MB. Not more: rolling over to the file copies
# what was spooled, so the spool costs about twice its size at that moment.
DEFAULT_SPOOL_BYTES = 120 * 16_000 * SAMPLE_BYTES


class Samples(Protocol):
    """Mono samples read by range (``[start, end)`` in samples, clamped to what there is)."""

    def __len__(self) -> int: ...

    def read(self, start: int, end: int) -> np.ndarray: ...


class ArraySamples:
    """Samples already in memory (short audio, tests)."""

    def __init__(self, audio: np.ndarray) -> None:
        self.audio = np.asarray(audio, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.audio)

    def read(self, start: int, end: int) -> np.ndarray:
        return self.audio[max(start, 0) : max(end, 0)]


class KeptAudio:
    """Append-only float32 samples in a spooled temporary file; :meth:`close` (or the ``with`` block) deletes it."""

    def __init__(self, work_dir: Path | None = None, *, spool_bytes: int = DEFAULT_SPOOL_BYTES) -> None:
        self._file: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by close())
            max_size=spool_bytes, mode="w+b", prefix="tm-speech-", dir=None if work_dir is None else str(work_dir)
        )
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def __enter__(self) -> KeptAudio:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def append(self, samples: np.ndarray) -> None:
        self._file.seek(self._length * SAMPLE_BYTES)
        self._file.write(np.ascontiguousarray(samples, dtype=np.float32).tobytes())
        self._length += len(samples)

    def read(self, start: int, end: int) -> np.ndarray:
        start, end = min(max(start, 0), self._length), min(max(end, 0), self._length)
        out = np.empty(max(end - start, 0), dtype=np.float32)
        if len(out):
            self._file.seek(start * SAMPLE_BYTES)
            got = self._file.readinto(out.data.cast("B"))
            if got != out.nbytes:
                raise OSError(f"kept speech file ended early: {got} of {out.nbytes} bytes")
        return out

    def close(self) -> None:
        self._file.close()
