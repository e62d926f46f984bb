"""Why a transcription job failed, in machine-readable codes the API shows on a failed interview."""

from __future__ import annotations


class TranscriptionError(Exception):
    """A job failure. ``permanent`` ones fail the interview at once; the others are retried with backoff."""

    code = "transcription_failed"
    permanent = True

    def __init__(self, message: str, *, code: str | None = None, permanent: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if permanent is not None:
            self.permanent = permanent


class MediaError(TranscriptionError):
    """The recording itself is unusable: not media, no audio track, too long, empty."""

    code = "invalid_media"


class TranscriptionCancelled(Exception):
    """The job was stopped from outside (the transcriber is shutting down): not a failure of the interview, the
    job is handed back and another worker does it again."""
