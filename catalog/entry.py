"""A catalog entry: one service a resident can ask for."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

KINDS = ("government", "public", "convenience", "welfare", "information")
STATUSES = ("active", "retired")


@dataclass
class Location:
    name: str
    address: str = ""
    hours: str = ""


@dataclass
class Entry:
    id: str
    name: str
    kind: str
    category: str
    department: str
    description: str = ""
    conditions: str = ""
    materials: list[str] = field(default_factory=list)
    legal_time_limit: str = ""
    promised_time_limit: str = ""
    fee: str = ""
    locations: list[Location] = field(default_factory=list)
    online: bool = False
    online_url: str = ""
    phone: str = ""
    appointment: bool = False
    aliases: list[str] = field(default_factory=list)
    status: str = "active"
    source: dict[str, str] = field(default_factory=lambda: {"list": "authored", "code": ""})
    # Managed by the store.
    version: int = 0
    updated_at: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
        values = dict(data)
        values["locations"] = [
            loc if isinstance(loc, Location) else Location(**loc) for loc in data.get("locations", [])
        ]
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def search_text(self) -> str:
        """The passage text the dense encoder sees."""
        parts = [self.name, " ".join(self.aliases), self.category, self.description]
        return "；".join(p for p in parts if p)
