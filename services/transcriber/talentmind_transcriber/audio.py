"""Recordings to 16 kHz float audio with PyAV (which ships its own FFmpeg): the audio track only, in windows.

The container is recognised from the bytes, not the file name. Video files give their audio track; video frames
are never decoded. Up to two channels are kept, so a stereo recording with one speaker per channel can tell the
speakers apart without a speaker model; speech recognition uses the mono mix.

Memory is bounded by the window, not by the recording: :func:`audio_windows` yields the recording in windows of
``window_s`` seconds (each a fresh array the caller owns), so a four-hour file costs what one window costs as long
as the caller keeps only what it needs (``speech.py`` keeps speech only). :func:`decode_audio` joins all windows
for callers that want the whole recording (benchmarks, short files).

Duration checks, and why these and not others:

* **Declared longer than ``max_duration_s``** (the container's header or stream duration): ``media_too_long``
  before a single frame is decoded.
* **No declared duration, or one that is not a positive finite number** (raw streams, some live recordings, a
  corrupt header): decoding goes on, and stops with ``media_too_long`` as soon as the decoded audio passes
  ``max_duration_s``. Such files are legitimate, so they are not refused for the missing header alone.
* **Decoded audio far beyond the declared duration** (more than ``DURATION_MISMATCH_RATIO`` times it plus
  ``DURATION_MISMATCH_SLACK_S``): ``duration_mismatch``, at once. A header that understates the length is how a
  small file would pass the first check and then decode for hours; ordinary inaccuracy (an MP3 without a Xing
  header whose duration FFmpeg estimates from the first frames' bitrate, encoder padding) stays well inside the
  margin. A recording shorter than declared (a truncated upload) is decoded as it is.
* **No bytes-per-second floor.** Four hours of silence in FLAC is 2.7 MB (190 B/s) and Opus with DTX is smaller
  still, so a floor low enough never to refuse real recordings catches nothing, and one high enough to matter
  refuses silent stretches of real interviews. What a small-but-long file could cost is memory (now bounded by
  the window) and decoding time (bounded by ``max_duration_s``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from talentmind_transcriber.errors import MediaError

SAMPLE_RATE = 16_000
# Decoded audio may run past the declared duration by this factor plus this many seconds before the header is
# treated as a lie (see the module docstring).
DURATION_MISMATCH_RATIO = 2.0
DURATION_MISMATCH_SLACK_S = 60.0
# The whole-recording decode of decode_audio reads in windows of this length.
WHOLE_FILE_WINDOW_S = 300.0


@dataclass(frozen=True)
class AudioWindow:
    start: int  # index of the window's first sample in the recording
    channels: np.ndarray  # (n_channels, n_samples) float32 in [-1, 1], n_channels 1 or 2
    last: bool  # no audio follows this window
    sample_rate: int = SAMPLE_RATE

    @property
    def mono(self) -> np.ndarray:
        return mono_mix(self.channels)

    @property
    def end(self) -> int:
        return self.start + int(self.channels.shape[1])


@dataclass(frozen=True)
class DecodedAudio:
    channels: np.ndarray  # (n_channels, n_samples) float32 in [-1, 1], n_channels 1 or 2
    sample_rate: int

    @property
    def mono(self) -> np.ndarray:
        return mono_mix(self.channels)

    @property
    def duration_s(self) -> float:
        return float(self.channels.shape[1]) / self.sample_rate


def mono_mix(channels: np.ndarray) -> np.ndarray:
    mono: np.ndarray = channels.mean(axis=0).astype(np.float32) if channels.shape[0] > 1 else channels[0]
    return mono


def decode_audio(path: Path, *, max_duration_s: float) -> DecodedAudio:
    """The whole recording in one array: for short files and tools; the pipeline streams (``speech.py``)."""
    windows = [w.channels for w in audio_windows(path, max_duration_s=max_duration_s, window_s=WHOLE_FILE_WINDOW_S)]
    return DecodedAudio(np.concatenate(windows, axis=1), SAMPLE_RATE)


def audio_windows(path: Path, *, max_duration_s: float, window_s: float) -> Iterator[AudioWindow]:
    """The recording's audio in consecutive windows of ``window_s`` seconds (the last one shorter); raises
    :class:`MediaError` for unusable media and the duration checks of the module docstring."""
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
        window = max(1, int(window_s * SAMPLE_RATE))
        try:
            yield from _windows(_blocks(container, stream, n_channels), n_channels, window, max_duration_s, declared)
        except av.error.FFmpegError as exc:
            raise MediaError(f"the audio track cannot be decoded: {exc}", code="undecodable_audio") from None


def _blocks(
    container: av.container.InputContainer, stream: av.audio.stream.AudioStream, n_channels: int
) -> Iterator[np.ndarray]:
    """Resampled blocks of (n_channels, n) float32 as the decoder produces them (a few thousand samples each)."""
    resampler = av.AudioResampler(format="fltp", layout="stereo" if n_channels == 2 else "mono", rate=SAMPLE_RATE)
    for frame in container.decode(stream):
        for out in resampler.resample(frame):
            yield out.to_ndarray().reshape(n_channels, -1)
    for out in resampler.resample(None):
        yield out.to_ndarray().reshape(n_channels, -1)


def _windows(
    blocks: Iterator[np.ndarray], n_channels: int, window: int, max_duration_s: float, declared: float | None
) -> Iterator[AudioWindow]:
    """Blocks copied into preallocated windows. A full window is yielded only once the next block has arrived,
    so the last window knows it is last; each window is a fresh array (large, so the allocator maps and unmaps it
    instead of fragmenting its heap with thousands of frame-sized pieces)."""
    buffer = np.empty((n_channels, window), dtype=np.float32)
    filled = 0
    start = 0
    for block in blocks:
        at = 0
        while at < block.shape[1]:
            if filled == window:
                yield _window(buffer, start, window, last=False)
                start += window
                buffer, filled = np.empty((n_channels, window), dtype=np.float32), 0
            take = min(window - filled, block.shape[1] - at)
            buffer[:, filled : filled + take] = block[:, at : at + take]
            filled += take
            at += take
        check_decoded_duration((start + filled) / SAMPLE_RATE, max_duration_s=max_duration_s, declared=declared)
    if start + filled == 0:
        raise MediaError("the audio track is empty", code="empty_audio")
    yield _window(buffer, start, filled, last=True)


def _window(buffer: np.ndarray, start: int, filled: int, *, last: bool) -> AudioWindow:
    channels = buffer if filled == buffer.shape[1] else buffer[:, :filled].copy()
    np.clip(channels, -1.0, 1.0, out=channels)
    return AudioWindow(start, channels, last)


def check_decoded_duration(decoded_s: float, *, max_duration_s: float, declared: float | None) -> None:
    """Raise when the audio decoded so far is already too long, or far longer than the header said."""
    if decoded_s > max_duration_s:
        raise MediaError(f"recording is longer than the maximum of {max_duration_s:.0f} s", code="media_too_long")
    if declared is not None and decoded_s > declared * DURATION_MISMATCH_RATIO + DURATION_MISMATCH_SLACK_S:
        raise MediaError(
            f"the recording declares {declared:.0f} s but decodes to more than {decoded_s:.0f} s",
            code="duration_mismatch",
        )


def plausible_duration(seconds: float | None) -> float | None:
    """A declared duration worth checking against: positive and finite; anything else counts as not declared."""
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        return None
    return seconds


def _declared_duration(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float | None:
    """The stream's duration, else the container's; None when neither is a plausible number."""
    stream_s = None
    if stream.duration is not None and stream.time_base is not None:
        stream_s = plausible_duration(float(stream.duration * stream.time_base))
    if stream_s is None and container.duration is not None:
        return plausible_duration(container.duration / 1_000_000)
    return stream_s
