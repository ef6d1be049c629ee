# `Runner` (or `run`) imported from asyncio on new Pythons and from a backport on older ones:
# which one runs is only known when the program runs, so nothing is rewritten and each import
# and use is reported.
import sys

if sys.version_info >= (3, 11):
    from asyncio import Runner
else:
    from backports.asyncio.runner import Runner

try:
    from asyncio import run
except ImportError:
    from trollius import run


async def main():
    return 1


def bench():
    with Runner(debug=True) as runner:
        runner.run(main())


def once():
    return run(main())


def factory():
    return Runner


def local():
    # A name imported once is not conditional.
    from asyncio import run

    return run(main())
