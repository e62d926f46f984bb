"""The transcriber's memory is bounded by its decode window, not by the recording's duration (issue 10, finding 3).

Each measurement runs ``memory_probe`` in a fresh process and reads its peak resident set (``VmHWM``), so the
test process's own memory and other tests do not blur it. The bound is generous (twice the measured cost of a
window, plus a fixed allowance); decoding the whole recording into one array, as before, would take gigabytes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from talentmind_transcriber.audio import decode_audio
from talentmind_transcriber.speakers import speech_regions
from talentmind_transcriber.speech import extract_speech
from tests.conftest import ROOT
from tests.integration.transcriber.memory_probe import write_flac, write_speech_flac

MEDIA = ROOT / "tests" / "fixtures" / "media"
WINDOW_S = 60.0
# Measured on this project's CI machine: 70 MB for 60-second windows of noise the VAD must listen to (about 0.8 MB
# per second of window: the window, its mono mix, the VAD's padded copy and onnxruntime's tensors).
FIXED_ALLOWANCE_MB = 64.0
PER_WINDOW_SECOND_MB = 2.0
BOUND_MB = FIXED_ALLOWANCE_MB + PER_WINDOW_SECOND_MB * WINDOW_S


def probe(path: Path, *extra: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "tests.integration.transcriber.memory_probe", "measure", str(path), *extra]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(facts)
    return facts


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("long-media")
    files = {
        # two hours of digital silence, stereo at 44.1 kHz (resampled while decoding): 1.1 MB of FLAC
        "silence": (folder / "silence-2h.flac", 7200.0, 2, 44_100, None),
        # half an hour of quiet noise: every window goes through the VAD model
        "noise": (folder / "noise-30m.flac", 1800.0, 1, 16_000, -50.0),
    }
    for path, seconds, channels, rate, noise in files.values():
        write_flac(path, seconds, channels=channels, rate=rate, noise_dbfs=noise)
    found = {name: spec[0] for name, spec in files.items()}
    # an hour of speech (the sample interview over and over): all of it is kept
    found["speech"] = folder / "speech-1h.flac"
    write_speech_flac(found["speech"], 3600.0, MEDIA / "sample_interview.m4a")
    return found


@pytest.mark.parametrize(("name", "seconds"), [("silence", 7200.0), ("noise", 1800.0)])
def test_decode_and_vad_memory_is_bounded_by_the_window(recordings: dict[str, Path], name: str, seconds: float) -> None:
    facts = probe(recordings[name], "--window-s", str(WINDOW_S))
    assert facts["audio_s"] == pytest.approx(seconds, abs=0.1)
    assert facts["kept_s"] == 0 and facts["regions"] == 0
    assert facts["growth_mb"] < BOUND_MB, facts
    # what a job took is handed back once it is over (the C heap trimmed)
    assert facts["after_trim_mb"] - facts["baseline_mb"] < FIXED_ALLOWANCE_MB, facts


def test_an_hour_of_speech_is_kept_outside_memory(recordings: dict[str, Path]) -> None:
    """Kept speech goes to a spooled file: an hour of it (230 MB as float32, measured 572 MB of growth when it was
    one array) costs what a window costs. Recognition then reads it ``window_s`` at a time (the stretches are
    tested in ``test_transcription``)."""
    facts = probe(recordings["speech"], "--window-s", str(WINDOW_S))
    assert facts["audio_s"] == pytest.approx(3600.0, abs=0.1)
    assert facts["kept_s"] > 3000 and facts["regions"] > 500
    assert facts["growth_mb"] < BOUND_MB, facts
    assert facts["after_trim_mb"] - facts["baseline_mb"] < FIXED_ALLOWANCE_MB, facts


def test_a_whole_job_on_hours_of_silence_ends_where_it_started(recordings: dict[str, Path]) -> None:
    """The finding: four hours of silence took the transcriber from 1.2 GB to 5.1 GB and 2.1 GB stayed. A job
    (the real model loaded) now fails with ``no_speech`` before recognition, within the window's bound, and hands
    back what it took by itself (``after_mb`` is read before the probe trims anything)."""
    facts = probe(recordings["silence"], "--pipeline", "--window-s", str(WINDOW_S))
    assert facts["code"] == "no_speech"
    assert facts["growth_mb"] < BOUND_MB, facts
    assert facts["after_mb"] - facts["baseline_mb"] < FIXED_ALLOWANCE_MB, facts


@pytest.mark.parametrize(
    "name", ["en_interview.mp3", "ru_interview.m4a", "stereo_interview.m4a", "sample_interview.m4a"]
)
def test_streaming_keeps_the_speech_regions_of_the_whole_file(name: str) -> None:
    """The recordings the transcription tests check fit in one window: the same regions as one pass over the whole
    file, in the recording's time base, and all of the audio kept (their pauses are short)."""
    whole = decode_audio(MEDIA / name, max_duration_s=3600)
    speech = extract_speech(MEDIA / name, max_duration_s=3600, window_s=300)
    expected = speech_regions(whole.mono, whole.sample_rate)
    to_recording = speech.timeline.to_recording
    flat = [t for a, b in speech.regions for t in (to_recording(a), to_recording(b, end=True))]
    assert flat == pytest.approx([t for region in expected for t in region], abs=1e-6)
    assert speech.duration_s == pytest.approx(whole.duration_s)
    assert len(speech.audio) == whole.channels.shape[1]
    assert (speech.energy is not None) == (whole.channels.shape[0] == 2)
