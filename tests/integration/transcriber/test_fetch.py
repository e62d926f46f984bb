"""fetch_media against a real HTTP server on 127.0.0.1: limits, status codes, redirects and SSRF refusals.

Needs neither PostgreSQL nor Kafka. Every outgoing ``connect()`` is watched: anything but 127.0.0.1 fails the test
(the refusals must happen before a connection), so no test ever sends traffic off the loopback interface.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from talentmind.netsafety import TargetPolicy
from talentmind_transcriber.fetch import (
    USER_AGENT,
    BadSchemeError,
    MediaConnectionError,
    MediaFetchError,
    MediaHTTPError,
    MediaNotFoundError,
    MediaServerError,
    MediaTimeoutError,
    MediaTooLargeError,
    RateFloor,
    SafeConnector,
    SSRFBlockedError,
    TooManyRedirectsError,
    fetch_media,
)
from tests.conftest import serve

BODY = bytes(range(256)) * 1200  # 307,200 bytes
LOCAL_ONLY = TargetPolicy(allowed_networks=(IPv4Network("127.0.0.1/32"),))
STRICT = TargetPolicy()
LIMITS: dict[str, Any] = {"max_bytes": 1_000_000, "total_timeout_s": 10.0, "connect_timeout_s": 5.0}


@dataclass
class Server:
    base: str
    port: int
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path_qs, User-Agent)


def _app(log: list[tuple[str, str]]) -> web.Application:
    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        log.append((request.path_qs, request.headers.get("User-Agent", "")))
        resp: web.StreamResponse = await handler(request)
        return resp

    async def file(_: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="audio/mpeg")

    async def status(request: web.Request) -> web.Response:
        code = int(request.match_info["code"])
        headers = {"Retry-After": "7"} if code == 429 else {}
        return web.Response(status=code, text=f"status {code}", headers=headers)

    async def slow(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "audio/mpeg"})
        resp.content_length = 100 * 1000
        await resp.prepare(request)
        try:
            for _ in range(100):
                await resp.write(b"s" * 1000)
                await asyncio.sleep(0.1)
        except (ConnectionResetError, ConnectionError):
            pass
        return resp

    async def trickle(request: web.Request) -> web.StreamResponse:
        # One byte every 0.2 s, as a hostile or broken server would: never idle long, never done.
        resp = web.StreamResponse(headers={"Content-Type": "audio/mpeg"})
        await resp.prepare(request)
        with contextlib.suppress(ConnectionError):
            for _ in range(300):
                if request.transport is None or request.transport.is_closing():
                    break
                await resp.write(b"t")
                await asyncio.sleep(0.2)
        return resp

    async def stall(request: web.Request) -> web.StreamResponse:
        # Headers and a first chunk, then silence until the client gives up.
        resp = web.StreamResponse(headers={"Content-Type": "audio/mpeg"})
        await resp.prepare(request)
        await resp.write(b"x" * 1000)
        for _ in range(600):
            if request.transport is None or request.transport.is_closing():
                break
            await asyncio.sleep(0.1)
        return resp

    async def big_with_length(_: web.Request) -> web.Response:
        return web.Response(body=b"x" * 5000, content_type="audio/mpeg")

    async def big_chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "audio/mpeg"})
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        try:
            for _ in range(10):
                await resp.write(b"y" * 1000)
                await asyncio.sleep(0.01)
            await resp.write_eof()
        except (ConnectionResetError, ConnectionError):
            pass
        return resp

    async def chain(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        target = f"/redirect/{n - 1}" if n > 1 else "/file"
        raise web.HTTPFound(target)

    async def to(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["loc"])

    async def relative(_: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("../file")

    async def no_location(_: web.Request) -> web.Response:
        return web.Response(status=302)

    app = web.Application(middlewares=[record])
    app.router.add_get("/file", file)
    app.router.add_get("/status/{code}", status)
    app.router.add_get("/slow", slow)
    app.router.add_get("/trickle", trickle)
    app.router.add_get("/stall", stall)
    app.router.add_get("/big/length", big_with_length)
    app.router.add_get("/big/chunked", big_chunked)
    app.router.add_get("/redirect/{n}", chain)
    app.router.add_get("/to", to)
    app.router.add_get("/deep/relative", relative)
    app.router.add_get("/no-location", no_location)
    return app


@pytest_asyncio.fixture(scope="module")
async def media_server() -> AsyncIterator[Server]:
    log: list[tuple[str, str]] = []
    runner, base = await serve(_app(log))
    server = Server(base=base, port=int(base.rsplit(":", 1)[1]), requests=log)
    yield server
    await runner.cleanup()


@pytest.fixture
def server(media_server: Server) -> Server:
    media_server.requests.clear()
    return media_server


@pytest.fixture(autouse=True)
def connects(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every socket connect() during the test; anything but 127.0.0.1 is refused and fails the test."""
    seen: list[Any] = []
    real = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> None:
        seen.append(address)
        if not (isinstance(address, tuple) and address[0] == "127.0.0.1"):
            raise PermissionError(f"test tried to connect to {address!r}")
        real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield seen
    assert all(isinstance(a, tuple) and a[0] == "127.0.0.1" for a in seen), seen


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "media.bin"


