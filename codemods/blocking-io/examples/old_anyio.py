import subprocess


async def before_4_9():
    subprocess.run(["ls"])  # MANUAL: anyio-too-old
    subprocess.run(["cat"], stdin=subprocess.DEVNULL)  # MANUAL: anyio-too-old
    done = subprocess.run(["cat"], input=b"fed", capture_output=True)
    return done.stdout
