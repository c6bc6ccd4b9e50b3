"""Talking to, killing and inspecting the fault tests' stack (conftest.py: ``faults_stack``)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lifebot.processes import Stack, _healthy
from tests.channels.wechat_server import WeChatServer, reply_content, text_xml
from tests.socketio_chat import chat

ESTABLISHED = "01"


def say(stack: Stack, sender: str, text: str, timeout: float = 180) -> list[dict]:
    """One REST turn; raises (URLError, ConnectionError, ...) when Rasa is gone."""
    request = urllib.request.Request(f"{stack.settings.rasa_base_url}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": text}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons", [])]


def socketio_say(stack: Stack, session: str, text: str, timeout: float = 120) -> dict:
    """One turn over the web chat's socketio channel: the first bot_uttered."""
    async def turn() -> dict:
        async with chat(stack.settings.rasa_base_url, session, confirm_timeout=30) as conversation:
            await conversation.say(text)
            return await conversation.next_reply(timeout)

    return asyncio.run(turn())


def wechat_say(stack: Stack, token: str, openid: str, text: str, msg_id: int) -> str:
    """One WeChat text message; the passive reply's text."""
    server = WeChatServer(f"{stack.settings.rasa_base_url}/webhooks/wechat/webhook", token)
    status, body, _ = server.post(text_xml(openid, text, msg_id))
    assert status == 200, body
    return reply_content(body)["Content"]


class InFlight(threading.Thread):
    """A REST turn running in the background: ``replies`` or ``error`` once it is over."""

    def __init__(self, stack: Stack, sender: str, text: str):
        super().__init__(daemon=True)
        self.stack, self.sender, self.text = stack, sender, text
        self.replies: list[dict] | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.replies = say(self.stack, self.sender, self.text)
        except BaseException as exc:  # noqa: BLE001 (reported to the test)
            self.error = exc


def kill(stack: Stack, name: str) -> int:
    """kill -9 the process (its whole process group); returns its restart count before the kill."""
    service = stack.service(name)
    before = service.restarts
    os.killpg(service.process.pid, signal.SIGKILL)
    service.process.wait(timeout=30)
    return before


def pause(stack: Stack, name: str, paused: bool) -> None:
    os.killpg(stack.service(name).process.pid, signal.SIGSTOP if paused else signal.SIGCONT)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def back(stack: Stack, name: str, restarts_before: int, timeout: float = 300) -> None:
    """Wait until the supervisor has started ``name`` again and it answers its health URL."""
    service = stack.service(name)
    wait_until(lambda: service.restarts > restarts_before and _healthy(service.health_url), timeout,
               f"{name} to be restarted by the supervisor")
    assert any(line.startswith(f"{name} 意外退出") for line in stack.lines), stack.lines


def connections_to(port: int) -> int:
    """Established TCP connections to 127.0.0.1:``port`` (client side), from /proc/net/tcp."""
    found = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[2].rsplit(":", 1)[1], 16) == port and fields[3] == ESTABLISHED:
                found += 1
    return found


class Databases:
    """Counts in the catalog database and the tracker store, read directly (not through the stack)."""

    def __init__(self, stack: Stack):
        self.catalog = sa.create_engine(stack.settings.db_url, future=True, pool_pre_ping=True)
        self.tracker = sa.create_engine(stack.settings.tracker_store_url, future=True, pool_pre_ping=True)

    def close(self) -> None:
        self.catalog.dispose()
        self.tracker.dispose()

    def rows(self, table: str, phone: str) -> list[dict[str, Any]]:
        key = "number" if table == "routing_tickets" else "code"
        with self.catalog.connect() as conn:
            result = conn.execute(sa.text(f"SELECT {key} AS id, idempotency_key FROM {table} WHERE phone = :p"),
                                  {"p": phone})
            return [dict(r._mapping) for r in result]

    def count(self, table: str) -> int:
        with self.catalog.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()

    def said(self, sender: str) -> list[str]:
        """What the resident said, as the tracker store keeps it."""
        with self.tracker.connect() as conn:
            rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' "
                                        "ORDER BY id"), {"s": sender}).scalars()
            return [json.loads(row)["text"] for row in rows]
