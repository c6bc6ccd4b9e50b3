"""A private redis-server for Rasa's lock store and the API workers' rate limits: its own config, port
and directory.

It only holds short-lived conversation locks, socket.io's messages in transit and rate-limit buckets,
so nothing is persisted (no RDB, no AOF).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

INSTALL_HINT = "apt-get install redis-server (Debian), or put redis-server on PATH"


def find_redis_server() -> str | None:
    return shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if Path(p).exists()), None)


def config_text(port: int, directory: Path) -> str:
    return "\n".join([
        "# Written by lifebot (lifebot/scaled/redis.py): locks, socket.io, rate limits; loopback only.",
        "bind 127.0.0.1",
        "protected-mode yes",
        f"port {port}",
        "daemonize no",
        f"dir {directory}",
        "save \"\"",
        "appendonly no",
        "loglevel notice",
        "",
    ])


def ping(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """``start()`` writes ``root``/redis.conf, runs redis-server in the foreground and waits for PONG."""

    def __init__(self, binary: str, root: Path, port: int):
        self.binary = binary
        self.root = Path(root)
        self.port = port
        self.conf = self.root / "redis.conf"
        self.log = self.root / "redis.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> None:
        if ping(self.port):
            raise RuntimeError(f"端口 {self.port} 上已有 Redis 在运行：先停止它，或在设置里换端口（scaled.redis_port）。")
        self.root.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(config_text(self.port, self.root), encoding="utf-8")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([self.binary, str(self.conf)], stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not ping(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start; see {self.log}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
