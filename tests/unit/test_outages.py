"""The one rule for "the infrastructure is unavailable", as opposed to "this work is bad"."""

from __future__ import annotations

import errno

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError

from talentmind.outages import is_outage


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(),
        TimeoutError(),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress"),
        KafkaConnectionError(),
        OSError(errno.EHOSTUNREACH, "No route to host"),
    ],
)
def test_unavailable_infrastructure_is_an_outage(exc: BaseException) -> None:
    assert is_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("bad transcript"),
        asyncpg.UniqueViolationError("duplicate key"),
        asyncpg.InternalClientError("unexpected codec state"),
        FileNotFoundError(errno.ENOENT, "missing"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_faults_of_the_work_are_not(exc: BaseException) -> None:
    assert not is_outage(exc)
