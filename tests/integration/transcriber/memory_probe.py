"""Peak memory of the transcriber's decode and voice-activity step (or of a whole job), measured in a fresh process.

Run from the repository root::

    .venv/bin/python -m tests.integration.transcriber.memory_probe make /tmp/4h.flac --seconds 14400
    .venv/bin/python -m tests.integration.transcriber.memory_probe measure /tmp/4h.flac            # streaming
    .venv/bin/python -m tests.integration.transcriber.memory_probe measure /tmp/4h.flac --whole    # one array
    .venv/bin/python -m tests.integration.transcriber.memory_probe measure /tmp/4h.flac --pipeline # a whole job

``measure`` prints one JSON line: the resident set before the step (``baseline_mb``: interpreter, libraries and
the VAD model loaded), its peak (``peak_mb``: the kernel's high-water mark, reset just before the step), what
stays resident afterwards before and after the C heap is trimmed, and the recording's and the kept speech's
duration. ``--whole`` is the decode of the whole recording into one array followed by the VAD over it (what the
transcriber did before streaming); it needs only ``decode_audio`` and ``speech_regions``, so it also runs against
older checkouts (``PYTHONPATH``).
``make`` writes a FLAC file of digital silence, of quiet noise (``--noise-dbfs``) that makes the VAD model run, or
of a real recording played over and over (``--speech FILE``: hours of speech, the case where the kept speech is
what grows)::

    .venv/bin/python -m tests.integration.transcriber.memory_probe make /tmp/1h-speech.flac --seconds 3600 \
        --speech tests/fixtures/media/sample_interview.m4a
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import inspect
import json
import resource
import time
from pathlib import Path
from typing import Any

import av
import numpy as np

FRAME = 4608  # FLAC's usual block size


def write_flac(
    path: Path, seconds: float, *, channels: int = 1, rate: int = 16_000, noise_dbfs: float | None = None
) -> None:
    """A FLAC file of silence (``noise_dbfs`` None) or of white noise at that level (fixed seed)."""
    layout = "stereo" if channels == 2 else "mono"
    rng = np.random.default_rng(0)
    amplitude = 0 if noise_dbfs is None else int(32767 * 10 ** (noise_dbfs / 20))
    total = int(seconds * rate)
    with av.open(str(path), mode="w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate, layout=layout)
        silence = np.zeros((1, FRAME * channels), dtype=np.int16)
        for pts in range(0, total, FRAME):
            n = min(FRAME, total - pts)
            if amplitude:
                samples = rng.integers(-amplitude, amplitude + 1, size=(1, n * channels), dtype=np.int16)
            else:
                samples = silence[:, : n * channels]
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples), format="s16", layout=layout)
            frame.sample_rate, frame.pts = rate, pts
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def write_speech_flac(path: Path, seconds: float, source: Path) -> None:
    """A mono 16 kHz FLAC file of ``source`` (decoded once) repeated until ``seconds`` are written."""
    from talentmind_transcriber.audio import SAMPLE_RATE, decode_audio

    pcm = (np.clip(decode_audio(source, max_duration_s=3600).mono, -1, 1) * 32767).astype(np.int16)
    total = int(seconds * SAMPLE_RATE)
    with av.open(str(path), mode="w", format="flac") as out:
        stream = out.add_stream("flac", rate=SAMPLE_RATE, layout="mono")
        for pts in range(0, total, FRAME):
            n = min(FRAME, total - pts)
            at = pts % len(pcm)
            samples = np.concatenate([pcm[at:], pcm])[:n] if at + n > len(pcm) else pcm[at : at + n]
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[None, :]), format="s16", layout="mono")
            frame.sample_rate, frame.pts = SAMPLE_RATE, pts
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    """The process's peak resident set (``VmHWM``). Not ``getrusage``: its ``ru_maxrss`` survives ``exec`` and so
    reports the parent's size when a large process (a pytest that loaded a model) starts the probe."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the peak afresh from the current resident set (Linux 4.0+), so the peak is the job's alone."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def measure(path: Path, *, mode: str, window_s: float, max_duration_s: float) -> dict[str, Any]:
    from faster_whisper.vad import get_speech_timestamps

    # The allocator settings the transcriber runs with (older checkouts had none).
    with contextlib.suppress(ImportError):
        from talentmind_transcriber.heap import limit_heap_growth

        limit_heap_growth()

    # Load the VAD model and let onnxruntime allocate once, so the baseline holds what every job shares.
    get_speech_timestamps(np.random.default_rng(0).standard_normal(16_000).astype(np.float32) * 0.1)
    job = _job(mode, path, window_s=window_s, max_duration_s=max_duration_s)
    gc.collect()
    reset_peak()
    baseline, started = rss_mb(), time.perf_counter()
    facts = job()
    seconds = time.perf_counter() - started
    gc.collect()
    after = rss_mb()
    _trim()
    return {
        "file": str(path),
        "mode": mode,
        "bytes": path.stat().st_size,
        **facts,
        "baseline_mb": round(baseline),
        "peak_mb": round(peak_mb()),
        "growth_mb": round(peak_mb() - baseline),
        "after_mb": round(after),
        "after_trim_mb": round(rss_mb()),
        "seconds": round(seconds, 1),
    }


