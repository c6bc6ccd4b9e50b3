"""``python -m bot.rasa_server [rasa run options]``: `rasa run` with its HTTP API's token from
``$LIFEBOT_RASA_TOKEN`` (lifebot/rasa_auth.py), so the token is not in the process's command line,
which every local user can read (``ps``)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    token = os.environ.get("LIFEBOT_RASA_TOKEN", "")
    if not token:
        sys.exit("LIFEBOT_RASA_TOKEN is not set: Rasa's HTTP API would be open to anyone who can reach it")
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", token]
    from rasa.__main__ import main as rasa_main

    sys.exit(rasa_main())


if __name__ == "__main__":
    main()
