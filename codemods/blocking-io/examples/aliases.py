import subprocess as sp
from subprocess import check_output as output, run


async def build(target):
    run(["make", target], check=True)  # rewrite
    version = output(["make", "--version"]).decode()  # rewrite
    if sp.call(["test", "-f", target]) != 0:  # rewrite
        raise RuntimeError(target)
    return version
