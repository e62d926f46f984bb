import json
import uuid

import pytest

from talentmind.events import (
    EventError,
    InterviewRequested,
    InterviewRequestedData,
    parse_event,
)


def _requested() -> InterviewRequested:
    return InterviewRequested(
        org_id="org_1",
        data=InterviewRequestedData(
            interview_id="int_1",
            candidate_id="cand_1",
            vacancy_id="vac_1",
            source="url",
            media_url="https://cdn.example/a.mp4",
        ),
    )


def test_round_trip_keeps_every_field() -> None:
    event = _requested()
    back = parse_event(event.to_json())
    assert isinstance(back, InterviewRequested)
    assert back == event
    assert back.topic == "interview.requested"


def test_key_is_the_interview() -> None:
    assert _requested().key() == "int_1"


def test_envelope_fields_on_the_wire() -> None:
    wire = json.loads(_requested().to_json())
    assert set(wire) == {"type", "version", "id", "occurred_at", "org_id", "data"}
    assert wire["type"] == "interview.requested" and wire["version"] == 1
    uuid.UUID(wire["id"])


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"{}",
        json.dumps({"type": "interview.requested", "version": 99, "org_id": "o", "data": {}}).encode(),
        json.dumps({"type": "no.such.event", "org_id": "o", "data": {}}).encode(),
        json.dumps({"type": "interview.requested", "version": 1, "org_id": "o", "data": {"x": 1}}).encode(),
    ],
)
def test_untrusted_bytes_are_rejected(raw: bytes) -> None:
    with pytest.raises(EventError):
        parse_event(raw)


def test_unknown_payload_fields_are_rejected() -> None:
    wire = json.loads(_requested().to_json())
    wire["data"]["surprise"] = True
    with pytest.raises(EventError):
        parse_event(json.dumps(wire))
