"""Structured payloads sent beside the text: the web chat draws them as cards, text-only channels ignore them.

The shapes are the contract shared by every branch (see docs/channels.md):
``{"type": "service_card", "service": {"id", "name", "materials", "place", "hours", "fee", "online_url", "phone"}}``.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher


def place_text(place: dict[str, Any]) -> str:
    address = place.get("address")
    return f"{place.get('name', '')}（{address}）" if address else place.get("name", "")


def service_card(entry: dict[str, Any]) -> dict[str, Any]:
    locations = entry.get("locations") or []
    first = locations[0] if locations else {}
    return {"type": "service_card", "service": {
        "id": entry["id"],
        "name": entry["name"],
        "materials": list(entry.get("materials") or []),
        "place": place_text(first) if first else "",
        "hours": first.get("hours") or "",
        "fee": entry.get("fee") or "",
        "online_url": (entry.get("online_url") or "") if entry.get("online") else "",
        "phone": entry.get("phone") or "",
    }}


def send_service_card(dispatcher: CollectingDispatcher, entry: dict[str, Any]) -> None:
    dispatcher.utter_message(json_message=service_card(entry))
