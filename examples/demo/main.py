"""Entry point: fetch every URL given on the command line, one second apart."""

import asyncio
import sys

from fetcher import Fetcher


async def main(urls: list[str]) -> int:
    fetcher = Fetcher()
    failures = 0
    for url in urls:
        body = await fetcher.fetch(url)
        if body is None:
            failures += 1
        else:
            print(f"{url}: {len(body)} bytes")
        await asyncio.sleep(1)
    print(f"fetched {fetcher.fetched}, failed {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
