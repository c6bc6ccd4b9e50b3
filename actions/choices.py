"""Clarification buttons: a few services to choose from, each naming its service id exactly."""

from __future__ import annotations

import json
from typing import Any

WHICH_ONE = "您是想办理以下哪一项？"


def choice_buttons(results: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The first three hits as buttons whose payload carries the exact service id (action_choose_service)."""
    return [{"title": hit["name"],
             "payload": "/choose_service" + json.dumps({"service_id": hit["id"]}, ensure_ascii=False)}
            for hit in results[:3]]
