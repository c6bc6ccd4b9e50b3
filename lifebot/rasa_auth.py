"""The token of Rasa's HTTP API (``rasa run --enable-api --auth-token``).

Rasa's HTTP API reads any conversation (trackers, their encrypted slots decrypted), injects events
and replaces the model. Every Rasa server `lifebot run` starts requires this token there (started by
bot/rasa_server.py, so that the token is not on its command line); the webhooks of the channels stay
open. The console's calls (api/rasa_client.py), the launcher's health checks, the load benchmark and
the tests send it as ``?token=``.

It is ``settings.rasa_token`` / ``$LIFEBOT_RASA_TOKEN`` when set (Rasa and the API on separate
hosts), else ``var/secrets/rasa.token``, made with mode 0600 on first use, as the tracker key is.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lifebot.secret_file import read_or_create
from lifebot.settings import Settings

ENV = "LIFEBOT_RASA_TOKEN"


def token_file(settings: Settings) -> Path:
    return settings.var_dir / "secrets" / "rasa.token"


def rasa_token(settings: Settings) -> str:
    if settings.rasa_token:
        return settings.rasa_token
    return read_or_create(token_file(settings), lambda: secrets.token_urlsafe(32).encode()).decode()


def with_token(url: str, token: str) -> str:
    """``url`` with ``token=`` added to its query."""
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query), ("token", token)])
    return urlunsplit(parts._replace(query=query))


def without_query(url: str) -> str:
    """``url`` fit to print: no token."""
    return urlunsplit(urlsplit(url)._replace(query=""))
