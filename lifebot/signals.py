"""Signals that stop a launcher (`lifebot run`, `lifebot run-scaled`) and everything it started."""

import signal


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C, and also SIGTERM or a SIGINT while started in the background (where the shell makes
    SIGINT ignored), stop everything: without this the launcher died alone on SIGTERM and its API,
    action server and Rasa (and in the scaled layout PostgreSQL, Redis and nginx) outlived it."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
