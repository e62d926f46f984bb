"""Keeping only speech, window by window: where a window is cut, what is kept, and how kept time maps back to the
recording's. A fake VAD (loud samples are speech) makes the windowing deterministic."""

from __future__ import annotations

import math

import numpy as np
import pytest

from talentmind_transcriber import speech as speech_module
from talentmind_transcriber.asr import Word
from talentmind_transcriber.audio import AudioWindow, check_decoded_duration, plausible_duration
from talentmind_transcriber.errors import MediaError
from talentmind_transcriber.speakers import ENERGY_BLOCK, ChannelEnergy, channel_energy, channel_labels
from talentmind_transcriber.speech import (
    Region,
    Span,
    SpeechCollector,
    Timeline,
    carry_point,
    kept_ranges,
    merge_spans,
)
from talentmind_transcriber.turns import Turn, Unit, retime_turns

RATE = 100  # samples per second in the collector tests: small numbers, same logic


def test_a_region_that_may_go_on_is_carried_with_its_lead_in() -> None:
    assert carry_point([(100, 200), (900, 970)], 1000, last=False, keep=20) == 880
    # the lead-in never reaches into the region before, so no region is ever split by a cut
    assert carry_point([(100, 890), (900, 970)], 1000, last=False, keep=20) == 890
    # a region whose kept silence would reach into the last ``keep`` samples is carried too
    assert carry_point([(100, 200), (500, 965)], 1000, last=False, keep=20) == 480
    # nothing near the end: all final but the last ``keep``, the next speech's lead-in
    assert carry_point([(100, 200)], 1000, last=False, keep=20) == 980
    assert carry_point([(100, 1000)], 1000, last=True, keep=20) == 1000


def test_kept_ranges_pad_speech_with_silence_and_merge_what_touches() -> None:
    regions: list[Region] = [(100, 200), (230, 300), (600, 700), (940, 1000)]
    assert kept_ranges(regions, 900, keep=20) == [(80, 320), (580, 720)]
    assert kept_ranges([(5, 50)], 60, keep=20) == [(0, 60)]


def test_timeline_maps_kept_time_to_recording_time() -> None:
    timeline = Timeline([Span(start=100, at=0, length=50), Span(start=400, at=50, length=50)], sample_rate=10)
    assert timeline.to_recording(0.0) == 10.0
    assert timeline.to_recording(2.5) == 12.5
    assert timeline.to_recording(5.0) == 40.0  # a start at a join is the later span's start
    assert timeline.to_recording(5.0, end=True) == 15.0  # an end there is the earlier span's end
    assert timeline.to_recording(7.0) == 42.0
    assert timeline.to_recording(99.0) == 45.0 and timeline.to_recording(-1.0) == 10.0  # clamped
    assert Timeline([]).to_recording(3.0) == 3.0


def test_contiguous_spans_merge() -> None:
    spans = [Span(0, 0, 10), Span(10, 10, 5), Span(30, 15, 5), Span(35, 20, 0)]
    assert merge_spans(spans) == [Span(0, 0, 15), Span(30, 15, 5)]


def loud_is_speech(audio: np.ndarray) -> list[tuple[int, int]]:
    """A fake VAD: runs of samples above 0.3, merged over gaps under 5 samples, at most 30 s (as Silero's)."""
    loud = np.flatnonzero(np.abs(audio) > 0.3)
    regions: list[tuple[int, int]] = []
    for i in loud.tolist():
        if regions and i - regions[-1][1] < 5 and i + 1 - regions[-1][0] <= 30 * RATE:
            regions[-1] = (regions[-1][0], i + 1)
        else:
            regions.append((i, i + 1))
    return regions


def collect(
    signal: np.ndarray, window: int, monkeypatch: pytest.MonkeyPatch, *, spool_bytes: int = 1 << 20
) -> speech_module.Speech:
    monkeypatch.setattr(speech_module, "speech_stamps", loud_is_speech)
    collector = SpeechCollector(sample_rate=RATE, spool_bytes=spool_bytes)
    for start in range(0, signal.shape[1], window):
        chunk = signal[:, start : start + window].astype(np.float32)
        collector.add(AudioWindow(start, chunk, last=start + window >= signal.shape[1], sample_rate=RATE))
    return collector.finish()


def speech_at(n: int, *spans: tuple[float, float], channel: int | None = None) -> np.ndarray:
    signal = np.zeros((1 if channel is None else 2, n), dtype=np.float32)
    for a, b in spans:
        signal[channel or 0, int(a * RATE) : int(b * RATE)] = 0.9
    return signal


