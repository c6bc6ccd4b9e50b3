"""How a catalog entry reads to a resident: short, plain Simplified Chinese."""

from __future__ import annotations

from typing import Any

MAX_MATERIALS = 6


def service_answer(entry: dict[str, Any]) -> str:
    lines = [f"【{entry['name']}】{entry.get('department', '')}"]
    if entry.get("description"):
        lines.append(entry["description"])
    materials = entry.get("materials") or []
    if materials:
        shown = "；".join(materials[:MAX_MATERIALS])
        more = f" 等 {len(materials)} 项" if len(materials) > MAX_MATERIALS else ""
        lines.append(f"需要材料：{shown}{more}")
    locations = entry.get("locations") or []
    if locations:
        place = locations[0]
        where = place.get("name", "")
        if place.get("address"):
            where += f"（{place['address']}）"
        lines.append(f"办理地点：{where}")
        if place.get("hours"):
            lines.append(f"办公时间：{place['hours']}")
    if entry.get("promised_time_limit"):
        lines.append(f"办理时限：{entry['promised_time_limit']}")
    if entry.get("fee"):
        lines.append(f"收费：{entry['fee']}")
    if entry.get("online"):
        link = entry.get("online_url") or "江苏政务服务网"
        lines.append(f"网上可办：{link}")
    if entry.get("phone"):
        lines.append(f"咨询电话：{entry['phone']}")
    return "\n".join(lines)
