"""Keep only speech: the recording streamed window by window through the voice-activity detector.

Each decoded window (``audio.audio_windows``) goes through the Silero VAD; its speech regions are kept with up to
``KEEP_SILENCE_S`` of the silence on either side, so pauses up to twice that stay as they are and longer ones
are shortened to it, and leading and trailing silence to ``KEEP_SILENCE_S``. The rest of the window is dropped.
A region that may go on past the window's end is not cut: the audio from just before it is carried into the
next window and heard again there (:func:`carry_point`), so what is kept is what one pass over the whole
recording would keep, apart from the VAD's recurrent state, which starts afresh in each window (measured on an
8.5-minute interview in 60-second windows: 99% of speech time in the same regions, edges moved by tens of ms).

What is kept: the mono mix (float32: what recognition and the voice embeddings read, written as it comes to a
spooled temporary file, ``samples.KeptAudio``, so that hours of speech do not sit in memory) and, for stereo, the
channels' energies per 10 ms (``speakers.ChannelEnergy``: what channel separation reads). Recognition, units and
speakers then run on the kept audio; :class:`Timeline` maps its times back to the recording's, so every word's
timestamps are in the recording's time base.

Memory while decoding is one window of ``window_s`` (plus a carry of at most one 30-second region and some
context, and the VAD's copies of the window), whatever the recording's duration: four hours of silence cost
what one window costs. The kept speech is in memory up to the spool size (two minutes of speech) and on disk
beyond it (64 kB per second of speech); what stays in memory grows by the stereo energies (1.6 kB per second)
and the regions and spans (bytes per pause).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from talentmind_transcriber.audio import SAMPLE_RATE, AudioWindow, audio_windows, mono_mix
from talentmind_transcriber.samples import DEFAULT_SPOOL_BYTES, KeptAudio
from talentmind_transcriber.speakers import ChannelEnergy, speech_stamps

# Silence kept on each side of speech: enough that recognition hears pauses as pauses and turn hand-overs keep
# their gaps (the test interviews' pauses, 0.4-0.8 s, are kept whole).
KEEP_SILENCE_S = 2.0
Region = tuple[int, int]  # [start, end) in samples


@dataclass(frozen=True)
class Span:
    """A stretch of the recording that was kept: ``length`` samples from ``start``, at ``at`` in the kept audio."""

    start: int
    at: int
    length: int


class Timeline:
    """Times in the kept audio to times in the recording."""

    def __init__(self, spans: Sequence[Span], sample_rate: int = SAMPLE_RATE) -> None:
        self.spans = merge_spans(spans)
        self.sample_rate = sample_rate
        self._at = [s.at for s in self.spans]

    def to_recording(self, t: float, *, end: bool = False) -> float:
        """The recording's time of kept time ``t``. A time exactly where two spans join is the start of the later
        span, or with ``end`` the end of the earlier one (a word ending at a join does not take in the silence
        that was cut); times outside the kept audio are clamped to it."""
        if not self.spans:
            return t
        sample = t * self.sample_rate
        index = (bisect.bisect_left if end else bisect.bisect_right)(self._at, sample) - 1
        span = self.spans[min(max(index, 0), len(self.spans) - 1)]
        offset = min(max(sample - span.at, 0.0), float(span.length))
        return (span.start + offset) / self.sample_rate


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """Spans contiguous both in the recording and in the kept audio joined into one."""
    merged: list[Span] = []
    for span in spans:
        if span.length <= 0:
            continue
        last = merged[-1] if merged else None
        if last and last.start + last.length == span.start and last.at + last.length == span.at:
            merged[-1] = Span(last.start, last.at, last.length + span.length)
        else:
            merged.append(span)
    return merged


def carry_point(regions: Sequence[Region], n: int, *, last: bool, keep: int) -> int:
    """Where a buffer of ``n`` samples with these (sorted) speech regions is cut: before the cut everything is
    final, from it on the audio is carried into the next window.

    A region is final when it and the ``keep`` samples of silence after it end ``keep`` before the buffer's end:
    it cannot go on in the next window, and the carry still holds the lead-in of whatever speech comes next. The
    first region that is not final is carried whole with up to ``keep`` samples before it, never cutting into
    the region before. What is kept is then the same as in one pass over the whole recording. Regions are at most
    30 s, so the carry stays under 30 s plus three ``keep``."""
    if last:
        return n
    cut = max(n - keep, 0)
    previous_end = 0
    for start, end in regions:
        if end + keep > cut:
            return min(cut, max(previous_end, start - keep, 0))
        previous_end = end
    return cut


def kept_ranges(regions: Sequence[Region], cut: int, keep: int) -> list[Region]:
    """The sample ranges kept from a buffer: final regions (ending by ``cut``) with ``keep`` samples of silence
    either side, within [0, cut), overlapping ones merged."""
    ranges: list[Region] = []
    for start, end in regions:
        if end > cut:
            break
        a, b = max(start - keep, 0), min(end + keep, cut)
        if ranges and a <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], b))
        else:
            ranges.append((a, b))
    return ranges


@dataclass(frozen=True)
class Speech:
    """What was kept of a recording. Owns the kept audio's temporary file: close it (or use ``with``)."""

    audio: KeptAudio  # the kept audio, float32 mono, read by range
    energy: np.ndarray | None  # stereo: (2, n_blocks) block energies of the kept audio; mono: None
    regions: list[tuple[float, float]]  # speech regions in kept-audio seconds
    timeline: Timeline
    duration_s: float  # the whole recording's
    sample_rate: int = SAMPLE_RATE

    @property
    def kept_s(self) -> float:
        return len(self.audio) / self.sample_rate

    def __enter__(self) -> Speech:
        return self

    def __exit__(self, *exc: object) -> None:
        self.audio.close()


