"""`inspect` names something else here: the iscoroutinefunction rewrite would break, so it is reported."""
import asyncio


def describe(f, inspect=print):
    inspect(f)
    return asyncio.iscoroutinefunction(f)


def top(f):
    return asyncio.iscoroutinefunction(f)
