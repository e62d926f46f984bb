"""/v1/interviews: submit an interview (media URL, transcript or uploaded file), read, list, transcript."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, web
from aiohttp.http_exceptions import HttpProcessingError

from talentmind import interview_life
from talentmind.api.models import (
    CreateInterviewRequest,
    InterviewCreated,
    InterviewList,
    InterviewSummary,
    ListInterviewsQuery,
    Transcript,
    TranscriptTurn,
    UploadInterviewForm,
)
from talentmind.api.payloads import interview_detail
from talentmind.db.interviews import get_interview, list_interviews
from talentmind.db.transcripts import get_transcript
from talentmind.ids import new_id
from talentmind.runtime import POOL, SETTINGS
from talentmind_gateway.errors import Conflict, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from talentmind_gateway.http import json_body, respond
from talentmind_gateway.targets import refuse_forbidden_target
from talentmind_gateway.typedefs import ORG, REPORT_LINKS
from talentmind_gateway.validation import parse_model, parse_query
from talentmind_gateway.writes import write

_UPLOAD_FIELDS = ("candidate_id", "vacancy_id", "language")
_CHUNK = 256 * 1024


async def create_view(request: web.Request) -> web.Response:
    if request.content_type == "multipart/form-data":
        return await _create_from_upload(request)
    if request.content_type != "application/json":
        raise UnsupportedMediaType(
            f"Content-Type must be application/json or multipart/form-data, got '{request.content_type or 'none'}'",
            details={"expected": ["application/json", "multipart/form-data"]},
        )
    body, fingerprint = await json_body(request, CreateInterviewRequest)
    if body.media_url is not None:
        await refuse_forbidden_target(str(body.media_url), request.app[SETTINGS], "media_url")
    source = "url" if body.media_url is not None else "transcript"
    return await _create(request, body, fingerprint, source=source)


async def _create(
    request: web.Request,
    body: CreateInterviewRequest,
    fingerprint: bytes,
    *,
    source: str,
    media_path: str | None = None,
    media_content_type: str | None = None,
) -> web.Response:
    org = request[ORG]
    async with write(request, fingerprint) as tx:
        if tx.replay is not None:
            return tx.replay
        interview = await interview_life.submit(
            tx.conn,
            interview_life.Submission(
                org_id=org.id,
                interview_id=new_id("int", 6),
                candidate_id=body.candidate_id,
                vacancy_id=body.vacancy_id,
                source=source,
                media_url=str(body.media_url) if body.media_url is not None else None,
                media_path=media_path,
                media_content_type=media_content_type,
                language=body.language,
                transcript=[t.model_dump() for t in body.transcript] if body.transcript is not None else None,
            ),
        )
        return await tx.respond(InterviewCreated(id=interview.id, status="processing", created_at=interview.created_at))


async def _create_from_upload(request: web.Request) -> web.Response:
    """Stream the uploaded recording to the media folder, then create the interview as for a URL."""
    settings = request.app[SETTINGS]
    staging = Path(settings.media_dir) / request[ORG].id
    await asyncio.to_thread(staging.mkdir, parents=True, exist_ok=True)
    tmp_path = staging / f".upload-{secrets.token_hex(8)}"
    file_digest = hashlib.sha256()
    try:
        try:
            reader = await request.multipart()
            parts = await _read_parts(reader, tmp_path, settings.media_max_bytes, file_digest)
        except HttpProcessingError:
            # A part header aiohttp's parser refuses (control characters, bad encoding): the client's fault.
            raise ValidationFailed(
                "body: malformed multipart/form-data (invalid part header)", code="malformed_multipart"
            ) from None
        except (ValueError, AssertionError, LookupError) as exc:
            # aiohttp's parser raises these for a missing boundary or a truncated body: the client's fault.
            raise ValidationFailed(f"body: malformed multipart/form-data ({exc})", code="malformed_multipart") from None
        if not parts.got_file:
            raise ValidationFailed(
                "media: the recording file is missing", details=[{"field": "media", "message": "required"}]
            )
        model = parse_model(UploadInterviewForm, {k: v for k, v in parts.fields.items() if v})
        body = CreateInterviewRequest.model_construct(
            candidate_id=model.candidate_id,
            vacancy_id=model.vacancy_id,
            media_url=None,
            transcript=None,
            language=model.language,
        )
        fingerprint = hashlib.sha256(
            (request.method + " " + request.path + "\n" + repr(sorted(parts.fields.items()))).encode()
            + file_digest.digest()
        ).digest()
        final_path = staging / f"{new_id('media', 8)}"
        await asyncio.to_thread(os.replace, tmp_path, final_path)
        try:
            response = await _create(
                request,
                body,
                fingerprint,
                source="upload",
                media_path=str(final_path),
                media_content_type=parts.content_type,
            )
        except BaseException:
            await asyncio.to_thread(final_path.unlink, True)
            raise
        if response.headers.get("Idempotent-Replayed"):
            await asyncio.to_thread(final_path.unlink, True)  # the first request's file is the one in use
        return response
    finally:
        await asyncio.to_thread(tmp_path.unlink, True)


@dataclass
class _Parts:
    fields: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    got_file: bool = False


async def _read_parts(reader: MultipartReader, tmp_path: Path, limit: int, digest: Any) -> _Parts:
    """The form's text fields; the ``media`` part is streamed to ``tmp_path`` as it arrives."""
    parts = _Parts()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            raise ValidationFailed("nested multipart bodies are not supported")
        name = part.name or ""
        if name == "media":
            if parts.got_file:
                raise ValidationFailed("media: only one file per interview")
            parts.got_file = True
            parts.content_type = part.headers.get("Content-Type")
            await _stream_to(part, tmp_path, limit, digest)
        elif name in _UPLOAD_FIELDS:
            parts.fields[name] = (await part.text()).strip()
        elif name in ("media_url", "transcript"):
            raise ValidationFailed(f"{name}: not allowed with an uploaded file; give exactly one source")
        else:
            raise ValidationFailed(
                f"{name or 'unnamed part'}: unknown form field",
                details=[{"field": name, "message": "unknown field"}],
            )
    return parts