class SpeechCollector:
    """Feeds windows through the VAD and keeps their speech; :meth:`finish` hands over what was kept. The kept
    audio spills to a temporary file in ``work_dir`` (the system's temporary folder when None) past
    ``spool_bytes``."""

    def __init__(
        self, sample_rate: int = SAMPLE_RATE, *, work_dir: Path | None = None, spool_bytes: int = DEFAULT_SPOOL_BYTES
    ) -> None:
        self.sample_rate = sample_rate
        self._keep = int(KEEP_SILENCE_S * sample_rate)
        self._audio = KeptAudio(work_dir, spool_bytes=spool_bytes)
        self._energy: ChannelEnergy | None = None
        self._spans: list[Span] = []
        self._regions: list[tuple[float, float]] = []
        self._kept = 0
        self._carry: np.ndarray | None = None
        self._carry_start = 0
        self._end = 0

    def add(self, window: AudioWindow) -> None:
        if self._carry is not None:
            channels, base = np.concatenate([self._carry, window.channels], axis=1), self._carry_start
        else:
            channels, base = window.channels, window.start
        if channels.shape[0] == 2 and self._energy is None:
            self._energy = ChannelEnergy(2)
        mono = mono_mix(channels)
        regions = speech_stamps(mono)
        cut = carry_point(regions, len(mono), last=window.last, keep=self._keep)
        for a, b in kept_ranges(regions, cut, self._keep):
            self._keep_range(base, a, b, mono, channels, [r for r in regions if a <= r[0] and r[1] <= b])
        # A copy, so that the window's arrays are freed now rather than kept alive by a view of their tail.
        self._carry = channels[:, cut:].copy() if cut < len(mono) else None
        self._carry_start = base + cut
        self._end = window.end

    def _keep_range(
        self, base: int, a: int, b: int, mono: np.ndarray, channels: np.ndarray, regions: Sequence[Region]
    ) -> None:
        self._audio.append(mono[a:b])
        if self._energy is not None:
            self._energy.add(channels[:, a:b])
        self._spans.append(Span(base + a, self._kept, b - a))
        rate = self.sample_rate
        self._regions.extend(((self._kept + s - a) / rate, (self._kept + e - a) / rate) for s, e in regions)
        self._kept += b - a

    def close(self) -> None:
        """Drop what was kept (a job given up half way)."""
        self._audio.close()

    def finish(self) -> Speech:
        return Speech(
            audio=self._audio,
            energy=self._energy.finish() if self._energy is not None else None,
            regions=list(self._regions),
            timeline=Timeline(self._spans, self.sample_rate),
            duration_s=self._end / self.sample_rate,
            sample_rate=self.sample_rate,
        )


def extract_speech(
    path: Path,
    *,
    max_duration_s: float,
    window_s: float,
    each_window: Callable[[], None] | None = None,
    work_dir: Path | None = None,
) -> Speech:
    """The recording's speech, decoded and VAD-filtered window by window (see the module docstring).
    ``each_window`` is called before each window (a shutdown check may raise there). The caller closes the
    result."""
    collector = SpeechCollector(work_dir=work_dir)
    try:
        for window in audio_windows(path, max_duration_s=max_duration_s, window_s=window_s):
            if each_window is not None:
                each_window()
            collector.add(window)
            del window  # else the loop variable keeps this window alive while the decoder fills the next
    except BaseException:
        collector.close()
        raise
    return collector.finish()
