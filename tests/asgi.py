"""Driving an ASGI app or middleware in the tests, without a server."""

from __future__ import annotations


def drive(app, scope: dict) -> list[dict]:
    """The messages `app` sends for one request (`scope`)."""
    import asyncio
    import concurrent.futures

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    # On a thread of its own: after the browser tests, Playwright's loop runs on this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent
