"""Which organisation a free transcription worker serves next: the one rule, as a plain function.

Without it the queue is first come, first served, and one organisation that submits forty long recordings holds
every worker for hours while another's two-minute interview waits behind them. The rule:

1. only organisations with a job waiting are candidates;
2. one already running ``cap`` jobs goes after every organisation below the cap (but still gets a worker when
   no one else waits: a free worker never idles while there is work);
3. then the organisation with the fewest jobs running now;
4. then the one whose waiting job is oldest (first come, first served between equals), then the id (stable).

Work already running is never pre-empted: an organisation arriving while every worker is busy gets the next free
one, not the current one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OrgQueue:
    """One organisation's open transcription jobs right now."""

    org_id: str
    running: int  # jobs held under a live lease
    waiting: int  # jobs that a worker may take now (queued and due, or with an expired lease)
    oldest_waiting: datetime | None  # when the oldest of them was queued


def serving_order(queues: Iterable[OrgQueue], cap: int) -> list[str]:
    """The organisations with waiting jobs, in the order a free worker should try them (see the module rule)."""

    def rank(q: OrgQueue) -> tuple[bool, int, datetime, str]:
        assert q.oldest_waiting is not None
        return (q.running >= cap, q.running, q.oldest_waiting, q.org_id)

    return [q.org_id for q in sorted((q for q in queues if q.waiting > 0 and q.oldest_waiting), key=rank)]