async def _stream_to(part: BodyPartReader, path: Path, limit: int, digest: Any) -> None:
    size = 0
    handle = await asyncio.to_thread(open, path, "wb")
    try:
        while chunk := await part.read_chunk(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"media: the file is larger than {limit} bytes")
            digest.update(chunk)
            await asyncio.to_thread(handle.write, chunk)
    finally:
        await asyncio.to_thread(handle.close)
    if size == 0:
        raise ValidationFailed("media: the file is empty", details=[{"field": "media", "message": "empty"}])


async def list_view(request: web.Request) -> web.Response:
    query = parse_query(ListInterviewsQuery, request.query)
    total, items = await list_interviews(
        request.app[POOL], request[ORG].id, status=query.status, limit=query.limit, offset=query.offset
    )
    summaries = [InterviewSummary(id=i.id, status=i.status, match=i.match) for i in items]
    return respond(InterviewList(total=total, items=summaries))


async def get_view(request: web.Request) -> web.Response:
    interview = await get_interview(request.app[POOL], request[ORG].id, request.match_info["id"])
    if interview is None:
        raise NotFound("Interview not found")
    return respond(interview_detail(interview, request.app[REPORT_LINKS]))


async def transcript_view(request: web.Request) -> web.Response:
    pool, org_id, interview_id = request.app[POOL], request[ORG].id, request.match_info["id"]
    row = await get_transcript(pool, org_id, interview_id)
    if row is None:
        if await get_interview(pool, org_id, interview_id) is None:
            raise NotFound("Interview not found")
        raise Conflict("The transcript is not available yet", code="transcript_not_ready")
    # Stored turns may carry word timings (for the scorer); the API shows speaker, times and text.
    turns = [TranscriptTurn.model_validate({k: v for k, v in t.items() if k != "words"}) for t in row["turns"]]
    return respond(Transcript(language=row["language"], turns=turns))
