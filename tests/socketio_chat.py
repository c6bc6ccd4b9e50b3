"""A resident on the web chat's socket.io channel, as the tests talk to it.

    async with chat(url, "session-id") as conversation:
        await conversation.say("居住证怎么办")
        reply = await conversation.next_reply(60)

Leaving the block disconnects and waits for the client's background tasks before closing its
aiohttp session: python-socketio's ``disconnect`` does not wait for them, and engine.io's polling
writer, finding the session closed, opened a new one that only the garbage collector found.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Conversation:
    def __init__(self, client, session: str):
        self.client, self.session = client, session
        self.replies: asyncio.Queue = asyncio.Queue()

    async def say(self, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session})

    async def next_reply(self, timeout: float) -> dict:
        return await asyncio.wait_for(self.replies.get(), timeout)


@asynccontextmanager
async def chat(url: str, session: str, transport: str = "websocket",
               confirm_timeout: float = 10) -> AsyncIterator[Conversation]:
    """Connected, with the session confirmed; disconnected and cleaned up on leaving."""
    import aiohttp
    import socketio

    async with aiohttp.ClientSession() as http:
        client = socketio.AsyncClient(http_session=http)
        conversation = Conversation(client, session)
        confirmed = asyncio.Event()
        client.on("bot_uttered", conversation.replies.put_nowait)
        client.on("session_confirm", lambda *_: confirmed.set())
        await client.connect(url, transports=[transport])
        try:
            await client.emit("session_request", {"session_id": session})
            await asyncio.wait_for(confirmed.wait(), confirm_timeout)
            yield conversation
        finally:
            await client.disconnect()
            await asyncio.wait_for(client.eio.wait(), 60)
