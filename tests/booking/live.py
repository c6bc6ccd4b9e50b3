"""A real `lifebot serve` process over a given database, for the load and crash tests.

The catalog holds the sample entries of tests/booking/samples.py; the API runs on a free port with
its own var dir, and the real clock: dates are found by asking the API for open slots.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

from booking.dates import JIANGYIN
from tests.booking.samples import ENTRIES
from tests.conftest import TEST_SETTINGS
from tests.pg import free_port

LIFEBOT = Path(sys.executable).parent / "lifebot"


class LiveApi:
    def __init__(self, db_url: str, var_dir: Path):
        from catalog.store import CatalogStore

        store = CatalogStore(db_url)
        store.put_many(list(ENTRIES.values()), author="test", reason="booking load test")
        store.close()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LIFEBOT_")}
        env.update(LIFEBOT_SETTINGS=str(TEST_SETTINGS), LIFEBOT_DATABASE_URL=db_url, LIFEBOT_VAR_DIR=str(var_dir),
                   LIFEBOT_API_PORT=str(self.port), PYTHONUNBUFFERED="1")
        self.log = (var_dir / "api.log").open("w")
        self.process = subprocess.Popen([str(LIFEBOT), "serve"], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the API exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the API did not answer /health in time")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


async def first_open_day(session, base_url: str, service_id: str, hall: str) -> tuple[date, list[dict]]:
    """The first day from tomorrow on (Jiangyin's tomorrow) with bookable slots at ``hall`` (real clock)."""
    day = datetime.now(JIANGYIN).date()
    for _ in range(14):
        day += timedelta(days=1)
        async with session.get(f"{base_url}/api/slots",
                               params={"service_id": service_id, "date": day.isoformat(), "hall": hall}) as r:
            body = await r.json()
        free = [s for s in body.get("slots", []) if s["remaining"]]
        if free:
            return day, free
    raise AssertionError("no open day in the next two weeks")
