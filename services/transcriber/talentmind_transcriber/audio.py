"""Recordings to 16 kHz float audio with PyAV (which ships its own FFmpeg): the audio track only.

The container is recognised from the bytes, not the file name. Video files give their audio track; video frames
are never decoded. Up to two channels are kept, so a stereo recording with one speaker per channel can tell the
speakers apart without a speaker model; speech recognition uses the mono mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from talentmind_transcriber.errors import MediaError

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class DecodedAudio:
    channels: np.ndarray  # (n_channels, n_samples) float32 in [-1, 1], n_channels 1 or 2
    sample_rate: int

    @property
    def mono(self) -> np.ndarray:
        mono: np.ndarray = (
            self.channels.mean(axis=0).astype(np.float32) if self.channels.shape[0] > 1 else self.channels[0]
        )
        return mono

    @property
    def duration_s(self) -> float:
        return float(self.channels.shape[1]) / self.sample_rate


def decode_audio(path: Path, *, max_duration_s: float) -> DecodedAudio:
    try:
        container = av.open(str(path), mode="r")
    except av.error.FFmpegError as exc:
        raise MediaError(f"cannot open recording: {exc}", code="not_media") from None
    with container:
        if not container.streams.audio:
            raise MediaError("the file has no audio track", code="no_audio_track")
        stream = container.streams.audio[0]
        declared = _declared_duration(container, stream)
        if declared is not None and declared > max_duration_s:
            raise MediaError(
                f"recording is {declared:.0f} s long, the maximum is {max_duration_s:.0f} s", code="media_too_long"
            )
        n_channels = 2 if (stream.codec_context.channels or 1) >= 2 else 1
        resampler = av.AudioResampler(format="fltp", layout="stereo" if n_channels == 2 else "mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        total = 0
        limit = int(max_duration_s * SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    array = out.to_ndarray().reshape(n_channels, -1)
                    chunks.append(array)
                    total += array.shape[1]
                if total > limit:
                    raise MediaError(
                        f"recording is longer than the maximum of {max_duration_s:.0f} s", code="media_too_long"
                    )
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(n_channels, -1))
        except av.error.FFmpegError as exc:
            raise MediaError(f"the audio track cannot be decoded: {exc}", code="undecodable_audio") from None
    if not chunks or sum(c.shape[1] for c in chunks) == 0:
        raise MediaError("the audio track is empty", code="empty_audio")
    samples = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    return DecodedAudio(np.clip(samples, -1.0, 1.0), SAMPLE_RATE)


def _declared_duration(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None
