"""The scaled layout under ``var_dir``/scaled: files, infrastructure and processes, started in order.

PostgreSQL (catalog, bookings, tickets, staff, Rasa's tracker store) and Redis (Rasa's lock store)
run as our own instances; nginx, the API workers, the action servers and the Rasa servers are
``processes.Service``s of one ``processes.Stack``, so they start, wait and stop like `lifebot run`.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml

from lifebot.processes import BIN, Service, Stack, rasa_service
from lifebot.scaled import nginx, postgres, redis
from lifebot.scaled.config import ScaledConfig
from lifebot.settings import ENV_OVERRIDES, ROOT, Settings

CATALOG_DB = "lifebot"
TRACKER_DB = "rasa_tracker"


class Missing(RuntimeError):
    """A program the layout needs is not installed (the message says how to install it)."""


def _yaml_value(value):
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _yaml_value(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_yaml_value(v) for v in value]
    return value


def write_settings(settings: Settings, path: Path) -> Path:
    values = {f.name: _yaml_value(getattr(settings, f.name)) for f in dataclasses.fields(settings)}
    path.write_text("# Written by `lifebot run-scaled` (lifebot/scaled/layout.py); edit the source settings.\n"
                    + yaml.safe_dump(values, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return path


class ScaledStack(Stack):
    """A Stack whose services are the layout's (nginx first, then every API, action and Rasa server)."""

    def __init__(self, settings: Settings, settings_path: str, services: list[Service], echo, base_env):
        super().__init__(settings, settings_path, echo=echo, base_env=base_env)
        self.services = services


