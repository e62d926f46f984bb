"""Download an interview recording from its ``media_url``: streamed to a file, with limits and SSRF protection.

- http/https only; every hop of a redirect chain is checked again (scheme, URL, addresses), redirects are followed
  here (never by aiohttp) up to ``max_redirects``.
- Connections go only to addresses that passed :func:`talentmind.netsafety.resolve_safe`: the session's connector
  (:class:`SafeConnector`) resolves through it, so the check and the connection use the same lookup and a DNS answer
  that changes between the two (DNS rebinding) cannot slip through. IP-literal hosts, which aiohttp never hands to
  a resolver, are checked before the request.
- The body is streamed to ``dest`` in chunks and refused as soon as it passes ``max_bytes`` (or up front when
  ``Content-Length`` says so); the whole fetch, redirects included, runs under one deadline.
- Failures are :class:`MediaFetchError` subclasses with a machine-readable ``code`` and ``permanent``: permanent
  ones can never succeed (mark the interview failed), transient ones are worth retrying with backoff by the caller.
  Nothing is retried here. A partial file is removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, ClassVar

import aiohttp
from yarl import URL

from talentmind.netsafety import (
    BAD_SCHEME,
    BAD_URL,
    SSRF_BLOCKED,
    TargetPolicy,
    UnsafeTargetError,
    check_url,
)
from talentmind.safe_http import SafeConnector, SafeResolver, checked_literal

__all__ = [
    "USER_AGENT",
    "BadSchemeError",
    "BadURLError",
    "FetchResult",
    "MediaConnectionError",
    "MediaFetchError",
    "MediaHTTPError",
    "MediaNotFoundError",
    "MediaServerError",
    "MediaTargetError",
    "MediaTimeoutError",
    "MediaTooLargeError",
    "PermanentMediaError",
    "SSRFBlockedError",
    "SafeConnector",
    "SafeResolver",
    "TooManyRedirectsError",
    "TransientMediaError",
    "fetch_media",
]

USER_AGENT = "TalentMind-Transcriber/0.1"
READ_CHUNK = 64 * 1024
WRITE_BUFFER = 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchResult:
    path: Path
    size: int
    content_type: str | None  # the response's media type (no parameters), None when it sent none
    final_url: str  # the URL the body came from, after redirects
    redirects: int


# --- errors -------------------------------------------------------------------------------------------------------


class MediaFetchError(Exception):
    """A media download that failed. ``code`` is machine-readable; ``permanent`` says whether a retry can help."""

    code: str = "media_fetch_error"
    permanent: ClassVar[bool] = True

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url  # without query string and fragment (they may hold signatures)
        self.status = status  # the HTTP status when one was received

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, status={self.status!r})"


class PermanentMediaError(MediaFetchError):
    permanent: ClassVar[bool] = True


class TransientMediaError(MediaFetchError):
    permanent: ClassVar[bool] = False


class MediaTargetError(PermanentMediaError):
    """The URL or an address it leads to is refused (see :mod:`talentmind.netsafety`)."""

    code = BAD_URL

    @staticmethod
    def from_unsafe(exc: UnsafeTargetError, url: str | None = None) -> MediaTargetError:
        cls: type[MediaTargetError] = {SSRF_BLOCKED: SSRFBlockedError, BAD_SCHEME: BadSchemeError}.get(
            exc.code, BadURLError
        )
        return cls(exc.message, url=url)


class SSRFBlockedError(MediaTargetError):
    code = SSRF_BLOCKED


class BadSchemeError(MediaTargetError):
    code = BAD_SCHEME


class BadURLError(MediaTargetError):
    code = BAD_URL


class MediaNotFoundError(PermanentMediaError):
    code = "media_not_found"  # 404, 410


class MediaHTTPError(PermanentMediaError):
    code = "media_http_error"  # any other 4xx but 429; an unusable 1xx/3xx answer


class MediaTooLargeError(PermanentMediaError):
    code = "media_too_large"


class TooManyRedirectsError(PermanentMediaError):
    code = "too_many_redirects"


class MediaTimeoutError(TransientMediaError):
    code = "media_timeout"


class MediaServerError(TransientMediaError):
    """5xx or 429. ``retry_after_s`` is the server's ``Retry-After`` in seconds when it sent a number."""

    code = "media_server_error"

    def __init__(
        self, message: str, *, url: str | None = None, status: int | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.retry_after_s = retry_after_s


class MediaConnectionError(TransientMediaError):
    code = "media_connection_error"  # refused, reset, DNS failure, TLS failure, truncated body


# --- connector ----------------------------------------------------------------------------------------------------


# --- fetching -----------------------------------------------------------------------------------------------------


def _display(url: URL) -> str:
    return str(url.with_query(None).with_fragment(None))


def _display_raw(url: str) -> str:
    try:
        return _display(URL(url))
    except (ValueError, TypeError):
        return "(unparsable URL)"


class _FileSink:
    """Writes chunks to a file off the event loop, at most ``WRITE_BUFFER`` bytes held in memory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None
        self._buf = bytearray()
        self._pending: asyncio.Future[int] | None = None

    async def open(self) -> None:
        self._fh = await asyncio.to_thread(open, self.path, "wb")

    async def write(self, data: bytes) -> None:
        self._buf += data
        if len(self._buf) >= WRITE_BUFFER:
            await self._flush()

    async def _flush(self) -> None:
        if not self._buf or self._fh is None:
            return
        data, self._buf = bytes(self._buf), bytearray()
        self._pending = asyncio.ensure_future(asyncio.to_thread(self._fh.write, data))
        await asyncio.shield(self._pending)  # a cancelled caller does not stop the write; abort() waits for it

    async def close(self) -> None:
        await self._flush()
        if self._fh is not None:
            fh, self._fh = self._fh, None
            await asyncio.to_thread(fh.close)

    async def abort(self) -> None:
        try:
            if self._pending is not None and not self._pending.done():
                await asyncio.wait({self._pending})
        finally:
            _discard(self._fh, self.path)
            self._fh = None


def _discard(fh: IO[bytes] | None, path: Path) -> None:
    with contextlib.suppress(OSError):
        if fh is not None:
            fh.close()
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _status_error(resp: aiohttp.ClientResponse, url: str) -> MediaFetchError:
    status = resp.status
    what = f"HTTP {status} {resp.reason or ''}".rstrip()
    if status in (404, 410):
        return MediaNotFoundError(f"the media URL answered {what}", url=url, status=status)
    if status == 429 or status >= 500:
        return MediaServerError(
            f"the media server answered {what}",
            url=url,
            status=status,
            retry_after_s=_retry_after(resp.headers.get("Retry-After")),
        )
    return MediaHTTPError(f"the media URL answered {what}", url=url, status=status)


@dataclass(frozen=True)
class RateFloor:
    """The slowest average rate a download may keep after ``grace_s`` (a server trickling a byte every few seconds
    would otherwise hold a transcriber for the whole total budget, attempt after attempt)."""

    bytes_per_s: float = 0.0
    grace_s: float = 10.0

    def check(self, size: int, elapsed_s: float, url: str) -> None:
        if self.bytes_per_s > 0 and elapsed_s > self.grace_s and size < self.bytes_per_s * elapsed_s:
            raise MediaTimeoutError(
                f"the media server sends {size / elapsed_s:.0f} bytes/s, slower than the minimum of "
                f"{self.bytes_per_s:.0f}",
                url=url,
            )


async def _stream(
    resp: aiohttp.ClientResponse, dest: Path, max_bytes: int, url: str, floor: RateFloor, started: float
) -> tuple[int, str | None]:
    length = resp.content_length
    if length is not None and length > max_bytes:
        raise MediaTooLargeError(f"the media is {length} bytes, more than the limit of {max_bytes}", url=url)
    content_type = resp.content_type if "Content-Type" in resp.headers else None
    sink = _FileSink(dest)
    size = 0
    try:
        await sink.open()
        async for chunk in resp.content.iter_chunked(READ_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise MediaTooLargeError(f"the media is larger than the limit of {max_bytes} bytes", url=url)
            floor.check(size, time.monotonic() - started, url)
            await sink.write(chunk)
        await sink.close()
    except BaseException:
        await sink.abort()
        raise
    return size, content_type


async def _fetch(
    session: aiohttp.ClientSession,
    url: str,
    dest: Path,
    policy: TargetPolicy,
    max_bytes: int,
    connect_timeout_s: float,
    max_redirects: int,
    progress: list[str],
    idle_timeout_s: float,
    floor: RateFloor,
) -> FetchResult:
    target = check_url(url, policy)
    started = time.monotonic()
    # sock_read: the longest silence between two reads (headers included), whatever the total budget.
    timeout = aiohttp.ClientTimeout(
        total=None, connect=connect_timeout_s, sock_connect=connect_timeout_s, sock_read=idle_timeout_s
    )
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"}
    redirects = 0
    while True:
        request_url = (await checked_literal(target, policy)).with_fragment(None)
        shown = _display(request_url)
        progress[0] = shown
        async with session.get(
            request_url,
            allow_redirects=False,
            headers=headers,
            timeout=timeout,
            auto_decompress=False,
            proxy=None,
        ) as resp:
            if resp.status in REDIRECT_STATUSES:
                location = resp.headers.get("Location")
                if not location:
                    raise MediaHTTPError(
                        f"the media URL answered HTTP {resp.status} without a Location", url=shown, status=resp.status
                    )
                if redirects >= max_redirects:
                    raise TooManyRedirectsError(f"more than {max_redirects} redirects", url=shown, status=resp.status)
                try:
                    next_url = target.url.join(URL(location))
                except ValueError as exc:
                    raise BadURLError(f"the redirect target cannot be parsed: {exc}", url=shown) from exc
                target = check_url(next_url, policy)
                redirects += 1
                continue
            if not 200 <= resp.status < 300:
                raise _status_error(resp, shown)
            size, content_type = await _stream(resp, dest, max_bytes, shown, floor, started)
            return FetchResult(
                path=dest, size=size, content_type=content_type, final_url=str(request_url), redirects=redirects
            )


async def fetch_media(
    url: str,
    dest: Path,
    *,
    policy: TargetPolicy,
    max_bytes: int,
    total_timeout_s: float,
    connect_timeout_s: float = 10,
    max_redirects: int = 5,
    session: aiohttp.ClientSession | None = None,
    idle_timeout_s: float = 30.0,
    min_rate: RateFloor | None = None,
) -> FetchResult:
    """Download ``url`` to ``dest`` (created or truncated; removed again on failure) and describe what came.

    Raises a :class:`MediaFetchError` subclass on every failure of the target (see the module docstring). A
    ``session`` of the caller's must use a :class:`SafeConnector` and ``trust_env=False`` (a proxy would resolve
    names behind the check's back); without one, a session is made and closed here.
    """
    if max_bytes <= 0 or total_timeout_s <= 0 or connect_timeout_s <= 0 or idle_timeout_s <= 0 or max_redirects < 0:
        raise ValueError("max_bytes and the timeouts must be positive, max_redirects >= 0")
    own: aiohttp.ClientSession | None = None
    if session is None:
        own = session = aiohttp.ClientSession(
            connector=SafeConnector(policy),
            auto_decompress=False,
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
        )
    elif not isinstance(session.connector, SafeConnector) or session.trust_env:
        raise ValueError("fetch_media needs a session with a SafeConnector and trust_env=False")
    progress = [_display_raw(url)]  # the URL being requested, for error messages
    deadline = asyncio.timeout(total_timeout_s)
    try:
        async with deadline:
            return await _fetch(
                session,
                url,
                dest,
                policy,
                max_bytes,
                connect_timeout_s,
                max_redirects,
                progress,
                idle_timeout_s,
                min_rate or RateFloor(),
            )
    except MediaFetchError:
        raise
    except UnsafeTargetError as exc:
        raise MediaTargetError.from_unsafe(exc, url=progress[0]) from exc
    except (aiohttp.ClientError, ConnectionError, TimeoutError, socket.gaierror) as exc:
        if deadline.expired() or isinstance(exc, TimeoutError):
            raise MediaTimeoutError(
                f"the media download did not finish within {total_timeout_s:g}s"
                if deadline.expired()
                else f"the media server did not answer in time ({type(exc).__name__})",
                url=progress[0],
            ) from exc
        if isinstance(exc, aiohttp.InvalidURL):
            raise BadURLError(f"the URL is not usable: {exc}", url=progress[0]) from exc
        if isinstance(exc, aiohttp.ClientResponseError):
            raise MediaHTTPError(
                f"the media server sent an invalid response: {exc.message}", url=progress[0], status=exc.status
            ) from exc
        raise MediaConnectionError(
            f"could not download the media: {exc or type(exc).__name__}", url=progress[0]
        ) from exc
    finally:
        if own is not None:
            await own.close()
