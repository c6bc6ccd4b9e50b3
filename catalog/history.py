"""What changed between the stored versions of an entry, for ``lifebot catalog history``."""

from __future__ import annotations

from typing import Any

from catalog.fields import content, diff
from catalog.store import Version


def changes(versions: list[Version]) -> list[dict[str, Any]]:
    """One record per version, oldest first, with the field diff against the version before it."""
    records = []
    previous: dict[str, Any] | None = None
    for v in versions:
        current = content(v.entry)
        records.append({
            "version": v.version, "catalog_version": v.catalog_version, "author": v.author,
            "reason": v.reason, "created_at": v.created_at, "created": previous is None,
            "changes": {} if previous is None else {k: list(pair) for k, pair in diff(previous, current).items()},
        })
        previous = current
    return records


def short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(records: list[dict[str, Any]]) -> str:
    lines = []
    for r in records:
        lines.append(f"第 {r['version']} 版  {r['created_at']}  修改人：{r['author']}  原因：{r['reason']}")
        if r["created"]:
            lines.append("    新建条目")
        for name, (old, new) in r["changes"].items():
            lines.append(f"    {name}: {short(old)} -> {short(new)}")
    return "\n".join(lines)
