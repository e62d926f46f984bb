"""Kept speech read back by range, whether it stayed in memory or spilled to a file, and the stretches recognition
reads it in."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from talentmind_transcriber.asr import Segment, Word, recognition_chunks, shifted
from talentmind_transcriber.samples import ArraySamples, KeptAudio


@pytest.mark.parametrize("spool_bytes", [1 << 30, 4096], ids=["in-memory", "spilled"])
def test_kept_audio_reads_back_any_range_of_what_was_appended(tmp_path: Path, spool_bytes: int) -> None:
    rng = np.random.default_rng(3)
    pieces = [rng.standard_normal(n).astype(np.float32) for n in (10, 1500, 0, 777, 3)]
    whole = np.concatenate(pieces)
    with KeptAudio(tmp_path, spool_bytes=spool_bytes) as kept:
        for piece in pieces:
            kept.append(piece)
        assert len(kept) == len(whole) == len(ArraySamples(whole))
        for start, end in [(0, len(whole)), (5, 1600), (1509, 1511), (2000, 2290), (100, 100)]:
            assert np.array_equal(kept.read(start, end), whole[start:end])
            assert np.array_equal(kept.read(start, end), ArraySamples(whole).read(start, end))
        # out of range is clamped, as slicing would be
        assert np.array_equal(kept.read(-50, 20), whole[:20])
        assert len(kept.read(len(whole) - 2, len(whole) + 100)) == 2
        assert kept.read(5000, 6000).size == 0
        assert kept.read(0, 10).dtype == np.float32
    # nothing is left in the work folder once closed
    assert list(tmp_path.iterdir()) == []


def test_recognition_reads_whole_regions_in_stretches_cut_in_the_pauses() -> None:
    regions = [(1.0, 20.0), (22.0, 50.0), (52.0, 60.0), (70.0, 95.0), (96.0, 99.0)]
    chunks = recognition_chunks(regions, 100.0, max_s=40.0)
    # consecutive, from the start of the kept audio to its end
    assert chunks[0][0] == 0.0 and chunks[-1][1] == 100.0
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))
    # every region inside exactly one stretch, each stretch's speech spanning at most max_s
    for start, end in regions:
        assert sum(a <= start and end <= b for a, b in chunks) == 1
    assert chunks == [(0.0, 21.0), (21.0, 65.0), (65.0, 100.0)]
    # short speech is one call, as before
    assert recognition_chunks(regions, 100.0, max_s=300.0) == [(0.0, 100.0)]
    assert recognition_chunks([], 12.0) == [(0.0, 12.0)] and recognition_chunks([], 0.0) == []
    # a single region longer than max_s stays whole
    assert recognition_chunks([(0.5, 40.0), (41.0, 45.0)], 46.0, max_s=30.0) == [(0.0, 40.5), (40.5, 46.0)]


def test_a_stretch_s_segments_move_to_the_kept_audio_s_time() -> None:
    segment = Segment(1.0, 2.5, "hello there", "en", (Word(1.0, 1.4, " hello", 0.9), Word(1.5, 2.5, " there", 0.8)))
    moved = shifted(segment, 60.0)
    assert (moved.start, moved.end, moved.text, moved.language) == (61.0, 62.5, "hello there", "en")
    assert [(w.start, w.end, w.text) for w in moved.words] == [(61.0, 61.4, " hello"), (61.5, 62.5, " there")]
