# A copy of codemods/asyncio-wait/examples/interplay.py (snapshotted there with asyncio-wait
# alone), run with every codemod: asyncio-sleep's rewrite lands in asyncio-wait's as_completed
# body.
"""Other rewrites inside an as_completed loop body: asyncio.sleep(delay, result) becomes two
statements (a line inserted into the body) in a later pass, with the body's new indentation."""
import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    return name


async def main():
    labels = []
    for fut in asyncio.as_completed([fetch("two", 0.2), fetch("one", 0.1)]):
        name = await fut
        label = await asyncio.sleep(0, name.upper())
        labels.append(label)
    print(labels)
