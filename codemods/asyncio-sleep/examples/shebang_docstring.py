#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""A script with a shebang, a coding line and a docstring: `import anyio` goes after the
docstring and the `from __future__` import, never above them."""
from __future__ import annotations

import asyncio


async def main() -> None:
    await asyncio.sleep(0)