def _job(mode: str, path: Path, *, window_s: float, max_duration_s: float) -> Any:
    if mode == "whole":
        from talentmind_transcriber.audio import decode_audio
        from talentmind_transcriber.speakers import speech_regions

        def whole() -> dict[str, Any]:
            audio = decode_audio(path, max_duration_s=max_duration_s)
            regions = speech_regions(audio.mono, audio.sample_rate)
            return {"audio_s": audio.duration_s, "regions": len(regions)}

        return whole
    if mode == "pipeline":
        return _pipeline_job(path, window_s=window_s, max_duration_s=max_duration_s)
    from talentmind_transcriber.speech import extract_speech

    def streaming() -> dict[str, Any]:
        speech = extract_speech(path, max_duration_s=max_duration_s, window_s=window_s)
        kept = speech.audio if hasattr(speech, "audio") else speech.mono  # older checkouts kept one array
        facts = {"audio_s": speech.duration_s, "kept_s": len(kept) / speech.sample_rate, "regions": len(speech.regions)}
        if hasattr(kept, "close"):
            kept.close()
        return facts

    return streaming


def _pipeline_job(path: Path, *, window_s: float, max_duration_s: float) -> Any:
    """A whole transcription job with the default model (assembled under .local/models from its wheels)."""
    from talentmind.settings import Settings
    from talentmind_transcriber.asr import SpeechRecognizer
    from talentmind_transcriber.errors import MediaError
    from talentmind_transcriber.model_cache import resolve_model
    from talentmind_transcriber.pipeline import TranscriptionPipeline
    from talentmind_transcriber.speakers import VoiceEmbedder

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    root = Path(__file__).resolve().parents[3]
    recognizer = SpeechRecognizer(resolve_model(settings.asr_model, root / ".local" / "models"))
    # Older checkouts (the numbers before streaming) have no window.
    window = {"window_s": window_s} if "window_s" in inspect.signature(TranscriptionPipeline).parameters else {}
    pipeline = TranscriptionPipeline(recognizer, VoiceEmbedder(), max_duration_s=max_duration_s, **window)

    def job() -> dict[str, Any]:
        try:
            result = pipeline.run(path)
        except MediaError as exc:
            return {"code": exc.code}
        return {"code": "ok", "audio_s": result.audio_s, "turns": len(result.turns)}

    return job


def _trim() -> None:
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("make")
    make.add_argument("path", type=Path)
    make.add_argument("--seconds", type=float, required=True)
    make.add_argument("--channels", type=int, choices=(1, 2), default=1)
    make.add_argument("--rate", type=int, default=16_000)
    make.add_argument("--noise-dbfs", type=float)
    make.add_argument("--speech", type=Path, help="a recording to repeat (mono 16 kHz)")
    run = commands.add_parser("measure")
    run.add_argument("path", type=Path)
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--whole", action="store_const", const="whole", dest="mode")
    mode.add_argument("--pipeline", action="store_const", const="pipeline", dest="mode")
    run.add_argument("--window-s", type=float, default=300.0)
    run.add_argument("--max-duration-s", type=float, default=4 * 3600.0)
    args = parser.parse_args()
    if args.command == "make" and args.speech:
        write_speech_flac(args.path, args.seconds, args.speech)
    elif args.command == "make":
        write_flac(args.path, args.seconds, channels=args.channels, rate=args.rate, noise_dbfs=args.noise_dbfs)
    else:
        facts = measure(
            args.path, mode=args.mode or "streaming", window_s=args.window_s, max_duration_s=args.max_duration_s
        )
        print(json.dumps(facts))


if __name__ == "__main__":
    main()
