"""200 interviews submitted at once: none lost, each completed and delivered once; the peak memory of every process.

Peak memory is each process's VmHWM (the most resident memory since it started) from /proc, with the PIDs from the
stack's run dir; a service restarted by an earlier test of the session reports its peak since that restart.
"""

from __future__ import annotations

import time

import pytest

from tests.chaos.conftest import Stack, Tenant, record, transcript_body

N = 200


@pytest.mark.timeout(900)
def test_200_concurrent_interviews(stack: Stack, tenant: Tenant) -> None:
    test = f"{N} interviews submitted concurrently"
    started = time.monotonic()
    ids = tenant.submit([transcript_body(n) for n in range(N)])
    submitted_s = time.monotonic() - started
    assert len(set(ids)) == N, "two submissions got the same interview"
    tenant.wait_completed(N, 600)
    completed_s = time.monotonic() - started
    tenant.wait_webhooks(ids, 300)
    tenant.wait_deliveries_settled(2 * N, 300)
    delivered_s = time.monotonic() - started
    numbers = tenant.assert_exactly_once(ids)
    memory = stack.peak_rss_mib()
    assert set(memory) >= {"gateway", "transcriber", "scorer", "dispatcher"}, memory
    result = {
        **numbers,
        "submitted_s": round(submitted_s, 1),
        "all_completed_s": round(completed_s, 1),
        "all_webhooks_s": round(delivered_s, 1),
        "peak_rss_mib": {name: round(m["peak_mib"]) for name, m in memory.items()},
        "rss_after_mib": {name: round(m["rss_mib"]) for name, m in memory.items()},
    }
    record(test, **result)
    print(test, result)
    for name, m in sorted(memory.items()):
        print(f"peak RSS {name}: {m['peak_mib']:.0f} MiB (now {m['rss_mib']:.0f} MiB)")
