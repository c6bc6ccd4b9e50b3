"""Playwright routing of the chat page's websocket to Rasa: the test can cut the connection (and keep
it down), hold back Rasa's messages and acknowledgements, or inject a frame as if Rasa had sent it."""

from __future__ import annotations

import json
import re

SOCKET_URL = re.compile(r".*/socket\.io/.*transport=websocket.*")


class SocketRoute:
    def __init__(self, page):
        self.offline = False
        self.holding = False
        self.held: list[tuple] = []
        self.live: list = []
        self.sent_by_page: list[str] = []
        page.route_web_socket(SOCKET_URL, self._connect)

    def _connect(self, ws) -> None:
        if self.offline:
            ws.close()
            return
        server = ws.connect_to_server()
        self.live.append((ws, server))

        def from_page(message) -> None:
            if isinstance(message, str) and message.startswith("42"):
                self.sent_by_page.append(message)
            server.send(message)

        def from_server(message) -> None:
            if self.holding and isinstance(message, str) and message.startswith(("42", "43")):  # events, acks
                self.held.append((ws, message))
            else:
                ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)

    def cut(self) -> None:
        """Drop every open connection and refuse new ones until ``restore``."""
        self.offline = True
        for ws, server in self.live:
            server.close()
            ws.close()
        self.live.clear()

    def restore(self) -> None:
        self.offline = False

    def release(self) -> None:
        self.holding = False
        for ws, message in self.held:
            ws.send(message)
        self.held.clear()

    def inject(self, event: str, payload: dict) -> None:
        """A socket.io event frame, delivered to the page as if Rasa had sent it."""
        ws, _ = self.live[-1]
        ws.send("42" + json.dumps([event, payload], ensure_ascii=False))

    def user_messages(self) -> list[str]:
        """The texts the page sent as user_uttered, in order (retries included)."""
        texts = []
        for frame in self.sent_by_page:
            body = frame[2:]
            if body[:1].isdigit():  # an ack id precedes the array
                body = body.lstrip("0123456789")
            event = json.loads(body)
            if event[0] == "user_uttered":
                texts.append(event[1]["message"])
        return texts
