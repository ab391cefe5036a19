"""A small closed-loop HTTP load generator for the benchmarks: N concurrent clients on loopback, latency percentiles."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

RequestMaker = Callable[[int], tuple[str, str, dict[str, str], object | None]]
"""Given the request number, (method, url, headers, json body)."""


@dataclass(frozen=True)
class LoadResult:
    """Latency percentiles (ms) and throughput (requests/s) of one load run."""

    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    throughput: float

    def line(self, label: str) -> str:
        """One printable line."""
        return (
            f"{label:<28} n={self.requests:<6} errors={self.errors:<3} p50={self.p50_ms:7.1f} ms "
            f"p95={self.p95_ms:7.1f} ms  {self.throughput:8.1f} req/s"
        )


async def _run(make: RequestMaker, *, clients: int, total: int, expect: int) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60.0) as client:

        async def worker() -> None:
            nonlocal errors
            for number in counter:
                method, url, headers, body = make(number)
                started = time.perf_counter()
                answer = await client.request(method, url, headers=headers, json=body)
                latencies.append((time.perf_counter() - started) * 1000)
                if answer.status_code != expect:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return LoadResult(
        requests=len(latencies), errors=errors, p50_ms=cuts[49], p95_ms=cuts[94], throughput=len(latencies) / elapsed
    )


def run_load(make: RequestMaker, *, clients: int, total: int, expect: int = 200) -> LoadResult:
    """Send `total` requests from `clients` concurrent clients, each sending its next request when answered."""
    return asyncio.run(_run(make, clients=clients, total=total, expect=expect))