class Layout:
    def __init__(self, settings: Settings, echo: Callable[[str], None] = print):
        self.config = ScaledConfig.from_mapping(settings.scaled)
        self.source = settings
        self.root = settings.var_dir / "scaled"
        self.echo = echo
        self.host = "127.0.0.1"
        self.public_url = f"http://{self.host}:{self.config.public_port}"
        self.internal_url = f"http://{self.host}:{self.config.actions_proxy_port}"
        self.pg_bin = postgres.find_bin_dir()
        self.redis_bin = redis.find_redis_server()
        self.nginx_bin = nginx.find_nginx()
        self.cluster: postgres.Cluster | None = None
        self.redis: redis.RedisServer | None = None
        self.stack: ScaledStack | None = None

    def missing(self) -> list[str]:
        """Install hints for every program that is not there (empty when all are)."""
        return [hint for found, hint in ((self.pg_bin, postgres.INSTALL_HINT),
                                         (self.redis_bin, redis.INSTALL_HINT),
                                         (self.nginx_bin, nginx.INSTALL_HINT)) if not found]

    # -- settings of each process ------------------------------------------------------------------

    def shared_settings(self, database_url: str, tracker_url: str) -> Settings:
        c = self.config
        # tracker_url: the store endpoints.yml gives Rasa, named here for `lifebot backup` and restore
        return dataclasses.replace(self.source, var_dir=self.root, database_url=database_url, tracker_url=tracker_url,
                                   api_host=self.host, api_port=c.api_ports[0],
                                   actions_port=c.actions_ports[0], api_url=self.public_url,
                                   # the chat page: socket.io on the public port of the host it came from
                                   rasa_url="", rasa_port=c.public_port, rasa_api_url=self.internal_url,
                                   # every connection comes from nginx: its X-Forwarded-For names the client
                                   trusted_proxies=(*self.source.trusted_proxies, self.host),
                                   # one set of rate-limit buckets for every API worker
                                   rate_limit_redis_url=f"redis://{self.host}:{c.redis_port}/0")

    def worker_settings(self, shared: Settings, i: int) -> Settings:
        index = self.root / f"api-{i + 1}" / "index"
        return dataclasses.replace(shared, api_port=self.config.api_ports[i], search_index_dir=str(index))

    def endpoints(self, user: str) -> dict:
        c = self.config
        return {
            "action_endpoint": {"url": f"{self.internal_url}/webhook"},
            # the same masking store as bot/endpoints.yml; every Rasa server reads the one key file
            "tracker_store": {"type": "bot.tracker_store.MaskingSQLTrackerStore", "dialect": "postgresql",
                              "url": self.host, "port": c.postgres_port, "db": TRACKER_DB, "username": user,
                              "password": "", "key_file": str(self.root / "secrets" / "tracker.key")},
            # Rasa's RedisLockStore with atomic ticket changes (bot/lock_store.py says why)
            "lock_store": {"type": "bot.lock_store.AtomicRedisLockStore", "url": self.host,
                           "port": c.redis_port, "db": 0, "key_prefix": "lifebot"},
        }

    # -- start and stop ------------------------------------------------------------------------------

    def start(self, timeout: float = 600.0) -> None:
        missing = self.missing()
        if missing:
            raise Missing("扩展部署缺少程序：" + "；".join(missing))
        try:
            shared = self._start_infrastructure()
            self.stack = ScaledStack(shared, str(self.root / "settings.yaml"), self._services(shared),
                                     self.echo, self._base_env())
            self.stack.start(timeout=timeout)
        except BaseException:
            self.stop()
            raise

    def _start_infrastructure(self) -> Settings:
        c = self.config
        self.root.mkdir(parents=True, exist_ok=True)
        self.cluster = postgres.Cluster(self.pg_bin, self.root / "postgres", c.postgres_port)
        if not self.cluster.initialised:
            self.echo(f"初始化 PostgreSQL 数据目录：{self.cluster.data}")
            self.cluster.init()
        if self.cluster.running():
            self.cluster.stop()  # left over from a run that was killed: start it with this run's options
        self.cluster.start()
        self.echo(f"PostgreSQL 就绪: 127.0.0.1:{c.postgres_port}")
        database_url = self.cluster.create_database(CATALOG_DB, exist_ok=True)
        tracker_url = self.cluster.create_database(TRACKER_DB, exist_ok=True)
        self.redis = redis.RedisServer(self.redis_bin, self.root / "redis", c.redis_port)
        self.redis.start()
        self.echo(f"Redis 就绪: 127.0.0.1:{c.redis_port}")
        shared = self.shared_settings(database_url, tracker_url)
        write_settings(shared, self.root / "settings.yaml")
        workers = [self.worker_settings(shared, i) for i in range(len(c.api_ports))]
        for i, worker in enumerate(workers):
            write_settings(worker, self.root / f"api-{i + 1}.yaml")
        (self.root / "endpoints.yml").write_text(
            yaml.safe_dump(self.endpoints(self.cluster.user), sort_keys=False), encoding="utf-8")
        nginx.write_config(self.root / "nginx", public_port=c.public_port, actions_port=c.actions_proxy_port,
                           api_ports=c.api_ports, rasa_ports=c.rasa_ports, actions_ports=c.actions_ports,
                           read_timeout=c.read_timeout, chat_per_minute=c.chat_per_minute, chat_burst=c.chat_burst)
        self._seed_catalog(shared)
        self._prepare_indexes(workers)
        return shared

    def _seed_catalog(self, shared: Settings) -> None:
        """Migrate the catalog database, and seed it from catalog/data/services when it is empty."""
        from catalog.seed import SERVICES_DIR, seed
        from catalog.store import CatalogStore

        store = CatalogStore(shared.db_url)
        try:
            if store.version() == 0:
                self.echo("目录库为空：从 catalog/data/services 载入种子数据")
                self.echo("    " + seed(store, sorted(SERVICES_DIR.glob("*.jsonl"))).summary())
        finally:
            store.close()

    def _prepare_indexes(self, workers: list[Settings]) -> None:
        """Build the first worker's index when a worker has none, and copy it to the others; each
        worker then follows the catalog version on its own (catalog_poll_seconds)."""
        if all((w.index_dir / "config.json").exists() for w in workers):
            return
        first = workers[0]
        self.echo("构建检索索引（首次运行）…")
        argv = [str(BIN / "lifebot"), "--settings", str(self.root / "api-1.yaml"), "index", "build"]
        if subprocess.run(argv, cwd=ROOT, env=self._base_env(), stdout=subprocess.DEVNULL).returncode != 0:
            raise RuntimeError(f"检索索引构建失败：{' '.join(argv)}")
        for worker in workers[1:]:
            shutil.rmtree(worker.index_dir, ignore_errors=True)
            shutil.copytree(first.index_dir, worker.index_dir)

    def _base_env(self) -> dict[str, str]:
        """The children read their settings files; a LIFEBOT_* override would make every worker alike."""
        keep = {"LIFEBOT_INTERNAL_TOKEN"}
        env = {k: v for k, v in os.environ.items() if k not in ENV_OVERRIDES or k in keep}
        # socket.io emits go through Redis to every Rasa server (bot/channels/socketio.py)
        env["LIFEBOT_SOCKETIO_REDIS_URL"] = f"redis://{self.host}:{self.config.redis_port}/0"
        return env

    def _services(self, shared: Settings) -> list[Service]:
        c, logs, host = self.config, self.root / "logs", self.host
        services = [Service("nginx", [self.nginx_bin, "-p", str(self.root / "nginx"),
                                      "-c", str(self.root / "nginx" / "nginx.conf")],
                            f"{self.public_url}/nginx-health", logs / "nginx.log")]
        for i, port in enumerate(c.api_ports, 1):
            services.append(Service(f"api-{i}", [str(BIN / "lifebot"), "--settings",
                                                 str(self.root / f"api-{i}.yaml"), "serve"],
                                    f"http://{host}:{port}/health", logs / f"api-{i}.log"))
        for i, port in enumerate(c.actions_ports, 1):
            services.append(Service(f"actions-{i}", [str(BIN / "rasa"), "run", "actions", "--actions", "actions",
                                                     "--port", str(port), "--logging-config-file", "bot/logging.yml"],
                                    f"http://{host}:{port}/health", logs / f"actions-{i}.log"))
        for i, port in enumerate(c.rasa_ports, 1):
            services.append(rasa_service(f"rasa-{i}", shared, port, str(self.root / "endpoints.yml"),
                                         logs / f"rasa-{i}.log"))
        return services

    def urls(self) -> dict[str, str]:
        return {"网页聊天": f"{self.public_url}/chat", "REST": f"{self.public_url}/webhooks/rest/webhook",
                "API": f"{self.public_url}/api", "坐席台": f"{self.public_url}/console",
                "目录维护后台": f"{self.public_url}/admin", "健康检查": f"{self.public_url}/health"}

    def stop_services(self, *names: str, grace: float = 15.0) -> None:
        """Stop some of the processes (SIGTERM, then SIGKILL after ``grace`` seconds), e.g. every
        Rasa server to see nginx's busy answer; the rest keep running."""
        chosen = [s for s in self.stack.services if s.name in names and s.process and s.process.poll() is None]
        for service in chosen:
            os.killpg(service.process.pid, signal.SIGTERM)
        for service in chosen:
            try:
                service.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait()

    def stop(self) -> None:
        """Stop everything this layout started, processes first, then Redis and PostgreSQL."""
        try:
            if self.stack is not None:
                self.stack.stop()
        finally:
            try:
                if self.redis is not None:
                    self.redis.stop()
            finally:
                if self.cluster is not None and self.cluster.initialised and self.cluster.running():
                    self.cluster.stop()
