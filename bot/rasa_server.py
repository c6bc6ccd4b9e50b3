"""``python -m bot.rasa_server [rasa run options]``: `rasa run` with its HTTP API's token from
``$LIFEBOT_RASA_TOKEN`` (lifebot/rasa_auth.py), so the token is not in the process's command line,
which every local user can read (``ps``), and with request bodies limited to MAX_BODY bytes (Sanic's
default, 100 MB, would let a few requests fill the server's memory; a chat message is at most 500
characters, a WeChat message a few KB). ``$SANIC_REQUEST_MAX_SIZE`` overrides it."""

from __future__ import annotations

import os
import sys

MAX_BODY = 1024 * 1024


def rasa_argv(options: list[str], token: str) -> list[str]:
    """`rasa run` with ``options`` and the token; ``--auth-token=`` keeps a token that starts with "-"
    (one in 64 of lifebot/rasa_auth.py's) from being read as an option."""
    return ["rasa", "run", *options, f"--auth-token={token}"]


def main() -> None:
    token = os.environ.get("LIFEBOT_RASA_TOKEN", "")
    if not token:
        sys.exit("LIFEBOT_RASA_TOKEN is not set: Rasa's HTTP API would be open to anyone who can reach it")
    sys.argv = rasa_argv(sys.argv[1:], token)
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(MAX_BODY))  # read by Sanic's config at app creation
    from rasa.__main__ import main as rasa_main

    sys.exit(rasa_main())


if __name__ == "__main__":
    main()
