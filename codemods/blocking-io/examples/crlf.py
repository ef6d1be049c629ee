"""A CRLF file stays CRLF."""
import subprocess


async def main():
    subprocess.run(
        ["echo", "crlf"],
        check=True,
    )
    with open(__file__, "rb") as f:
        print(f.read().count(b"\r\n") > 0)