def test_windows_keep_the_speech_of_the_whole_recording_in_its_time_base(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20 minutes; speech across window ends (at 60 s and 120 s), a long silence, a short pause kept as it is
    talk = [(10.0, 14.0), (58.0, 63.0), (64.0, 66.0), (119.5, 121.0), (900.0, 905.0)]
    signal = speech_at(1200 * RATE, *talk)
    kept = collect(signal, 60 * RATE, monkeypatch)
    assert kept.duration_s == 1200.0
    regions = [(kept.timeline.to_recording(a), kept.timeline.to_recording(b, end=True)) for a, b in kept.regions]
    assert np.allclose(regions, talk, atol=0.011)
    # only speech and its padding are kept; the one-second pause at 63 s survives untouched
    assert kept.kept_s <= sum(b - a + 2 * speech_module.KEEP_SILENCE_S for a, b in talk)
    assert kept.timeline.to_recording(kept.regions[2][0]) - kept.timeline.to_recording(kept.regions[1][1]) == 1.0
    assert kept.energy is None


def test_the_result_does_not_depend_on_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    signal = speech_at(600 * RATE, (5.0, 34.0), (59.9, 60.2), (61.0, 89.0), (300.0, 330.0))
    one = collect(signal, 600 * RATE, monkeypatch)
    # and whether the kept audio stayed in memory or spilled to a file (a 4 kB spool: on disk after 10 s)
    windowed = collect(signal, 60 * RATE, monkeypatch, spool_bytes=4096)
    assert len(one.audio) == len(windowed.audio) > 0
    assert np.array_equal(one.audio.read(0, len(one.audio)), windowed.audio.read(0, len(windowed.audio)))
    assert one.regions == windowed.regions
    assert one.timeline.spans == windowed.timeline.spans


def test_silence_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = collect(np.zeros((2, 3600 * RATE), dtype=np.float32), 60 * RATE, monkeypatch)
    assert kept.regions == [] and len(kept.audio) == 0 and kept.duration_s == 3600.0


def test_stereo_keeps_channel_energy_that_tells_the_speakers_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    signal = speech_at(300 * RATE, (10.0, 12.0), (70.0, 72.0), channel=0) + speech_at(
        300 * RATE, (40.0, 43.0), (130.0, 131.0), channel=1
    )
    kept = collect(signal, 60 * RATE, monkeypatch)
    assert kept.energy is not None and kept.energy.shape[0] == 2
    units = [Unit(a, b, "x") for a, b in kept.regions]
    assert channel_labels(kept.energy, units, RATE) == [0, 1, 0, 1]


def test_channel_energy_is_the_same_fed_whole_or_in_pieces() -> None:
    rng = np.random.default_rng(7)
    audio = rng.standard_normal((2, 10 * ENERGY_BLOCK + 37)).astype(np.float32)
    pieces = ChannelEnergy(2)
    for a in range(0, audio.shape[1], 333):
        pieces.add(audio[:, a : a + 333])
    whole = channel_energy(audio)
    assert whole.shape == (2, 11)
    assert np.allclose(pieces.finish(), whole)
    assert np.allclose(whole[:, 0], (audio[:, :ENERGY_BLOCK].astype(np.float64) ** 2).mean(axis=1))


def test_mono_has_no_channel_labels() -> None:
    assert channel_labels(None, [Unit(0, 1, "x")], 16_000) is None
    assert channel_labels(np.ones((1, 100)), [Unit(0, 1, "x")], 16_000) is None


def test_turns_and_words_are_retimed() -> None:
    timeline = Timeline([Span(0, 0, 100), Span(1000, 100, 100)], sample_rate=100)
    turn = Turn("candidate", 0.5, 1.5, "a b", "en", (Word(0.5, 1.0, " a", 0.9), Word(1.0, 1.5, " b", 0.9)))
    (moved,) = retime_turns([turn], timeline.to_recording)
    assert (moved.start, moved.end) == (0.5, 10.5)
    assert [(w.start, w.end) for w in moved.words] == [(0.5, 1.0), (10.0, 10.5)]
    assert moved.text == turn.text and moved.speaker == turn.speaker


def test_decoded_duration_checks() -> None:
    check_decoded_duration(100.0, max_duration_s=3600, declared=60.0)  # within the header's margin
    check_decoded_duration(5000.0, max_duration_s=14400, declared=None)  # no header: only the maximum holds
    with pytest.raises(MediaError) as caught:
        check_decoded_duration(3601.0, max_duration_s=3600, declared=None)
    assert caught.value.code == "media_too_long"
    with pytest.raises(MediaError) as caught:
        check_decoded_duration(200.0, max_duration_s=3600, declared=60.0)
    assert caught.value.code == "duration_mismatch" and caught.value.permanent


@pytest.mark.parametrize(
    ("declared", "kept"), [(12.5, 12.5), (0.0, None), (-3.0, None), (math.nan, None), (None, None)]
)
def test_implausible_declared_durations_count_as_missing(declared: float | None, kept: float | None) -> None:
    assert plausible_duration(declared) == kept
