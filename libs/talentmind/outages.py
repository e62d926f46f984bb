"""One rule for "the infrastructure is unavailable" (as opposed to "this piece of work is bad").

An outage (PostgreSQL stopped or restarting, a connection dropped, a network path down, Kafka unreachable) passes:
the same work will succeed later. So the gateway answers 503 with ``Retry-After`` instead of 500, and a consumer
keeps retrying the message with capped backoff instead of counting the attempts and dead-lettering it (an interview
must not fail because the database was away for a minute).
"""

from __future__ import annotations

import errno

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError, RequestTimedOutError

_OUTAGE_TYPES: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused, reset, aborted, broken pipe
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.ConnectionDoesNotExistError,
    KafkaConnectionError,
    KafkaTimeoutError,
    NodeNotReadyError,
    RequestTimedOutError,
)
_NETWORK_ERRNOS = frozenset({errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN, errno.ETIMEDOUT})


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the infrastructure is unavailable for now (see the module docstring). A local OSError
    (a missing file, a full disk) is not one."""
    if isinstance(exc, _OUTAGE_TYPES):
        return True
    if isinstance(exc, asyncpg.InternalClientError) and "cannot switch to state" in str(exc):
        # asyncpg's protocol state machine, when the server died under a pooled connection being reset (seen in
        # the chaos suite after a postmaster was killed): the connection is gone, not the request at fault.
        return True
    return isinstance(exc, OSError) and exc.errno in _NETWORK_ERRNOS
