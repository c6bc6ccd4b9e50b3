"""Start, watch and stop the assistant's processes: the API, the action server and Rasa.

Used by `lifebot run` (and so `make run`) and by the end-to-end tests, so both start the stack the
same way. ``Stack.supervise()`` restarts a process that dies unexpectedly, with backoff and a log
line (docs/reliability.md).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from lifebot import rasa_auth
from lifebot.settings import ROOT, Settings

BIN = Path(sys.executable).parent


@dataclass
class Service:
    name: str
    argv: list[str]
    health_url: str
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)
    started_at: float = 0.0
    restarts: int = 0
    # Deaths in a row, each within STABLE_SECONDS of its start: how long the next restart waits.
    quick_deaths: int = 0


def environment(settings: Settings, settings_path: str | None, base: dict[str, str]) -> dict[str, str]:
    env = dict(base)
    env.update({
        "RASA_TELEMETRY_ENABLED": "false",
        "SANIC_HOST": settings.api_host,
        "LIFEBOT_ACTIONS_PORT": str(settings.actions_port),
        "LIFEBOT_TRACKER_DB": str(settings.tracker_db),
        "LIFEBOT_TRACKER_URL": settings.tracker_store_url,
        # Key of the tracker store's encrypted slots (bot/tracker_store.py); $LIFEBOT_TRACKER_KEY wins.
        "LIFEBOT_TRACKER_KEY_FILE": str(settings.var_dir / "secrets" / "tracker.key"),
        "PYTHONUNBUFFERED": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    })
    if settings_path:
        env["LIFEBOT_SETTINGS"] = str(settings_path)
    # The API and the action server share a secret for the action server's internal calls.
    env["LIFEBOT_INTERNAL_TOKEN"] = settings.internal_token or base.get("LIFEBOT_INTERNAL_TOKEN") \
        or secrets.token_urlsafe(32)
    # Rasa requires it on its HTTP API; the API's console sends it (lifebot/rasa_auth.py).
    env[rasa_auth.ENV] = rasa_auth.rasa_token(settings)
    return env


def rasa_service(name: str, settings: Settings, port: int, endpoints: str, log: Path) -> Service:
    """A Rasa server: channels, and its HTTP API behind the token (bot/rasa_server.py)."""
    host = settings.api_host
    return Service(name, [str(BIN / "python"), "-m", "bot.rasa_server", "--enable-api", "--cors", "*",
                          "--interface", host, "--port", str(port), "--model", str(settings.models_dir),
                          "--credentials", "bot/credentials.yml", "--endpoints", endpoints,
                          "--logging-config-file", "bot/logging.yml"],
                   rasa_auth.with_token(f"http://{host}:{port}/status", rasa_auth.rasa_token(settings)), log)


def services(settings: Settings) -> list[Service]:
    logs = settings.var_dir / "logs"
    host = settings.api_host
    return [
        Service("api", [str(BIN / "lifebot"), "serve"],
                f"http://{host}:{settings.api_port}/health", logs / "api.log"),
        Service("actions", [str(BIN / "rasa"), "run", "actions", "--actions", "actions",
                            "--port", str(settings.actions_port), "--logging-config-file", "bot/logging.yml"],
                f"http://{host}:{settings.actions_port}/health", logs / "actions.log"),
        rasa_service("rasa", settings, settings.rasa_port, "bot/endpoints.yml", logs / "rasa.log"),
    ]


def _port_in_use(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((parts.hostname, parts.port)) == 0


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


# Seconds before restarting a process that died: 1 s, then longer while it keeps dying soon after starting.
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
STABLE_SECONDS = 120.0


def _kill_leftovers(service: Service) -> None:
    """Children a dead process left behind (its process group) would keep its port: end them."""
    try:
        os.killpg(service.process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Stack:
    """The running assistant: start() brings every process up and waits until each answers."""

    def __init__(self, settings: Settings, settings_path: str | None = None, echo=print,
                 base_env: dict[str, str] | None = None):
        self.settings = settings
        self.env = environment(settings, settings_path, dict(os.environ) if base_env is None else base_env)
        self.services = services(settings)
        self.echo = echo
        self._lock = threading.Lock()  # spawning and stopping vs. the supervisor
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    def start(self, timeout: float = 240.0) -> None:
        busy = [s for s in self.services if _port_in_use(s.health_url)]
        if busy:
            ports = "、".join(f"{s.name} {urllib.parse.urlsplit(s.health_url).port}" for s in busy)
            raise RuntimeError(f"端口已被占用（{ports}）：是否已有一个助手在运行？先停止它，或在设置里换端口。")
        for service in self.services:
            self._spawn(service)
        self._wait(self.services, timeout)

    def restart(self, name: str, timeout: float = 240.0) -> None:
        """Stop one process (SIGTERM) and start it again, waiting until it answers."""
        service = self.service(name)
        with self._lock:
            self._terminate([service], grace=15.0)
            self._spawn(service)
        self._wait([service], timeout)

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def supervise(self, poll: float = 0.5, backoff: tuple[float, ...] = BACKOFF) -> None:
        """Restart, from a background thread until stop(), any process that dies unexpectedly."""
        self._stopping.clear()
        self._supervisor = threading.Thread(target=self._watch, args=(poll, backoff), name="lifebot-supervisor",
                                            daemon=True)
        self._supervisor.start()

    def _watch(self, poll: float, backoff: tuple[float, ...]) -> None:
        due: dict[str, float] = {}  # service name -> when to start it again
        while not self._stopping.wait(poll):
            for service in self.services:
                with self._lock:
                    if self._stopping.is_set() or service.process is None or service.process.poll() is None:
                        continue
                    now = time.monotonic()
                    if service.name not in due:
                        _kill_leftovers(service)
                        lived = now - service.started_at
                        service.quick_deaths = service.quick_deaths + 1 if lived < STABLE_SECONDS else 1
                        delay = backoff[min(service.quick_deaths, len(backoff)) - 1]
                        due[service.name] = now + delay
                        self.echo(f"{service.name} 意外退出（退出码 {service.process.returncode}，运行了 {lived:.0f} 秒），"
                                  f"{delay:.0f} 秒后自动重启；日志 {service.log_path}")
                    elif now >= due[service.name]:
                        del due[service.name]
                        service.restarts += 1
                        self._spawn(service)

    def _spawn(self, service: Service) -> None:
        service.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(service.log_path, "ab") as log:
            self.echo(f"启动 {service.name}: 日志 {service.log_path}")
            service.process = subprocess.Popen(service.argv, cwd=ROOT, env=self.env, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True)
        service.started_at = time.monotonic()

    def _wait(self, services: list[Service], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for service in services:
            while not _healthy(service.health_url):
                if service.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{service.name} exited with {service.process.returncode}; "
                                       f"see {service.log_path}")
                if time.monotonic() > deadline:
                    self.stop()
                    raise TimeoutError(f"{service.name} did not answer {rasa_auth.without_query(service.health_url)} in time; "
                                       f"see {service.log_path}")
                time.sleep(0.5)
            self.echo(f"{service.name} 就绪: {rasa_auth.without_query(service.health_url)}")

    def failed(self) -> Service | None:
        return next((s for s in self.services if s.process and s.process.poll() is not None), None)

    def stop(self, grace: float = 15.0) -> None:
        self._stopping.set()
        if self._supervisor is not None and self._supervisor is not threading.current_thread():
            self._supervisor.join()
        with self._lock:
            self._terminate(self.services, grace)

    def _terminate(self, services: list[Service], grace: float) -> None:
        running = [s for s in services if s.process and s.process.poll() is None]
        for service in running:
            os.killpg(service.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for service in running:
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
