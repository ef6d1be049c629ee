"""Fetch a list of URLs with a bounded number of retries and a shared rate limiter."""

import asyncio
import logging
import urllib.request

log = logging.getLogger(__name__)

RETRIES = 3
BACKOFF = 0.5


class Fetcher:
    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self.lock = asyncio.Lock()
        self.fetched = 0

    def _download(self, url: str) -> bytes:
        with urllib.request.urlopen(url, timeout=self.timeout) as response:
            return response.read()

    async def fetch(self, url: str) -> bytes | None:
        for attempt in range(RETRIES):
            try:
                body = await asyncio.to_thread(self._download, url)
            except asyncio.TimeoutError:
                log.warning("timeout on %s (attempt %d)", url, attempt + 1)
                await asyncio.sleep(BACKOFF * 2**attempt)
                continue
            except asyncio.CancelledError:
                log.info("cancelled while fetching %s", url)
                raise
            async with self.lock:
                self.fetched += 1
            return body
        return None
