import subprocess as sp
from subprocess import check_output as output, run


async def build(target):
    run(["make", target], check=True)
    version = output(["make", "--version"]).decode()
    if sp.call(["test", "-f", target]) != 0:
        raise RuntimeError(target)
    return version
