"""A CRLF file stays CRLF."""
import time


async def main():
    time.sleep(0.001)  # blocking
    print("slept")
