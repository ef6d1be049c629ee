"""Blocking HTTP calls in coroutines: requests' functions run in a worker thread."""
import urllib.request

import requests
from requests import post as send


async def fetch(url, payload, **options):
    status = requests.get(url, timeout=5).status_code  # rewrite
    body = requests.get(url, params={"q": 1}, **options).json()  # rewrite
    send(url, json=payload)  # rewrite
    requests.head(url)  # rewrite
    return status, body


async def legacy(url):
    with urllib.request.urlopen(url) as response:  # MANUAL: urlopen
        return response.read()


def sync_client(url):
    return requests.get(url)  # OK