async def _fail(url: str, dest: Path, policy: TargetPolicy = LOCAL_ONLY, **kw: Any) -> MediaFetchError:
    with pytest.raises(MediaFetchError) as err:
        await fetch_media(url, dest, policy=policy, **{**LIMITS, **kw})
    assert not dest.exists(), "a failed fetch leaves no file"
    return err.value


# --- success ----------------------------------------------------------------------------------------------------


async def test_downloads_a_file(server: Server, dest: Path) -> None:
    result = await fetch_media(f"{server.base}/file", dest, policy=LOCAL_ONLY, **LIMITS)
    assert dest.read_bytes() == BODY
    assert result.path == dest and result.size == len(BODY)
    assert result.content_type == "audio/mpeg"
    assert result.final_url == f"{server.base}/file" and result.redirects == 0
    assert server.requests == [("/file", USER_AGENT)]


async def test_a_body_of_exactly_max_bytes_is_fine(server: Server, dest: Path) -> None:
    result = await fetch_media(f"{server.base}/file", dest, policy=LOCAL_ONLY, **{**LIMITS, "max_bytes": len(BODY)})
    assert result.size == len(BODY)


async def test_allow_private_reaches_loopback(server: Server, dest: Path) -> None:
    result = await fetch_media(f"{server.base}/file", dest, policy=TargetPolicy(allow_private=True), **LIMITS)
    assert result.size == len(BODY)


async def test_a_caller_session_with_a_safe_connector(server: Server, dest: Path) -> None:
    async with aiohttp.ClientSession(connector=SafeConnector(LOCAL_ONLY)) as session:
        for _ in range(2):
            result = await fetch_media(f"{server.base}/file", dest, policy=LOCAL_ONLY, session=session, **LIMITS)
            assert result.size == len(BODY)
        assert not session.closed


async def test_a_plain_session_is_refused(dest: Path) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ValueError):
            await fetch_media("http://127.0.0.1:1/", dest, policy=LOCAL_ONLY, session=session, **LIMITS)


# --- HTTP status ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind", "error_code", "permanent"),
    [
        (404, MediaNotFoundError, "media_not_found", True),
        (410, MediaNotFoundError, "media_not_found", True),
        (403, MediaHTTPError, "media_http_error", True),
        (401, MediaHTTPError, "media_http_error", True),
        (400, MediaHTTPError, "media_http_error", True),
        (500, MediaServerError, "media_server_error", False),
        (502, MediaServerError, "media_server_error", False),
        (503, MediaServerError, "media_server_error", False),
        (429, MediaServerError, "media_server_error", False),
    ],
)
async def test_http_errors(
    server: Server, dest: Path, code: int, kind: type[MediaFetchError], error_code: str, permanent: bool
) -> None:
    err = await _fail(f"{server.base}/status/{code}", dest)
    assert type(err) is kind
    assert (err.code, err.permanent, err.status) == (error_code, permanent, code)
    assert server.requests == [(f"/status/{code}", USER_AGENT)], "no retry inside fetch_media"
    if code == 429:
        assert isinstance(err, MediaServerError) and err.retry_after_s == 7.0


# --- limits -----------------------------------------------------------------------------------------------------


