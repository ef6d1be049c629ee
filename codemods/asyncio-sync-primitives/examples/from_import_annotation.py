"""`from asyncio import Lock` in annotations: the name becomes `anyio.Lock`, and the attribute
name `Lock` of `anyio.Lock` is not taken for the imported name in the next pass."""
from asyncio import Lock


def f(x: Lock):
    pass
