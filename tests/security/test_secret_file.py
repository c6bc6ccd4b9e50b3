"""lifebot/secret_file.py: a secret file made once, 0600, never read half-written by a process starting beside."""

from __future__ import annotations

import secrets
import stat
import threading
import time

from lifebot.secret_file import read_or_create

STARTERS = 6


def test_processes_starting_at_once_all_read_the_one_whole_secret(tmp_path):
    """Each starter makes its own secret slowly; whoever links first wins and every one reads that.
    (CI saw a Rasa server read the tracker key while another had created it but not yet written it.)"""
    path = tmp_path / "secrets" / "tracker.key"
    made: list[bytes] = []
    read: list[bytes] = []
    start = threading.Barrier(STARTERS)

    def make() -> bytes:
        time.sleep(0.2)  # the window in which a file that already exists could still be empty
        secret = secrets.token_urlsafe(32).encode()
        made.append(secret)
        return secret

    def starter() -> None:
        start.wait()
        read.append(read_or_create(path, make))

    threads = [threading.Thread(target=starter) for _ in range(STARTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(read) == STARTERS
    assert len(set(read)) == 1 and read[0] in made, read
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["tracker.key"]  # no draft left behind


def test_an_existing_secret_is_read_not_replaced(tmp_path):
    path = tmp_path / "rasa.token"
    path.write_bytes(b"kept\n")
    assert read_or_create(path, lambda: b"new") == b"kept"
