"""The console's calls to the Rasa server's HTTP API (started with --enable-api and a token:
lifebot/rasa_auth.py).

An operator's reply is set as the slot ``operator_message`` and spoken by the response
``utter_operator_message`` with ``output_channel=latest``: Rasa delivers it through the channel the
resident last wrote from (socketio: to the resident's session room; the REST channel has no way to
push, so there the reply is only in the conversation's history).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import aiohttp

from api.errors import ApiError

LATEST = {"output_channel": "latest"}


class Rasa:
    def __init__(self, http: aiohttp.ClientSession, base_url: str, token: str):
        self.http, self.base, self.token = http, base_url.rstrip("/"), token

    def _url(self, conversation_id: str, tail: str) -> str:
        return f"{self.base}/conversations/{quote(conversation_id, safe='')}/{tail}"

    async def _call(self, method: str, url: str, params: dict[str, str] | None = None, **kwargs) -> Any:
        try:
            async with self.http.request(method, url, params={**(params or {}), "token": self.token},
                                         **kwargs) as response:
                if response.status >= 400:
                    raise ApiError(502, "rasa_error", f"对话服务返回错误（HTTP {response.status}）")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError):
            raise ApiError(502, "rasa_unavailable", "对话服务暂时无法连接，请稍后再试") from None

    async def transcript(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation's messages, oldest first: who (resident, bot, operator), text, time."""
        tracker = await self._call("GET", self._url(conversation_id, "tracker"))
        messages = []
        for event in tracker.get("events") or []:
            kind = event.get("event")
            if kind not in ("user", "bot") or not event.get("text"):
                continue
            if kind == "user" and (event.get("parse_data") or {}).get("intent", {}).get("name") == "release_handover":
                continue
            who = "resident" if kind == "user" else "bot"
            if kind == "bot" and (event.get("metadata") or {}).get("utter_action") == "utter_operator_message":
                who = "operator"
            messages.append({"who": who, "text": event["text"], "at": event.get("timestamp")})
        return messages

    async def say(self, conversation_id: str, text: str) -> None:
        slot = {"event": "slot", "name": "operator_message", "value": text}
        await self._call("POST", self._url(conversation_id, "tracker/events"), json=slot)
        await self._call("POST", self._url(conversation_id, "execute"), params=LATEST,
                         json={"name": "utter_operator_message"})
        # /execute does not predict what follows; rules expect the bot to be listening before the
        # resident's next message (silence while handed over) or the console's release.
        listen = {"event": "action", "name": "action_listen"}
        await self._call("POST", self._url(conversation_id, "tracker/events"), json=listen)

    async def release(self, conversation_id: str) -> None:
        await self._call("POST", self._url(conversation_id, "trigger_intent"), params=LATEST,
                         json={"name": "release_handover"})
