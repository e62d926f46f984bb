"""Infrastructure outages mid-batch: the Kafka broker stopped and started again, PostgreSQL stopped for 10 s and for
60 s. Every interview of the batch must complete, exactly once, with its webhooks, once the server is back."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.chaos.conftest import Stack, Tenant, record, transcript_body, wait_for


def _gateway_status(tenant: Tenant) -> int:
    req = urllib.request.Request(
        f"{tenant.stack.gateway}/v1/interviews?limit=1", headers={"Authorization": f"Bearer {tenant.key}"}
    )
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0


def _finish(stack: Stack, tenant: Tenant, ids: list[str], test: str, back_at: float, **numbers: Any) -> None:
    tenant.wait_completed(len(ids), 420)
    completed_s = time.monotonic() - back_at
    tenant.wait_webhooks(ids, 300)
    tenant.wait_deliveries_settled(2 * len(ids), 300)
    delivered_s = time.monotonic() - back_at
    result = {
        **tenant.assert_exactly_once(ids),
        **numbers,
        "all_completed_s_after_restart": round(completed_s, 1),
        "all_webhooks_s_after_restart": round(delivered_s, 1),
    }
    record(test, **result)
    print(test, result)


@pytest.mark.timeout(900)
def test_kafka_broker_stopped_and_restarted_mid_batch(stack: Stack, tenant: Tenant) -> None:
    test = "Kafka broker stopped and restarted (40 transcripts, 20 of them sent while it was down)"
    ids = tenant.submit([transcript_body(n) for n in range(20)])
    wait_for(lambda: tenant.completed_count() >= 2, 180, "the batch to be under way")
    at_stop = tenant.completed_count()
    lines_before = stack.log_lines()
    stopped_at = time.monotonic()
    stack.stop_kafka()
    stop_s = time.monotonic() - stopped_at
    # The gateway writes to the outbox, not to Kafka: submissions go on while the broker is down.
    ids += tenant.submit([transcript_body(n, "during") for n in range(20)])
    down_s = time.monotonic() - stopped_at
    assert tenant.completed_count() < len(ids), "the batch was over before the broker came back"
    restart_s = stack.up()
    back_at = time.monotonic()
    lines_after = stack.log_lines()
    _finish(
        stack,
        tenant,
        ids,
        test,
        back_at,
        completed_at_stop=at_stop,
        log_lines_while_down={name: lines_after[name] - lines_before[name] for name in lines_after},
        broker_stop_s=round(stop_s, 1),
        broker_down_s=round(down_s + restart_s, 1),
        restart_s=round(restart_s, 1),
    )


@pytest.mark.timeout(900)
@pytest.mark.parametrize("outage_s", [10, 60])
def test_postgres_stopped_mid_batch(stack: Stack, tenant: Tenant, outage_s: int) -> None:
    test = f"PostgreSQL stopped for {outage_s} s (40 transcripts)"
    ids = tenant.submit([transcript_body(n) for n in range(40)])
    wait_for(lambda: tenant.completed_count() >= 2, 180, "the batch to be under way")
    at_stop = tenant.completed_count()
    assert at_stop < len(ids), "the batch was over before the outage"
    stack.stop_postgres()
    stopped_at = time.monotonic()
    # The outage lasts outage_s by definition; meanwhile the gateway must answer 503 (not 500) every time we ask.
    answers: set[int] = set()
    while time.monotonic() - stopped_at < outage_s:
        answers.add(_gateway_status(tenant))
        time.sleep(1)
    assert answers <= {503}, f"the gateway answered {answers} while PostgreSQL was down"
    restart_s = stack.up()
    back_at = time.monotonic()
    _finish(
        stack,
        tenant,
        ids,
        test,
        back_at,
        completed_at_stop=at_stop,
        database_down_s=round(back_at - stopped_at, 1),
        restart_s=round(restart_s, 1),
        gateway_answers_during_outage=sorted(answers),
    )
