"""The long-message scenario shared by `make test` and `make bench`.

While 3 over-long messages (100 KB) and 3 messages just under the size limit
(1,999 characters) are being handled, 20 ordinary turns from other
conversations are sent; their latencies show whether one person can stall
the others. Traffic goes only to the given local URL.
"""

import asyncio
import statistics
import time
import uuid
from typing import Dict, List

import httpx

OVER_LONG = "back pain " * 10_000
NEAR_LIMIT = ("My back has been sore for weeks and I keep wondering about massage. " * 30)[:1999]


async def _post(client: httpx.AsyncClient, url: str, text: str) -> float:
    started = time.monotonic()
    response = await client.post(f"{url}/webhooks/rest/webhook", json={
        "sender": f"isolation-{uuid.uuid4().hex[:10]}", "message": text})
    response.raise_for_status()
    return time.monotonic() - started


async def isolation(url: str, ordinary: int = 20) -> Dict[str, float]:
    """Latency of ordinary turns sent while long messages are handled (seconds)."""
    async with httpx.AsyncClient(timeout=120) as client:
        heavy = [asyncio.create_task(_post(client, url, text))
                 for text in [OVER_LONG] * 3 + [NEAR_LIMIT] * 3]

        async def calm(index: int) -> float:
            await asyncio.sleep(0.05 * index)
            return await _post(client, url, "is massage safe?")

        latencies: List[float] = sorted(await asyncio.gather(*(calm(i) for i in range(ordinary))))
        heavy_seconds = await asyncio.gather(*heavy)
    return {"ordinary_p50_s": statistics.median(latencies),
            "ordinary_p95_s": latencies[max(int(0.95 * len(latencies)) - 1, 0)],
            "ordinary_max_s": latencies[-1],
            "over_long_max_s": max(heavy_seconds[:3]),
            "near_limit_max_s": max(heavy_seconds[3:])}
