"""The fair choice of the next organisation a free transcription worker serves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from talentmind_transcriber.fairness import OrgQueue, serving_order

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def q(org: str, running: int, waiting: int, age_s: float = 0.0) -> OrgQueue:
    return OrgQueue(org, running, waiting, T0 - timedelta(seconds=age_s) if waiting else None)


def test_an_idle_organisation_goes_before_a_busy_one_whose_jobs_are_older() -> None:
    # A queued 40 jobs an hour ago and runs one; B's single job arrived just now.
    assert serving_order([q("A", 1, 40, age_s=3600), q("B", 0, 1)], cap=2) == ["B", "A"]


def test_between_equally_busy_organisations_the_oldest_job_goes_first() -> None:
    assert serving_order([q("A", 1, 3, age_s=10), q("B", 1, 3, age_s=20)], cap=2) == ["B", "A"]
    assert serving_order([q("A", 0, 1, age_s=5), q("B", 0, 1, age_s=5)], cap=1) == ["A", "B"]  # stable by id


def test_an_organisation_at_its_cap_waits_while_others_wait() -> None:
    # Fewest running first anyway; the cap puts an organisation at it behind every one below it, even one with
    # more jobs running that is still under the cap (a bigger cap of 3 here).
    order = serving_order([q("A", 3, 5, age_s=100), q("B", 2, 1, age_s=1)], cap=3)
    assert order == ["B", "A"]


def test_work_is_conserving_an_organisation_alone_may_use_every_worker() -> None:
    assert serving_order([q("A", 5, 2)], cap=1) == ["A"]


def test_organisations_with_nothing_waiting_are_not_candidates() -> None:
    assert serving_order([q("A", 2, 0), q("B", 0, 0)], cap=1) == []
    assert serving_order([], cap=1) == []


def test_fairness_over_a_simulated_day() -> None:
    """Two workers; A submits 6 jobs at once, then B submits 1: B's job is the third taken, not the seventh."""
    running: dict[str, int] = {"A": 0, "B": 0}
    waiting: dict[str, list[int]] = {"A": list(range(6)), "B": []}
    taken: list[str] = []

    def take() -> None:
        queues = [
            q(org, running[org], len(jobs), age_s=100 - (jobs[0] if jobs else 0)) for org, jobs in waiting.items()
        ]
        order = serving_order(queues, cap=1)
        org = order[0]
        waiting[org].pop(0)
        running[org] += 1
        taken.append(org)

    take(), take()  # both workers on A
    waiting["B"].append(99)
    running["A"] -= 1  # one of A's jobs finishes
    take()
    assert taken == ["A", "A", "B"]
