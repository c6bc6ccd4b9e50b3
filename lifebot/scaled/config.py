"""The scaled layout's ports, process counts and nginx settings: the ``scaled:`` mapping of the settings file.

    scaled:
      public_port: 8088          # nginx: the one public URL (API, /webhooks/, /socket.io/)
      rasa_ports: [5105, 5106, 5107]   # three Rasa servers: one port each

The number of API workers, action servers and Rasa servers is the length of their port lists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ScaledConfig:
    public_port: int = 8088
    # nginx's internal port in front of the action servers (Rasa's action_endpoint)
    actions_proxy_port: int = 8089
    postgres_port: int = 8090
    redis_port: int = 8091
    api_ports: list[int] = field(default_factory=lambda: [8181, 8182])
    actions_ports: list[int] = field(default_factory=lambda: [5155, 5156])
    rasa_ports: list[int] = field(default_factory=lambda: [5105, 5106])
    # seconds nginx waits for an answer before the busy reply (Rasa turns may call actions and the API)
    read_timeout: int = 60
    # chat requests (REST webhook, socket.io) one client address may make a minute on average, and at
    # once; 0 turns the limit off. Far above one resident (the channels allow a conversation 30 a
    # minute): it is for a client that invents a new conversation for every message, and leaves room
    # for residents sharing one address behind a carrier's NAT.
    chat_per_minute: int = 300
    chat_burst: int = 60

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ScaledConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown scaled settings: {', '.join(sorted(unknown))}")
        parsed = {k: ([int(p) for p in v] if isinstance(v, list | tuple) else int(v)) for k, v in values.items()}
        config = cls(**parsed)
        for name in ("api_ports", "actions_ports", "rasa_ports"):
            if not getattr(config, name):
                raise ValueError(f"scaled.{name} needs at least one port")
        if config.chat_per_minute < 0 or config.chat_burst < 0:
            raise ValueError("scaled.chat_per_minute and scaled.chat_burst cannot be negative")
        ports = config.all_ports()
        if len(set(ports)) != len(ports):
            raise ValueError(f"scaled ports must all differ: {ports}")
        return config

    def all_ports(self) -> list[int]:
        return [self.public_port, self.actions_proxy_port, self.postgres_port, self.redis_port,
                *self.api_ports, *self.actions_ports, *self.rasa_ports]
