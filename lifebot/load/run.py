"""Run the load levels: for each concurrency, residents' conversations, then bare /model/parse of the
same texts at the same concurrency; optionally against a single stack started on a throwaway var dir."""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from lifebot.load import report
from lifebot.rasa_auth import rasa_token, with_token, without_query
from lifebot.settings import ROOT, Settings

WEBHOOK = "/webhooks/rest/webhook"
LOGS = ROOT / "var" / "bench" / "load-logs"


def base_of(url: str) -> str:
    """A Rasa base URL from either the base itself or its REST webhook URL."""
    url = url.rstrip("/")
    return url[: -len(WEBHOOK)] if url.endswith(WEBHOOK) else url


@dataclasses.dataclass(frozen=True)
class Started:
    """The throwaway stack ``single_stack`` started."""

    rasa_url: str
    token: str  # Rasa's API token (for /model/parse)
    embedding_model: dict  # the API's /health "embedding_model": which model serves search, and why


@contextmanager
def single_stack(settings: Settings, settings_path: str | None, echo):
    """API, action server and Rasa on a fresh var dir (its own database and tracker store), removed
    after: the bench's bookings and tickets never land in a real database.

    The catalog database starts as a snapshot of this instance's own (SQLite) one, so the stack serves
    what `lifebot run` would: the same catalog and, when `make model` built one for it, the tuned
    embedding model (its card names the database it was made for; a freshly seeded database would
    get the stock model). Without one it is seeded from the repository's files."""
    from lifebot.processes import Stack

    if settings.database_url or settings.tracker_url:
        raise RuntimeError("--start single 只在临时目录的 SQLite 上测；设置里指定了数据库服务器（database_url / "
                           "tracker_url），测量的预约和工单会写进那里。请用 --url 指向专门用来测的实例。")
    var_dir = Path(tempfile.mkdtemp(prefix="lifebot-bench-load-"))
    env = {**os.environ, "LIFEBOT_VAR_DIR": str(var_dir), "RASA_TELEMETRY_ENABLED": "false"}
    argv = [str(Path(sys.executable).parent / "lifebot")] + (["--settings", settings_path] if settings_path else [])
    stack = Stack(dataclasses.replace(settings, var_dir=var_dir), settings_path, echo=echo, base_env=env)
    try:
        source = snapshot_catalog(settings, var_dir)
        echo(f"临时数据目录 {var_dir}：" + (f"目录库取自 {source} 的快照" if source else "载入目录") + "、建索引…")
        subprocess.run(argv + ["setup"], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        stack.start(timeout=900)
        model = embedding_model(stack.settings.api_base_url)
        echo(f"{report.serving(model)}；{model.get('reason')}")
        yield Started(stack.settings.rasa_base_url, rasa_token(stack.settings), model)
    finally:
        stack.stop()
        # The logs outlive the throwaway dir: they explain the errors a run reports.
        shutil.rmtree(LOGS, ignore_errors=True)
        if (var_dir / "logs").is_dir():
            shutil.copytree(var_dir / "logs", LOGS)
            echo(f"各进程的日志留在 {LOGS}")
        shutil.rmtree(var_dir, ignore_errors=True)


def snapshot_catalog(settings: Settings, var_dir: Path) -> Path | None:
    """Copy the settings' SQLite catalog database (a consistent snapshot, even while the assistant
    writes to it) into ``var_dir``, under the name a stack on ``var_dir`` opens; the source path, or
    None when there is no such file (the stack then seeds its own)."""
    from lifebot.backup.databases import databases
    from lifebot.backup.sqlite_db import dump

    source = databases(settings, None)[0].sqlite_path
    if not source.is_file():
        return None
    target = databases(dataclasses.replace(settings, var_dir=var_dir), None)[0].sqlite_path
    dump(source, target)
    return source


def embedding_model(api_url: str) -> dict:
    """What the API's /health says serves search (model, encoder, reason)."""
    with urllib.request.urlopen(f"{api_url}/health", timeout=10) as response:
        return json.loads(response.read())["embedding_model"]


def _post(url: str, body: dict, timeout: float) -> None:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def warm_up(url: str, parse_urls: list[str], token: str, timeout: float) -> None:
    """First messages load lazily built parts of the pipeline; they are not measured."""
    for text in ("你好", "居住证怎么办", "谢谢"):
        targets = [(f"{url}{WEBHOOK}", {"sender": f"load-warmup-{secrets.token_hex(4)}", "message": text})]
        targets += [(with_token(f"{parse_url}/model/parse", token), {"text": text}) for parse_url in parse_urls]
        for target, body in targets:
            try:
                _post(target, body, timeout)
            except OSError as exc:  # URLError and timeouts included
                raise RuntimeError(f"连不上 {without_query(target)}（{exc}）：Rasa 在运行吗？/model/parse 要 Rasa 带 "
                                   "--enable-api 和同一个令牌（lifebot/rasa_auth.py）；扩展布局（run-scaled）的令牌在它生成的设置里："
                                   "lifebot --settings var/scaled/settings.yaml bench load …") from None


def swarm(plan: dict, work: Path, log) -> dict:
    name = f"{plan['mode']}-{plan['users']}"
    plan_path, result_path = work / f"{name}.plan.json", work / f"{name}.result.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "lifebot.load.swarm", str(plan_path), str(result_path)], cwd=ROOT,
                   check=True, stdout=log, stderr=log, timeout=plan["seconds"] + plan["timeout"] + 120)
    return json.loads(result_path.read_text(encoding="utf-8"))


def measure(url: str, parse_urls: list[str], token: str, users: list[int], seconds: float, conversations: int,
            think: float, timeout: float, seed: int, echo) -> dict:
    run_tag = secrets.token_hex(3)
    result = {"url": url, "parse_urls": parse_urls, "started": time.time(), "seconds_per_level": seconds,
              "conversations_per_level": conversations or None, "think": think, "timeout": timeout,
              "cpus": os.cpu_count(), "load_start": [round(x, 2) for x in os.getloadavg()], "levels": []}
    warm_up(url, parse_urls, token, timeout)
    with tempfile.TemporaryDirectory(prefix="lifebot-load-") as tmp:
        work = Path(tmp)
        with open(work / "locust.log", "w") as log:
            for n in users:
                plan = {"base_url": url, "users": n, "seconds": seconds, "conversations": conversations,
                        "think": think, "timeout": timeout, "seed": seed + n, "run": f"{run_tag}-{n}"}
                before = os.getloadavg()
                echo(f"{n} 位居民对话，最多 {seconds:.0f} s…")
                chat = swarm({**plan, "mode": "chat"}, work, log)
                echo(f"{n} 个并发裸 /model/parse（同样的 {len(chat['turns'])} 句话）…")
                parse = swarm({**plan, "mode": "parse", "parse_urls": parse_urls, "token": token,
                               "texts": [t["text"] for t in chat["turns"]]}, work, log)
                result["levels"].append(report.level(chat, parse, before, os.getloadavg()))
                echo(report.table(result["levels"][-1:]).splitlines()[-1])
    result["seconds"] = round(time.time() - result["started"], 1)
    return result