async def test_slow_body_hits_the_total_timeout(server: Server, dest: Path) -> None:
    started = asyncio.get_running_loop().time()
    err = await _fail(f"{server.base}/slow", dest, total_timeout_s=0.5)
    assert isinstance(err, MediaTimeoutError)
    assert (err.code, err.permanent) == ("media_timeout", False)
    assert asyncio.get_running_loop().time() - started < 3


async def test_a_trickling_server_is_dropped_at_the_minimum_rate(server: Server, dest: Path) -> None:
    """Issue 10: a URL sending one byte every 2 s held the transcriber for the whole budget, attempt after attempt."""
    err = await _fail(f"{server.base}/trickle", dest, total_timeout_s=60.0, min_rate=RateFloor(1000.0, grace_s=1.0))
    assert isinstance(err, MediaTimeoutError) and not err.permanent
    assert "slower than the minimum" in str(err)  # the floor, not the 60 s budget


async def test_a_silent_server_is_dropped_at_the_idle_timeout(server: Server, dest: Path) -> None:
    err = await _fail(f"{server.base}/stall", dest, total_timeout_s=60.0, idle_timeout_s=1.0)
    assert isinstance(err, MediaTimeoutError) and not err.permanent
    assert "did not answer in time" in str(err)  # the idle timeout, not the 60 s budget


async def test_a_fast_enough_download_passes_the_floor(server: Server, dest: Path) -> None:
    result = await fetch_media(
        f"{server.base}/file", dest, policy=LOCAL_ONLY, **LIMITS, min_rate=RateFloor(1000.0, grace_s=0.0)
    )
    assert result.size == len(BODY)


async def test_content_length_over_the_limit_is_refused_before_reading(server: Server, dest: Path) -> None:
    err = await _fail(f"{server.base}/big/length", dest, max_bytes=4999)
    assert isinstance(err, MediaTooLargeError)
    assert (err.code, err.permanent) == ("media_too_large", True)


async def test_streamed_body_over_the_limit_is_aborted(server: Server, dest: Path) -> None:
    err = await _fail(f"{server.base}/big/chunked", dest, max_bytes=4500)
    assert isinstance(err, MediaTooLargeError)
    assert (err.code, err.permanent) == ("media_too_large", True)
    ok = await fetch_media(f"{server.base}/big/chunked", dest, policy=LOCAL_ONLY, **{**LIMITS, "max_bytes": 10_000})
    assert ok.size == 10_000 and dest.read_bytes() == b"y" * 10_000


async def test_connection_refused_is_transient(dest: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err = await _fail(f"http://127.0.0.1:{port}/file", dest)
    assert isinstance(err, MediaConnectionError)
    assert (err.code, err.permanent) == ("media_connection_error", False)


# --- redirects --------------------------------------------------------------------------------------------------


async def test_a_chain_of_three_redirects_is_followed(server: Server, dest: Path) -> None:
    result = await fetch_media(f"{server.base}/redirect/3", dest, policy=LOCAL_ONLY, **LIMITS)
    assert result.redirects == 3 and result.final_url == f"{server.base}/file"
    assert dest.read_bytes() == BODY
    assert [p for p, _ in server.requests] == ["/redirect/3", "/redirect/2", "/redirect/1", "/file"]


async def test_five_redirects_is_the_default_limit(server: Server, dest: Path) -> None:
    assert (await fetch_media(f"{server.base}/redirect/5", dest, policy=LOCAL_ONLY, **LIMITS)).redirects == 5
    dest.unlink()
    server.requests.clear()
    err = await _fail(f"{server.base}/redirect/6", dest)
    assert isinstance(err, TooManyRedirectsError)
    assert (err.code, err.permanent) == ("too_many_redirects", True)
    assert [p for p, _ in server.requests] == [f"/redirect/{n}" for n in range(6, 0, -1)]  # /file never asked for


async def test_max_redirects_zero_refuses_any_redirect(server: Server, dest: Path) -> None:
    err = await _fail(f"{server.base}/redirect/1", dest, max_redirects=0)
    assert err.code == "too_many_redirects"


async def test_relative_redirects_resolve_against_the_current_url(server: Server, dest: Path) -> None:
    result = await fetch_media(f"{server.base}/deep/relative", dest, policy=LOCAL_ONLY, **LIMITS)
    assert result.final_url == f"{server.base}/file" and result.redirects == 1


async def test_a_redirect_without_location_is_an_http_error(server: Server, dest: Path) -> None:
    err = await _fail(f"{server.base}/no-location", dest)
    assert (err.code, err.status) == ("media_http_error", 302)


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/file",
        "http://127.0.0.2:{port}/file",
        "http://[::ffff:127.0.0.2]:{port}/file",
        "http://2130706434:{port}/file",  # 127.0.0.2
        "http://10.0.0.1/",
    ],
)
async def test_redirects_to_forbidden_addresses_are_refused(
    server: Server, dest: Path, connects: list[Any], location: str
) -> None:
    loc = location.format(port=server.port)
    err = await _fail(f"{server.base}/to?loc={loc}", dest)
    assert isinstance(err, SSRFBlockedError)
    assert (err.code, err.permanent) == ("ssrf_blocked", True)
    assert len(server.requests) == 1 and server.requests[0][0].startswith("/to?loc=")
    assert all(a[0] == "127.0.0.1" and a[1] == server.port for a in connects)


