"""No import of the event-loop module at all, yet a loop is handed in: the file is still looked
at (the codemod's triggers include `run_in_executor`) and the call is reported."""


def work(path):
    return path


async def read(loop, path):
    return await loop.run_in_executor(None, work, path)
