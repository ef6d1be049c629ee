"""Tool bug: asyncio-sync-primitives/locked-call (SAFE) is applied when the constructor rewrite
it relies on is suppressed, and the migrated program crashes.

Found by the runner's blame step (`anyio-migrate --ignore asyncio-sync-primitives/constructor`
on the minimised taskgroup_free_acquire_cancelled.py). `sem.locked()` becomes `sem.value == 0`,
"on a semaphore that becomes anyio's", but the semaphore stays `asyncio.Semaphore(1)`, which has
no `value`. Suppressing by the comment below, or with
`--ignore asyncio-sync-primitives/constructor`, gives the same output:

    sem = asyncio.Semaphore(1)  # anyio-migrate: ignore[asyncio-sync-primitives/constructor]
    async with sem:
        print("locked:", sem.value == 0)

    asyncio (original): locked: True
    migrated:           AttributeError: 'Semaphore' object has no attribute 'value'

asyncio-sync-primitives/private-value (`sem._value` → `sem.value`, SAFE) does the same under
the same suppression: AttributeError too.
"""
import asyncio


async def main():
    sem = asyncio.Semaphore(1)  # anyio-migrate: ignore[asyncio-sync-primitives/constructor]
    async with sem:
        print("locked:", sem.locked())


if __name__ == "__main__":
    asyncio.run(main())