async def test_a_redirect_to_ftp_is_a_bad_scheme(server: Server, dest: Path) -> None:
    err = await _fail(f"{server.base}/to?loc=ftp://127.0.0.1/file", dest)
    assert isinstance(err, BadSchemeError)
    assert (err.code, err.permanent) == ("bad_scheme", True)


async def test_a_redirect_with_credentials_is_a_bad_url(server: Server, dest: Path) -> None:
    err = await _fail(f"{server.base}/to?loc=http://u:p@127.0.0.1:{server.port}/file", dest)
    assert (err.code, err.permanent) == ("bad_url", True)
    assert len(server.requests) == 1


# --- refusals before any connection -----------------------------------------------------------------------------


async def test_loopback_is_refused_before_connecting(server: Server, dest: Path, connects: list[Any]) -> None:
    err = await _fail(f"{server.base}/file", dest, policy=STRICT)
    assert isinstance(err, SSRFBlockedError) and err.permanent
    assert server.requests == [] and connects == []


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://localhost:{port}/file",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:127.0.0.1]:{port}/file",
        "http://[::1]/",
        "http://2130706433/",
        "http://2130706433:{port}/file",
        "http://0x7f.1/",
        "http://127.1/",
        "http://0/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
    ],
)
async def test_local_spellings_are_refused(server: Server, dest: Path, connects: list[Any], url: str) -> None:
    err = await _fail(url.format(port=server.port), dest, policy=STRICT)
    assert err.code == "ssrf_blocked"
    assert server.requests == [] and connects == []


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://127.0.0.1/file", "bad_scheme"),
        ("file:///etc/passwd", "bad_scheme"),
        ("http://user:pw@127.0.0.1/file", "bad_url"),
        ("http:///file", "bad_url"),
        ("not a url", "bad_url"),
    ],
)
async def test_bad_urls_are_refused(dest: Path, connects: list[Any], url: str, code: str) -> None:
    err = await _fail(url, dest)
    assert (err.code, err.permanent) == (code, True)
    assert connects == []


class FakeResolver:
    def __init__(self, answers: dict[str, Sequence[str]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.calls.append(host)
        return self.answers[host]


async def test_names_resolve_through_the_checked_resolver(server: Server, dest: Path, connects: list[Any]) -> None:
    resolver = FakeResolver({"media.test": ["127.0.0.1"], "rebind.test": ["127.0.0.1", "10.0.0.1"]})
    async with aiohttp.ClientSession(connector=SafeConnector(LOCAL_ONLY, resolver=resolver)) as session:
        url = f"http://media.test:{server.port}/file"
        result = await fetch_media(url, dest, policy=LOCAL_ONLY, session=session, **LIMITS)
        assert result.size == len(BODY) and resolver.calls == ["media.test"]
        dest.unlink()

        # one forbidden address in the answer spoils the name; nothing is connected
        connects.clear()
        with pytest.raises(SSRFBlockedError):
            await fetch_media(
                f"http://rebind.test:{server.port}/file", dest, policy=LOCAL_ONLY, session=session, **LIMITS
            )
        assert connects == [] and not dest.exists()
    assert [p for p, _ in server.requests] == ["/file"]
